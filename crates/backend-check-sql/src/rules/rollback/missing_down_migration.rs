//! SQL043: an up migration without a down in a set whose migrations have downs.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use crate::engine::SqlRule;
use crate::model::{Direction, Layout, MigrationKind, MigrationSet};

declare_rule! {
    /// ## What it does
    /// In a migration set where migrations have down scripts (sqlx and
    /// golang-migrate `.down.sql`, diesel `down.sql`, Flyway `U…` undo
    /// scripts, pop), finds versioned up migrations that have none. The
    /// finding is at the start of the up script. Sets without any down script
    /// are not checked: they roll forward by design, and neither is a sqlx
    /// simple migration (`<version>_<name>.sql`, without `.up`), which sqlx
    /// defines as irreversible by its name.
    ///
    /// ## Why is this bad?
    /// The team's rollback plan is "run the downs". A migration without one
    /// stops that plan at the worst moment: the rollback of a bad release fails
    /// at this version, with the database half reverted.
    ///
    /// ## Example
    /// ```text
    /// migrations/20240101120000_users.up.sql
    /// migrations/20240101120000_users.down.sql
    /// migrations/20240301090000_orders.up.sql      <- no orders.down.sql
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// migrations/20240301090000_orders.up.sql
    /// migrations/20240301090000_orders.down.sql    -- DROP TABLE orders;
    /// ```
    ///
    /// ## Options
    /// None. A migration that cannot be undone should say so in a down script
    /// that fails on purpose or holds a comment explaining why.
    pub MissingDownMigration {
        code: "SQL043",
        name: "missing-down-migration",
        checklist: DbRollback,
        group: Suspicious,
        severity: Warning,
        summary: "an up migration has no down migration while the other migrations of its set have one",
    }
}

impl SqlRule for MissingDownMigration {
    /// Checks a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        if matches!(set.layout, Layout::Goose | Layout::Dbmate | Layout::Loose) {
            return;
        }
        if !set.migrations.iter().any(|m| m.down.is_some()) {
            return;
        }
        for migration in &set.migrations {
            if migration.kind != MigrationKind::Versioned || migration.down.is_some() {
                continue;
            }
            let Some(up) = migration.script(Direction::Up) else {
                continue;
            };
            // sqlx's `<version>_<name>.sql` (no `.up`) is a simple migration:
            // irreversible by its very name, as sqlx defines that form.
            if set.layout == Layout::Sqlx && !is_up_named(up.file.path()) {
                continue;
            }
            let span = up
                .statements
                .first()
                .map_or(Span::at(up.section.start), |s| s.head(3));
            sink.push(
            Diagnostic::new(
                &MissingDownMigration::META,
                &up.file,
                span,
                format!(
                    "migration \"{}\" has no down migration",
                    migration.version.as_str()
                ),
            )
            .with_help(
                "add a down script that reverts this migration, as the set's other migrations have",
            ),
        );
        }
    }
}

/// Whether a file is named as the up half of a reversible migration (`….up.sql`).
fn is_up_named(path: &std::path::Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.to_ascii_lowercase().ends_with(".up.sql"))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn only_sets_with_downs_are_checked() {
        let repo = Repo::new();
        repo.write("a/migrations/1_a.up.sql", "CREATE TABLE a (id int);\n");
        repo.write("a/migrations/1_a.down.sql", "DROP TABLE a;\n");
        repo.write("a/migrations/2_b.up.sql", "\nCREATE TABLE b (id int);\n");
        repo.write("b/migrations/1_a.sql", "CREATE TABLE a (id int);\n");
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL043")
            .collect();
        assert_eq!(found, [at("SQL043", "a/migrations/2_b.up.sql", 2, 1)]);
    }
}
