//! SQL029: the identity of an existing column is added, changed or dropped.

use backend_check_core::{declare_rule, Sink};

use super::words::existing_column_changes;
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ALTER [COLUMN] c` followed by `ADD GENERATED …
    /// AS IDENTITY`, `SET GENERATED { ALWAYS | BY DEFAULT }`, `DROP IDENTITY`
    /// or an identity sequence option (`RESTART`, `SET INCREMENT BY`, `SET
    /// START WITH`, `SET MINVALUE`, `SET MAXVALUE`, `SET CACHE`, `SET [NO]
    /// CYCLE`) in PostgreSQL up migrations, on tables the migration did not
    /// create.
    ///
    /// ## Why is this bad?
    /// Each takes an `ACCESS EXCLUSIVE` lock on the table, and each changes
    /// what inserts of the running release may do: after `DROP IDENTITY` an
    /// insert that leaves the column out fails on `NOT NULL`; after `SET
    /// GENERATED ALWAYS` an insert that gives the key (imports, fixtures,
    /// copies between databases) fails; `RESTART` can hand out keys that
    /// already exist.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN id SET GENERATED ALWAYS;
    /// ```
    ///
    /// ## Use instead
    /// Make the change in a release whose code no longer depends on the old
    /// behaviour, run it with a short `lock_timeout`, and suppress the finding
    /// with a reason:
    /// ```sql
    /// SET lock_timeout = '5s';
    /// -- backend-check: allow(SQL029) no writer sets ids since v4.2
    /// ALTER TABLE orders ALTER COLUMN id SET GENERATED ALWAYS;
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub AlterIdentity {
        code: "SQL029",
        name: "alter-identity",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "changing a column's identity locks the table and changes what inserts of the running release may do",
    }
}

/// Identity changes after `ALTER [COLUMN] c`.
const CHANGES: &[&[&str]] = &[
    &["ADD", "GENERATED"],
    &["SET", "GENERATED"],
    &["DROP", "IDENTITY"],
    &["RESTART"],
    &["SET", "INCREMENT"],
    &["SET", "START"],
    &["SET", "MINVALUE"],
    &["SET", "MAXVALUE"],
    &["SET", "NO"],
    &["SET", "CACHE"],
    &["SET", "CYCLE"],
];

impl SqlRule for AlterIdentity {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let Some((table, changes)) = existing_column_changes(step, CHANGES, 2) else {
            return;
        };
        for (column, span) in changes {
            sink.push(
            step.diagnostic(
                &AlterIdentity::META,
                span,
                format!("the identity of column \"{table}.{column}\" is changed on an existing table"),
            )
            .with_help("make the change in a release whose code no longer relies on the old identity behaviour, with a short lock_timeout"),
        );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn identity_changes_on_existing_tables_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (id bigint NOT NULL);\nALTER TABLE n ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;\nALTER TABLE orders ALTER COLUMN id SET GENERATED ALWAYS;\nALTER TABLE orders ALTER id DROP IDENTITY IF EXISTS, ALTER COLUMN note SET DEFAULT '';\nALTER TABLE orders ALTER COLUMN id RESTART WITH 1000;\nALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL029")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL029", "migrations/1_a.sql", 3, 36),
                at("SQL029", "migrations/1_a.sql", 4, 29),
                at("SQL029", "migrations/1_a.sql", 5, 36),
            ]
        );
    }
}
