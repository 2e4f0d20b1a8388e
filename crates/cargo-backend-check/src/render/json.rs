//! `--format json`: one object, stable across releases (fields are added, never renamed).

use serde::Serialize;

use super::severity_counts;
use backend_check_engine::Report;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    checklist: Option<&'static str>,
    group: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    url: String,
    path: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let (errors, warnings, infos) = severity_counts(&report.diagnostics);
    let output = Output {
        version: 1,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        diagnostics: report
            .diagnostics
            .iter()
            .map(|d| {
                let start = d.start();
                let end = d.end();
                JsonDiagnostic {
                    code: d.rule.code,
                    name: d.rule.name,
                    severity: d.severity.as_str(),
                    checklist: d.rule.checklist.map(|c| c.id()),
                    group: d.rule.group.id(),
                    message: &d.message,
                    help: d.help.as_deref(),
                    url: d.rule.url(),
                    path: d.file.display_path(),
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                }
            })
            .collect(),
        summary: Summary {
            files: report.files.total(),
            errors,
            warnings,
            infos,
        },
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_else(|e| {
        format!("{{\"version\":1,\"error\":\"cannot serialise the report: {e}\"}}")
    });
    text.push('\n');
    text
}
