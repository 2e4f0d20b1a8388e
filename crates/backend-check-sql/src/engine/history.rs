//! The migration history: which findings a set's old migrations
//! still deserve. A migration that has run on every database cannot be made
//! safer (sqlx and Flyway refuse an edited one, diesel never reruns it), so
//! the findings about how it runs (locks, rewrites, renames, transactions,
//! its down script) are only noise; the schema it left behind is still judged
//! by the end-of-set rules. The deploy mode (`sql.deploy`) drops the rules
//! that only matter while the previous release keeps running.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{
    Checklist, DeployMode, Diagnostic, RuleMeta, Sink, SourceFile, SqlConfig,
};

use crate::model::{MigrationKind, MigrationSet, Version};
use crate::rules::migration_safety::settled_migration_findings::{accepted_summary, summary};

/// The rules that only matter while the previous release keeps running
/// beside the migration: waits for locks, table rewrites, builds without
/// `CONCURRENTLY` or `NOT VALID`, renames and drops the old code still uses.
/// `sql.deploy = "offline"` turns them off.
pub(crate) const ONLINE_ONLY: &[&str] = &[
    "SQL001", "SQL004", "SQL005", "SQL008", "SQL009", "SQL010", "SQL011", "SQL012", "SQL013",
    "SQL015", "SQL019", "SQL023", "SQL026", "SQL027", "SQL028", "SQL029", "SQL031", "SQL032",
    "SQL033", "SQL035", "SQL070",
];

/// The lock rules whose fix is an online technique (`CONCURRENTLY`, `NOT
/// VALID` then `VALIDATE`, a `lock_timeout`): with `sql.deploy = "auto"`, a
/// project whose long history never uses one has accepted these locks (it
/// deploys offline, or its tables are small enough), and their findings are
/// counted in one SQL080 summary instead of listed.
pub(crate) const LOCK_TECHNIQUE: &[&str] = &[
    "SQL001", "SQL004", "SQL005", "SQL009", "SQL011", "SQL019", "SQL023", "SQL027", "SQL035",
];

/// The fewest migrations a set must have for `deploy = "auto"` to read the
/// project's practice from it: a young project's few migrations say nothing.
pub(crate) const PRACTICE_HISTORY: usize = 20;

/// Whether any statement of the set uses an online technique: an index built
/// or dropped `CONCURRENTLY` (or a partition detached so), a constraint added
/// `NOT VALID`, a `lock_timeout`, MySQL's `ALGORITHM=` or `LOCK=`.
/// (`REFRESH MATERIALIZED VIEW CONCURRENTLY` keeps readers going at run time
/// and says nothing about how migrations lock.)
fn practises_online(set: &MigrationSet) -> bool {
    set.migrations
        .iter()
        .flat_map(|migration| migration.scripts())
        .flat_map(|script| script.statements.iter())
        .any(|statement| {
            let words: Vec<Option<String>> = statement.tokens.iter().map(|t| t.keyword()).collect();
            let first = words.first().cloned().flatten().unwrap_or_default();
            let ddl = matches!(first.as_str(), "CREATE" | "DROP" | "REINDEX" | "ALTER");
            let has = |word: &str| words.iter().any(|w| w.as_deref() == Some(word));
            let not_valid = words
                .windows(2)
                .any(|w| w[0].as_deref() == Some("NOT") && w[1].as_deref() == Some("VALID"));
            // MySQL's `ALGORITHM=INPLACE`, `LOCK=NONE` (a column may be named
            // `algorithm`: only the option, with its `=`, counts).
            let mysql_option =
                words
                    .iter()
                    .zip(statement.tokens.iter().skip(1))
                    .any(|(w, next)| {
                        matches!(w.as_deref(), Some("LOCK" | "ALGORITHM"))
                            && next.token == sqlparser::tokenizer::Token::Eq
                    });
            (ddl && (has("CONCURRENTLY") || mysql_option)) || not_valid || has("LOCK_TIMEOUT")
        })
}

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
    /// With `deploy = "auto"`: the folders whose migration sets (one per
    /// dialect, or a main and a deferred set, side by side) use no online
    /// technique; the lock rules are counted, not listed, on their long sets.
    pub locks_accepted: Vec<PathBuf>,
}

/// The folder that holds a set's folder: sets side by side (`migrations/mysql`
/// and `migrations/postgresql`, `migrations/postgresql_deferred`) are one
/// project's, and its practice is read from all of them.
fn project_of(set: &MigrationSet) -> &Path {
    set.dir.parent().unwrap_or(&set.dir)
}

impl History {
    /// The history settings of a configuration.
    pub fn of(config: &SqlConfig) -> History {
        History {
            deploy: config.deploy,
            since: config.since.as_deref().map(Version::new),
            recent: config.recent,
            locks_accepted: Vec::new(),
        }
    }

    /// The settings, with what `deploy = "auto"` reads from the sets of the run.
    pub fn of_run(config: &SqlConfig, sets: &[MigrationSet]) -> History {
        let mut history = History::of(config);
        if config.deploy == DeployMode::Auto {
            let online: Vec<&Path> = sets
                .iter()
                .filter(|set| practises_online(set))
                .map(project_of)
                .collect();
            history.locks_accepted = sets
                .iter()
                .map(project_of)
                .filter(|project| !online.contains(project))
                .map(Path::to_path_buf)
                .collect();
            history.locks_accepted.dedup();
        }
        history
    }

    /// Whether the lock rules are counted, not listed, on `set`.
    fn accepts_locks(&self, set: &MigrationSet) -> bool {
        set.migrations.len() >= PRACTICE_HISTORY
            && self.locks_accepted.iter().any(|p| p == project_of(set))
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
    let mut accepted: BTreeMap<&'static str, usize> = BTreeMap::new();
    let accepts_locks = history.accepts_locks(set);
    for diagnostic in diagnostics {
        if history.deploy == DeployMode::Offline && ONLINE_ONLY.contains(&diagnostic.rule.code) {
            continue;
        }
        if accepts_locks && LOCK_TECHNIQUE.contains(&diagnostic.rule.code) {
            *accepted.entry(diagnostic.rule.code).or_default() += 1;
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
    if !declared && !set_aside.is_empty() {
        if let Some(summary) = summary(set, history, &set_aside) {
            sink.push(summary);
        }
    }
    if !accepted.is_empty() {
        if let Some(summary) = accepted_summary(set, &accepted) {
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

    /// A set of `count` migrations under `dir`: a table, then notes, and at the
    /// end an index built on the table without CONCURRENTLY (SQL001).
    fn long_history(repo: &Repo, dir: &str, count: usize) {
        repo.write(
            &format!("{dir}/001_orders.sql"),
            "CREATE TABLE orders (id bigint PRIMARY KEY, total bigint);\n",
        );
        for n in 2..count {
            repo.write(
                &format!("{dir}/{n:03}_note_{n}.sql"),
                format!("CREATE TABLE note_{n} (id bigint PRIMARY KEY);\n"),
            );
        }
        repo.write(
            &format!("{dir}/{count:03}_index.sql"),
            "CREATE INDEX orders_total_idx ON orders (total);\n",
        );
    }

    #[test]
    fn a_long_history_without_online_techniques_accepts_its_locks() {
        let repo = Repo::new();
        long_history(&repo, "migrations", 20);
        let found = repo.selected(&["SQL001", "SQL080"], &Config::default());
        assert_eq!(found, [at("SQL080", "migrations/020_index.sql", 1, 1)]);
        let output = repo.run(&[], None);
        let summary = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL080" && d.message.contains("lock finding"))
            .unwrap();
        assert!(
            summary.message.starts_with(
                "1 lock finding on this set's 20 migrations are not listed (SQL001 ×1)"
            ),
            "{}",
            summary.message
        );
        // `online` lists it again, and so does a shorter history.
        let mut online = Config::default();
        online.sql.deploy = DeployMode::Online;
        assert_eq!(
            repo.selected(&["SQL001", "SQL080"], &online),
            [at("SQL001", "migrations/020_index.sql", 1, 1)]
        );
        let young = Repo::new();
        long_history(&young, "migrations", 19);
        assert_eq!(
            young.selected(&["SQL001", "SQL080"], &Config::default()),
            [at("SQL001", "migrations/019_index.sql", 1, 1)]
        );
    }

    #[test]
    fn one_online_technique_beside_the_set_keeps_the_lock_rules() {
        for technique in [
            "CREATE INDEX CONCURRENTLY t_a ON t (a);",
            "ALTER TABLE t ADD CONSTRAINT t_a_positive CHECK (a > 0) NOT VALID;",
            "SET lock_timeout = '5s';",
        ] {
            let repo = Repo::new();
            long_history(&repo, "db/migrations/main", 20);
            repo.write(
                "db/migrations/deferred/001_t.sql",
                format!("-- no-transaction\nCREATE TABLE t (a int);\n{technique}\n"),
            );
            assert_eq!(
                repo.selected(&["SQL001", "SQL080"], &Config::default()),
                [at("SQL001", "db/migrations/main/020_index.sql", 1, 1)],
                "{technique}"
            );
        }
        // A column named `algorithm` is not MySQL's ALGORITHM= option.
        let repo = Repo::new();
        long_history(&repo, "migrations", 20);
        repo.write(
            "migrations/021_compression.sql",
            "CREATE TABLE compression_rels (release int, algorithm int);\nALTER TABLE compression_rels ADD COLUMN lock int;\n",
        );
        assert!(repo.selected(&["SQL001"], &Config::default()).is_empty());
        // A materialised view refreshed CONCURRENTLY says nothing about locks.
        let repo = Repo::new();
        long_history(&repo, "migrations", 20);
        repo.write(
            "migrations/021_view.sql",
            "CREATE MATERIALIZED VIEW v AS SELECT 1 AS one;\nCREATE UNIQUE INDEX v_one ON v (one);\nREFRESH MATERIALIZED VIEW CONCURRENTLY v;\n",
        );
        assert!(repo.selected(&["SQL001"], &Config::default()).is_empty());
    }
}
