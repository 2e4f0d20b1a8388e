use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::{Method, Operation, Response};
use crate::rules::lookup::document_key;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `4xx` and `5xx` responses (and `4XX`/`5XX` ranges) that declare no
    /// body. Responses of HEAD operations, which never carry one, are not
    /// checked. Each written response is reported once, where it is first used.
    /// When no error response of the document has a body, the document gets a
    /// single finding instead.
    ///
    /// ## Why is this bad?
    /// A status code says that a request failed, the body says why: which field
    /// is invalid, which limit was hit, what to do next. An error without a
    /// declared body leaves clients to show "400 Bad Request" to users, and
    /// leaves generated SDKs without an error type.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '422':
    ///     description: the order is invalid
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '422':
    ///     description: the order is invalid
    ///     content:
    ///       application/problem+json:
    ///         schema: {$ref: '#/components/schemas/Problem'}
    /// ```
    ///
    /// ## Options
    /// None.
    pub ErrorWithoutBody {
        code: "OAS040",
        name: "error-without-body",
        checklist: ApiErrors,
        group: Pedantic,
        severity: Warning,
        summary: "a 4xx or 5xx response that declares no body",
    }
}

impl ErrorWithoutBody {
    /// Reports error responses without a body.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let mut any_body = false;
        let mut bodiless: Vec<(&Operation, &Response)> = Vec::new();
        for (operation, response) in cx.api.distinct_responses() {
            if !is_4xx_5xx(&response.status) || operation.method == Method::Head {
                continue;
            }
            if response.has_body {
                any_body = true;
            } else if seen.insert(response.node) {
                bodiless.push((operation, response));
            }
        }
        if bodiless.is_empty() {
            return;
        }
        if !any_body && bodiless.len() > 1 {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(bodiless.len()),
                )
                .with_help(help()),
            );
            return;
        }
        for (operation, response) in bodiless {
            sink.push(
                cx.diagnostic(&Self::META, response.key, message(operation, response))
                    .with_help(help()),
            );
        }
    }
}

fn is_4xx_5xx(status: &str) -> bool {
    status.len() == 3 && (status.starts_with('4') || status.starts_with('5'))
}

fn message(operation: &Operation, response: &Response) -> String {
    format!(
        "error response {} of {} declares no body",
        response.status,
        operation.describe()
    )
}

fn document_message(count: usize) -> String {
    format!("none of the {count} error responses of the document declares a body")
}

fn help() -> &'static str {
    "declare the error body (`content` with a schema in 3.x, `schema` in 2.0), ideally one shared error schema"
}
