//! SQL006: a down migration that does not undo its up migration.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use crate::engine::{Change, SqlRule};
use crate::model::{MigrationSet, Script};
use crate::schema::{reversal_differences, Catalog};

declare_rule! {
    /// ## What it does
    /// Replays the schema up to a migration, applies its up script and then its
    /// down script, and compares the whole result with the schema before the
    /// up: tables, columns (type, nullability, default, numbering), keys,
    /// checks and foreign keys (PostgreSQL), indexes, views, functions,
    /// triggers, types, domains, policies and row-level security. Each
    /// difference is named: what the up created that is still there, what it
    /// dropped or changed that the down does not restore, and what the down
    /// restores differently (`column "orders.total" is integer, was bigint`).
    /// One finding per down script, at its first statement.
    ///
    /// Differences that do not matter to a rollback are not told: column
    /// order, spellings of one type (`int`, `integer`) or default (`now()`,
    /// `CURRENT_TIMESTAMP`), a default the down adds to re-add a NOT NULL
    /// column, an enum label the up added (PostgreSQL cannot drop one), and a
    /// key or index re-created with the same definition under the name
    /// PostgreSQL gives it after a rename. Empty down scripts are not checked
    /// (SQL044, SQL071), nor downs the database refuses to run (SQL071).
    ///
    /// ## Why is this bad?
    /// A rollback that leaves objects behind fails on the next deploy of the same
    /// migration (`relation "x" already exists`), and one that does not restore a
    /// dropped column breaks the previous release's code the rollback was meant
    /// to bring back.
    ///
    /// ## Example
    /// ```sql
    /// -- up.sql
    /// CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL);
    /// CREATE INDEX coupons_code_idx ON coupons (code);
    /// ALTER TABLE orders ADD COLUMN coupon_id bigint;
    /// -- down.sql
    /// DROP TABLE coupons;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- down.sql
    /// ALTER TABLE orders DROP COLUMN coupon_id;
    /// DROP TABLE coupons;
    /// ```
    ///
    /// ## Options
    /// None. A down script with no up of its version (`…4453_x.down.sql` beside
    /// `…4449_x.up.sql`) is reported as such: the tool pairs downs with ups by
    /// version, so it never runs as the revert it was written for. Statements the replay does not understand change nothing (DDL
    /// inside a `DO` block is replayed when it parses), so a down that
    /// reverses its up through a function call or dynamic SQL may be reported;
    /// allow the finding with a reason.
    pub DownDoesNotReverseUp {
        code: "SQL006",
        name: "down-does-not-reverse-up",
        checklist: DbRollback,
        group: Suspicious,
        severity: Warning,
        summary: "a down migration leaves behind objects its up migration created, or does not restore what it dropped or changed",
    }
}

impl SqlRule for DownDoesNotReverseUp {
    /// Checks a change that has a non-empty down script against the schema
    /// before its ups.
    fn migration(&self, change: &Change<'_>, sink: &mut Sink<'_>) {
        if has_down(change.set, change.first) {
            check(
                change.set,
                change.before,
                change.after,
                change.first,
                change.last,
                sink,
            );
        }
    }
}

/// Whether the change starting at migration `first` has a non-empty down script.
fn has_down(set: &MigrationSet, first: usize) -> bool {
    set.migrations
        .iter()
        .enumerate()
        .skip(first)
        .take_while(|(i, _)| *i == first || set.same_change(first, *i))
        .any(|(_, m)| m.down.as_ref().is_some_and(|d| !d.statements.is_empty()))
}

/// Checks the change that migration `index` ends (one migration, or the
/// parts of a split popx change, whose downs run in reverse order) given the
/// schema before and after its ups: the down
/// scripts are reported at the first non-empty one.
fn check(
    set: &MigrationSet,
    before: &Catalog,
    after_up: &Catalog,
    first: usize,
    index: usize,
    sink: &mut Sink<'_>,
) {
    let parts = set.migrations.get(first..=index).unwrap_or_default();
    let Some(down) = parts
        .iter()
        .filter_map(|m| m.down.as_ref())
        .find(|d| !d.statements.is_empty())
    else {
        return;
    };
    if parts.iter().all(|m| m.up.is_none()) {
        sink.push(orphan_down(set, first, down));
        return;
    }
    let mut after = after_up.clone();
    for down in parts.iter().rev().filter_map(|m| m.down.as_ref()) {
        let rejected = down
            .statements
            .iter()
            .any(|s| s.parsed.as_ref().is_err_and(|f| f.database_rejects));
        if rejected {
            return; // SQL036, SQL038: the database rejects a statement of the down
        }
        if super::down_cannot_run::first_refusal(&mut after, down).is_some() {
            return; // SQL071: the down stops before it could reverse anything
        }
    }
    let problems = reversal_differences(before, after_up, &after, set.is_postgres());
    if problems.is_empty() {
        return;
    }
    sink.push(
        Diagnostic::new(
            &DownDoesNotReverseUp::META,
            &down.file,
            first_statement(down),
            message(&problems),
        )
        .with_help("make the down script drop what the up created and restore what it dropped or changed, in reverse order"),
    );
}

/// A down script with no up of its version (`…4453_x.down.sql` beside
/// `…4449_x.up.sql`): the tool pairs them by version, so it never runs as
/// the revert of the up it was written for, and that up has no down.
fn orphan_down(set: &MigrationSet, first: usize, down: &Script) -> Diagnostic {
    let version = set.migrations[first].version.as_str();
    let meant = set.migrations[..first]
        .iter()
        .rev()
        .find(|m| m.up.is_some() && m.down.is_none())
        .map(|m| m.version.as_str().to_owned());
    let message = match &meant {
        Some(up) => format!(
            "down migration \"{version}\" has no up migration of its version; it most likely reverts \"{up}\", which has no down"
        ),
        None => format!("down migration \"{version}\" has no up migration of its version"),
    };
    Diagnostic::new(
        &DownDoesNotReverseUp::META,
        &down.file,
        first_statement(down),
        message,
    )
    .with_help(
        "give the down script the version of the up it reverts, so the tool runs it on revert",
    )
}

fn first_statement(script: &Script) -> Span {
    script
        .statements
        .first()
        .map_or(Span::at(script.section.start), |s| s.head(3))
}

/// Every difference, named.
fn message(problems: &[String]) -> String {
    format!(
        "down migration does not reverse its up: {}",
        problems.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql006(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL006")
            .collect()
    }

    #[test]
    fn a_down_that_leaves_a_table_behind_is_reported() {
        let repo = Repo::new();
        repo.write(
            "migrations/2024-01-01-000000_users/up.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY);\n",
        );
        repo.write(
            "migrations/2024-01-01-000000_users/down.sql",
            "DROP TABLE users;\n",
        );
        repo.write(
            "migrations/2024-01-02-000000_coupons/up.sql",
            "CREATE TABLE coupons (id bigint);\nALTER TABLE users ADD COLUMN coupon_id bigint;\n",
        );
        repo.write(
            "migrations/2024-01-02-000000_coupons/down.sql",
            "\nALTER TABLE users DROP COLUMN coupon_id;\n",
        );
        assert_eq!(
            sql006(&repo),
            [at(
                "SQL006",
                "migrations/2024-01-02-000000_coupons/down.sql",
                2,
                1
            )]
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL006")
            .unwrap();
        assert_eq!(
            d.message,
            "down migration does not reverse its up: table \"coupons\" is left behind"
        );
    }

    #[test]
    fn renames_and_recreated_tables_reverse() {
        let repo = Repo::new();
        repo.write("migrations/1_a.up.sql", "CREATE TABLE t (a int, b int);\n");
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write(
            "migrations/2_b.up.sql",
            "ALTER TABLE t RENAME COLUMN a TO c;\nALTER TABLE t DROP COLUMN b;\nCREATE INDEX t_c ON t (c);\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "DROP INDEX t_c;\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE t RENAME COLUMN c TO a;\n",
        );
        assert!(sql006(&repo).is_empty());
    }

    #[test]
    fn constraints_and_indexes_must_be_restored() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.up.sql",
            "CREATE TABLE t (a int, b int, CONSTRAINT t_b_check CHECK (b > 0));\nCREATE INDEX t_a ON t (a);\n",
        );
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write(
            "migrations/2_b.up.sql",
            "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a);\nALTER TABLE t ADD FOREIGN KEY (b) REFERENCES u (id);\nALTER TABLE t DROP CONSTRAINT t_b_check;\nDROP INDEX t_a;\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t DROP CONSTRAINT t_b_fkey;\n",
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL006")
            .unwrap();
        assert_eq!(
            d.message,
            "down migration does not reverse its up: constraint \"t_b_check\" on \"t\" is not restored, constraint \"t_a_key\" on \"t\" is left behind, index \"t_a\" is not restored"
        );
    }

    fn message_of(repo: &Repo) -> Option<String> {
        repo.run(&[], None)
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL006")
            .map(|d| d.message.clone())
    }

    #[test]
    fn changed_columns_functions_and_triggers_must_be_restored() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.up.sql",
            "CREATE TABLE t (id bigint PRIMARY KEY, a varchar(255) NOT NULL DEFAULT 'x', b int);\nCREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;\nCREATE TRIGGER t_f BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION f();\n",
        );
        repo.write(
            "migrations/1_a.down.sql",
            "DROP TABLE t;\nDROP FUNCTION f();\n",
        );
        repo.write(
            "migrations/2_b.up.sql",
            "ALTER TABLE t ALTER COLUMN a TYPE text, ALTER COLUMN a DROP NOT NULL, ALTER COLUMN a DROP DEFAULT;\nALTER TABLE t ALTER COLUMN b TYPE bigint;\nDROP FUNCTION f() CASCADE;\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t ALTER COLUMN a TYPE varchar(100);\nALTER TABLE t ALTER COLUMN b TYPE integer;\n",
        );
        assert_eq!(
            message_of(&repo).as_deref(),
            Some("down migration does not reverse its up: column \"t.a\" is character varying(100), was character varying(255), column \"t.a\" is nullable, was NOT NULL, column \"t.a\" has no default, had default 'x', trigger \"t_f\" on \"t\" is not restored, function \"f\" is not restored")
        );
    }

    #[test]
    fn refused_downs_are_left_to_sql071() {
        let repo = Repo::new();
        repo.write("migrations/1_a.up.sql", "CREATE TABLE t (id int, a int);\n");
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write(
            "migrations/2_b.up.sql",
            "CREATE UNIQUE INDEX t_a_uindex ON t (a);\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t DROP CONSTRAINT t_a_uindex;\n",
        );
        assert_eq!(message_of(&repo), None);
        assert_eq!(
            repo.findings(&[], None)
                .into_iter()
                .filter(|f| f.0 == "SQL071")
                .count(),
            1
        );
    }

    #[test]
    fn downs_the_database_rejects_are_left_to_sql038() {
        let repo = Repo::new();
        repo.write("migrations/1_a.up.sql", "CREATE TABLE t (id int);\n");
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write("migrations/2_b.up.sql", "ALTER TABLE t ADD COLUMN a int;\n");
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t DROP IF EXISTS COLUMN a;\n",
        );
        assert_eq!(message_of(&repo), None);
        let codes: Vec<String> = repo.findings(&[], None).into_iter().map(|f| f.0).collect();
        assert!(codes.contains(&"SQL038".to_owned()), "{codes:?}");
        // The same down written correctly reverses the up.
        repo.write("migrations/2_b.down.sql", "ALTER TABLE t DROP COLUMN a;\n");
        assert_eq!(message_of(&repo), None);
        repo.write("migrations/2_b.down.sql", "SELECT 1;\n");
        assert!(message_of(&repo).is_some());
    }
}
