//! How deeply a Rust file nests, measured before syn sees it.
//!
//! syn parses recursively, and so do its `Visit` walks and the drop of its syntax
//! tree: a file with a few hundred nested blocks, parentheses or chained operators
//! overflows a worker thread's stack, which aborts the whole process. A stack
//! overflow cannot be caught, so the depth is measured first with one linear pass
//! over the bytes, and the parse runs where its stack suffices, or not at all.
//!
//! The measure is an upper bound on how deeply syn recurses: the delimiters open at
//! a point, plus the operator tokens (`.`, `+`, `!`, `&`, `else`, …) seen since the
//! last `;` or `,` at every enclosing level, since each may nest one expression or
//! type inside the next (`a.b().c()`, `!!x`, `else if … else if`, `&&&T`).

/// The deepest point of a file's nesting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Depth {
    /// The largest measure seen.
    pub(crate) max: usize,
    /// The byte offset where the measure first exceeded the limit passed to [`measure`].
    pub(crate) exceeded_at: Option<usize>,
}

/// Measures `text`, noting where the measure first exceeds `limit`.
pub(crate) fn measure(text: &str, limit: usize) -> Depth {
    let mut scan = Scan {
        bytes: text.as_bytes(),
        at: 0,
        levels: Vec::new(),
        current: 0,
        depth: 0,
        max: 0,
        exceeded_at: None,
        limit,
        after_brace: false,
    };
    scan.run();
    Depth {
        max: scan.max,
        exceeded_at: scan.exceeded_at,
    }
}

struct Scan<'a> {
    bytes: &'a [u8],
    at: usize,
    /// The operator count of each enclosing level, outermost first.
    levels: Vec<usize>,
    /// The operator count of the innermost level since its last `;` or `,`.
    current: usize,
    /// The measure at this point: open delimiters plus every level's count.
    depth: usize,
    max: usize,
    exceeded_at: Option<usize>,
    limit: usize,
    /// Just after a `}`: the next token says whether it ended a statement or
    /// an item (`fn a() {} fn b() {}`, `if x {} y;`) or goes on with it
    /// (`} else {`, `}.await`, `} + 1`).
    after_brace: bool,
}

impl Scan<'_> {
    fn run(&mut self) {
        while let Some(&byte) = self.bytes.get(self.at) {
            let start = self.at;
            if self.after_brace && !byte.is_ascii_whitespace() && !self.at_comment() {
                self.after_brace = false;
                if !self.continues_expression(byte) {
                    self.end_statement();
                }
            }
            self.at += 1;
            match byte {
                b'/' if self.peek() == Some(b'/') => self.skip_line(),
                b'/' if self.peek() == Some(b'*') => self.skip_block_comment(),
                b'"' => self.skip_string(),
                b'\'' => self.skip_quote(),
                b'(' | b'[' | b'{' => self.open(start),
                b')' | b']' => self.close(),
                b'}' => {
                    self.close();
                    self.after_brace = true;
                }
                b';' | b',' => self.end_statement(),
                b'.' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'!' | b'&' | b'|' | b'<'
                | b'>' | b'=' | b'?' => self.operator(start),
                b'r' | b'b' | b'c' if !self.after_ident_char(start) => self.prefixed(start),
                b if is_ident_byte(b) => self.word(start),
                _ => {}
            }
        }
    }

    fn at_comment(&self) -> bool {
        self.bytes.get(self.at) == Some(&b'/')
            && matches!(self.bytes.get(self.at + 1), Some(b'/' | b'*'))
    }

    /// Whether the token at `self.at` (starting with `byte`) carries on the
    /// expression a `}` closed: an operator, `.`, `?`, `else` or `as`.
    fn continues_expression(&self, byte: u8) -> bool {
        match byte {
            b'.' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'!' | b'&' | b'|' | b'<' | b'>'
            | b'=' | b'?' => true,
            b if is_ident_byte(b) => {
                let word = self.bytes[self.at..]
                    .iter()
                    .take_while(|&&b| is_ident_byte(b))
                    .count();
                matches!(&self.bytes[self.at..self.at + word], b"else" | b"as")
            }
            _ => false,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn after_ident_char(&self, at: usize) -> bool {
        at > 0 && self.bytes.get(at - 1).is_some_and(|&b| is_ident_byte(b))
    }

    fn deepen(&mut self, at: usize) {
        self.depth += 1;
        if self.depth > self.max {
            self.max = self.depth;
            if self.max > self.limit && self.exceeded_at.is_none() {
                self.exceeded_at = Some(at);
            }
        }
    }

    fn open(&mut self, at: usize) {
        self.levels.push(self.current);
        self.current = 0;
        self.deepen(at);
    }

    fn close(&mut self) {
        // A stray closer (the file will not parse) leaves the measure where it is.
        if let Some(outer) = self.levels.pop() {
            self.depth = self.depth.saturating_sub(self.current + 1);
            self.current = outer;
        }
    }

    fn end_statement(&mut self) {
        self.depth = self.depth.saturating_sub(self.current);
        self.current = 0;
    }

    fn operator(&mut self, at: usize) {
        self.current += 1;
        self.deepen(at);
    }

    /// An identifier or keyword; `else` nests the `if` that follows it.
    fn word(&mut self, start: usize) {
        while self.peek().is_some_and(is_ident_byte) {
            self.at += 1;
        }
        if &self.bytes[start..self.at] == b"else" {
            self.operator(start);
        }
    }

    /// `r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`, `c"…"`, `b'x'`, or an identifier starting so.
    fn prefixed(&mut self, start: usize) {
        if self.bytes[start] != b'r' && self.peek() == Some(b'r') {
            self.at += 1;
        }
        let raw = self.bytes[self.at - 1] == b'r';
        let hashes_start = self.at;
        while raw && self.peek() == Some(b'#') {
            self.at += 1;
        }
        let hashes = self.at - hashes_start;
        match self.peek() {
            Some(b'"') if raw => {
                self.at += 1;
                self.skip_raw_string(hashes);
            }
            Some(b'"') if hashes == 0 => {
                self.at += 1;
                self.skip_string();
            }
            Some(b'\'') if hashes == 0 && self.bytes[start] == b'b' => {
                self.at += 1;
                self.skip_quote();
            }
            // `r#ident` or a plain identifier.
            _ => self.word(start),
        }
    }

    fn skip_line(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if b == b'\n' {
                break;
            }
        }
    }

    fn skip_block_comment(&mut self) {
        self.at += 1;
        let mut open = 1usize;
        while open > 0 && self.at < self.bytes.len() {
            match (self.bytes[self.at], self.bytes.get(self.at + 1)) {
                (b'/', Some(b'*')) => {
                    open += 1;
                    self.at += 2;
                }
                (b'*', Some(b'/')) => {
                    open -= 1;
                    self.at += 2;
                }
                _ => self.at += 1,
            }
        }
    }

    fn skip_string(&mut self) {
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => break,
                _ => {}
            }
        }
    }

    fn skip_raw_string(&mut self, hashes: usize) {
        while let Some(&b) = self.bytes.get(self.at) {
            self.at += 1;
            if b == b'"' {
                let closing = self.bytes[self.at..]
                    .iter()
                    .take(hashes)
                    .take_while(|&&h| h == b'#')
                    .count();
                if closing == hashes {
                    self.at += hashes;
                    break;
                }
            }
        }
    }

    /// A character literal (`'a'`, `'\n'`, `'\u{1F600}'`), or a lifetime or label.
    fn skip_quote(&mut self) {
        match self.peek() {
            Some(b'\\') => {
                self.at += 2;
                while let Some(&b) = self.bytes.get(self.at) {
                    self.at += 1;
                    if b == b'\'' || b == b'\n' {
                        break;
                    }
                }
            }
            Some(first) => {
                let width = utf8_width(first);
                if self.bytes.get(self.at + width) == Some(&b'\'') {
                    self.at += width + 1;
                }
                // Otherwise a lifetime: its name is scanned as a word next.
            }
            None => {}
        }
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::measure;

    fn max(text: &str) -> usize {
        measure(text, usize::MAX).max
    }

    #[test]
    fn delimiters_and_operators_add_up() {
        assert_eq!(max("fn f() {}"), 1);
        assert_eq!(max("fn f() { g(h(1)); }"), 3);
        assert_eq!(max("fn f() { a.b().c(); }"), 4);
        assert_eq!(max("fn f() { x; y; }"), 1);
    }

    #[test]
    fn statements_and_commas_reset_the_operator_count() {
        let chain = "fn f() { a.b(); a.b(); a.b(); }";
        assert_eq!(max(chain), 3);
        assert_eq!(max("fn f() { [!a, !b, !c] }"), 3);
    }

    #[test]
    fn items_and_block_statements_end_at_their_brace() {
        let item = "pub fn f(x: u64) -> u64 { let y = x + 1; y * 2 }\n";
        assert_eq!(max(&item.repeat(1000)), max(item));
        let blocks = "fn f() { if a { b(); } if c { d(); } if e { g(); } }";
        assert_eq!(max(blocks), 3);
        assert_eq!(max("fn f() { if a {} x.y.z.w }"), 4);
        // An expression that goes on after a brace keeps its count.
        assert_eq!(max("fn f() { a + {}.b.c.d.e }"), 6);
        assert_eq!(max("fn f() { a + {} // c\n .b.c.d.e }"), 6);
    }

    #[test]
    fn else_if_chains_nest() {
        let text = "fn f() { if a {} else if b {} else if c {} else {} }";
        assert_eq!(max(text), 5);
    }

    #[test]
    fn strings_comments_and_chars_hide_their_delimiters() {
        let text = r####"fn f() {
            let a = "(((({{{{";
            let b = r#"(((( "quoted" {{{{"#;
            let c = b"((((";
            let d = '(';
            let e = '\'';
            let l: &'static str = "x";
            // ((((((
            /* (((( /* nested (((( */ (((( */
        }"####;
        assert_eq!(max(text), 3);
    }

    #[test]
    fn reports_where_the_limit_is_first_exceeded() {
        let text = format!("fn f() {}{}", "{".repeat(10), "}".repeat(10));
        let depth = measure(&text, 5);
        assert_eq!(depth.max, 10);
        assert_eq!(depth.exceeded_at, Some(text.find('{').unwrap() + 5));
    }

    #[test]
    fn stray_closers_do_not_underflow() {
        assert_eq!(max("}}} fn f() { ))) }"), 1);
    }
}
