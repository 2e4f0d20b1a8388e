use backend_check_core::{declare_rule, Sink};

use crate::model::{child, Operation, Response};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds responses whose `description` is empty or only whitespace
    /// (`description: ''`), written to satisfy the schema without saying
    /// anything. A response with no `description` at all breaks the OpenAPI
    /// schema and is reported by structural validation instead.
    ///
    /// ## Why is this bad?
    /// The description is the only place that says when a status is returned:
    /// which validation failed for a 422, what conflicts for a 409. An empty one
    /// leaves client authors to find out from production traffic.
    ///
    /// ## Example
    /// ```yaml
    /// responses:
    ///   '409':
    ///     description: ''
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// responses:
    ///   '409':
    ///     description: an order with this idempotency key exists with other content
    /// ```
    ///
    /// ## Options
    /// None.
    pub BlankResponseDescription {
        code: "OAS034",
        name: "blank-response-description",
        checklist: ApiDocs,
        group: Pedantic,
        severity: Info,
        summary: "a response whose description is empty",
    }
}

impl BlankResponseDescription {
    /// Reports each written response with an empty description once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for (operation, response) in cx.api.distinct_responses() {
            let Some(at) = child(cx.docs, response.node, "description") else {
                continue;
            };
            let blank = cx
                .docs
                .tree(at.file)
                .str(at.node)
                .is_some_and(|t| t.trim().is_empty());
            if blank {
                sink.push(
                    cx.diagnostic(&Self::META, at, message(operation, response))
                        .with_help(help()),
                );
            }
        }
    }
}

fn message(operation: &Operation, response: &Response) -> String {
    format!(
        "response {} of {} has an empty description",
        response.status,
        operation.describe()
    )
}

fn help() -> &'static str {
    "say when the status is returned and what the body holds"
}
