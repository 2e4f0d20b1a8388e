//! The differential test: every migration set of `fixtures/postgres/` is
//! applied to a throwaway PostgreSQL the way its runner applies it, and the
//! server's catalog is compared with the replay's after every up and every
//! down (see `backend_check_tests::postgres`).
//!
//! Expected differences (causes not fixed yet, and what no static replay can
//! know) are listed in `fixtures/postgres/KNOWN.tsv`; any other difference
//! fails, and so does a listed one that no longer occurs, so the list only
//! shrinks. `PG_DIFF_PRUNE_KNOWN=1` rewrites the file without the lines that
//! no longer occur (it never adds one).
//!
//! Without PostgreSQL's server programs the test fails when `CI` is set (CI
//! must not skip it silently; `.ci/run` installs them) and otherwise prints
//! a notice and passes. It finds them through `PG_BINDIR`, `pg_config
//! --bindir`, `/usr/lib/postgresql/*/bin` or PATH; run as root, it runs them
//! as the `postgres` user.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

use backend_check_tests::postgres::{self, Cluster, StartError};
use backend_check_tests::repo_root;

/// One row of KNOWN.tsv, or one difference found: set, step, object,
/// server, replay.
type Row = [String; 5];

fn clean(text: &str) -> String {
    text.replace(['\t', '\n'], " ")
}

fn known_rows(text: &str) -> Vec<(usize, Row)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(number, line)| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                fields.len(),
                5,
                "KNOWN.tsv line {}: want 5 tab-separated fields (set, step, object, server, replay): {line}",
                number + 1
            );
            let row: Vec<String> = fields.into_iter().map(str::to_owned).collect();
            (number, row.try_into().unwrap())
        })
        .collect()
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn replay_matches_postgres_on_the_fixture_sets() {
    let started = Instant::now();
    let cluster = match Cluster::start() {
        Ok(cluster) => cluster,
        Err(StartError::NotInstalled(why)) if !ci() => {
            // Written to the real stderr (not captured by the test harness),
            // so the skip shows even when the test passes.
            let _ = std::io::stderr().write_all(
                format!(
                    "\n==============================================================\n\
                     SKIPPED: the differential PostgreSQL test did not run.\n{why}\n\
                     (With CI set this is a failure; .ci/run installs PostgreSQL.)\n\
                     ==============================================================\n"
                )
                .as_bytes(),
            );
            return;
        }
        Err(e) => panic!("cannot start a PostgreSQL cluster for the differential test: {e}"),
    };
    let root = repo_root().join("fixtures").join("postgres");
    let mut fixture_dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    fixture_dirs.sort();
    assert!(!fixture_dirs.is_empty(), "no sets under {}", root.display());

    let mut found: Vec<Row> = Vec::new();
    let mut summary = Vec::new();
    for dir in &fixture_dirs {
        let fixture = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (sets, findings) = postgres::load(dir);
        let sets: Vec<_> = sets
            .iter()
            .filter(|s| postgres::is_plain_postgres(s))
            .collect();
        assert!(
            !sets.is_empty(),
            "{fixture}: no PostgreSQL migration set found"
        );
        for set in sets {
            let name = if set.dir == *dir {
                fixture.clone()
            } else {
                format!(
                    "{fixture}/{}",
                    set.dir.strip_prefix(dir).unwrap_or(&set.dir).display()
                )
            };
            let report = postgres::diff_set(&cluster, &name, set, &findings)
                .unwrap_or_else(|e| panic!("{e}\nserver log:\n{}", cluster.log()));
            assert!(report.steps > 0, "{name}: no step was compared");
            // A knock-on (a down refused only because a down above it was) is
            // not a difference; the one set built for it must show exactly
            // one, with its three refusals that the analyzer reports, and no
            // other set any, so the isolation rerun cannot hide a real miss.
            if fixture == "19-knock-on-refusal" {
                assert_eq!(report.refused.len(), 4, "{name}: {:#?}", report.refused);
                assert_eq!(report.knock_ons, 1, "{name}: {:#?}", report.refused);
                assert_eq!(
                    report
                        .refused
                        .iter()
                        .filter(|r| r.ends_with("(an error of the analyzer says so too)"))
                        .count(),
                    3,
                    "{name}: {:#?}",
                    report.refused
                );
            } else {
                assert_eq!(report.knock_ons, 0, "{name}: {:#?}", report.refused);
            }
            summary.push(format!(
                "{name} ({}): {} migrations, {} steps, {} facts compared, {} differing",
                report.layout,
                report.migrations,
                report.steps,
                report.facts,
                report.differing_steps
            ));
            for d in report.differences {
                found.push([
                    name.clone(),
                    clean(&d.step),
                    clean(&d.object),
                    clean(&d.server),
                    clean(&d.replay),
                ]);
            }
        }
    }
    drop(cluster);

    let known_path = root.join("KNOWN.tsv");
    let known_text = std::fs::read_to_string(&known_path).unwrap_or_default();
    let known = known_rows(&known_text);
    let known_set: BTreeSet<&Row> = known.iter().map(|(_, row)| row).collect();
    let found_set: BTreeSet<&Row> = found.iter().collect();
    let unexpected: Vec<&Row> = found.iter().filter(|r| !known_set.contains(r)).collect();
    let stale: Vec<&(usize, Row)> = known
        .iter()
        .filter(|(_, r)| !found_set.contains(r))
        .collect();

    if std::env::var_os("PG_DIFF_PRUNE_KNOWN").is_some() && !stale.is_empty() {
        let drop: BTreeSet<usize> = stale.iter().map(|(n, _)| *n).collect();
        let kept: Vec<&str> = known_text
            .lines()
            .enumerate()
            .filter(|(n, _)| !drop.contains(n))
            .map(|(_, l)| l)
            .collect();
        std::fs::write(&known_path, format!("{}\n", kept.join("\n"))).unwrap();
        eprintln!(
            "PG_DIFF_PRUNE_KNOWN: removed {} line(s) from KNOWN.tsv",
            drop.len()
        );
    }

    eprintln!(
        "differential PostgreSQL test: {} sets, {} differences ({} known) in {} ms\n{}",
        summary.len(),
        found.len(),
        known.len(),
        started.elapsed().as_millis(),
        summary.join("\n")
    );
    let mut failure = String::new();
    for row in &unexpected {
        failure.push_str(&format!(
            "NEW DIFFERENCE in {}\n  step:   {}\n  object: {}\n  server: {}\n  replay: {}\n  (KNOWN.tsv row: {})\n",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row.join("\t")
        ));
    }
    for (number, row) in &stale {
        failure.push_str(&format!(
            "KNOWN.tsv line {} no longer occurs (delete it, or run with PG_DIFF_PRUNE_KNOWN=1): {}\n",
            number + 1,
            row.join(" | ")
        ));
    }
    assert!(
        failure.is_empty(),
        "the replay and PostgreSQL disagree:\n{failure}"
    );
}

#[test]
fn known_list_is_well_formed() {
    let path = repo_root().join("fixtures/postgres/KNOWN.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    for (_, row) in known_rows(&text) {
        let set = row[0].split('/').next().unwrap();
        assert!(
            Path::new(&repo_root().join("fixtures/postgres").join(set)).is_dir(),
            "KNOWN.tsv names a set that does not exist: {}",
            row[0]
        );
    }
}
