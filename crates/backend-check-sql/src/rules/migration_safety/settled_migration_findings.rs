//! SQL080: the findings of migrations that have already run, counted in one
//! summary per set ([`crate::engine::history`] sets them aside).

use std::collections::BTreeMap;
use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, SourceFile, Span};

use crate::engine::history::History;
use crate::engine::SqlRule;
use crate::model::MigrationSet;

declare_rule! {
    /// ## What it does
    /// Counts, in one finding per migration set, the lock, rewrite and rollback
    /// findings of the set's old migrations, which are not listed one by one.
    /// A migration is old when its version sorts before `sql.since`, or, when
    /// `since` is not set, when it is not among the newest `sql.recent`
    /// migrations of its set (10 by default). The findings so counted are those
    /// of the `db.migration-safety` and `db.rollback` rules that judge how one
    /// migration runs or reverts (not SQL000, SQL003 or SQL037, which judge the
    /// set); the rules that judge the schema the set builds still report on
    /// every migration.
    ///
    /// ## Why is this bad?
    /// It is not: it is a summary. A migration that ran years ago has taken its
    /// locks and rewritten its tables already, and editing it now would change
    /// its checksum (sqlx, Flyway) or be ignored (diesel), so hundreds of
    /// findings about old migrations bury the few about the migration being
    /// written. The count says how many were set aside.
    ///
    /// ## Example
    /// A set of 300 migrations whose 290 oldest hold 412 lock findings gets
    /// one summary on the newest of those 290.
    ///
    /// ## Use instead
    /// Tell the tool where the migrations that have not run everywhere start,
    /// as strong_migrations' `start_after` does:
    /// ```toml
    /// [sql]
    /// since = "20240601000000"
    /// ```
    /// then old migrations are silent and no summary is given. `recent = 0`
    /// lists every finding of every migration.
    ///
    /// ## Options
    /// `sql.since` (a version), `sql.recent` (a count, default 10; `0` turns
    /// the collapsing off), `sql.deploy` (`auto`, `online` or `offline`:
    /// offline turns off the rules that matter only while the previous release
    /// runs). With `auto`, the default, a set of at least 20 migrations in a
    /// project none of whose migrations uses an online technique
    /// (`CONCURRENTLY`, `NOT VALID`, `lock_timeout`, MySQL's `ALGORITHM=` or
    /// `LOCK=`) gets its lock findings that ask for one (SQL001, SQL004,
    /// SQL005, SQL009, SQL011, SQL019, SQL023, SQL027, SQL035) counted in a
    /// second summary instead of listed: such a project accepts those locks,
    /// and `deploy = "online"` lists them again.
    pub SettledMigrationFindings {
        code: "SQL080",
        name: "settled-migration-findings",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Info,
        summary: "lock, rewrite and rollback findings of migrations that have already run are counted in one summary, not listed",
    }
}

/// No hook: the engine's history (see [`crate::engine::history::settle`])
/// counts the findings it sets aside and builds the summaries below.
impl SqlRule for SettledMigrationFindings {}

/// The SQL080 finding for the lock findings that `deploy = "auto"` counted,
/// on the set's newest migration.
pub(crate) fn accepted_summary(
    set: &MigrationSet,
    accepted: &BTreeMap<&'static str, usize>,
) -> Option<Diagnostic> {
    let file = file_of(set.migrations.last()?)?;
    let (total, by_rule) = counts(accepted);
    let findings = if total == 1 { "finding" } else { "findings" };
    Some(
        Diagnostic::new(
            &SettledMigrationFindings::META,
            &file,
            Span::at(0),
            format!(
                "{total} lock {findings} on this set's {} migrations are not listed ({}): no migration of this project's sets builds an index CONCURRENTLY, adds a constraint NOT VALID or sets a lock_timeout, so it is taken to accept these locks (an offline deploy, or tables small enough)",
                set.migrations.len(),
                by_rule.join(", ")
            ),
        )
        .with_help("set `[sql] deploy = \"online\"` to list them (migrations run while the previous release serves), or `deploy = \"offline\"` to turn off the zero-downtime rules and this summary"),
    )
}

/// The file a summary about `migration` is placed in: its up, else its down.
fn file_of(migration: &crate::model::Migration) -> Option<Arc<SourceFile>> {
    Some(
        migration
            .up
            .as_ref()
            .or(migration.down.as_ref())?
            .file
            .clone(),
    )
}

/// The findings counted in a summary, in all and per rule (`SQL001 ×3`).
fn counts(by_code: &BTreeMap<&'static str, usize>) -> (usize, Vec<String>) {
    let by_rule = by_code
        .iter()
        .map(|(code, count)| format!("{code} ×{count}"))
        .collect();
    (by_code.values().sum(), by_rule)
}

/// The one SQL080 finding of a set, on the newest settled migration.
pub(crate) fn summary(
    set: &MigrationSet,
    history: &History,
    set_aside: &BTreeMap<&'static str, usize>,
) -> Option<Diagnostic> {
    let (settled, newest) = set
        .migrations
        .iter()
        .enumerate()
        .filter(|(index, _)| history.settled(set, *index))
        .fold((0, None), |(count, _), (_, m)| (count + 1, Some(m)));
    let newest = newest?;
    let file = file_of(newest)?;
    let (total, by_rule) = counts(set_aside);
    Some(
        Diagnostic::new(
            &SettledMigrationFindings::META,
            &file,
            Span::at(0),
            summary_message(total, settled, newest.version.as_str(), &by_rule, history),
        )
        .with_help("set `[sql] since = \"<version>\"` to the oldest migration not applied everywhere yet (older ones are then silent, with no summary), or `recent = 0` to list every finding"),
    )
}

fn summary_message(
    total: usize,
    settled: usize,
    newest: &str,
    by_rule: &[String],
    history: &History,
) -> String {
    let which = format!("older than the newest {} of this set", history.recent);
    let findings = if total == 1 { "finding" } else { "findings" };
    let migrations = if settled == 1 {
        "migration"
    } else {
        "migrations"
    };
    format!(
        "{total} lock, rewrite and rollback {findings} on the {settled} {migrations} up to {newest} ({which}) are not listed, as those migrations have most likely run everywhere: {}",
        by_rule.join(", ")
    )
}
