//! SQL009: a unique or primary key constraint added to an existing table
//! without `USING INDEX`.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::{AlterTableOperation, ColumnOption, TableConstraint};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ADD CONSTRAINT … UNIQUE (…)`, `… PRIMARY KEY (…)`
    /// and `ADD COLUMN … UNIQUE|PRIMARY KEY` (a `serial` primary key, say) in
    /// PostgreSQL up migrations, on tables the same migration did not create,
    /// when the constraint builds its own index instead of adopting one built
    /// beforehand with `USING INDEX`.
    ///
    /// ## Why is this bad?
    /// The constraint builds its unique index while holding an `ACCESS
    /// EXCLUSIVE` lock on the table: no query, not even a `SELECT`, runs until
    /// the whole table is indexed. A unique index built `CONCURRENTLY` first and
    /// then attached with `USING INDEX` needs the strong lock only for a moment.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- no-transaction
    /// CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
    /// -- in the next migration
    /// ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked (MySQL builds unique indexes
    /// online).
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub UniqueConstraintWithoutIndex {
        code: "SQL009",
        name: "unique-constraint-without-index",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "a unique or primary key constraint added to an existing table builds its index under an `ACCESS EXCLUSIVE` lock",
    }
}

impl SqlRule for UniqueConstraintWithoutIndex {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        for op in &alter.operations {
            let Some(kind) = kind(op) else {
                continue;
            };
            sink.push(
            step.diagnostic(&UniqueConstraintWithoutIndex::META, step.head(), message(kind, &table.to_string()))
                .with_help("build the index first with `CREATE UNIQUE INDEX CONCURRENTLY`, then add the constraint `USING INDEX`"),
        );
        }
    }
}

fn kind(op: &AlterTableOperation) -> Option<&'static str> {
    match op {
        AlterTableOperation::AddConstraint { constraint, .. } => match constraint {
            TableConstraint::Unique(_) => Some("unique"),
            TableConstraint::PrimaryKey(_) => Some("primary key"),
            _ => None,
        },
        AlterTableOperation::AddColumn { column_def, .. } => {
            column_def.options.iter().find_map(|o| match o.option {
                ColumnOption::Unique(_) => Some("unique"),
                ColumnOption::PrimaryKey(_) => Some("primary key"),
                _ => None,
            })
        }
        _ => None,
    }
}

fn message(kind: &str, table: &str) -> String {
    format!("{kind} constraint on existing table \"{table}\" builds its index while the table is locked")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn constraints_without_using_index_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (id int);\nALTER TABLE n ADD CONSTRAINT n_id UNIQUE (id);\nALTER TABLE o ADD CONSTRAINT o_k UNIQUE (k);\nALTER TABLE o ADD CONSTRAINT o_pk PRIMARY KEY USING INDEX o_pk;\nALTER TABLE IF EXISTS ONLY p ADD COLUMN id bigserial PRIMARY KEY;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL009")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL009", "migrations/1_a.sql", 3, 1),
                at("SQL009", "migrations/1_a.sql", 5, 1)
            ]
        );
    }
}
