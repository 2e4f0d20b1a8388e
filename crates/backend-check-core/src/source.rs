//! Source files with a line index that miette reads through.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A byte range in a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Span {
        if end < start {
            Span {
                start: end,
                end: start,
            }
        } else {
            Span { start, end }
        }
    }

    /// An empty span at `offset`.
    pub fn at(offset: usize) -> Span {
        Span {
            start: offset,
            end: offset,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether `other` lies within this span.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> SourceSpan {
        SourceSpan::new(span.start.into(), span.len())
    }
}

impl From<std::ops::Range<usize>> for Span {
    fn from(range: std::ops::Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

/// A 1-based line and column; the column counts Unicode scalar values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// The kind of comment a file's allow comments are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentStyle {
    /// `# …` (YAML).
    Hash,
    /// `-- …` (SQL).
    DoubleDash,
    /// `// …` (Rust).
    DoubleSlash,
    /// No comments (JSON).
    None,
}

impl CommentStyle {
    /// The comment marker.
    pub fn marker(self) -> Option<&'static str> {
        match self {
            CommentStyle::Hash => Some("#"),
            CommentStyle::DoubleDash => Some("--"),
            CommentStyle::DoubleSlash => Some("//"),
            CommentStyle::None => None,
        }
    }
}

/// A file's text with an index of line starts.
pub struct SourceFile {
    path: PathBuf,
    display: String,
    text: String,
    line_starts: Vec<usize>,
    /// Character counts at byte marks about every 4 KiB (empty for ASCII text,
    /// where a column is a byte distance): minified JSON puts megabytes on one
    /// line, and counting characters from its start per finding is quadratic.
    char_marks: Vec<(usize, usize)>,
    comment_style: CommentStyle,
}

impl fmt::Debug for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceFile")
            .field("path", &self.display)
            .field("len", &self.text.len())
            .finish()
    }
}

/// The outcome of reading a file that exists.
pub struct LoadedSource {
    /// The file (decoded lossily when it was not UTF-8).
    pub file: SourceFile,
    /// The offset of the first byte that is not UTF-8, if any.
    pub invalid_utf8_at: Option<usize>,
}

/// A file's text from its bytes: UTF-8, or UTF-16 when the file starts with
/// a UTF-16 byte-order mark (`FF FE` little-endian, `FE FF` big-endian, as
/// Windows editors and PowerShell's `Out-File` write; the mark is kept as
/// U+FEFF, as a UTF-8 one is). Text that is neither is decoded lossily, and
/// the offset of the first undecodable character in the returned text is
/// given beside it, so the caller can report it.
pub fn decode(bytes: Vec<u8>) -> (String, Option<usize>) {
    let utf16 = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => Some(u16::from_le_bytes as fn([u8; 2]) -> u16),
        Some([0xFE, 0xFF]) => Some(u16::from_be_bytes as fn([u8; 2]) -> u16),
        _ => None,
    };
    if let Some(unit) = utf16 {
        let units = bytes.chunks(2).map(|pair| match pair {
            [a, b] => unit([*a, *b]),
            _ => 0xFFFD,
        });
        let mut text = String::with_capacity(bytes.len());
        let mut bad = None;
        for c in char::decode_utf16(units) {
            let c = c.unwrap_or_else(|_| {
                bad.get_or_insert(text.len());
                char::REPLACEMENT_CHARACTER
            });
            text.push(c);
        }
        if bytes.len() % 2 == 1 {
            bad.get_or_insert(text.len());
        }
        return (text, bad);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            (
                String::from_utf8_lossy(err.as_bytes()).into_owned(),
                Some(at),
            )
        }
    }
}

impl SourceFile {
    /// A file from its text. `display` is the path shown to the user.
    pub fn new(
        path: impl Into<PathBuf>,
        display: impl Into<String>,
        text: impl Into<String>,
        comment_style: CommentStyle,
    ) -> SourceFile {
        let text = text.into();
        let line_starts = line_starts(&text);
        let char_marks = char_marks(&text);
        SourceFile {
            path: path.into(),
            display: display.into(),
            text,
            line_starts,
            char_marks,
            comment_style,
        }
    }

    /// Reads a file from disk. A file that is not UTF-8 is decoded lossily and
    /// the offset of the first bad byte is returned, so the caller can report it.
    pub fn read(
        path: &Path,
        display: impl Into<String>,
        comment_style: CommentStyle,
    ) -> std::io::Result<LoadedSource> {
        SourceFile::read_from(&crate::FileSystem, path, display, comment_style)
    }

    /// Reads a file from `sources`, as [`SourceFile::read`] does from disk.
    pub fn read_from(
        sources: &dyn crate::Sources,
        path: &Path,
        display: impl Into<String>,
        comment_style: CommentStyle,
    ) -> std::io::Result<LoadedSource> {
        let (text, invalid_utf8_at) = decode(sources.read(path)?);
        Ok(LoadedSource {
            file: SourceFile::new(path, display, text, comment_style),
            invalid_utf8_at,
        })
    }

    /// The path on disk.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The path as shown to the user (relative to the working directory when below it).
    pub fn display_path(&self) -> &str {
        &self.display
    }

    /// The whole text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The comment syntax used for allow comments.
    pub fn comment_style(&self) -> CommentStyle {
        self.comment_style
    }

    /// Number of lines (a final line without newline counts; an empty file has one line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The byte offset where the 0-based line `index` starts.
    pub fn line_start(&self, index: usize) -> usize {
        self.line_starts
            .get(index)
            .copied()
            .unwrap_or(self.text.len())
    }

    /// The 0-based line that holds byte `offset`.
    pub fn line_index(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1)
    }

    /// The text of the 0-based line `index`, without its line ending.
    pub fn line_text(&self, index: usize) -> &str {
        let start = self.line_start(index);
        let end = self.line_content_end(index);
        self.text.get(start..end).unwrap_or("")
    }

    /// The end of the 0-based line `index` before its `\n` or `\r\n`.
    fn line_content_end(&self, index: usize) -> usize {
        let next = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let bytes = self.text.as_bytes();
        let mut end = next;
        if end > self.line_start(index) && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
            if end > self.line_start(index) && bytes.get(end - 1) == Some(&b'\r') {
                end -= 1;
            }
        }
        end
    }

    /// The largest char boundary at or before `offset`.
    pub fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// The 1-based line and character column of byte `offset`.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = self.floor_char_boundary(offset);
        let line = self.line_index(offset);
        let start = self.line_start(line);
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        LineCol {
            line: line + 1,
            column,
        }
    }

    /// How many characters precede byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        if self.char_marks.is_empty() {
            return offset;
        }
        let at = self.char_marks.partition_point(|(byte, _)| *byte <= offset);
        let (byte, chars) = at
            .checked_sub(1)
            .and_then(|i| self.char_marks.get(i))
            .copied()
            .unwrap_or((0, 0));
        chars + self.text.get(byte..offset).map_or(0, |s| s.chars().count())
    }

    /// The byte offset of a 1-based line and character column (clamped to the line).
    pub fn offset_of(&self, line: usize, column: usize) -> usize {
        let index = line
            .saturating_sub(1)
            .min(self.line_count().saturating_sub(1));
        let start = self.line_start(index);
        let end = self.line_content_end(index);
        let text = self.text.get(start..end).unwrap_or("");
        let skip = column.saturating_sub(1);
        text.char_indices()
            .nth(skip)
            .map_or(end, |(i, _)| start + i)
    }

    /// The text a span covers (empty when out of range).
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }
}

fn char_marks(text: &str) -> Vec<(usize, usize)> {
    const STEP: usize = 4096;
    if text.is_ascii() {
        return Vec::new();
    }
    let mut marks = vec![(0, 0)];
    let mut last = 0;
    for (chars, (byte, _)) in text.char_indices().enumerate() {
        if byte >= last + STEP {
            marks.push((byte, chars));
            last = byte;
        }
    }
    marks
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
    starts
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .map(|(i, _)| i)
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.line_index(start);
        let last_line = if span.is_empty() {
            first_line
        } else {
            self.line_index(end - 1)
        };
        let from_line = first_line.saturating_sub(context_lines_before);
        let to_line = (last_line + context_lines_after).min(self.line_count() - 1);
        // As miette's own sources do: with no lines before, the contents start
        // at the span and carry its column (the report header shows it).
        let (from, column) = if context_lines_before == 0 {
            (start, self.line_col(start).column - 1)
        } else {
            (self.line_start(from_line), 0)
        };
        let to = self
            .line_starts
            .get(to_line + 1)
            .copied()
            .unwrap_or(self.text.len());
        let data = &self.text.as_bytes()[from..to];
        Ok(Box::new(MietteSpanContents::new_named(
            self.display.clone(),
            data,
            SourceSpan::new(from.into(), to - from),
            from_line,
            column,
            to_line - from_line + 1,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_a_byte_order_mark_is_decoded() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("a: é\n".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le), ("\u{feff}a: é\n".to_owned(), None));
        let mut be = vec![0xFE, 0xFF];
        be.extend("x".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be), ("\u{feff}x".to_owned(), None));
        // A lone surrogate and an odd trailing byte are marked.
        let (text, bad) = decode(vec![0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0]);
        assert_eq!(text, "\u{feff}a\u{fffd}b");
        assert_eq!(bad, Some(4));
        assert_eq!(
            decode(b"ok\xff".to_vec()),
            ("ok\u{fffd}".to_owned(), Some(2))
        );
    }

    fn file(text: &str) -> SourceFile {
        SourceFile::new("t", "t", text, CommentStyle::None)
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = file("héllo wörld\nx");
        let at_w = f.text().find('w').unwrap();
        assert_eq!(f.line_col(at_w), LineCol { line: 1, column: 7 });
        assert_eq!(
            f.line_col(f.text().len() - 1),
            LineCol { line: 2, column: 1 }
        );
    }

    #[test]
    fn ascii_and_non_ascii_text_give_the_same_columns() {
        let ascii = file("{\"a\": 1, \"b\": 2}");
        let wide = file("{\"é\": 1, \"b\": 2}");
        let b = |f: &SourceFile| f.text().find('b').unwrap();
        assert_eq!(
            ascii.line_col(b(&ascii)),
            LineCol {
                line: 1,
                column: 11
            }
        );
        assert_eq!(
            wide.line_col(b(&wide)),
            LineCol {
                line: 1,
                column: 11
            }
        );
    }

    #[test]
    fn columns_on_a_long_non_ascii_line_count_characters() {
        let text = format!("x\n{}z", "é".repeat(10_000));
        let f = file(&text);
        let z = f.text().find('z').unwrap();
        assert_eq!(
            f.line_col(z),
            LineCol {
                line: 2,
                column: 10_001
            }
        );
        let mid = (f.text().len() / 2) & !1;
        let expected = f.text()[2..mid].chars().count() + 1;
        assert_eq!(f.line_col(mid).column, expected);
    }

    #[test]
    fn crlf_lines_are_counted_once() {
        let f = file("a\r\nbc\r\nd");
        assert_eq!(f.line_count(), 3);
        assert_eq!(f.line_text(1), "bc");
        let d = f.text().find('d').unwrap();
        assert_eq!(f.line_col(d), LineCol { line: 3, column: 1 });
        assert_eq!(f.offset_of(2, 2), f.text().find('c').unwrap());
    }

    #[test]
    fn offset_inside_a_multibyte_char_snaps_back() {
        let f = file("€x");
        assert_eq!(f.line_col(1), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn end_of_text_is_a_valid_position() {
        let f = file("ab\n");
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        assert_eq!(f.line_col(99), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn read_span_returns_whole_context_lines() {
        let f = file("one\ntwo\nthree\nfour\n");
        let two = f.text().find("two").unwrap();
        let contents = f.read_span(&SourceSpan::new(two.into(), 3), 1, 1).unwrap();
        assert_eq!(
            std::str::from_utf8(contents.data()).unwrap(),
            "one\ntwo\nthree\n"
        );
        assert_eq!(contents.line(), 0);
        assert_eq!(contents.line_count(), 3);
    }
}
