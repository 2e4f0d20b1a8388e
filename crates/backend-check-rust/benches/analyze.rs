//! Phase figures: `cargo bench -p backend-check-rust --bench analyze -- DIR…`
//! (without arguments it times the Rust fixtures). For each folder, prints the
//! files and lines read, the handlers found, the findings per rule, and the
//! best of three runs of each phase: read and parse (parallel), crate model and
//! handlers, and all rules; the share of parsing in the total, and files/s.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use backend_check_core::{Config, RuleSelection, Sink};
use backend_check_rust::model::{CrateModel, ParsedFile};
use backend_check_rust::parse::{self, Outcome};
use backend_check_rust::{framework, rules, RULES};

fn best_of<T>(runs: usize, mut work: impl FnMut() -> T) -> (Duration, T) {
    let timed = |work: &mut dyn FnMut() -> T| {
        let start = Instant::now();
        let out = work();
        (start.elapsed(), out)
    };
    let mut best = timed(&mut work);
    for _ in 1..runs {
        let next = timed(&mut work);
        if next.0 < best.0 {
            best = next;
        }
    }
    best
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != ".git" && name != "node_modules" {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn parsed(paths: &[PathBuf]) -> (Vec<ParsedFile>, usize) {
    let loaded = parse::load_all(&backend_check_core::FileSystem, paths, &|p| {
        p.display().to_string()
    });
    let mut failed = 0;
    let files = loaded
        .into_iter()
        .filter_map(|l| match l.outcome {
            Outcome::Parsed(facts) => Some(ParsedFile {
                file: l.file,
                facts,
            }),
            _ => {
                failed += 1;
                None
            }
        })
        .collect();
    (files, failed)
}

fn report(root: &Path) {
    let mut paths = Vec::new();
    rust_files(root, &mut paths);
    paths.sort();
    let lines: usize = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|t| t.lines().count())
        .sum();
    let config = Config::default();
    let selection = RuleSelection::defaults(RULES);
    let (parse_time, _) = best_of(3, || parsed(&paths));
    let (files, failed) = parsed(&paths);
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    let (syn_time, _) = best_of(3, || {
        use rayon::prelude::*;
        texts
            .par_iter()
            .map(|t| {
                let ok = syn::parse_file(t).is_ok();
                proc_macro2::extra::invalidate_current_thread_spans();
                ok
            })
            .filter(|ok| *ok)
            .count()
    });
    let start = Instant::now();
    let model = CrateModel::build(files);
    let (handlers, _) = framework::build_handlers(&model);
    let model_only = start.elapsed();
    let (rules_time, findings) = best_of(3, || {
        let mut sink = Sink::new(&selection);
        let ctx = rules::Context::new(&model, &handlers, &config.rust);
        let errors = rules::check_all(&ctx, &mut sink);
        let mut all = sink.into_diagnostics();
        all.extend(errors);
        all
    });
    let total = parse_time + model_only + rules_time;
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &findings {
        *per_rule.entry(d.rule.code).or_default() += 1;
    }
    let mut functions: Vec<_> = handlers.iter().map(|h| h.function).collect();
    functions.sort();
    functions.dedup();
    let share = parse_time.as_secs_f64() / total.as_secs_f64().max(f64::EPSILON) * 100.0;
    println!(
        "{}: {} files ({failed} unparsed), {lines} lines, {} handler routes ({} functions)",
        root.display(),
        paths.len(),
        handlers.len(),
        functions.len()
    );
    println!(
        "  syn alone {syn_time:.2?} | parse+facts {parse_time:.2?} | model+handlers {model_only:.2?} | rules {rules_time:.2?} | parse share {share:.0}% | {:.0} files/s",
        paths.len() as f64 / total.as_secs_f64().max(f64::EPSILON)
    );
    println!("  findings: {per_rule:?}");
}

fn main() {
    let mut roots: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if roots.is_empty() {
        roots.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rust"));
    }
    for root in &roots {
        report(root);
    }
}
