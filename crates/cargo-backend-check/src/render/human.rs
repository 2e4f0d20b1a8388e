//! `--format human`: a miette graphical report per finding, then a summary line.

use std::fmt;

use backend_check_core::{Diagnostic, SourceFile};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use rayon::prelude::*;

use backend_check_engine::Report;

/// Options of the human renderer.
#[derive(Debug, Clone)]
pub struct HumanOptions {
    /// Use colour.
    pub color: bool,
    /// Line width to wrap at.
    pub width: usize,
    /// Leave out the summary line.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> HumanOptions {
        HumanOptions {
            color: false,
            width: 100,
            quiet: false,
        }
    }
}

/// Renders every finding (in parallel, written in order) and the summary.
pub fn render(report: &Report, options: &HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = handler(theme, options.width);
    let rendered: Vec<String> = report
        .diagnostics
        .par_iter()
        .map(|d| render_one(&handler, d))
        .collect();
    let mut out = rendered.join("\n");
    if !options.quiet {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&super::summary_line(report));
        out.push('\n');
    }
    out
}

fn handler(theme: GraphicalTheme, width: usize) -> GraphicalReportHandler {
    GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_context_lines(1)
}

/// One finding as miette draws it, or its concise line if drawing fails.
fn render_one(handler: &GraphicalReportHandler, d: &Diagnostic) -> String {
    let mut out = String::new();
    let drawn = match Clipped::of(d) {
        Some(clipped) => handler.render_report(&mut out, &clipped),
        None => handler.render_report(&mut out, d),
    };
    if drawn.is_err() {
        out = format!("{}\n", d.concise());
    }
    out
}

/// Lines longer than this (in bytes) are shown as a window around the finding.
const LONG_LINE: usize = 400;
/// Bytes shown before the finding's start in a window.
const BEFORE: usize = 80;
/// Bytes shown from the finding's start in a window.
const AFTER: usize = 160;

/// A finding on a very long line (minified JSON, a one-line spec), shown as a
/// window of that line: miette would copy and pad the whole line for every
/// finding, and panics on columns past 65,535.
struct Clipped<'a> {
    diagnostic: &'a Diagnostic,
    source: Window,
    labels: Vec<LabeledSpan>,
}

/// The excerpt of one line, with the real line and column of its first character.
struct Window {
    name: String,
    text: String,
    line: usize,
    column: usize,
}

impl<'a> Clipped<'a> {
    /// The window view of `d`, when its primary span starts on a long line.
    fn of(d: &'a Diagnostic) -> Option<Clipped<'a>> {
        let file: &SourceFile = &d.file;
        let line = file.line_index(d.span.start);
        let line_start = file.line_start(line);
        let line_end = line_start + file.line_text(line).len();
        if line_end - line_start <= LONG_LINE {
            return None;
        }
        let text = file.text();
        let from = floor_boundary(text, d.span.start.saturating_sub(BEFORE).max(line_start));
        let to = ceil_boundary(text, (d.span.start + AFTER).min(line_end));
        let prefix = if from > line_start { "…" } else { "" };
        let suffix = if to < line_end { "…" } else { "" };
        let excerpt = format!("{prefix}{}{suffix}", text.get(from..to)?);
        let shift = |offset: usize| offset - from + prefix.len();
        let inside = |start: usize, end: usize| from <= start && end <= to;
        let primary_end = d.span.end.clamp(d.span.start, to);
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            None,
            (shift(d.span.start), primary_end - d.span.start),
        )];
        labels.extend(
            d.labels
                .iter()
                .filter(|l| inside(l.span.start, l.span.end))
                .map(|l| {
                    LabeledSpan::new_with_span(
                        Some(l.message.clone()),
                        (shift(l.span.start), l.span.end - l.span.start),
                    )
                }),
        );
        let column = text.get(line_start..from)?.chars().count() - prefix.chars().count();
        Some(Clipped {
            diagnostic: d,
            source: Window {
                name: file.display_path().to_owned(),
                text: excerpt,
                line,
                column,
            },
            labels,
        })
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            self.line + inner.line(),
            // miette counts bytes; columns are characters, as everywhere else
            if context_lines_before == 0 {
                self.column
                    + self
                        .text
                        .get(..span.offset())
                        .map_or(0, |t| t.chars().count())
            } else {
                self.column
            },
            inner.line_count(),
        )))
    }
}

impl fmt::Debug for Clipped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.diagnostic, f)
    }
}

impl fmt::Display for Clipped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.diagnostic, f)
    }
}

impl std::error::Error for Clipped<'_> {}

impl miette::Diagnostic for Clipped<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::code(self.diagnostic)
    }

    fn severity(&self) -> Option<miette::Severity> {
        miette::Diagnostic::severity(self.diagnostic)
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::help(self.diagnostic)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        miette::Diagnostic::url(self.diagnostic)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use backend_check_core::{CommentStyle, Span};

    use super::*;

    fn finding(text: &str, span: Span) -> Diagnostic {
        let file = Arc::new(SourceFile::new(
            Path::new("spec.json"),
            "spec.json".to_owned(),
            text,
            CommentStyle::None,
        ));
        let rule = backend_check_engine::all_rules()
            .into_iter()
            .find(|r| r.code == "OAS001")
            .unwrap();
        Diagnostic::new(
            rule,
            &file,
            span,
            "a finding far along a long line".to_owned(),
        )
    }

    #[test]
    fn a_finding_far_along_a_long_line_is_shown_in_a_window_with_its_real_position() {
        let mut text = String::from("{\"a\":\"");
        text.push_str(&"é".repeat(40_000));
        text.push_str("\",\"needle\":1}");
        let start = text.find("needle").unwrap();
        let d = finding(&text, Span::new(start, start + 6));
        let out = render_one(&handler(GraphicalTheme::unicode_nocolor(), 100), &d);
        assert!(out.contains("[spec.json:1:40010]"), "{out}");
        assert!(out.contains("needle"), "{out}");
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
    }

    #[test]
    fn short_lines_render_as_before() {
        let d = finding("{\n  \"needle\": 1\n}\n", Span::new(4, 12));
        assert!(Clipped::of(&d).is_none());
        let out = render_one(&handler(GraphicalTheme::unicode_nocolor(), 100), &d);
        assert!(out.contains("[spec.json:2:3]"), "{out}");
    }
}
