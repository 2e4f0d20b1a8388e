//! Turning proc-macro2 spans into byte spans of the real file.

use backend_check_core::{SourceFile, Span};
use proc_macro2::LineColumn;

/// Converts proc-macro2 line/column positions (1-based lines, 0-based
/// character columns, relative to the text syn saw) into byte offsets.
pub struct SpanMap<'a> {
    file: &'a SourceFile,
    /// Characters syn stripped from the start of line 1 (a byte-order mark).
    first_line_shift: usize,
}

impl<'a> SpanMap<'a> {
    /// A map for `file`; `first_line_shift` counts characters removed from line 1 before parsing.
    pub fn new(file: &'a SourceFile, first_line_shift: usize) -> SpanMap<'a> {
        SpanMap {
            file,
            first_line_shift,
        }
    }

    /// The byte offset of a position.
    pub fn offset(&self, at: LineColumn) -> usize {
        let shift = if at.line == 1 {
            self.first_line_shift
        } else {
            0
        };
        self.file.offset_of(at.line, at.column + 1 + shift)
    }

    /// The byte span of a proc-macro2 span.
    pub fn span(&self, span: proc_macro2::Span) -> Span {
        Span::new(self.offset(span.start()), self.offset(span.end()))
    }

    /// From the start of `from` to the end of `to`.
    pub fn join(&self, from: proc_macro2::Span, to: proc_macro2::Span) -> Span {
        Span::new(self.offset(from.start()), self.offset(to.end()))
    }
}
