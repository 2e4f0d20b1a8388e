//! Helpers shared by the end-to-end tests in `tests/`.

use std::path::{Path, PathBuf};

pub mod postgres;

/// The root of the repository.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// The output of one in-process run of the command line.
#[derive(Debug)]
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs `cargo backend-check ARGS` in `cwd`, in process, writing to a
/// non-terminal (so the width is 100 columns whatever the test's terminal).
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let mut argv: Vec<std::ffi::OsString> =
        vec!["cargo-backend-check".into(), "backend-check".into()];
    argv.extend(args.iter().map(Into::into));
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = cargo_backend_check::run_cli(
        argv,
        cwd,
        cargo_backend_check::Terminal::default(),
        &mut out,
        &mut err,
    );
    Run {
        code,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// Runs in the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(&repo_root(), args)
}

/// Writes `files` (relative path, content) under `dir`.
pub fn write_tree(dir: &Path, files: &[(&str, &[u8])]) -> std::io::Result<()> {
    for (relative, content) in files {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, content)?;
    }
    Ok(())
}

/// Replaces the `(N ms)` of summary lines, which differs run to run.
pub fn redact_timing(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match (line.rfind(" ("), line.trim_end().ends_with(" ms)")) {
            (Some(at), true) => {
                out.push_str(&line[..at]);
                out.push_str(" (<time>)");
                if line.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => out.push_str(line),
        }
    }
    out
}
