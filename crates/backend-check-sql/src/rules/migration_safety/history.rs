//! SQL080 and the migration history: which findings a set's old migrations
//! still deserve. A migration that has run on every database cannot be made
//! safer (sqlx and Flyway refuse an edited one, diesel never reruns it), so
//! the findings about how it runs (locks, rewrites, renames, transactions,
//! its down script) are only noise; the schema it left behind is still judged
//! by the end-of-set rules. The deploy mode (`sql.deploy`) drops the rules
//! that only matter while the previous release keeps running.

use std::collections::BTreeMap;
use std::sync::Arc;

use backend_check_core::{
    declare_rule, Checklist, DeployMode, Diagnostic, RuleMeta, Sink, SourceFile, Span, SqlConfig,
};

use crate::discover::{MigrationKind, MigrationSet, Version};

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
    /// the collapsing off), `sql.deploy` (`online` or `offline`: offline turns
    /// off the rules that matter only while the previous release runs).
    pub SettledMigrationFindings {
        code: "SQL080",
        name: "settled-migration-findings",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Info,
        summary: "lock, rewrite and rollback findings of migrations that have already run are counted in one summary, not listed",
    }
}

/// The rules that only matter while the previous release keeps running
/// beside the migration: waits for locks, table rewrites, builds without
/// `CONCURRENTLY` or `NOT VALID`, renames and drops the old code still uses.
/// `sql.deploy = "offline"` turns them off.
pub(crate) const ONLINE_ONLY: &[&str] = &[
    "SQL001", "SQL004", "SQL005", "SQL008", "SQL009", "SQL010", "SQL011", "SQL012", "SQL013",
    "SQL015", "SQL019", "SQL023", "SQL026", "SQL027", "SQL028", "SQL029", "SQL031", "SQL032",
    "SQL033", "SQL035", "SQL070",
];

/// The rules of `db.migration-safety` that judge the set, not one migration.
const SET_LEVEL: &[&str] = &["SQL000", "SQL003", "SQL037", "SQL080"];

/// Which migrations of a set have run everywhere.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    /// How migrations are applied.
    pub deploy: DeployMode,
    /// Migrations before this version have run.
    pub since: Option<Version>,
    /// Without `since`: the newest this many migrations have not run
    /// everywhere; `0` means none is settled.
    pub recent: usize,
}

impl History {
    /// The history settings of a configuration.
    pub fn of(config: &SqlConfig) -> History {
        History {
            deploy: config.deploy,
            since: config.since.as_deref().map(Version::new),
            recent: config.recent,
        }
    }

    /// Whether the set's migration at `index` has run everywhere. Repeatable
    /// migrations run again whenever they change, so they never settle.
    pub fn settled(&self, set: &MigrationSet, index: usize) -> bool {
        let Some(migration) = set.migrations.get(index) else {
            return false;
        };
        if migration.kind == MigrationKind::Repeatable || migration.version.is_none() {
            return false;
        }
        match &self.since {
            Some(since) => migration.version < *since,
            None => self.recent > 0 && index + self.recent < set.migrations.len(),
        }
    }
}

/// Whether a rule judges how one migration runs or reverts: its findings on
/// a settled migration are set aside.
pub(crate) fn judges_the_run(rule: &RuleMeta) -> bool {
    matches!(
        rule.checklist,
        Some(Checklist::DbMigrationSafety | Checklist::DbRollback)
    ) && !SET_LEVEL.contains(&rule.code)
}

/// Applies the deploy mode and the history to a set's findings: drops the
/// online-only rules in offline mode, and sets aside the findings of settled
/// migrations, which one SQL080 summary (pushed into `sink`) counts unless
/// the user declared what has run (`sql.since`).
pub(crate) fn settle(
    set: &MigrationSet,
    history: &History,
    diagnostics: Vec<Diagnostic>,
    sink: &mut Sink<'_>,
) -> Vec<Diagnostic> {
    let settled_files = settled_files(set, history);
    let mut kept = Vec::with_capacity(diagnostics.len());
    let mut set_aside: BTreeMap<&'static str, usize> = BTreeMap::new();
    for diagnostic in diagnostics {
        if history.deploy == DeployMode::Offline && ONLINE_ONLY.contains(&diagnostic.rule.code) {
            continue;
        }
        if judges_the_run(diagnostic.rule)
            && settled_files
                .iter()
                .any(|file| Arc::ptr_eq(file, &diagnostic.file))
        {
            *set_aside.entry(diagnostic.rule.code).or_default() += 1;
            continue;
        }
        kept.push(diagnostic);
    }
    let declared = history.since.is_some();
    if !declared && sink.enabled(&SettledMigrationFindings::META) && !set_aside.is_empty() {
        if let Some(summary) = summary(set, history, &set_aside) {
            sink.push(summary);
        }
    }
    kept
}

/// The up and down files of the settled migrations.
fn settled_files(set: &MigrationSet, history: &History) -> Vec<Arc<SourceFile>> {
    let mut files: Vec<Arc<SourceFile>> = Vec::new();
    for (index, migration) in set.migrations.iter().enumerate() {
        if !history.settled(set, index) {
            continue;
        }
        for script in migration.scripts() {
            if !files.iter().any(|f| Arc::ptr_eq(f, &script.file)) {
                files.push(Arc::clone(&script.file));
            }
        }
    }
    files
}

/// The one SQL080 finding of a set, on the newest settled migration.
fn summary(
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
    let file = newest.up.as_ref().or(newest.down.as_ref())?.file.clone();
    let total: usize = set_aside.values().sum();
    let by_rule: Vec<String> = set_aside
        .iter()
        .map(|(code, count)| format!("{code} ×{count}"))
        .collect();
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

#[cfg(test)]
mod tests {
    use backend_check_core::{Config, DeployMode};

    use crate::test_support::{at, Repo};

    /// Twelve migrations; the first two build an index on an existing table
    /// (SQL001) and rename a column (SQL008).
    fn history() -> Repo {
        let repo = Repo::new();
        repo.write(
            "migrations/01_orders.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, total bigint);\n",
        );
        repo.write(
            "migrations/02_index.sql",
            "CREATE INDEX orders_total_idx ON orders (total);\nALTER TABLE orders RENAME COLUMN total TO amount;\n",
        );
        for n in 3..=12 {
            repo.write(
                &format!("migrations/{n:02}_note_{n}.sql"),
                format!("CREATE TABLE note_{n} (id bigint PRIMARY KEY);\n"),
            );
        }
        repo
    }

    const CODES: &[&str] = &["SQL001", "SQL008", "SQL080"];

    #[test]
    fn old_findings_collapse_into_one_summary() {
        let repo = history();
        assert_eq!(
            repo.selected(CODES, &Config::default()),
            [at("SQL080", "migrations/02_index.sql", 1, 1)]
        );
        // `Repo::run` selects every rule, the pedantic SQL019 and SQL035 too.
        let output = repo.run(&[], None);
        let summary = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL080")
            .unwrap();
        assert!(
            summary.message.starts_with("4 lock, rewrite and rollback findings on the 2 migrations up to 02 (older than the newest 10 of this set) are not listed, as those migrations have most likely run everywhere: "),
            "{}",
            summary.message
        );
        assert!(
            summary
                .message
                .ends_with("SQL001 ×1, SQL008 ×1, SQL019 ×1, SQL035 ×1"),
            "{}",
            summary.message
        );
    }

    #[test]
    fn recent_zero_lists_every_finding() {
        let repo = history();
        let mut config = Config::default();
        config.sql.recent = 0;
        assert_eq!(
            repo.selected(CODES, &config),
            [
                at("SQL001", "migrations/02_index.sql", 1, 1),
                at("SQL008", "migrations/02_index.sql", 2, 1)
            ]
        );
    }

    #[test]
    fn since_marks_what_has_run_without_a_summary() {
        let repo = history();
        let mut config = Config::default();
        config.sql.since = Some("02".to_owned());
        assert_eq!(
            repo.selected(CODES, &config),
            [
                at("SQL001", "migrations/02_index.sql", 1, 1),
                at("SQL008", "migrations/02_index.sql", 2, 1)
            ]
        );
        config.sql.since = Some("03".to_owned());
        assert_eq!(repo.selected(CODES, &config), []);
    }

    #[test]
    fn schema_rules_still_judge_old_migrations() {
        let repo = history();
        repo.write(
            "migrations/01_orders.sql",
            "CREATE TABLE orders (id int PRIMARY KEY, total bigint);\n",
        );
        assert_eq!(
            repo.selected(&["SQL045"], &Config::default()),
            [at("SQL045", "migrations/01_orders.sql", 1, 22)]
        );
    }

    #[test]
    fn offline_deploys_drop_the_zero_downtime_rules() {
        let repo = Repo::new();
        repo.write(
            "migrations/01_orders.sql",
            "CREATE TABLE orders (id bigint PRIMARY KEY, total bigint);\n",
        );
        repo.write(
            "migrations/02_index.sql",
            "CREATE INDEX orders_total_idx ON orders (total);\nALTER TABLE orders RENAME COLUMN total TO amount;\nALTER TABLE orders ADD COLUMN note text NOT NULL;\n",
        );
        let mut config = Config::default();
        config.sql.deploy = DeployMode::Offline;
        assert_eq!(
            repo.selected(&["SQL001", "SQL007", "SQL008"], &config),
            [at("SQL007", "migrations/02_index.sql", 3, 1)]
        );
    }
}
