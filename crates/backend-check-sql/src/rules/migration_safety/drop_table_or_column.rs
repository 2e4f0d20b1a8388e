//! SQL013: a table or column that running code may still use is dropped.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::AlterTableOperation;

use super::drops;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `DROP TABLE` and `ALTER TABLE … DROP COLUMN` in up migrations, on
    /// tables the same migration did not create. A `DROP TABLE IF EXISTS` of a
    /// table the earlier migrations never created, re-created later in the same
    /// script, is set-up boilerplate and is not reported.
    ///
    /// ## Why is this bad?
    /// During a deploy the previous version of the application keeps running
    /// until the new one has replaced it, and it still reads and writes the
    /// dropped table or column: its queries fail (an ORM that lists columns in
    /// `SELECT` or `INSERT` fails on every query of the table). The data is gone
    /// too, so a rollback of the application cannot bring it back.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users DROP COLUMN legacy_login;
    /// ```
    ///
    /// ## Use instead
    /// Release the application that no longer uses the column first (for an
    /// ORM, mark the column ignored), and drop the column in a later release:
    /// ```sql
    /// -- after the release that stopped reading users.legacy_login
    /// ALTER TABLE users DROP COLUMN legacy_login;
    /// ```
    /// Then suppress the finding with a reason:
    /// `-- backend-check: allow(SQL013) unused since v2.3`.
    ///
    /// ## Options
    /// None. All dialects are checked; down scripts are not.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropTableOrColumn {
        code: "SQL013",
        name: "drop-table-or-column",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a dropped table or column breaks the application version still running during the deploy",
    }
}

impl SqlRule for DropTableOrColumn {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if let Some(drop) = drops::read(step.statement).filter(|d| d.kind == "TABLE") {
            for name in &drop.names {
                if !step.existing(name) || boilerplate(step, drop.if_exists, name) {
                    continue;
                }
                sink.push(
                step.diagnostic(
                    &DropTableOrColumn::META,
                    step.head(),
                    format!("table \"{name}\" is dropped while the running application may still use it"),
                )
                .with_help(HELP),
            );
            }
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        for op in &alter.operations {
            let AlterTableOperation::DropColumn { column_names, .. } = op else {
                continue;
            };
            for column in column_names {
                sink.push(
                step.diagnostic(
                    &DropTableOrColumn::META,
                    step.head(),
                    format!(
                        "column \"{}\" of table \"{table}\" is dropped while the running application may still use it",
                        column.value
                    ),
                )
                .with_help(HELP),
            );
            }
        }
    }
}

const HELP: &str = "drop it in a release after the one that stopped using it, and suppress this with a reason once that is so";

/// `DROP TABLE IF EXISTS t` of a table unknown to the earlier migrations,
/// followed by `CREATE TABLE t` in the same script.
fn boilerplate(step: &Step<'_>, if_exists: bool, name: &crate::schema::TableName) -> bool {
    if_exists
        && step.catalog.table(name).is_none()
        && step
            .script
            .statements
            .iter()
            .skip(step.position + 1)
            .any(|s| drops::creates(s, "TABLE", name))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn drops_of_existing_tables_and_columns_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "DROP TABLE IF EXISTS t;\nCREATE TABLE t (id int, x int);\nCREATE TABLE u (id int);\nALTER TABLE t DROP COLUMN x;\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE t DROP COLUMN x, DROP COLUMN id;\nDROP TABLE u, v;\n",
        );
        let found: Vec<_> = repo
            .findings_with(&["SQL013"], None)
            .into_iter()
            .filter(|f| f.0 == "SQL013")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL013", "migrations/2_b.sql", 1, 1),
                at("SQL013", "migrations/2_b.sql", 1, 1),
                at("SQL013", "migrations/2_b.sql", 2, 1),
                at("SQL013", "migrations/2_b.sql", 2, 1)
            ]
        );
    }
}
