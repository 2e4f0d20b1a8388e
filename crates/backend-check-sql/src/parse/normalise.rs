//! Rewrites of a statement's tokens before sqlparser sees them, for
//! PostgreSQL forms it does not know but whose meaning survives without the
//! rewritten words. The statement keeps its real tokens; only the parser's
//! copy changes.

use std::borrow::Cow;

use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::split::is_significant;

/// The indices of the tokens that are not whitespace or comments.
fn significant(tokens: &[TokenWithSpan]) -> impl Iterator<Item = usize> + '_ {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| is_significant(&t.token))
        .map(|(i, _)| i)
}

/// Whether a token is the unquoted word `word` (any case).
fn is_word(token: &TokenWithSpan, word: &str) -> bool {
    matches!(&token.token, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(word))
}

/// The tokens to hand to the parser (PostgreSQL only).
pub(crate) fn for_parser(tokens: &[TokenWithSpan]) -> Cow<'_, [TokenWithSpan]> {
    let significant: Vec<usize> = significant(tokens).take(6).collect();
    let word = |n: usize, w: &str| {
        significant
            .get(n)
            .and_then(|&i| tokens.get(i))
            .is_some_and(|t| is_word(t, w))
    };
    let at = |n: usize| significant.get(n).copied();
    let mut drop: Vec<usize> = Vec::new();
    if word(0, "DROP") && word(1, "INDEX") && word(2, "CONCURRENTLY") {
        // `DROP INDEX CONCURRENTLY [IF EXISTS] name`
        drop.extend(at(2));
    } else if word(0, "ALTER") && word(1, "INDEX") && word(2, "IF") && word(3, "EXISTS") {
        // `ALTER INDEX IF EXISTS a RENAME TO b`
        drop.extend(at(2));
        drop.extend(at(3));
    } else if word(0, "COMMENT") && word(1, "ON") && (word(2, "FUNCTION") || word(2, "PROCEDURE")) {
        // `COMMENT ON FUNCTION f(int) IS '…'`: the signature goes
        drop.extend(argument_list(tokens, at(3).unwrap_or(0)));
    } else if word(0, "CREATE") && (word(1, "FUNCTION") || word(3, "FUNCTION")) {
        // `CREATE FUNCTION … COST 100`
        drop.extend(cost_clause(tokens));
    }
    without(tokens, &drop)
}

/// The tokens to hand to the parser (MySQL): `ALTER TABLE t DROP KEY k`, a
/// synonym of `DROP INDEX k` that sqlparser does not know, is read as the latter.
pub(crate) fn for_mysql_parser(tokens: &[TokenWithSpan]) -> Cow<'_, [TokenWithSpan]> {
    let significant: Vec<usize> = significant(tokens).collect();
    let alter_table = significant
        .first()
        .is_some_and(|&i| is_word(&tokens[i], "ALTER"))
        && significant
            .get(1)
            .is_some_and(|&i| is_word(&tokens[i], "TABLE"));
    if !alter_table {
        return Cow::Borrowed(tokens);
    }
    let keys: Vec<usize> = significant
        .windows(2)
        .filter(|w| is_word(&tokens[w[0]], "DROP") && is_word(&tokens[w[1]], "KEY"))
        .map(|w| w[1])
        .collect();
    if keys.is_empty() {
        return Cow::Borrowed(tokens);
    }
    let mut owned = tokens.to_vec();
    for i in keys {
        owned[i].token = Token::make_word("INDEX", None);
    }
    Cow::Owned(owned)
}

/// `tokens` without the ones at the indices in `drop` (borrowed when none).
fn without<'a>(tokens: &'a [TokenWithSpan], drop: &[usize]) -> Cow<'a, [TokenWithSpan]> {
    if drop.is_empty() {
        return Cow::Borrowed(tokens);
    }
    Cow::Owned(
        tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, t)| t.clone())
            .collect(),
    )
}

/// The parenthesised list right after the name starting at `from`.
fn argument_list(tokens: &[TokenWithSpan], from: usize) -> Vec<usize> {
    let Some(open) = tokens
        .iter()
        .enumerate()
        .skip(from)
        .find(|(_, t)| t.token == Token::LParen)
        .map(|(i, _)| i)
    else {
        return Vec::new();
    };
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen => depth += 1,
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return (open..=i).collect();
                }
            }
            _ => {}
        }
    }
    Vec::new()
}

/// `COST <number>` outside the body.
fn cost_clause(tokens: &[TokenWithSpan]) -> Vec<usize> {
    let significant: Vec<usize> = significant(tokens).collect();
    significant
        .windows(2)
        .find_map(|pair| {
            let (&a, &b) = (pair.first()?, pair.get(1)?);
            let cost = matches!(&tokens.get(a)?.token, Token::Word(w) if w.value.eq_ignore_ascii_case("COST"));
            let number = matches!(tokens.get(b)?.token, Token::Number(..));
            (cost && number).then(|| vec![a, b])
        })
        .unwrap_or_default()
}

/// PL/pgSQL only: drops the `INTO [STRICT] target[, …]` that follows a
/// top-level `RETURNING` list in an inner statement of a `DO` block or a
/// function body (`INSERT … RETURNING id INTO new_id`). The targets are
/// PL/pgSQL variables, not part of the SQL statement.
pub(crate) fn plpgsql_into(tokens: &[TokenWithSpan]) -> Cow<'_, [TokenWithSpan]> {
    let significant: Vec<usize> = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| is_significant(&t.token))
        .map(|(i, _)| i)
        .collect();
    let is = |i: usize, w: &str| {
        tokens.get(i).is_some_and(|t| matches!(&t.token, Token::Word(x) if x.quote_style.is_none() && x.value.eq_ignore_ascii_case(w)))
    };
    let mut depth = 0usize;
    let mut returning = false;
    let mut into = None;
    for (n, &i) in significant.iter().enumerate() {
        match tokens.get(i).map(|t| &t.token) {
            Some(Token::LParen) => depth += 1,
            Some(Token::RParen) => depth = depth.saturating_sub(1),
            _ if depth == 0 && is(i, "RETURNING") => returning = true,
            _ if depth == 0 && returning && is(i, "INTO") => {
                into = Some(n);
                break;
            }
            _ => {}
        }
    }
    let Some(n) = into else {
        return Cow::Borrowed(tokens);
    };
    let mut drop: Vec<usize> = significant.get(n).copied().into_iter().collect();
    let mut at = n + 1;
    if significant.get(at).is_some_and(|&i| is(i, "STRICT")) {
        drop.extend(significant.get(at));
        at += 1;
    }
    // Targets: `a`, `r.field`, separated by commas, up to the end.
    let rest: Vec<usize> = significant.get(at..).unwrap_or_default().to_vec();
    let targets_only = rest.iter().all(|&i| {
        matches!(
            tokens.get(i).map(|t| &t.token),
            Some(Token::Word(_) | Token::Comma | Token::Period)
        )
    });
    if !targets_only || rest.is_empty() {
        return Cow::Borrowed(tokens);
    }
    drop.extend(rest);
    without(tokens, &drop)
}
