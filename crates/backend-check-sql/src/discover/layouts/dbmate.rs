//! dbmate and goose files: one file with `-- migrate:up` / `-- migrate:down`
//! (dbmate) or `-- +goose Up` / `-- +goose Down` (goose) sections.

use std::sync::Arc;

use backend_check_core::{SourceFile, Span};

use super::super::transaction;
use crate::model::{Direction, Migration, Script, Transaction};

/// The up and down sections of a dbmate file, as byte ranges of the file.
/// Each section starts at the beginning of the line after its marker, so the
/// statement splitter can keep line numbers; the up section ends where the
/// down marker's line begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Sections {
    pub up: Option<Span>,
    pub down: Option<Span>,
    /// Whether the up marker line says `transaction:false` (dbmate).
    pub up_opts_out: bool,
    /// Whether the down marker line says `transaction:false` (dbmate).
    pub down_opts_out: bool,
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

/// Whether the text has a goose `-- +goose Up` marker line.
pub(crate) fn has_goose_markers(text: &str) -> bool {
    lines(text).any(|(_, _, line)| goose_marker(line).is_some())
}

/// Splits a dbmate file into its sections; `None` when it has no marker.
pub(crate) fn split(text: &str) -> Option<Sections> {
    split_by(text, marker)
}

/// Splits a goose file into its sections; `None` when it has no marker.
pub(crate) fn split_goose(text: &str) -> Option<Sections> {
    split_by(text, goose_marker)
}

fn split_by(text: &str, marker: fn(&str) -> Option<Marker>) -> Option<Sections> {
    let mut markers = Vec::new();
    for (start, next, line) in lines(text) {
        if let Some(kind) = marker(line) {
            markers.push((
                kind,
                start,
                next,
                super::super::transaction::dbmate_marker_opts_out(line),
            ));
        }
    }
    if markers.is_empty() {
        return None;
    }
    let mut sections = Sections {
        up: None,
        down: None,
        up_opts_out: false,
        down_opts_out: false,
    };
    for (i, &(kind, _, body_start, opts_out)) in markers.iter().enumerate() {
        let body_end = markers.get(i + 1).map_or(text.len(), |m| m.1);
        let span = Some(Span::new(body_start, body_end));
        match kind {
            Marker::Up if sections.up.is_none() => {
                sections.up = span;
                sections.up_opts_out = opts_out;
            }
            Marker::Down if sections.down.is_none() => {
                sections.down = span;
                sections.down_opts_out = opts_out;
            }
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

/// `-- +goose Up` / `-- +goose Down` (other goose annotations are not section markers).
fn goose_marker(line: &str) -> Option<Marker> {
    let rest = line.trim_start().strip_prefix("--")?.trim_start();
    let word = rest.strip_prefix("+goose")?.trim();
    if word.eq_ignore_ascii_case("up") {
        Some(Marker::Up)
    } else if word.eq_ignore_ascii_case("down") {
        Some(Marker::Down)
    } else {
        None
    }
}

/// Splits a dbmate or goose file into its up and down scripts, each with the
/// transaction mode its markers give.
pub(super) fn add_sections(migration: &mut Migration, file: Arc<SourceFile>, goose: bool) {
    let split = if goose {
        split_goose(file.text())
    } else {
        split(file.text())
    };
    let Some(sections) = split else {
        migration.up = Some(Script::whole(file, Direction::Up, false));
        return;
    };
    let goose_out = goose && transaction::goose_opts_out(file.text());
    let script = |section: Span, direction, opts_out: bool| Script {
        file: Arc::clone(&file),
        section,
        direction,
        autocommit: false,
        transaction: match (opts_out, goose) {
            (false, _) => Transaction::Wrapped,
            (true, true) => Transaction::OptedOut {
                why: "the file has `-- +goose NO TRANSACTION`",
            },
            (true, false) => Transaction::OptedOut {
                why: "its `-- migrate:` marker says `transaction:false`",
            },
        },
        statements: Vec::new(),
    };
    migration.up = sections
        .up
        .map(|s| script(s, Direction::Up, sections.up_opts_out || goose_out));
    migration.down = sections
        .down
        .map(|s| script(s, Direction::Down, sections.down_opts_out || goose_out));
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
    fn goose_sections() {
        let text = "-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose StatementEnd\n-- +goose Down\nSELECT 2;\n";
        let s = split_goose(text).unwrap();
        assert!(text[s.up.unwrap().start..s.up.unwrap().end].contains("SELECT 1;"));
        assert_eq!(&text[s.down.unwrap().start..], "SELECT 2;\n");
        assert!(has_goose_markers(text) && !has_markers(text));
    }

    #[test]
    fn files_without_markers_are_not_dbmate() {
        assert!(!has_markers("-- migrate up\nSELECT 1;"));
        assert_eq!(split("SELECT 1;"), None);
        assert!(has_markers("  --migrate:down\n"));
    }
}
