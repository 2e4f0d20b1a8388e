//! Renderers: each turns a [`Report`] into text. They know no rule.

mod checklist;
mod github;
mod human;
mod json;
mod sarif;

use std::collections::BTreeMap;
use std::fmt::Write;

use backend_check_core::{Diagnostic, Severity};
use backend_check_engine::Report;

pub use human::HumanOptions;

/// The output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// miette reports with snippets.
    Human,
    /// `path:line:col: severity[CODE] message`.
    Concise,
    /// One JSON object.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// A Markdown checklist for a pull-request comment.
    Checklist,
}

/// Renders the report in `format`.
pub fn render(report: &Report, format: Format, human: &HumanOptions) -> String {
    match format {
        Format::Human => human::render(report, human),
        Format::Concise => concise(report, human.quiet),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Checklist => checklist::render(report, human.quiet),
    }
}

fn concise(report: &Report, quiet: bool) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&d.concise());
        out.push('\n');
    }
    if !quiet {
        out.push_str(&summary_line(report));
        out.push('\n');
    }
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Counts of findings per severity.
pub fn severity_counts(diagnostics: &[Diagnostic]) -> (usize, usize, usize) {
    diagnostics
        .iter()
        .fold((0, 0, 0), |(e, w, i), d| match d.severity {
            Severity::Error => (e + 1, w, i),
            Severity::Warning => (e, w + 1, i),
            Severity::Info => (e, w, i + 1),
        })
}

/// `3 errors, 5 warnings in 12 files (41 ms)`.
pub fn summary_line(report: &Report) -> String {
    let (errors, warnings, infos) = severity_counts(&report.diagnostics);
    let mut parts = Vec::new();
    if errors > 0 {
        parts.push(plural(errors, "error", "errors"));
    }
    if warnings > 0 {
        parts.push(plural(warnings, "warning", "warnings"));
    }
    if infos > 0 {
        parts.push(plural(infos, "info", "infos"));
    }
    let findings = if parts.is_empty() {
        "no findings".to_owned()
    } else {
        parts.join(", ")
    };
    format!(
        "{findings} in {} ({} ms)",
        plural(report.files.total(), "file", "files"),
        report.elapsed.as_millis()
    )
}

/// The line printed when no artifact of any kind was found.
pub fn nothing_found_line(report: &Report) -> String {
    format!(
        "nothing to check in {}: looked for OpenAPI documents (.yaml/.yml/.json with a top-level `openapi` or `swagger` key), SQL migrations (sqlx, diesel, refinery, Flyway, golang-migrate, dbmate layouts) and Rust sources (.rs), and found none",
        report
            .targets
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// `--statistics`: findings per rule, most frequent first.
pub fn statistics(report: &Report) -> String {
    let mut counts: BTreeMap<&str, (usize, &str, Severity)> = BTreeMap::new();
    for d in &report.diagnostics {
        let entry = counts
            .entry(d.rule.code)
            .or_insert((0, d.rule.name, d.severity));
        entry.0 += 1;
        entry.2 = entry.2.max(d.severity);
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    let width = rows
        .iter()
        .map(|r| r.1 .0.to_string().len())
        .max()
        .unwrap_or(1);
    let mut out = String::new();
    for (code, (count, name, severity)) in rows {
        let _ = writeln!(out, "{count:>width$}  {code:<7} {name} [{severity}]");
    }
    out
}
