//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning.

use std::collections::HashMap;
use std::path::Path;

use backend_check_core::{RuleMeta, Severity};
use serde_json::{json, Value};

use backend_check_engine::fingerprint::fingerprints;
use backend_check_engine::Report;

const SRCROOT: &str = "%SRCROOT%";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Percent-encodes a path for a URI, keeping `/` and unreserved characters.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn root_uri(root: &Path) -> String {
    let mut text = root.to_string_lossy().replace('\\', "/");
    if !text.starts_with('/') {
        text.insert(0, '/');
    }
    if !text.ends_with('/') {
        text.push('/');
    }
    format!("file://{}", encode_path(&text))
}

fn artifact_location(display_path: &str) -> Value {
    if display_path.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(display_path)) })
    } else {
        json!({ "uri": encode_path(display_path), "uriBaseId": SRCROOT })
    }
}

fn rule_descriptor(rule: &RuleMeta) -> Value {
    let doc = rule.doc_markdown();
    let mut tags = vec![json!(rule.analyzer().dir()), json!(rule.group.id())];
    if let Some(checklist) = rule.checklist {
        tags.insert(0, json!(checklist.id()));
    }
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": doc, "markdown": doc },
        "help": { "text": format!("{}: {}", rule.summary, rule.url()), "markdown": doc },
        "helpUri": rule.url(),
        "defaultConfiguration": { "level": level(rule.severity), "enabled": rule.default_enabled() },
        "properties": { "tags": tags, "group": rule.group.id() },
    })
}

/// Renders the report as a SARIF log with one run.
pub fn render(report: &Report) -> String {
    let rules = report.enabled_rules();
    let index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();
    let prints = fingerprints(&report.diagnostics);
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .zip(prints)
        .map(|(d, print)| {
            let start = d.start();
            let end = d.end();
            let message = d.message_with_help();
            let mut result = json!({
                "ruleId": d.rule.code,
                "level": level(d.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(d.file.display_path()),
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    }
                }],
                "partialFingerprints": { "backendCheck/v1": print },
                "properties": { "group": d.rule.group.id() },
            });
            if let (Some(i), Some(obj)) = (index.get(d.rule.code), result.as_object_mut()) {
                obj.insert("ruleIndex".to_owned(), json!(i));
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": env!("CARGO_PKG_NAME"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": { SRCROOT: { "uri": root_uri(&report.root) } },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("api docs/v1#.yaml"), "api%20docs/v1%23.yaml");
        assert_eq!(root_uri(Path::new("/w/my repo")), "file:///w/my%20repo/");
    }
}
