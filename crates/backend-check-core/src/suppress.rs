//! Inline allow comments (`// backend-check: allow(RS001) reason`) and
//! object-level allows (`x-backend-check-allow` in OpenAPI), and the report
//! of allows that suppress nothing.

use std::sync::Arc;

use crate::{Diagnostic, RuleMeta, RuleSelection, SourceFile, Span};

/// What an allow covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowScope {
    /// Diagnostics starting on these 1-based lines (inclusive).
    Lines {
        /// First line.
        first: usize,
        /// Last line.
        last: usize,
    },
    /// Diagnostics whose primary span lies within this byte range.
    Range(Span),
}

/// One rule named in an allow.
#[derive(Debug, Clone)]
pub struct AllowEntry {
    /// The code or name as written.
    pub text: String,
    /// Where it is written.
    pub span: Span,
}

/// An allow comment or object-level allow.
#[derive(Debug, Clone)]
pub struct Allow {
    /// The file the allow is in.
    pub file: Arc<SourceFile>,
    /// The allow as a whole (the comment, or the `x-backend-check-allow` entry).
    pub span: Span,
    /// The rules it names.
    pub entries: Vec<AllowEntry>,
    /// What it covers.
    pub scope: AllowScope,
}

/// The marker that starts an allow inside a comment.
pub const ALLOW_MARKER: &str = "backend-check:";

/// Finds the allow comments of a file in its comment style. An allow on a line
/// of its own covers the next line; an allow after code covers its own line.
pub fn comment_allows(file: &Arc<SourceFile>) -> Vec<Allow> {
    let Some(comment) = file.comment_style().marker() else {
        return Vec::new();
    };
    let text = file.text();
    if !text.contains(ALLOW_MARKER) {
        return Vec::new();
    }
    let mut allows = Vec::new();
    for index in 0..file.line_count() {
        let line = file.line_text(index);
        let Some(marker_at) = line.find(ALLOW_MARKER) else {
            continue;
        };
        let before = line[..marker_at].trim_end();
        let Some(code_part) = before.strip_suffix(comment) else {
            continue;
        };
        let line_start = file.line_start(index);
        let rest_at = marker_at + ALLOW_MARKER.len();
        let Some(entries) = parse_allow_list(&line[rest_at..], line_start + rest_at) else {
            continue;
        };
        let own_line = code_part.trim().is_empty();
        let line_no = index + 1;
        let comment_start = line_start + before.len() - comment.len();
        allows.push(Allow {
            file: Arc::clone(file),
            span: Span::new(comment_start, line_start + line.len()),
            entries,
            scope: AllowScope::Lines {
                first: line_no,
                last: if own_line { line_no + 1 } else { line_no },
            },
        });
    }
    allows
}

/// Parses ` allow(A, B) reason`, returning the entries with absolute spans.
fn parse_allow_list(rest: &str, rest_offset: usize) -> Option<Vec<AllowEntry>> {
    let trimmed = rest.trim_start();
    let lead = rest.len() - trimmed.len();
    let inner_start =
        lead + trimmed.strip_prefix("allow(")?.as_ptr() as usize - trimmed.as_ptr() as usize;
    let close = rest[inner_start..].find(')')? + inner_start;
    let mut entries = Vec::new();
    let mut cursor = inner_start;
    for part in rest[inner_start..close].split(',') {
        let start = cursor + (part.len() - part.trim_start().len());
        let text = part.trim();
        cursor += part.len() + 1;
        if text.is_empty() {
            continue;
        }
        entries.push(AllowEntry {
            text: text.to_owned(),
            span: Span::new(rest_offset + start, rest_offset + start + text.len()),
        });
    }
    Some(entries)
}

fn entry_names(entry: &AllowEntry, rule: &RuleMeta) -> bool {
    entry.text.eq_ignore_ascii_case(rule.code) || entry.text.eq_ignore_ascii_case(rule.name)
}

fn covers(allow: &Allow, diagnostic: &Diagnostic) -> bool {
    if !Arc::ptr_eq(&allow.file, &diagnostic.file) && allow.file.path() != diagnostic.file.path() {
        return false;
    }
    match allow.scope {
        AllowScope::Lines { first, last } => {
            let line = diagnostic.start().line;
            first <= line && line <= last
        }
        AllowScope::Range(range) => range.contains(diagnostic.span),
    }
}

/// Removes the diagnostics that an allow covers, and returns the allows (or
/// their entries) that covered nothing as [`crate::rules::UnusedAllow`] diagnostics.
/// An entry naming a rule that is not enabled is not reported: the allow may
/// matter under another configuration.
pub fn apply_allows(
    diagnostics: &mut Vec<Diagnostic>,
    allows: &[Allow],
    rules: &[&'static RuleMeta],
    selection: &RuleSelection,
) -> Vec<Diagnostic> {
    let mut used: Vec<Vec<bool>> = allows
        .iter()
        .map(|a| vec![false; a.entries.len()])
        .collect();
    diagnostics.retain(|diagnostic| {
        let mut keep = true;
        for (a, allow) in allows.iter().enumerate() {
            if !covers(allow, diagnostic) {
                continue;
            }
            for (e, entry) in allow.entries.iter().enumerate() {
                if entry_names(entry, diagnostic.rule) {
                    used[a][e] = true;
                    keep = false;
                }
            }
        }
        keep
    });
    let mut unused = Vec::new();
    for (a, allow) in allows.iter().enumerate() {
        for (e, entry) in allow.entries.iter().enumerate() {
            if used[a][e] {
                continue;
            }
            match rules.iter().find(|r| entry_names(entry, r)) {
                None => unused.push(
                    Diagnostic::new(
                        &crate::rules::UnusedAllow::META,
                        &allow.file,
                        entry.span,
                        format!("allow names `{}`, which is not a rule", entry.text),
                    )
                    .with_help(
                        "name a rule by its code or name; `cargo backend-check rules` lists them",
                    ),
                ),
                Some(rule) if selection.is_enabled(rule) => unused.push(
                    Diagnostic::new(
                        &crate::rules::UnusedAllow::META,
                        &allow.file,
                        entry.span,
                        format!("allow of {} ({}) suppresses nothing", rule.code, rule.name),
                    )
                    .with_help("remove it: the finding it allowed is gone"),
                ),
                Some(_) => {}
            }
        }
    }
    unused
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CommentStyle;

    fn sql(text: &str) -> Arc<SourceFile> {
        Arc::new(SourceFile::new(
            "m.sql",
            "m.sql",
            text,
            CommentStyle::DoubleDash,
        ))
    }

    #[test]
    fn own_line_allow_covers_the_next_line() {
        let f = sql(
            "-- backend-check: allow(SQL001, RS002) the table is tiny\nCREATE INDEX a ON t (x);\n",
        );
        let allows = comment_allows(&f);
        assert_eq!(allows.len(), 1);
        assert_eq!(allows[0].scope, AllowScope::Lines { first: 1, last: 2 });
        let names: Vec<_> = allows[0].entries.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(names, ["SQL001", "RS002"]);
        assert_eq!(f.slice(allows[0].entries[1].span), "RS002");
    }

    #[test]
    fn trailing_allow_covers_its_own_line_only() {
        let f = sql("CREATE INDEX a ON t (x); -- backend-check: allow(SQL001)\nSELECT 1;\n");
        let allows = comment_allows(&f);
        assert_eq!(allows[0].scope, AllowScope::Lines { first: 1, last: 1 });
        assert_eq!(f.slice(allows[0].span), "-- backend-check: allow(SQL001)");
    }

    #[test]
    fn marker_outside_a_comment_is_not_an_allow() {
        let f = sql("SELECT 'backend-check: allow(SQL001)';\n");
        assert!(comment_allows(&f).is_empty());
    }
}
