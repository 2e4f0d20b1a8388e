use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `operationId`s used by more than one operation of a document
    /// (paths and 3.1 webhooks). Every repeat is reported, pointing back at the
    /// first use when it is in the same file.
    ///
    /// ## Why is this bad?
    /// The operationId is the operation's name in generated clients and servers,
    /// in links, and in gateway and monitoring configuration. The specification
    /// requires it to be unique; with a duplicate, generators overwrite one method
    /// with the other or fail, and links point at the wrong operation.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       operationId: getOrders
    ///   /archive/orders:
    ///     get:
    ///       operationId: getOrders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       operationId: listOrders
    ///   /archive/orders:
    ///     get:
    ///       operationId: listArchivedOrders
    /// ```
    ///
    /// ## Options
    /// None.
    pub DuplicateOperationId {
        code: "OAS014",
        name: "duplicate-operation-id",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "an operationId used by more than one operation",
    }
}

impl DuplicateOperationId {
    /// Reports every repeated operationId.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut first: HashMap<&str, At> = HashMap::new();
        for operation in &cx.api.operations {
            let Some((id, at)) = &operation.operation_id else {
                continue;
            };
            match first.get(id.as_str()) {
                None => {
                    first.insert(id, *at);
                }
                Some(earlier) if earlier == at => {}
                Some(earlier) => {
                    let diagnostic = cx
                        .diagnostic(&Self::META, *at, message(id, &operation.describe()))
                        .with_help(help());
                    sink.push(cx.label(diagnostic, *earlier, "first used here"));
                }
            }
        }
    }
}

fn message(id: &str, operation: &str) -> String {
    format!("operationId \"{id}\" of {operation} is already used by another operation")
}

fn help() -> &'static str {
    "give each operation its own operationId; generated clients use it as the method name"
}
