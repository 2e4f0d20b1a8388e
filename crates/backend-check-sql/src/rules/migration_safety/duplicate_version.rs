//! SQL003: two migrations of one set with the same version.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use crate::engine::SqlRule;
use crate::model::{MigrationKind, MigrationSet};

declare_rule! {
    /// ## What it does
    /// Finds two migrations in one folder that share a version number (`0003_a.sql`
    /// and `0003_b.sql`, or `1_x.sql` and `001_y.sql`, which tools that read the
    /// version as an integer see as equal). The later one (by name) is reported.
    /// Parts of one popx change (20-digit versions sharing their timestamp) are
    /// distinct versions and are not reported.
    ///
    /// ## Why is this bad?
    /// Migration tools identify migrations by version: sqlx, diesel, Flyway and
    /// golang-migrate refuse to run a set with a duplicate, and where a tool does
    /// not refuse, one of the two is silently skipped on databases that already
    /// recorded the version. It usually comes from two branches merged with the
    /// same next sequence number.
    ///
    /// ## Example
    /// ```text
    /// migrations/0007_add_invoices.sql
    /// migrations/0007_add_coupons.sql
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// migrations/0007_add_invoices.sql
    /// migrations/0008_add_coupons.sql
    /// ```
    ///
    /// ## Options
    /// None.
    pub DuplicateMigrationVersion {
        code: "SQL003",
        name: "duplicate-migration-version",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "two migrations of one set share a version, which migration tools reject or skip",
    }
}

impl SqlRule for DuplicateMigrationVersion {
    /// Reports every migration whose version an earlier one of the set already has.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        let versioned: Vec<_> = set
            .migrations
            .iter()
            .filter(|m| m.kind == MigrationKind::Versioned && !m.version.is_none())
            .collect();
        for (i, migration) in versioned.iter().enumerate() {
            let Some(first) = versioned
                .get(..i)
                .unwrap_or_default()
                .iter()
                .find(|earlier| earlier.version.same_number(&migration.version))
            else {
                continue;
            };
            let Some(script) = migration.scripts().next() else {
                continue;
            };
            let span = Span::new(script.section.start, script.section.start);
            sink.push(
            Diagnostic::new(
                &DuplicateMigrationVersion::META,
                &script.file,
                span,
                message(&migration.version.to_string(), &first.name),
            )
            .with_help(
                "give this migration the next free version (rename the file or folder), or merge the two migrations",
            ),
        );
        }
    }
}

fn message(version: &str, other: &str) -> String {
    format!("migration version {version} is already used by migration \"{other}\"")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn later_duplicate_is_reported_once() {
        let repo = Repo::new();
        repo.write("migrations/0001_a.up.sql", "SELECT 1;\n");
        repo.write("migrations/0001_a.down.sql", "SELECT 1;\n");
        repo.write("migrations/0002_b.up.sql", "SELECT 1;\n");
        repo.write("migrations/002_c.up.sql", "SELECT 1;\n");
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL003")
            .collect();
        assert_eq!(found, [at("SQL003", "migrations/002_c.up.sql", 1, 1)]);
    }
}
