//! `DROP <kind> [IF EXISTS] name, …` read from tokens, shared by the drop rules.

use crate::parse::{SqlToken, Statement};
use crate::schema::TableName;
use sqlparser::tokenizer::Token;

/// A `DROP` statement.
pub(crate) struct Drop {
    /// The object kind, upper-cased (`TABLE`, `MATERIALIZED VIEW`, `FUNCTION`).
    pub kind: String,
    /// Whether `IF EXISTS` is given.
    pub if_exists: bool,
    /// The dropped names.
    pub names: Vec<TableName>,
}

/// Kinds of two words.
const TWO_WORD: &[&str] = &["MATERIALIZED", "FOREIGN", "EVENT", "TEXT", "ACCESS"];

/// Reads `DROP <kind> [CONCURRENTLY] [IF EXISTS] name [(args)], …`.
pub(crate) fn read(statement: &Statement) -> Option<Drop> {
    let tokens: Vec<&SqlToken> = statement.tokens.iter().collect();
    if !tokens.first()?.is_word("DROP") {
        return None;
    }
    let mut kind = tokens.get(1)?.keyword()?;
    let mut at = 2;
    if TWO_WORD.contains(&kind.as_str()) {
        kind = format!("{kind} {}", tokens.get(2)?.keyword()?);
        at = 3;
    }
    if tokens.get(at).is_some_and(|t| t.is_word("CONCURRENTLY")) {
        at += 1;
    }
    let if_exists = tokens.get(at).is_some_and(|t| t.is_word("IF"))
        && tokens.get(at + 1).is_some_and(|t| t.is_word("EXISTS"));
    if if_exists {
        at += 2;
    }
    let mut names = Vec::new();
    while let Some((name, used)) = tokens.get(at..).and_then(TableName::from_tokens) {
        names.push(name);
        at += used;
        if tokens.get(at).is_some_and(|t| t.token == Token::LParen) {
            at += skip_parens(tokens.get(at..).unwrap_or_default());
        }
        if tokens.get(at).is_some_and(|t| t.token == Token::Comma) {
            at += 1;
        } else {
            break;
        }
    }
    Some(Drop {
        kind,
        if_exists,
        names,
    })
}

fn skip_parens(tokens: &[&SqlToken]) -> usize {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

/// Whether a statement creates an object of `kind` named `name`
/// (`CREATE [OR REPLACE] [MATERIALIZED] VIEW name`, …).
pub(crate) fn creates(statement: &Statement, kind: &str, name: &TableName) -> bool {
    let tokens: Vec<&SqlToken> = statement.tokens.iter().collect();
    if !tokens.first().is_some_and(|t| t.is_word("CREATE")) {
        return false;
    }
    let kind_words: Vec<&str> = kind.split(' ').collect();
    let Some(start) = (1..tokens.len().min(8)).find(|&i| {
        kind_words
            .iter()
            .enumerate()
            .all(|(k, w)| tokens.get(i + k).is_some_and(|t| t.is_word(w)))
    }) else {
        return false;
    };
    let mut at = start + kind_words.len();
    while tokens
        .get(at)
        .is_some_and(|t| t.is_word("IF") || t.is_word("NOT") || t.is_word("EXISTS"))
    {
        at += 1;
    }
    tokens
        .get(at..)
        .and_then(TableName::from_tokens)
        .is_some_and(|(created, _)| created.matches(name))
}
