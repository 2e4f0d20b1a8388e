//! Shared test harness for the schema rules (helper B): run the whole
//! pipeline on one document and keep the findings of some codes.

use std::sync::Arc;

use backend_check_core::{CommentStyle, Diagnostic, RuleSelection, Sink, SourceFile};

use crate::analyze::check_file;
use crate::load::Format;
use crate::RULES;

/// The findings of `codes` on a YAML document.
pub(crate) fn run_yaml(text: &str, codes: &[&str]) -> Vec<Diagnostic> {
    run(text, Format::Yaml, codes)
}

/// The findings of `codes` on a document.
pub(crate) fn run(text: &str, format: Format, codes: &[&str]) -> Vec<Diagnostic> {
    let style = match format {
        Format::Yaml => CommentStyle::Hash,
        Format::Json => CommentStyle::None,
    };
    let file = Arc::new(SourceFile::new("spec", "spec", text, style));
    let selection = RuleSelection::defaults(RULES);
    let mut sink = Sink::new(&selection);
    check_file(&file, format, std::path::Path::new("."), &mut sink);
    let mut found = sink.into_diagnostics();
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
