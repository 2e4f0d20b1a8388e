//! SQL037: a set numbered one by one with a number missing.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use crate::engine::SqlRule;
use crate::model::{Migration, MigrationKind, MigrationSet};

declare_rule! {
    /// ## What it does
    /// Finds a missing number in a migration set whose versions are small
    /// integers counted up one by one (`0001`, `0002`, `0003`, `0005`). The
    /// migration after the gap is reported. Sets numbered by timestamp, by
    /// dotted or release-style versions (`1_20_1`, `0010_1.9.0`), or with
    /// steps larger than one between most of their migrations are not checked:
    /// their gaps are by design.
    ///
    /// ## Why is this bad?
    /// In a set that counts one by one, a missing number usually means a
    /// migration was deleted or renumbered after it was merged, or a branch
    /// took a number that never landed. A database that already ran the
    /// missing migration no longer matches the files: sqlx and Flyway refuse
    /// to migrate it ("previously applied but missing"), and the schema that
    /// migration built is unknown to anyone reading the set.
    ///
    /// ## Example
    /// ```text
    /// migrations/0003_add_orders.sql
    /// migrations/0005_add_coupons.sql
    /// ```
    ///
    /// ## Use instead
    /// ```text
    /// migrations/0003_add_orders.sql
    /// migrations/0004_add_coupons.sql
    /// ```
    /// or restore the deleted `0004` migration if it ever ran.
    ///
    /// The rule is `pedantic` (opt-in): on real sets most gaps are a branch's number that
    /// never landed or a deliberate jump, not a deleted migration (none of the sampled
    /// gaps was one its maintainers would change); `--select SQL037` audits a set.
    ///
    /// ## Options
    /// None. A set is checked when it has at least four versioned migrations,
    /// every version is digits below 1,000,000, and at least three in four
    /// steps between consecutive versions are exactly one.
    pub MigrationVersionGap {
        code: "SQL037",
        name: "migration-version-gap",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Warning,
        summary: "a migration set numbered one by one skips a number",
    }
}

/// The smallest set worth judging, and the largest number that is a counter
/// rather than a date.
const MIN_MIGRATIONS: usize = 4;
const MAX_COUNTER: u64 = 1_000_000;

impl SqlRule for MigrationVersionGap {
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        let Some(numbered) = counted(set) else {
            return;
        };
        for pair in numbered.windows(2) {
            let [(before, _), (after, migration)] = pair else {
                continue;
            };
            if *after <= before + 1 {
                continue;
            }
            let Some(script) = migration.scripts().next() else {
                continue;
            };
            sink.push(
            Diagnostic::new(
                &MigrationVersionGap::META,
                &script.file,
                Span::at(script.section.start),
                message(*before, *after),
            )
            .with_help(
                "restore the missing migration if it ever ran anywhere; otherwise renumber this one to follow its predecessor",
            ),
        );
        }
    }
}

/// The versioned migrations with their numbers, when the set counts one by one.
fn counted(set: &MigrationSet) -> Option<Vec<(u64, &Migration)>> {
    let mut numbered = Vec::new();
    for migration in set
        .migrations
        .iter()
        .filter(|m| m.kind == MigrationKind::Versioned)
    {
        let text = migration.version.as_str();
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let number: u64 = text.parse().ok()?;
        if number >= MAX_COUNTER {
            return None;
        }
        numbered.push((number, migration));
    }
    numbered.sort_by_key(|(n, _)| *n);
    numbered.dedup_by_key(|(n, _)| *n);
    if numbered.len() < MIN_MIGRATIONS {
        return None;
    }
    let steps = numbered.len() - 1;
    let ones = numbered
        .windows(2)
        .filter(|w| matches!(w, [(a, _), (b, _)] if *b == a + 1))
        .count();
    (ones * 4 >= steps * 3).then_some(numbered)
}

fn message(before: u64, after: u64) -> String {
    if after == before + 2 {
        format!(
            "migration version {after} follows {before}: version {} is missing",
            before + 1
        )
    } else {
        format!(
            "migration version {after} follows {before}: versions {} to {} are missing",
            before + 1,
            after - 1
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql037(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL037")
            .collect()
    }

    #[test]
    fn a_missing_number_in_a_counted_set_is_reported_after_the_gap() {
        let repo = Repo::new();
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 15] {
            repo.write(&format!("migrations/{n:04}_step.up.sql"), "SELECT 1;\n");
        }
        assert_eq!(
            sql037(&repo),
            [
                at("SQL037", "migrations/0010_step.up.sql", 1, 1),
                at("SQL037", "migrations/0015_step.up.sql", 1, 1)
            ]
        );
        let output = repo.run(&[], None);
        let messages: Vec<&str> = output
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "SQL037")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "migration version 10 follows 8: version 9 is missing",
                "migration version 15 follows 12: versions 13 to 14 are missing"
            ]
        );
    }

    #[test]
    fn timestamps_release_numbers_and_short_sets_are_not_checked() {
        let repo = Repo::new();
        for name in [
            "20240101000000_a",
            "20240301000000_b",
            "20240302000000_c",
            "20240901000000_d",
        ] {
            repo.write(&format!("stamps/{name}.sql"), "SELECT 1;\n");
        }
        for name in [
            "0001_initial",
            "0002_fix",
            "0010_1.9.0",
            "0015_1.10.0",
            "0030_2.0.0",
        ] {
            repo.write(&format!("releases/{name}.up.sql"), "SELECT 1;\n");
        }
        for name in ["1_a", "2_b", "5_e"] {
            repo.write(&format!("short/{name}.sql"), "SELECT 1;\n");
        }
        assert!(sql037(&repo).is_empty(), "{:?}", sql037(&repo));
    }
}
