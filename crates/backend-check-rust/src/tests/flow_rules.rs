//! The rules that follow values in a function (RS002, RS025–RS027, RS029) on
//! one-file sources: where they point, and what they leave alone.

use std::path::{Path, PathBuf};

/// Findings of one rule on one source text, as (line, column) pairs.
fn on_source(code: &str, source: &str) -> Vec<(usize, usize)> {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("lib.rs");
    std::fs::write(&path, source).unwrap();
    let mut out: Vec<(usize, usize)> = findings_with_columns(code, &[path], dir.path());
    out.sort_unstable();
    out
}

fn findings_with_columns(code: &str, files: &[PathBuf], root: &Path) -> Vec<(usize, usize)> {
    backend_check_core::testing::TestRun::new(crate::RULES, root, files)
        .select(&[code])
        .run(crate::analyze)
        .diagnostics
        .iter()
        .filter(|d| d.rule.code == code)
        .map(|d| (d.start().line, d.start().column))
        .collect()
}

#[test]
fn path_traversal_points_at_the_joined_argument() {
    let src = "use axum::extract::Path;\nasync fn get_file(Path(name): Path<String>) -> Vec<u8> {\n    std::fs::read(std::path::Path::new(\"d\").join(&name)).unwrap_or_default()\n}\nfn app() -> axum::Router { axum::Router::new().route(\"/f/{name}\", axum::routing::get(get_file)) }\n";
    assert_eq!(on_source("RS025", src), vec![(3, 50)]);
}

#[test]
fn path_traversal_ignores_functions_that_are_not_handlers() {
    let src = "async fn get_file(Path(name): Path<String>) -> Vec<u8> {\n    std::fs::read(&name).unwrap_or_default()\n}\n";
    assert!(on_source("RS025", src).is_empty());
}

#[test]
fn command_injection_follows_a_local_command() {
    let src = "use axum::extract::Query;\nasync fn ping(Query(host): Query<String>) {\n    let mut c = std::process::Command::new(\"ping\");\n    c.arg(host);\n}\nfn app() -> axum::Router { axum::Router::new().route(\"/p\", axum::routing::get(ping)) }\n";
    assert_eq!(on_source("RS026", src), vec![(4, 11)]);
}

#[test]
fn query_builder_push_of_a_variable_is_reported_at_the_argument() {
    let src = "async fn f(db: &sqlx::PgPool, col: &str) {\n    let mut qb = sqlx::QueryBuilder::new(\"SELECT * FROM t ORDER BY \");\n    qb.push(col);\n    qb.push(\" DESC\");\n}\n";
    assert_eq!(on_source("RS002", src), vec![(3, 13)]);
}

#[test]
fn sensitive_logging_skips_lengths_and_ids() {
    let src = "fn f(password: &str, token_id: i64) {\n    tracing::info!(len = password.len(), token_id, \"x\");\n    log::warn!(\"{}\", password);\n}\n";
    assert_eq!(on_source("RS027", src), vec![(3, 22)]);
}

#[test]
fn insecure_random_names_the_secret() {
    let src = "fn f() -> u64 {\n    let otp = fastrand::u32(100_000..999_999);\n    let jitter = fastrand::u64(..);\n    u64::from(otp) + jitter\n}\n";
    assert_eq!(on_source("RS029", src), vec![(2, 15)]);
}
