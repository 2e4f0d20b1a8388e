//! SQL014: `DROP DATABASE` in a migration.

use backend_check_core::{declare_rule, Sink, SqlDialect};

use super::drops;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `DROP DATABASE` in up migrations (and `DROP SCHEMA` in MySQL sets,
    /// where a schema is a database).
    ///
    /// ## Why is this bad?
    /// A migration runs against every environment, production included. A
    /// dropped database takes every table and all data with it, and the
    /// application is down until a backup is restored. Creating and dropping
    /// databases belongs to provisioning, not to schema migrations.
    ///
    /// ## Example
    /// ```sql
    /// DROP DATABASE IF EXISTS analytics;
    /// ```
    ///
    /// ## Use instead
    /// Remove the statement from the migration and drop the database by hand
    /// (or in provisioning code) once nothing uses it.
    ///
    /// ## Options
    /// None. All dialects are checked; down scripts are not.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropDatabase {
        code: "SQL014",
        name: "drop-database",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Error,
        summary: "a migration drops a whole database",
    }
}

impl SqlRule for DropDatabase {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let Some(drop) = drops::read(step.statement) else {
            return;
        };
        let database = drop.kind == "DATABASE"
            || (drop.kind == "SCHEMA" && step.set.dialect == SqlDialect::MySql);
        if !database {
            return;
        }
        let name = drop
            .names
            .first()
            .map_or_else(String::new, |n| format!(" \"{n}\""));
        sink.push(
            step.diagnostic(
                &DropDatabase::META,
                step.head(),
                format!("database{name} is dropped by a migration"),
            )
            .with_help(
                "remove the statement; drop databases in provisioning, not in schema migrations",
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn drop_database_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "DROP SCHEMA s;\nDROP DATABASE IF EXISTS d;\n",
        );
        repo.write("migrations/mysql/1_a.sql", "DROP SCHEMA s;\n");
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL014")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL014", "migrations/1_a.sql", 2, 1),
                at("SQL014", "migrations/mysql/1_a.sql", 1, 1)
            ]
        );
    }
}
