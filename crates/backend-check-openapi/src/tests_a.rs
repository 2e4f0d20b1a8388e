//! Runs the fixtures of rules OAS015–OAS059 inside the crate (the workspace
//! harness in `tests/` does the same through the binary), and lints the corpus.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use backend_check_core::{AnalyzerInput, Config, RuleSelection, Selector};

use crate::{analyze, RULES};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn mine(code: &str) -> bool {
    code.get(3..)
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| (15..=59).contains(&n))
}

fn files_under(entry: &Path) -> Vec<PathBuf> {
    if entry.is_file() {
        return vec![entry.to_path_buf()];
    }
    let mut out: Vec<PathBuf> = std::fs::read_dir(entry)
        .unwrap()
        .flatten()
        .flat_map(|e| files_under(&e.path()))
        .collect();
    out.sort();
    out
}

fn expected(file: &Path) -> BTreeSet<(String, usize, String)> {
    let mut found = BTreeSet::new();
    let name = file
        .display()
        .to_string()
        .trim_start_matches('/')
        .to_owned();
    let path = format!("/{name}");
    if name.ends_with(".expect") {
        return found;
    }
    if name.ends_with(".json") {
        if let Ok(text) = std::fs::read_to_string(format!("{path}.expect")) {
            for row in text.lines().filter(|l| !l.trim().is_empty()) {
                let mut parts = row.split_whitespace();
                let line: usize = parts.next().unwrap().parse().unwrap();
                for code in parts {
                    found.insert((name.clone(), line, code.to_owned()));
                }
            }
        }
        return found;
    }
    let text = std::fs::read_to_string(file).unwrap();
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find("# expect:") {
            for code in line[at + 9..].split([',', ' ']).filter(|c| !c.is_empty()) {
                found.insert((name.clone(), i + 1, code.to_owned()));
            }
        }
    }
    found
}

fn run(paths: &[PathBuf], select: &[&str]) -> Vec<backend_check_core::Diagnostic> {
    let selectors: Vec<Selector> = select.iter().map(|s| Selector::cli(*s)).collect();
    let selection = RuleSelection::resolve(RULES, Some(&selectors), &[]).unwrap();
    let config = Config::default();
    let input = AnalyzerInput {
        root: Path::new("/"),
        paths,
        explicit: &[],
        config: &config,
        selection: &selection,
    };
    analyze(&input).diagnostics
}

#[test]
fn fixtures_of_oas015_to_oas059() {
    let dir = repo().join("fixtures/openapi");
    let mut failures = Vec::new();
    for rule in RULES.iter().filter(|r| mine(r.code)) {
        let rule_dir = dir.join(format!("{}-{}", rule.code, rule.name));
        let entries: Vec<PathBuf> = std::fs::read_dir(&rule_dir)
            .unwrap_or_else(|_| panic!("no fixtures for {}", rule.code))
            .flatten()
            .map(|e| e.path())
            .filter(|p| !p.display().to_string().ends_with(".expect"))
            .collect();
        assert!(
            entries
                .iter()
                .any(|p| p.file_name().unwrap().to_string_lossy().starts_with("fail")),
            "{}",
            rule.code
        );
        assert!(
            entries
                .iter()
                .any(|p| p.file_name().unwrap().to_string_lossy().starts_with("pass")),
            "{}",
            rule.code
        );
        for entry in entries {
            let files: Vec<PathBuf> = files_under(&entry)
                .into_iter()
                .filter(|f| {
                    let n = f.display().to_string();
                    n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".json")
                })
                .collect();
            let want: BTreeSet<_> = files.iter().flat_map(|f| expected(f)).collect();
            let got: BTreeSet<_> = run(&files, &[rule.code, "OAS000"])
                .iter()
                .map(|d| {
                    (
                        d.file.display_path().to_owned(),
                        d.start().line,
                        d.rule.code.to_owned(),
                    )
                })
                .collect();
            if want != got {
                failures.push(format!(
                    "{}:\n  want {want:?}\n  got  {got:?}",
                    entry.display()
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `(code, line, column, snippet)` of the findings of OAS015–OAS059 in a text.
fn positions(text: &str, format: crate::load::Format) -> Vec<(&'static str, usize, usize, String)> {
    use std::sync::Arc;
    let style = match format {
        crate::load::Format::Yaml => backend_check_core::CommentStyle::Hash,
        crate::load::Format::Json => backend_check_core::CommentStyle::None,
    };
    let file = Arc::new(backend_check_core::SourceFile::new(
        "spec", "spec", text, style,
    ));
    let selection = RuleSelection::defaults(RULES);
    let mut sink = backend_check_core::Sink::new(&selection);
    crate::analyze::check_file(&file, format, Path::new("."), &mut sink);
    let mut out: Vec<_> = sink
        .into_diagnostics()
        .iter()
        .filter(|d| mine(d.rule.code))
        .map(|d| {
            let at = d.start();
            (d.rule.code, at.line, at.column, d.snippet().to_owned())
        })
        .collect();
    out.sort();
    out
}

fn at(
    code: &'static str,
    line: usize,
    column: usize,
    snippet: &str,
) -> (&'static str, usize, usize, String) {
    (code, line, column, snippet.to_owned())
}

#[test]
fn exact_positions_in_20_yaml() {
    let text = "\
swagger: '2.0'
info: {title: Pets, version: '1', description: d, contact: {email: a@b.io}, license: {name: MIT, url: 'https://l.io'}}
host: api.pets.io
basePath: /v1/
tags: [{name: pets, description: p}, {name: pets, description: again}]
paths:
  /pets/getAll:
    get:
      operationId: list pets
      summary: s
      tags: [pets]
      responses:
        '200': {description: ok}
        '429': {description: slow down}
";
    assert_eq!(
        positions(text, crate::load::Format::Yaml),
        [
            at("OAS019", 7, 3, "/pets/getAll"),
            at("OAS022", 9, 20, "list pets"),
            at("OAS025", 5, 45, "pets"),
            at("OAS029", 2, 30, "'1'"),
            at("OAS037", 14, 9, "'429'"),
            at("OAS038", 1, 1, "swagger"),
            at("OAS040", 14, 9, "'429'"),
            at("OAS047", 4, 11, "/v1/"),
        ]
    );
}

#[test]
fn exact_positions_in_30_json() {
    let text = r#"{
  "openapi": "3.0.3",
  "info": {"title": "Ünïcode", "version": "1.0.0", "description": "<script>x</script>",
    "contact": {"url": "https://c.io"}, "license": {"name": "MIT", "url": "https://l.io"}},
  "servers": [{"url": "https://api.shop.io/v1"}],
  "paths": {
    "/orders/{id}": {
      "get": {"operationId": "getOrder", "summary": "s",
        "requestBody": {"content": {"application/json": {}}},
        "responses": {"200": {"description": "ok"}, "429": {"description": "", "headers": {"Retry-After": {}}}}}
    },
    "/orders/{orderId}": {"delete": {"operationId": "deleteOrder", "summary": "s",
        "responses": {"204": {"description": "gone"}, "429": {"description": "slow", "headers": {"Retry-After": {}}}}}}
  }
}"#;
    assert_eq!(
        positions(text, crate::load::Format::Json),
        [
            at("OAS017", 2, 3, "\"openapi\""),
            at("OAS018", 10, 9, "\"responses\""),
            at("OAS020", 9, 9, "\"requestBody\""),
            at("OAS021", 12, 5, "\"/orders/{orderId}\""),
            at("OAS034", 10, 76, "\"\""),
            at("OAS035", 3, 52, "\"description\""),
            at("OAS038", 2, 3, "\"openapi\""),
            at("OAS040", 2, 3, "\"openapi\""),
            at("OAS045", 2, 3, "\"openapi\""),
        ]
    );
}

#[test]
fn exact_positions_in_31_yaml() {
    let text = "\
openapi: 3.1.0
info: {title: Shop, version: 2.0.0, description: d, contact: {email: a@b.io}, license: {name: MIT, identifier: MIT}}
servers: [{url: 'https://api.shop.io/v1'}]
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials: {tokenUrl: 'https://a.io/t', scopes: {orders:write: w}}
security: [{oauth: [order:write]}]
paths:
  /orders:
    post:
      operationId: createOrder
      summary: s
      tags: [orders]
      security: [{oauth: []}]
      responses:
        '201': {description: created}
        '429': {description: slow, headers: {Retry-After: {schema: {type: integer}}}}
";
    assert_eq!(
        positions(text, crate::load::Format::Yaml),
        [
            at("OAS016", 18, 7, "responses"),
            at("OAS024", 1, 1, "openapi"),
            at("OAS038", 1, 1, "openapi"),
            at("OAS040", 20, 9, "'429'"),
            at("OAS042", 17, 19, "oauth"),
            at("OAS043", 10, 21, "order:write"),
        ]
    );
}
