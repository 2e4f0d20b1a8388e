//! Corpus figures: `cargo bench -p backend-check-sql --bench corpus -- [DIR] [options]`.
//!
//! Runs discovery, parsing, schema replay and the default rules over every
//! migration set below DIR (default: `$BACKEND_CHECK_SQL_CORPUS`, else
//! `../../../shared/corpus/sql` relative to this crate) and prints the sets,
//! files, statements and parse coverage per database, the findings per rule,
//! the best and median wall time of the whole pipeline, and the peak memory.
//!
//! Options: `--runs N` (default 5), `--all` (every rule, not the defaults),
//! `--pg-files PATH` (write the PostgreSQL files, one per line, for Squawk),
//! `--unparsed` (print each statement that is not fully parsed).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use backend_check_core::{AnalyzerInput, Config, RuleSelection, Selector};
use backend_check_sql::parse::{coverage_of, Coverage, CoverageCounts};
use backend_check_sql::{analyze, load_sets, MigrationSet, RULES};

struct Options {
    root: PathBuf,
    runs: usize,
    all: bool,
    pg_files: Option<PathBuf>,
    unparsed: bool,
}

fn options() -> Options {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let mut root = None;
    let mut runs = 5;
    let mut all = false;
    let mut pg_files = None;
    let mut unparsed = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()).unwrap_or(runs),
            "--all" => all = true,
            "--pg-files" => pg_files = args.next().map(PathBuf::from),
            "--unparsed" => unparsed = true,
            _ if !arg.starts_with("--") => root = Some(PathBuf::from(arg)),
            _ => {}
        }
    }
    let root = root
        .or_else(|| std::env::var_os("BACKEND_CHECK_SQL_CORPUS").map(PathBuf::from))
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/sql")
        });
    Options {
        root: root.canonicalize().unwrap_or(root),
        runs: runs.max(1),
        all,
        pg_files,
        unparsed,
    }
}

fn sql_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != ".git" && name != "node_modules" {
                sql_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

/// The database a set runs on: its dialect, or the other engine it targets.
fn target(set: &MigrationSet) -> String {
    let dialect = format!("{:?}", set.dialect).to_lowercase();
    match set.engine {
        Some(engine) => format!("{dialect}/{engine}"),
        None => dialect,
    }
}

fn vm_hwm_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn pct(counts: &CoverageCounts, part: usize) -> String {
    format!("{:.2}%", counts.percent(part))
}

/// Coverage per target, each script counted once per target (an untagged pop
/// file belongs to the set of every dialect).
fn coverage(
    sets: &[MigrationSet],
    show_unparsed: bool,
    unparsed: &mut Vec<String>,
) -> BTreeMap<String, (usize, CoverageCounts)> {
    let mut seen: BTreeSet<(String, PathBuf, usize)> = BTreeSet::new();
    let mut per_target: BTreeMap<String, (usize, CoverageCounts)> = BTreeMap::new();
    for set in sets {
        let key = target(set);
        for script in set.migrations.iter().flat_map(|m| m.scripts()) {
            let id = (
                key.clone(),
                script.file.path().to_path_buf(),
                script.section.start,
            );
            if !seen.insert(id) {
                continue;
            }
            let entry = per_target.entry(key.clone()).or_default();
            entry.0 += usize::from(script.section.start == 0);
            for statement in &script.statements {
                let kind = coverage_of(&script.file, statement);
                entry.1.add(kind);
                if show_unparsed
                    && !matches!(
                        kind,
                        Coverage::Parsed | Coverage::Normalised | Coverage::DoBlock
                    )
                {
                    let line = script.file.line_col(statement.span.start).line;
                    let text = script.file.slice(statement.span);
                    let head: String = text
                        .split_whitespace()
                        .take(12)
                        .collect::<Vec<_>>()
                        .join(" ");
                    unparsed.push(format!(
                        "  [{key}] {kind:?} {}:{line}: {head}",
                        script.file.display_path()
                    ));
                    failures(&script.file, statement, unparsed);
                }
            }
        }
    }
    per_target
}

/// The parser's reason, and the inner statements of a body that failed.
fn failures(
    file: &backend_check_core::SourceFile,
    statement: &backend_check_sql::parse::Statement,
    out: &mut Vec<String>,
) {
    if let Err(failure) = &statement.parsed {
        out.push(format!("      reason: {}", failure.reason));
    }
    for inner in statement.body.iter().filter(|s| !s.is_parsed()) {
        let line = file.line_col(inner.span.start).line;
        let head: String = file
            .slice(inner.span)
            .split_whitespace()
            .take(14)
            .collect::<Vec<_>>()
            .join(" ");
        let reason = inner
            .parsed
            .as_ref()
            .err()
            .map(|f| f.reason.as_str())
            .unwrap_or_default();
        out.push(format!(
            "      inner line {line}: {head}\n        -> {reason}"
        ));
    }
}

fn main() {
    let opts = options();
    let mut paths = Vec::new();
    sql_files(&opts.root, &mut paths);
    paths.sort();
    let config = Config::default();
    let selection = if opts.all {
        RuleSelection::resolve(RULES, Some(&[Selector::cli("ALL")]), &[]).unwrap_or_default()
    } else {
        RuleSelection::defaults(RULES)
    };
    let input = AnalyzerInput {
        root: &opts.root,
        paths: &paths,
        explicit: &[],
        config: &config,
        selection: &selection,
        sources: &backend_check_core::FileSystem,
        build_model: false,
    };
    let mut walls: Vec<Duration> = Vec::with_capacity(opts.runs);
    let mut findings = Vec::new();
    for _ in 0..opts.runs {
        let start = Instant::now();
        let output = analyze(&input);
        walls.push(start.elapsed());
        findings = output.diagnostics;
    }
    walls.sort();
    let loaded = load_sets(&input);
    let sets = &loaded.sets;
    let files: BTreeSet<&Path> = sets
        .iter()
        .flat_map(|s| s.files())
        .map(|f| f.path())
        .collect();
    println!(
        "{}: {} .sql files, {} migration sets, {} files in sets, {} unreadable",
        opts.root.display(),
        paths.len(),
        sets.len(),
        files.len(),
        loaded.unreadable.len()
    );
    println!(
        "{:<22} {:>5} {:>6} {:>6} {:>7} {:>7} {:>4} {:>8} {:>7} {:>7} {:>8} {:>8}",
        "database",
        "sets",
        "files",
        "stmts",
        "as-is",
        "normal.",
        "DO",
        "classif.",
        "not-an.",
        "invalid",
        "parsed",
        "classed"
    );
    let mut sets_per: BTreeMap<String, usize> = BTreeMap::new();
    for set in sets {
        *sets_per.entry(target(set)).or_default() += 1;
    }
    println!("(parsed = as-is + normalised + DO blocks with a parsed body; classed = parsed + classified; both of the statements the database accepts, i.e. without `invalid`)");
    let mut unparsed = Vec::new();
    for (key, (files, c)) in coverage(sets, opts.unparsed, &mut unparsed) {
        println!(
            "{:<22} {:>5} {:>6} {:>6} {:>7} {:>7} {:>4} {:>8} {:>7} {:>7} {:>8} {:>8}",
            key,
            sets_per.get(&key).copied().unwrap_or_default(),
            files,
            c.total(),
            c.parsed,
            c.normalised,
            c.do_blocks,
            c.classified,
            c.not_analysed,
            c.invalid,
            pct(&c, c.fully_parsed()),
            pct(&c, c.analysed()),
        );
    }
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for d in &findings {
        *per_rule.entry(d.rule.code).or_default() += 1;
    }
    let mut ranked: Vec<(&str, usize)> = per_rule.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = ranked.iter().map(|(c, n)| format!("{c} {n}")).collect();
    println!(
        "findings ({} rules): {} in {} files, {:.2} per file in sets; {}",
        if opts.all { "all" } else { "default" },
        findings.len(),
        findings
            .iter()
            .map(|d| d.file.path())
            .collect::<BTreeSet<_>>()
            .len(),
        findings.len() as f64 / files.len().max(1) as f64,
        top.join(", ")
    );
    if !unparsed.is_empty() {
        println!("statements not fully parsed:\n{}", unparsed.join("\n"));
    }
    let best = walls.first().copied().unwrap_or_default();
    let median = walls.get(walls.len() / 2).copied().unwrap_or_default();
    println!(
        "wall (discover + read + parse + replay + rules, {} runs): best {best:.2?}, median {median:.2?}; peak memory (VmHWM) {:.1} MiB",
        opts.runs,
        vm_hwm_kib().unwrap_or_default() as f64 / 1024.0
    );
    if let Some(out) = &opts.pg_files {
        let pg: BTreeSet<&Path> = sets
            .iter()
            .filter(|s| s.is_postgres())
            .flat_map(|s| s.files())
            .map(|f| f.path())
            .collect();
        let text: String = pg.iter().map(|p| format!("{}\n", p.display())).collect();
        match std::fs::write(out, text) {
            Ok(()) => println!("wrote {} PostgreSQL files to {}", pg.len(), out.display()),
            Err(e) => eprintln!("cannot write {}: {e}", out.display()),
        }
    }
}
