use backend_check_core::{declare_rule, Sink};

use crate::model::{Operation, Parameter};
use crate::rules::lookup::path_operations;
use crate::rules::status::{lists_client_errors, MissingCode};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations that take input, a request body, query or cookie
    /// parameters or required headers, and list their client errors but neither
    /// `400 Bad Request` nor `422 Unprocessable Content` (nor `4XX`).
    /// Path parameters do not count: a malformed id names no resource, which
    /// is a 404. Operations that list no 4xx at all are left to
    /// `missing-4xx-response`. When no operation of the document declares 400 or 422, the document
    /// gets a single finding.
    ///
    /// ## Why is this bad?
    /// Input that fails validation is the most common client error. Without a
    /// declared 400 or 422 (and its error schema), clients cannot show what
    /// was wrong with the request, and the spec hides that the server validates at all.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json: {schema: {$ref: '#/components/schemas/NewOrder'}}
    ///       responses:
    ///         '201': {description: created}
    ///         '401': {description: not logged in}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       requestBody:
    ///         content:
    ///           application/json: {schema: {$ref: '#/components/schemas/NewOrder'}}
    ///       responses:
    ///         '201': {description: created}
    ///         '401': {description: not logged in}
    ///         '422': {description: the order is invalid}
    /// ```
    ///
    /// ## Options
    /// None.
    pub Missing400Response {
        code: "OAS018",
        name: "missing-400-response",
        checklist: ApiStatusCodes,
        group: Pedantic,
        severity: Info,
        summary: "an operation with a body or parameters that declares neither 400 nor 422",
    }
}

impl Missing400Response {
    /// Reports operations with input and no validation error.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut used = false;
        let mut offending = Vec::new();
        for operation in path_operations(cx) {
            let declares = operation.declares("400") || operation.declares("422");
            used |= operation.response("400").is_some() || operation.response("422").is_some();
            let takes_input =
                operation.request_body.is_some() || operation.parameters.iter().any(validated);
            if takes_input && lists_client_errors(operation) && !declares {
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

/// Query and cookie parameters and required headers are validated; a bad path
/// parameter names no resource (404, see `missing-404-response`).
fn validated(parameter: &Parameter) -> bool {
    match parameter.location.as_str() {
        "query" | "cookie" => true,
        "header" => parameter.required,
        _ => false,
    }
}

fn message(operation: &Operation) -> String {
    format!(
        "{} takes input but declares neither 400 nor 422",
        operation.describe()
    )
}

fn document_message(count: usize) -> String {
    format!("{count} operations take input but none declares 400 or 422")
}

fn help() -> &'static str {
    "declare `400` (malformed request) or `422` (invalid content) with the error body clients get"
}
