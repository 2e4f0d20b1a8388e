//! The span tree: every node of a YAML or JSON document with its exact byte
//! span, held in flat arrays so a 13 MB spec costs few allocations.

use std::borrow::Cow;

use backend_check_core::Span;

use super::pointer;

/// The index of a node in its [`Tree`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(u32);

impl NodeId {
    /// The first node of a tree (the root of a non-empty document).
    pub const FIRST: NodeId = NodeId(0);

    fn index(self) -> usize {
        self.0 as usize
    }
}

/// A run of entries or items in the tree's shared arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Children {
    first: u32,
    len: u32,
}

impl Children {
    fn range(self) -> std::ops::Range<usize> {
        let first = self.first as usize;
        first..first + self.len as usize
    }
}

/// What a node holds. Scalars keep their text, borrowed from the source when
/// it needed no unescaping.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`, `~` or an empty YAML value.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Cow<'a, str>),
    /// A string (YAML: quoted, block or a plain scalar that is no other type).
    String(Cow<'a, str>),
    /// A mapping (JSON object).
    Mapping(Children),
    /// A sequence (JSON array).
    Sequence(Children),
    /// A YAML alias and the anchored node it stands for (`None` when the
    /// anchor was not complete where the alias appeared).
    Alias(Option<NodeId>),
}

impl Value<'_> {
    /// The value with its text owned, detached from the source.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(b),
            Value::Number(s) => Value::Number(Cow::Owned(s.into_owned())),
            Value::String(s) => Value::String(Cow::Owned(s.into_owned())),
            Value::Mapping(c) => Value::Mapping(c),
            Value::Sequence(c) => Value::Sequence(c),
            Value::Alias(a) => Value::Alias(a),
        }
    }

    /// A short name of the kind of value, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Mapping(_) => "mapping",
            Value::Sequence(_) => "sequence",
            Value::Alias(_) => "alias",
        }
    }
}

/// One node: its span and value.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    start: u32,
    end: u32,
    /// What the node holds.
    pub value: Value<'a>,
}

/// How an entry came into its mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// Written in the mapping.
    Own,
    /// A YAML merge key (`<<: *base`); its entries follow as [`EntryKind::Merged`].
    MergeKey,
    /// Inherited through a merge key (its key and value live where the anchor is).
    Merged,
}

/// A key and its value in a mapping. Duplicate keys are all kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The key node.
    pub key: NodeId,
    /// The value node (possibly an alias).
    pub value: NodeId,
    /// Whether the entry is written here, a merge key, or merged in.
    pub kind: EntryKind,
}

impl Entry {
    /// Whether the entry is part of the mapping's logical content (not the `<<` key itself).
    pub fn is_member(&self) -> bool {
        self.kind != EntryKind::MergeKey
    }
}

/// Where a JSON pointer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The node found (the nearest existing ancestor when the pointer goes further).
    pub node: NodeId,
    /// The span of the key naming that node (`None` for the root and sequence items).
    pub key: Option<Span>,
    /// The span of the node's value.
    pub value: Span,
    /// Whether the whole pointer resolved.
    pub exact: bool,
}

impl Location {
    /// The key span when there is one, else the value span: where a finding about the node goes.
    pub fn primary(&self) -> Span {
        self.key.unwrap_or(self.value)
    }
}

/// A parsed document: a flat arena of nodes, mapping entries and sequence items.
#[derive(Debug, Clone, Default)]
pub struct Tree<'a> {
    nodes: Vec<Node<'a>>,
    entries: Vec<Entry>,
    items: Vec<NodeId>,
    root: Option<NodeId>,
}

impl Tree<'_> {
    /// The tree with every text owned, so it can outlive its source text.
    pub fn into_owned(self) -> Tree<'static> {
        Tree {
            nodes: self
                .nodes
                .into_iter()
                .map(|n| Node {
                    start: n.start,
                    end: n.end,
                    value: n.value.into_owned(),
                })
                .collect(),
            entries: self.entries,
            items: self.items,
            root: self.root,
        }
    }

    /// Every mapping entry of the document, merge keys and merged copies included.
    pub fn all_entries(&self) -> &[Entry] {
        &self.entries
    }
}

impl<'a> Tree<'a> {
    /// The root node (`None` for an empty document).
    pub fn root(&self) -> Option<NodeId> {
        self.root
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether the tree has no node.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every node id, in document order of their starts.
    pub fn node_ids(&self) -> impl Iterator<Item = NodeId> {
        (0..self.nodes.len()).map(|i| NodeId(u32::try_from(i).unwrap_or(u32::MAX)))
    }

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> Option<&Node<'a>> {
        self.nodes.get(id.index())
    }

    /// The value of a node as written (an alias stays an alias).
    pub fn raw_value(&self, id: NodeId) -> &Value<'a> {
        self.node(id).map_or(&Value::Null, |n| &n.value)
    }

    /// The value of a node, looking through an alias.
    pub fn value(&self, id: NodeId) -> &Value<'a> {
        self.raw_value(self.resolve(id))
    }

    /// The byte span of a node as written (for an alias, the `*name` itself).
    pub fn span(&self, id: NodeId) -> Span {
        self.node(id).map_or(Span::default(), |n| {
            Span::new(n.start as usize, n.end as usize)
        })
    }

    /// The node an alias stands for; any other node is returned unchanged.
    pub fn resolve(&self, id: NodeId) -> NodeId {
        match self.raw_value(id) {
            Value::Alias(Some(target)) => *target,
            _ => id,
        }
    }

    /// All entries of a mapping, merge keys and merged entries included
    /// (empty when the node is no mapping).
    pub fn entries(&self, id: NodeId) -> &[Entry] {
        match self.value(id) {
            Value::Mapping(children) => self.entries.get(children.range()).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The logical entries of a mapping: written and merged ones, without `<<` keys.
    pub fn members(&self, id: NodeId) -> impl DoubleEndedIterator<Item = &Entry> {
        self.entries(id).iter().filter(|e| e.is_member())
    }

    /// The items of a sequence (empty when the node is no sequence).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.value(id) {
            Value::Sequence(children) => self.items.get(children.range()).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The text of a string or number scalar (through aliases).
    pub fn text(&self, id: NodeId) -> Option<&str> {
        match self.value(id) {
            Value::String(s) | Value::Number(s) => Some(s),
            _ => None,
        }
    }

    /// The text of a string scalar only.
    pub fn str(&self, id: NodeId) -> Option<&str> {
        match self.value(id) {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether the node is a mapping (through aliases).
    pub fn is_mapping(&self, id: NodeId) -> bool {
        matches!(self.value(id), Value::Mapping(_))
    }

    /// The entry of `key` in a mapping; with duplicate keys the last one wins, as in JSON.
    pub fn get(&self, mapping: NodeId, key: &str) -> Option<&Entry> {
        self.members(mapping)
            .rev()
            .find(|e| self.text(e.key) == Some(key))
    }

    /// The value node of `key` in a mapping.
    pub fn get_value(&self, mapping: NodeId, key: &str) -> Option<NodeId> {
        self.get(mapping, key).map(|e| e.value)
    }

    /// The span of a whole entry: from its key to the end of its value.
    pub fn entry_span(&self, entry: &Entry) -> Span {
        let key = self.span(entry.key);
        let value = self.span(entry.value);
        Span::new(key.start.min(value.start), key.end.max(value.end))
    }

    /// Follows a JSON pointer (`/paths/~1pets/get`, also `#/…` with percent
    /// escapes). A missing step stops at the nearest existing ancestor, with
    /// `exact: false`. `None` only for an empty document.
    pub fn locate(&self, pointer_text: &str) -> Option<Location> {
        let root = self.root?;
        let mut here = Location {
            node: root,
            key: None,
            value: self.span(root),
            exact: true,
        };
        for token in pointer::tokens(pointer_text) {
            match self.step(here.node, &token) {
                Some(next) => here = next,
                None => {
                    here.exact = false;
                    break;
                }
            }
        }
        Some(here)
    }

    /// The node a pointer names, only when the whole pointer resolves.
    pub fn lookup(&self, pointer_text: &str) -> Option<NodeId> {
        self.locate(pointer_text)
            .filter(|l| l.exact)
            .map(|l| l.node)
    }

    fn step(&self, from: NodeId, token: &str) -> Option<Location> {
        match self.value(from) {
            Value::Mapping(_) => self.get(from, token).map(|e| Location {
                node: e.value,
                key: Some(self.span(e.key)),
                value: self.span(e.value),
                exact: true,
            }),
            Value::Sequence(_) => {
                let index: usize = token.parse().ok()?;
                let item = *self.items(from).get(index)?;
                Some(Location {
                    node: item,
                    key: None,
                    value: self.span(item),
                    exact: true,
                })
            }
            _ => None,
        }
    }
}

/// Builds a [`Tree`]; the parsers push nodes and close collections through it.
#[derive(Debug, Default)]
pub(crate) struct TreeBuilder<'a> {
    tree: Tree<'a>,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> TreeBuilder<'a> {
    pub(crate) fn with_capacity(nodes: usize) -> TreeBuilder<'a> {
        TreeBuilder {
            tree: Tree {
                nodes: Vec::with_capacity(nodes),
                entries: Vec::with_capacity(nodes / 2),
                items: Vec::with_capacity(nodes / 8),
                root: None,
            },
        }
    }

    pub(crate) fn tree(&self) -> &Tree<'a> {
        &self.tree
    }

    /// Adds a node; collections start as empty and are filled by `close_*`.
    pub(crate) fn push(&mut self, span: Span, value: Value<'a>) -> NodeId {
        let id = NodeId(to_u32(self.tree.nodes.len()));
        self.tree.nodes.push(Node {
            start: to_u32(span.start),
            end: to_u32(span.end),
            value,
        });
        id
    }

    pub(crate) fn set_end(&mut self, id: NodeId, end: usize) {
        if let Some(node) = self.tree.nodes.get_mut(id.index()) {
            node.end = to_u32(end).max(node.start);
        }
    }

    fn set_value(&mut self, id: NodeId, value: Value<'a>) {
        if let Some(node) = self.tree.nodes.get_mut(id.index()) {
            node.value = value;
        }
    }

    /// Stores the entries of a mapping.
    pub(crate) fn close_mapping(&mut self, id: NodeId, entries: impl Iterator<Item = Entry>) {
        let first = self.tree.entries.len();
        self.tree.entries.extend(entries);
        let children = Children {
            first: to_u32(first),
            len: to_u32(self.tree.entries.len() - first),
        };
        self.set_value(id, Value::Mapping(children));
    }

    /// Stores the items of a sequence.
    pub(crate) fn close_sequence(&mut self, id: NodeId, items: impl Iterator<Item = NodeId>) {
        let first = self.tree.items.len();
        self.tree.items.extend(items);
        let children = Children {
            first: to_u32(first),
            len: to_u32(self.tree.items.len() - first),
        };
        self.set_value(id, Value::Sequence(children));
    }

    pub(crate) fn set_root(&mut self, id: NodeId) {
        self.tree.root = Some(id);
    }

    pub(crate) fn has_root(&self) -> bool {
        self.tree.root.is_some()
    }

    pub(crate) fn finish(self) -> Tree<'a> {
        self.tree
    }
}
