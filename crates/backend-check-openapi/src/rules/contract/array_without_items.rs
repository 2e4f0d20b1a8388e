use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{SpecVersion, Types};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds schemas (and Swagger 2.0 parameters, headers and `items`) with
    /// `type: array` but no `items`, in Swagger 2.0 and OpenAPI 3.0, where
    /// `items` is required. OpenAPI 3.1 follows JSON Schema, where an array
    /// without `items` holds anything; it is not reported there.
    ///
    /// ## Why is this bad?
    /// The document breaks its version's specification, and the contract
    /// says nothing about what the list holds: validators accept anything,
    /// and client generators emit `Vec<serde_json::Value>` or `any[]`.
    ///
    /// ## Example
    /// ```yaml
    /// tags:
    ///   type: array
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// tags:
    ///   type: array
    ///   maxItems: 20
    ///   items: {type: string, maxLength: 30}
    /// ```
    ///
    /// ## Options
    /// None.
    pub ArrayWithoutItems {
        code: "OAS068",
        name: "array-without-items",
        checklist: ApiContract,
        group: Correctness,
        severity: Warning,
        summary: "an array schema without `items` (Swagger 2.0, OpenAPI 3.0)",
    }
}

impl ArrayWithoutItems {
    /// Reports array schemas without `items`, each once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let applies = matches!(
            cx.api.version,
            SpecVersion::Swagger2 | SpecVersion::OpenApi30
        );
        if !applies {
            return;
        }
        let mut seen = HashSet::new();
        for node in &cx.api.schemas(cx.docs).nodes {
            let tree = cx.docs.tree(node.at.file);
            let array = Types::of(tree, node.at.node).contains(Types::ARRAY);
            if !array || tree.get_value(node.at.node, "items").is_some() || !seen.insert(node.at) {
                continue;
            }
            let at = tree
                .get(node.at.node, "type")
                .map_or(node.at, |e| At::new(node.at.file, e.key));
            sink.push(
                cx.diagnostic(&Self::META, at, message())
                    .with_help("add `items` with the schema of the elements"),
            );
        }
    }
}

fn message() -> String {
    "array schema has no `items`".to_owned()
}
