//! The diagnostic every rule produces and every renderer reads.

use std::fmt;
use std::sync::Arc;

use miette::{LabeledSpan, SourceCode};

use crate::{LineCol, RuleMeta, Severity, SourceFile, Span};

/// A secondary label: another place in the same file that explains the finding.
#[derive(Debug, Clone)]
pub struct Label {
    /// The bytes the label points at.
    pub span: Span,
    /// What the label says.
    pub message: String,
}

/// One finding: a rule, a place in a file, a message and a help line.
#[derive(Clone)]
pub struct Diagnostic {
    /// The rule that produced the finding.
    pub rule: &'static RuleMeta,
    /// The effective severity (the rule's default unless a rule or the configuration chose another).
    pub severity: Severity,
    /// What is wrong, lower-case, no trailing period.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The file the finding is in.
    pub file: Arc<SourceFile>,
    /// The primary span.
    pub span: Span,
    /// Optional secondary labels in the same file.
    pub labels: Vec<Label>,
}

impl fmt::Debug for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.concise())
    }
}

impl Diagnostic {
    /// A finding of `rule` at `span` in `file`, at the rule's default severity.
    pub fn new(
        rule: &'static RuleMeta,
        file: &Arc<SourceFile>,
        span: Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        let text_len = file.text().len();
        let start = file.floor_char_boundary(span.start.min(text_len));
        let end = file.floor_char_boundary(span.end.clamp(start, text_len));
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            help: None,
            file: Arc::clone(file),
            span: Span { start, end },
            labels: Vec::new(),
        }
    }

    /// Adds the help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets a severity other than the rule's default (for graded rules).
    #[must_use]
    pub fn with_severity(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Where the primary span starts.
    pub fn start(&self) -> LineCol {
        self.file.line_col(self.span.start)
    }

    /// Where the primary span ends (exclusive); equal to the start for an empty span.
    pub fn end(&self) -> LineCol {
        self.file.line_col(self.span.end)
    }

    /// `path:line:col: severity[CODE] message`.
    pub fn concise(&self) -> String {
        let start = self.start();
        format!(
            "{}:{}:{}: {}[{}] {}",
            self.file.display_path(),
            start.line,
            start.column,
            self.severity,
            self.rule.code,
            self.message
        )
    }

    /// The message, then the help line (`help: …`) on a line of its own.
    pub fn message_with_help(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        }
    }

    /// The text of the primary span.
    pub fn snippet(&self) -> &str {
        self.file.slice(self.span)
    }

    /// The key diagnostics are sorted by: path, line, column, code, message.
    pub fn sort_key(&self) -> (&str, usize, usize, &str, &str) {
        let start = self.start();
        (
            self.file.display_path(),
            start.line,
            start.column,
            self.rule.code,
            &self.message,
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diagnostic {}

impl miette::Diagnostic for Diagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(format!("{} {}", self.rule.code, self.rule.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.rule.url()))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&*self.file)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(None, self.span);
        let secondary = self
            .labels
            .iter()
            .map(|l| LabeledSpan::new_with_span(Some(l.message.clone()), l.span));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}
