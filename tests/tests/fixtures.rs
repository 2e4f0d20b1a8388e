//! The fixture harness: every rule has `fixtures/<analyzer>/<CODE>-<name>/`
//! with `fail*` entries, whose annotated lines are exactly where the rule
//! fires, and `pass*` entries, where it never fires.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use backend_check_core::FailOn;
use backend_check_core::{AnalyzerKind, RuleMeta};
use backend_check_engine::{all_rules, Engine, Session};
use backend_check_tests::repo_root;

/// Rules that cannot have a fixture that fires, and why.
const NO_FIXTURE: &[(&str, &str)] = &[
    (
        "BC002",
        "internal-error fires only on a bug in the tool; `guard` is unit-tested in backend-check-core",
    ),
    (
        "SQL080",
        "the summary counts other rules' findings, which a run of SQL080 alone does not produce; unit-tested in rules/migration_safety/history.rs",
    ),
];

type Finding = (String, usize, String);

fn files_under(entry: &Path) -> Vec<PathBuf> {
    if entry.is_file() {
        return vec![entry.to_path_buf()];
    }
    let mut files = Vec::new();
    let mut stack = vec![entry.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for child in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = child.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn display(path: &Path) -> String {
    path.strip_prefix(repo_root())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The `expect:` annotations of a file (or its `.expect` sibling for JSON).
fn expectations(file: &Path) -> BTreeSet<Finding> {
    let mut found = BTreeSet::new();
    if file.extension().is_some_and(|e| e == "expect") {
        return found;
    }
    let sibling = PathBuf::from(format!("{}.expect", file.display()));
    if file.extension().is_some_and(|e| e == "json") {
        if let Ok(text) = std::fs::read_to_string(&sibling) {
            for row in text
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            {
                let mut parts = row.split_whitespace();
                let line: usize = parts.next().unwrap().parse().unwrap();
                for code in parts {
                    found.insert((display(file), line, code.to_owned()));
                }
            }
        }
        return found;
    }
    let Ok(bytes) = std::fs::read(file) else {
        return found;
    };
    let text = String::from_utf8_lossy(&bytes);
    for (index, line) in text.lines().enumerate() {
        for marker in ["# expect:", "-- expect:", "// expect:"] {
            if let Some(at) = line.find(marker) {
                let codes = &line[at + marker.len()..];
                for code in codes.split(|c: char| c == ',' || c.is_whitespace()) {
                    if !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()) {
                        found.insert((display(file), index + 1, code.to_owned()));
                    }
                }
            }
        }
    }
    found
}

fn parse_error_rule(analyzer: AnalyzerKind) -> Option<&'static RuleMeta> {
    all_rules()
        .into_iter()
        .find(|r| r.analyzer() == analyzer && r.name == "parse-error")
}

/// The rules a fixture run selects: the rule and its analyzer's parse-error
/// rule; for a tool rule, the rule and every rule the fixtures' allow
/// comments name (so other rules' findings cannot leak into its fixtures).
fn selected_codes(rule: &RuleMeta, dir: &Path) -> Vec<String> {
    if rule.analyzer() == AnalyzerKind::Tool {
        let mut codes = vec![rule.code.to_owned()];
        for file in files_under(dir) {
            let text = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
            codes.extend(allowed_codes(&text));
        }
        codes.sort();
        codes.dedup();
        return codes;
    }
    let mut codes = vec![rule.code.to_owned()];
    if let Some(parse) = parse_error_rule(rule.analyzer()) {
        if parse.code != rule.code {
            codes.push(parse.code.to_owned());
        }
    }
    codes
}

/// The codes of the existing rules named (by code or name) in `allow(...)` comments.
fn allowed_codes(text: &str) -> Vec<String> {
    let rules = all_rules();
    text.split("allow(")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(inside, _)| inside))
        .flat_map(|inside| inside.split(',').map(str::trim))
        .filter_map(|name| {
            rules
                .iter()
                .find(|r| r.code == name || r.name == name)
                .map(|r| r.code.to_owned())
        })
        .collect()
}

fn findings(entry: &Path, rule: &RuleMeta) -> BTreeSet<Finding> {
    let session = Session {
        paths: vec![entry.strip_prefix(repo_root()).unwrap().to_path_buf()],
        select: Some(selected_codes(rule, entry.parent().unwrap())),
        fail_on: Some(FailOn::Never),
        threads: Some(2),
        ..Session::new(repo_root())
    };
    let report = Engine::new()
        .check(&session)
        .unwrap_or_else(|e| panic!("{entry:?}: {e:?}"));
    report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.file.display_path().to_owned(),
                d.start().line,
                d.rule.code.to_owned(),
            )
        })
        .collect()
}

fn entries(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && !n.ends_with(".expect"))
        })
        .collect();
    found.sort();
    found
}

fn fixture_dir(rule: &RuleMeta) -> PathBuf {
    repo_root()
        .join("fixtures")
        .join(rule.analyzer().dir())
        .join(format!("{}-{}", rule.code, rule.name))
}

/// Runs one rule's fixtures: its `fail*` entries report exactly their
/// annotated lines, its `pass*` entries nothing. Returns the failures.
fn check_rule(rule: &RuleMeta) -> Vec<String> {
    let mut failures = Vec::new();
    let dir = fixture_dir(rule);
    let fails = entries(&dir, "fail");
    let passes = entries(&dir, "pass");
    let selected = selected_codes(rule, &dir);
    let keep = |f: &Finding| selected.contains(&f.2);
    for entry in &fails {
        let expected: BTreeSet<Finding> = files_under(entry)
            .iter()
            .flat_map(|f| expectations(f))
            .filter(|f| keep(f))
            .collect();
        if !expected.iter().any(|f| f.2 == rule.code) {
            failures.push(format!(
                "{}: {} has no `expect: {}` annotation",
                rule.code,
                display(entry),
                rule.code
            ));
        }
        let actual = findings(entry, rule);
        if actual != expected {
            let missing: Vec<_> = expected.difference(&actual).collect();
            let unexpected: Vec<_> = actual.difference(&expected).collect();
            failures.push(format!(
                "{}: {}\n    expected but not reported: {missing:?}\n    reported but not expected: {unexpected:?}",
                rule.code,
                display(entry)
            ));
        }
    }
    for entry in &passes {
        let actual = findings(entry, rule);
        if !actual.is_empty() {
            failures.push(format!(
                "{}: pass entry {} reported {actual:?}",
                rule.code,
                display(entry)
            ));
        }
    }
    failures
}

/// The test of one rule (generated per fixture folder by `build.rs`, so
/// `cargo test SQL014` runs the fixtures of SQL014 alone).
fn rule_fixtures(code: &str) {
    let rule = all_rules()
        .into_iter()
        .find(|r| r.code == code)
        .unwrap_or_else(|| panic!("no rule {code}"));
    let failures = check_rule(rule);
    assert!(
        failures.is_empty(),
        "fixture failures:\n{}",
        failures.join("\n")
    );
}

// One `mod <CODE> { #[test] fn fixtures() }` per fixture folder.
include!(concat!(env!("OUT_DIR"), "/rule_fixtures.rs"));

#[test]
fn every_rule_has_fail_and_pass_fixtures() {
    let mut failures = Vec::new();
    for rule in all_rules() {
        if NO_FIXTURE.iter().any(|(code, _)| *code == rule.code) {
            continue;
        }
        let dir = fixture_dir(rule);
        if !dir.is_dir() {
            failures.push(format!(
                "{}: no fixture folder {}",
                rule.code,
                display(&dir)
            ));
            continue;
        }
        if entries(&dir, "fail").is_empty() || entries(&dir, "pass").is_empty() {
            failures.push(format!(
                "{}: needs at least one fail* and one pass* entry",
                rule.code
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "fixture failures:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_fixture_folder_belongs_to_a_rule() {
    let rules = all_rules();
    let mut orphans = Vec::new();
    for analyzer in ["openapi", "sql", "rust", "tool", "cross"] {
        let Ok(read) = std::fs::read_dir(repo_root().join("fixtures").join(analyzer)) else {
            continue;
        };
        for entry in read.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !rules
                .iter()
                .any(|r| format!("{}-{}", r.code, r.name) == name && r.analyzer().dir() == analyzer)
            {
                orphans.push(format!("fixtures/{analyzer}/{name}"));
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "fixture folders with no rule: {orphans:?}"
    );
}

#[test]
fn the_annotation_reader_reads_every_comment_style() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("a.yaml");
    std::fs::write(&yaml, "a: 1\nb: 2 # expect: OAS001, OAS000\n").unwrap();
    let found = expectations(&yaml);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|f| f.1 == 2));
    let json = dir.path().join("a.json");
    std::fs::write(&json, "{}").unwrap();
    std::fs::write(dir.path().join("a.json.expect"), "3 OAS001\n").unwrap();
    assert_eq!(expectations(&json).into_iter().next().unwrap().1, 3);
}
