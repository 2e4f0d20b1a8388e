use backend_check_core::{declare_rule, Sink};

use crate::load::{NodeId, Tree};
use crate::model::Types;
use crate::rules::Context;

use super::{has, is_enumerated, report, Wording};

declare_rule! {
    /// ## What it does
    /// Finds arrays the API accepts (in parameters and request bodies)
    /// without `maxItems`. Each schema is reported once where it is written,
    /// with the properties concerned; response schemas and `readOnly`
    /// properties are not checked.
    /// A parameter written the same way in many operations is reported once,
    /// with a count. The rule is advice (`info`) by default: few published
    /// specs bound every string yet; raise it to `warning` once yours does.
    ///
    /// ## Why is this bad?
    /// An array without a maximum lets one request carry a million items:
    /// a batch endpoint becomes a denial of service, a list of ids becomes a
    /// query with a million-value `IN (…)`. `maxItems` states the limit in
    /// the contract and lets generated validators reject oversized requests
    /// before any work is done (OWASP API4:2023, unrestricted resource
    /// consumption).
    ///
    /// ## Example
    /// ```yaml
    /// parameters:
    ///   - name: ids
    ///     in: query
    ///     schema:
    ///       type: array
    ///       items: {type: string, format: uuid}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// parameters:
    ///   - name: ids
    ///     in: query
    ///     schema:
    ///       type: array
    ///       maxItems: 100
    ///       items: {type: string, format: uuid}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnboundedArray {
        code: "OAS061",
        name: "unbounded-array",
        checklist: SecInput,
        group: Pedantic,
        severity: Info,
        summary: "an array in a parameter or request body without maxItems",
    }
}

impl UnboundedArray {
    /// Reports unbounded request arrays, once per schema group.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let wording = Wording {
            rule: &Self::META,
            plural: "arrays without maxItems",
            list_details: false,
            label: "no maxItems",
            help: "add `maxItems` to every array the API accepts",
        };
        report(cx, sink, &wording, |tree, schema, _| gap(tree, schema));
    }
}

fn gap(tree: &Tree<'_>, schema: NodeId) -> Option<String> {
    let unbounded = Types::of(tree, schema).contains(Types::ARRAY)
        && !has(tree, schema, "maxItems")
        && !is_enumerated(tree, schema);
    unbounded.then(|| "array without maxItems".to_owned())
}
