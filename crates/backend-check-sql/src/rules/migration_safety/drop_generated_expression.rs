//! SQL033 (off by default): `ALTER COLUMN … DROP EXPRESSION` on an existing table.

use backend_check_core::{declare_rule, Sink};

use super::words::existing_column_changes;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ALTER [COLUMN] c DROP EXPRESSION` in PostgreSQL
    /// up migrations, on tables the migration did not create.
    ///
    /// ## Why is this bad?
    /// The column keeps its stored values but is no longer computed: rows
    /// written from now on get `NULL` (or what the writer sets) instead of the
    /// derived value, and code that reads the column as always in step with
    /// its sources is silently wrong.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN total_cents DROP EXPRESSION;
    /// ```
    ///
    /// ## Use instead
    /// Ship code that writes the column itself first, then drop the
    /// expression and suppress the finding with a reason:
    /// ```sql
    /// -- backend-check: allow(SQL033) the app computes total_cents since v5
    /// ALTER TABLE orders ALTER COLUMN total_cents DROP EXPRESSION;
    /// ```
    ///
    /// ## Options
    /// None. Off by default: `DROP EXPRESSION` keeps every stored value and
    /// breaks no running query; select it to review every such change. Only
    /// PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropGeneratedExpression {
        code: "SQL033",
        name: "drop-generated-expression",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a generated column of an existing table stops being computed",
    }
}

impl SqlRule for DropGeneratedExpression {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let Some((table, changes)) = existing_column_changes(step, &[&["DROP", "EXPRESSION"]], 2)
        else {
            return;
        };
        for (column, span) in changes {
            sink.push(
            step.diagnostic(
                &DropGeneratedExpression::META,
                span,
                format!("generated column \"{table}.{column}\" stops being computed"),
            )
            .with_help("make sure the running release writes this column itself before dropping its expression"),
        );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn drop_expression_on_existing_tables_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TABLE orders ALTER COLUMN total DROP EXPRESSION IF EXISTS;\n",
        );
        assert_eq!(
            repo.only("SQL033"),
            [at("SQL033", "migrations/1_a.sql", 1, 39)]
        );
    }
}
