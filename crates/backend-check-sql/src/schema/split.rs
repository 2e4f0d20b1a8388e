//! An `ALTER TABLE` that sqlparser rejects, read one subcommand at a time:
//! `ALTER TABLE t ADD COLUMN a …, ADD CONSTRAINT n NOT NULL a` fails as a
//! whole on the PostgreSQL 18 clause, while its other clauses parse alone.

use backend_check_core::Span;
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, TokenWithSpan};

use super::TableName;
use crate::parse::{SqlToken, Statement};

/// One subcommand of an unparsed `ALTER TABLE`.
pub(super) enum Clause {
    /// The subcommand as an `ALTER TABLE` of its own that parses.
    Parsed(Box<Statement>),
    /// `ADD CONSTRAINT name NOT NULL column` (PostgreSQL 18).
    NotNull { table: TableName, column: String },
}

/// The subcommands of `statement` (an `ALTER TABLE [IF EXISTS] [ONLY] t
/// clause, clause, …`) that can be read on their own.
pub(super) fn alter_clauses(statement: &Statement) -> Vec<Clause> {
    let tokens = &statement.tokens;
    let mut at = 2;
    let word = |i: usize, w: &str| tokens.get(i).is_some_and(|t| t.is_word(w));
    if word(at, "IF") && word(at + 1, "EXISTS") {
        at += 2;
    }
    if word(at, "ONLY") {
        at += 1;
    }
    let refs: Vec<&SqlToken> = tokens.iter().collect();
    let Some((table, used)) = refs.get(at..).and_then(TableName::from_tokens) else {
        return Vec::new();
    };
    let head = tokens.get(..at + used).unwrap_or_default();
    let rest = tokens.get(at + used..).unwrap_or_default();
    clauses(rest)
        .into_iter()
        .filter_map(|clause| read_clause(&table, head, clause))
        .collect()
}

/// Splits at the commas outside parentheses and brackets.
fn clauses(tokens: &[SqlToken]) -> Vec<&[SqlToken]> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, t) in tokens.iter().enumerate() {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => {
                parts.extend(tokens.get(start..i));
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.extend(tokens.get(start..));
    parts.retain(|p| !p.is_empty());
    parts
}

fn read_clause(table: &TableName, head: &[SqlToken], clause: &[SqlToken]) -> Option<Clause> {
    if let [add, constraint, _name, not, null, column] = clause {
        if add.is_word("ADD")
            && constraint.is_word("CONSTRAINT")
            && not.is_word("NOT")
            && null.is_word("NULL")
        {
            if let Token::Word(w) = &column.token {
                let column = if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_lowercase()
                };
                return Some(Clause::NotNull {
                    table: table.clone(),
                    column,
                });
            }
        }
    }
    // CockroachDB's `ADD CONSTRAINT IF NOT EXISTS name`
    let clause: Vec<&SqlToken> = match clause {
        [add, constraint, i, n, e, rest @ ..]
            if add.is_word("ADD")
                && constraint.is_word("CONSTRAINT")
                && i.is_word("IF")
                && n.is_word("NOT")
                && e.is_word("EXISTS") =>
        {
            [add, constraint].into_iter().chain(rest).collect()
        }
        _ => clause.iter().collect(),
    };
    let tokens: Vec<SqlToken> = head.iter().chain(clause).cloned().collect();
    let raw: Vec<TokenWithSpan> = tokens
        .iter()
        .map(|t| TokenWithSpan::wrap(t.token.clone()))
        .collect();
    let mut parser = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(raw);
    let parsed = parser.parse_statement().ok()?;
    if parser.peek_token().token != Token::EOF {
        return None;
    }
    let start = tokens.first()?.span.start;
    let end = tokens.last()?.span.end;
    Some(Clause::Parsed(Box::new(Statement {
        span: Span::new(start, end.max(start)),
        tokens,
        parsed: Ok(parsed),
        normalised: false,
        body: Vec::new(),
    })))
}

/// A `CREATE TABLE` that sqlparser rejects for its PostgreSQL 18 `CONSTRAINT
/// name NOT NULL column` elements: the statement without them, and the
/// columns they make NOT NULL.
pub(super) fn create_without_not_null(statement: &Statement) -> Option<(Statement, Vec<String>)> {
    let tokens = &statement.tokens;
    let open = tokens.iter().position(|t| t.token == Token::LParen)?;
    let mut depth = 0usize;
    let mut close = None;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        match t.token {
            Token::LParen | Token::LBracket => depth += 1,
            Token::RParen | Token::RBracket => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let inner = tokens.get(open + 1..close)?;
    let mut kept: Vec<&[SqlToken]> = Vec::new();
    let mut not_null = Vec::new();
    for element in clauses(inner) {
        match element {
            [constraint, _name, not, null, column, rest @ ..]
                if constraint.is_word("CONSTRAINT")
                    && not.is_word("NOT")
                    && null.is_word("NULL")
                    && rest.iter().all(|t| t.is_word("NO") || t.is_word("INHERIT")) =>
            {
                let Token::Word(w) = &column.token else {
                    return None;
                };
                not_null.push(if w.quote_style.is_some() {
                    w.value.clone()
                } else {
                    w.value.to_lowercase()
                });
            }
            other => kept.push(other),
        }
    }
    if not_null.is_empty() || kept.is_empty() {
        return None;
    }
    let comma = SqlToken {
        token: Token::Comma,
        span: Span::at(0),
    };
    let mut rebuilt: Vec<SqlToken> = tokens.get(..=open)?.to_vec();
    for (i, element) in kept.iter().enumerate() {
        if i > 0 {
            rebuilt.push(comma.clone());
        }
        rebuilt.extend(element.iter().cloned());
    }
    rebuilt.extend(tokens.get(close..)?.iter().cloned());
    let parsed = parse_alone(&rebuilt)?;
    Some((
        Statement {
            span: statement.span,
            tokens: rebuilt,
            parsed: Ok(parsed),
            normalised: false,
            body: Vec::new(),
        },
        not_null,
    ))
}

fn parse_alone(tokens: &[SqlToken]) -> Option<sqlparser::ast::Statement> {
    let raw: Vec<TokenWithSpan> = tokens
        .iter()
        .map(|t| TokenWithSpan::wrap(t.token.clone()))
        .collect();
    let mut parser = Parser::new(&PostgreSqlDialect {}).with_tokens_with_locations(raw);
    let parsed = parser.parse_statement().ok()?;
    (parser.peek_token().token == Token::EOF).then_some(parsed)
}
