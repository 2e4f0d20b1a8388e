use backend_check_core::{declare_rule, Severity, Sink};

use crate::model::Operation;
use crate::rules::lookup::{document_key, path_operations, responses_at};
use crate::rules::words::count;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports a document where no operation declares `429 Too Many Requests`
    /// (once for the document), or where most write operations (POST, PUT,
    /// PATCH, DELETE) do not. When most write operations declare 429, it notes,
    /// as information, each one that does not: writes are what rate limits
    /// protect first. A
    /// `4XX` range does not count: clients must be able to tell throttling
    /// from a bad request. Webhooks are not checked.
    ///
    /// ## Why is this bad?
    /// Every public API is rate limited somewhere, by the service or the
    /// gateway in front of it. If the contract does not say so, clients treat
    /// a 429 as a failure instead of waiting and retrying, and generated SDKs
    /// have no retry logic for it.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201': {description: created}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201': {description: created}
    ///         '429':
    ///           description: too many requests
    ///           headers:
    ///             Retry-After: {schema: {type: integer}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub Missing429Response {
        code: "OAS036",
        name: "missing-429-response",
        checklist: ApiRateLimit,
        group: Pedantic,
        severity: Warning,
        summary: "no operation declares 429 Too Many Requests, or a write operation does not",
    }
}

impl Missing429Response {
    /// Reports a document without 429, or write operations without it.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let operations: Vec<&Operation> = path_operations(cx).collect();
        if operations.is_empty() {
            return;
        }
        if !operations.iter().any(|o| o.response("429").is_some()) {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(operations.len()),
                )
                .with_help(help()),
            );
            return;
        }
        let writes: Vec<&Operation> = operations.into_iter().filter(|o| o.is_write()).collect();
        let missing: Vec<&Operation> = writes
            .iter()
            .copied()
            .filter(|o| o.response("429").is_none())
            .collect();
        if missing.len() * 2 > writes.len() {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    few_message(writes.len() - missing.len(), writes.len()),
                )
                .with_help(help()),
            );
            return;
        }
        for operation in missing {
            sink.push(
                cx.diagnostic(&Self::META, responses_at(operation), message(operation))
                    .with_help(help())
                    .with_severity(Severity::Info),
            );
        }
    }
}

fn document_message(operations: usize) -> String {
    format!(
        "none of the {} declares a 429 Too Many Requests response",
        count(operations, "operation")
    )
}

fn few_message(with: usize, writes: usize) -> String {
    match with {
        0 => format!(
            "none of the {} declares a 429 Too Many Requests response",
            count(writes, "write operation")
        ),
        _ => format!(
            "only {with} of the {writes} write operations declare a 429 Too Many Requests response"
        ),
    }
}

fn message(operation: &Operation) -> String {
    format!("write {} declares no 429 response", operation.describe())
}

fn help() -> &'static str {
    "declare `429` with a `Retry-After` header (a shared `components.responses` entry keeps it short)"
}
