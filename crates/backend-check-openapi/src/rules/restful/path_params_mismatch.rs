use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::{Operation, OperationKind};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Compares the `{parameters}` of each path template with the `in: path`
    /// parameters its operations declare (their own and the path item's). A
    /// template parameter no operation parameter defines is reported on the
    /// operation; a declared path parameter that does not appear in the
    /// template is reported where it is written. A query string written into the
    /// path is OAS013's business, and its `{…}` are not path parameters.
    ///
    /// ## Why is this bad?
    /// Clients build URLs from the declared parameters. An undefined template
    /// parameter leaves `{id}` in the URL clients call; a declared one that is
    /// not in the template is a required value that goes nowhere. Both usually
    /// come from renaming a parameter in one place only.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/{orderId}:
    ///     get:
    ///       parameters:
    ///         - {name: id, in: path, required: true, schema: {type: string}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders/{orderId}:
    ///     get:
    ///       parameters:
    ///         - {name: orderId, in: path, required: true, schema: {type: string}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub PathParamsMismatch {
        code: "OAS012",
        name: "path-params-mismatch",
        checklist: ApiRestful,
        group: Correctness,
        severity: Error,
        summary: "a path template parameter that is not defined, or a path parameter that is not in the template",
    }
}

impl PathParamsMismatch {
    /// Reports template and declaration mismatches.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut reported = HashSet::new();
        for operation in &cx.api.operations {
            if operation.kind == OperationKind::Path {
                check_operation(cx, operation, &mut reported, sink);
            }
        }
    }
}

fn check_operation(
    cx: &Context<'_>,
    operation: &Operation,
    reported: &mut HashSet<crate::load::At>,
    sink: &mut Sink<'_>,
) {
    let rule = &PathParamsMismatch::META;
    let template = template_names(&operation.name);
    let declared: Vec<_> = operation
        .parameters
        .iter()
        .filter(|p| p.location == "path")
        .collect();
    for name in &template {
        if !declared.iter().any(|p| p.name == *name) {
            sink.push(
                cx.diagnostic(
                    rule,
                    operation.method_key,
                    undefined_message(operation, name),
                )
                .with_help(undefined_help(name)),
            );
        }
    }
    for parameter in declared {
        if !template.contains(&parameter.name.as_str()) && reported.insert(parameter.node) {
            let at = crate::model::child(cx.docs, parameter.node, "name").unwrap_or(parameter.node);
            sink.push(
                cx.diagnostic(rule, at, unused_message(operation, &parameter.name))
                    .with_help(unused_help()),
            );
        }
    }
}

/// The names in `{…}` of a path template.
pub fn template_names(path: &str) -> Vec<&str> {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

fn undefined_message(operation: &Operation, name: &str) -> String {
    format!(
        "path parameter \"{name}\" of {} is not defined",
        operation.describe()
    )
}

fn undefined_help(name: &str) -> String {
    format!(
        "declare `{{name: {name}, in: path, required: true}}` on the operation or its path item"
    )
}

fn unused_message(operation: &Operation, name: &str) -> String {
    format!(
        "path parameter \"{name}\" is not in the path template {}",
        operation.name
    )
}

fn unused_help() -> &'static str {
    "rename the parameter to match a `{…}` of the path, or declare it `in: query`/`in: header`"
}

#[cfg(test)]
mod tests {
    use super::template_names;

    #[test]
    fn names() {
        assert_eq!(template_names("/a/{id}/b/{sub_id}.json"), ["id", "sub_id"]);
        assert!(template_names("/a").is_empty());
        assert!(template_names("/search?q={q}").is_empty());
    }
}
