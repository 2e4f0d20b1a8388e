use std::collections::HashSet;

use backend_check_core::{declare_rule, Severity, Sink};

use crate::load::{At, Value};
use crate::model::child;
use crate::model::{Method, Operation};
use crate::rules::lookup::{key_of, text_of};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds GET and HEAD operations with a request body (3.x `requestBody`,
    /// 2.0 `in: body` or `formData` parameters). A DELETE with a body is noted
    /// as information: HTTP allows it but gives it no meaning. An optional body
    /// whose schemas admit no field (`properties: {}` with
    /// `additionalProperties: false`, which some generators emit for every
    /// operation) is not reported.
    ///
    /// ## Why is this bad?
    /// A body on GET or HEAD has no defined semantics (RFC 9110): caches
    /// ignore it, many proxies, CDNs and HTTP clients drop it or reject the
    /// request, and browsers' `fetch` cannot send one. The same request can then
    /// mean different things depending on the path it took.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       requestBody:
    ///         content:
    ///           application/json: {schema: {$ref: '#/components/schemas/OrderFilter'}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       parameters:
    ///         - {name: status, in: query, schema: {type: string}}
    ///   /orders/search:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json: {schema: {$ref: '#/components/schemas/OrderFilter'}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub BodyOnRead {
        code: "OAS020",
        name: "body-on-read",
        checklist: ApiRestful,
        group: Pedantic,
        severity: Warning,
        summary: "a GET, HEAD or DELETE operation with a request body",
    }
}

impl BodyOnRead {
    /// Reports read (and delete) operations that take a body.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        for operation in &cx.api.operations {
            let checked = matches!(
                operation.method,
                Method::Get | Method::Head | Method::Delete
            );
            let Some(body) = operation.request_body.filter(|_| checked) else {
                continue;
            };
            if !seen.insert(operation.node) || is_empty_optional(cx, body) {
                continue;
            }
            let at = key_of(cx, operation.node, "requestBody").unwrap_or(body);
            let diagnostic = cx
                .diagnostic(&Self::META, at, message(operation))
                .with_help(help(operation.method));
            sink.push(if operation.method == Method::Delete {
                diagnostic.with_severity(Severity::Info)
            } else {
                diagnostic
            });
        }
    }
}

/// An optional body whose schemas admit no field (`{type: object, properties: {},
/// additionalProperties: false}`, as some generators emit for every operation)
/// carries nothing.
fn is_empty_optional(cx: &Context<'_>, body: At) -> bool {
    let required = child(cx.docs, body, "required")
        .is_some_and(|r| matches!(cx.docs.tree(r.file).value(r.node), Value::Bool(true)));
    let Some(content) = child(cx.docs, body, "content").map(|c| cx.docs.follow(c)) else {
        return false;
    };
    let tree = cx.docs.tree(content.file);
    !required
        && tree.members(content.node).all(|media| {
            let media = cx.docs.follow(At::new(content.file, media.value));
            child(cx.docs, media, "schema")
                .map(|s| cx.docs.follow(s))
                .is_some_and(|schema| declares_nothing(cx, schema))
        })
}

fn declares_nothing(cx: &Context<'_>, schema: At) -> bool {
    let tree = cx.docs.tree(schema.file);
    let no_properties = tree
        .get_value(schema.node, "properties")
        .is_none_or(|p| tree.members(p).next().is_none());
    let closed = tree
        .get_value(schema.node, "additionalProperties")
        .is_some_and(|a| matches!(tree.value(a), Value::Bool(false)));
    let composed = ["allOf", "anyOf", "oneOf", "items", "$ref"]
        .iter()
        .any(|k| tree.get(schema.node, k).is_some());
    let object = text_of(cx, schema, "type").is_none_or(|t| t == "object");
    no_properties && closed && !composed && object
}

fn message(operation: &Operation) -> String {
    format!("{} takes a request body", operation.describe())
}

fn help(method: Method) -> &'static str {
    match method {
        Method::Delete => "identify what to delete in the path or query; for bulk deletes use `POST /…/batch-delete`-style resources",
        _ => "pass filters as query parameters, or use a POST to a search resource when the input is large",
    }
}
