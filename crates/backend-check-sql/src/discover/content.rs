//! The dialect a set's text shows: syntax only one database has.

use backend_check_core::SqlDialect;

/// How often each database's own syntax occurs in some SQL text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Markers {
    pub(crate) postgres: usize,
    pub(crate) mysql: usize,
    pub(crate) sqlite: usize,
    /// `BLOB`: not PostgreSQL, but both SQLite and MySQL have it.
    pub(crate) blob: usize,
}

impl Markers {
    /// Counts the markers in `text`, outside comments and string literals.
    pub(crate) fn scan(text: &str) -> Markers {
        let mut markers = Markers::default();
        let tokens = tokens(text);
        for (i, token) in tokens.iter().enumerate() {
            let next = tokens.get(i + 1).copied();
            let after = tokens.get(i + 2).copied();
            markers.count(*token, next, after);
        }
        markers
    }

    /// Adds the counts of another text.
    pub(crate) fn add(&mut self, other: Markers) {
        self.postgres += other.postgres;
        self.mysql += other.mysql;
        self.sqlite += other.sqlite;
        self.blob += other.blob;
    }

    fn count(&mut self, token: Token<'_>, next: Option<Token<'_>>, after: Option<Token<'_>>) {
        match token {
            Token::Backticked => self.mysql += 1,
            Token::DollarQuoted | Token::DoubleColon => self.postgres += 1,
            Token::Word(word) => self.count_word(word, next, after),
            Token::Punct(_) | Token::Literal | Token::Number => {}
        }
    }

    fn count_word(&mut self, word: &str, next: Option<Token<'_>>, after: Option<Token<'_>>) {
        let upper = word.to_ascii_uppercase();
        let called = next == Some(Token::Punct('('));
        let assigned = next == Some(Token::Punct('='));
        match upper.as_str() {
            "AUTOINCREMENT" | "PRAGMA" => self.sqlite += 1,
            "STRFTIME" | "JULIANDAY" if called => self.sqlite += 1,
            // MySQL's `DATETIME(6)` is a type with a precision, not a call.
            "DATETIME" if called && after != Some(Token::Number) => self.sqlite += 1,
            "WITHOUT" if matches!(next, Some(Token::Word(w)) if w.eq_ignore_ascii_case("ROWID")) => {
                self.sqlite += 1;
            }
            "AUTO_INCREMENT" | "UNSIGNED" | "TINYBLOB" | "MEDIUMBLOB" | "LONGBLOB" => {
                self.mysql += 1;
            }
            "ENGINE" | "CHARSET" if assigned => self.mysql += 1,
            "BLOB" => self.blob += 1,
            "BIGSERIAL" | "TIMESTAMPTZ" | "JSONB" => self.postgres += 1,
            _ => {}
        }
    }

    /// The dialect the markers point to, `None` when there are none: the one
    /// with the most hits, PostgreSQL on a tie; `BLOB` counts for SQLite unless
    /// MySQL markers are present.
    pub(crate) fn dialect(&self) -> Option<SqlDialect> {
        let sqlite = if self.mysql == 0 {
            self.sqlite + self.blob
        } else {
            self.sqlite
        };
        if self.postgres + self.mysql + sqlite == 0 {
            return None;
        }
        let best = self.postgres.max(self.mysql).max(sqlite);
        let leaders = [self.postgres, self.mysql, sqlite]
            .iter()
            .filter(|n| **n == best)
            .count();
        Some(if leaders > 1 || self.postgres == best {
            SqlDialect::Postgres
        } else if self.mysql == best {
            SqlDialect::MySql
        } else {
            SqlDialect::Sqlite
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Number,
    Literal,
    Backticked,
    DollarQuoted,
    DoubleColon,
    Punct(char),
}

/// A light tokenizer that needs no dialect: words, numbers, quoted parts and
/// punctuation; comments and whitespace are dropped.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (token, len) = next_token(rest, c);
        out.extend(token);
        rest = rest.get(len.max(c.len_utf8())..).unwrap_or_default();
    }
    out
}

fn next_token(rest: &str, c: char) -> (Option<Token<'_>>, usize) {
    let bytes = rest.as_bytes();
    match c {
        '-' if rest.starts_with("--") => (None, until(rest, "\n", 2)),
        '/' if rest.starts_with("/*") => (None, until(rest, "*/", 2)),
        '\'' => (Some(Token::Literal), quoted(bytes, b'\'')),
        '"' => (Some(Token::Literal), quoted(bytes, b'"')),
        '`' => (Some(Token::Backticked), quoted(bytes, b'`')),
        ':' if rest.starts_with("::") => (Some(Token::DoubleColon), 2),
        '$' => dollar(rest),
        c if c.is_ascii_digit() => (Some(Token::Number), word_len(rest)),
        c if c.is_alphanumeric() || c == '_' => {
            let len = word_len(rest);
            (rest.get(..len).map(Token::Word), len)
        }
        c if c.is_whitespace() => (None, c.len_utf8()),
        c => (Some(Token::Punct(c)), c.len_utf8()),
    }
}

/// The length up to and including `end`, or the rest of the text.
fn until(rest: &str, end: &str, skip: usize) -> usize {
    rest.get(skip..)
        .and_then(|r| r.find(end))
        .map_or(rest.len(), |at| skip + at + end.len())
}

/// The length of a quoted part, a doubled quote standing for itself.
fn quoted(bytes: &[u8], quote: u8) -> usize {
    let mut i = 1;
    while i < bytes.len() {
        if bytes.get(i) == Some(&quote) {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn word_len(rest: &str) -> usize {
    rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len())
}

/// A PostgreSQL dollar-quoted body (`$$…$$`, `$fn$…$fn$`) is skipped whole;
/// `$1` parameters are not quotes.
fn dollar(rest: &str) -> (Option<Token<'_>>, usize) {
    let tag_len = rest
        .get(1..)
        .and_then(|r| r.find(|c: char| !(c.is_alphanumeric() || c == '_')))
        .map(|n| n + 1);
    match tag_len {
        Some(n) if rest.get(n..).is_some_and(|r| r.starts_with('$')) => {
            let tag = rest.get(..=n).unwrap_or("$$");
            if tag.len() > 2 && tag.as_bytes().get(1).is_some_and(u8::is_ascii_digit) {
                return (None, 1);
            }
            (Some(Token::DollarQuoted), until(rest, tag, tag.len()))
        }
        _ => (None, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dialect(text: &str) -> Option<SqlDialect> {
        Markers::scan(text).dialect()
    }

    #[test]
    fn autoincrement_means_sqlite() {
        let sql = "CREATE TABLE history (\n  id integer primary key autoincrement,\n  command text not null\n);\n";
        assert_eq!(dialect(sql), Some(SqlDialect::Sqlite));
        assert_eq!(Markers::scan(sql).sqlite, 1);
    }

    #[test]
    fn sqlite_functions_and_pragmas() {
        assert_eq!(
            dialect("UPDATE t SET at = strftime('%s', 'now');"),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(
            dialect("CREATE TABLE t (at TEXT DEFAULT (datetime('now')));"),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(
            dialect("PRAGMA foreign_keys = ON;"),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(
            dialect("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;"),
            Some(SqlDialect::Sqlite)
        );
    }

    #[test]
    fn blob_alone_means_sqlite_but_yields_to_mysql() {
        assert_eq!(
            dialect("CREATE TABLE store (id TEXT PRIMARY KEY, data BLOB NOT NULL);"),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(
            dialect("CREATE TABLE store (id INT UNSIGNED, data BLOB, more BLOB);"),
            Some(SqlDialect::MySql)
        );
    }

    #[test]
    fn mysql_markers() {
        assert_eq!(
            dialect("CREATE TABLE `users` (id INT AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB DEFAULT CHARSET = utf8mb4;"),
            Some(SqlDialect::MySql)
        );
        assert_eq!(dialect("CREATE TABLE t (at DATETIME(6) NOT NULL);"), None);
    }

    #[test]
    fn postgres_markers_confirm_postgres() {
        assert_eq!(
            dialect("CREATE TABLE t (id BIGSERIAL, doc JSONB, at TIMESTAMPTZ);"),
            Some(SqlDialect::Postgres)
        );
        assert_eq!(dialect("SELECT '1'::int;"), Some(SqlDialect::Postgres));
    }

    #[test]
    fn mixed_markers_pick_the_majority_and_ties_pick_postgres() {
        let sqlite_wins = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, b BLOB);\nPRAGMA x;\nSELECT 1::int;";
        assert_eq!(dialect(sqlite_wins), Some(SqlDialect::Sqlite));
        let tie = "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, doc JSONB);";
        assert_eq!(dialect(tie), Some(SqlDialect::Postgres));
        let three_way = "CREATE TABLE t (a INT UNSIGNED, b INTEGER AUTOINCREMENT);";
        assert_eq!(dialect(three_way), Some(SqlDialect::Postgres));
    }

    #[test]
    fn comments_literals_and_dollar_bodies_are_skipped() {
        let sql = "-- sqlite used AUTOINCREMENT here\n/* PRAGMA */\nINSERT INTO notes VALUES ('AUTO_INCREMENT, BLOB');\nCREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1 AUTOINCREMENT $fn$ LANGUAGE sql;\n";
        let markers = Markers::scan(sql);
        assert_eq!(
            markers,
            Markers {
                postgres: 1,
                ..Markers::default()
            }
        );
        assert_eq!(dialect("SELECT $1, $2 FROM t"), None);
        assert_eq!(dialect("CREATE TABLE plain (id int primary key);"), None);
    }
}
