//! Command-line behaviour: exit codes, subcommands, configuration, allows,
//! bad input, explicit file paths and determinism across thread counts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use backend_check_tests::{run, run_in, write_tree};

const DEMO: &str = "fixtures/demo-service";

const ORDERS_TABLE: &[u8] = b"CREATE TABLE orders (id BIGINT PRIMARY KEY, status TEXT NOT NULL);\n";

fn concise_lines(stdout: &str) -> Vec<&str> {
    stdout
        .lines()
        .filter(|l| l.contains(": error[") || l.contains(": warning[") || l.contains(": info["))
        .collect()
}

#[test]
fn demo_fails_with_findings_of_all_three_analyzers() {
    let out = run(&[DEMO, "--format", "concise"]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    let lines = concise_lines(&out.stdout);
    for code in ["OAS001", "SQL001", "RS001"] {
        assert!(
            lines.iter().any(|l| l.contains(&format!("[{code}]"))),
            "no {code} in\n{}",
            out.stdout
        );
    }
    assert!(
        lines.contains(&"fixtures/demo-service/migrations/20240315000000_index_orders_status.sql:2:1: error[SQL001] index \"orders_status_idx\" on existing table \"orders\" is created without CONCURRENTLY")
            || lines.iter().any(|l| l.starts_with("fixtures/demo-service/migrations/20240315000000_index_orders_status.sql:2:1: error[SQL001]")),
        "{}",
        out.stdout
    );
    // The table created in the same migration is not flagged.
    assert!(
        !out.stdout.contains("20240102000000_create_orders.sql"),
        "{}",
        out.stdout
    );
}

#[test]
fn fail_on_controls_the_exit_code() {
    assert_eq!(run(&[DEMO, "--fail-on", "never"]).code, 0);
    assert_eq!(
        run(&[DEMO, "--select", "SQL001", "--fail-on", "error"]).code,
        1
    );
    assert_eq!(run(&[DEMO, "--select", "db.rollback"]).code, 0);
}

#[test]
fn bad_arguments_and_missing_paths_exit_2() {
    let out = run(&["--format", "xml"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("xml"), "{}", out.stderr);
    let out = run(&["no/such/path"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("path not found: no/such/path"),
        "{}",
        out.stderr
    );
    let out = run(&[DEMO, "--select", "SQL0001"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown rule selector `SQL0001`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean `SQL00"), "{}", out.stderr);
}

#[test]
fn rules_lists_every_rule_with_its_checklist() {
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    for (code, checklist) in [
        ("OAS001", "api.status-codes"),
        ("SQL001", "db.migration-safety"),
        ("RS001", "ap.error-handling"),
    ] {
        let line = out
            .stdout
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap_or_else(|| panic!("{code} missing:\n{}", out.stdout));
        assert!(line.contains(checklist), "{line}");
        assert!(line.contains("error"), "{line}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&run(&["rules", "--format", "json"]).stdout).unwrap();
    assert!(json
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["code"] == "SQL001" && r["checklist"] == "db.migration-safety"));
}

#[test]
fn explain_prints_the_rule_doc() {
    let out = run(&["explain", "SQL001"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .starts_with("# SQL001 `create-index-without-concurrently`"),
        "{}",
        out.stdout
    );
    for heading in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Options",
    ] {
        assert!(out.stdout.contains(heading), "{heading} missing");
    }
    assert_eq!(
        run(&["explain", "create-index-without-concurrently"]).stdout,
        out.stdout
    );
    let out = run(&["explain", "SQL999"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("no rule `SQL999`"));
}

#[test]
fn empty_repository_says_what_it_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[("notes.txt", b"hello"), ("config.yaml", b"name: x\n")],
    )
    .unwrap();
    // The note goes to stderr in every format, so stdout is only the report.
    for format in ["concise", "human", "json", "sarif", "github", "checklist"] {
        let out = run_in(dir.path(), &["--format", format]);
        assert_eq!(out.code, 0, "{format}: {out:?}");
        assert!(
            out.stderr.contains("nothing to check in .: looked for")
                && out.stderr.contains("OpenAPI documents")
                && out.stderr.contains("SQL migrations")
                && out.stderr.contains("Rust sources"),
            "{format}: {}",
            out.stderr
        );
        assert!(
            !out.stdout.contains("nothing to check"),
            "{format}: {}",
            out.stdout
        );
    }
    let json = run_in(dir.path(), &["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(value["summary"]["files"], 0);
}

#[test]
fn a_mistyped_subcommand_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    for (typed, meant) in [
        ("explian", "explain"),
        ("rule", "rules"),
        ("migration", "migrations"),
    ] {
        let out = run_in(dir.path(), &[typed, "SQL001"]);
        assert_eq!(out.code, 2, "{typed}: {out:?}");
        assert!(
            out.stderr.contains(&format!(
                "path not found: {typed} (did you mean the subcommand `{meant}`?"
            )),
            "{typed}: {}",
            out.stderr
        );
    }
    let out = run_in(dir.path(), &["services/api"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("path not found: services/api"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
}

#[test]
fn quiet_leaves_the_summary_line_out_of_the_checklist() {
    let demo = backend_check_tests::repo_root().join("fixtures/demo-service");
    let demo = demo.to_str().unwrap();
    let loud = run(&[demo, "--format", "checklist"]);
    let quiet = run(&[demo, "--format", "checklist", "--quiet"]);
    assert!(loud.stdout.contains(" ms)"), "{}", loud.stdout);
    assert!(!quiet.stdout.contains(" ms)"), "{}", quiet.stdout);
    assert!(
        quiet.stdout.contains("- [ ] **Missing error handling**"),
        "{}",
        quiet.stdout
    );
}

#[test]
fn walk_skips_ignored_hidden_and_target_folders() {
    let dir = tempfile::tempdir().unwrap();
    let index = b"CREATE INDEX orders_status_idx ON orders (status);\n";
    write_tree(
        dir.path(),
        &[
            (".gitignore", b"generated/\n"),
            ("migrations/1_orders.sql", ORDERS_TABLE),
            ("migrations/2_index.sql", index),
            ("generated/migrations/1_orders.sql", ORDERS_TABLE),
            ("generated/migrations/2_index.sql", index),
            ("target/migrations/1_orders.sql", ORDERS_TABLE),
            ("target/migrations/2_index.sql", index),
            (".hidden/migrations/1_orders.sql", ORDERS_TABLE),
            (".hidden/migrations/2_index.sql", index),
        ],
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert_eq!(concise_lines(&out.stdout), ["migrations/2_index.sql:1:1: error[SQL001] index \"orders_status_idx\" on existing table \"orders\" is created without CONCURRENTLY"], "{}", out.stdout);
}

#[test]
fn config_file_selects_ignores_and_overrides_severity() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("migrations/1_orders.sql", ORDERS_TABLE),
            (
                "migrations/2_index.sql",
                b"CREATE INDEX orders_status_idx ON orders (status);\n",
            ),
            ("backend-check.toml", b"[severity]\nSQL001 = \"warning\"\n"),
        ],
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert_eq!(out.code, 0, "a warning does not fail by default: {out:?}");
    assert!(out.stdout.contains("warning[SQL001]"), "{}", out.stdout);
    assert_eq!(run_in(dir.path(), &["--fail-on", "warning"]).code, 1);

    std::fs::write(
        dir.path().join("backend-check.toml"),
        "ignore = [\"db.migration-safety\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert!(!out.stdout.contains("SQL001"), "{}", out.stdout);

    std::fs::write(
        dir.path().join("backend-check.toml"),
        "exclude = [\"migrations/2_*\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert!(!out.stdout.contains("SQL001"), "{}", out.stdout);
    assert!(out.stdout.contains("in 1 file"), "{}", out.stdout);

    std::fs::remove_file(dir.path().join("backend-check.toml")).unwrap();
    write_tree(dir.path(), &[("Cargo.toml", b"[package]\nname = \"x\"\nversion = \"0.1.0\"\n\n[package.metadata.backend-check]\nper-path-ignores = { \"migrations/2_*\" = [\"SQL001\"] }\n")]).unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    assert!(!out.stdout.contains("SQL001"), "{}", out.stdout);
}

#[test]
fn bad_config_is_reported_at_its_span_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[(
            "backend-check.toml",
            b"select = [\"SQL\"]\nfail-on = \"sometimes\"\n",
        )],
    )
    .unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("sometimes"), "{}", out.stderr);
    assert!(
        out.stderr.contains("backend-check.toml:2:11"),
        "{}",
        out.stderr
    );

    std::fs::write(
        dir.path().join("backend-check.toml"),
        "[sql]\ndialect = \"postgres\"\nmigration = [\"db\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("migration") && out.stderr.contains("backend-check.toml:3:1"),
        "{}",
        out.stderr
    );

    std::fs::write(
        dir.path().join("backend-check.toml"),
        "\n\nignore = [\"SQL00\", \"RS0001\"]\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown rule selector `RS0001`")
            && out.stderr.contains("backend-check.toml:3:20"),
        "{}",
        out.stderr
    );
}

#[test]
fn allow_comments_suppress_and_unused_allows_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("migrations/1_orders.sql", ORDERS_TABLE),
            (
                "migrations/2_index.sql",
                b"-- backend-check: allow(SQL001) the table has 40 rows\nCREATE INDEX orders_status_idx ON orders (status);\nCREATE INDEX orders_id_idx ON orders (id); -- backend-check: allow(create-index-without-concurrently)\n-- backend-check: allow(SQL001, SQL999) nothing below\nSELECT 1;\n",
            ),
        ],
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["--format", "concise", "--select", "SQL001,BC001"],
    );
    let lines = concise_lines(&out.stdout);
    assert_eq!(
        lines,
        [
            "migrations/2_index.sql:4:25: warning[BC001] allow of SQL001 (create-index-without-concurrently) suppresses nothing",
            "migrations/2_index.sql:4:33: warning[BC001] allow names `SQL999`, which is not a rule",
        ],
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 0);
    // An allow for a rule that is not running is not reported as unused.
    let out = run_in(
        dir.path(),
        &["--format", "concise", "--select", "BC001,SQL000"],
    );
    assert_eq!(concise_lines(&out.stdout).len(), 1, "{}", out.stdout);
}

#[test]
fn x_backend_check_allow_suppresses_in_openapi_json() {
    let dir = tempfile::tempdir().unwrap();
    let spec = br#"{
  "openapi": "3.0.3",
  "info": { "title": "t", "version": "1.0.0" },
  "paths": {
    "/a": {
      "delete": { "x-backend-check-allow": ["OAS001"], "responses": { "404": { "description": "gone" } } },
      "put": { "responses": { "404": { "description": "gone" } } }
    }
  }
}
"#;
    write_tree(dir.path(), &[("api.json", spec)]).unwrap();
    let out = run_in(
        dir.path(),
        &["--format", "concise", "--select", "OAS001,BC001"],
    );
    let lines = concise_lines(&out.stdout);
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(
        lines[0].starts_with("api.json:7:16: error[OAS001]"),
        "{}",
        lines[0]
    );
}

#[test]
fn unparsable_and_non_utf8_files_are_findings_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            (
                "broken.yaml",
                b"openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n",
            ),
            ("src/lib.rs", b"pub fn f( {\n"),
            ("migrations/1_orders.sql", ORDERS_TABLE),
            (
                "migrations/2_latin1.sql",
                b"-- caf\xe9\nCREATE INDEX a ON orders (id);\n",
            ),
            (
                "migrations/3_index.sql",
                b"CREATE INDEX orders_status_idx ON orders (status);\n",
            ),
        ],
    )
    .unwrap();
    let out = run_in(dir.path(), &["--format", "concise"]);
    let lines = concise_lines(&out.stdout);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("broken.yaml:") && l.contains("error[OAS000]")),
        "{}",
        out.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("src/lib.rs:1:") && l.contains("error[RS000]")),
        "{}",
        out.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("migrations/2_latin1.sql:1:7") && l.contains("[SQL000]")),
        "{}",
        out.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("migrations/3_index.sql:1:1") && l.contains("[SQL001]")),
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);
}

#[test]
fn a_file_named_directly_is_checked_with_its_context() {
    let out = run(&[
        "--format",
        "concise",
        "fixtures/demo-service/migrations/20240315000000_index_orders_status.sql",
    ]);
    let found: Vec<String> = concise_lines(&out.stdout)
        .iter()
        .map(|l| {
            l.split(" index")
                .next()
                .unwrap_or(l)
                .split(" `")
                .next()
                .unwrap_or(l)
                .to_owned()
        })
        .collect();
    // Only the named file is reported; the earlier migrations of its set give the context.
    assert_eq!(
        found,
        [
            "fixtures/demo-service/migrations/20240315000000_index_orders_status.sql:2:1: error[SQL001]",
            "fixtures/demo-service/migrations/20240315000000_index_orders_status.sql:4:1: error[SQL002]",
        ],
        "{}",
        out.stdout
    );
    assert_eq!(out.code, 1);
    // The router lives in main.rs; naming only the handler file still finds the handler.
    let out = run(&[
        "--format",
        "concise",
        "--extend-select",
        "RS001",
        "fixtures/demo-service/src/handlers/orders.rs",
    ]);
    let lines = concise_lines(&out.stdout);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("fixtures/demo-service/src/handlers/orders.rs:")),
        "{}",
        out.stdout
    );
    let unwraps = lines.iter().filter(|l| l.contains("[RS001]")).count();
    assert_eq!(unwraps, 3, "{}", out.stdout);
    // A YAML file that is not an OpenAPI document is skipped.
    let out = run(&["--format", "concise", ".pre-commit-hooks.yaml"]);
    assert_eq!(out.code, 0, "{out:?}");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    for format in ["json", "sarif", "github", "concise"] {
        let one = run(&[DEMO, "--format", format, "--threads", "1", "--quiet"]);
        let four = run(&[DEMO, "--format", format, "--threads", "4", "--quiet"]);
        assert_eq!(one.stdout, four.stdout, "{format} differs");
        assert!(!one.stdout.is_empty());
    }
}

#[test]
fn statistics_counts_findings_per_rule() {
    let out = run(&[DEMO, "--statistics"]);
    let rs = out.stdout.lines().find(|l| l.contains("RS001")).unwrap();
    assert!(rs.trim_start().starts_with('3'), "{}", out.stdout);
    assert!(rs.contains("unwrap-in-handler"));
    assert!(
        out.stdout
            .lines()
            .any(|l| l.trim_start().starts_with("1  SQL001")),
        "{}",
        out.stdout
    );
}

#[test]
fn quiet_leaves_out_the_summary() {
    let out = run(&[DEMO, "--format", "concise"]);
    assert!(
        out.stdout.lines().last().unwrap().contains(" in "),
        "{}",
        out.stdout
    );
    let quiet = run(&[DEMO, "--format", "concise", "--quiet"]);
    assert_eq!(quiet.stdout.lines().count(), out.stdout.lines().count() - 1);
}

#[test]
fn naming_the_configuration_file_checks_the_whole_project() {
    // pre-commit names only the staged files: a commit that changes the
    // configuration alone must still check what the new configuration says.
    let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/demo-service");
    let whole = run_in(&demo, &["--format", "concise"]);
    let named = run_in(&demo, &["--format", "concise", "Cargo.toml"]);
    assert_eq!(named.code, whole.code, "{named:?}");
    assert_eq!(concise_lines(&named.stdout), concise_lines(&whole.stdout));
    assert!(concise_lines(&named.stdout).len() > 10, "{}", named.stdout);

    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("backend-check.toml", b"fail-on = \"warning\"\n"),
            ("migrations/20240101000000_orders.sql", ORDERS_TABLE),
            (
                "migrations/20240201000000_orders_status.sql",
                b"CREATE INDEX orders_status ON orders (status);\n",
            ),
            ("rustfmt.toml", b"max_width = 100\n"),
        ],
    )
    .unwrap();
    let config = run_in(dir.path(), &["--format", "concise", "backend-check.toml"]);
    let plain = run_in(dir.path(), &["--format", "concise"]);
    assert_eq!(concise_lines(&config.stdout), concise_lines(&plain.stdout));
    // Any other TOML file that pre-commit hands over is not a configuration.
    let other = run_in(dir.path(), &["--format", "concise", "rustfmt.toml"]);
    assert_eq!(other.code, 0, "{other:?}");
    assert!(concise_lines(&other.stdout).is_empty(), "{}", other.stdout);
}

#[test]
fn specs_with_a_byte_order_mark_or_in_utf16_are_checked() {
    let spec = "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"Shop\", \"version\": \"1\"},\n \"servers\": [{\"url\": \"http://api.shop.io\"}], \"paths\": {}}\n";
    let mut utf8_bom = b"\xef\xbb\xbf".to_vec();
    utf8_bom.extend_from_slice(spec.as_bytes());
    let mut utf16_le = vec![0xFF, 0xFE];
    utf16_le.extend(spec.encode_utf16().flat_map(u16::to_le_bytes));
    let mut utf16_be = vec![0xFE, 0xFF];
    utf16_be.extend(spec.encode_utf16().flat_map(u16::to_be_bytes));
    let dir = tempfile::tempdir().unwrap();
    write_tree(
        dir.path(),
        &[
            ("bom.json", &utf8_bom),
            ("le.json", &utf16_le),
            ("be.json", &utf16_be),
        ],
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["--format", "concise", "--select", "OAS000,OAS004"],
    );
    let mut lines = concise_lines(&out.stdout);
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "be.json:2:22: warning[OAS004] server \"http://api.shop.io\" uses plain http",
            "bom.json:2:22: warning[OAS004] server \"http://api.shop.io\" uses plain http",
            "le.json:2:22: warning[OAS004] server \"http://api.shop.io\" uses plain http",
        ],
        "{}{}",
        out.stdout,
        out.stderr
    );
}
