//! SQL000: statements the analyzer could not read.

use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, Sink, SourceFile, Span, SqlDialect};

use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::Statement;

declare_rule! {
    /// ## What it does
    /// Reports a migration file that cannot be fully analysed: statements the SQL
    /// parser does not understand in the migration's dialect, bytes that are not
    /// UTF-8, or a file that cannot be read. One finding per file, at the first
    /// statement that failed; the message says how many statements were skipped.
    /// Statements the parser rejects but whose command a token-level classifier
    /// still recognises (`DO` blocks, `DROP INDEX CONCURRENTLY`, `REINDEX`,
    /// `ALTER SEQUENCE`, `CREATE STATISTICS`, `COMMENT ON FUNCTION f(args)`,
    /// PostgreSQL 18 named `NOT NULL` constraints, …) are not reported: the lock
    /// rules read them from their tokens. A statement past the parser's nesting
    /// limit is reported even when its command is recognised. Text the database
    /// rejects too is an error of another rule: two statements run together by a
    /// missing `;` (SQL036), unpaired parentheses or an unterminated string (SQL038).
    ///
    /// ## Why is this bad?
    /// A statement the parser cannot read is a statement no other rule checks: an
    /// unsafe `ALTER TABLE` in it goes unnoticed. Most often the dialect is wrong
    /// (a SQLite set read as PostgreSQL), or the statement uses syntax the parser
    /// does not support yet. The rest of the file is still analysed.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY);
    /// -- a psql meta-command is not SQL
    /// \set ON_ERROR_STOP on
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE orders (id bigint PRIMARY KEY);
    /// ```
    /// When the SQL is valid for your database, set its dialect in
    /// `backend-check.toml` (`[sql] dialect = "sqlite"`), or name the database in
    /// the migration folder's path (`migrations/sqlite/`).
    ///
    /// ## Options
    /// `sql.dialect` (`postgres`, `mysql`, `sqlite`) sets the dialect of every
    /// migration set; without it the dialect is inferred from the path, else
    /// PostgreSQL. The rule reports at `info` severity by default.
    pub ParseError {
        code: "SQL000",
        name: "parse-error",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Info,
        summary: "a migration file has statements the SQL parser cannot read, so they are not checked",
    }
}

impl SqlRule for ParseError {
    /// Reports the unparsed statements of one file of a set (all its scripts).
    fn file(&self, set: &MigrationSet, file: &Arc<SourceFile>, sink: &mut Sink<'_>) {
        let statements: Vec<&Statement> = set
            .migrations
            .iter()
            .flat_map(|m| m.scripts())
            .filter(|s| Arc::ptr_eq(&s.file, file))
            .flat_map(|s| s.statements.iter())
            .collect();
        let failed: Vec<&Statement> = statements
            .iter()
            .copied()
            .filter(|s| crate::parse::coverage_of(file, s) == crate::parse::Coverage::NotAnalysed)
            .collect();
        let Some(first) = failed.first() else {
            return;
        };
        let reason = first
            .parsed
            .as_ref()
            .err()
            .map_or_else(String::new, |f| f.reason.clone());
        let message = unparsed_message(failed.len(), statements.len(), set.dialect, &reason);
        sink.push(
            Diagnostic::new(
                &ParseError::META,
                file,
                first_line(file, first.span),
                message,
            )
            .with_help(unparsed_help(set.dialect)),
        );
    }
}

/// The first line of a statement's span, so the finding does not underline a
/// whole function body.
fn first_line(file: &SourceFile, span: Span) -> Span {
    let line = file.line_index(span.start);
    let line_end = file.line_start(line) + file.line_text(line).len();
    Span::new(span.start, span.end.min(line_end).max(span.start))
}

fn dialect_name(dialect: SqlDialect) -> &'static str {
    match dialect {
        SqlDialect::Postgres => "PostgreSQL",
        SqlDialect::MySql => "MySQL",
        SqlDialect::Sqlite => "SQLite",
    }
}

fn unparsed_message(failed: usize, total: usize, dialect: SqlDialect, reason: &str) -> String {
    let verb = if failed == 1 { "was" } else { "were" };
    let noun = if total == 1 {
        "statement"
    } else {
        "statements"
    };
    format!(
        "{failed} of {total} {noun} in this file could not be parsed as {} and {verb} not analysed: {}",
        dialect_name(dialect),
        lower_first(reason)
    )
}

fn unparsed_help(dialect: SqlDialect) -> String {
    format!(
        "check that the statement is valid {}; if the migrations are for another database, set `dialect` under `[sql]` in backend-check.toml or name the database in the folder path (e.g. `migrations/sqlite/`)",
        dialect_name(dialect)
    )
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The message for a file that is not UTF-8.
pub(crate) fn invalid_utf8_message(offset: usize) -> String {
    format!("file is not valid UTF-8 (first invalid byte at offset {offset}) and was not analysed")
}

/// The help for a file that is not UTF-8.
pub(crate) fn invalid_utf8_help() -> &'static str {
    "save the migration as UTF-8; databases and migration tools expect UTF-8 SQL"
}

/// The message for a file that cannot be read.
pub(crate) fn unreadable_message(error: &std::io::Error) -> String {
    format!("cannot read migration file: {error}")
}

/// The help for a file that cannot be read.
pub(crate) fn unreadable_help() -> &'static str {
    "check that the file exists and is readable, or exclude it with `exclude` in backend-check.toml"
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql000(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL000")
            .collect()
    }

    #[test]
    fn one_finding_per_file_at_the_first_failure() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (id int);\n\n  FROBNICATE t\n  twice;\nSELECT 1;\nWIBBLE;\n",
        );
        assert_eq!(sql000(&repo), [at("SQL000", "migrations/1_a.sql", 3, 3)]);
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL000")
            .unwrap();
        assert!(
            d.message.starts_with("2 of 4 statements in this file could not be parsed as PostgreSQL and were not analysed: "),
            "{}",
            d.message
        );
        assert_eq!(d.snippet(), "FROBNICATE t");
    }

    #[test]
    fn parsable_files_are_quiet() {
        let repo = Repo::new();
        repo.write("migrations/1_a.sql", "CREATE TABLE t (id int);\n");
        assert!(sql000(&repo).is_empty());
    }

    #[test]
    fn do_blocks_are_not_parse_errors() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "DO $$ BEGIN PERFORM 1; END $$;\nDO LANGUAGE plpgsql $x$ BEGIN END $x$;\nDO $$ BEGIN END $$ LANGUAGE plpgsql;\n",
        );
        assert!(sql000(&repo).is_empty());
    }

    #[test]
    fn invalid_utf8_is_reported_once_at_the_bad_byte() {
        let repo = Repo::new();
        repo.write("migrations/1_a.sql", b"SELECT 1;\nSELECT '\xff';\n");
        assert_eq!(
            repo.findings(&[], None),
            [at("SQL000", "migrations/1_a.sql", 2, 9)]
        );
        let output = repo.run(&[], None);
        assert_eq!(output.files.len(), 1);
        assert!(output.diagnostics[0].message.contains("not valid UTF-8"));
    }

    #[test]
    fn unreadable_file_is_reported() {
        let repo = Repo::new();
        let missing = repo.path("migrations/1_gone.sql");
        let paths = vec![missing.clone()];
        let config = backend_check_core::Config::default();
        let selection = backend_check_core::RuleSelection::defaults(crate::RULES);
        let input = backend_check_core::AnalyzerInput {
            root: repo.dir.path(),
            paths: &paths,
            explicit: &[],
            config: &config,
            selection: &selection,
            sources: &backend_check_core::FileSystem,
            build_model: false,
        };
        let output = crate::analyze(&input);
        assert_eq!(output.diagnostics.len(), 1);
        assert!(output.diagnostics[0]
            .message
            .starts_with("cannot read migration file"));
    }

    #[test]
    fn dbmate_sections_count_as_one_file() {
        let repo = Repo::new();
        repo.write(
            "db/migrations/1_a.sql",
            "-- migrate:up\nWIBBLE;\n-- migrate:down\nWOBBLE;\n",
        );
        assert_eq!(
            repo.findings(&[], None),
            [at("SQL000", "db/migrations/1_a.sql", 2, 1)]
        );
    }
}
