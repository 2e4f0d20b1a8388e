//! Statements: each script split into statements with exact byte spans, and
//! each statement parsed with the set's dialect.
//!
//! The tokenizer of `sqlparser` finds the boundaries (so dollar quotes,
//! strings and comments are handled as the database does); every statement
//! keeps its significant tokens, with byte spans in the real file, whether or
//! not it parses, so rules can fall back to tokens when the parser gives up.
//!
//! A leaf: it reads files and spans, and knows nothing of migrations or schemas.

mod body;
mod classify;
mod coverage;
mod names;
mod normalise;
mod offsets;
mod split;

use backend_check_core::{SourceFile, Span, SqlDialect};
use sqlparser::ast;
use sqlparser::dialect::{Dialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::{Parser, ParserError};
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

pub use classify::{classify, Shape};
pub(crate) use classify::{create_index, CreateIndex};
pub use coverage::{coverage_of, Coverage, CoverageCounts};
pub use names::TableName;
pub(crate) use names::{clip, truncate_identifier, MAX_IDENTIFIER};
use offsets::OffsetCursor;
pub(crate) use split::is_significant;

/// A token with its byte span in the file.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlToken {
    /// The token.
    pub token: Token,
    /// Its bytes in the file.
    pub span: Span,
}

impl SqlToken {
    /// The keyword or unquoted word, upper-cased; `None` for other tokens.
    pub fn keyword(&self) -> Option<String> {
        match &self.token {
            Token::Word(word) if word.quote_style.is_none() => {
                Some(word.value.to_ascii_uppercase())
            }
            _ => None,
        }
    }

    /// Whether the token is the unquoted word `word` (ASCII case-insensitive).
    pub fn is_word(&self, word: &str) -> bool {
        matches!(&self.token, Token::Word(w) if w.quote_style.is_none() && w.value.eq_ignore_ascii_case(word))
    }
}

/// Why a statement could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFailure {
    /// The parser's or tokenizer's reason, without its line/column suffix.
    pub reason: String,
    /// Whether the database itself rejects the text (two statements with no
    /// `;` between them): no classifier reading applies.
    pub database_rejects: bool,
    /// For a missing `;`: the command word that should have been preceded by one.
    pub missing_semicolon_before: Option<Span>,
    /// For other text the database rejects: where (an unclosed `(`, a stray `)`,
    /// the start of an unterminated string, quoted name, dollar quote or comment).
    pub rejected_at: Option<Span>,
}

/// The reason given for a statement past sqlparser's recursion limit.
pub const TOO_DEEP: &str = "statement nested too deeply";

impl ParseFailure {
    fn new(reason: String) -> ParseFailure {
        ParseFailure {
            reason,
            database_rejects: false,
            missing_semicolon_before: None,
            rejected_at: None,
        }
    }

    fn rejected(reason: String, at: Span) -> ParseFailure {
        ParseFailure {
            reason,
            database_rejects: true,
            missing_semicolon_before: None,
            rejected_at: Some(at),
        }
    }

    /// Whether sqlparser gave up at its recursion limit (the text may be valid).
    pub fn is_too_deep(&self) -> bool {
        self.reason == TOO_DEEP
    }
}

/// One statement of a script.
#[derive(Debug, Clone)]
pub struct Statement {
    /// From the first significant token to the last one before the semicolon.
    pub span: Span,
    /// The significant tokens (no whitespace or comments), with file spans.
    pub tokens: Vec<SqlToken>,
    /// The syntax tree, or why there is none.
    pub parsed: Result<ast::Statement, ParseFailure>,
    /// Whether the parser read a normalised copy of the tokens (a PostgreSQL
    /// form sqlparser does not know, rewritten without changing what the rules
    /// read).
    pub normalised: bool,
    /// PostgreSQL only: the SQL statements inside a `DO` block or a
    /// dollar-quoted `CREATE FUNCTION`/`PROCEDURE` body, found by a second
    /// pass, with spans in the real file (see [`Statement::is_do_block`] to
    /// tell code that runs now from code that runs when called).
    pub body: Vec<Statement>,
}

impl Statement {
    /// From the statement's start to the end of its `n`-th significant token
    /// (or its last one, when it has fewer).
    pub fn head(&self, n: usize) -> Span {
        let end = self
            .tokens
            .get(n.saturating_sub(1))
            .or(self.tokens.last())
            .map_or(self.span.end, |t| t.span.end);
        Span::new(self.span.start, end.max(self.span.start))
    }

    /// Whether sqlparser understood the statement.
    pub fn is_parsed(&self) -> bool {
        self.parsed.is_ok()
    }

    /// Whether the statement is a PostgreSQL `DO [LANGUAGE l] '<body>'` block,
    /// which sqlparser does not parse; its body is opaque code either way.
    pub fn is_do_block(&self) -> bool {
        let mut tokens = self.tokens.iter();
        if !tokens.next().is_some_and(|t| t.is_word("DO")) {
            return false;
        }
        let rest: Vec<&SqlToken> = tokens.collect();
        let body_only = |ts: &[&SqlToken]| matches!(ts, [body] if matches!(body.token, Token::DollarQuotedString(_) | Token::SingleQuotedString(_) | Token::EscapedStringLiteral(_)));
        match rest.as_slice() {
            [language, _, body @ ..] if language.is_word("LANGUAGE") => body_only(body),
            [body @ .., language, _] if language.is_word("LANGUAGE") => body_only(body),
            body => body_only(body),
        }
    }
}

/// The sqlparser dialect for a configured dialect.
pub fn sqlparser_dialect(dialect: SqlDialect) -> &'static dyn Dialect {
    static POSTGRES: PostgreSqlDialect = PostgreSqlDialect {};
    static MYSQL: MySqlDialect = MySqlDialect {};
    static SQLITE: SQLiteDialect = SQLiteDialect {};
    match dialect {
        SqlDialect::Postgres => &POSTGRES,
        SqlDialect::MySql => &MYSQL,
        SqlDialect::Sqlite => &SQLITE,
    }
}

/// Splits the bytes `section` of `file` into statements and parses each one.
pub fn parse_section(file: &SourceFile, section: Span, dialect: SqlDialect) -> Vec<Statement> {
    let sql_dialect = sqlparser_dialect(dialect);
    // A UTF-8 byte-order mark is read past (SQL038 says whether the
    // database would choke on it), so the first statement is still analysed.
    let section = if file.slice(section).starts_with('\u{feff}') {
        Span::new(section.start + '\u{feff}'.len_utf8(), section.end)
    } else {
        section
    };
    let text = file.slice(section);
    let mut raw = Vec::new();
    let tokenizer_error = Tokenizer::new(sql_dialect, text)
        .with_unescape(false)
        .tokenize_with_location_into_buf(&mut raw)
        .err();
    let spans = byte_spans(file, section.start, &raw);
    let ranges = split::statement_ranges(&raw);
    let mut statements: Vec<Statement> = Vec::with_capacity(ranges.len());
    let last = ranges.len().saturating_sub(1);
    let open_last = ranges.last().is_some_and(|r| r.end == raw.len());
    for (i, range) in ranges.iter().enumerate() {
        let tokens = raw.get(range.start..range.end).unwrap_or_default();
        let token_spans = spans.get(range.start..range.end).unwrap_or_default();
        let (parsed, normalised) = match &tokenizer_error {
            Some(error) if i == last && open_last => (
                Err(tokenizer_rejection(file, section, &spans, error)
                    .unwrap_or_else(|| ParseFailure::new(strip_location(&error.message)))),
                false,
            ),
            _ => parse_tokens(sql_dialect, tokens),
        };
        // sqlparser accepts `ADD IF NOT EXISTS COLUMN c` (reading a column named
        // `COLUMN`), so this one is checked whatever it made of the statement.
        let parsed = match misordered_if_exists(tokens, token_spans) {
            Some(rejected) => Err(rejected),
            None => parsed,
        };
        let parsed = parsed.map_err(|f| {
            if f.database_rejects {
                return f;
            }
            (dialect == SqlDialect::MySql)
                .then(|| mysql_dash_dash(file, sql_dialect, tokens, token_spans))
                .flatten()
                .or_else(|| missing_semicolon(file, sql_dialect, tokens, token_spans))
                .or_else(|| unbalanced_parentheses(tokens, token_spans))
                .unwrap_or(f)
        });
        let mut statement = statement(tokens, token_spans, parsed);
        statement.normalised = normalised;
        if dialect == SqlDialect::Postgres {
            statement.body = body::inner_statements(file, &statement);
        }
        statements.push(statement);
    }
    if let Some(error) = &tokenizer_error {
        let open = open_last.then_some(()).and_then(|()| statements.last_mut());
        let failure = tokenizer_failure(file, section, open, &spans, error);
        statements.extend(failure);
    }
    statements
}

fn statement(
    tokens: &[TokenWithSpan],
    spans: &[Span],
    parsed: Result<ast::Statement, ParseFailure>,
) -> Statement {
    let significant: Vec<SqlToken> = tokens
        .iter()
        .zip(spans)
        .filter(|(t, _)| is_significant(&t.token))
        .map(|(t, span)| SqlToken {
            token: t.token.clone(),
            span: *span,
        })
        .collect();
    let start = significant.first().map_or(0, |t| t.span.start);
    let end = significant.last().map_or(start, |t| t.span.end);
    Statement {
        span: Span::new(start, end),
        tokens: significant,
        parsed,
        normalised: false,
        body: Vec::new(),
    }
}

/// After a tokenizer error the rest of the script is one unparsed statement
/// reaching to the end of the script's text: the open statement, extended, or
/// a new one.
fn tokenizer_failure(
    file: &SourceFile,
    section: Span,
    open: Option<&mut Statement>,
    spans: &[Span],
    error: &sqlparser::tokenizer::TokenizerError,
) -> Option<Statement> {
    let end = section.start + file.slice(section).trim_end().len();
    if let Some(open) = open {
        open.span = Span::new(open.span.start, end.max(open.span.start));
        return None;
    }
    let start = spans.last().map_or(section.start, |s| s.end);
    let rest = file.slice(Span::new(start, end));
    let start = start + (rest.len() - rest.trim_start().len());
    Some(Statement {
        span: Span::new(start, end.max(start)),
        tokens: Vec::new(),
        parsed: Err(tokenizer_rejection(file, section, spans, error)
            .unwrap_or_else(|| ParseFailure::new(strip_location(&error.message)))),
        normalised: false,
        body: Vec::new(),
    })
}

/// A tokenizer error that the database's own lexer makes too: text that ends inside
/// a string, quoted name, dollar quote or comment. (Others, such as `1_000` in a
/// dialect that sqlparser reads without digit separators, may be valid SQL.)
/// The literal starts where the last complete token (whitespace and comments are
/// tokens too) ends; sqlparser reports some of these errors at the end of the text.
fn tokenizer_rejection(
    file: &SourceFile,
    section: Span,
    spans: &[Span],
    error: &sqlparser::tokenizer::TokenizerError,
) -> Option<ParseFailure> {
    let message = strip_location(&error.message);
    let unterminated = message.starts_with("Unterminated")
        || message.ends_with("before EOF.")
        || message.starts_with("Unexpected EOF");
    if !unterminated {
        return None;
    }
    let at = spans.last().map_or(section.start, |s| s.end);
    let width = file.text()[at..].chars().next().map_or(0, char::len_utf8);
    Some(ParseFailure::rejected(
        format!(
            "{}: the database reads the rest of the script as part of it and rejects it",
            lower_first(&message)
        ),
        Span::new(at, at + width),
    ))
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `ALTER TABLE … DROP IF EXISTS COLUMN c` (or `ADD IF NOT EXISTS COLUMN c …`):
/// the condition belongs after `COLUMN`, and PostgreSQL, MySQL and MariaDB all
/// reject it before (`syntax error at or near "COLUMN"`). Reported at the `IF`.
fn misordered_if_exists(tokens: &[TokenWithSpan], spans: &[Span]) -> Option<ParseFailure> {
    let words: Vec<(String, Span)> = tokens
        .iter()
        .zip(spans)
        .filter(|(t, _)| is_significant(&t.token))
        .map(|(t, span)| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => (w.value.to_ascii_uppercase(), *span),
            _ => (String::new(), *span),
        })
        .collect();
    let is = |at: usize, word: &str| words.get(at).is_some_and(|(w, _)| w == word);
    if !(is(0, "ALTER") && is(1, "TABLE")) {
        return None;
    }
    (2..words.len()).find_map(|i| {
        let (clause, condition, fixed) = if is(i, "DROP") && is(i + 1, "IF") && is(i + 2, "EXISTS")
        {
            ("DROP", 3, "DROP COLUMN IF EXISTS")
        } else if is(i, "ADD") && is(i + 1, "IF") && is(i + 2, "NOT") && is(i + 3, "EXISTS") {
            ("ADD", 4, "ADD COLUMN IF NOT EXISTS")
        } else {
            return None;
        };
        is(i + condition, "COLUMN").then(|| {
            let at = words[i + 1].1;
            ParseFailure::rejected(
                format!(
                    "`{clause} IF …` before `COLUMN` is a syntax error: the database expects \
                     `{fixed} <name>` and rejects the statement"
                ),
                Span::new(at.start, words[i + condition].1.end),
            )
        })
    })
}

/// MySQL reads `--` as a comment only when whitespace follows it: `--DROP INDEX …`
/// is two minus signs and a word, part of the statement, and the server rejects
/// it (PostgreSQL and SQLite take it as a comment). Reported when the statement
/// parses, or is nothing, once every such `--` runs to the end of its line: the
/// comment was meant.
fn mysql_dash_dash(
    file: &SourceFile,
    dialect: &dyn Dialect,
    tokens: &[TokenWithSpan],
    spans: &[Span],
) -> Option<ParseFailure> {
    let text = file.text();
    let (start, end) = (spans.first()?.start, spans.last()?.end);
    let mut cuts: Vec<Span> = Vec::new();
    let mut i = 0;
    while i + 1 < tokens.len() {
        let dashes = tokens[i].token == Token::Minus
            && tokens[i + 1].token == Token::Minus
            && spans[i].end == spans[i + 1].start;
        let glued = text
            .get(spans[i + 1].end..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|c| !c.is_whitespace());
        if dashes && glued {
            let from = spans[i + 1].end;
            let line_end = text[from..].find('\n').map_or(text.len(), |n| from + n);
            cuts.push(Span::new(spans[i].start, line_end.min(end)));
            while i < tokens.len() && spans[i].start < line_end {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    let first = *cuts.first()?;
    let mut rest = String::with_capacity(end - start);
    let mut at = start;
    for cut in &cuts {
        rest.push_str(&text[at..cut.start.max(at)]);
        at = cut.end.max(at);
    }
    rest.push_str(&text[at.min(end)..end]);
    let meant = rest.trim().trim_end_matches(';').trim().is_empty()
        || Parser::parse_sql(dialect, &rest).is_ok();
    meant.then(|| {
        ParseFailure::rejected(
            "MySQL reads `--` as a comment only when a space follows it, so this line is part \
             of the statement and the server rejects it"
                .to_owned(),
            Span::new(first.start, first.start + 2),
        )
    })
}

/// A statement whose parentheses do not pair up, which no database accepts: a `)`
/// with no `(` before it, or a `(` never closed (the outermost one is reported).
fn unbalanced_parentheses(tokens: &[TokenWithSpan], spans: &[Span]) -> Option<ParseFailure> {
    let mut open: Vec<Span> = Vec::new();
    for (t, span) in tokens.iter().zip(spans) {
        match t.token {
            Token::LParen => open.push(*span),
            Token::RParen if open.pop().is_none() => {
                return Some(ParseFailure::rejected(
                    "this `)` closes no `(`, so the database rejects the statement".to_owned(),
                    *span,
                ));
            }
            _ => {}
        }
    }
    let unclosed = *open.first()?;
    Some(ParseFailure::rejected(
        "this `(` is never closed, so the database rejects the statement".to_owned(),
        unclosed,
    ))
}

fn byte_spans(file: &SourceFile, section_start: usize, tokens: &[TokenWithSpan]) -> Vec<Span> {
    let mut cursor = OffsetCursor::new(file, section_start);
    tokens
        .iter()
        .map(|t| {
            let start = cursor.offset(t.span.start);
            let end = cursor.offset(t.span.end);
            Span::new(start, end.max(start))
        })
        .collect()
}

/// Parses one statement's tokens; the flag tells whether the parser read a
/// normalised copy.
fn parse_tokens(
    dialect: &dyn Dialect,
    tokens: &[TokenWithSpan],
) -> (Result<ast::Statement, ParseFailure>, bool) {
    let tokens = if dialect.is::<PostgreSqlDialect>() {
        normalise::for_parser(tokens)
    } else if dialect.is::<sqlparser::dialect::MySqlDialect>() {
        normalise::for_mysql_parser(tokens)
    } else {
        std::borrow::Cow::Borrowed(tokens)
    };
    let normalised = matches!(tokens, std::borrow::Cow::Owned(_));
    (parse_owned(dialect, tokens.into_owned()), normalised)
}

fn parse_owned(
    dialect: &dyn Dialect,
    tokens: Vec<TokenWithSpan>,
) -> Result<ast::Statement, ParseFailure> {
    let mut parser = Parser::new(dialect).with_tokens_with_locations(tokens);
    let statement = parser.parse_statement().map_err(failure)?;
    let rest = parser.peek_token();
    if rest.token == Token::EOF {
        Ok(statement)
    } else {
        Err(ParseFailure::new(format!(
            "expected end of statement, found: {}",
            rest.token
        )))
    }
}

fn failure(error: ParserError) -> ParseFailure {
    let reason = match error {
        ParserError::TokenizerError(s) | ParserError::ParserError(s) => s,
        ParserError::RecursionLimitExceeded => TOO_DEEP.to_owned(),
    };
    ParseFailure::new(strip_location(&reason))
}

/// Commands that start a statement on a line of their own.
const LEADING_COMMANDS: &[&str] = &[
    "ALTER", "CREATE", "DROP", "INSERT", "UPDATE", "DELETE", "GRANT", "REVOKE", "COMMENT",
    "TRUNCATE",
];

/// A statement that fails only because the `;` before a command at the start
/// of a line is missing: the text before the command parses on its own. The
/// database rejects such a script too (its parser reads the whole query
/// string first, so nothing of it runs).
fn missing_semicolon(
    file: &SourceFile,
    dialect: &dyn Dialect,
    tokens: &[TokenWithSpan],
    spans: &[Span],
) -> Option<ParseFailure> {
    let mut depth = 0usize;
    let mut line_start = false;
    let mut seen_significant = false;
    for (i, t) in tokens.iter().enumerate() {
        match &t.token {
            Token::Whitespace(w) => {
                line_start |= w.to_string().contains('\n');
                continue;
            }
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Word(w)
                if seen_significant
                    && depth == 0
                    && line_start
                    && w.quote_style.is_none()
                    && LEADING_COMMANDS
                        .iter()
                        .any(|c| w.value.eq_ignore_ascii_case(c)) =>
            {
                let before = tokens.get(..i)?;
                if parse_owned(dialect, before.to_vec()).is_ok() {
                    let line = file.line_col(spans.get(i)?.start).line;
                    return Some(ParseFailure {
                        reason: format!(
                            "missing `;` before `{}` on line {line}: the database reads the two statements as one and rejects the whole script",
                            w.value
                        ),
                        database_rejects: true,
                        missing_semicolon_before: Some(*spans.get(i)?),
                        rejected_at: None,
                    });
                }
            }
            _ => {}
        }
        seen_significant = true;
        line_start = false;
    }
    None
}

/// Drops sqlparser's ` at Line: 3, Column: 5` suffix: it counts from the start
/// of the statement's script, and the diagnostic's own span is more precise.
fn strip_location(reason: &str) -> String {
    let trimmed = match reason.rfind(" at Line: ") {
        Some(at) if reason.get(at..).is_some_and(|s| s.contains(", Column: ")) => {
            reason.get(..at).unwrap_or(reason)
        }
        _ => reason,
    };
    trimmed.trim().to_owned()
}

#[cfg(test)]
mod tests;
