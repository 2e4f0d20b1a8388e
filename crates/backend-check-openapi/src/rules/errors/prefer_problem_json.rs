use backend_check_core::{declare_rule, Sink};

use crate::model::{Operation, Response};
use crate::rules::status::is_error;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Notes, once per document, error responses (`4xx`, `5xx`, `default`)
    /// with a body when none of them uses the `application/problem+json` (or
    /// `application/problem+xml`) media type of RFC 9457. The finding points
    /// at the first error response with a body. Swagger 2.0 documents are
    /// checked through their `produces` lists.
    ///
    /// ## Why is this bad?
    /// Problem Details is the standard error format of HTTP APIs: `type`,
    /// `title`, `status`, `detail` and `instance`, extensible with your own
    /// fields. Clients, gateways and libraries (axum, Spring, ASP.NET) already
    /// understand it; a home-grown format has to be learned per API.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '404':
    ///     description: no such order
    ///     content:
    ///       application/json:
    ///         schema: {$ref: '#/components/schemas/Error'}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '404':
    ///     description: no such order
    ///     content:
    ///       application/problem+json:
    ///         schema: {$ref: '#/components/schemas/Problem'}
    /// ```
    ///
    /// ## Options
    /// None.
    pub PreferProblemJson {
        code: "OAS041",
        name: "prefer-problem-json",
        checklist: ApiErrors,
        group: Pedantic,
        severity: Info,
        summary: "error responses that do not use application/problem+json",
    }
}

impl PreferProblemJson {
    /// Notes a document whose error bodies never use problem+json.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut first: Option<(&Operation, &Response)> = None;
        let mut count = 0;
        for (operation, response) in cx.api.distinct_responses() {
            if !is_error(response) || !response.has_body {
                continue;
            }
            if response.is_problem_json() {
                return;
            }
            count += 1;
            first.get_or_insert((operation, response));
        }
        if let Some((operation, response)) = first {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    response.key,
                    message(operation, response, count),
                )
                .with_help(help()),
            );
        }
    }
}

fn message(operation: &Operation, response: &Response, count: usize) -> String {
    format!(
        "no error response uses application/problem+json ({} with a body, the first is {} of {})",
        crate::rules::words::count(count, "error response"),
        response.status,
        operation.describe()
    )
}

fn help() -> &'static str {
    "answer errors with `application/problem+json` (RFC 9457 Problem Details)"
}
