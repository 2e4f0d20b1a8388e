//! SQL038: a statement the database rejects because its brackets or literals do not close.

use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, Sink, SourceFile, Span};

use crate::engine::SqlRule;
use crate::model::{Layout, MigrationSet};
use crate::parse::Statement;

declare_rule! {
    /// ## What it does
    /// Reports a statement that no database accepts because of its shape: a `(`
    /// that is never closed, a `)` that closes nothing, or a string, quoted name,
    /// dollar-quoted body or block comment that runs to the end of the script.
    /// The finding points at the bracket or at the quote that opens the literal.
    /// On MySQL it also reports a `--` glued to the text after it (`--DROP …`),
    /// which MySQL, unlike PostgreSQL and SQLite, does not read as a comment:
    /// it needs a space or another whitespace character after the dashes. And
    /// `ALTER TABLE … DROP IF EXISTS COLUMN c` (or `ADD IF NOT EXISTS COLUMN`),
    /// whose condition must follow `COLUMN`.
    ///
    /// ## Why is this bad?
    /// The migration fails when it runs. An unterminated literal also swallows
    /// every statement after it: the database, like this tool, reads the rest of
    /// the script as part of the literal, so nothing after it can be checked
    /// either. A down migration is rarely run before it is needed, so the
    /// mistake tends to surface during an incident.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE refunds (id bigint PRIMARY KEY, reason text;
    /// INSERT INTO settings (key, value) VALUES ('currency', 'EUR);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE refunds (id bigint PRIMARY KEY, reason text);
    /// INSERT INTO settings (key, value) VALUES ('currency', 'EUR');
    /// ```
    ///
    /// ## Options
    /// None. Statements that are valid but that the parser does not support are
    /// SQL000's `info`, and two statements run together by a missing `;` are SQL036.
    /// A PostgreSQL migration file that starts with a UTF-8 byte-order mark is reported
    /// too (except under Flyway, which strips it): sqlx, diesel, refinery and
    /// golang-migrate send the text as it is, and PostgreSQL reads the mark as part of
    /// the first word (`syntax error at or near "\u{feff}CREATE"`, checked on 15.18).
    /// The rest of the file is analysed as if the mark were not there.
    pub InvalidStatement {
        code: "SQL038",
        name: "invalid-statement",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "a statement the database rejects: an unclosed bracket or literal, a MySQL `--` with no space after it, `DROP IF EXISTS COLUMN`",
    }
}

impl SqlRule for InvalidStatement {
    /// Reports the statements of one file of a set (all its scripts) that the database rejects.
    fn file(&self, set: &MigrationSet, file: &Arc<SourceFile>, sink: &mut Sink<'_>) {
        // sqlx, diesel, refinery and golang-migrate send the file's text as it
        // is; PostgreSQL reads a leading byte-order mark as part of the first
        // word (15.18: `syntax error at or near "\u{feff}CREATE"`). Flyway strips it.
        let bom = '\u{feff}';
        if set.is_postgres() && set.layout != Layout::Flyway && file.text().starts_with(bom) {
            sink.push(
            Diagnostic::new(
                &InvalidStatement::META,
                file,
                Span::new(0, bom.len_utf8()),
                "the file starts with a UTF-8 byte-order mark, which PostgreSQL reads as part of the first word, so the migration fails with a syntax error".to_owned(),
            )
            .with_help("save the file as UTF-8 without a byte-order mark"),
        );
        }
        let statements = set
            .migrations
            .iter()
            .flat_map(|m| m.scripts())
            .filter(|s| Arc::ptr_eq(&s.file, file))
            .flat_map(|s| s.statements.iter());
        for statement in statements {
            let Some((at, reason)) = rejected(statement) else {
                continue;
            };
            let mut diagnostic =
                Diagnostic::new(&InvalidStatement::META, file, at, reason.to_owned())
                    .with_help(help(file, at));
            // The statement's first line as a second label, when the rejected
            // spot is on a later line; on the same line it would cover the spot.
            if file.line_index(statement.span.start) < file.line_index(at.start) {
                diagnostic = diagnostic.with_label(
                    Span::new(
                        statement.span.start,
                        first_line_end(file, statement.span.start),
                    ),
                    "in this statement",
                );
            }
            sink.push(diagnostic);
        }
    }
}

/// Where and why the database rejects the statement, if it does (a missing `;` aside).
fn rejected(statement: &Statement) -> Option<(Span, &str)> {
    let failure = statement.parsed.as_ref().err()?;
    Some((failure.rejected_at?, failure.reason.as_str()))
}

fn first_line_end(file: &SourceFile, start: usize) -> usize {
    let line = file.line_index(start);
    (file.line_start(line) + file.line_text(line).len()).max(start)
}

fn help(file: &SourceFile, at: Span) -> &'static str {
    match file.slice(at) {
        "(" => "close the parenthesis",
        ")" => "remove the `)` or add the `(` it was meant to close",
        "--" => "put a space after `--` to make the rest of the line a comment",
        s if s.starts_with("IF") || s.starts_with("if") => {
            "write `COLUMN` before the condition: `DROP COLUMN IF EXISTS name`, `ADD COLUMN IF NOT EXISTS name type`"
        }
        _ => "close the string, quoted name, dollar quote or comment where it was meant to end",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use crate::test_support::{at, Repo};

    fn sql038_and_sql000(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL038" || f.0 == "SQL000")
            .collect()
    }

    #[test]
    fn an_unclosed_parenthesis_is_an_error_at_the_parenthesis() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (id INT PRIMARY KEY;\nCREATE TABLE u (id INT PRIMARY KEY);\nCREATE INDEX u_idx ON u (id;\n",
        );
        assert_eq!(
            sql038_and_sql000(&repo),
            [
                at("SQL038", "migrations/1_a.sql", 1, 16),
                at("SQL038", "migrations/1_a.sql", 3, 25)
            ]
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL038")
            .unwrap();
        assert_eq!(d.snippet(), "(");
        assert!(d.message.contains("never closed"), "{}", d.message);
    }

    #[test]
    fn a_mysql_dash_dash_with_no_space_is_an_error_where_postgres_reads_a_comment() {
        let repo = Repo::new();
        let script = "CREATE TABLE t (id INT PRIMARY KEY);\n--DROP TABLE t;\nSELECT 1 --1\n;\n";
        repo.write("migrations/mysql/1_a.sql", script);
        repo.write("migrations/postgres/1_a.sql", script);
        assert_eq!(
            sql038_and_sql000(&repo),
            [at("SQL038", "migrations/mysql/1_a.sql", 2, 1)]
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL038")
            .unwrap();
        assert_eq!(d.snippet(), "--");
        assert!(
            d.message.contains("only when a space follows"),
            "{}",
            d.message
        );
    }

    #[test]
    fn if_exists_before_column_is_an_error_at_the_condition() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.up.sql",
            "CREATE TABLE t (id INT PRIMARY KEY);\n",
        );
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write(
            "migrations/2_b.up.sql",
            "ALTER TABLE t ADD IF NOT EXISTS COLUMN x INT;\nALTER TABLE t ADD COLUMN IF NOT EXISTS y INT;\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t DROP COLUMN IF EXISTS y;\nALTER TABLE t\n    DROP IF EXISTS COLUMN x;\n",
        );
        assert_eq!(
            sql038_and_sql000(&repo),
            [
                at("SQL038", "migrations/2_b.down.sql", 3, 10),
                at("SQL038", "migrations/2_b.up.sql", 1, 19)
            ]
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL038" && d.file.display_path().ends_with("down.sql"))
            .unwrap();
        assert_eq!(d.snippet(), "IF EXISTS COLUMN");
        // The statement starts a line earlier: its first line is labelled;
        // the one-line statement of the up gets no label over its own spot.
        assert_eq!(d.labels.len(), 1, "{:?}", d.labels);
        let up = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL038" && d.file.display_path().ends_with("up.sql"))
            .unwrap();
        assert!(up.labels.is_empty(), "{:?}", up.labels);
        assert!(
            d.help
                .as_deref()
                .unwrap_or("")
                .contains("DROP COLUMN IF EXISTS"),
            "{:?}",
            d.help
        );
    }

    #[test]
    fn a_stray_closing_parenthesis_is_an_error() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (id INT PRIMARY KEY));\n",
        );
        assert_eq!(
            sql038_and_sql000(&repo),
            [at("SQL038", "migrations/1_a.sql", 1, 36)]
        );
    }

    #[test]
    fn an_unterminated_string_is_an_error_at_its_quote_and_is_not_dropped() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (id INT PRIMARY KEY);\nINSERT INTO t VALUES (1, 'x);\nCREATE TABLE u (id INT);\n",
        );
        assert_eq!(
            sql038_and_sql000(&repo),
            [at("SQL038", "migrations/1_a.sql", 2, 26)]
        );
    }

    #[test]
    fn an_unterminated_dollar_quote_is_an_error_at_its_start() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE FUNCTION f() RETURNS int AS $$\n  SELECT 1;\nCREATE TABLE u (id INT);\n",
        );
        assert_eq!(
            sql038_and_sql000(&repo),
            [at("SQL038", "migrations/1_a.sql", 1, 36)]
        );
    }

    #[test]
    fn balanced_statements_that_do_not_parse_are_not_this_rule() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (id INT PRIMARY KEY);\nFROBNICATE TABLE t (id);\nSELECT '(' || ')';\n",
        );
        assert_eq!(
            sql038_and_sql000(&repo),
            [at("SQL000", "migrations/1_a.sql", 2, 1)]
        );
    }
}
