//! SQL020: `BEGIN` or `COMMIT` in a script the migration tool already runs
//! in a transaction, or a `BEGIN` inside an open `BEGIN`.

use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::discover::transaction::{control, Control};
use crate::engine::{ScriptView, SqlRule};

declare_rule! {
    /// ## What it does
    /// Finds `BEGIN`/`START TRANSACTION` and `COMMIT`/`END` statements in
    /// scripts (up and down) that the migration tool already wraps in a
    /// transaction (sqlx, diesel, dbmate, goose, pop, refinery and Flyway, unless
    /// the migration opts out), and a second `BEGIN` while the script's own
    /// transaction is still open.
    ///
    /// ## Why is this bad?
    /// PostgreSQL ignores the inner `BEGIN` with a warning, and the script's
    /// `COMMIT` then commits the tool's transaction half-way: the statements
    /// after it, and the tool's record that the migration ran, are no longer
    /// atomic with the rest. A failure after that point leaves a migration that
    /// is half applied and not recorded, and re-running it fails.
    ///
    /// ## Example
    /// ```sql
    /// -- migrations/20240301000000_orders.sql (sqlx runs it in a transaction)
    /// BEGIN;
    /// ALTER TABLE orders ADD COLUMN note text;
    /// COMMIT;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    ///
    /// ## Options
    /// None. All dialects are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub NestedTransaction {
        code: "SQL020",
        name: "nested-transaction",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "transaction control inside a migration the tool already runs in a transaction breaks its atomicity",
    }
}

impl SqlRule for NestedTransaction {
    /// Checks one script.
    fn script(&self, view: &ScriptView<'_>, sink: &mut Sink<'_>) {
        let wrapped = view.script.transaction.runner_wraps();
        let mut open = false;
        for statement in &view.script.statements {
            let message = match control(statement) {
            Some(Control::Begin) if wrapped => {
                "`BEGIN` in a migration that the migration tool already runs in a transaction"
            }
            Some(Control::Begin) if open => "`BEGIN` inside a transaction this script opened",
            Some(Control::End) if wrapped => {
                "`COMMIT` ends the migration tool's transaction before the migration is recorded"
            }
            Some(Control::Begin) => {
                open = true;
                continue;
            }
            Some(Control::End) => {
                open = false;
                continue;
            }
            None => continue,
        };
            sink.push(
            Diagnostic::new(
                &NestedTransaction::META,
                &view.script.file,
                statement.head(2),
                message.to_owned(),
            )
            .with_help(if wrapped {
                "remove the `BEGIN`/`COMMIT` statements: the migration tool already runs the file in a transaction"
            } else {
                "commit the open transaction before starting another one"
            }),
        );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn begin_in_a_wrapped_file_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "BEGIN;\nALTER TABLE o ADD COLUMN n text;\nCOMMIT;\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "-- no-transaction\nBEGIN;\nSELECT 1;\nBEGIN;\nCOMMIT;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL020")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL020", "migrations/1_a.sql", 1, 1),
                at("SQL020", "migrations/1_a.sql", 3, 1),
                at("SQL020", "migrations/2_b.sql", 4, 1)
            ]
        );
    }
}
