//! `bench/pg-diff.sh`: the differential comparison over a corpus of real
//! migration sets. For every PostgreSQL set under the given folders (each a
//! project), prints its migrations, the steps where the server's catalog and
//! the replay's differ, and every difference.
//!
//! `cargo run --release -p backend-check-tests --example pg-diff -- [--base DIR] DIR…`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use backend_check_tests::postgres::{self, Cluster};

fn main() -> ExitCode {
    let mut args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let base = match args.first().and_then(|a| a.to_str()) {
        Some("--base") if args.len() > 1 => {
            let base = args.remove(1);
            args.remove(0);
            Some(base)
        }
        _ => None,
    };
    let dirs = args;
    if dirs.is_empty() {
        eprintln!(
            "usage: pg-diff [--base DIR] SET_OR_PROJECT_DIR… (names are shown relative to DIR)"
        );
        return ExitCode::from(2);
    }
    let cluster = match Cluster::start() {
        Ok(cluster) => cluster,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    println!("server: {}", cluster.version);
    let started = Instant::now();
    let mut totals = (0, 0, 0, 0, 0);
    for dir in &dirs {
        let (sets, findings) = postgres::load(dir);
        if sets.is_empty() {
            println!("{}: no migration set found", dir.display());
        }
        for set in &sets {
            if !postgres::is_plain_postgres(set) {
                println!(
                    "{}: skipped ({} set for {})",
                    base.as_ref()
                        .and_then(|b| set.dir.strip_prefix(b).ok())
                        .unwrap_or(&set.dir)
                        .display(),
                    set.layout.as_str(),
                    set.engine
                        .map_or_else(|| format!("{:?}", set.dialect), str::to_owned)
                );
                continue;
            }
            let name = base
                .as_ref()
                .and_then(|b| set.dir.strip_prefix(b).ok())
                .unwrap_or(&set.dir)
                .display()
                .to_string();
            let set_started = Instant::now();
            match postgres::diff_set(&cluster, &name, set, &findings) {
                Ok(report) => {
                    println!(
                        "{name} ({}): {} migrations, {} steps, {} facts compared, {} differing steps, {} differences, {} knock-on refusals ({} ms)",
                        report.layout,
                        report.migrations,
                        report.steps,
                        report.facts,
                        report.differing_steps,
                        report.differences.len(),
                        report.knock_ons,
                        set_started.elapsed().as_millis()
                    );
                    for refused in &report.refused {
                        println!("    refused (rolled back, the downs go on): {refused}");
                    }
                    for difference in &report.differences {
                        println!("    {difference}");
                    }
                    totals.0 += 1;
                    totals.1 += report.migrations;
                    totals.2 += report.steps;
                    totals.3 += report.differing_steps;
                    totals.4 += report.knock_ons;
                }
                Err(e) => {
                    println!("{name}: harness error: {e}");
                }
            }
        }
    }
    println!(
        "total: {} sets, {} migrations, {} steps compared, {} differing steps, {} knock-on refusals ({} ms)",
        totals.0,
        totals.1,
        totals.2,
        totals.3,
        totals.4,
        started.elapsed().as_millis()
    );
    ExitCode::SUCCESS
}
