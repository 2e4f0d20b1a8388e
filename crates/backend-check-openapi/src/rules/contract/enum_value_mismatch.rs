use std::collections::HashSet;

use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::load::{At, NodeId, Tree, Value};
use crate::model::Types;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks the `enum` of every schema (and every Swagger 2.0 parameter and
    /// header): a value listed twice, or a value that is not of the schema's
    /// `type` (`"1"` in an integer enum, `1` in a string enum). A `null`
    /// value is accepted when the schema is nullable (3.0 `nullable: true`,
    /// 3.1 `type: [..., 'null']`), as the OpenAPI 3.0 clarification asks.
    ///
    /// ## Why is this bad?
    /// A duplicate is harmless to validators but shows a copy-paste slip, and
    /// code generators emit the enum variant twice and fail to compile. A
    /// value of the wrong type can never validate: clients that send it are
    /// rejected, and generators drop it or produce an enum that does not
    /// compile.
    ///
    /// ## Example
    /// ```yaml
    /// status:
    ///   type: string
    ///   enum: [active, disabled, active, 3]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// status:
    ///   type: string
    ///   enum: [active, disabled, archived]
    /// ```
    ///
    /// ## Options
    /// None.
    pub EnumValueMismatch {
        code: "OAS067",
        name: "enum-value-mismatch",
        checklist: ApiContract,
        group: Correctness,
        severity: Warning,
        summary: "an enum value listed twice, or not of the schema's type",
    }
}

impl EnumValueMismatch {
    /// Reports duplicate and mistyped enum values, each schema once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for node in &cx.api.schemas(cx.docs).nodes {
            let tree = cx.docs.tree(node.at.file);
            let Some(list) = tree.get_value(node.at.node, "enum") else {
                continue;
            };
            let types = Types::of(tree, node.at.node);
            let mut seen = HashSet::new();
            let mut duplicates = Vec::new();
            let mut mistyped = Vec::new();
            for item in tree.items(list) {
                let value = tree.value(*item);
                if !seen.insert(canonical(value)) {
                    duplicates.push(*item);
                } else if !types.is_empty() && !types.admit(value) {
                    mistyped.push(*item);
                }
            }
            if let Some(first) = duplicates.first() {
                let at = At::new(node.at.file, *first);
                sink.push(diagnostic(cx, at, duplicate_message(tree, &duplicates)));
            }
            if let Some(first) = mistyped.first() {
                let at = At::new(node.at.file, *first);
                sink.push(diagnostic(cx, at, type_message(tree, &mistyped, types)));
            }
        }
    }
}

/// A comparable form of a scalar; collections compare by position only.
fn canonical(value: &Value<'_>) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("bool:{b}"),
        Value::Number(n) => format!(
            "number:{}",
            n.parse::<f64>()
                .map_or_else(|_| n.to_string(), |f| f.to_string())
        ),
        Value::String(s) => format!("string:{s}"),
        Value::Mapping(c) | Value::Sequence(c) => format!("collection:{c:?}"),
        Value::Alias(a) => format!("alias:{a:?}"),
    }
}

fn shown(tree: &Tree<'_>, item: NodeId) -> String {
    match tree.value(item) {
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => n.to_string(),
        other => other.kind_name().to_owned(),
    }
}

/// The distinct values of some items, shown, at most four and a count.
fn listed(tree: &Tree<'_>, items: &[NodeId]) -> String {
    let mut shown_values: Vec<String> = Vec::new();
    for item in items {
        let text = shown(tree, *item);
        if !shown_values.contains(&text) {
            shown_values.push(text);
        }
    }
    let more = shown_values.len().saturating_sub(4);
    shown_values.truncate(4);
    let mut out = shown_values.join(", ");
    if more > 0 {
        out.push_str(&format!(" and {more} more"));
    }
    out
}

fn duplicate_message(tree: &Tree<'_>, duplicates: &[NodeId]) -> String {
    format!("enum lists {} more than once", listed(tree, duplicates))
}

fn type_message(tree: &Tree<'_>, mistyped: &[NodeId], types: Types) -> String {
    let kind = mistyped
        .first()
        .map_or("value", |i| tree.value(*i).kind_name());
    let described = types.describe();
    let article = if described.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    let plural = if mistyped.len() > 1 {
        "values"
    } else {
        "value"
    };
    format!(
        "enum of {article} {described} schema lists {kind} {plural} {}",
        listed(tree, mistyped)
    )
}

fn diagnostic(cx: &Context<'_>, at: At, message: String) -> Diagnostic {
    cx.diagnostic(&EnumValueMismatch::META, at, message)
        .with_help("list each value once, written as the schema's `type` (quote strings, do not quote numbers)")
}
