use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::OperationKind;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds paths with an empty template expression, `{}`, which names no
    /// parameter: `/orders/{}` or `/files/{}.json`. Each path is reported once.
    ///
    /// ## Why is this bad?
    /// A template expression must name a path parameter, or no parameter can
    /// fill it. Tools treat `{}` as a literal, fail to generate a client method,
    /// or match every request to the path. It is usually a parameter name that
    /// was deleted by mistake.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/{}:
    ///     get: {}
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
    pub EmptyPathTemplate {
        code: "OAS046",
        name: "empty-path-template",
        checklist: ApiRestful,
        group: Correctness,
        severity: Error,
        summary: "a path with an empty template expression `{}`",
    }
}

impl EmptyPathTemplate {
    /// Reports each path with `{}` once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        for operation in &cx.api.operations {
            if operation.kind == OperationKind::Path
                && is_empty_template(&operation.name)
                && seen.insert(operation.name_key)
            {
                sink.push(
                    cx.diagnostic(&Self::META, operation.name_key, message(&operation.name))
                        .with_help(help()),
                );
            }
        }
    }
}

fn is_empty_template(path: &str) -> bool {
    path.split('{')
        .skip(1)
        .any(|rest| rest.trim_start().starts_with('}'))
}

fn message(path: &str) -> String {
    format!("path \"{path}\" has an empty template expression `{{}}`")
}

fn help() -> &'static str {
    "name the parameter in the braces (`{orderId}`) and declare it with `in: path`"
}

#[cfg(test)]
mod tests {
    use super::is_empty_template;

    #[test]
    fn templates() {
        assert!(is_empty_template("/orders/{}"));
        assert!(is_empty_template("/files/{ }.json"));
        assert!(!is_empty_template("/orders/{id}"));
        assert!(!is_empty_template("/orders"));
    }
}
