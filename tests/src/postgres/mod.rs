//! The differential harness: migration sets applied to a real PostgreSQL
//! the way their runner applies them, the server's catalog compared with
//! the replay's after every migration (every up in order, then every down
//! from the last migration back).
//!
//! Used by `tests/tests/postgres.rs` on the sets of `fixtures/postgres/`
//! and by `bench/pg-diff.sh` (the `pg-diff` example) on the corpus.

pub mod cluster;
pub mod dump;
pub mod facts;
pub mod runner;
pub mod wire;

use std::fmt;
use std::path::{Path, PathBuf};

use backend_check_core::{AnalyzerInput, Checklist, Config, RuleSelection, Selector, Severity};
use backend_check_sql::schema::replay_each;
use backend_check_sql::{Direction, MigrationSet, RULES};

pub use cluster::{Cluster, StartError};
use facts::Facts;
use runner::Outcome;

/// One disagreement between the server and the replay.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// `up <migration>` or `down <migration>`.
    pub step: String,
    /// The object (`column users.email`), or `script` when the server and the
    /// replay disagree on whether the script runs.
    pub object: String,
    /// What the server has (`absent` when it has no such object).
    pub server: String,
    /// What the replay has.
    pub replay: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\n      server: {}\n      replay: {}",
            self.step, self.object, self.server, self.replay
        )
    }
}

/// What the comparison of one set found.
#[derive(Debug, Default)]
pub struct SetReport {
    /// The set's folder, as given.
    pub name: String,
    /// Its runner (`diesel`, `sqlx`, …).
    pub layout: String,
    /// Its migrations.
    pub migrations: usize,
    /// Steps compared (ups and downs).
    pub steps: usize,
    /// Steps with at least one difference.
    pub differing_steps: usize,
    /// Facts compared, summed over the steps (objects the server or the
    /// replay has, of the kinds compared).
    pub facts: usize,
    /// Every difference, step by step.
    pub differences: Vec<Difference>,
    /// The scripts the server (or the runner) refused: the step and the
    /// error. An up stops the set; a refused down is rolled back on the
    /// server and left out of the replay, and the downs go on from there
    /// (the runner itself would stop: going on compares the downs below).
    pub refused: Vec<String>,
    /// Downs refused in the sequence, with no finding saying so, that run
    /// when they come right after their own up: knock-ons of a refused down
    /// above them, not differences.
    pub knock_ons: usize,
}

const ABSENT: &str = "absent";

/// The migration sets under `dir` (every `.sql` file below it, discovered
/// and parsed as a run of the tool would), with the findings of every SQL
/// rule on them.
pub fn load(dir: &Path) -> (Vec<MigrationSet>, Vec<backend_check_core::Diagnostic>) {
    let mut paths = Vec::new();
    sql_files(dir, &mut paths);
    paths.sort();
    // Every migration's findings are listed (`recent = 0`): the default collapses the
    // findings of old migrations, those of the downs that cannot run among them, into
    // one SQL080 summary per set, and the comparison needs each down's own verdict.
    let mut config = Config::default();
    config.sql.recent = 0;
    let selection =
        RuleSelection::resolve(RULES, Some(&[Selector::cli("ALL")]), &[]).unwrap_or_default();
    // The root is the folder above: discovery names sets by their folder
    // below the root, and `dir` may be the set's folder itself.
    let root = dir.parent().unwrap_or(dir);
    let input = AnalyzerInput {
        root,
        paths: &paths,
        explicit: &[],
        config: &config,
        selection: &selection,
        sources: &backend_check_core::FileSystem,
        build_model: false,
    };
    let findings = backend_check_sql::analyze(&input).diagnostics;
    let sets = backend_check_sql::load_sets(&input).sets;
    (sets, findings)
}

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sql_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

/// Whether the set runs on PostgreSQL itself (not CockroachDB, MySQL, …).
pub fn is_plain_postgres(set: &MigrationSet) -> bool {
    set.is_postgres() && set.engine.is_none()
}

fn label(set: &MigrationSet, index: usize, direction: Direction) -> String {
    let migration = &set.migrations[index];
    let word = match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    let version = migration.version.as_str();
    if version.is_empty() {
        format!("{word} {}", migration.name)
    } else if migration.name.is_empty() {
        format!("{word} {version}")
    } else {
        format!("{word} {version}_{}", migration.name)
    }
}

/// Whether the analyzer says this down cannot run: an error of the
/// `db.rollback` checklist placed in its file (what a down that runs must
/// not have).
fn flagged_as_failing(findings: &[backend_check_core::Diagnostic], file: &Path) -> bool {
    findings.iter().any(|d| {
        d.severity == Severity::Error
            && d.rule.checklist == Some(Checklist::DbRollback)
            && d.file.path() == file
    })
}

/// Whether the analyzer says the server refuses the script: any error of the
/// correctness group in its file (a down that cannot run, a `CONCURRENTLY`
/// inside the runner's transaction, a missing `;`, an invalid statement …).
/// Wider than [`flagged_as_failing`]: a refusal that depends on rows (a NOT
/// NULL column added to a table that has some) never shows on the harness's
/// empty tables, so only a refusal is held against these.
fn flagged_as_refused(findings: &[backend_check_core::Diagnostic], file: &Path) -> bool {
    findings.iter().any(|d| {
        d.severity == Severity::Error
            && d.rule.group == backend_check_core::Group::Correctness
            && d.file.path() == file
    })
}

/// A fresh database of `cluster` holding the bookkeeping tables that the
/// set's runner creates before its first migration.
fn fresh_for(cluster: &Cluster, set: &MigrationSet) -> Result<wire::Connection, String> {
    let mut connection = cluster.fresh_database()?;
    let (_, ddl) = runner::bookkeeping(set.layout);
    if !ddl.is_empty() {
        connection.rows(ddl)?;
    }
    Ok(connection)
}

/// Whether the down of migration `index` runs when it comes right after its
/// own up: a fresh database, the ups up to `index`, then that down. A down
/// that the server refuses in the sequence but runs here was refused because
/// a later down before it was refused (the objects it expects are still
/// there, or already gone): a knock-on, not a verdict on the down itself.
fn runs_after_its_up(cluster: &Cluster, set: &MigrationSet, index: usize) -> Result<bool, String> {
    let mut connection = fresh_for(cluster, set)?;
    for migration in &set.migrations[..=index] {
        if let Some(up) = migration.script(Direction::Up) {
            if let Outcome::Refused(_) = runner::run(&mut connection, set.layout, up)? {
                return Ok(false);
            }
        }
    }
    let Some(down) = set.migrations[index].script(Direction::Down) else {
        return Ok(true);
    };
    Ok(matches!(
        runner::run(&mut connection, set.layout, down)?,
        Outcome::Ran
    ))
}

/// Applies `set` to a fresh database of `cluster` as its runner would and
/// compares the catalogs after every step. `name` labels the report;
/// `findings` are the analyzer's on the set's files. An `Err` is a failure
/// of the harness itself (the connection, a catalog query).
pub fn diff_set(
    cluster: &Cluster,
    name: &str,
    set: &MigrationSet,
    findings: &[backend_check_core::Diagnostic],
) -> Result<SetReport, String> {
    let mut connection = fresh_for(cluster, set)?;
    let (excluded, _) = runner::bookkeeping(set.layout);
    let mut report = SetReport {
        name: name.to_owned(),
        layout: set.layout.as_str().to_owned(),
        migrations: set.migrations.len(),
        ..SetReport::default()
    };
    let mut stopped = false;
    let mut failure: Option<String> = None;
    let step = |report: &mut SetReport, (facts, differences): (usize, Vec<Difference>)| {
        report.steps += 1;
        report.facts += facts;
        if !differences.is_empty() {
            report.differing_steps += 1;
        }
        report.differences.extend(differences);
    };
    let last = replay_each(set, |index, catalog| {
        if stopped || failure.is_some() {
            return;
        }
        let Some(up) = set.migrations[index].script(Direction::Up) else {
            return;
        };
        let label = label(set, index, Direction::Up);
        let outcome = match runner::run(&mut connection, set.layout, up) {
            Ok(outcome) => outcome,
            Err(e) => {
                failure = Some(e);
                return;
            }
        };
        if let Outcome::Refused(error) = outcome {
            stopped = true;
            report.refused.push(format!("{label}: {error}"));
            step(
                &mut report,
                (
                    0,
                    vec![Difference {
                        step: label,
                        object: "script".to_owned(),
                        server: format!("refused: {error}"),
                        replay: "applied".to_owned(),
                    }],
                ),
            );
            return;
        }
        match dump::server_facts(&mut connection, excluded) {
            Ok(server) => step(
                &mut report,
                compare(&label, &server, &facts::of_catalog(catalog)),
            ),
            Err(e) => failure = Some(e),
        }
    });
    if let Some(e) = failure {
        return Err(format!("{name}: {e}"));
    }
    if stopped {
        return Ok(report);
    }
    let mut catalog = last;
    for index in (0..set.migrations.len()).rev() {
        let Some(down) = set.migrations[index].script(Direction::Down) else {
            continue;
        };
        let label = label(set, index, Direction::Down);
        let flagged = flagged_as_failing(findings, down.file.path());
        match runner::run(&mut connection, set.layout, down)? {
            Outcome::Refused(error) => {
                let agreed = flagged_as_refused(findings, down.file.path());
                let knock_on = !agreed && runs_after_its_up(cluster, set, index)?;
                if knock_on {
                    report.knock_ons += 1;
                }
                report.refused.push(format!(
                    "{label}: {error}{}",
                    if agreed {
                        " (an error of the analyzer says so too)"
                    } else if knock_on {
                        " (a knock-on: it runs right after its own up)"
                    } else {
                        ""
                    }
                ));
                let differences = if agreed || knock_on {
                    Vec::new()
                } else {
                    vec![Difference {
                        step: label,
                        object: "script".to_owned(),
                        server: format!("refused: {error}"),
                        replay: "applied (no db.rollback error on this down)".to_owned(),
                    }]
                };
                step(&mut report, (0, differences));
            }
            Outcome::Ran => {
                catalog.set_origin(index, 0);
                catalog.apply_all(&down.statements);
                let server = dump::server_facts(&mut connection, excluded)?;
                let (facts, mut differences) =
                    compare(&label, &server, &facts::of_catalog(&catalog));
                if flagged {
                    differences.push(Difference {
                        step: label,
                        object: "script".to_owned(),
                        server: "ran".to_owned(),
                        replay: "a db.rollback error says this down cannot run".to_owned(),
                    });
                }
                step(&mut report, (facts, differences));
            }
        }
    }
    Ok(report)
}

/// The differences between the server's facts and the replay's, for the
/// kinds the replay models, and how many facts were compared.
pub fn compare(step: &str, server: &Facts, replay: &Facts) -> (usize, Vec<Difference>) {
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<&String> = server.keys().chain(replay.keys()).collect();
    let keys: Vec<&String> = keys.into_iter().filter(|k| facts::compared(k)).collect();
    if std::env::var_os("PG_DIFF_SHOW_FACTS").is_some() {
        for key in &keys {
            eprintln!(
                "{step}\t{key}\t{}",
                server.get(*key).map_or(ABSENT, String::as_str)
            );
        }
    }
    let count = keys.len();
    for key in keys {
        let (s, r) = (server.get(key), replay.get(key));
        if s != r {
            out.push(Difference {
                step: step.to_owned(),
                object: key.clone(),
                server: s.map_or(ABSENT, String::as_str).to_owned(),
                replay: r.map_or(ABSENT, String::as_str).to_owned(),
            });
        }
    }
    (count, out)
}
