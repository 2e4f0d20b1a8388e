use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::model::Operation;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations whose `responses` declare no success: no `2xx` or `3xx`
    /// status code (`200`, `"201"`, the ranges `2XX` and `3XX`), and operations
    /// with no `responses` at all. A `default` response alone does not count; `101`
    /// (Switching Protocols) does, since it is the success of a WebSocket or other
    /// protocol upgrade endpoint. It
    /// checks every operation under `paths` in Swagger 2.0, OpenAPI 3.0 and 3.1,
    /// and under `webhooks` in 3.1.
    ///
    /// ## Why is this bad?
    /// Clients and generated SDKs learn from the spec what a successful call looks
    /// like: its status and its body. Without a success response, generators fall
    /// back to untyped results or treat every reply as an error, mock servers cannot
    /// answer, and contract tests have nothing to hold the implementation to.
    /// Usually the happy path was simply forgotten while error responses were added.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     post:
    ///       responses:
    ///         '400':
    ///           description: invalid pet
    ///         default:
    ///           description: unexpected error
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     post:
    ///       responses:
    ///         '201':
    ///           description: the pet was created
    ///         '400':
    ///           description: invalid pet
    ///         default:
    ///           description: unexpected error
    /// ```
    ///
    /// ## Options
    /// None. An operation whose only response is a `default` with a free-form body
    /// (`*/*`, `application/octet-stream`, `text/plain`: no JSON or XML error
    /// document) is not reported: that is how generators such as dropshot describe a
    /// download, and the `default` is its success. To accept one operation without a success response (a fire-and-forget
    /// endpoint documented elsewhere), put `x-backend-check-allow: [OAS001]` on the
    /// operation.
    pub NoSuccessResponse {
        code: "OAS001",
        name: "no-success-response",
        checklist: ApiStatusCodes,
        group: Suspicious,
        severity: Error,
        summary: "an operation that declares no 2xx or 3xx response",
    }
}

impl NoSuccessResponse {
    /// Reports each operation without a success response.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for operation in &cx.api.operations {
            if let Some(diagnostic) = Self::check_operation(cx, operation) {
                sink.push(diagnostic);
            }
        }
    }

    fn check_operation(cx: &Context<'_>, operation: &Operation) -> Option<Diagnostic> {
        let Some(responses_key) = operation.responses_key else {
            return Some(
                cx.diagnostic(
                    &Self::META,
                    operation.method_key,
                    missing_message(operation),
                )
                .with_help(missing_help()),
            );
        };
        if operation
            .responses
            .iter()
            .any(|r| is_success_status(&r.status))
        {
            return None;
        }
        if default_is_a_download(operation) {
            return None;
        }
        let diagnostic = cx
            .diagnostic(&Self::META, responses_key, message(operation))
            .with_help(help());
        Some(match operation.response("default") {
            Some(default) => cx.label(diagnostic, default.key, default_label()),
            None => diagnostic,
        })
    }
}

/// Whether the operation's only response is a `default` with a free-form body
/// (`*/*`, `application/octet-stream`, `text/…`: no JSON or XML error
/// document), which is how generators such as dropshot describe a download or
/// a raw response: that `default` is the success.
fn default_is_a_download(operation: &Operation) -> bool {
    let [only] = operation.responses.as_slice() else {
        return false;
    };
    only.status == "default"
        && !only.media_types.is_empty()
        && only.media_types.iter().all(|m| {
            let m = m.to_ascii_lowercase();
            !m.contains("json") && !m.contains("xml")
        })
}

/// `200`–`399`, the ranges `2XX` and `3XX` (any case), or `101` (a protocol upgrade).
pub fn is_success_status(key: &str) -> bool {
    let bytes = key.trim().as_bytes();
    if bytes == b"101" {
        return true;
    }
    let [class, rest @ ..] = bytes else {
        return false;
    };
    if rest.len() != 2 || !matches!(class, b'2' | b'3') {
        return false;
    }
    rest.iter().all(u8::is_ascii_digit) || rest.eq_ignore_ascii_case(b"XX")
}

fn message(operation: &Operation) -> String {
    format!(
        "{} has no success (2xx or 3xx) response",
        operation.describe()
    )
}

fn missing_message(operation: &Operation) -> String {
    format!(
        "{} has no responses, so no success (2xx or 3xx) response",
        operation.describe()
    )
}

fn help() -> &'static str {
    "declare the status the operation returns on success, e.g. `200` with its body or `204` without one"
}

fn missing_help() -> &'static str {
    "add `responses` with the success status the operation returns, e.g. `200` with its body"
}

fn default_label() -> &'static str {
    "`default` covers unexpected outcomes, not the success"
}

#[cfg(test)]
mod tests {
    use super::is_success_status;

    #[test]
    fn success_statuses() {
        for key in [
            "200", "201", "204", "299", "301", "304", "2XX", "3xx", " 200",
        ] {
            assert!(is_success_status(key), "{key}");
        }
        for key in [
            "default", "400", "1XX", "4XX", "20", "2000", "2X", "", "x-200", "5XX",
        ] {
            assert!(!is_success_status(key), "{key}");
        }
    }
}
