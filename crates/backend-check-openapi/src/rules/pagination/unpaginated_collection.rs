use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, Method, Operation, OperationKind, Response, SpecVersion, Types};
use crate::rules::Context;

use super::is_paging;
use crate::rules::words::words;

declare_rule! {
    /// ## What it does
    /// Finds `GET` operations whose success response is a list (an array, or
    /// a page object whose only array property is `items`, `data`,
    /// `results`, …) and that take no paging parameter (`limit`, `per_page`,
    /// `page`, `cursor`, `offset`, `page_token`, …). Lists with a `maxItems`
    /// are bounded already and are not reported, and so are answers of one
    /// boolean per id the caller names (an array of booleans, or a required
    /// `ids` query parameter): their length is the caller's list. A page object
    /// that carries its own paging state (`next`, `page` and `pages`,
    /// `has_more`, `iterator`) is paged by the server and is not reported.
    ///
    /// ## Why is this bad?
    /// A list without paging returns every row: fine with ten, a timeout and
    /// an out-of-memory with ten million. Adding pagination later is a
    /// breaking change for every client that expects the whole list, so it
    /// belongs in the first version of the contract.
    ///
    /// ## Example
    /// ```yaml
    /// /orders:
    ///   get:
    ///     responses:
    ///       '200':
    ///         description: all orders
    ///         content:
    ///           application/json:
    ///             schema: {type: array, items: {$ref: '#/components/schemas/Order'}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// /orders:
    ///   get:
    ///     parameters:
    ///       - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}
    ///       - {name: cursor, in: query, schema: {type: string, maxLength: 200}}
    ///     responses:
    ///       '200':
    ///         description: a page of orders
    ///         content:
    ///           application/json:
    ///             schema: {$ref: '#/components/schemas/OrderPage'}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnpaginatedCollection {
        code: "OAS071",
        name: "unpaginated-collection",
        checklist: ApiPagination,
        group: Pedantic,
        severity: Info,
        summary: "a GET operation that returns a list without paging parameters",
    }
}

impl UnpaginatedCollection {
    /// Reports list operations without paging parameters.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for operation in &cx.api.operations {
            let candidate = operation.kind == OperationKind::Path
                && operation.method == Method::Get
                && !operation.parameters.iter().any(|p| is_paging(&p.name))
                && !takes_the_ids(operation);
            if !candidate {
                continue;
            }
            let Some(response) = operation.responses.iter().find(|r| is_list(cx, r)) else {
                continue;
            };
            sink.push(
                cx.diagnostic(&Self::META, operation.method_key, message(operation))
                    .with_help("take a page size (`limit` with a `maximum`) and a cursor or page number, and return one page")
                    .with_label(cx.docs.span(response.key), "returns a list"),
            );
        }
    }
}

/// Properties of a page object that say the server pages it.
const PAGE_STATE: &[&str] = &[
    "next",
    "nextpage",
    "nextlink",
    "nexturl",
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "cursor",
    "page",
    "pages",
    "pagelen",
    "totalpages",
    "hasmore",
    "hasnext",
    "continuation",
    "continuationtoken",
    "iterator",
    "links",
    "paging",
    "pagination",
];

const ITEM_NAMES: &[&str] = &[
    "items", "data", "results", "records", "entries", "values", "content", "elements", "nodes",
    "edges", "hits", "list", "objects", "rows",
];

/// Whether a 2xx response body is an unbounded list or a page of one.
fn is_list(cx: &Context<'_>, response: &Response) -> bool {
    if !response.status.starts_with('2') {
        return false;
    }
    body_schemas(cx, response)
        .into_iter()
        .any(|schema| is_unbounded_array(cx, schema) || is_page(cx, schema))
}

fn body_schemas(cx: &Context<'_>, response: &Response) -> Vec<At> {
    if cx.api.version == SpecVersion::Swagger2 {
        return child(cx.docs, response.node, "schema")
            .map(|s| cx.docs.follow(s))
            .into_iter()
            .collect();
    }
    let Some(content) = child(cx.docs, response.node, "content") else {
        return Vec::new();
    };
    let content = cx.docs.follow(content);
    let tree = cx.docs.tree(content.file);
    tree.members(content.node)
        .filter(|e| tree.text(e.key).is_some_and(|m| m.contains("json")))
        .filter_map(|e| {
            child(
                cx.docs,
                cx.docs.follow(At::new(content.file, e.value)),
                "schema",
            )
        })
        .map(|s| cx.docs.follow(s))
        .collect()
}

fn is_unbounded_array(cx: &Context<'_>, schema: At) -> bool {
    let tree = cx.docs.tree(schema.file);
    Types::of(tree, schema.node).contains(Types::ARRAY)
        && tree.get_value(schema.node, "maxItems").is_none()
        && !has_boolean_items(cx, schema)
}

/// `[true, false, true]`: one answer per id the caller gave, not a collection.
fn has_boolean_items(cx: &Context<'_>, schema: At) -> bool {
    child(cx.docs, schema, "items").is_some_and(|items| {
        let items = cx.docs.follow(items);
        Types::of(cx.docs.tree(items.file), items.node).is_only(Types::BOOLEAN)
    })
}

/// `GET /following/contains?ids=a,b`: the caller lists the ids it asks
/// about, so the answer is as long as that list.
fn takes_the_ids(operation: &Operation) -> bool {
    operation.parameters.iter().any(|p| {
        p.location == "query"
            && p.required
            && matches!(
                p.name.to_ascii_lowercase().as_str(),
                "ids" | "id[]" | "ids[]"
            )
    })
}

/// An object whose only array property is named like the items of a page.
fn is_page(cx: &Context<'_>, schema: At) -> bool {
    let Some(properties) = child(cx.docs, schema, "properties") else {
        return false;
    };
    let tree = cx.docs.tree(properties.file);
    // A page that carries its own paging state (`next`, `page`/`pages`,
    // `has_more`) is paged by the server, even when the parameters that
    // move through it are not declared.
    let paged = tree.members(properties.node).any(|e| {
        tree.text(e.key)
            .is_some_and(|name| PAGE_STATE.contains(&words(name).concat().as_str()))
    });
    if paged {
        return false;
    }
    let arrays: Vec<&str> = tree
        .members(properties.node)
        .filter(|e| {
            let value = cx.docs.follow(At::new(properties.file, e.value));
            Types::of(cx.docs.tree(value.file), value.node).contains(Types::ARRAY)
        })
        .filter_map(|e| tree.text(e.key))
        .collect();
    match arrays.as_slice() {
        [only] => {
            let items = At::new(
                properties.file,
                tree.get_value(properties.node, only)
                    .unwrap_or(properties.node),
            );
            ITEM_NAMES.contains(&only.to_ascii_lowercase().as_str())
                && is_unbounded_array(cx, cx.docs.follow(items))
        }
        _ => false,
    }
}

fn message(operation: &Operation) -> String {
    format!(
        "{} returns a list but takes no paging parameter",
        operation.describe()
    )
}
