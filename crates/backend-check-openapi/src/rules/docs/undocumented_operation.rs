use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::Operation;
use crate::rules::lookup::has_text;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations with neither a `summary` nor a `description` (blank
    /// text counts as none). Webhooks are checked too.
    ///
    /// ## Why is this bad?
    /// The summary is the line documentation tools, API consoles and generated
    /// SDKs show for the operation; the description says what it does, what
    /// it changes and when it fails. Without either, readers have only the
    /// path and the method to guess from.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/{id}/cancel:
    ///     post:
    ///       responses:
    ///         '204': {description: cancelled}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders/{id}/cancel:
    ///     post:
    ///       summary: Cancel an order
    ///       description: Cancels an order that has not shipped yet and refunds its payment.
    ///       responses:
    ///         '204': {description: cancelled}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UndocumentedOperation {
        code: "OAS031",
        name: "undocumented-operation",
        checklist: ApiDocs,
        group: Pedantic,
        severity: Info,
        summary: "an operation with neither summary nor description",
    }
}

impl UndocumentedOperation {
    /// Reports each written operation without summary or description once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        for operation in &cx.api.operations {
            let documented = has_text(cx, operation.node, "summary")
                || has_text(cx, operation.node, "description");
            if !documented && seen.insert(operation.node) {
                sink.push(
                    cx.diagnostic(&Self::META, operation.method_key, message(operation))
                        .with_help(help()),
                );
            }
        }
    }
}

fn message(operation: &Operation) -> String {
    format!("{} has no summary or description", operation.describe())
}

fn help() -> &'static str {
    "add a one-line `summary`, and a `description` of what the operation does and when it fails"
}
