//! The rule docs' examples are checked, as Biome checks its own: the code
//! under `## Example` must make the rule fire, the code under `## Use
//! instead` must not. Each block is run from memory (an overlay, no files
//! written) as the smallest project of its analyzer: a spec fragment gets the
//! `openapi`/`info`/`paths` keys it leaves out, SQL becomes one sqlx
//! migration, Rust the `src/main.rs` of a crate with axum, actix-web and sqlx
//! dependencies.
//!
//! Some examples are excerpts that need what they do not show (an earlier
//! migration, a router that registers the handler, a whole document):
//! `KNOWN_EXCERPTS` lists them. The list is a ratchet: an example that starts
//! to work must leave it, so the test fails on a listed rule whose example
//! now passes, as it does on an unlisted one that fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code

use std::sync::Arc;

use backend_check_core::{AnalyzerKind, FailOn, FileSystem, Overlay, RuleMeta};
use backend_check_engine::{all_rules, Engine, Session};

/// Rules whose doc example is an excerpt the harness cannot run as it is.
const KNOWN_EXCERPTS: &[&str] = &[
    "OAS010", "OAS011", "OAS015", "OAS032", "OAS034", "OAS037", "OAS038", "OAS040", "OAS041",
    "OAS042", "OAS048", "OAS060", "OAS061", "OAS062", "OAS063", "OAS065", "OAS067", "OAS068",
    "OAS071", "OAS072", "OAS080", "OAS081", "OAS082", "OAS083", "OAS084", "OAS085", "OAS087",
    "SQL003", "SQL006", "SQL013", "SQL021", "SQL022", "SQL024", "SQL037", "SQL042", "SQL043",
    "SQL044", "SQL049", "SQL051", "SQL065", "SQL069", "SQL070", "SQL071", "SQL080", "RS001",
    "RS003", "RS004", "RS005", "RS007", "RS008", "RS009", "RS010", "RS021", "RS022", "RS023",
    "RS025", "RS026",
];

/// The fenced code blocks of one `## heading` section: (language, code).
fn blocks(doc: &str, heading: &str) -> Vec<(String, String)> {
    let marker = format!("## {heading}\n");
    let Some(start) = doc.find(&marker) else {
        return Vec::new();
    };
    let section = &doc[start + marker.len()..];
    let section = section.find("\n## ").map_or(section, |end| &section[..end]);
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let Some(newline) = after.find('\n') else {
            break;
        };
        let lang = after[..newline].trim().to_owned();
        let body = &after[newline + 1..];
        let Some(close) = body.find("```") else {
            break;
        };
        out.push((lang, body[..close].to_owned()));
        rest = &body[close + 3..];
    }
    out
}

/// The files of the smallest project that holds `code`.
fn project(analyzer: AnalyzerKind, lang: &str, code: &str) -> Vec<(&'static str, String)> {
    match analyzer {
        AnalyzerKind::Sql => vec![("migrations/20240101000000_example.sql", code.to_owned())],
        AnalyzerKind::OpenApi if lang == "json" => vec![("openapi.json", code.to_owned())],
        AnalyzerKind::OpenApi => {
            let has = |key: &str| code.lines().any(|l| l.starts_with(key));
            let mut text = String::new();
            if !has("openapi:") && !has("swagger:") {
                text.push_str("openapi: 3.0.3\n");
            }
            if !has("info:") {
                text.push_str("info: {title: t, version: 1.0.0}\n");
            }
            text.push_str(code);
            if !has("paths:") {
                text.push_str("\npaths: {}\n");
            }
            vec![("openapi.yaml", text)]
        }
        AnalyzerKind::Rust => vec![
            ("src/main.rs", code.to_owned()),
            (
                "Cargo.toml",
                "[package]\nname = \"example\"\nversion = \"0.1.0\"\n\n[dependencies]\naxum = \"0.7\"\nactix-web = \"4\"\nsqlx = \"0.7\"\ntokio = \"1\"\n".to_owned(),
            ),
        ],
        AnalyzerKind::Tool | AnalyzerKind::Cross => Vec::new(),
    }
}

fn fires(rule: &RuleMeta, lang: &str, code: &str) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let mut overlay = Overlay::new(Arc::new(FileSystem));
    for (path, text) in project(rule.analyzer(), lang, code) {
        overlay.insert(dir.path().join(path), text);
    }
    let session = Session {
        select: Some(vec![rule.code.to_owned()]),
        fail_on: Some(FailOn::Never),
        threads: Some(1),
        sources: Arc::new(overlay),
        ..Session::new(dir.path())
    };
    let report = Engine::new()
        .check(&session)
        .unwrap_or_else(|e| panic!("{}: {e:?}", rule.code));
    report.diagnostics.iter().any(|d| d.rule.code == rule.code)
}

#[test]
fn rule_doc_examples_fire_and_their_fixes_do_not() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in all_rules() {
        if matches!(rule.analyzer(), AnalyzerKind::Tool | AnalyzerKind::Cross) {
            continue;
        }
        let doc = rule.doc_markdown();
        let examples = blocks(&doc, "Example");
        let fixes = blocks(&doc, "Use instead");
        let example_fires = examples.iter().any(|(l, c)| fires(rule, l, c));
        let fix_fires = fixes.iter().any(|(l, c)| fires(rule, l, c));
        let works = example_fires && !fix_fires;
        let known = KNOWN_EXCERPTS.contains(&rule.code);
        match (works, known) {
            (true, true) => failures.push(format!(
                "{}: its example now works; take it off KNOWN_EXCERPTS",
                rule.code
            )),
            (false, false) => failures.push(format!(
                "{}: example fires: {example_fires}, `Use instead` fires: {fix_fires}",
                rule.code
            )),
            _ => {}
        }
        checked += usize::from(works);
    }
    assert!(
        failures.is_empty(),
        "doc examples:\n{}",
        failures.join("\n")
    );
    assert!(checked >= 100, "only {checked} rule examples checked");
}

#[test]
fn code_blocks_are_read_per_section() {
    let doc = "## Example\n```sql\nA;\n```\ntext\n```sql\nB;\n```\n## Use instead\n```yaml\nc: 1\n```\n## Options\nNone.\n";
    assert_eq!(
        blocks(doc, "Example"),
        [
            ("sql".to_owned(), "A;\n".to_owned()),
            ("sql".to_owned(), "B;\n".to_owned())
        ]
    );
    assert_eq!(
        blocks(doc, "Use instead"),
        [("yaml".to_owned(), "c: 1\n".to_owned())]
    );
    assert!(blocks(doc, "Options").is_empty());
}
