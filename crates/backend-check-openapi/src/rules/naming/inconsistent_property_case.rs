use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds the case style most schema property names of the document use
    /// (camelCase, snake_case or kebab-case; a single lower-case word such as
    /// `id` fits all three, an acronym such as `ID` or `LCP` fits any style,
    /// and a document that mostly uses PascalCase is left alone) and reports each schema whose properties break
    /// it, once per schema, listing the odd names. Nothing is reported unless
    /// at least three quarters of the distinct property names share one
    /// style. Names that do not start with a letter (`_links`, `@type`, `+1`),
    /// extension-like `x-` names, system keys with a double underscore
    /// (`Box__Security__Key`) and keys with other punctuation
    /// (`registry.example.com`) follow conventions of their own and are not
    /// counted.
    ///
    /// ## Why is this bad?
    /// A client reads `createdAt` from one object and `created_at` from the
    /// next; generated models carry the mix into every language, and
    /// serializers configured for one style silently drop the other. An odd
    /// name is often a field added by hand next to generated ones.
    ///
    /// ## Example
    /// ```yaml
    /// Order:
    ///   type: object
    ///   properties:
    ///     orderId: {type: string}
    ///     createdAt: {type: string, format: date-time}
    ///     shipping_address: {type: string}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// Order:
    ///   type: object
    ///   properties:
    ///     orderId: {type: string}
    ///     createdAt: {type: string, format: date-time}
    ///     shippingAddress: {type: string}
    /// ```
    ///
    /// ## Options
    /// None.
    pub InconsistentPropertyCase {
        code: "OAS087",
        name: "inconsistent-property-case",
        checklist: ApiNaming,
        group: Pedantic,
        severity: Info,
        summary: "schema properties that break the document's dominant case style",
    }
}

const CAMEL: u8 = 1;
const SNAKE: u8 = 2;
const KEBAB: u8 = 4;
const PASCAL: u8 = 8;

const STYLES: &[(u8, &str)] = &[
    (CAMEL, "camelCase"),
    (SNAKE, "snake_case"),
    (KEBAB, "kebab-case"),
    (PASCAL, "PascalCase"),
];

impl InconsistentPropertyCase {
    /// Reports, per schema, the property names that break the dominant style.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let schemas = &cx.api.schemas(cx.docs).nodes;
        let mut styles: HashMap<&str, u8> = HashMap::new();
        for node in schemas {
            let tree = cx.docs.tree(node.at.file);
            let Some(properties) = tree.get_value(node.at.node, "properties") else {
                continue;
            };
            for entry in tree.members(properties) {
                if let Some(name) = tree.text(entry.key).filter(|n| counted(n)) {
                    styles.entry(name).or_insert_with(|| classify(name));
                }
            }
        }
        let Some((bit, style)) = dominant(&styles) else {
            return;
        };
        for node in schemas {
            let tree = cx.docs.tree(node.at.file);
            let Some(properties) = tree.get_value(node.at.node, "properties") else {
                continue;
            };
            let outliers: Vec<(&str, At)> = tree
                .members(properties)
                .filter_map(|e| Some((tree.text(e.key)?, At::new(node.at.file, e.key))))
                .filter(|(name, _)| counted(name) && classify(name) & bit == 0)
                .collect();
            let Some((_, first)) = outliers.first() else {
                continue;
            };
            let names: Vec<&str> = outliers.iter().map(|(n, _)| *n).collect();
            sink.push(
                cx.diagnostic(&Self::META, *first, message(&names, style))
                    .with_help(format!(
                        "rename them in {style}, the style the rest of the document uses"
                    )),
            );
        }
    }
}

/// The style at least three quarters of the distinct names follow (and not all of them).
fn dominant(styles: &HashMap<&str, u8>) -> Option<(u8, &'static str)> {
    let total = styles.len();
    // PascalCase names are recognised but never set the style: documents
    // that mostly use them (Docker's) mix in legacy lower-case names.
    let (bit, style) = STYLES
        .iter()
        .filter(|(bit, _)| *bit != PASCAL)
        .max_by_key(|(bit, _)| styles.values().filter(|s| *s & bit != 0).count())?;
    let following = styles.values().filter(|s| *s & bit != 0).count();
    (following >= 3 && following * 4 >= total * 3 && following < total).then_some((*bit, *style))
}

/// Identifier-like names: extension keys (`x-…`) and keys such as
/// `registry.example.com` or `upvote?` are data, not field names.
fn counted(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && !name.starts_with("x-")
        && !name.contains("__")
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

/// The styles a name fits (several for a single lower-case word, none for a mix).
fn classify(name: &str) -> u8 {
    let has_upper = name.chars().any(char::is_uppercase);
    let alnum = |c: char| c.is_alphanumeric();
    if name.chars().all(alnum) {
        let has_lower = name.chars().any(char::is_lowercase);
        return match (has_upper, name.starts_with(char::is_lowercase)) {
            (false, _) => CAMEL | SNAKE | KEBAB,
            (true, true) => CAMEL,
            // An acronym (`ID`, `LCP`) fits every style.
            (true, false) if !has_lower => CAMEL | SNAKE | KEBAB | PASCAL,
            (true, false) => PASCAL,
        };
    }
    let separated = |sep: char| {
        name.chars().all(|c| alnum(c) || c == sep) && !name.contains(&format!("{sep}{sep}"))
    };
    if separated('_') && !has_upper {
        SNAKE
    } else if separated('-') && !has_upper {
        KEBAB
    } else {
        0
    }
}

fn message(names: &[&str], style: &str) -> String {
    let shown: Vec<String> = names.iter().take(4).map(|n| format!("\"{n}\"")).collect();
    let more = names.len().saturating_sub(4);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let noun = if names.len() == 1 {
        "property"
    } else {
        "properties"
    };
    format!(
        "{noun} {}{tail} not in {style}, the style of most properties of the document",
        shown.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        assert_eq!(classify("id"), CAMEL | SNAKE | KEBAB);
        assert_eq!(classify("createdAt"), CAMEL);
        assert_eq!(classify("created_at"), SNAKE);
        assert_eq!(classify("created-at"), KEBAB);
        assert_eq!(classify("CreatedAt"), PASCAL);
        assert_eq!(classify("LCP"), CAMEL | SNAKE | KEBAB | PASCAL);
        assert!(!counted("Box__Security__Classification__Key"));
    }
}
