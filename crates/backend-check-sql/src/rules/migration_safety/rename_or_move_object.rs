//! SQL028: renaming a view, type, function, schema, sequence or domain, or
//! moving any object to another schema.

use backend_check_core::{declare_rule, Sink};

use super::words::{self, at_words, find, name_at, skip_if_exists, tokens};
use crate::engine::{SqlRule, Step};
use crate::parse::SqlToken;

declare_rule! {
    /// ## What it does
    /// Finds, in PostgreSQL up migrations, `ALTER VIEW`, `ALTER MATERIALIZED
    /// VIEW`, `ALTER TYPE`, `ALTER FUNCTION`, `ALTER PROCEDURE`, `ALTER
    /// ROUTINE`, `ALTER AGGREGATE`, `ALTER SCHEMA`, `ALTER SEQUENCE` and `ALTER
    /// DOMAIN … RENAME TO`, the enum and composite type renames `ALTER TYPE …
    /// RENAME VALUE` and `RENAME ATTRIBUTE`, and `ALTER … SET SCHEMA` of any
    /// object, tables included. Objects created earlier in the same migration
    /// are skipped, and so is a rename followed by a `CREATE` of the old name
    /// (the usual way to rebuild an enum type), and a sequence renamed in a
    /// migration that renames a table (its serial sequence, which SQL008's
    /// finding on the table covers). Renames of tables and columns are SQL008's.
    ///
    /// ## Why is this bad?
    /// The release still running during a deploy refers to the object by its
    /// old name (or finds it through its `search_path`): its calls of the
    /// function, reads of the view, casts to the type and writes of the old
    /// enum label fail until the last old instance is gone.
    ///
    /// ## Example
    /// ```sql
    /// ALTER FUNCTION order_total(bigint) RENAME TO order_total_cents;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE FUNCTION order_total_cents(bigint) RETURNS bigint
    ///     LANGUAGE sql AS 'SELECT order_total($1)';
    /// -- drop order_total in a later release, once nothing calls it
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub RenameOrMoveObject {
        code: "SQL028",
        name: "rename-or-move-object",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "renaming an object or moving it to another schema breaks the release still running during a deploy",
    }
}

/// Kinds whose `RENAME TO` the rule reports (tables are SQL008's).
const RENAMED_KINDS: &[&str] = &[
    "MATERIALIZED VIEW",
    "VIEW",
    "TYPE",
    "FUNCTION",
    "PROCEDURE",
    "ROUTINE",
    "AGGREGATE",
    "SCHEMA",
    "SEQUENCE",
    "DOMAIN",
];

/// Kinds that are moved with `SET SCHEMA` and may be used by running code.
const MOVED_KINDS: &[&str] = &[
    "MATERIALIZED VIEW",
    "FOREIGN TABLE",
    "TABLE",
    "VIEW",
    "TYPE",
    "FUNCTION",
    "PROCEDURE",
    "ROUTINE",
    "AGGREGATE",
    "SEQUENCE",
    "DOMAIN",
    "EXTENSION",
];

impl SqlRule for RenameOrMoveObject {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres()
            || !step
                .statement
                .tokens
                .first()
                .is_some_and(|t| t.is_word("ALTER"))
        {
            return;
        }
        let tokens = tokens(step.statement);
        let Some(kind) = MOVED_KINDS
            .iter()
            .chain(RENAMED_KINDS)
            .find(|k| at_words(&tokens, 1, &k.split(' ').collect::<Vec<_>>()))
        else {
            return;
        };
        let (start, _) = skip_if_exists(&tokens, 1 + kind.split(' ').count());
        let Some((name, after)) = name_at(&tokens, start) else {
            return;
        };
        let Some(change) = change(&tokens, after, kind) else {
            return;
        };
        if words::created_earlier(step, kind, &name) || recreated_later(step, kind, &name) {
            return;
        }
        if *kind == "SEQUENCE" && renames_a_table(step) {
            return;
        }
        sink.push(
        step.diagnostic(
            &RenameOrMoveObject::META,
            step.head(),
            format!("{} \"{name}\" {change}", kind.to_lowercase()),
        )
        .with_help("create the new object beside the old one (or keep the old name as a view or wrapper) and remove the old one in a later release"),
    );
    }
}

/// Whether a later statement of the script creates an object of the same
/// kind under the old name (the usual way to rebuild an enum type).
fn recreated_later(step: &Step<'_>, kind: &str, name: &crate::schema::TableName) -> bool {
    step.script
        .statements
        .iter()
        .skip(step.position + 1)
        .any(|s| super::drops::creates(s, kind, name))
}

/// Whether the script renames a table, which SQL008 reports: the rename of
/// its serial sequence that goes with it adds nothing.
fn renames_a_table(step: &Step<'_>) -> bool {
    step.script.statements.iter().any(|s| {
        let tokens = tokens(s);
        words::starts_with(s, &["ALTER", "TABLE"]) && find(&tokens, 2, &["RENAME", "TO"]).is_some()
    })
}

/// What the statement does to the object, when it is a rename or a move.
fn change(tokens: &[&SqlToken], after: usize, kind: &str) -> Option<&'static str> {
    if find(tokens, after, &["SET", "SCHEMA"]).is_some() && MOVED_KINDS.contains(&kind) {
        return Some("is moved to another schema while the running application may still use it");
    }
    if !RENAMED_KINDS.contains(&kind) {
        return None;
    }
    if find(tokens, after, &["RENAME", "TO"]).is_some() {
        return Some("is renamed while the running application may still use the old name");
    }
    if kind == "TYPE" && find(tokens, after, &["RENAME", "VALUE"]).is_some() {
        return Some(
            "has an enum value renamed while the running application may still write the old one",
        );
    }
    if kind == "TYPE" && find(tokens, after, &["RENAME", "ATTRIBUTE"]).is_some() {
        return Some(
            "has an attribute renamed while the running application may still use the old name",
        );
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn renames_and_moves_of_existing_objects_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE VIEW fresh AS SELECT 1;\nALTER VIEW fresh RENAME TO fresher;\nALTER VIEW active_users RENAME TO users_active;\nALTER FUNCTION f(int) RENAME TO g;\nALTER TYPE status RENAME VALUE 'old' TO 'new';\nALTER TABLE t SET SCHEMA archive;\nALTER TABLE t RENAME TO u;\nALTER INDEX i RENAME TO j;\nALTER MATERIALIZED VIEW IF EXISTS m SET SCHEMA x;\nALTER VIEW v ALTER COLUMN a SET DEFAULT 1;\nALTER TYPE mood RENAME TO mood_old;\nCREATE TYPE mood AS ENUM ('a');\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE users RENAME TO accounts;\nALTER SEQUENCE users_id_seq RENAME TO accounts_id_seq;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL028")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL028", "migrations/1_a.sql", 3, 1),
                at("SQL028", "migrations/1_a.sql", 4, 1),
                at("SQL028", "migrations/1_a.sql", 5, 1),
                at("SQL028", "migrations/1_a.sql", 6, 1),
                at("SQL028", "migrations/1_a.sql", 9, 1),
            ]
        );
    }
}
