//! SQL021: a script opens a transaction and never commits it.

use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::discover::transaction::{control, Control};
use crate::engine::{ScriptView, SqlRule};

declare_rule! {
    /// ## What it does
    /// Finds a `BEGIN`/`START TRANSACTION` with no `COMMIT`, `END` or `ROLLBACK`
    /// after it in a script (up or down) that the migration tool does not wrap
    /// in a transaction of its own (golang-migrate, opted-out migrations, loose
    /// files).
    ///
    /// ## Why is this bad?
    /// The statements after `BEGIN` run in a transaction that nobody commits:
    /// when the tool closes the connection, PostgreSQL rolls them back. The
    /// migration is recorded as applied while its changes are gone.
    ///
    /// ## Example
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// BEGIN;
    /// ALTER TABLE orders ADD COLUMN note text;
    /// COMMIT;
    /// ```
    ///
    /// ## Options
    /// None. All dialects are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub UnclosedTransaction {
        code: "SQL021",
        name: "unclosed-transaction",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "a transaction the script opens is never committed, so its changes are rolled back",
    }
}

impl SqlRule for UnclosedTransaction {
    /// Checks one script.
    fn script(&self, view: &ScriptView<'_>, sink: &mut Sink<'_>) {
        if view.script.transaction.runner_wraps() {
            return;
        }
        let mut open = None;
        for statement in &view.script.statements {
            match control(statement) {
                Some(Control::Begin) => open = open.or(Some(statement)),
                Some(Control::End) => open = None,
                None => {}
            }
        }
        if let Some(begin) = open {
            sink.push(
                Diagnostic::new(
                    &UnclosedTransaction::META,
                    &view.script.file,
                    begin.head(2),
                    "transaction opened here is never committed".to_owned(),
                )
                .with_help("end the script with `COMMIT;`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn begin_without_commit_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/0001_a.up.sql",
            "BEGIN;\nALTER TABLE o ADD COLUMN n text;\n",
        );
        repo.write(
            "migrations/0001_a.down.sql",
            "BEGIN;\nALTER TABLE o DROP COLUMN n;\nCOMMIT;\n",
        );
        repo.write(
            "migrations/0002_b.up.sql",
            "START TRANSACTION;\nSELECT 1;\nROLLBACK;\n",
        );
        repo.write("migrations/0002_b.down.sql", "SELECT 1;\n");
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL021")
            .collect();
        assert_eq!(found, [at("SQL021", "migrations/0001_a.up.sql", 1, 1)]);
    }
}
