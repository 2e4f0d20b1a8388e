//! The real binary, as Cargo and pre-commit run it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::process::Command;

fn repo_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn runs_as_a_cargo_subcommand_and_exits_1_on_the_demo() {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-backend-check"))
        .args([
            "backend-check",
            "fixtures/demo-service",
            "--format",
            "concise",
            "--quiet",
        ])
        .current_dir(repo_root())
        .env_remove("CARGO_TERM_COLOR")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("error[SQL001]"), "{stdout}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn runs_directly_and_exits_2_on_a_missing_path() {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-backend-check"))
        .arg("does-not-exist")
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("path not found"));
}

#[test]
fn version_flag_exits_0() {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-backend-check"))
        .args(["backend-check", "--version"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains(env!("CARGO_PKG_VERSION")));
}
