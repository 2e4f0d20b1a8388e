use backend_check_core::{declare_rule, Sink};

use crate::model::Operation;
use crate::rules::lookup::path_operations;
use crate::rules::status::{lists_client_errors, MissingCode};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds secured operations that list their client errors but not `401
    /// Unauthorized`, and operations whose requirement asks for OAuth scopes
    /// but that do not list `403 Forbidden`. An operation is secured when its
    /// own or the document's `security` has no anonymous alternative (`{}`). A
    /// `4XX` range covers both codes; operations that list no 4xx at all are
    /// left to `missing-4xx-response`. When no operation of the document
    /// declares the code, the document gets one finding per code.
    ///
    /// ## Why is this bad?
    /// Every secured call can be refused: the token is missing, expired, or
    /// lacks a scope. Clients need to tell "log in again" (401) from "you may
    /// not do this" (403) from a validation error, and a generated client only
    /// knows the responses the spec declares.
    ///
    /// ## Example
    /// ```yaml
    /// security:
    ///   - oauth: [orders:write]
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201': {description: created}
    ///         '400': {description: invalid order}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// security:
    ///   - oauth: [orders:write]
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201': {description: created}
    ///         '400': {description: invalid order}
    ///         '401': {description: missing or expired token}
    ///         '403': {description: the token lacks orders:write}
    /// ```
    ///
    /// ## Options
    /// None.
    pub Missing401Response {
        code: "OAS016",
        name: "missing-401-response",
        checklist: ApiStatusCodes,
        group: Pedantic,
        severity: Info,
        summary: "a secured operation without 401, or a scoped one without 403",
    }
}

impl Missing401Response {
    /// Reports secured operations missing 401 (and scoped ones missing 403).
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for code in ["401", "403"] {
            check_code(cx, sink, code);
        }
    }
}

fn check_code(cx: &Context<'_>, sink: &mut Sink<'_>, code: &str) {
    let mut used = false;
    let mut offending = Vec::new();
    for operation in path_operations(cx) {
        used |= operation.response(code).is_some();
        if needs(cx, operation, code) && lists_client_errors(operation) && !operation.declares(code)
        {
            offending.push(operation);
        }
    }
    MissingCode { used, offending }.report(
        cx,
        sink,
        &Missing401Response::META,
        |count| document_message(code, count),
        |operation| message(operation, code),
        help(code),
    );
}

/// 401 for any secured operation, 403 when a requirement names scopes.
fn needs(cx: &Context<'_>, operation: &Operation, code: &str) -> bool {
    let Some(security) = cx.api.effective_security(operation) else {
        return false;
    };
    if security.allows_anonymous() {
        return false;
    }
    code == "401"
        || security
            .requirements
            .iter()
            .any(|r| r.schemes.iter().any(|(_, _, scopes)| !scopes.is_empty()))
}

fn message(operation: &Operation, code: &str) -> String {
    match code {
        "401" => format!("secured {} declares no 401 response", operation.describe()),
        _ => format!(
            "{} requires scopes but declares no 403 response",
            operation.describe()
        ),
    }
}

fn document_message(code: &str, count: usize) -> String {
    match code {
        "401" => format!("{count} secured operations list client errors but none declares 401"),
        _ => format!("{count} operations require scopes but none declares 403"),
    }
}

fn help(code: &str) -> &'static str {
    match code {
        "401" => "declare `401` for calls without valid credentials (a shared `components.responses` entry keeps it short)",
        _ => "declare `403` for callers whose token lacks the required scope",
    }
}
