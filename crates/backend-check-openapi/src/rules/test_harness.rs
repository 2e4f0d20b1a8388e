//! A test harness for the rules: run the whole pipeline on one document and
//! keep the findings of some codes.

use backend_check_core::Diagnostic;

use crate::load::Format;

/// The findings of `codes` on a YAML document.
pub(crate) fn run_yaml(text: &str, codes: &[&str]) -> Vec<Diagnostic> {
    run(text, Format::Yaml, codes)
}

/// The findings of `codes` on a document.
pub(crate) fn run(text: &str, format: Format, codes: &[&str]) -> Vec<Diagnostic> {
    let mut found = crate::tests::lint(text, format).diagnostics;
    found.retain(|d| codes.contains(&d.rule.code));
    found.sort_by_key(|d| (d.span.start, d.rule.code));
    found
}

/// `(code, line, column, message)` of each finding.
pub(crate) fn summary(found: &[Diagnostic]) -> Vec<(&'static str, usize, usize, String)> {
    found
        .iter()
        .map(|d| {
            let at = d.start();
            (d.rule.code, at.line, at.column, d.message.clone())
        })
        .collect()
}
