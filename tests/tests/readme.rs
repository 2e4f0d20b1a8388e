//! What README.md promises about install, MSRV, licence and parse failures holds.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use backend_check_tests::{repo_root, run_in, write_tree};

fn read(relative: &str) -> String {
    std::fs::read_to_string(repo_root().join(relative)).unwrap()
}

fn workspace_rust_version() -> String {
    let manifest = read("Cargo.toml");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("rust-version"))
        .unwrap();
    line.split('"').nth(1).unwrap().to_owned()
}

#[test]
fn every_install_command_in_the_readme_is_locked() {
    let readme = read("README.md");
    let installs: Vec<&str> = readme
        .lines()
        .filter(|l| l.trim_start().starts_with("cargo install"))
        .collect();
    assert!(!installs.is_empty());
    for line in installs {
        assert!(line.contains("--locked"), "{line}");
    }
    for line in readme
        .lines()
        .filter(|l| l.trim_start().starts_with("cargo run"))
    {
        assert!(line.contains("--locked"), "{line}");
    }
}

#[test]
fn the_readme_states_the_msrv_of_cargo_toml() {
    let version = workspace_rust_version();
    let readme = read("README.md");
    assert!(
        readme.contains(&format!("minimum supported Rust version is **{version}**")),
        "README must state rust-version {version}"
    );
    assert!(readme.contains(&format!("Rust toolchain ({version} or later)")));
}

#[test]
fn the_licence_files_match_the_manifest_and_the_readme() {
    assert!(read("Cargo.toml").contains("license = \"MIT OR Apache-2.0\""));
    assert!(read("LICENSE-APACHE").contains("Apache License"));
    assert!(read("LICENSE-MIT").contains("Permission is hereby granted"));
    let readme = read("README.md");
    assert!(readme.contains("(LICENSE-APACHE)") && readme.contains("(LICENSE-MIT)"));
}

#[test]
fn a_migration_the_database_rejects_fails_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "migrations/20240101000000_t.sql",
            b"CREATE TABLE t (id BIGINT PRIMARY KEY;\n",
        )],
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(
        out.stdout
            .contains("migrations/20240101000000_t.sql:1:16: error[SQL038]"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_statement_that_cannot_be_analysed_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "migrations/20240101000000_t.sql",
            b"CREATE TABLE t (id BIGINT PRIMARY KEY);\nFROBNICATE TABLE t;\n",
        )],
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert!(
        out.stdout.contains(
            "migrations/20240101000000_t.sql:2:1: info[SQL000] 1 of 2 statements in this file could not be parsed"
        ),
        "{}",
        out.stdout
    );
}
