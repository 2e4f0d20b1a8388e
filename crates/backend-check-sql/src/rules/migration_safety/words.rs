//! Token helpers for the rules that read DDL word by word (SQL024 on).

use sqlparser::tokenizer::Token;

use super::drops;
use crate::engine::Step;
use crate::parse::{SqlToken, Statement};
use crate::schema::TableName;

/// The statement's tokens, by reference.
pub(crate) fn tokens(statement: &Statement) -> Vec<&SqlToken> {
    statement.tokens.iter().collect()
}

/// Whether the statement starts with the words `words`.
pub(crate) fn starts_with(statement: &Statement, words: &[&str]) -> bool {
    words.len() <= statement.tokens.len()
        && words
            .iter()
            .zip(&statement.tokens)
            .all(|(w, t)| t.is_word(w))
}

/// Where the words `words` stand one after the other in `tokens`, from `from` on.
pub(crate) fn find(tokens: &[&SqlToken], from: usize, words: &[&str]) -> Option<usize> {
    (from..tokens.len()).find(|&at| at_words(tokens, at, words))
}

/// Whether the words `words` stand at `at`.
pub(crate) fn at_words(tokens: &[&SqlToken], at: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(k, w)| tokens.get(at + k).is_some_and(|t| t.is_word(w)))
}

/// Skips `IF [NOT] EXISTS` and `ONLY` at `at`; returns where the name starts
/// and whether an `IF` clause was there.
pub(crate) fn skip_if_exists(tokens: &[&SqlToken], mut at: usize) -> (usize, bool) {
    let mut guarded = false;
    while tokens.get(at).is_some_and(|t| {
        t.is_word("IF") || t.is_word("NOT") || t.is_word("EXISTS") || t.is_word("ONLY")
    }) {
        guarded |= tokens.get(at).is_some_and(|t| t.is_word("IF"));
        at += 1;
    }
    (at, guarded)
}

/// The dotted name at `at`, with the index just after it.
pub(crate) fn name_at(tokens: &[&SqlToken], at: usize) -> Option<(TableName, usize)> {
    let (name, used) = TableName::from_tokens(tokens.get(at..)?)?;
    Some((name, at + used))
}

/// Whether the token is a punctuation token `token`.
pub(crate) fn is(token: Option<&&SqlToken>, wanted: &Token) -> bool {
    token.is_some_and(|t| &t.token == wanted)
}

/// Whether an earlier statement of the step's script creates an object of
/// `kind` (`DOMAIN`, `MATERIALIZED VIEW`, …) named `name`.
pub(crate) fn created_earlier(step: &Step<'_>, kind: &str, name: &TableName) -> bool {
    if kind == "TABLE" {
        return !step.existing(name);
    }
    step.script
        .statements
        .iter()
        .take(step.position)
        .any(|s| drops::creates(s, kind, name))
}

/// The token span from the first to the last of `tokens[from..to]`.
pub(crate) fn span_of(
    tokens: &[&SqlToken],
    from: usize,
    to: usize,
) -> Option<backend_check_core::Span> {
    let first = tokens.get(from)?;
    let last = tokens.get(to.max(from + 1) - 1)?;
    Some(backend_check_core::Span::new(
        first.span.start,
        last.span.end.max(first.span.start),
    ))
}

/// In an `ALTER TABLE` of a table the migration did not create, every
/// `ALTER [COLUMN] c <change>` whose change starts with one of `changes`:
/// the table, and `(column, span of the change's first `width` words)`.
pub(crate) fn existing_column_changes(
    step: &Step<'_>,
    changes: &[&[&str]],
    width: usize,
) -> Option<(TableName, Vec<(String, backend_check_core::Span)>)> {
    if !starts_with(step.statement, &["ALTER", "TABLE"]) {
        return None;
    }
    let tokens = tokens(step.statement);
    let (start, _) = skip_if_exists(&tokens, 2);
    let (table, after) = name_at(&tokens, start)?;
    if !step.existing(&table) {
        return None;
    }
    let mut found = Vec::new();
    let mut at = after;
    while at < tokens.len() {
        if tokens.get(at).is_some_and(|t| t.is_word("ALTER")) {
            let mut column_at = at + 1;
            if tokens.get(column_at).is_some_and(|t| t.is_word("COLUMN")) {
                column_at += 1;
            }
            if let Some((column, next)) = name_at(&tokens, column_at) {
                if changes.iter().any(|c| at_words(&tokens, next, c)) {
                    if let Some(span) = span_of(&tokens, next, next + width) {
                        found.push((column.name, span));
                    }
                }
                at = next;
                continue;
            }
        }
        at += 1;
    }
    Some((table, found))
}
