//! SQL035 (off by default): a lock on an existing table is requested before
//! any `statement_timeout` is set in the migration.

use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::missing_lock_timeout::first_lock_before;
use crate::engine::{object_head, ScriptView, SqlRule};

declare_rule! {
    /// ## What it does
    /// Finds the first statement of a PostgreSQL up migration that locks a
    /// table the migration did not create against writes (the statements
    /// SQL019 knows), when no `SET statement_timeout` (or
    /// `set_config('statement_timeout', …)`) comes before it. One finding per
    /// migration.
    ///
    /// ## Why is this bad?
    /// Without a bound, a statement that holds its lock longer than planned
    /// (a rewrite of a table that grew, a validation scan) keeps the table
    /// blocked for as long as it runs, and the deploy waits with it.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SET statement_timeout = '30s';
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);
    /// ```
    ///
    /// ## Options
    /// None. Off by default: a `statement_timeout` also aborts legitimate long
    /// backfills and index builds, and the lock queue, the usual outage, is
    /// what `lock_timeout` (SQL019) bounds. Select it when every migration
    /// must bound its run time. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub MissingStatementTimeout {
        code: "SQL035",
        name: "missing-statement-timeout",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a table lock is requested with no `statement_timeout`, so a slow statement keeps the table blocked",
    }
}

impl SqlRule for MissingStatementTimeout {
    /// Checks one up script (down scripts are skipped).
    fn script(&self, view: &ScriptView<'_>, sink: &mut Sink<'_>) {
        let Some((table, statement)) = first_lock_before(view, "statement_timeout") else {
            return;
        };
        sink.push(
        Diagnostic::new(
            &MissingStatementTimeout::META,
            &view.script.file,
            object_head(statement),
            format!("table \"{table}\" is locked with no statement_timeout set, so a slow statement keeps it blocked"),
        )
        .with_help("start the migration with `SET statement_timeout = '30s';` (`SET LOCAL` inside a transaction)"),
    );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn one_finding_per_file_and_timeouts_silence_it() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "SET lock_timeout = '5s';\nCREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN x int;\nALTER TABLE o ADD COLUMN y int;\nALTER TABLE p ADD COLUMN z int;\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "SET LOCAL statement_timeout = '30s';\nALTER TABLE o ADD COLUMN w int;\n",
        );
        assert_eq!(
            repo.only("SQL035"),
            [at("SQL035", "migrations/1_a.sql", 4, 1)]
        );
    }
}
