//! SQL007: a `NOT NULL` column without a default added to an existing table.

use backend_check_core::{declare_rule, Diagnostic, Sink, SqlDialect};
use sqlparser::ast::{self, AlterTableOperation, ColumnOption};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ADD COLUMN … NOT NULL` without a `DEFAULT` on a table
    /// the same migration did not create, in PostgreSQL and SQLite sets. Identity,
    /// generated and `serial` columns fill themselves and are not reported, nor
    /// is a column added after the script empties the table (`DELETE FROM t;`
    /// without `WHERE`, `TRUNCATE t`).
    ///
    /// ## Why is this bad?
    /// PostgreSQL fails the statement as soon as the table has a row (`column "x"
    /// contains null values`), so the migration passes on an empty development
    /// database and fails in production. SQLite refuses it even on an empty table
    /// (`Cannot add a NOT NULL column with default value NULL`).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN currency text NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
    /// ```
    /// Or add the column nullable, backfill it, and then set `NOT NULL` (on
    /// PostgreSQL, through a validated `CHECK (currency IS NOT NULL)` first).
    ///
    /// ## Options
    /// None. MySQL fills an implicit default and is not checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub NotNullColumnWithoutDefault {
        code: "SQL007",
        name: "not-null-column-without-default",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "a `NOT NULL` column without a default added to an existing table fails when the table has rows",
    }
}

impl SqlRule for NotNullColumnWithoutDefault {
    /// Checks the `ALTER TABLE`s of an up script on tables it did not
    /// create (not those inside `DO` blocks).
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !(step.set.is_postgres() || step.set.dialect == SqlDialect::Sqlite)
            || !step.is_top_level()
        {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        let statement = step.statement;
        for op in &alter.operations {
            let AlterTableOperation::AddColumn { column_def, .. } = op else {
                continue;
            };
            if !needs_default(column_def) || step.emptied(&table) {
                continue;
            }
            sink.push(
                Diagnostic::new(
                    &NotNullColumnWithoutDefault::META,
                    &step.script.file,
                    statement.head(3),
                    format!(
                        "NOT NULL column \"{}\" is added to existing table \"{table}\" without a default",
                        column_def.name.value
                    ),
                )
                .with_help("give the column a DEFAULT, or add it nullable, backfill it, then set NOT NULL"),
            );
        }
    }
}

fn needs_default(column: &ast::ColumnDef) -> bool {
    let not_null = column.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::NotNull | ColumnOption::PrimaryKey(_)
        )
    });
    let fills_itself = column.options.iter().any(|o| {
        matches!(
            o.option,
            ColumnOption::Default(_) | ColumnOption::Generated { .. }
        )
    }) || column
        .data_type
        .to_string()
        .to_ascii_lowercase()
        .contains("serial");
    not_null && !fills_itself
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn required_columns_on_existing_tables_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN x int NOT NULL;\nALTER TABLE o ADD COLUMN c text NOT NULL;\nALTER TABLE o ADD COLUMN d text NOT NULL DEFAULT '';\nALTER TABLE o ADD COLUMN e bigserial NOT NULL;\nALTER TABLE o ADD COLUMN f bigint GENERATED ALWAYS AS IDENTITY NOT NULL;\nALTER TABLE o ADD COLUMN g text;\nDELETE FROM o WHERE g IS NULL;\nALTER TABLE o ADD COLUMN h text NOT NULL;\nDELETE FROM p;\nALTER TABLE p ADD COLUMN h text NOT NULL;\n",
        );
        repo.write(
            "migrations/mysql/1_a.sql",
            "ALTER TABLE o ADD COLUMN c text NOT NULL;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL007")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL007", "migrations/1_a.sql", 3, 1),
                at("SQL007", "migrations/1_a.sql", 9, 1)
            ]
        );
    }
}
