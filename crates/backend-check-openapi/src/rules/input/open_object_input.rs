use backend_check_core::{declare_rule, Sink};

use crate::load::{NodeId, Tree, Value};
use crate::model::{SchemaNode, Types};
use crate::rules::Context;

use super::{has, report, Wording};

declare_rule! {
    /// ## What it does
    /// Finds objects the API accepts (in request bodies and parameters) that
    /// take any extra property: no `additionalProperties: false` (or 3.1
    /// `unevaluatedProperties: false`), and no `maxProperties` when
    /// additional properties are allowed. Objects that take part in
    /// `allOf`/`oneOf`/`anyOf` or carry a `discriminator` are left alone,
    /// since `additionalProperties: false` breaks composition there. Each
    /// schema is reported once where it is written; response schemas and
    /// `readOnly` properties are not checked.
    ///
    /// ## Why is this bad?
    /// An open object lets a client send fields the contract never
    /// mentioned. If the server binds the body to a model (`role`,
    /// `is_admin`, `owner_id`), that is mass assignment (OWASP API3:2023,
    /// broken object property level authorization); if it stores the body
    /// as JSON, it is unbounded storage. Closing the object makes unknown
    /// fields an error the client sees at once.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   schemas:
    ///     UpdateProfile:
    ///       type: object
    ///       properties:
    ///         display_name: {type: string, maxLength: 50}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   schemas:
    ///     UpdateProfile:
    ///       type: object
    ///       additionalProperties: false
    ///       properties:
    ///         display_name: {type: string, maxLength: 50}
    /// ```
    ///
    /// ## Options
    /// None.
    pub OpenObjectInput {
        code: "OAS063",
        name: "open-object-input",
        checklist: SecInput,
        group: Pedantic,
        severity: Info,
        summary: "an object in a request body that accepts any additional property",
    }
}

impl OpenObjectInput {
    /// Reports open request objects, once per schema group.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let wording = Wording {
            rule: &Self::META,
            plural: "objects open to additional properties",
            list_details: false,
            label: "open object",
            help: "add `additionalProperties: false` (3.1: `unevaluatedProperties: false`), or `maxProperties` where extra keys are meant",
        };
        report(cx, sink, &wording, gap);
    }
}

fn gap(tree: &Tree<'_>, schema: NodeId, node: &SchemaNode) -> Option<String> {
    if !Types::of(tree, schema).contains(Types::OBJECT) {
        return None;
    }
    let composed = ["allOf", "oneOf", "anyOf", "discriminator"]
        .iter()
        .any(|k| has(tree, schema, k))
        || node.in_composition;
    if composed || has(tree, schema, "maxProperties") {
        return None;
    }
    let closed = ["additionalProperties", "unevaluatedProperties"]
        .iter()
        .any(|k| is_false(tree, schema, k));
    (!closed).then(|| "object open to additional properties".to_owned())
}

fn is_false(tree: &Tree<'_>, schema: NodeId, key: &str) -> bool {
    tree.get_value(schema, key)
        .is_some_and(|v| matches!(tree.value(v), Value::Bool(false)))
}
