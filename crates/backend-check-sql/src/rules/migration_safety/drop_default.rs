//! SQL032 (off by default): `ALTER COLUMN … DROP DEFAULT` on an existing table.

use backend_check_core::{declare_rule, Sink};

use super::words::existing_column_changes;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ALTER [COLUMN] c DROP DEFAULT` in up migrations
    /// of every dialect, on tables the migration did not create.
    ///
    /// ## Why is this bad?
    /// Inserts of the running release that leave the column out relied on the
    /// default: from now on they store `NULL`, or fail when the column is
    /// `NOT NULL`.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
    /// ```
    ///
    /// ## Use instead
    /// Ship code that always sets the column first, then drop the default and
    /// suppress the finding with a reason:
    /// ```sql
    /// -- backend-check: allow(SQL032) every insert sets status since v2.8
    /// ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;
    /// ```
    ///
    /// ## Options
    /// None. Off by default: dropping a default is how a column is decoupled
    /// before it is removed, and the inserts that would then fail on `NOT
    /// NULL` are what SQL007 and SQL011 guard; select it to review every
    /// dropped default.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropDefault {
        code: "SQL032",
        name: "drop-default",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a column default of an existing table is dropped, so inserts that left the column out change meaning",
    }
}

impl SqlRule for DropDefault {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let Some((table, changes)) = existing_column_changes(step, &[&["DROP", "DEFAULT"]], 2)
        else {
            return;
        };
        for (column, span) in changes {
            sink.push(
            step.diagnostic(
                &DropDefault::META,
                span,
                format!("the default of column \"{table}.{column}\" is dropped"),
            )
            .with_help("make sure every insert of the running release sets this column before dropping its default"),
        );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn drop_default_on_existing_tables_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (a int DEFAULT 1);\nALTER TABLE n ALTER COLUMN a DROP DEFAULT;\nALTER TABLE orders ALTER status DROP DEFAULT, ALTER COLUMN note SET DEFAULT '';\n",
        );
        assert_eq!(
            repo.only("SQL032"),
            [at("SQL032", "migrations/1_a.sql", 3, 33)]
        );
    }
}
