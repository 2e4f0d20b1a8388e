//! Generates one test per rule fixture folder (`fixtures/<analyzer>/<CODE>-<name>/`), so
//! that `cargo test SQL014` runs one rule's fixtures and a failure names its rule.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a build script fails by panicking

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
    println!("cargo::rerun-if-changed={}", fixtures.display());
    let mut codes = Vec::new();
    for analyzer in ["openapi", "sql", "rust", "tool", "cross"] {
        let dir = fixtures.join(analyzer);
        println!("cargo::rerun-if-changed={}", dir.display());
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in read.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some((code, _)) = name.split_once('-') else {
                continue;
            };
            let valid = code.chars().all(|c| c.is_ascii_alphanumeric())
                && code.starts_with(|c: char| c.is_ascii_uppercase());
            if valid && entry.path().is_dir() {
                codes.push(code.to_owned());
            }
        }
    }
    codes.sort();
    codes.dedup();
    let mut out = String::new();
    for code in &codes {
        writeln!(
            out,
            "#[allow(non_snake_case)]\nmod {code} {{\n    #[test]\n    fn fixtures() {{\n        super::rule_fixtures(\"{code}\");\n    }}\n}}\n"
        )
        .unwrap();
    }
    let target = Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_fixtures.rs");
    std::fs::write(target, out).unwrap();
}
