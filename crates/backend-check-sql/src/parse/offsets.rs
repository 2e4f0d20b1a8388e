//! Turns the tokenizer's line/column locations into byte offsets of the file.

use backend_check_core::SourceFile;
use sqlparser::tokenizer::Location;

/// Converts locations of a script into byte offsets of its file. The
/// tokenizer counts lines from 1 at the start of the script and columns in
/// characters, as [`SourceFile::offset_of`] does; locations must be asked for
/// in increasing order (tokens come that way), so each conversion only walks
/// the characters since the previous one and long lines stay linear.
pub(crate) struct OffsetCursor<'a> {
    file: &'a SourceFile,
    section_start: usize,
    first_line: usize,
    line: u64,
    column: u64,
    offset: usize,
}

impl<'a> OffsetCursor<'a> {
    /// A cursor for a script starting at byte `section_start` of `file`.
    pub(crate) fn new(file: &'a SourceFile, section_start: usize) -> OffsetCursor<'a> {
        OffsetCursor {
            file,
            section_start,
            first_line: file.line_index(section_start),
            line: 1,
            column: 1,
            offset: section_start,
        }
    }

    /// The byte offset of a location of the script (the script start for the
    /// empty location, clamped to the end of its line).
    pub(crate) fn offset(&mut self, location: Location) -> usize {
        if location.line == 0 {
            return self.section_start;
        }
        if location.line != self.line || location.column < self.column {
            self.jump_to_line(location.line);
        }
        self.walk_to_column(location.column);
        self.offset
    }

    fn jump_to_line(&mut self, line: u64) {
        self.line = line;
        self.column = 1;
        self.offset = if line == 1 {
            self.section_start
        } else {
            let index = usize::try_from(line - 1).unwrap_or(usize::MAX);
            self.file.line_start(self.first_line.saturating_add(index))
        };
    }

    fn walk_to_column(&mut self, column: u64) {
        let text = self.file.text();
        while self.column < column {
            let Some(c) = text.get(self.offset..).and_then(|rest| rest.chars().next()) else {
                return;
            };
            if c == '\n' {
                return;
            }
            self.offset += c.len_utf8();
            self.column += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backend_check_core::CommentStyle;

    #[test]
    fn agrees_with_offset_of_on_whole_files() {
        let file = SourceFile::new("t", "t", "ab\r\nçé x\n\ty", CommentStyle::DoubleDash);
        let mut cursor = OffsetCursor::new(&file, 0);
        for (line, column) in [(1, 1), (1, 3), (2, 1), (2, 3), (2, 4), (3, 2)] {
            assert_eq!(
                cursor.offset(Location::new(line, column)),
                file.offset_of(line as usize, column as usize),
                "{line}:{column}"
            );
        }
    }

    #[test]
    fn sections_count_lines_from_their_start() {
        let file = SourceFile::new(
            "t",
            "t",
            "-- up\nSELECT 1;\nSELECT é;\n",
            CommentStyle::DoubleDash,
        );
        let start = file.text().find("SELECT").unwrap();
        let mut cursor = OffsetCursor::new(&file, start);
        assert_eq!(cursor.offset(Location::new(1, 1)), start);
        let second = file.text().rfind("SELECT").unwrap();
        assert_eq!(cursor.offset(Location::new(2, 8)), second + 7);
        assert_eq!(cursor.offset(Location::new(2, 9)), second + 9);
    }
}
