//! Runs the fixtures of rules OAS080–OAS099 inside the crate, and checks
//! exact positions of example-validation findings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use backend_check_core::{AnalyzerInput, Config, RuleSelection, Selector};

use crate::{analyze, RULES};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn mine(code: &str) -> bool {
    code.get(3..)
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (80..=99).contains(&n))
}

fn expected(file: &Path) -> BTreeSet<(String, usize, String)> {
    let name = file.display().to_string();
    let mut found = BTreeSet::new();
    if name.ends_with(".json") {
        if let Ok(text) = std::fs::read_to_string(format!("{name}.expect")) {
            for row in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut parts = row.split_whitespace();
                let line: usize = parts.next().unwrap().parse().unwrap();
                for code in parts {
                    found.insert((name.clone(), line, code.to_owned()));
                }
            }
        }
        return found;
    }
    let text = std::fs::read_to_string(file).unwrap();
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find("# expect:") {
            for code in line[at + 9..].split([',', ' ']).filter(|c| !c.is_empty()) {
                found.insert((name.clone(), i + 1, code.to_owned()));
            }
        }
    }
    found
}

fn run(paths: &[PathBuf], select: &[&str]) -> Vec<backend_check_core::Diagnostic> {
    let selectors: Vec<Selector> = select.iter().map(|s| Selector::cli(*s)).collect();
    let selection = RuleSelection::resolve(RULES, Some(&selectors), &[]).unwrap();
    let config = Config::default();
    let input = AnalyzerInput {
        root: Path::new("/"),
        paths,
        explicit: &[],
        config: &config,
        selection: &selection,
    };
    analyze(&input).diagnostics
}

#[test]
fn fixtures_of_oas080_to_oas099() {
    let dir = repo().join("fixtures/openapi");
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|r| mine(r.code)) {
        let rule_dir = dir.join(format!("{}-{}", rule.code, rule.name));
        let mut files: Vec<PathBuf> = std::fs::read_dir(&rule_dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| !p.display().to_string().ends_with(".expect"))
            .collect();
        files.sort();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().any(|n| n.starts_with("fail")), "{}", rule.code);
        assert!(names.iter().any(|n| n.starts_with("pass")), "{}", rule.code);
        for file in files {
            let want = expected(&file);
            let got: BTreeSet<_> = run(std::slice::from_ref(&file), &[rule.code, "OAS000"])
                .iter()
                .map(|d| {
                    (
                        file.display().to_string(),
                        d.start().line,
                        d.rule.code.to_owned(),
                    )
                })
                .collect();
            if want != got {
                failures.push(format!(
                    "{}:\n  want {want:?}\n  got  {got:?}",
                    file.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn example_findings_point_inside_the_example() {
    let dir = repo().join("fixtures/openapi/OAS080-invalid-example");
    let found: Vec<(usize, usize, String)> = run(&[dir.join("fail.yaml")], &["OAS080"])
        .iter()
        .map(|d| (d.start().line, d.start().column, d.message.clone()))
        .collect();
    assert!(found.contains(&(
        37,
        27,
        "example value at `[1].status` \"shipped\" is not one of the schema's `enum` values"
            .to_owned()
    )));
    assert!(found.contains(&(
        55,
        7,
        "example lacks the required property \"total\"".to_owned()
    )));
    assert!(found.contains(&(
        73,
        9,
        "example value at `coupon` is not a declared property and the schema has `additionalProperties: false`".to_owned()
    )));
    let json = repo().join("fixtures/openapi/OAS080-invalid-example/fail-3.0.json");
    let found: Vec<(usize, usize)> = run(&[json], &["OAS080"])
        .iter()
        .map(|d| (d.start().line, d.start().column))
        .collect();
    assert_eq!(found, [(13, 28)]);
}
