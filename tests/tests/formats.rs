//! Every output format on the demo service: JSON as DESIGN.md specifies it,
//! SARIF valid against the 2.1.0 schema, GitHub workflow commands, the
//! checklist, and snapshots of the human and JSON output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use backend_check_tests::{redact_timing, repo_root, run};

const DEMO: &str = "fixtures/demo-service";

#[test]
fn json_matches_the_documented_schema() {
    let out = run(&[DEMO, "--format", "json"]);
    assert_eq!(out.code, 1);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let object = value.as_object().unwrap();
    let keys: Vec<_> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, ["version", "tool", "diagnostics", "summary"]);
    assert_eq!(value["version"], 1);
    assert_eq!(value["tool"]["name"], "cargo-backend-check");
    let diagnostics = value["diagnostics"].as_array().unwrap();
    assert!(!diagnostics.is_empty());
    for d in diagnostics {
        let keys: Vec<_> = d.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "code",
                "name",
                "severity",
                "checklist",
                "group",
                "message",
                "help",
                "url",
                "path",
                "line",
                "column",
                "end_line",
                "end_column"
            ]
        );
        assert!(["error", "warning", "info"].contains(&d["severity"].as_str().unwrap()));
        assert!(d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1);
        assert!(d["end_line"].as_u64().unwrap() >= d["line"].as_u64().unwrap());
        assert!(d["url"].as_str().unwrap().ends_with(&format!(
            "{}-{}.md",
            d["code"].as_str().unwrap(),
            d["name"].as_str().unwrap()
        )));
        assert!(d["path"]
            .as_str()
            .unwrap()
            .starts_with("fixtures/demo-service/"));
    }
    let sql = diagnostics.iter().find(|d| d["code"] == "SQL001").unwrap();
    assert_eq!(sql["checklist"], "db.migration-safety");
    assert_eq!(
        sql["path"],
        "fixtures/demo-service/migrations/20240315000000_index_orders_status.sql"
    );
    assert_eq!(
        (sql["line"].as_u64(), sql["column"].as_u64()),
        (Some(2), Some(1))
    );
    let summary = &value["summary"];
    let errors = diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .count();
    assert_eq!(summary["errors"].as_u64().unwrap() as usize, errors);
    assert!(summary["files"].as_u64().unwrap() >= 9, "{summary}");
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let schema_path = repo_root().join("tests/schemas/sarif-schema-2.1.0.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let out = run(&[DEMO, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run0 = &sarif["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let sql = rules.iter().find(|r| r["id"] == "SQL001").unwrap();
    assert_eq!(sql["name"], "create-index-without-concurrently");
    assert_eq!(sql["defaultConfiguration"]["level"], "error");
    assert_eq!(sql["properties"]["tags"][0], "db.migration-safety");
    assert!(sql["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .contains("## Why is this bad?"));
    assert!(sql["helpUri"].as_str().unwrap().starts_with("https://"));
    let results = run0["results"].as_array().unwrap();
    let result = results.iter().find(|r| r["ruleId"] == "SQL001").unwrap();
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "fixtures/demo-service/migrations/20240315000000_index_orders_status.sql"
    );
    assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["region"]["startLine"], 2);
    assert_eq!(location["region"]["startColumn"], 1);
    assert!(
        result["partialFingerprints"]["backendCheck/v1"]
            .as_str()
            .unwrap()
            .len()
            > 16
    );
    assert_eq!(
        rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "SQL001"
    );
}

#[test]
fn sarif_fingerprints_survive_edits_elsewhere_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let table = b"CREATE TABLE orders (id BIGINT PRIMARY KEY, status TEXT);\n";
    let index = "CREATE INDEX orders_status_idx ON orders (status);\n";
    backend_check_tests::write_tree(
        dir.path(),
        &[
            ("migrations/1_t.sql", table),
            ("migrations/2_i.sql", index.as_bytes()),
        ],
    )
    .unwrap();
    let fingerprint = |dir: &std::path::Path| {
        let out = backend_check_tests::run_in(dir, &["--format", "sarif"]);
        let sarif: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        let result = &sarif["runs"][0]["results"][0];
        (
            result["partialFingerprints"]["backendCheck/v1"]
                .as_str()
                .unwrap()
                .to_owned(),
            result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap(),
        )
    };
    let before = fingerprint(dir.path());
    std::fs::write(
        dir.path().join("migrations/2_i.sql"),
        format!("-- Added for the dashboard.\n\n{index}"),
    )
    .unwrap();
    let after = fingerprint(dir.path());
    assert_eq!(before.1 + 2, after.1, "the finding moved down two lines");
    assert_eq!(before.0, after.0, "but its fingerprint did not change");
}

#[test]
fn github_annotations_are_workflow_commands() {
    let out = run(&[DEMO, "--format", "github"]);
    let line = out.stdout.lines().find(|l| l.contains("SQL001")).unwrap();
    assert!(
        line.starts_with("::error file=fixtures/demo-service/migrations/20240315000000_index_orders_status.sql,line=2,col=1,endLine=2,endColumn="),
        "{line}"
    );
    assert!(
        line.contains(
            ",title=SQL001 create-index-without-concurrently::index \"orders_status_idx\""
        ),
        "{line}"
    );
    assert!(
        line.contains("%0Ahelp: "),
        "help is on an escaped new line: {line}"
    );
    assert!(out.stdout.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
}

#[test]
fn checklist_ticks_items_with_and_without_findings() {
    let out = run(&[DEMO, "--format", "checklist"]);
    let text = out.stdout;
    assert!(
        text.contains(
            "- [ ] **Proper status codes** (`api.status-codes`): 2 findings (1 error, 1 warning)"
        ),
        "{text}"
    );
    assert!(
        text.contains("- [ ] **Migrations tested** (`db.migration-safety`): 10 findings (5 errors, 5 warnings)"),
        "{text}"
    );
    assert!(
        text.contains(
            "- [ ] **Missing error handling** (`ap.error-handling`): 5 findings (4 errors, 1 warning)"
        ),
        "{text}"
    );
    assert!(
        text.lines().any(|l| l
            .starts_with("- [x] **Indexes optimized** (`db.indexes`): checked by ")
            && l.ends_with(", no findings")),
        "{text}"
    );
    assert!(
        text.contains("- [ ] **Backup verified**: not checked statically"),
        "{text}"
    );
    assert!(
        text.contains("- [ ] **Error standardization** (`api.errors`): not checked (its rules are opt-in: `--extend-select pedantic`)"),
        "{text}"
    );
    assert!(
        text.contains("- [ ] **Query optimization** (`db.queries`): not checked statically (no rule serves it yet)"),
        "{text}"
    );
    let clean = run(&[
        "fixtures/demo-service/migrations/20240101000000_create_users.sql",
        "--format",
        "checklist",
    ]);
    assert!(
        clean
            .stdout
            .contains("- [x] **Migrations tested** (`db.migration-safety`): checked by"),
        "{}",
        clean.stdout
    );
    assert_eq!(clean.code, 0);
}

#[test]
fn human_output_of_the_demo() {
    let out = run(&[DEMO, "--format", "human", "--color", "never"]);
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("help:"));
    insta::assert_snapshot!("demo_human", redact_timing(&out.stdout));
}

#[test]
fn json_output_of_the_demo() {
    let out = run(&[DEMO, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    insta::assert_json_snapshot!("demo_json", value, { ".tool.version" => "[version]" });
}

#[test]
fn colour_is_on_only_when_asked() {
    let plain = run(&[DEMO, "--format", "human", "--color", "never"]);
    assert!(!plain.stdout.contains('\u{1b}'));
    let coloured = run(&[DEMO, "--format", "human", "--color", "always"]);
    assert!(coloured.stdout.contains('\u{1b}'));
}
