//! Finding the nodes a rule reports on or reads: the document's own key, an
//! operation's `responses`, the operations under `paths`, string children of
//! a node, and tags.

use crate::load::At;
use crate::model::{Operation, OperationKind};
use crate::rules::Context;

/// The `openapi` (or `swagger`) key: where a finding about the whole document goes.
pub(crate) fn document_key(cx: &Context<'_>) -> At {
    let tree = cx.docs.tree(cx.api.root.file);
    ["openapi", "swagger"]
        .iter()
        .find_map(|k| tree.get(cx.api.root.node, k))
        .map_or(cx.api.root, |e| At::new(cx.api.root.file, e.key))
}

/// Where a finding about an operation's responses goes: its `responses` key, else the method.
pub(crate) fn responses_at(operation: &Operation) -> At {
    operation.responses_key.unwrap_or(operation.method_key)
}

/// The operations under `paths` (webhooks answer the API, they are not served by it).
pub(crate) fn path_operations<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a Operation> {
    cx.api
        .operations
        .iter()
        .filter(|o| o.kind == OperationKind::Path)
}

/// The text of a string child of a node, when present.
pub(crate) fn text_of(cx: &Context<'_>, at: At, key: &str) -> Option<String> {
    crate::model::child(cx.docs, at, key).and_then(|v| crate::model::text_at(cx.docs, v))
}

/// Whether a node has a non-blank string child `key`.
pub(crate) fn has_text(cx: &Context<'_>, at: At, key: &str) -> bool {
    text_of(cx, at, key).is_some_and(|t| !t.trim().is_empty())
}

/// The key of the entry `key` of a mapping, when written.
pub(crate) fn key_of(cx: &Context<'_>, at: At, key: &str) -> Option<At> {
    cx.docs
        .tree(at.file)
        .get(at.node, key)
        .map(|e| At::new(at.file, e.key))
}

/// The tags an operation lists, each with its node.
pub(crate) fn operation_tags(cx: &Context<'_>, operation: &Operation) -> Vec<(String, At)> {
    let Some(list) = crate::model::child(cx.docs, operation.node, "tags") else {
        return Vec::new();
    };
    let tree = cx.docs.tree(list.file);
    tree.items(list.node)
        .iter()
        .filter_map(|item| Some((tree.text(*item)?.to_owned(), At::new(list.file, *item))))
        .collect()
}

/// Where a declared tag's name is written (its `name` value, else the tag object).
pub(crate) fn tag_name_at(cx: &Context<'_>, tag: At) -> At {
    crate::model::child(cx.docs, tag, "name").unwrap_or(tag)
}
