use backend_check_core::{declare_rule, Sink};

use crate::load::{At, Value};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds names in a schema's `required` list that none of its
    /// `properties` declares. Only closed-form schemas are checked: a schema
    /// with `properties`, no `allOf`/`oneOf`/`anyOf`, no `additionalProperties`
    /// or `patternProperties` that could hold the name, and that is not itself
    /// a member of a composition (an `allOf` part may require what a sibling
    /// declares).
    ///
    /// ## Why is this bad?
    /// The name is usually a typo or a property that was renamed or removed:
    /// validators then reject every object (the required key can never be
    /// written with a known type), while generated clients have no field for
    /// it and cannot send it.
    ///
    /// ## Example
    /// ```yaml
    /// Customer:
    ///   type: object
    ///   required: [id, emailAddress]
    ///   properties:
    ///     id: {type: string}
    ///     email: {type: string, format: email}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// Customer:
    ///   type: object
    ///   required: [id, email]
    ///   properties:
    ///     id: {type: string}
    ///     email: {type: string, format: email}
    /// ```
    ///
    /// ## Options
    /// None.
    pub RequiredPropertyUndefined {
        code: "OAS084",
        name: "required-property-undefined",
        checklist: ApiContract,
        group: Nursery,
        severity: Warning,
        summary: "a `required` name that no property of the schema declares",
    }
}

/// Keywords that let a schema hold or describe properties not in `properties`.
const OPEN_KEYWORDS: &[&str] = &[
    "allOf",
    "oneOf",
    "anyOf",
    "patternProperties",
    "dependentSchemas",
    "if",
    "$ref",
    "unevaluatedProperties",
];

impl RequiredPropertyUndefined {
    /// Reports each undeclared required name, schema by schema.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for node in &cx.api.schemas(cx.docs).nodes {
            if node.in_composition {
                continue;
            }
            let tree = cx.docs.tree(node.at.file);
            let schema = node.at.node;
            let (Some(required), Some(properties)) = (
                tree.get_value(schema, "required"),
                tree.get_value(schema, "properties"),
            ) else {
                continue;
            };
            let open = OPEN_KEYWORDS
                .iter()
                .any(|k| tree.get_value(schema, k).is_some())
                || tree
                    .get_value(schema, "additionalProperties")
                    .is_some_and(|a| !matches!(tree.value(a), Value::Bool(false)));
            if open || !tree.is_mapping(properties) {
                continue;
            }
            for item in tree.items(required) {
                let Some(name) = tree.str(*item) else {
                    continue;
                };
                if tree.get(properties, name).is_some() {
                    continue;
                }
                let at = At::new(node.at.file, *item);
                let diagnostic = cx.diagnostic(&Self::META, at, message(name)).with_help(
                    "declare the property under `properties`, or fix the name in `required`",
                );
                sink.push(diagnostic);
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("required property \"{name}\" is not declared in `properties`")
}
