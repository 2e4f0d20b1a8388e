use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::Operation;
use crate::rules::lookup::document_key;
use crate::rules::words::count;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds operations without an `operationId`. When most operations of the
    /// document have none, that is the document's way, and it gets a single
    /// finding instead of one per operation.
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
        let mut all = HashSet::new();
        let total = cx
            .api
            .operations
            .iter()
            .filter(|o| all.insert(o.node))
            .count();
        // When most operations go without one, that is the document's way:
        // one finding says so instead of one per operation.
        if missing.len() > 1 && missing.len() * 2 > total {
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    document_key(cx),
                    document_message(missing.len(), total),
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

fn document_message(missing: usize, total: usize) -> String {
    if missing == total {
        return format!(
            "none of the {} has an operationId",
            count(total, "operation")
        );
    }
    format!("{missing} of the {total} operations have no operationId")
}

fn help() -> &'static str {
    "give each operation a unique, stable `operationId` (e.g. `listOrders`)"
}
