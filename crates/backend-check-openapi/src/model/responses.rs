//! What the error and rate-limit rules need to know about a response: the
//! schema of its body and a key that tells two schemas apart.

use crate::load::{At, Docs, NodeId, Tree, Value};

use super::{child, Response};

/// What makes two response schemas the same: the schema a `$ref` leads to,
/// or the text of an inline schema with its whitespace and quotes removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SchemaKey {
    /// A referenced schema.
    Ref(At),
    /// An inline schema, as normalized text.
    Inline(String),
}

impl Response {
    /// The written schema of the body (the first media type that has one in
    /// 3.x, `schema` in 2.0), not followed: its `schema` key and its value.
    pub fn body_schema(&self, docs: &Docs<'_>) -> Option<(At, At)> {
        let schema_of = |owner: At| {
            let entry = docs.tree(owner.file).get(owner.node, "schema")?;
            Some((
                At::new(owner.file, entry.key),
                At::new(owner.file, entry.value),
            ))
        };
        if let Some(content) = child(docs, self.node, "content") {
            let content = docs.follow(content);
            let tree = docs.tree(content.file);
            return tree
                .members(content.node)
                .find_map(|entry| schema_of(docs.follow(At::new(content.file, entry.value))));
        }
        schema_of(self.node)
    }

    /// Whether the response declares a header, ignoring case.
    pub fn has_header(&self, name: &str) -> bool {
        self.headers.iter().any(|h| h.eq_ignore_ascii_case(name))
    }

    /// Whether a media type of the response is a problem document (RFC 9457).
    pub fn is_problem_json(&self) -> bool {
        self.media_types.iter().any(|m| {
            let m = m.to_ascii_lowercase();
            m.starts_with("application/problem+")
        })
    }
}

/// The key of a written schema.
pub fn schema_key(docs: &Docs<'_>, schema: At) -> SchemaKey {
    if docs.ref_of(schema).is_some() {
        return SchemaKey::Ref(docs.follow(schema));
    }
    let mut text = String::new();
    canonical(docs.tree(schema.file), schema.node, &mut text, 0);
    SchemaKey::Inline(text)
}

/// A node as text that does not depend on how it is written (flow or block,
/// quotes, key order).
fn canonical(tree: &Tree<'_>, node: NodeId, out: &mut String, depth: usize) {
    if depth > 64 {
        return;
    }
    match tree.value(node) {
        Value::Mapping(_) => {
            let mut members: Vec<(String, NodeId)> = tree
                .members(node)
                .filter_map(|e| Some((tree.text(e.key)?.to_owned(), e.value)))
                .collect();
            members.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (key, value) in members {
                out.push_str(&key);
                out.push(':');
                canonical(tree, value, out, depth + 1);
                out.push(',');
            }
            out.push('}');
        }
        Value::Sequence(_) => {
            out.push('[');
            for item in tree.items(node) {
                canonical(tree, *item, out, depth + 1);
                out.push(',');
            }
            out.push(']');
        }
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) | Value::String(n) => out.push_str(n),
        Value::Alias(_) => {}
    }
}
