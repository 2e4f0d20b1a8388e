//! Rule groups by confidence: every rule has one, the default selection is
//! exactly the default groups, a group selects exactly its rules, explicit
//! selectors take opt-in rules (but not nursery ones), and the group shows in
//! `rules`, `explain`, JSON and SARIF.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::collections::BTreeSet;

use backend_check_tests::{run, run_in, write_tree};
use serde_json::Value;

const DEMO: &str = "fixtures/demo-service";
const GROUPS: [&str; 4] = ["correctness", "suspicious", "pedantic", "nursery"];

/// `rules --format json`.
fn rules() -> Vec<Value> {
    let out = run(&["rules", "--format", "json"]);
    assert_eq!(out.code, 0);
    serde_json::from_str::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// The codes of the rules `keep` accepts.
fn codes(keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    rules()
        .iter()
        .filter(|r| keep(r))
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The codes of the rules a run of the demo with `args` enabled (SARIF lists them).
fn enabled(args: &[&str]) -> BTreeSet<String> {
    // An empty configuration: the demo's own one adds the nursery rules.
    let config = tempfile::NamedTempFile::new().unwrap();
    let config_path = config.path().to_str().unwrap().to_owned();
    let mut argv = vec![
        DEMO,
        "--format",
        "sarif",
        "--fail-on",
        "never",
        "--config",
        &config_path,
    ];
    argv.extend(args);
    let out = run(&argv);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_rule_has_a_group_and_only_the_default_groups_are_on_by_default() {
    let rules = rules();
    assert!(!rules.is_empty());
    for rule in &rules {
        let group = rule["group"].as_str().unwrap();
        assert!(GROUPS.contains(&group), "{rule}");
        assert_eq!(
            rule["enabled_by_default"].as_bool().unwrap(),
            group == "correctness" || group == "suspicious",
            "{rule}"
        );
    }
    for group in ["correctness", "suspicious", "pedantic"] {
        assert!(
            rules.iter().any(|r| r["group"] == group),
            "{group} is empty"
        );
    }
}

#[test]
fn the_default_selection_is_exactly_the_default_groups() {
    let default = enabled(&[]);
    assert_eq!(
        default,
        codes(|r| r["group"] == "correctness" || r["group"] == "suspicious")
    );
    assert_eq!(default, enabled(&["--select", "correctness,suspicious"]));
}

#[test]
fn a_group_selects_exactly_its_rules() {
    for group in GROUPS {
        assert_eq!(
            enabled(&["--select", group]),
            codes(|r| r["group"] == group),
            "{group}"
        );
    }
    assert_eq!(
        enabled(&["--extend-select", "pedantic"]),
        codes(|r| r["group"] != "nursery")
    );
    assert_eq!(
        enabled(&["--select", "ALL", "--ignore", "pedantic"]),
        codes(|r| r["group"] == "correctness" || r["group"] == "suspicious")
    );
}

#[test]
fn explicit_selectors_take_opt_in_rules_but_not_nursery_ones() {
    let sql = enabled(&["--select", "SQL"]);
    assert_eq!(
        sql,
        codes(|r| r["code"].as_str().unwrap().starts_with("SQL") && r["group"] != "nursery")
    );
    assert!(
        sql.contains("SQL019"),
        "SQL019 (pedantic) is selected by `SQL`"
    );
    let nursery = codes(|r| r["group"] == "nursery");
    assert!(!nursery.is_empty());
    let all = enabled(&["--select", "ALL"]);
    for code in &nursery {
        assert!(
            !all.contains(code),
            "{code} is nursery: `ALL` leaves it off"
        );
        assert!(enabled(&["--select", code]).contains(code));
        assert!(enabled(&["--extend-select", code]).contains(code));
    }
    assert!(enabled(&["--select", "api.docs"]).contains("OAS031"));
    // The README's way to get one analyzer's default rules.
    assert_eq!(
        enabled(&["--select", "SQL", "--ignore", "pedantic"]),
        codes(|r| r["code"].as_str().unwrap().starts_with("SQL") && r["enabled_by_default"] == true)
    );
    assert!(enabled(&["--select", "missing-lock-timeout"]).contains("SQL019"));
}

#[test]
fn config_selects_and_extends_by_group() {
    let dir = tempfile::tempdir().unwrap();
    let migration = b"CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n" as &[u8];
    let index = b"CREATE INDEX orders_status_idx ON orders (status);\n" as &[u8];
    write_tree(
        dir.path(),
        &[
            ("migrations/1_orders.sql", migration),
            ("migrations/2_index.sql", index),
        ],
    )
    .unwrap();
    let concise = |toml: &str| {
        std::fs::write(dir.path().join("backend-check.toml"), toml).unwrap();
        run_in(dir.path(), &["--format", "concise", "--fail-on", "never"]).stdout
    };
    let default = concise("");
    assert!(
        default.contains("[SQL001]") && !default.contains("[SQL068]"),
        "{default}"
    );
    let pedantic = concise("select = [\"pedantic\"]\n");
    assert!(
        pedantic.contains("[SQL068]") && !pedantic.contains("[SQL001]"),
        "{pedantic}"
    );
    let both = concise("extend-select = [\"pedantic\"]\n");
    assert!(
        both.contains("[SQL068]") && both.contains("[SQL001]"),
        "{both}"
    );
    // A `--select` on the command line replaces the configured extension too.
    let out = run_in(dir.path(), &["--format", "concise", "--select", "SQL001"]).stdout;
    assert!(
        out.contains("[SQL001]") && !out.contains("[SQL068]"),
        "{out}"
    );
    let bad = concise("extend-select = [\"pedantc\"]\n");
    assert!(bad.is_empty());
    let out = run_in(dir.path(), &[]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("unknown rule selector `pedantc`"),
        "{}",
        out.stderr
    );
}

#[test]
fn json_and_sarif_carry_the_group() {
    let groups: std::collections::HashMap<String, String> = rules()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_owned(),
                r["group"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let out = run(&[DEMO, "--format", "json", "--extend-select", "pedantic"]);
    let json: Value = serde_json::from_str(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    assert!(diagnostics.iter().any(|d| d["group"] == "pedantic"));
    for d in diagnostics {
        assert_eq!(
            d["group"],
            groups[d["code"].as_str().unwrap()].as_str(),
            "{d}"
        );
    }

    let out = run(&[DEMO, "--format", "sarif", "--extend-select", "pedantic"]);
    let sarif: Value = serde_json::from_str(&out.stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let descriptors = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in descriptors {
        let group = groups[rule["id"].as_str().unwrap()].as_str();
        assert_eq!(rule["properties"]["group"], group, "{rule}");
        assert!(rule["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&Value::from(group)));
        assert_eq!(
            rule["defaultConfiguration"]["enabled"],
            group == "correctness" || group == "suspicious"
        );
    }
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        assert_eq!(
            result["properties"]["group"],
            groups[result["ruleId"].as_str().unwrap()].as_str(),
            "{result}"
        );
    }
}

#[test]
fn rules_and_explain_show_the_group() {
    let out = run(&["rules"]);
    let header = out.stdout.lines().next().unwrap();
    assert!(header.contains(" GROUP "), "{header}");
    let line = |code: &str| {
        out.stdout
            .lines()
            .find(|l| l.starts_with(code))
            .unwrap()
            .to_owned()
    };
    assert!(
        line("SQL002").contains(" correctness "),
        "{}",
        line("SQL002")
    );
    assert!(
        line("SQL001").contains(" suspicious "),
        "{}",
        line("SQL001")
    );
    assert!(line("SQL019").contains(" pedantic "), "{}", line("SQL019"));
    assert!(line("SQL019").ends_with("(off by default)"));

    let markdown = run(&["rules", "--format", "markdown"]).stdout;
    assert!(markdown.contains("| Code | Name | Checklist | Group | Severity | Summary |"));
    assert!(markdown
        .contains("| `missing-lock-timeout` | `db.migration-safety` | pedantic (opt-in) | info |"));
    assert!(markdown.contains("| `pedantic` | opt-in |"), "{markdown}");

    let explain = run(&["explain", "SQL019"]).stdout;
    assert!(
        explain.contains("| Group | `pedantic`: advice"),
        "{explain}"
    );
    assert!(
        explain.contains("| Enabled by default | no (opt in with `--extend-select pedantic`"),
        "{explain}"
    );
    let explain = run(&["explain", "SQL001"]).stdout;
    assert!(explain.contains("| Group | `suspicious`: "), "{explain}");
    assert!(
        explain.contains("| Enabled by default | yes |"),
        "{explain}"
    );
}
