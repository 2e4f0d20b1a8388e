use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::{Operation, Response};
use crate::rules::lookup::{document_key, path_operations, responses_at};
use crate::rules::status::is_success;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Looks for rate-limit headers on success responses: `RateLimit`,
    /// `RateLimit-Policy`, `RateLimit-Limit`, `RateLimit-Remaining`,
    /// `RateLimit-Reset` (the IETF draft) or their `X-RateLimit-*` forms. When
    /// fewer than half of the operations declare one on a success response, the
    /// document gets one finding. When most do, each operation whose success
    /// responses declare none is noted. Webhooks are not checked.
    ///
    /// ## Why is this bad?
    /// Rate-limit headers on every success let clients slow down before they
    /// hit the limit, instead of finding out with a 429. Declaring them in the
    /// contract makes generated clients expose them, and makes the limits part
    /// of what is reviewed.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '200':
    ///     description: the orders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '200':
    ///     description: the orders
    ///     headers:
    ///       RateLimit-Remaining: {schema: {type: integer}}
    ///       RateLimit-Reset: {schema: {type: integer}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub MissingRateLimitHeaders {
        code: "OAS038",
        name: "missing-rate-limit-headers",
        checklist: ApiRateLimit,
        group: Pedantic,
        severity: Info,
        summary: "success responses that declare no RateLimit-* or X-RateLimit-* headers",
    }
}

impl MissingRateLimitHeaders {
    /// Reports a document, or operations, without rate-limit headers on success.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut with = 0;
        let mut without: Vec<&Operation> = Vec::new();
        let mut seen = HashSet::new();
        for operation in path_operations(cx) {
            let successes: Vec<&Response> = operation
                .responses
                .iter()
                .filter(|r| is_success(&r.status))
                .collect();
            if successes.is_empty() || !seen.insert(operation.node) {
                continue;
            }
            if successes.iter().any(|r| has_rate_limit_header(r)) {
                with += 1;
            } else {
                without.push(operation);
            }
        }
        if with < without.len() {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(with, with + without.len()),
                )
                .with_help(help()),
            );
            return;
        }
        for operation in without {
            sink.push(
                cx.diagnostic(&Self::META, responses_at(operation), message(operation))
                    .with_help(help()),
            );
        }
    }
}

fn has_rate_limit_header(response: &Response) -> bool {
    response.headers.iter().any(|h| {
        let lower = h.to_ascii_lowercase();
        let name = lower.strip_prefix("x-").unwrap_or(&lower);
        name.starts_with("ratelimit") || name.starts_with("rate-limit")
    })
}

fn document_message(with: usize, total: usize) -> String {
    if with == 0 {
        "no success response declares rate-limit headers (RateLimit-* or X-RateLimit-*)".to_owned()
    } else {
        format!("only {with} of {total} operations declare rate-limit headers (RateLimit-* or X-RateLimit-*) on success")
    }
}

fn message(operation: &Operation) -> String {
    format!(
        "success responses of {} declare no rate-limit headers",
        operation.describe()
    )
}

fn help() -> &'static str {
    "declare `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (or `X-RateLimit-*`) on success responses"
}
