//! The second pass: the SQL statements inside a PostgreSQL `DO` block or a
//! dollar-quoted `CREATE FUNCTION`/`PROCEDURE` body, tokenised again with
//! spans in the real file. PL/pgSQL control words (`DECLARE`, `IF … THEN`,
//! `LOOP`, `END IF`) are skipped: each inner statement starts at its SQL
//! command (`ALTER`, `UPDATE`, `EXECUTE`, …).

use backend_check_core::{SourceFile, Span};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

use super::offsets::OffsetCursor;
use super::split::{is_significant, statement_ranges};
use super::{parse_tokens, SqlToken, Statement};

/// Commands an inner statement may start with.
const COMMANDS: &[&str] = &[
    "ALTER", "CREATE", "DROP", "UPDATE", "INSERT", "DELETE", "TRUNCATE", "GRANT", "REVOKE",
    "COMMENT", "REINDEX", "LOCK", "EXECUTE", "MERGE", "REFRESH", "CLUSTER",
];

/// Words after which a PL/pgSQL statement may start.
const OPENERS: &[&str] = &["BEGIN", "THEN", "ELSE", "LOOP", "DECLARE"];

/// The inner statements of `statement` when it is a `DO` block or a routine
/// with a dollar-quoted body; empty otherwise.
pub(crate) fn inner_statements(file: &SourceFile, statement: &Statement) -> Vec<Statement> {
    let Some((start, body)) = body_of(file, statement) else {
        return Vec::new();
    };
    let dialect = PostgreSqlDialect {};
    let mut raw = Vec::new();
    if Tokenizer::new(&dialect, body)
        .with_unescape(false)
        .tokenize_with_location_into_buf(&mut raw)
        .is_err()
    {
        return Vec::new();
    }
    let mut cursor = OffsetCursor::new(file, start);
    let spans: Vec<Span> = raw
        .iter()
        .map(|t| {
            let a = cursor.offset(t.span.start);
            let b = cursor.offset(t.span.end);
            Span::new(a, b.max(a))
        })
        .collect();
    statement_ranges(&raw)
        .into_iter()
        .filter_map(|range| {
            let tokens = raw.get(range.start..range.end)?;
            let token_spans = spans.get(range.start..range.end)?;
            inner(tokens, token_spans)
        })
        .collect()
}

/// Whether the second pass reads the body of `statement` (a `DO` block or a
/// routine with a dollar-quoted body that tokenises).
pub(crate) fn splits_body(file: &SourceFile, statement: &Statement) -> bool {
    body_of(file, statement).is_some_and(|(_, body)| {
        let mut raw = Vec::new();
        Tokenizer::new(&PostgreSqlDialect {}, body)
            .with_unescape(false)
            .tokenize_with_location_into_buf(&mut raw)
            .is_ok()
    })
}

/// The byte offset where the body's text starts, and the text.
fn body_of<'f>(file: &'f SourceFile, statement: &Statement) -> Option<(usize, &'f str)> {
    let first = statement.tokens.first()?;
    let routine = first.is_word("CREATE")
        && statement
            .tokens
            .iter()
            .take(5)
            .any(|t| t.is_word("FUNCTION") || t.is_word("PROCEDURE"));
    if !(statement.is_do_block() || routine) {
        return None;
    }
    let (token, quoted) = statement.tokens.iter().find_map(|t| match &t.token {
        Token::DollarQuotedString(q) => Some((t, q)),
        _ => None,
    })?;
    let opener = quoted.tag.as_ref().map_or(2, |tag| tag.len() + 2);
    let start = token.span.start + opener;
    let text = file.slice(Span::new(start, start + quoted.value.len()));
    (text == quoted.value).then_some((start, text))
}

/// One inner statement from a piece between semicolons, starting at the
/// last SQL command that follows a PL/pgSQL opener at the top level.
fn inner(tokens: &[TokenWithSpan], spans: &[Span]) -> Option<Statement> {
    let significant: Vec<usize> = (0..tokens.len())
        .filter(|&i| tokens.get(i).is_some_and(|t| is_significant(&t.token)))
        .collect();
    let mut depth = 0usize;
    let mut start = None;
    let mut after_opener = true;
    for &i in &significant {
        let token = &tokens.get(i)?.token;
        let word = match token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        };
        if depth == 0 && after_opener && word.as_deref().is_some_and(|w| COMMANDS.contains(&w)) {
            start = Some(i);
        }
        after_opener = depth == 0 && word.as_deref().is_some_and(|w| OPENERS.contains(&w));
        match token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let start = start?;
    let raw = tokens.get(start..)?;
    let kept: Vec<SqlToken> = raw
        .iter()
        .zip(spans.get(start..)?)
        .filter(|(t, _)| is_significant(&t.token))
        .map(|(t, span)| SqlToken {
            token: t.token.clone(),
            span: *span,
        })
        .collect();
    let span = Span::new(kept.first()?.span.start, kept.last()?.span.end);
    let sql = super::normalise::plpgsql_into(raw);
    let into_dropped = matches!(sql, std::borrow::Cow::Owned(_));
    let (parsed, normalised) = parse_tokens(&PostgreSqlDialect {}, &sql);
    let normalised = normalised || into_dropped;
    Some(Statement {
        span,
        tokens: kept,
        parsed,
        normalised,
        body: Vec::new(),
    })
}
