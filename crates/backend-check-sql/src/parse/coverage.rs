//! How well the analyzer read each statement: parsed by sqlparser as written,
//! parsed after normalisation, a `DO` block whose body was split and parsed,
//! recognised by the token classifier only, or not analysed.

use std::ops::AddAssign;
use std::sync::Arc;

use backend_check_core::SourceFile;

use super::{body, classify, Statement};

/// How a statement was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Coverage {
    /// sqlparser parsed the statement as written.
    Parsed,
    /// sqlparser parsed a normalised copy (see the `normalise` module).
    Normalised,
    /// A `DO` block: the second pass split its body and parsed every SQL
    /// statement in it (the block itself has no syntax tree).
    DoBlock,
    /// The parser rejected it; the token classifier recognised its command.
    Classified,
    /// Neither the parser nor the classifier read it, or the parser gave up at its
    /// recursion limit (SQL000 reports it).
    NotAnalysed,
    /// Text the database rejects too: a missing `;` (SQL036 reports it), unpaired
    /// parentheses or an unterminated literal (SQL038 reports it).
    Invalid,
}

/// How a statement of `file` was read.
pub fn coverage_of(file: &SourceFile, statement: &Statement) -> Coverage {
    match (&statement.parsed, statement.normalised) {
        (Ok(_), false) => Coverage::Parsed,
        (Ok(_), true) => Coverage::Normalised,
        (Err(f), _) if f.database_rejects => Coverage::Invalid,
        (Err(f), _) if f.is_too_deep() => Coverage::NotAnalysed,
        (Err(_), _) if do_block_read(file, statement) => Coverage::DoBlock,
        (Err(_), _) if classify(statement).is_some() || is_pragma(statement) => {
            Coverage::Classified
        }
        (Err(_), _) => Coverage::NotAnalysed,
    }
}

/// A SQLite `PRAGMA` (`PRAGMA foreign_keys = OFF`, which sqlparser does not
/// read with `ON`/`OFF`): a connection setting, with nothing for the schema
/// replay to apply, so there is nothing left unanalysed.
fn is_pragma(statement: &Statement) -> bool {
    statement
        .tokens
        .first()
        .and_then(super::SqlToken::keyword)
        .is_some_and(|k| k == "PRAGMA")
}

fn do_block_read(file: &SourceFile, statement: &Statement) -> bool {
    statement.is_do_block()
        && body::splits_body(file, statement)
        && statement.body.iter().all(Statement::is_parsed)
}

/// Statement counts per [`Coverage`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CoverageCounts {
    /// Parsed as written.
    pub parsed: usize,
    /// Parsed after normalisation.
    pub normalised: usize,
    /// `DO` blocks with a parsed body.
    pub do_blocks: usize,
    /// Recognised by the token classifier only.
    pub classified: usize,
    /// Not analysed.
    pub not_analysed: usize,
    /// Rejected by the database too.
    pub invalid: usize,
}

impl CoverageCounts {
    /// Counts one statement.
    pub fn add(&mut self, coverage: Coverage) {
        let slot = match coverage {
            Coverage::Parsed => &mut self.parsed,
            Coverage::Normalised => &mut self.normalised,
            Coverage::DoBlock => &mut self.do_blocks,
            Coverage::Classified => &mut self.classified,
            Coverage::NotAnalysed => &mut self.not_analysed,
            Coverage::Invalid => &mut self.invalid,
        };
        *slot += 1;
    }

    /// Counts `statements` of `file`.
    pub fn of_statements(file: &Arc<SourceFile>, statements: &[Statement]) -> CoverageCounts {
        let mut counts = CoverageCounts::default();
        for statement in statements {
            counts.add(coverage_of(file, statement));
        }
        counts
    }

    /// All statements.
    pub fn total(&self) -> usize {
        self.fully_parsed() + self.classified + self.not_analysed + self.invalid
    }

    /// Statements the database accepts (all but the invalid ones).
    pub fn valid(&self) -> usize {
        self.total() - self.invalid
    }

    /// Statements whose syntax was fully read: parsed, normalised, or a `DO`
    /// block with a parsed body.
    pub fn fully_parsed(&self) -> usize {
        self.parsed + self.normalised + self.do_blocks
    }

    /// Statements the rules can read at all (fully parsed or classified).
    pub fn analysed(&self) -> usize {
        self.fully_parsed() + self.classified
    }

    /// `part` as a percentage of the valid statements (100 when there are none).
    pub fn percent(&self, part: usize) -> f64 {
        match self.valid() {
            0 => 100.0,
            total => part as f64 * 100.0 / total as f64,
        }
    }
}

impl AddAssign for CoverageCounts {
    fn add_assign(&mut self, other: CoverageCounts) {
        self.parsed += other.parsed;
        self.normalised += other.normalised;
        self.do_blocks += other.do_blocks;
        self.classified += other.classified;
        self.not_analysed += other.not_analysed;
        self.invalid += other.invalid;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backend_check_core::{CommentStyle, Span, SqlDialect};

    fn counts(sql: &str) -> CoverageCounts {
        let file = Arc::new(SourceFile::new(
            "t.sql",
            "t.sql",
            sql,
            CommentStyle::DoubleDash,
        ));
        let statements =
            crate::parse::parse_section(&file, Span::new(0, sql.len()), SqlDialect::Postgres);
        CoverageCounts::of_statements(&file, &statements)
    }

    #[test]
    fn each_kind_is_counted() {
        let c = counts(
            "CREATE TABLE t (id int);\nDROP INDEX CONCURRENTLY i;\nDO $$ BEGIN UPDATE t SET id = 1; END $$;\nALTER SEQUENCE s OWNED BY t.id;\n\\set x 1\n",
        );
        assert_eq!(
            c,
            CoverageCounts {
                parsed: 1,
                normalised: 1,
                do_blocks: 1,
                classified: 1,
                not_analysed: 1,
                invalid: 0,
            }
        );
        assert_eq!(c.total(), 5);
        assert_eq!(c.fully_parsed(), 3);
    }

    #[test]
    fn a_do_block_with_an_unparsed_inner_statement_is_only_classified() {
        let c = counts("DO $$ BEGIN ALTER SEQUENCE s RESTART; END $$;");
        assert_eq!(c.classified, 1);
        assert_eq!(c.do_blocks, 0);
    }

    #[test]
    fn plpgsql_into_targets_do_not_stop_the_body_from_parsing() {
        let c = counts(
            "DO $$ DECLARE n int; BEGIN INSERT INTO t (a) VALUES (1) RETURNING id INTO STRICT n; END $$;",
        );
        assert_eq!(c.do_blocks, 1);
    }

    #[test]
    fn a_missing_semicolon_is_invalid_not_classified() {
        let sql = "ALTER TABLE t DROP CONSTRAINT t_pkey\nALTER TABLE t ALTER COLUMN d TYPE date;\nALTER TABLE t ADD PRIMARY KEY (id);\n";
        let c = counts(sql);
        assert_eq!((c.invalid, c.parsed, c.classified), (1, 1, 0));
        let file = SourceFile::new("t.sql", "t.sql", sql, CommentStyle::DoubleDash);
        let statements =
            crate::parse::parse_section(&file, Span::new(0, sql.len()), SqlDialect::Postgres);
        let reason = &statements[0].parsed.as_ref().unwrap_err().reason;
        assert!(
            reason.starts_with("missing `;` before `ALTER` on line 2"),
            "{reason}"
        );
        assert!(crate::parse::classify(&statements[0]).is_none());
    }

    #[test]
    fn a_command_word_inside_a_statement_is_not_a_missing_semicolon() {
        let c = counts(
            "CREATE TABLE t (\n  id int,\n  create_time date\n);\nGRANT SELECT\nON t TO app;\n",
        );
        assert_eq!(c.invalid, 0);
    }

    #[test]
    fn a_cockroach_inverted_index_is_classified() {
        let c = counts("CREATE INVERTED INDEX i ON t (c);");
        assert_eq!(c.classified, 1);
    }

    #[test]
    fn a_do_block_with_a_quoted_body_is_not_split() {
        let c = counts("DO 'BEGIN UPDATE t SET id = 1; END';");
        assert_eq!(c.classified, 1);
    }
}
