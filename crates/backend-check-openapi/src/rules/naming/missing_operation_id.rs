use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::Operation;
use crate::rules::support_a::{count, document_key};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations without an `operationId`. When no operation of the
    /// document has one, the document gets a single finding instead of one
    /// per operation.
    ///
    /// ## Why is this bad?
    /// The operationId is the stable name of an operation: SDK generators
    /// turn it into the method name (`client.listOrders()`), links and
    /// `operationRef`s point at it, and test and monitoring tools key on it.
    /// Without one, each tool invents a name from the path and the method, and
    /// renaming a path renames the method in every generated client.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       summary: List orders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       operationId: listOrders
    ///       summary: List orders
    /// ```
    ///
    /// ## Options
    /// None.
    pub MissingOperationId {
        code: "OAS044",
        name: "missing-operation-id",
        checklist: ApiNaming,
        group: Pedantic,
        severity: Warning,
        summary: "an operation without an operationId",
    }
}

impl MissingOperationId {
    /// Reports operations without operationId, once per document when none has one.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if !sink.enabled(&Self::META) {
            return;
        }
        let mut seen = HashSet::new();
        let missing: Vec<&Operation> = cx
            .api
            .operations
            .iter()
            .filter(|o| o.operation_id.is_none() && seen.insert(o.node))
            .collect();
        if missing.is_empty() {
            return;
        }
        let none_has = cx.api.operations.iter().all(|o| o.operation_id.is_none());
        if none_has && missing.len() > 1 {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(missing.len()),
                )
                .with_help(help()),
            );
            return;
        }
        for operation in missing {
            sink.push(
                cx.diagnostic(&Self::META, operation.method_key, message(operation))
                    .with_help(help()),
            );
        }
    }
}

fn message(operation: &Operation) -> String {
    format!("{} has no operationId", operation.describe())
}

fn document_message(operations: usize) -> String {
    format!(
        "none of the {} has an operationId",
        count(operations, "operation")
    )
}

fn help() -> &'static str {
    "give each operation a unique, stable `operationId` (e.g. `listOrders`)"
}
