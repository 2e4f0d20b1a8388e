//! JSON to span tree, driven by jsonc-parser's scanner (byte ranges, strings
//! borrowed when unescaped). The grammar is strict JSON: no comments, no
//! trailing commas, since the tools that consume a spec reject them too.

use std::borrow::Cow;

use backend_check_core::Span;
use jsonc_parser::tokens::Token;
use jsonc_parser::{Scanner, ScannerOptions};

use super::tree::{Entry, EntryKind, NodeId, Tree, TreeBuilder, Value};
use super::SyntaxError;

/// Parses a JSON document.
pub fn parse(text: &str) -> Result<Tree<'_>, SyntaxError> {
    let mut parser = JsonBuilder::new(text);
    parser.run()?;
    Ok(parser.tree.finish())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// A value must come (the root, after `:`, after `,` in an array).
    Value,
    /// Just after `[`: a value or `]`.
    FirstItem,
    /// Just after `{`: a key or `}`.
    FirstKey,
    /// After `,` in an object.
    Key,
    /// After a key.
    Colon,
    /// After a value inside a collection.
    CommaOrClose,
    /// After the root value.
    Done,
}

enum Frame {
    Object {
        node: NodeId,
        scratch: usize,
        key: Option<NodeId>,
    },
    Array {
        node: NodeId,
        scratch: usize,
    },
}

struct JsonBuilder<'a> {
    text: &'a str,
    /// Where the scanned text starts: past a leading byte-order mark, which
    /// RFC 8259 lets a parser ignore (editors on Windows write one).
    offset: usize,
    scanner: Scanner<'a>,
    tree: TreeBuilder<'a>,
    frames: Vec<Frame>,
    entry_scratch: Vec<Entry>,
    item_scratch: Vec<NodeId>,
    state: State,
}

fn strict_options() -> ScannerOptions {
    ScannerOptions {
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    }
}

fn error(span: Span, message: impl Into<String>) -> SyntaxError {
    SyntaxError {
        span,
        message: message.into(),
    }
}

impl<'a> JsonBuilder<'a> {
    fn new(text: &'a str) -> JsonBuilder<'a> {
        let offset = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        JsonBuilder {
            text,
            offset,
            scanner: Scanner::new(&text[offset..], &strict_options()),
            tree: TreeBuilder::with_capacity(text.len() / 24),
            frames: Vec::new(),
            entry_scratch: Vec::new(),
            item_scratch: Vec::new(),
            state: State::Value,
        }
    }

    fn run(&mut self) -> Result<(), SyntaxError> {
        loop {
            let token = self
                .scanner
                .scan()
                .map_err(|e| scan_error(&e, self.offset))?;
            let span = Span::new(
                self.offset + self.scanner.token_start(),
                self.offset + self.scanner.token_end(),
            );
            match token {
                None => return self.end_of_input(),
                Some(Token::CommentLine(_) | Token::CommentBlock(_)) => {
                    return Err(error(span, "invalid JSON: comments are not allowed"))
                }
                Some(token) => self.on_token(token, span)?,
            }
        }
    }

    fn end_of_input(&self) -> Result<(), SyntaxError> {
        if self.state == State::Done {
            return Ok(());
        }
        let what = if self.tree.has_root() || !self.frames.is_empty() {
            "invalid JSON: unexpected end of file, a value or bracket is missing"
        } else {
            "invalid JSON: the file holds no value"
        };
        Err(error(Span::at(self.text.len()), what))
    }

    fn on_token(&mut self, token: Token<'a>, span: Span) -> Result<(), SyntaxError> {
        match (self.state, token) {
            (State::Done, _) => Err(error(
                span,
                "invalid JSON: unexpected content after the document's value",
            )),
            (State::Value | State::FirstItem, Token::OpenBrace) => {
                self.open_object(span);
                Ok(())
            }
            (State::Value | State::FirstItem, Token::OpenBracket) => {
                self.open_array(span);
                Ok(())
            }
            (State::FirstItem, Token::CloseBracket)
            | (State::CommaOrClose, Token::CloseBracket)
                if matches!(self.frames.last(), Some(Frame::Array { .. })) =>
            {
                self.close(span);
                Ok(())
            }
            (State::FirstKey, Token::CloseBrace) | (State::CommaOrClose, Token::CloseBrace)
                if matches!(self.frames.last(), Some(Frame::Object { .. })) =>
            {
                self.close(span);
                Ok(())
            }
            (State::Value, Token::CloseBracket)
                if matches!(self.frames.last(), Some(Frame::Array { .. })) =>
            {
                Err(error(span, "invalid JSON: trailing comma before `]`"))
            }
            (State::Value | State::FirstItem, token) => match scalar(token) {
                Some(value) => {
                    let node = self.tree.push(span, value);
                    self.complete(node);
                    Ok(())
                }
                None => Err(error(span, expected_value_message(self.state))),
            },
            (State::FirstKey | State::Key, Token::String(name)) => {
                let node = self.tree.push(span, Value::String(name));
                if let Some(Frame::Object { key, .. }) = self.frames.last_mut() {
                    *key = Some(node);
                }
                self.state = State::Colon;
                Ok(())
            }
            (State::Key, Token::CloseBrace) => {
                Err(error(span, "invalid JSON: trailing comma before `}`"))
            }
            (State::FirstKey | State::Key, _) => Err(error(
                span,
                "invalid JSON: expected a property name in double quotes",
            )),
            (State::Colon, Token::Colon) => {
                self.state = State::Value;
                Ok(())
            }
            (State::Colon, _) => Err(error(
                span,
                "invalid JSON: expected `:` after the property name",
            )),
            (State::CommaOrClose, Token::Comma) => {
                self.state = match self.frames.last() {
                    Some(Frame::Object { .. }) => State::Key,
                    _ => State::Value,
                };
                Ok(())
            }
            (State::CommaOrClose, _) => Err(error(span, self.expected_comma_message())),
        }
    }

    fn expected_comma_message(&self) -> &'static str {
        match self.frames.last() {
            Some(Frame::Object { .. }) => "invalid JSON: expected `,` or `}` after the value",
            _ => "invalid JSON: expected `,` or `]` after the value",
        }
    }

    fn open_object(&mut self, span: Span) {
        let node = self.tree.push(span, Value::Null);
        self.frames.push(Frame::Object {
            node,
            scratch: self.entry_scratch.len(),
            key: None,
        });
        self.state = State::FirstKey;
    }

    fn open_array(&mut self, span: Span) {
        let node = self.tree.push(span, Value::Null);
        self.frames.push(Frame::Array {
            node,
            scratch: self.item_scratch.len(),
        });
        self.state = State::FirstItem;
    }

    fn close(&mut self, span: Span) {
        let node = match self.frames.pop() {
            Some(Frame::Object { node, scratch, .. }) => {
                let entries = self.entry_scratch.drain(scratch..);
                self.tree.close_mapping(node, entries);
                node
            }
            Some(Frame::Array { node, scratch }) => {
                let items = self.item_scratch.drain(scratch..);
                self.tree.close_sequence(node, items);
                node
            }
            None => return,
        };
        self.tree.set_end(node, span.end);
        self.complete(node);
    }

    fn complete(&mut self, node: NodeId) {
        match self.frames.last_mut() {
            Some(Frame::Object { key, .. }) => {
                if let Some(key) = key.take() {
                    self.entry_scratch.push(Entry {
                        key,
                        value: node,
                        kind: EntryKind::Own,
                    });
                }
                self.state = State::CommaOrClose;
            }
            Some(Frame::Array { .. }) => {
                self.item_scratch.push(node);
                self.state = State::CommaOrClose;
            }
            None => {
                self.tree.set_root(node);
                self.state = State::Done;
            }
        }
    }
}

fn expected_value_message(state: State) -> &'static str {
    match state {
        State::FirstItem => "invalid JSON: expected a value or `]`",
        _ => "invalid JSON: expected a value",
    }
}

fn scalar(token: Token<'_>) -> Option<Value<'_>> {
    match token {
        Token::String(s) => Some(Value::String(s)),
        Token::Number(n) => Some(Value::Number(Cow::Borrowed(n))),
        Token::Boolean(b) => Some(Value::Bool(b)),
        Token::Null => Some(Value::Null),
        _ => None,
    }
}

fn scan_error(err: &jsonc_parser::errors::ParseError, offset: usize) -> SyntaxError {
    let range = err.range();
    error(
        Span::at(offset + range.start),
        format!("invalid JSON: {}", lower_first(&err.kind().to_string())),
    )
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(text: &str, span: Span) -> &str {
        &text[span.start..span.end]
    }

    #[test]
    fn spans_cover_keys_and_values() {
        let text =
            r#"{"paths": {"/pets": {"get": {"responses": {"200": {}}}}}, "n": [1, "é", null]}"#;
        let t = parse(text).unwrap();
        let r = t.locate("/paths/~1pets/get/responses").unwrap();
        assert!(r.exact);
        assert_eq!(slice(text, r.key.unwrap()), "\"responses\"");
        assert_eq!(slice(text, r.value), r#"{"200": {}}"#);
        let item = t.locate("/n/1").unwrap();
        assert_eq!(slice(text, item.value), "\"é\"");
        assert_eq!(t.text(item.node), Some("é"));
    }

    #[test]
    fn a_leading_byte_order_mark_is_read_past() {
        let text = "\u{feff}{\"openapi\": \"3.0.3\", \"paths\": {}}";
        let t = parse(text).unwrap();
        let r = t.locate("/openapi").unwrap();
        assert_eq!(slice(text, r.value), "\"3.0.3\"");
        let err = parse("\u{feff}{\"a\": 1,}").unwrap_err();
        assert_eq!(err.span.start, "\u{feff}{\"a\": 1,".len());
    }

    #[test]
    fn escaped_keys_are_unescaped() {
        let text = r#"{"a\/b": 1, "\u00e9": 2}"#;
        let t = parse(text).unwrap();
        assert!(t.lookup("/a~1b").is_some());
        assert!(t.lookup("/é").is_some());
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let cases = [
            ("{\"a\": 1,}", "}"),
            ("{\"a\": 1 \"b\": 2}", "\"b\""),
            ("[1, 2", ""),
            ("{\"a\": 1} x", "x"),
            ("{\"a\" 1}", "1"),
            ("{\"a\": // c\n 1}", "//"),
            ("{\"a\": 'x'}", "'"),
        ];
        for (text, at) in cases {
            let err = parse(text).unwrap_err();
            let expected = if at.is_empty() {
                text.len()
            } else {
                text.find(at).unwrap()
            };
            assert_eq!(err.span.start, expected, "{text}: {}", err.message);
            assert!(err.message.starts_with("invalid JSON: "), "{}", err.message);
        }
    }

    #[test]
    fn empty_input_is_an_error() {
        assert!(parse("  \n").is_err());
    }

    #[test]
    fn duplicate_keys_are_kept_and_last_wins() {
        let t = parse(r#"{"a": 1, "a": 2}"#).unwrap();
        let root = t.root().unwrap();
        assert_eq!(t.entries(root).len(), 2);
        assert_eq!(t.text(t.get_value(root, "a").unwrap()), Some("2"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let t = parse(&text).unwrap();
        assert_eq!(t.len(), 100_000);
    }
}
