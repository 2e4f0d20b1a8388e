use backend_check_core::{declare_rule, Sink};

use crate::model::{Method, Operation};
use crate::rules::lookup::path_operations;
use crate::rules::status::{lists_client_errors, MissingCode};
use crate::rules::words::words;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations on a path with a template parameter (`/orders/{id}`)
    /// that list their client errors but not `404 Not Found` (nor `4XX`).
    /// Operations that list no 4xx at all are left to `missing-4xx-response`.
    /// A content-addressed `PUT` (`/blobs/{digest}`, `/objects/{sha256}`)
    /// stores what it is given under its hash and owes no 404.
    /// When no operation of the document declares 404, the document gets a
    /// single finding.
    ///
    /// ## Why is this bad?
    /// A path parameter names a resource that may not exist, or no longer
    /// exist. Without a declared 404, clients cannot tell "not found" from
    /// other failures, and generated clients throw an untyped error.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/{id}:
    ///     get:
    ///       responses:
    ///         '200': {description: the order}
    ///         '401': {description: not logged in}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders/{id}:
    ///     get:
    ///       responses:
    ///         '200': {description: the order}
    ///         '401': {description: not logged in}
    ///         '404': {description: no such order}
    /// ```
    ///
    /// ## Options
    /// None.
    pub Missing404Response {
        code: "OAS017",
        name: "missing-404-response",
        checklist: ApiStatusCodes,
        group: Pedantic,
        severity: Info,
        summary: "an operation with a path parameter that declares no 404",
    }
}

impl Missing404Response {
    /// Reports operations on templated paths without 404.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut used = false;
        let mut offending = Vec::new();
        for operation in path_operations(cx) {
            used |= operation.response("404").is_some();
            if operation.name.contains('{')
                && lists_client_errors(operation)
                && !operation.declares("404")
                && !is_content_addressed_put(operation)
            {
                offending.push(operation);
            }
        }
        MissingCode { used, offending }.report(
            cx,
            sink,
            &Self::META,
            document_message,
            message,
            help(),
        );
    }
}

/// Words of a path parameter that is the content's own hash.
const CONTENT_KEYS: &[&str] = &[
    "digest", "hash", "sha", "sha1", "sha256", "sha512", "checksum", "md5", "cid", "oid",
];

/// `PUT /blobs/{digest}`: the client names the content by its hash, so the PUT
/// stores it whether or not it existed; no id can name nothing.
fn is_content_addressed_put(operation: &Operation) -> bool {
    operation.method == Method::Put
        && operation.parameters.iter().any(|p| {
            p.location == "path"
                && words(&p.name)
                    .iter()
                    .any(|w| CONTENT_KEYS.contains(&w.as_str()))
        })
}

fn message(operation: &Operation) -> String {
    format!(
        "{} takes a path parameter but declares no 404 response",
        operation.describe()
    )
}

fn document_message(count: usize) -> String {
    format!("{count} operations take path parameters but none declares 404")
}

fn help() -> &'static str {
    "declare `404` for ids that name no resource"
}
