//! SQL031 (off by default): `ALTER COLUMN … DROP NOT NULL` on an existing table.

use backend_check_core::{declare_rule, Sink};

use super::words::existing_column_changes;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ALTER [COLUMN] c DROP NOT NULL` in PostgreSQL up
    /// migrations, on tables the migration did not create.
    ///
    /// ## Why is this bad?
    /// Code of the running release may read the column as never `NULL` (a
    /// non-optional field, a `NOT NULL`-based query plan); once new code or a
    /// backfill writes `NULL`, the old reader fails on those rows.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// Ship readers that accept `NULL` first, then drop the constraint and
    /// suppress the finding with a reason:
    /// ```sql
    /// -- backend-check: allow(SQL031) readers handle NULL since v3.1
    /// ALTER TABLE users ALTER COLUMN phone DROP NOT NULL;
    /// ```
    ///
    /// ## Options
    /// None. Off by default: `DROP NOT NULL` is also the safe first step of
    /// removing a column (old code keeps writing values while new code stops),
    /// so reporting it everywhere would punish the safe path; select it to
    /// review every relaxed column. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropNotNull {
        code: "SQL031",
        name: "drop-not-null",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a column of an existing table may now hold NULL, which old readers may not expect",
    }
}

impl SqlRule for DropNotNull {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let Some((table, changes)) = existing_column_changes(step, &[&["DROP", "NOT", "NULL"]], 3)
        else {
            return;
        };
        for (column, span) in changes {
            sink.push(
            step.diagnostic(
                &DropNotNull::META,
                span,
                format!("column \"{table}.{column}\" may hold NULL from now on"),
            )
            .with_help(
                "make sure the running release reads NULL in this column before dropping NOT NULL",
            ),
        );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn drop_not_null_on_existing_tables_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (a int NOT NULL);\nALTER TABLE n ALTER COLUMN a DROP NOT NULL;\nALTER TABLE users ALTER COLUMN phone DROP NOT NULL;\n",
        );
        assert_eq!(
            repo.only("SQL031"),
            [at("SQL031", "migrations/1_a.sql", 3, 38)]
        );
    }
}
