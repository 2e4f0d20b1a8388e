//! `x-backend-check-allow: [OAS001]` (or a single string) on any mapping of a
//! document: it allows the named rules for findings inside that mapping.

use std::sync::Arc;

use backend_check_core::{Allow, AllowEntry, AllowScope, SourceFile, Span};

use crate::load::{EntryKind, NodeId, Tree, Value};

/// The extension key that carries an allow.
pub const ALLOW_KEY: &str = "x-backend-check-allow";

/// Every `x-backend-check-allow` in a document, scoped to the mapping it is in.
pub fn collect(file: &Arc<SourceFile>, tree: &Tree<'_>) -> Vec<Allow> {
    if !file.text().contains(ALLOW_KEY) {
        return Vec::new();
    }
    let mut allows = Vec::new();
    for mapping in tree.node_ids() {
        if !matches!(tree.raw_value(mapping), Value::Mapping(_)) {
            continue;
        }
        let written = tree
            .entries(mapping)
            .iter()
            .filter(|e| e.kind == EntryKind::Own && tree.str(e.key) == Some(ALLOW_KEY));
        for entry in written {
            allows.push(Allow {
                file: Arc::clone(file),
                span: tree.entry_span(entry),
                entries: allow_entries(file, tree, entry.value),
                scope: AllowScope::Range(tree.span(mapping)),
            });
        }
    }
    allows
}

/// The rule names of an allow's value: a sequence of strings or one string,
/// which may list several names separated by commas.
fn allow_entries(file: &SourceFile, tree: &Tree<'_>, value: NodeId) -> Vec<AllowEntry> {
    let value = tree.resolve(value);
    let names: Vec<NodeId> = match tree.value(value) {
        Value::Sequence(_) => tree.items(value).iter().map(|i| tree.resolve(*i)).collect(),
        _ => vec![value],
    };
    names
        .into_iter()
        .flat_map(|node| name_entries(file, tree, node))
        .collect()
}

fn name_entries(file: &SourceFile, tree: &Tree<'_>, node: NodeId) -> Vec<AllowEntry> {
    let Some(text) = tree.str(node) else {
        return Vec::new();
    };
    let span = unquoted(file, tree.span(node));
    if file.slice(span) != text {
        return vec![AllowEntry {
            text: text.trim().to_owned(),
            span,
        }];
    }
    let mut entries = Vec::new();
    let mut offset = span.start;
    for part in text.split(',') {
        let name = part.trim();
        if !name.is_empty() {
            let start = offset + (part.len() - part.trim_start().len());
            entries.push(AllowEntry {
                text: name.to_owned(),
                span: Span::new(start, start + name.len()),
            });
        }
        offset += part.len() + 1;
    }
    entries
}

/// A quoted scalar's span without its quotes.
fn unquoted(file: &SourceFile, span: Span) -> Span {
    let text = file.slice(span);
    let quoted = text.len() >= 2
        && ((text.starts_with('"') && text.ends_with('"'))
            || (text.starts_with('\'') && text.ends_with('\'')));
    if quoted {
        Span::new(span.start + 1, span.end - 1)
    } else {
        span
    }
}
