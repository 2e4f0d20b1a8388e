use backend_check_core::{declare_rule, Sink};

use crate::model::{Operation, Response};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `429 Too Many Requests` responses that declare no `Retry-After`
    /// header, nor a `RateLimit-Reset` / `X-RateLimit-Reset` header that says
    /// when the limit resets. Each response is reported once, where it is first
    /// used when operations share it through a `$ref`.
    ///
    /// ## Why is this bad?
    /// A client that is throttled needs to know when to try again. Without the
    /// header it retries at once, making the overload worse, or backs off for
    /// an arbitrary time. `Retry-After` is the standard header for it (RFC 9110).
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '429':
    ///     description: too many requests
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '429':
    ///     description: too many requests
    ///     headers:
    ///       Retry-After:
    ///         description: seconds to wait before retrying
    ///         schema: {type: integer}
    /// ```
    ///
    /// ## Options
    /// None.
    pub MissingRetryAfter {
        code: "OAS037",
        name: "missing-retry-after",
        checklist: ApiRateLimit,
        group: Pedantic,
        severity: Warning,
        summary: "a 429 response without a Retry-After header",
    }
}

impl MissingRetryAfter {
    /// Reports 429 responses that do not say when to retry.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = std::collections::HashSet::new();
        for (operation, response) in cx.api.distinct_responses() {
            let says_when = ["Retry-After", "RateLimit-Reset", "X-RateLimit-Reset"]
                .iter()
                .any(|h| response.has_header(h));
            if response.status == "429" && !says_when && seen.insert(response.node) {
                sink.push(
                    cx.diagnostic(&Self::META, response.key, message(operation, response))
                        .with_help(help()),
                );
            }
        }
    }
}

fn message(operation: &Operation, response: &Response) -> String {
    format!(
        "response {} of {} has no Retry-After header",
        response.status,
        operation.describe()
    )
}

fn help() -> &'static str {
    "declare a `Retry-After` header (seconds or an HTTP date) on the 429 response"
}
