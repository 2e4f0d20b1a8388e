use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::{child, Operation, Parameter, Types};
use crate::rules::Context;

use super::{folded, SIZE_NAMES};

declare_rule! {
    /// ## What it does
    /// Finds page-size parameters (`limit`, `per_page`, `pageSize`, `size`,
    /// `count`, `max_results`, `$top`, `first`, …) that are integers without
    /// a `maximum`. Each name is reported once, at its first parameter, with
    /// the count of the others.
    ///
    /// ## Why is this bad?
    /// Pagination exists to bound the work of one request; `?limit=10000000`
    /// undoes it. Servers usually cap the value anyway, but a cap the
    /// contract does not state surprises clients (they ask for 500 and get
    /// 100 without knowing why) and is easy to lose in a refactor.
    ///
    /// ## Example
    /// ```yaml
    /// parameters:
    ///   - {name: limit, in: query, schema: {type: integer, minimum: 1}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// parameters:
    ///   - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100, default: 20}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnboundedPageSize {
        code: "OAS072",
        name: "unbounded-page-size",
        checklist: ApiPagination,
        group: Pedantic,
        severity: Warning,
        summary: "a page-size parameter (limit, per_page, …) without a maximum",
    }
}

impl UnboundedPageSize {
    /// Reports page-size parameters without a maximum, once per written parameter.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let mut by_name: Vec<(&Operation, &Parameter, usize)> = Vec::new();
        for operation in &cx.api.operations {
            for parameter in &operation.parameters {
                let size = SIZE_NAMES.contains(&folded(&parameter.name).as_str());
                if parameter.location == "query"
                    && size
                    && lacks_maximum(cx, parameter)
                    && seen.insert(parameter.node)
                {
                    match by_name
                        .iter_mut()
                        .find(|(_, p, _)| p.name == parameter.name)
                    {
                        Some(first) => first.2 += 1,
                        None => by_name.push((operation, parameter, 0)),
                    }
                }
            }
        }
        for (operation, parameter, more) in by_name {
            let at = child(cx.docs, parameter.node, "name").unwrap_or(parameter.node);
            sink.push(
                cx.diagnostic(&Self::META, at, message(parameter, operation, more))
                    .with_help("add a `maximum` (and a `default`) to the page size"),
            );
        }
    }
}

fn lacks_maximum(cx: &Context<'_>, parameter: &Parameter) -> bool {
    let Some(schema) = parameter.schema else {
        return false;
    };
    let schema = cx.docs.follow(schema);
    let tree = cx.docs.tree(schema.file);
    let types = Types::of(tree, schema.node);
    let numeric = types.contains(Types::INTEGER) || types.contains(Types::NUMBER);
    let bounded = ["maximum", "exclusiveMaximum", "enum", "const"]
        .iter()
        .any(|k| tree.get_value(schema.node, k).is_some());
    numeric && !bounded
}

fn message(parameter: &Parameter, operation: &Operation, more: usize) -> String {
    let others = match more {
        0 => String::new(),
        1 => " (nor does 1 more parameter of that name)".to_owned(),
        n => format!(" (nor do {n} more parameters of that name)"),
    };
    format!(
        "page size \"{}\" of {} has no maximum{others}",
        parameter.name,
        operation.describe()
    )
}
