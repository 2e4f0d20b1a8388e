//! The GitHub Action (`action.yml`): its shell steps run here with stand-ins for
//! `cargo` and the tool on `PATH`, so what they would install and upload is checked.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::path::Path;
use std::process::Command;

use backend_check_tests::repo_root;

fn action() -> String {
    std::fs::read_to_string(repo_root().join("action.yml")).unwrap()
}

/// The `run: |` script of the step called `name`, dedented.
fn step_script(name: &str) -> String {
    let text = action();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.trim() == format!("- name: {name}"))
        .unwrap_or_else(|| panic!("no step {name}"));
    let run = (start..lines.len())
        .find(|&i| lines[i].trim() == "run: |")
        .unwrap();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let run_indent = indent(lines[run]);
    let body: Vec<&str> = lines[run + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) > run_indent)
        .copied()
        .collect();
    let margin = body
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| indent(l))
        .min()
        .unwrap();
    body.iter()
        .map(|l| l.get(margin..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `if:` condition of the step called `name`.
fn step_condition(name: &str) -> String {
    let text = action();
    let after = text.split(&format!("- name: {name}")).nth(1).unwrap();
    let line = after
        .lines()
        .find(|l| l.trim_start().starts_with("if:"))
        .unwrap();
    line.trim().to_owned()
}

/// Writes an executable stand-in that appends its arguments to `log` and exits `code`,
/// printing `stdout` first.
fn stand_in(dir: &Path, name: &str, log: &Path, stdout: &str, code: i32) {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "#!/usr/bin/env bash\necho \"{name} $*\" >> '{}'\nprintf '%s' '{stdout}'\nexit {code}\n",
            log.display()
        ),
    )
    .unwrap();
    let mut permissions = std::fs::metadata(&path).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
    std::fs::set_permissions(&path, permissions).unwrap();
}

struct StepRun {
    log: String,
    status: Option<i32>,
    output: String,
    dir: tempfile::TempDir,
}

fn run_step(name: &str, env: &[(&str, &str)], tool_exit: i32) -> StepRun {
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let log = dir.path().join("log");
    std::fs::write(&log, "").unwrap();
    stand_in(&bin, "cargo", &log, "", 0);
    stand_in(
        &bin,
        "cargo-backend-check",
        &log,
        "{\"version\":\"2.1.0\"}",
        tool_exit,
    );
    let output_file = dir.path().join("github-output");
    let mut command = Command::new("bash");
    command
        .arg("-c")
        .arg(step_script(name))
        .current_dir(dir.path())
        .env(
            "PATH",
            format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()),
        )
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_STEP_SUMMARY", dir.path().join("summary"))
        .env("ACTION_PATH", repo_root());
    for (key, value) in env {
        command.env(key, value);
    }
    let status = command.status().unwrap().code();
    StepRun {
        log: std::fs::read_to_string(&log).unwrap(),
        status,
        output: std::fs::read_to_string(&output_file).unwrap_or_default(),
        dir,
    }
}

#[test]
fn a_version_installs_from_the_actions_own_repository_at_that_tag() {
    let run = run_step(
        "Install cargo-backend-check",
        &[
            ("INPUT_VERSION", "v0.1.0"),
            ("ACTION_REPOSITORY", "someone/cargo-backend-check"),
            ("GITHUB_SERVER", "https://github.example"),
        ],
        0,
    );
    assert_eq!(run.status, Some(0));
    assert_eq!(
        run.log.trim(),
        "cargo install --locked --git https://github.example/someone/cargo-backend-check --tag v0.1.0 cargo-backend-check"
    );
}

#[test]
fn without_a_version_the_actions_checkout_is_installed_with_its_lock_file() {
    let run = run_step("Install cargo-backend-check", &[("INPUT_VERSION", "")], 0);
    assert_eq!(run.status, Some(0));
    let expected = format!(
        "cargo install --locked --path {}/crates/cargo-backend-check",
        repo_root().display()
    );
    assert_eq!(run.log.trim(), expected);
    assert!(repo_root()
        .join("crates/cargo-backend-check/Cargo.toml")
        .is_file());
}

#[test]
fn no_install_command_of_the_action_uses_the_crates_registry() {
    let script = step_script("Install cargo-backend-check");
    for line in script.lines().filter(|l| l.contains("cargo install")) {
        assert!(line.contains("--locked"), "{line}");
        assert!(line.contains("--git") || line.contains("--path"), "{line}");
    }
}

#[test]
fn a_tool_error_leaves_no_sarif_file_and_the_upload_is_skipped() {
    let env = [
        ("INPUT_PATHS", "."),
        ("INPUT_ARGS", ""),
        ("SARIF_FILE", "out.sarif"),
    ];
    let run = run_step("Run cargo backend-check", &env, 2);
    assert_eq!(run.status, Some(0), "the step records the status");
    assert!(run.output.contains("exit-code=2"), "{}", run.output);
    assert!(!run.dir.path().join("out.sarif").exists());
    let condition = step_condition("Upload SARIF");
    assert!(
        condition.contains("steps.check.outputs.exit-code != '2'"),
        "{condition}"
    );
    assert!(condition.contains("hashFiles(inputs.sarif-file) != ''"));

    let run = run_step("Run cargo backend-check", &env, 1);
    assert!(run.output.contains("exit-code=1"), "{}", run.output);
    assert!(run.dir.path().join("out.sarif").is_file());
}
