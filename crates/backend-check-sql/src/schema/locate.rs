//! Finds the bytes of a name or keyword inside a statement, so catalog
//! objects point at their definition rather than at the whole statement.

use backend_check_core::Span;
use sqlparser::tokenizer::Token;

use crate::parse::{SqlToken, Statement};

/// A cursor over a statement's tokens: each search starts after the last
/// match and falls back to the whole statement.
pub(super) struct Locator<'s> {
    tokens: &'s [SqlToken],
    head: Span,
    pos: usize,
}

impl<'s> Locator<'s> {
    pub(super) fn new(statement: &'s Statement) -> Locator<'s> {
        Locator {
            tokens: &statement.tokens,
            head: statement.head(3),
            pos: 0,
        }
    }

    /// The statement's head (its first three tokens).
    pub(super) fn head(&self) -> Span {
        self.head
    }

    /// Skips the first `n` tokens (the command and the object's name).
    pub(super) fn skip(&mut self, n: usize) {
        self.pos = self.pos.max(n);
    }

    /// The next word equal to `word` (ASCII case-insensitive, quoted or
    /// not), or the head.
    pub(super) fn next(&mut self, word: &str) -> Span {
        let found = self
            .find_from(self.pos, word)
            .or_else(|| self.find_from(0, word));
        match found {
            Some(at) => {
                self.pos = at + 1;
                self.tokens.get(at).map_or(self.head, |t| t.span)
            }
            None => self.head,
        }
    }

    fn find_from(&self, from: usize, word: &str) -> Option<usize> {
        self.tokens
            .iter()
            .enumerate()
            .skip(from)
            .find(|(_, t)| matches!(&t.token, Token::Word(w) if w.value.eq_ignore_ascii_case(word)))
            .map(|(at, _)| at)
    }
}
