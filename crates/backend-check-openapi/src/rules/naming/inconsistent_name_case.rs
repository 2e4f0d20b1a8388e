use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, Operation, OperationKind};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds the case style most names use in each category of a document,
    /// and reports the names that break it. The categories are path segments,
    /// path parameters, query parameters, header parameters and operationIds;
    /// the styles are camelCase, PascalCase, snake_case, kebab-case and
    /// SCREAMING_SNAKE_CASE (a single lower-case word such as `orders` fits
    /// camel, snake and kebab case alike). Header names are compared only by
    /// their separator, since HTTP headers ignore case: `X-Request-Id` and
    /// `x-request-id` agree, `X_Request_Id` does not. A category is checked when
    /// at least three names follow the dominant style and at least three
    /// quarters of its names do; version segments (`v1`) are skipped. Schema
    /// names and properties are checked by their own rules.
    ///
    /// ## Why is this bad?
    /// Mixed styles (`/line-items` next to `/shipping_rates`, `pageSize` next
    /// to `sort_order`) make an API harder to guess and to use, and generated
    /// clients carry the inconsistency into every language. An odd name is often
    /// a sign that an endpoint was added without review. Header names with `_`
    /// are dropped by default by proxies such as nginx.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /line-items:
    ///     get:
    ///       parameters:
    ///         - {name: pageSize, in: query, schema: {type: integer}}
    ///         - {name: pageToken, in: query, schema: {type: string}}
    ///         - {name: sortBy, in: query, schema: {type: string}}
    ///         - {name: sort_order, in: query, schema: {type: string}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /line-items:
    ///     get:
    ///       parameters:
    ///         - {name: pageSize, in: query, schema: {type: integer}}
    ///         - {name: pageToken, in: query, schema: {type: string}}
    ///         - {name: sortBy, in: query, schema: {type: string}}
    ///         - {name: sortOrder, in: query, schema: {type: string}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub InconsistentNameCase {
        code: "OAS023",
        name: "inconsistent-name-case",
        checklist: ApiNaming,
        group: Pedantic,
        severity: Warning,
        summary: "a path segment, parameter, header or operationId whose case style differs from the rest of its kind",
    }
}

const CAMEL: u8 = 1;
const PASCAL: u8 = 2;
const SNAKE: u8 = 4;
const KEBAB: u8 = 8;
const SCREAMING: u8 = 16;
const ANY: u8 = CAMEL | PASCAL | SNAKE | KEBAB | SCREAMING;

const STYLES: [(u8, &str); 5] = [
    (CAMEL, "camelCase"),
    (PASCAL, "PascalCase"),
    (SNAKE, "snake_case"),
    (KEBAB, "kebab-case"),
    (SCREAMING, "SCREAMING_SNAKE_CASE"),
];

/// The distinct names of one category, each with where it first appears.
struct Category {
    noun: &'static str,
    classify: fn(&str) -> u8,
    names: Vec<(String, At)>,
    index: HashMap<String, usize>,
}

impl Category {
    fn new(noun: &'static str, classify: fn(&str) -> u8) -> Category {
        Category {
            noun,
            classify,
            names: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn add(&mut self, name: &str, at: At) {
        if name.is_empty() || self.index.contains_key(name) {
            return;
        }
        self.index.insert(name.to_owned(), self.names.len());
        self.names.push((name.to_owned(), at));
    }
}

impl InconsistentNameCase {
    /// Reports the names that break their category's dominant style.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut categories = [
            Category::new("path segment", classify),
            Category::new("path parameter", classify),
            Category::new("query parameter", classify_query),
            Category::new("header", classify_header),
            Category::new("operationId", classify_operation_id),
        ];
        for operation in &cx.api.operations {
            collect(cx, operation, &mut categories);
        }
        for category in &categories {
            report(cx, sink, category);
        }
    }
}

fn collect(cx: &Context<'_>, operation: &Operation, categories: &mut [Category; 5]) {
    let [segments, path_params, query, headers, ids] = categories;
    if operation.kind == OperationKind::Path {
        for segment in operation.name.split('/') {
            if is_plain_segment(segment) {
                segments.add(segment, operation.name_key);
            }
        }
    }
    for parameter in &operation.parameters {
        let at = child(cx.docs, parameter.node, "name").unwrap_or(parameter.node);
        match parameter.location.as_str() {
            "path" => path_params.add(&parameter.name, at),
            "query" => query.add(&parameter.name, at),
            "header" => headers.add(&parameter.name, at),
            _ => {}
        }
    }
    if let Some((id, at)) = &operation.operation_id {
        ids.add(id, *at);
    }
}

/// A literal segment that is a word: no template, version, extension or custom method.
fn is_plain_segment(segment: &str) -> bool {
    !segment.is_empty()
        && !segment.contains(['{', '.', ':', '$', '@', '*'])
        && !is_version(segment)
        && segment.chars().next().is_some_and(char::is_alphabetic)
}

fn is_version(segment: &str) -> bool {
    let rest = segment.strip_prefix(['v', 'V']).unwrap_or(segment);
    rest.starts_with(|c: char| c.is_ascii_digit())
}

fn report(cx: &Context<'_>, sink: &mut Sink<'_>, category: &Category) {
    let noun = category.noun;
    let styles: Vec<u8> = category
        .names
        .iter()
        .map(|(n, _)| (category.classify)(n))
        .collect();
    let Some((bit, style)) = STYLES
        .iter()
        .max_by_key(|(bit, _)| styles.iter().filter(|s| *s & bit != 0).count())
    else {
        return;
    };
    let following = styles.iter().filter(|s| *s & bit != 0).count();
    let total = styles.len();
    if following < 3 || following * 4 < total * 3 || following == total {
        return;
    }
    for ((name, at), found) in category.names.iter().zip(&styles) {
        if found & bit == 0 {
            sink.push(
                cx.diagnostic(
                    &InconsistentNameCase::META,
                    *at,
                    message(noun, name, style, following, total),
                )
                .with_help(help(style)),
            );
        }
    }
}

/// The styles a name fits (several for a single lower-case word, none for a mix).
fn classify(name: &str) -> u8 {
    let has_lower = name.chars().any(char::is_lowercase);
    let has_upper = name.chars().any(char::is_uppercase);
    let alnum = |c: char| c.is_alphanumeric();
    if name.chars().all(alnum) {
        return match (has_lower, has_upper) {
            (true, false) => CAMEL | SNAKE | KEBAB,
            (false, _) => ANY,
            (true, true) if name.starts_with(char::is_lowercase) => CAMEL,
            (true, true) => PASCAL,
        };
    }
    let separated = |sep: char| {
        name.chars().all(|c| alnum(c) || c == sep) && !name.contains(&format!("{sep}{sep}"))
    };
    if separated('_') && !has_upper {
        SNAKE
    } else if separated('_') && !has_lower {
        SCREAMING
    } else if separated('-') && !has_upper {
        KEBAB
    } else {
        0
    }
}

/// Filter syntax belongs to the name's value, not its style: `Date>`,
/// `created[gte]`, `price<=` are `Date`, `created`, `price`; a `{field}`
/// placeholder names any field.
fn classify_query(name: &str) -> u8 {
    if name.starts_with('{') {
        return ANY;
    }
    let base = name.split(['[', '<', '>', '=', '!']).next().unwrap_or(name);
    if base.is_empty() {
        ANY
    } else {
        classify(base)
    }
}

/// `put_files_id#add_shared_link`: a `#` joins the id of the URL's operation
/// and its variant, each in the document's style.
fn classify_operation_id(id: &str) -> u8 {
    id.split('#')
        .filter(|part| !part.is_empty())
        .fold(ANY, |styles, part| styles & classify(part))
}

/// Headers ignore case: only the separator counts.
fn classify_header(name: &str) -> u8 {
    match (name.contains('-'), name.contains('_')) {
        (_, false) => KEBAB,
        (false, true) => SNAKE,
        (true, true) => 0,
    }
}

fn message(noun: &str, name: &str, style: &str, following: usize, total: usize) -> String {
    format!("{noun} \"{name}\" is not {style}, unlike {following} of the {total} {noun}s of the document")
}

fn help(style: &str) -> String {
    format!("rename it in {style}, the style the rest of the document uses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        assert_eq!(classify("orders"), CAMEL | SNAKE | KEBAB);
        assert_eq!(classify("lineItems"), CAMEL);
        assert_eq!(classify("LineItems"), PASCAL);
        assert_eq!(classify("line_items"), SNAKE);
        assert_eq!(classify("line-items"), KEBAB);
        assert_eq!(classify("LINE_ITEMS"), SCREAMING);
        assert_eq!(classify("line_Items"), 0);
        assert_eq!(classify_header("X-Request-Id"), KEBAB);
        assert_eq!(classify_query("created_at[gte]"), SNAKE);
        assert_eq!(classify_query("Date>"), PASCAL);
        assert_eq!(classify_operation_id("put_files_id#add_link"), SNAKE);
        assert_eq!(classify_header("x_request_id"), SNAKE);
        assert!(is_version("v2") && is_version("2024-01-01") && !is_version("vendors"));
    }
}
