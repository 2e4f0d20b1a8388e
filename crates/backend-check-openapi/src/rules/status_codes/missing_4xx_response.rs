use backend_check_core::{declare_rule, Severity, Sink};

use crate::model::Operation;
use crate::rules::lookup::{document_key, path_operations, responses_at};
use crate::rules::status::lists_client_errors;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations that declare no client error at all: no `4xx` status,
    /// no `4XX` range and no `default` response. Only operations a caller can
    /// get wrong are checked: those that take a body or parameters, or require
    /// credentials (`GET /health` is not reported). A read whose only input is
    /// optional parameters (filters, paging) is noted as information; writes
    /// and operations with a body or a required parameter are warnings. When no operation of the
    /// document declares a client error, the document gets a single finding
    /// instead of one per operation. Webhooks are not checked.
    ///
    /// ## Why is this bad?
    /// Every operation can fail because of its caller: a malformed request,
    /// missing credentials, an unknown id, a conflict. A spec that lists only
    /// the happy path leaves generated clients without error types and leaves
    /// consumers guessing what a failure looks like.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/{id}:
    ///     get:
    ///       responses:
    ///         '200': {description: the order}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders/{id}:
    ///     get:
    ///       responses:
    ///         '200': {description: the order}
    ///         '404': {description: no such order}
    /// ```
    ///
    /// ## Options
    /// None.
    pub Missing4xxResponse {
        code: "OAS015",
        name: "missing-4xx-response",
        checklist: ApiStatusCodes,
        group: Pedantic,
        severity: Warning,
        summary: "an operation that declares no 4xx (or default) response",
    }
}

impl Missing4xxResponse {
    /// Reports operations without client errors, once per document when none has any.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut any_declared = false;
        let mut offending = Vec::new();
        for operation in path_operations(cx) {
            if declares_errors(operation) {
                any_declared = true;
            } else if !operation.responses.is_empty() && can_fail(cx, operation) {
                offending.push(operation);
            }
        }
        if offending.is_empty() {
            return;
        }
        if !any_declared && offending.len() > 1 {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(offending.len()),
                )
                .with_help(help()),
            );
            return;
        }
        for operation in offending {
            let diagnostic = cx
                .diagnostic(&Self::META, responses_at(operation), message(operation))
                .with_help(help());
            sink.push(if must_validate(operation) {
                diagnostic
            } else {
                diagnostic.with_severity(Severity::Info)
            });
        }
    }
}

/// An operation with no input and no credentials to check has little a caller can get wrong.
fn can_fail(cx: &Context<'_>, operation: &Operation) -> bool {
    operation.request_body.is_some()
        || !operation.parameters.is_empty()
        || cx
            .api
            .effective_security(operation)
            .is_some_and(|s| !s.allows_anonymous())
}

/// A write, a body or a required parameter can be refused; optional filters of a read rarely are.
fn must_validate(operation: &Operation) -> bool {
    operation.is_write()
        || operation.request_body.is_some()
        || operation.parameters.iter().any(|p| p.required)
}

fn declares_errors(operation: &Operation) -> bool {
    lists_client_errors(operation) || operation.response("default").is_some()
}

fn message(operation: &Operation) -> String {
    format!("{} declares no 4xx response", operation.describe())
}

fn document_message(count: usize) -> String {
    format!(
        "no operation declares a 4xx or default response ({count} operations list only successes)"
    )
}

fn help() -> &'static str {
    "declare the client errors the operation can answer (400, 401, 404, 409, …) or a `default` error response"
}
