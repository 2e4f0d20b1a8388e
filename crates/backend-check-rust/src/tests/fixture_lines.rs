//! The rules on their fixtures: each fires on exactly the annotated lines of
//! its `fail*` entries and never in its `pass*` entries (the workspace harness
//! checks every rule the same way end to end; this runs in the crate's tests).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use backend_check_core::{AnalyzerInput, Config, RuleSelection};

use crate::{analyze, RULES};

fn rust_files(entry: &Path) -> Vec<PathBuf> {
    if entry.is_file() {
        return vec![entry.to_path_buf()];
    }
    let mut out = Vec::new();
    for child in std::fs::read_dir(entry).unwrap().flatten() {
        let path = child.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

fn findings(code: &str, files: &[PathBuf], root: &Path) -> BTreeSet<(PathBuf, usize)> {
    let config = Config::default();
    let selection =
        RuleSelection::resolve(RULES, Some(&[backend_check_core::Selector::cli(code)]), &[])
            .unwrap();
    let input = AnalyzerInput {
        root,
        paths: files,
        explicit: &[],
        config: &config,
        selection: &selection,
        sources: &backend_check_core::FileSystem,
    };
    analyze(&input)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == code)
        .map(|d| (d.file.path().to_path_buf(), d.start().line))
        .collect()
}

fn expected(code: &str, files: &[PathBuf]) -> BTreeSet<(PathBuf, usize)> {
    let marker = format!("// expect: {code}");
    let mut out = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.contains(&marker) {
                out.insert((file.clone(), i + 1));
            }
        }
    }
    out
}

/// The rules checked here: the one-level RS001, RS002, and RS020–RS029.
const CODES: &[&str] = &[
    "RS001", "RS002", "RS020", "RS021", "RS022", "RS023", "RS024", "RS025", "RS026", "RS027",
    "RS028", "RS029",
];

#[test]
fn rules_fire_exactly_on_annotated_fixture_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/rust");
    for code in CODES {
        let dir = std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(code))
            .unwrap();
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let files = rust_files(&entry.path());
            let got = findings(code, &files, &dir);
            assert_eq!(got, expected(code, &files), "{}", entry.path().display());
        }
    }
}
