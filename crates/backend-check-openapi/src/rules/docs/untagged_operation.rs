use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::Operation;
use crate::rules::lookup::{document_key, operation_tags};
use crate::rules::words::count;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations without `tags`. When no operation of the document is
    /// tagged, the document gets a single finding instead of one per operation.
    ///
    /// ## Why is this bad?
    /// Documentation tools group operations by tag, and SDK generators often
    /// split clients by tag (`client.orders.list()`). An untagged operation
    /// lands in a catch-all "default" group, away from the resource it belongs to.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       operationId: listOrders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       operationId: listOrders
    ///       tags: [orders]
    /// ```
    ///
    /// ## Options
    /// None.
    pub UntaggedOperation {
        code: "OAS045",
        name: "untagged-operation",
        checklist: ApiDocs,
        group: Pedantic,
        severity: Info,
        summary: "an operation without tags",
    }
}

impl UntaggedOperation {
    /// Reports untagged operations, once per document when none is tagged.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let mut tagged = false;
        let mut untagged: Vec<&Operation> = Vec::new();
        for operation in &cx.api.operations {
            if !seen.insert(operation.node) {
                continue;
            }
            if operation_tags(cx, operation).is_empty() {
                untagged.push(operation);
            } else {
                tagged = true;
            }
        }
        if !tagged && untagged.len() > 1 {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(untagged.len()),
                )
                .with_help(help()),
            );
            return;
        }
        for operation in untagged {
            sink.push(
                cx.diagnostic(&Self::META, operation.method_key, message(operation))
                    .with_help(help()),
            );
        }
    }
}

fn message(operation: &Operation) -> String {
    format!("{} has no tags", operation.describe())
}

fn document_message(operations: usize) -> String {
    format!("none of the {} has tags", count(operations, "operation"))
}

fn help() -> &'static str {
    "tag each operation with the resource it belongs to, and declare the tag at the top level"
}
