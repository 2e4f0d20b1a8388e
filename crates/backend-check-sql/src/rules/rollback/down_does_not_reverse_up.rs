//! SQL006: a down migration that does not undo its up migration.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use crate::discover::{MigrationSet, Script};
use crate::schema::{Catalog, Table};

declare_rule! {
    /// ## What it does
    /// Replays the schema up to a migration, applies its up script and then its
    /// down script, and compares the result with the schema before the up:
    /// tables, columns, indexes and (PostgreSQL) named constraints the up
    /// created that are still there after the down are reported, and so are
    /// those the up dropped that the down does not bring back. One finding per down script, at its
    /// first statement. Empty down scripts are not checked (an empty down is a
    /// deliberate "cannot be undone").
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
    /// None. Statements the replay does not understand change nothing, so a down
    /// that reverses its up through a function call or a `DO` block may be
    /// reported; allow the finding with a reason.
    pub DownDoesNotReverseUp {
        code: "SQL006",
        name: "down-does-not-reverse-up",
        checklist: DbRollback,
        group: Suspicious,
        severity: Warning,
        summary: "a down migration leaves behind objects its up migration created, or does not restore what it dropped",
    }
}

/// Replays the set's up scripts in order and checks each change that has a
/// non-empty down script against the schema before it (a cheap snapshot:
/// the catalog shares its tables).
pub(crate) fn check_set(set: &MigrationSet, sink: &mut Sink<'_>) {
    let count = set.migrations.len();
    let mut catalog = Catalog::default();
    let mut start: Option<(usize, Catalog)> = None;
    for (index, migration) in set.migrations.iter().enumerate() {
        if index == 0 || !set.same_change(index - 1, index) {
            start = has_down(set, index).then(|| (index, catalog.clone()));
        }
        if let Some(up) = &migration.up {
            catalog.apply_all(&up.statements);
        }
        let last_part = index + 1 >= count || !set.same_change(index, index + 1);
        if last_part {
            if let Some((first, before)) = start.take() {
                check(set, &before, &catalog, first, index, sink);
            }
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
    let mut after = after_up.clone();
    for down in parts.iter().rev().filter_map(|m| m.down.as_ref()) {
        after.apply_all(&down.statements);
    }
    let mut problems = differences(before, after_up, &after);
    if set.is_postgres() {
        problems.extend(constraint_differences(before, after_up, &after));
    }
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
        .with_help("make the down script drop what the up created and recreate what it dropped, in reverse order"),
    );
}

fn first_statement(script: &Script) -> Span {
    script
        .statements
        .first()
        .map_or(Span::at(script.section.start), |s| s.head(3))
}

/// What the up created that is still there after the down, and what the up
/// dropped that the down did not bring back (objects the replay never saw
/// count as neither).
fn differences(before: &Catalog, up: &Catalog, after: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, table) in &after.tables {
        match (before.table(name), up.table(name)) {
            (None, Some(_)) => problems.push(format!("table \"{name}\" is left behind")),
            (Some(old), Some(new)) => {
                for column in &table.columns {
                    if old.column(&column.name).is_none() && new.column(&column.name).is_some() {
                        problems.push(format!("column \"{name}.{}\" is left behind", column.name));
                    }
                }
                for column in &old.columns {
                    if table.column(&column.name).is_none() && new.column(&column.name).is_none() {
                        problems.push(format!("column \"{name}.{}\" is not restored", column.name));
                    }
                }
            }
            _ => {}
        }
    }
    for name in before.tables.keys() {
        if after.table(name).is_none() && up.table(name).is_none() {
            problems.push(format!("table \"{name}\" is not restored"));
        }
    }
    for (name, index) in &after.indexes {
        if !before.indexes.contains_key(name)
            && up.indexes.contains_key(name)
            && after.table(&index.table).is_some()
        {
            problems.push(format!("index \"{name}\" is left behind"));
        }
    }
    for (name, index) in &before.indexes {
        if !after.indexes.contains_key(name)
            && !up.indexes.contains_key(name)
            && after.table(&index.table).is_some()
        {
            problems.push(format!("index \"{name}\" is not restored"));
        }
    }
    problems
}

/// Named constraints (keys, foreign keys, checks) of tables that exist
/// before and after, left behind or not restored. PostgreSQL only: the
/// replay knows its default constraint names.
fn constraint_differences(before: &Catalog, up: &Catalog, after: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for (name, table) in &after.tables {
        let (Some(old), Some(new)) = (before.table(name), up.table(name)) else {
            continue;
        };
        let (old, new, now) = (
            constraint_names(old),
            constraint_names(new),
            constraint_names(table),
        );
        for c in now.iter().filter(|c| new.contains(c) && !old.contains(c)) {
            problems.push(format!("constraint \"{c}\" on \"{name}\" is left behind"));
        }
        for c in old.iter().filter(|c| !new.contains(c) && !now.contains(c)) {
            problems.push(format!("constraint \"{c}\" on \"{name}\" is not restored"));
        }
    }
    problems
}

fn constraint_names(table: &Table) -> Vec<&str> {
    let keys = table
        .primary_key_constraint
        .iter()
        .chain(&table.unique)
        .chain(&table.checks)
        .filter_map(|c| c.name.as_deref());
    let foreign = table.foreign_keys.iter().filter_map(|f| f.name.as_deref());
    keys.chain(foreign).collect()
}

fn message(problems: &[String]) -> String {
    const SHOWN: usize = 3;
    let mut text = format!(
        "down migration does not reverse its up: {}",
        problems
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if problems.len() > SHOWN {
        text.push_str(&format!(" (and {} more)", problems.len() - SHOWN));
    }
    text
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
            "down migration does not reverse its up: index \"t_a\" is not restored, constraint \"t_a_key\" on \"t\" is left behind, constraint \"t_b_check\" on \"t\" is not restored"
        );
    }
}
