//! Load and check figures: `cargo bench -p backend-check-openapi -- FILE…`
//! (without files it times the fixtures). Prints the best of five runs of the
//! span-tree parse and of the whole analysis (read, parse, model, rules) per file.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use backend_check_core::{AnalyzerInput, Config, RuleSelection};
use backend_check_openapi::load::{self, Format};
use backend_check_openapi::{analyze, RULES};

fn best_of(runs: usize, mut work: impl FnMut()) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn fixture_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/openapi");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn main() {
    let mut files: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    if files.is_empty() {
        files = fixture_files();
    }
    let selection = RuleSelection::defaults(RULES);
    let config = Config::default();
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let format = Format::of_path(path);
        let mut nodes = 0;
        let parse = best_of(5, || {
            nodes = load::parse(&text, format).map_or(0, |t| t.len());
        });
        let one = [path.clone()];
        let input = AnalyzerInput {
            root: Path::new(""),
            paths: &one,
            explicit: &[],
            config: &config,
            selection: &selection,
            sources: &backend_check_core::FileSystem,
            build_model: false,
        };
        let mut findings = 0;
        let whole = best_of(5, || findings = analyze(&input).diagnostics.len());
        println!(
            "{}: {} bytes, {nodes} nodes, parse {parse:.2?}, analyze {whole:.2?}, {findings} findings",
            path.display(),
            text.len()
        );
    }
}
