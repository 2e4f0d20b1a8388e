//! `cargo backend-check migrations`: the listing of migration sets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use backend_check_tests::run;

#[test]
fn demo_service_lists_its_sqlx_set() {
    // Other work adds migrations to the demo: assert the shape, not the counts.
    let out = run(&["migrations", "fixtures/demo-service"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(
        lines[0], "fixtures/demo-service/migrations",
        "{}",
        out.stdout
    );
    assert!(
        lines[1].starts_with("  layout sqlx · dialect postgres ("),
        "{}",
        out.stdout
    );
    assert!(
        lines[2].contains(" migrations, 20240101000000 … ")
            && lines[2].ends_with("; ordered by version; file names sort the same way"),
        "{}",
        out.stdout
    );
    assert!(
        lines[3].starts_with("  up+down 0 · up only "),
        "{}",
        out.stdout
    );
    assert!(
        lines[4].starts_with("  scripts: ") && lines[4].contains(" wrapped by the runner"),
        "{}",
        out.stdout
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("1 migration set, ")),
        "{}",
        out.stdout
    );
}

#[test]
fn a_no_transaction_file_is_listed_as_not_wrapped() {
    let out = run(&[
        "migrations",
        "fixtures/sql/SQL002-concurrently-in-transaction/pass-no-transaction",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let set = &json["sets"][0];
    assert_eq!(set["layout"], "sqlx");
    assert_eq!(set["migrations"], 1);
    let up = &set["steps"][0]["up"];
    assert_eq!(up["transaction"], "opted-out");
    assert_eq!(up["why"], "the file starts with `-- no-transaction`");
    assert!(up["path"]
        .as_str()
        .unwrap()
        .ends_with("migrations/20240301000000_index_orders.sql"));
}

#[test]
fn diesel_metadata_turns_the_transaction_off_for_both_scripts() {
    let out = run(&[
        "migrations",
        "fixtures/sql/SQL002-concurrently-in-transaction/pass-diesel",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("  layout diesel · "), "{}", out.stdout);
    assert!(
        out.stdout.contains(
            "  scripts: 2 not wrapped: its metadata.toml sets `run_in_transaction = false`"
        ),
        "{}",
        out.stdout
    );
}
