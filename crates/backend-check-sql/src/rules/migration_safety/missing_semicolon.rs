//! SQL036: two statements run together because the `;` between them is missing.

use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, Sink, SourceFile, Span};

use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::Statement;

declare_rule! {
    /// ## What it does
    /// Reports a statement that is followed by another command on a new line
    /// with no `;` between them, when the text before that command is a
    /// complete statement on its own. The finding points at the command that
    /// should have started a new statement.
    ///
    /// ## Why is this bad?
    /// The database reads the two statements as one and rejects it with a
    /// syntax error. Migration tools send a script as one query string (sqlx,
    /// diesel, dbmate, golang-migrate) or statement by statement (Flyway,
    /// goose); either way the migration fails when it runs. A down migration
    /// is rarely run before it is needed, so the mistake tends to surface
    /// during an incident, when the rollback is most wanted.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE downloads DROP CONSTRAINT downloads_pkey
    /// ALTER TABLE downloads ADD COLUMN id serial PRIMARY KEY;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE downloads DROP CONSTRAINT downloads_pkey;
    /// ALTER TABLE downloads ADD COLUMN id serial PRIMARY KEY;
    /// ```
    ///
    /// ## Options
    /// None. The check runs in up and down scripts of every dialect; the
    /// commands it looks for at the start of a line are `ALTER`, `CREATE`,
    /// `DROP`, `INSERT`, `UPDATE`, `DELETE`, `GRANT`, `REVOKE`, `COMMENT` and
    /// `TRUNCATE`.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub MissingSemicolon {
        code: "SQL036",
        name: "missing-semicolon",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "two statements have no `;` between them, so the database rejects the script",
    }
}

impl SqlRule for MissingSemicolon {
    /// Reports the run-together statements of one file of a set (all its scripts).
    fn file(&self, set: &MigrationSet, file: &Arc<SourceFile>, sink: &mut Sink<'_>) {
        let statements = set
            .migrations
            .iter()
            .flat_map(|m| m.scripts())
            .filter(|s| Arc::ptr_eq(&s.file, file))
            .flat_map(|s| s.statements.iter());
        for (statement, command) in statements.filter_map(|s| missing_before(s).map(|c| (s, c))) {
            sink.push(
                Diagnostic::new(
                    &MissingSemicolon::META,
                    file,
                    command,
                    message(file, command),
                )
                .with_label(
                    Span::new(statement.span.start, command.start),
                    "this statement is not ended",
                )
                .with_help(help()),
            );
        }
    }
}

/// The command word that lacks a `;` before it, when the statement has one.
pub(crate) fn missing_before(statement: &Statement) -> Option<Span> {
    statement
        .parsed
        .as_ref()
        .err()
        .and_then(|failure| failure.missing_semicolon_before)
}

fn message(file: &SourceFile, command: Span) -> String {
    format!(
        "missing `;` before `{}`: the database reads two statements as one and rejects the script",
        file.slice(command).to_uppercase()
    )
}

fn help() -> &'static str {
    "end the previous statement with `;`"
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn a_missing_semicolon_in_a_down_is_an_error_at_the_next_command() {
        let repo = Repo::new();
        repo.write(
            "migrations/2024-01-01-000000_ids/up.sql",
            "ALTER TABLE downloads DROP COLUMN id;\n",
        );
        repo.write(
            "migrations/2024-01-01-000000_ids/down.sql",
            "ALTER TABLE downloads DROP CONSTRAINT downloads_pkey\n  ALTER TABLE downloads ADD COLUMN id serial PRIMARY KEY;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL036" || f.0 == "SQL000")
            .collect();
        assert_eq!(
            found,
            [at(
                "SQL036",
                "migrations/2024-01-01-000000_ids/down.sql",
                2,
                3
            )]
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL036")
            .unwrap();
        assert_eq!(d.snippet(), "ALTER");
        assert!(
            d.message.starts_with("missing `;` before `ALTER`"),
            "{}",
            d.message
        );
    }

    #[test]
    fn a_statement_continued_on_the_next_line_is_not_reported() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (id int);\nGRANT SELECT ON t\nTO reporting;\nCOMMENT ON TABLE t\n  IS 'x';\n",
        );
        assert!(repo
            .findings(&[], None)
            .iter()
            .all(|f| f.0 != "SQL036" && f.0 != "SQL000"));
    }
}
