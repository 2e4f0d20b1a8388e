use backend_check_core::{declare_rule, Sink};

use crate::load::{NodeId, Tree};
use crate::model::Types;
use crate::rules::Context;

use super::{format_of, has, is_enumerated, report, Wording};

declare_rule! {
    /// ## What it does
    /// Finds integers and numbers the API accepts (in parameters and request
    /// bodies) without a `minimum` or a `maximum` (`exclusiveMinimum` and
    /// `exclusiveMaximum` count; an `enum` or `const` bounds them too), and
    /// integers without a `format` (`int32`, `int64`). Each schema is reported
    /// once where it is written, with the properties concerned and what each
    /// lacks; response schemas and `readOnly` properties are not checked.
    ///
    /// ## Why is this bad?
    /// Without bounds, `quantity: -5` or `page_size: 100000000` is valid input:
    /// negative amounts, huge allocations, and integers that overflow the
    /// server's `i32` or the database column. Without a format, client
    /// generators pick a width at random and JavaScript clients lose
    /// precision above 2^53. The bounds document what the handler accepts
    /// and let validators enforce it (OWASP API4:2023).
    ///
    /// ## Example
    /// ```yaml
    /// properties:
    ///   quantity: {type: integer}
    ///   price: {type: number}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// properties:
    ///   quantity: {type: integer, format: int32, minimum: 1, maximum: 1000}
    ///   price: {type: number, minimum: 0, maximum: 1000000}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnboundedNumber {
        code: "OAS062",
        name: "unbounded-number",
        checklist: SecInput,
        group: Pedantic,
        severity: Info,
        summary: "an integer or number in a parameter or request body without minimum/maximum, or an integer without format",
    }
}

impl UnboundedNumber {
    /// Reports unbounded request numbers, once per schema group.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let wording = Wording {
            rule: &Self::META,
            plural: "numbers without bounds",
            list_details: true,
            label: "unbounded number",
            help: "add `minimum` and `maximum` to every number the API accepts, and `format: int32` or `int64` to integers",
        };
        report(cx, sink, &wording, |tree, schema, _| gap(tree, schema));
    }
}

fn gap(tree: &Tree<'_>, schema: NodeId) -> Option<String> {
    let types = Types::of(tree, schema);
    let integer = types.contains(Types::INTEGER);
    if !integer && !types.contains(Types::NUMBER) {
        return None;
    }
    let mut missing = Vec::new();
    if !is_enumerated(tree, schema) {
        if !has(tree, schema, "minimum") && !is_number(tree, schema, "exclusiveMinimum") {
            missing.push("minimum");
        }
        if !has(tree, schema, "maximum") && !is_number(tree, schema, "exclusiveMaximum") {
            missing.push("maximum");
        }
    }
    if integer && format_of(tree, schema).is_none() {
        missing.push("format");
    }
    let noun = if integer { "integer" } else { "number" };
    match missing.as_slice() {
        [] => None,
        [one] => Some(format!("{noun} without {one}")),
        [init @ .., last] => Some(format!("{noun} without {} and {last}", init.join(", "))),
    }
}

/// 3.1 `exclusiveMinimum: 0` bounds; 3.0 `exclusiveMinimum: true` needs `minimum`.
fn is_number(tree: &Tree<'_>, schema: NodeId, key: &str) -> bool {
    tree.get_value(schema, key)
        .is_some_and(|v| matches!(tree.value(v), crate::load::Value::Number(_)))
}
