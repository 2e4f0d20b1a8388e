//! dbmate files: one file with `-- migrate:up` and `-- migrate:down` sections.

use backend_check_core::Span;

/// The up and down sections of a dbmate file, as byte ranges of the file.
/// Each section starts at the beginning of the line after its marker, so the
/// statement splitter can keep line numbers; the up section ends where the
/// down marker's line begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sections {
    pub up: Option<Span>,
    pub down: Option<Span>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Up,
    Down,
}

/// Whether the text has a dbmate marker line.
pub(crate) fn has_markers(text: &str) -> bool {
    lines(text).any(|(_, _, line)| marker(line).is_some())
}

/// Splits a dbmate file into its sections; `None` when it has no marker.
pub(crate) fn split(text: &str) -> Option<Sections> {
    let mut markers = Vec::new();
    for (start, next, line) in lines(text) {
        if let Some(kind) = marker(line) {
            markers.push((kind, start, next));
        }
    }
    if markers.is_empty() {
        return None;
    }
    let mut sections = Sections {
        up: None,
        down: None,
    };
    for (i, &(kind, _, body_start)) in markers.iter().enumerate() {
        let body_end = markers.get(i + 1).map_or(text.len(), |m| m.1);
        let span = Some(Span::new(body_start, body_end));
        match kind {
            Marker::Up if sections.up.is_none() => sections.up = span,
            Marker::Down if sections.down.is_none() => sections.down = span,
            _ => {}
        }
    }
    Some(sections)
}

/// `(line start, next line start, line text)` for every line.
fn lines(text: &str) -> impl Iterator<Item = (usize, usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |line| {
        let start = offset;
        offset += line.len();
        (start, offset, line)
    })
}

/// `-- migrate:up` / `-- migrate:down`, optionally followed by options such as
/// `transaction:false`.
fn marker(line: &str) -> Option<Marker> {
    let rest = line.trim_start().strip_prefix("--")?.trim_start();
    let rest = rest.strip_prefix("migrate:")?;
    let word: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
    match word.as_str() {
        "up" => Some(Marker::Up),
        "down" => Some(Marker::Down),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_up_and_down_at_line_starts() {
        let text = "-- migrate:up\r\nCREATE TABLE t (id int);\r\n\r\n-- migrate:down transaction:false\r\nDROP TABLE t;\r\n";
        let s = split(text).unwrap();
        let up = s.up.unwrap();
        assert_eq!(&text[up.start..up.end], "CREATE TABLE t (id int);\r\n\r\n");
        let down = s.down.unwrap();
        assert_eq!(&text[down.start..down.end], "DROP TABLE t;\r\n");
    }

    #[test]
    fn up_only_file() {
        let text = "-- a header\n-- migrate:up\nSELECT 1;";
        let s = split(text).unwrap();
        assert_eq!(&text[s.up.unwrap().start..], "SELECT 1;");
        assert_eq!(s.down, None);
    }

    #[test]
    fn files_without_markers_are_not_dbmate() {
        assert!(!has_markers("-- migrate up\nSELECT 1;"));
        assert_eq!(split("SELECT 1;"), None);
        assert!(has_markers("  --migrate:down\n"));
    }
}
