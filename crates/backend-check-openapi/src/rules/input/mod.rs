//! `sec.input`: bounds on the data an API accepts. The rules share one pass
//! over the request schemas: each schema is judged where it is written, and
//! the gaps are reported once per group (a named schema, a parameter or a
//! request body), listing the properties concerned.

pub mod open_object_input;
pub mod unbounded_array;
pub mod unbounded_number;
pub mod unbounded_string;

use std::collections::{BTreeMap, HashMap};

use backend_check_core::{Diagnostic, RuleMeta, Sink};

use crate::load::{NodeId, Tree, Value};
use crate::model::{is_true, SchemaNode, Schemas, Step, Usage};
use crate::rules::Context;

/// One schema that lacks a bound, and what it lacks.
pub(crate) struct Gap {
    index: u32,
    detail: String,
}

/// What a rule of this family says about its gaps.
pub(crate) struct Wording {
    /// The rule.
    pub rule: &'static RuleMeta,
    /// A plural noun for the gaps: `strings without maxLength`.
    pub plural: &'static str,
    /// Whether each gap's detail is worth listing after its path.
    pub list_details: bool,
    /// The label text on a property key.
    pub label: &'static str,
    /// The help line.
    pub help: &'static str,
}

/// Reports the request schemas for which `gap` finds something missing,
/// one diagnostic per group.
pub(crate) fn report(
    cx: &Context<'_>,
    sink: &mut Sink<'_>,
    wording: &Wording,
    gap: impl Fn(&Tree<'_>, NodeId, &SchemaNode) -> Option<String>,
) {
    if !sink.enabled(wording.rule) {
        return;
    }
    let schemas = cx.api.schemas(cx.docs);
    let mut groups: BTreeMap<u32, Vec<Gap>> = BTreeMap::new();
    for (index, node) in schemas.used_as(Usage::Request) {
        let tree = cx.docs.tree(node.at.file);
        if is_read_only(schemas, tree, index) {
            continue;
        }
        if let Some(detail) = gap(tree, node.at.node, node) {
            groups
                .entry(node.group)
                .or_default()
                .push(Gap { index, detail });
        }
    }
    for (group, gaps, more) in merge_parameters(schemas, groups) {
        if let Some(diagnostic) = diagnostic(cx, schemas, wording, group, &gaps, more) {
            sink.push(diagnostic);
        }
    }
}

/// Parameters written the same way in many operations (a spec that inlines
/// `limit` everywhere) make one finding, at the first, with the count of the others.
fn merge_parameters(
    schemas: &Schemas,
    groups: BTreeMap<u32, Vec<Gap>>,
) -> Vec<(u32, Vec<Gap>, usize)> {
    let mut out: Vec<(u32, Vec<Gap>, usize)> = Vec::new();
    let mut first: HashMap<(String, String, String), usize> = HashMap::new();
    for (group, gaps) in groups {
        let parameter = schemas
            .node(group)
            .and_then(|top| schemas.group_root(top))
            .and_then(|root| root.parameter.clone());
        if let Some((location, name)) = parameter {
            let details: Vec<&str> = gaps.iter().map(|g| g.detail.as_str()).collect();
            let key = (location, name, details.join("|"));
            if let Some(slot) = first.get(&key).and_then(|i| out.get_mut(*i)) {
                slot.2 += 1;
                continue;
            }
            first.insert(key, out.len());
        }
        out.push((group, gaps, 0));
    }
    out
}

/// A `readOnly` schema (or one inside a `readOnly` property) is never sent by clients.
fn is_read_only(schemas: &Schemas, tree: &Tree<'_>, index: u32) -> bool {
    let mut here = schemas.node(index);
    while let Some(node) = here {
        if is_true(tree, node.at.node, "readOnly") {
            return true;
        }
        here = node.parent.and_then(|p| schemas.node(p));
    }
    false
}

fn diagnostic(
    cx: &Context<'_>,
    schemas: &Schemas,
    wording: &Wording,
    group: u32,
    gaps: &[Gap],
    more: usize,
) -> Option<Diagnostic> {
    let top = schemas.node(group)?;
    let root = schemas.root(top.root?)?;
    let mut text = message(schemas, wording, &root.label, gaps);
    if let (Some((location, name)), 1..) = (&root.parameter, more) {
        let plural = if more == 1 { "" } else { "s" };
        text.push_str(&format!(
            " (and {more} more {location} parameter{plural} named \"{name}\")"
        ));
    }
    let mut diagnostic = cx
        .diagnostic_at(wording.rule, root.at, root.span, text)
        .with_help(wording.help);
    for gap in gaps {
        if let Some(Step::Property { key, .. }) =
            schemas.node(gap.index).and_then(|n| n.step.as_ref())
        {
            diagnostic = cx.label(diagnostic, *key, wording.label);
        }
    }
    let first_use = top
        .first_use(Usage::Request)
        .filter(|u| Some(*u) != top.root)
        .and_then(|u| schemas.root(u));
    if let Some(used) = first_use {
        if used.at.file == root.at.file {
            diagnostic =
                diagnostic.with_label(used.span, format!("used as input in the {}", used.label));
        }
    }
    Some(diagnostic)
}

const LISTED: usize = 6;

fn message(schemas: &Schemas, wording: &Wording, label: &str, gaps: &[Gap]) -> String {
    if let [only] = gaps {
        if schemas.path(only.index).is_empty() {
            return format!("{label} is {}", with_article(&only.detail));
        }
    }
    let mut names: Vec<String> = gaps
        .iter()
        .take(LISTED)
        .map(|gap| {
            let path = schemas.path(gap.index);
            let path = readable_path(path);
            if wording.list_details {
                format!("{path} ({})", gap.detail)
            } else {
                path
            }
        })
        .collect();
    if gaps.len() > LISTED {
        names.push(format!("and {} more", gaps.len() - LISTED));
    }
    format!("{label} accepts {}: {}", wording.plural, names.join(", "))
}

/// `` → `itself`; `[]` (items of a parameter or body that is an array) → `items`.
fn readable_path(path: String) -> String {
    if path.is_empty() {
        "itself".to_owned()
    } else if let Some(rest) = path.strip_prefix("[]") {
        format!("items{rest}")
    } else {
        path
    }
}

fn with_article(detail: &str) -> String {
    let article = if detail.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {detail}")
}

/// Whether a schema has `key` (any value but `null`).
pub(crate) fn has(tree: &Tree<'_>, schema: NodeId, key: &str) -> bool {
    tree.get_value(schema, key)
        .is_some_and(|v| !matches!(tree.value(v), Value::Null))
}

/// Whether a schema's values are fixed by `enum` or `const`.
pub(crate) fn is_enumerated(tree: &Tree<'_>, schema: NodeId) -> bool {
    has(tree, schema, "enum") || has(tree, schema, "const")
}

/// The schema's `format`, when written.
pub(crate) fn format_of<'t>(tree: &'t Tree<'_>, schema: NodeId) -> Option<&'t str> {
    tree.get_value(schema, "format").and_then(|v| tree.str(v))
}

#[cfg(test)]
mod tests;
