use backend_check_core::{declare_rule, Sink};

use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `204 No Content`, `205 Reset Content` and `304 Not Modified`
    /// responses that declare a body: a `content` with a media type (OpenAPI 3.x)
    /// or a `schema` (Swagger 2.0).
    ///
    /// ## Why is this bad?
    /// HTTP forbids a body on these statuses, and clients, proxies and browsers
    /// drop it or break on it. A schema here means either the status is wrong
    /// (the operation returns data, so `200`) or the schema is left over.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '204':
    ///     description: updated
    ///     content:
    ///       application/json:
    ///         schema: {$ref: '#/components/schemas/Pet'}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '200':
    ///     description: the updated pet
    ///     content:
    ///       application/json:
    ///         schema: {$ref: '#/components/schemas/Pet'}
    /// ```
    ///
    /// ## Options
    /// None.
    pub NoContentWithBody {
        code: "OAS010",
        name: "no-content-with-body",
        checklist: ApiStatusCodes,
        group: Correctness,
        severity: Warning,
        summary: "a 204, 205 or 304 response that declares a body",
    }
}

impl NoContentWithBody {
    /// Reports bodies on statuses that have none.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for (operation, response) in cx.api.distinct_responses() {
            let bodiless = matches!(response.status.as_str(), "204" | "205" | "304");
            if bodiless && response.has_body {
                sink.push(
                    cx.diagnostic(
                        &Self::META,
                        response.key,
                        message(&response.status, &operation.describe()),
                    )
                    .with_help(help(&response.status)),
                );
            }
        }
    }
}

fn message(status: &str, operation: &str) -> String {
    format!("{status} response of {operation} declares a body, which HTTP does not allow")
}

fn help(status: &str) -> String {
    if status == "304" {
        "remove the body from the 304 response; the client reuses its cached copy".to_owned()
    } else {
        format!(
            "remove the body, or return `200` when the operation sends data instead of `{status}`"
        )
    }
}
