//! YAML to span tree, from saphyr-parser's event stream.
//!
//! saphyr's markers count characters, not bytes; [`CharOffsets`] turns them
//! into byte offsets (free for ASCII files, a short walk otherwise).

use std::borrow::Cow;

use backend_check_core::Span;
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::tree::{Entry, EntryKind, NodeId, Tree, TreeBuilder, Value};
use super::SyntaxError;

/// Parses the first document of a YAML stream.
pub fn parse(text: &str) -> Result<Tree<'_>, SyntaxError> {
    let mut builder = YamlBuilder::new(text);
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| builder.scan_error(&e))?;
        let start = builder.offsets.byte(span.start.index());
        let end = builder.offsets.byte(span.end.index());
        if builder.on_event(event, Span::new(start, end)) == Flow::Stop {
            break;
        }
    }
    Ok(builder.tree.finish())
}

/// Converts character indexes to byte offsets by walking from the last position.
pub(crate) struct CharOffsets<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'a> CharOffsets<'a> {
    pub(crate) fn new(text: &'a str) -> CharOffsets<'a> {
        CharOffsets {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    /// The byte offset of the character at `index` (the text length past the end).
    pub(crate) fn byte(&mut self, index: usize) -> usize {
        if self.ascii {
            return index.min(self.text.len());
        }
        if index >= self.chars {
            self.forward(index - self.chars);
        } else {
            self.back(self.chars - index);
        }
        self.bytes
    }

    fn forward(&mut self, steps: usize) {
        let rest = self.text.get(self.bytes..).unwrap_or("");
        match rest.char_indices().nth(steps) {
            Some((offset, _)) => {
                self.bytes += offset;
                self.chars += steps;
            }
            None => {
                self.chars += rest.chars().count();
                self.bytes = self.text.len();
            }
        }
    }

    fn back(&mut self, steps: usize) {
        let head = self.text.get(..self.bytes).unwrap_or("");
        match head.char_indices().rev().nth(steps - 1) {
            Some((offset, _)) => {
                self.bytes = offset;
                self.chars -= steps;
            }
            None => {
                self.bytes = 0;
                self.chars = 0;
            }
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

enum Frame {
    Mapping {
        node: NodeId,
        anchor: usize,
        scratch: usize,
        key: Option<(NodeId, bool)>,
    },
    Sequence {
        node: NodeId,
        anchor: usize,
        scratch: usize,
    },
}

struct YamlBuilder<'a> {
    tree: TreeBuilder<'a>,
    offsets: CharOffsets<'a>,
    frames: Vec<Frame>,
    entry_scratch: Vec<Entry>,
    item_scratch: Vec<NodeId>,
    anchors: Vec<Option<NodeId>>,
}

impl<'a> YamlBuilder<'a> {
    fn new(text: &'a str) -> YamlBuilder<'a> {
        YamlBuilder {
            tree: TreeBuilder::with_capacity(text.len() / 16),
            offsets: CharOffsets::new(text),
            frames: Vec::new(),
            entry_scratch: Vec::new(),
            item_scratch: Vec::new(),
            anchors: Vec::new(),
        }
    }

    fn scan_error(&mut self, error: &ScanError) -> SyntaxError {
        let at = self.offsets.byte(error.marker().index());
        SyntaxError {
            span: Span::at(at),
            message: format!("invalid YAML: {}", error.info()),
        }
    }

    fn on_event(&mut self, event: Event<'a>, span: Span) -> Flow {
        match event {
            Event::DocumentEnd | Event::StreamEnd if self.tree.has_root() => return Flow::Stop,
            Event::Scalar(text, style, anchor, tag) => {
                let merge = style == ScalarStyle::Plain && tag.is_none() && text == "<<";
                let value = scalar_value(text, style, tag.as_deref());
                let node = self.tree.push(span, value);
                self.register_anchor(anchor, node);
                self.complete(node, merge);
            }
            Event::Alias(anchor) => {
                let target = self.anchors.get(anchor).copied().flatten();
                let node = self.tree.push(span, Value::Alias(target));
                self.complete(node, false);
            }
            Event::MappingStart(anchor, _) => {
                let node = self.tree.push(Span::at(span.start), Value::Null);
                self.frames.push(Frame::Mapping {
                    node,
                    anchor,
                    scratch: self.entry_scratch.len(),
                    key: None,
                });
            }
            Event::SequenceStart(anchor, _) => {
                let node = self.tree.push(Span::at(span.start), Value::Null);
                self.frames.push(Frame::Sequence {
                    node,
                    anchor,
                    scratch: self.item_scratch.len(),
                });
            }
            Event::MappingEnd | Event::SequenceEnd => self.close(span),
            _ => {}
        }
        Flow::Continue
    }

    fn register_anchor(&mut self, anchor: usize, node: NodeId) {
        if anchor == 0 {
            return;
        }
        if self.anchors.len() <= anchor {
            self.anchors.resize(anchor + 1, None);
        }
        if let Some(slot) = self.anchors.get_mut(anchor) {
            *slot = Some(node);
        }
    }

    /// Hands a finished node to its parent: a key, a value or an item.
    fn complete(&mut self, node: NodeId, merge_key: bool) {
        match self.frames.last_mut() {
            Some(Frame::Mapping { key, .. }) => match key.take() {
                None => *key = Some((node, merge_key)),
                Some((key_node, is_merge)) => self.entry_scratch.push(Entry {
                    key: key_node,
                    value: node,
                    kind: if is_merge {
                        EntryKind::MergeKey
                    } else {
                        EntryKind::Own
                    },
                }),
            },
            Some(Frame::Sequence { .. }) => self.item_scratch.push(node),
            None => self.tree.set_root(node),
        }
    }

    fn close(&mut self, span: Span) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let (node, anchor) = match frame {
            Frame::Mapping {
                node,
                anchor,
                scratch,
                ..
            } => {
                self.close_mapping(node, scratch);
                (node, anchor)
            }
            Frame::Sequence {
                node,
                anchor,
                scratch,
            } => {
                let items = self.item_scratch.drain(scratch..);
                self.tree.close_sequence(node, items);
                (node, anchor)
            }
        };
        self.set_collection_end(node, span);
        self.register_anchor(anchor, node);
        self.complete(node, false);
    }

    fn close_mapping(&mut self, node: NodeId, scratch: usize) {
        let own: Vec<Entry> = self.entry_scratch.drain(scratch..).collect();
        let merged = merged_entries(self.tree.tree(), &own);
        self.tree.close_mapping(node, own.into_iter().chain(merged));
    }

    /// A flow collection ends at its closing bracket; a block collection at
    /// the end of its last child (saphyr puts its end at the next token).
    fn set_collection_end(&mut self, node: NodeId, span: Span) {
        let end = if span.is_empty() {
            self.last_child_end(node)
        } else {
            span.end
        };
        self.tree.set_end(node, end);
    }

    fn last_child_end(&self, node: NodeId) -> usize {
        let tree = self.tree.tree();
        let entries = tree
            .entries(node)
            .iter()
            .filter(|e| e.kind != EntryKind::Merged);
        let children = entries
            .flat_map(|e| [e.key, e.value])
            .chain(tree.items(node).iter().copied());
        children
            .map(|child| tree.span(child).end)
            .max()
            .unwrap_or(tree.span(node).start)
    }
}

/// The entries a mapping inherits through its merge keys, in YAML's order:
/// its own keys win, then earlier merge sources over later ones.
fn merged_entries(tree: &Tree<'_>, own: &[Entry]) -> Vec<Entry> {
    let mut merged: Vec<Entry> = Vec::new();
    for merge in own.iter().filter(|e| e.kind == EntryKind::MergeKey) {
        for source in merge_sources(tree, merge.value) {
            for entry in tree.members(source) {
                let key = tree.text(entry.key);
                let taken = own
                    .iter()
                    .chain(merged.iter())
                    .any(|e| e.is_member() && tree.text(e.key) == key);
                if key.is_some() && !taken {
                    merged.push(Entry {
                        kind: EntryKind::Merged,
                        ..*entry
                    });
                }
            }
        }
    }
    merged
}

fn merge_sources(tree: &Tree<'_>, value: NodeId) -> Vec<NodeId> {
    if tree.is_mapping(value) {
        return vec![tree.resolve(value)];
    }
    tree.items(value)
        .iter()
        .filter(|item| tree.is_mapping(**item))
        .map(|item| tree.resolve(*item))
        .collect()
}

/// Resolves a scalar with the YAML 1.2 core schema (tags `!!str`, `!!int`,
/// `!!float`, `!!bool` and `!!null` are honoured).
fn scalar_value<'a>(text: Cow<'a, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value<'a> {
    if let Some(tag) = tag.filter(|t| t.is_yaml_core_schema()) {
        match tag.suffix.as_str() {
            "str" => return Value::String(text),
            "int" | "float" => return Value::Number(text),
            "null" => return Value::Null,
            "bool" => return Value::Bool(text.eq_ignore_ascii_case("true")),
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return Value::String(text);
    }
    plain_scalar_value(text)
}

fn plain_scalar_value(text: Cow<'_, str>) -> Value<'_> {
    match &*text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t if is_core_number(t) => Value::Number(text),
        _ => Value::String(text),
    }
}

fn is_core_number(text: &str) -> bool {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Some(octal) = text.strip_prefix("0o") {
        return !octal.is_empty() && octal.bytes().all(|b| (b'0'..=b'7').contains(&b));
    }
    if let Some(hex) = text.strip_prefix("0x") {
        return !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(text, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    is_decimal(unsigned)
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+(…exponent)?`.
fn is_decimal(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (text.get(..at).unwrap_or(""), text.get(at + 1..)),
        None => (text, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match frac {
        None => !int.is_empty() && digits(int),
        Some(frac) => digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Tree<'_> {
        parse(text).unwrap()
    }

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let text = "a: 200\nb: '200'\nc: 2.0\nd: ~\ne: true\nf: 3.0.3\ng: !!str 7\nh: 1e3\ni: .5\n";
        let t = tree(text);
        let root = t.root().unwrap();
        let kind = |k: &str| t.value(t.get_value(root, k).unwrap()).kind_name();
        assert_eq!(kind("a"), "number");
        assert_eq!(kind("b"), "string");
        assert_eq!(kind("c"), "number");
        assert_eq!(kind("d"), "null");
        assert_eq!(kind("e"), "boolean");
        assert_eq!(kind("f"), "string");
        assert_eq!(kind("g"), "string");
        assert_eq!(kind("h"), "number");
        assert_eq!(kind("i"), "number");
    }

    #[test]
    fn key_and_value_spans_are_bytes_after_multibyte_text() {
        let text = "title: \"héllo — wörld\"\nnext:\n  é: ü\n";
        let t = tree(text);
        let found = t.locate("/next/é").unwrap();
        assert!(found.exact);
        assert_eq!(slice(text, found.key.unwrap()), "é");
        assert_eq!(slice(text, found.value), "ü");
        let title = t.locate("/title").unwrap();
        assert_eq!(slice(text, title.value), "\"héllo — wörld\"");
    }

    #[test]
    fn crlf_and_bom_are_counted() {
        let text = "\u{feff}a: 1\r\nb:\r\n  c: \"ö\"\r\n  d: x\r\n";
        let t = tree(text);
        let d = t.locate("/b/d").unwrap();
        assert_eq!(slice(text, d.key.unwrap()), "d");
        assert_eq!(slice(text, d.value), "x");
    }

    #[test]
    fn block_mapping_ends_at_its_last_value() {
        let text = "a:\n  b: 1\n  c: [1, 2]\n  # trailing comment\nz: 2\n";
        let t = tree(text);
        let a = t.locate("/a").unwrap();
        assert_eq!(slice(text, a.value), "b: 1\n  c: [1, 2]");
    }

    #[test]
    fn aliases_resolve_to_the_anchored_node() {
        let text = "base: &ok\n  '200': {description: ok}\nuse: *ok\n";
        let t = tree(text);
        let used = t.locate("/use/200").unwrap();
        assert!(used.exact);
        assert_eq!(slice(text, used.key.unwrap()), "'200'");
        let alias = t.locate("/use").unwrap();
        assert_eq!(slice(text, alias.value), "*ok");
    }

    #[test]
    fn merge_keys_inherit_without_overriding() {
        let text = "base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n";
        let t = tree(text);
        let m = t.lookup("/m").unwrap();
        let keys: Vec<_> = t.members(m).map(|e| t.text(e.key).unwrap()).collect();
        assert_eq!(keys, ["y", "x"]);
        assert_eq!(t.text(t.lookup("/m/y").unwrap()), Some("3"));
        assert_eq!(t.text(t.lookup("/m/x").unwrap()), Some("1"));
    }

    #[test]
    fn duplicate_keys_are_kept() {
        let t = tree("a: 1\na: 2\n");
        let root = t.root().unwrap();
        assert_eq!(t.entries(root).len(), 2);
        assert_eq!(t.text(t.get_value(root, "a").unwrap()), Some("2"));
    }

    #[test]
    fn syntax_error_points_at_the_byte() {
        let text = "é: [1\nb: 2\n";
        let err = parse(text).unwrap_err();
        assert_eq!(err.span.start, text.rfind(':').unwrap());
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
    }

    #[test]
    fn missing_pointer_resolves_to_nearest_ancestor() {
        let text = "paths:\n  /pets:\n    get: {}\n";
        let t = tree(text);
        let found = t.locate("/paths/~1pets/get/responses/200").unwrap();
        assert!(!found.exact);
        assert_eq!(slice(text, found.key.unwrap()), "get");
    }

    #[test]
    fn char_offsets_walk_both_ways() {
        let text = "aé€😀b";
        let mut o = CharOffsets::new(text);
        assert_eq!(o.byte(4), text.find('b').unwrap());
        assert_eq!(o.byte(2), text.find('€').unwrap());
        assert_eq!(o.byte(3), text.find('😀').unwrap());
        assert_eq!(o.byte(0), 0);
        assert_eq!(o.byte(99), text.len());
    }
}
