//! SQL008: renaming a column or table that running code uses.

use backend_check_core::{declare_rule, Diagnostic, Sink, SqlDialect};
use sqlparser::ast::AlterTableOperation;

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … RENAME COLUMN … TO …` and `ALTER TABLE … RENAME TO …`
    /// on tables the same migration did not create.
    ///
    /// ## Why is this bad?
    /// During a rolling deploy the old release keeps running against the migrated
    /// database; every query of it that names the old column or table fails
    /// until the last old instance is gone. (MySQL also rebuilds the table on some
    /// versions.)
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users RENAME COLUMN login TO username;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- release 1: add the new column, write both, backfill
    /// ALTER TABLE users ADD COLUMN username text;
    /// -- release 2 (after the code reads `username`): drop the old column
    /// ALTER TABLE users DROP COLUMN login;
    /// ```
    /// Or rename the table and leave a view with the old name in its place.
    ///
    /// ## Options
    /// None. SQLite sets are not checked: an embedded database migrates while
    /// its one application is stopped, and SQLite's table rebuilds need renames.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub RenameColumnOrTable {
        code: "SQL008",
        name: "rename-column-or-table",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Warning,
        summary: "renaming a column or table breaks the release still running during a deploy",
    }
}

impl SqlRule for RenameColumnOrTable {
    /// Checks the `ALTER TABLE`s of an up script on tables it did not
    /// create (not those inside `DO` blocks).
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if step.set.dialect == SqlDialect::Sqlite || !step.is_top_level() {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        let statement = step.statement;
        for op in &alter.operations {
            let message = match op {
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => format!(
                    "column \"{}\" of existing table \"{table}\" is renamed to \"{}\"",
                    old_column_name.value, new_column_name.value
                ),
                AlterTableOperation::RenameTable { .. } => {
                    format!("existing table \"{table}\" is renamed")
                }
                _ => continue,
            };
            sink.push(
                Diagnostic::new(&RenameColumnOrTable::META, &step.script.file, statement.head(3), message)
                    .with_help("add the new name beside the old one and drop the old one in a later release, once no running code uses it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn renames_of_existing_tables_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (a int);\nALTER TABLE n RENAME COLUMN a TO b;\nALTER TABLE n RENAME TO m;\nALTER TABLE o RENAME COLUMN a TO b;\nALTER TABLE p RENAME TO q;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL008")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL008", "migrations/1_a.sql", 4, 1),
                at("SQL008", "migrations/1_a.sql", 5, 1)
            ]
        );
    }
}
