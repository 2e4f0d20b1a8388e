//! Splits a token stream into statements at top-level semicolons.

use sqlparser::keywords::Keyword;
use sqlparser::tokenizer::{Token, TokenWithSpan};

/// The raw token range `[start, end)` of one statement, without its semicolon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Range {
    pub start: usize,
    pub end: usize,
}

/// Finds statement ranges. A semicolon inside a `BEGIN … END` block of a
/// `CREATE TRIGGER`, `FUNCTION`, `PROCEDURE` or `EVENT` statement (SQLite and
/// MySQL triggers, `BEGIN ATOMIC` bodies) does not end the statement; dollar-
/// quoted bodies are single tokens and need no care.
pub(crate) fn statement_ranges(tokens: &[TokenWithSpan]) -> Vec<Range> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut block = BlockTracker::default();
    for (index, token) in tokens.iter().enumerate() {
        match &token.token {
            Token::SemiColon if block.depth == 0 => {
                ranges.push(Range { start, end: index });
                start = index + 1;
                block = BlockTracker::default();
            }
            Token::Whitespace(_) => {}
            Token::Word(word) => block.word(word.keyword, &word.value, word.quote_style.is_some()),
            _ => block.other(),
        }
    }
    if start < tokens.len() {
        ranges.push(Range {
            start,
            end: tokens.len(),
        });
    }
    ranges.retain(|r| {
        tokens
            .get(r.start..r.end)
            .is_some_and(|ts| ts.iter().any(|t| is_significant(&t.token)))
    });
    ranges
}

/// Whether a token is more than whitespace, a comment or the end marker.
pub(crate) fn is_significant(token: &Token) -> bool {
    !matches!(token, Token::Whitespace(_) | Token::EOF)
}

#[derive(Default, PartialEq, Eq)]
enum Kind {
    #[default]
    Undecided,
    Plain,
    Routine,
}

/// Follows `BEGIN … END` nesting inside routine and trigger definitions.
#[derive(Default)]
struct BlockTracker {
    words: usize,
    kind: Kind,
    depth: usize,
    after_end: bool,
}

/// How many leading words may precede `TRIGGER`/`FUNCTION`/… in a `CREATE`
/// (`CREATE OR REPLACE DEFINER = x TEMPORARY TRIGGER`).
const ROUTINE_WORD_WINDOW: usize = 10;

impl BlockTracker {
    fn word(&mut self, keyword: Keyword, value: &str, quoted: bool) {
        self.words += 1;
        let after_end = std::mem::take(&mut self.after_end);
        if quoted {
            return;
        }
        match self.kind {
            Kind::Undecided => self.decide(keyword),
            Kind::Routine => self.block_word(&value.to_ascii_uppercase(), after_end),
            Kind::Plain => {}
        }
    }

    fn decide(&mut self, keyword: Keyword) {
        if self.words == 1 && keyword != Keyword::CREATE {
            self.kind = Kind::Plain;
        } else if matches!(
            keyword,
            Keyword::TRIGGER | Keyword::FUNCTION | Keyword::PROCEDURE | Keyword::EVENT
        ) {
            self.kind = Kind::Routine;
        } else if self.words >= ROUTINE_WORD_WINDOW {
            self.kind = Kind::Plain;
        }
    }

    /// `END IF`, `END LOOP`, … close no `BEGIN`; `END CASE` closes its `CASE`.
    fn block_word(&mut self, word: &str, after_end: bool) {
        match word {
            "IF" | "LOOP" | "WHILE" | "REPEAT" if after_end => {
                self.depth += 1;
            }
            "CASE" if after_end => {}
            "BEGIN" | "CASE" => self.depth += 1,
            "END" => {
                self.depth = self.depth.saturating_sub(1);
                self.after_end = true;
            }
            _ => {}
        }
    }

    fn other(&mut self) {
        self.after_end = false;
    }
}
