use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::{child, Parameter};
use crate::rules::lookup::has_text;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds parameters (path, query, header, cookie; and 2.0 body and form
    /// parameters are bodies, not checked here) without a `description`. Each
    /// written parameter is reported once, also when several operations share
    /// it through a `$ref`.
    ///
    /// ## Why is this bad?
    /// A name and a type rarely say enough: which format a date takes, what
    /// `status=closed` includes, whether `limit` has a maximum, what a header
    /// is for. Readers and generated SDK docs have nothing else to go by.
    ///
    /// ## Example
    /// ```yaml
    /// parameters:
    ///   - {name: since, in: query, schema: {type: string}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// parameters:
    ///   - name: since
    ///     in: query
    ///     description: Only orders placed at or after this time (RFC 3339).
    ///     schema: {type: string, format: date-time}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UndocumentedParameter {
        code: "OAS032",
        name: "undocumented-parameter",
        checklist: ApiDocs,
        group: Pedantic,
        severity: Info,
        summary: "a parameter without description",
    }
}

impl UndocumentedParameter {
    /// Reports each parameter without description once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        for operation in &cx.api.operations {
            for parameter in &operation.parameters {
                if !has_text(cx, parameter.node, "description") && seen.insert(parameter.node) {
                    let at = child(cx.docs, parameter.node, "name").unwrap_or(parameter.node);
                    sink.push(
                        cx.diagnostic(&Self::META, at, message(parameter))
                            .with_help(help()),
                    );
                }
            }
        }
    }
}

fn message(parameter: &Parameter) -> String {
    format!(
        "{} parameter \"{}\" has no description",
        parameter.location, parameter.name
    )
}

fn help() -> &'static str {
    "describe what the parameter means, its format and its limits in `description`"
}
