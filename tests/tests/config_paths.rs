//! Paths in the configuration: `exclude` takes globs and folder names, as the README
//! says, and a configured path that does not exist is an error at its span.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use backend_check_tests::{run_in, write_tree};

const HANDLER: &[u8] = b"use axum::{routing::get, Router};\n\nasync fn show() -> String {\n    std::fs::read_to_string(\"x\").unwrap()\n}\n\npub fn app() -> Router {\n    Router::new().route(\"/\", get(show))\n}\n";

const MANIFEST: &[u8] =
    b"[package]\nname = \"svc\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\n";

/// A repository with one finding in `src/`, one in `migrations/` and one in
/// `legacy/migrations/`.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("Cargo.toml", MANIFEST),
            ("src/main.rs", HANDLER),
            (
                "migrations/1_orders.sql",
                b"CREATE TABLE orders (id BIGINT PRIMARY KEY, status TEXT NOT NULL);\n",
            ),
            (
                "migrations/2_index.sql",
                b"CREATE INDEX orders_status_idx ON orders (status);\n",
            ),
            (
                "legacy/migrations/1_users.sql",
                b"CREATE TABLE users (id BIGINT PRIMARY KEY, email TEXT NOT NULL);\n",
            ),
            (
                "legacy/migrations/2_index.sql",
                b"CREATE INDEX users_email_idx ON users (email);\n",
            ),
        ],
    )
    .unwrap();
    dir
}

fn codes_and_paths(dir: &std::path::Path, config: &str) -> Vec<String> {
    std::fs::write(dir.join("backend-check.toml"), config).unwrap();
    // RS001 is in the nursery group: select it beside the defaults.
    let out = run_in(
        dir,
        &["--format", "concise", "--quiet", "--extend-select", "RS001"],
    );
    assert!(out.code == 0 || out.code == 1, "{out:?}");
    let mut found: Vec<String> = out
        .stdout
        .lines()
        .filter_map(|line| {
            let path = line.split(':').next()?;
            let code = line.split('[').nth(1)?.split(']').next()?;
            // The handler also shows RS003 and RS008; one code per analyzer is enough here.
            ["RS001", "SQL001"]
                .contains(&code)
                .then(|| format!("{code} {path}"))
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

#[test]
fn with_no_exclude_every_folder_is_checked() {
    let dir = repo();
    assert_eq!(
        codes_and_paths(dir.path(), ""),
        [
            "RS001 src/main.rs",
            "SQL001 legacy/migrations/2_index.sql",
            "SQL001 migrations/2_index.sql",
        ]
    );
}

#[test]
fn exclude_takes_a_folder_name_wherever_the_folder_is() {
    let dir = repo();
    assert_eq!(
        codes_and_paths(dir.path(), "exclude = [\"src\"]\n"),
        [
            "SQL001 legacy/migrations/2_index.sql",
            "SQL001 migrations/2_index.sql",
        ]
    );
    assert_eq!(
        codes_and_paths(dir.path(), "exclude = [\"migrations\"]\n"),
        ["RS001 src/main.rs"]
    );
}

#[test]
fn exclude_takes_a_folder_path_with_or_without_a_trailing_slash_and_globs() {
    let dir = repo();
    let expected = ["RS001 src/main.rs", "SQL001 migrations/2_index.sql"];
    assert_eq!(
        codes_and_paths(dir.path(), "exclude = [\"legacy\"]\n"),
        expected
    );
    assert_eq!(
        codes_and_paths(dir.path(), "exclude = [\"legacy/\"]\n"),
        expected
    );
    assert_eq!(
        codes_and_paths(dir.path(), "exclude = [\"legacy/**\"]\n"),
        expected
    );
    assert_eq!(
        codes_and_paths(dir.path(), "exclude = [\"legacy/migrations\"]\n"),
        expected
    );
}

#[test]
fn a_configured_path_that_does_not_exist_is_an_error_at_its_span() {
    let dir = repo();
    for (config, key, position) in [
        (
            "[sql]\nmigrations = [\"migrations\", \"db\"]\n",
            "sql.migrations",
            "backend-check.toml:2:29",
        ),
        (
            "[openapi]\npaths = [\"api/openapi.yaml\"]\n",
            "openapi.paths",
            "backend-check.toml:2:10",
        ),
        (
            "\n[rust]\npaths = [\"services/api/src\"]\n",
            "rust.paths",
            "backend-check.toml:3:10",
        ),
    ] {
        std::fs::write(dir.path().join("backend-check.toml"), config).unwrap();
        let out = run_in(dir.path(), &[]);
        assert_eq!(out.code, 2, "{config}: {out:?}");
        assert!(
            out.stderr.contains(key) && out.stderr.contains("does not exist"),
            "{}",
            out.stderr
        );
        assert!(out.stderr.contains(position), "{config}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "nothing is checked: {}", out.stdout);
    }
}

#[test]
fn configured_paths_that_exist_are_checked() {
    let dir = repo();
    assert_eq!(
        codes_and_paths(dir.path(), "[sql]\nmigrations = [\"legacy/migrations\"]\n"),
        ["RS001 src/main.rs", "SQL001 legacy/migrations/2_index.sql"]
    );
}
