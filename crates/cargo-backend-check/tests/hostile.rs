//! Hostile input, run through the real binary: a stack overflow aborts a process, so an
//! in-process test would only see its own death. Each case is built at test time.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::Path;
use std::process::Command;

/// One finding the tool must still report beside the hostile file.
const HANDLER: &str = r#"use axum::{routing::get, Router};

async fn show() -> String {
    std::fs::read_to_string("greeting.txt").unwrap()
}

pub fn app() -> Router {
    Router::new().route("/", get(show))
}
"#;

const MANIFEST: &str = "[package]\nname = \"hostile\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\naxum = \"0.7\"\n";

struct Finding {
    code: String,
    path: String,
    line: u64,
    message: String,
}

fn check(dir: &Path) -> (Option<i32>, Vec<Finding>, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-backend-check"))
        .args([".", "--format", "json", "--fail-on", "never"])
        // RS001 (nursery) is the finding the other file must still give.
        .args(["--extend-select", "RS001"])
        .current_dir(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let findings = serde_json::from_str::<serde_json::Value>(&stdout)
        .map(|value| {
            value["diagnostics"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|d| Finding {
                    code: d["code"].as_str().unwrap_or_default().to_owned(),
                    path: d["path"].as_str().unwrap_or_default().to_owned(),
                    line: d["line"].as_u64().unwrap_or_default(),
                    message: d["message"].as_str().unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();
    (output.status.code(), findings, stderr)
}

/// A crate with `src/main.rs` (one RS001) and `src/deep.rs` holding `deep`.
fn crate_with(deep: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), MANIFEST).unwrap();
    std::fs::write(dir.path().join("src/main.rs"), HANDLER).unwrap();
    std::fs::write(dir.path().join("src/deep.rs"), deep).unwrap();
    dir
}

fn assert_too_deep_and_others_reported(deep: &str, line: u64) {
    let dir = crate_with(deep);
    let (code, findings, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "the run must finish normally: {stderr}");
    let rs000: Vec<_> = findings.iter().filter(|f| f.code == "RS000").collect();
    assert_eq!(rs000.len(), 1, "one located RS000 on the deep file");
    assert_eq!(rs000[0].path, "src/deep.rs");
    assert_eq!(rs000[0].line, line);
    assert!(
        rs000[0].message.contains("levels deep"),
        "{}",
        rs000[0].message
    );
    assert!(
        findings
            .iter()
            .any(|f| f.code == "RS001" && f.path == "src/main.rs" && f.line == 4),
        "the other file is still analysed"
    );
}

#[test]
fn fifty_thousand_nested_blocks_are_one_finding_and_the_run_goes_on() {
    let n = 50_000;
    let deep = format!("fn f()\n{}{}\n", "{".repeat(n), "}".repeat(n));
    assert_too_deep_and_others_reported(&deep, 2);
}

#[test]
fn deeply_nested_parentheses_are_one_finding_and_the_run_goes_on() {
    let n = 50_000;
    let deep = format!(
        "fn f() {{\n    let x = {}1{};\n}}\n",
        "(".repeat(n),
        ")".repeat(n)
    );
    assert_too_deep_and_others_reported(&deep, 2);
}

#[test]
fn a_very_long_method_chain_is_one_finding_and_the_run_goes_on() {
    let deep = format!("fn f() {{\n    x{};\n}}\n", ".a()".repeat(50_000));
    assert_too_deep_and_others_reported(&deep, 2);
}

#[test]
fn nesting_that_overflowed_a_worker_stack_is_now_analysed() {
    // 500 nested blocks and 700 nested parentheses aborted the run (exit 134) before the
    // depth was measured; both are below the limit and are parsed on a larger stack.
    for deep in [
        format!("fn f() {}{}\n", "{".repeat(500), "}".repeat(500)),
        format!(
            "fn f() {{ let x = {}1{}; }}\n",
            "(".repeat(700),
            ")".repeat(700)
        ),
        format!(
            "type T = {}u8{};\n",
            "Vec<".repeat(1_000),
            ">".repeat(1_000)
        ),
    ] {
        let dir = crate_with(&deep);
        let (code, findings, stderr) = check(dir.path());
        assert_eq!(code, Some(0), "{stderr}");
        assert!(!findings.iter().any(|f| f.code == "RS000"));
        assert!(findings.iter().any(|f| f.code == "RS001"));
    }
}

#[test]
fn a_long_flat_file_is_not_mistaken_for_a_deep_one() {
    // Each item's `->` and `+` used to add to a top-level count that no `;` reset, so a
    // file of 2,000 one-line functions measured 4,000 "levels" and was not analysed.
    let deep = "pub fn f(x: u64) -> u64 { let y = x + 1; y * 2 }\n".repeat(2_000);
    let dir = crate_with(&deep);
    let (code, findings, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        !findings.iter().any(|f| f.code == "RS000"),
        "{:?}",
        findings
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
    );
    assert!(findings.iter().any(|f| f.code == "RS001"));
}

#[test]
fn a_file_larger_than_8_mib_is_one_warning_and_the_run_goes_on() {
    let line = "pub const TABLE_ENTRY_0000000: [u8; 4] = [0, 1, 2, 3];\n";
    let big = line.repeat(9 * 1024 * 1024 / line.len() + 1);
    let dir = crate_with(&big);
    let (code, findings, stderr) = check(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    let rs000: Vec<_> = findings.iter().filter(|f| f.code == "RS000").collect();
    assert_eq!(rs000.len(), 1);
    assert_eq!((rs000[0].path.as_str(), rs000[0].line), ("src/deep.rs", 1));
    assert!(
        rs000[0].message.contains("larger than 8 MiB"),
        "{}",
        rs000[0].message
    );
    assert!(findings.iter().any(|f| f.code == "RS001"));
}
