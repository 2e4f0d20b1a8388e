//! The rule docs in `rules/` are generated from the rule declarations and
//! must be fresh; every rule is declared completely and uniquely.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::{BTreeSet, HashSet};

use backend_check_core::{AnalyzerKind, DOC_HEADINGS};
use backend_check_engine::all_rules;
use backend_check_tests::repo_root;
use cargo_backend_check::docs::generated_files;

#[test]
fn generated_docs_are_fresh() {
    let rules = all_rules();
    let root = repo_root().join("rules");
    let mut stale = Vec::new();
    let mut expected = BTreeSet::new();
    for (relative, content) in generated_files(&rules) {
        expected.insert(relative.clone());
        match std::fs::read_to_string(root.join(&relative)) {
            Ok(on_disk) if on_disk == content => {}
            Ok(_) => stale.push(format!("rules/{relative} is stale")),
            Err(_) => stale.push(format!("rules/{relative} is missing")),
        }
    }
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let relative = path
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if !expected.contains(&relative) && dir != root {
                    stale.push(format!("rules/{relative} belongs to no rule"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nregenerate with `cargo run -- rules --write-docs rules`",
        stale.join("\n")
    );
}

#[test]
fn every_rule_doc_has_the_fixed_headings() {
    for rule in all_rules() {
        let missing = rule.missing_doc_headings();
        assert!(
            missing.is_empty(),
            "{} lacks doc headings {missing:?} (all: {DOC_HEADINGS:?})",
            rule.code
        );
    }
}

#[test]
fn codes_are_unique_names_unique_per_analyzer_and_well_formed() {
    let rules = all_rules();
    let mut codes = HashSet::new();
    let mut names = HashSet::new();
    for rule in &rules {
        assert!(
            codes.insert(rule.code),
            "two rules share the code {}",
            rule.code
        );
        assert!(
            names.insert((rule.analyzer(), rule.name)),
            "two rules of one analyzer share the name {}",
            rule.name
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} name `{}` is not kebab-case",
            rule.code,
            rule.name
        );
        assert!(
            rule.summary
                .chars()
                .next()
                .is_some_and(|c| !c.is_uppercase())
                && !rule.summary.ends_with('.'),
            "{} summary should be lower-case without a trailing period: {}",
            rule.code,
            rule.summary
        );
        let analyzer = rule.analyzer();
        assert_eq!(
            rule.checklist.is_none(),
            analyzer == AnalyzerKind::Tool,
            "{}: every analyzer rule serves exactly one checklist item; only the tool's own rules serve none",
            rule.code
        );
    }
}

#[test]
fn each_analyzer_has_a_real_rule_besides_its_parse_error_rule() {
    let rules = all_rules();
    for analyzer in [AnalyzerKind::OpenApi, AnalyzerKind::Sql, AnalyzerKind::Rust] {
        let real = rules
            .iter()
            .filter(|r| r.analyzer() == analyzer && r.name != "parse-error")
            .count();
        assert!(real >= 1, "{analyzer:?} has no rule");
    }
}
