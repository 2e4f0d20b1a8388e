//! A token-level classifier for statements sqlparser rejects: it recognises
//! the statement's command and the object it acts on, so the lock rules still
//! apply (`DROP INDEX CONCURRENTLY`, `REINDEX`, `ALTER SEQUENCE`, `DO` blocks,
//! PostgreSQL 18 named `NOT NULL` constraints in `CREATE TABLE`, …).

use backend_check_core::Span;
use sqlparser::tokenizer::Token;

use super::TableName;
use super::{SqlToken, Statement};

/// What a statement is, read from its leading tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// `DO [LANGUAGE l] '<body>'`: opaque procedural code (may change data).
    DoBlock,
    /// `DROP INDEX [CONCURRENTLY] [IF EXISTS] name, …`.
    DropIndex {
        /// Whether `CONCURRENTLY` is given.
        concurrently: bool,
        /// The dropped indexes.
        names: Vec<TableName>,
    },
    /// `REINDEX [(options)] {INDEX|TABLE|SCHEMA|DATABASE|SYSTEM} [CONCURRENTLY] name`.
    Reindex {
        /// Whether `CONCURRENTLY` is given.
        concurrently: bool,
        /// `INDEX`, `TABLE`, … upper-cased.
        target: String,
        /// The reindexed object.
        name: Option<TableName>,
    },
    /// `ALTER TABLE [IF EXISTS] [ONLY] name …` the parser did not read.
    AlterTable {
        /// The altered table.
        table: TableName,
    },
    /// `CREATE [UNLOGGED|TEMP…] TABLE [IF NOT EXISTS] name …` the parser did not read.
    CreateTable {
        /// The created table.
        table: TableName,
    },
    /// Another command the classifier knows: its upper-cased leading words
    /// (`ALTER SEQUENCE`, `COMMENT ON`, `CREATE FUNCTION`, `CREATE STATISTICS`).
    Other {
        /// The command, e.g. `ALTER SEQUENCE`.
        command: String,
    },
}

/// Commands made of one leading word.
const VERBS: &[&str] = &[
    "ABORT",
    "ANALYZE",
    "ANALYSE",
    "BEGIN",
    "CALL",
    "CHECKPOINT",
    "CLOSE",
    "CLUSTER",
    "COMMIT",
    "COPY",
    "DEALLOCATE",
    "DECLARE",
    "DELETE",
    "DISCARD",
    "END",
    "EXECUTE",
    "EXPLAIN",
    "FETCH",
    "GRANT",
    "IMPORT",
    "INSERT",
    "LISTEN",
    "LOAD",
    "LOCK",
    "MERGE",
    "MOVE",
    "NOTIFY",
    "PREPARE",
    "REASSIGN",
    "REFRESH",
    "RELEASE",
    "RESET",
    "REVOKE",
    "ROLLBACK",
    "SAVEPOINT",
    "SELECT",
    "SET",
    "SHOW",
    "START",
    "TRUNCATE",
    "UNLISTEN",
    "UPDATE",
    "VACUUM",
    "VALUES",
    "WITH",
    "SECURITY",
    "COMMENT",
];

/// Objects of `CREATE`/`ALTER`/`DROP` (after optional modifiers).
const OBJECTS: &[&str] = &[
    "ACCESS",
    "AGGREGATE",
    "CAST",
    "COLLATION",
    "CONVERSION",
    "DATABASE",
    "DEFAULT",
    "DOMAIN",
    "EVENT",
    "EXTENSION",
    "FOREIGN",
    "FUNCTION",
    "GROUP",
    "INDEX",
    "LANGUAGE",
    "MATERIALIZED",
    "OPERATOR",
    "OWNED",
    "POLICY",
    "PROCEDURE",
    "PUBLICATION",
    "ROLE",
    "ROUTINE",
    "RULE",
    "SCHEMA",
    "SEQUENCE",
    "SERVER",
    "STATISTICS",
    "SUBSCRIPTION",
    "SYSTEM",
    "TABLE",
    "TABLESPACE",
    "TEXT",
    "TRANSFORM",
    "TRIGGER",
    "TYPE",
    "USER",
    "VIEW",
    "LARGE",
    "CONSTRAINT",
];

/// Words that may stand between `CREATE` and the object.
const MODIFIERS: &[&str] = &[
    "OR",
    "REPLACE",
    "UNIQUE",
    "GLOBAL",
    "LOCAL",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "TRUSTED",
    "PROCEDURAL",
    "RECURSIVE",
    "DEFAULT",
    // CockroachDB: `CREATE INVERTED INDEX`.
    "INVERTED",
];

/// Classifies a statement from its tokens; `None` when its command is unknown
/// (not SQL, or a typo).
pub fn classify(statement: &Statement) -> Option<Shape> {
    if statement.parsed.as_ref().is_err_and(|f| f.database_rejects) {
        return None;
    }
    if statement.is_do_block() {
        return Some(Shape::DoBlock);
    }
    let tokens: Vec<&SqlToken> = statement.tokens.iter().collect();
    let first = tokens.first()?.keyword()?;
    match first.as_str() {
        "DROP" if word(&tokens, 1, "INDEX") => Some(drop_index(&tokens)),
        "REINDEX" => Some(reindex(&tokens)),
        "ALTER" if word(&tokens, 1, "TABLE") => alter_table(&tokens).or_else(|| command(&tokens)),
        "CREATE" => create_table(&tokens).or_else(|| command(&tokens)),
        "ALTER" | "DROP" => command(&tokens),
        verb if VERBS.contains(&verb) => Some(Shape::Other {
            command: verb.to_owned(),
        }),
        _ => None,
    }
}

fn word(tokens: &[&SqlToken], at: usize, w: &str) -> bool {
    tokens.get(at).is_some_and(|t| t.is_word(w))
}

fn words(tokens: &[&SqlToken], at: usize, ws: &[&str]) -> bool {
    ws.iter().enumerate().all(|(i, w)| word(tokens, at + i, w))
}

/// `CREATE …`/`ALTER …`/`DROP …` of a known object kind.
fn command(tokens: &[&SqlToken]) -> Option<Shape> {
    let verb = tokens.first()?.keyword()?;
    let mut at = 1;
    while tokens
        .get(at)
        .is_some_and(|t| MODIFIERS.iter().any(|m| t.is_word(m)))
    {
        at += 1;
    }
    let object = tokens.get(at)?.keyword()?;
    OBJECTS.contains(&object.as_str()).then(|| Shape::Other {
        command: format!("{verb} {object}"),
    })
}

fn drop_index(tokens: &[&SqlToken]) -> Shape {
    let mut at = 2;
    let concurrently = word(tokens, at, "CONCURRENTLY");
    at += usize::from(concurrently);
    if words(tokens, at, &["IF", "EXISTS"]) {
        at += 2;
    }
    let mut names = Vec::new();
    while let Some((name, used)) = tokens.get(at..).and_then(TableName::from_tokens) {
        names.push(name);
        at += used;
        if tokens.get(at).is_some_and(|t| t.token == Token::Comma) {
            at += 1;
        } else {
            break;
        }
    }
    Shape::DropIndex {
        concurrently,
        names,
    }
}

fn reindex(tokens: &[&SqlToken]) -> Shape {
    let mut at = 1;
    if tokens.get(at).is_some_and(|t| t.token == Token::LParen) {
        while tokens.get(at).is_some_and(|t| t.token != Token::RParen) {
            at += 1;
        }
        at += 1;
    }
    let target = tokens.get(at).and_then(|t| t.keyword()).unwrap_or_default();
    at += 1;
    let concurrently = word(tokens, at, "CONCURRENTLY");
    at += usize::from(concurrently);
    let name = tokens
        .get(at..)
        .and_then(TableName::from_tokens)
        .map(|(n, _)| n);
    Shape::Reindex {
        concurrently,
        target,
        name,
    }
}

fn alter_table(tokens: &[&SqlToken]) -> Option<Shape> {
    let mut at = 2;
    if words(tokens, at, &["IF", "EXISTS"]) {
        at += 2;
    }
    if word(tokens, at, "ONLY") {
        at += 1;
    }
    let (table, _) = TableName::from_tokens(tokens.get(at..)?)?;
    Some(Shape::AlterTable { table })
}

fn create_table(tokens: &[&SqlToken]) -> Option<Shape> {
    let mut at = 1;
    while tokens.get(at).is_some_and(|t| {
        ["GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED"]
            .iter()
            .any(|m| t.is_word(m))
    }) {
        at += 1;
    }
    if !word(tokens, at, "TABLE") {
        return None;
    }
    at += 1;
    if words(tokens, at, &["IF", "NOT", "EXISTS"]) {
        at += 3;
    }
    let (table, _) = TableName::from_tokens(tokens.get(at..)?)?;
    Some(Shape::CreateTable { table })
}

/// The parts of a `CREATE INDEX` statement the lock rules need, read from
/// tokens (so statements the parser rejected are recognised too).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CreateIndex {
    pub name: Option<String>,
    pub table: TableName,
    pub concurrently: bool,
    pub only: bool,
    /// From `CREATE` to the end of the table name.
    pub head: Span,
}

/// Reads `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] [name] ON [ONLY] table`.
pub(crate) fn create_index(tokens: &[SqlToken]) -> Option<CreateIndex> {
    let tokens: Vec<&SqlToken> = tokens.iter().collect();
    let first = tokens.first()?;
    if !first.is_word("CREATE") {
        return None;
    }
    let mut at = 1;
    if tokens.get(at)?.is_word("UNIQUE") {
        at += 1;
    }
    if !tokens.get(at)?.is_word("INDEX") {
        return None;
    }
    at += 1;
    let concurrently = tokens.get(at).is_some_and(|t| t.is_word("CONCURRENTLY"));
    at += usize::from(concurrently);
    if words_at(&tokens, at, &["IF", "NOT", "EXISTS"]) {
        at += 3;
    }
    let mut name = None;
    if !tokens.get(at)?.is_word("ON") {
        let (index_name, used) = TableName::from_tokens(tokens.get(at..)?)?;
        name = Some(index_name.name);
        at += used;
        at += tokens.get(at..)?.iter().position(|t| t.is_word("ON"))?;
    }
    at += 1;
    let only = tokens.get(at).is_some_and(|t| t.is_word("ONLY"));
    at += usize::from(only);
    let (table, used) = TableName::from_tokens(tokens.get(at..)?)?;
    let last = tokens.get(at + used - 1)?;
    Some(CreateIndex {
        name,
        table,
        concurrently,
        only,
        head: Span::new(first.span.start, last.span.end),
    })
}

fn words_at(tokens: &[&SqlToken], at: usize, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(i, w)| tokens.get(at + i).is_some_and(|t| t.is_word(w)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use backend_check_core::{CommentStyle, SourceFile, Span, SqlDialect};

    fn shapes(sql: &str) -> Vec<(bool, Option<Shape>)> {
        let f = SourceFile::new("t.sql", "t.sql", sql, CommentStyle::DoubleDash);
        crate::parse::parse_section(&f, Span::new(0, sql.len()), SqlDialect::Postgres)
            .iter()
            .map(|s| (s.is_parsed(), classify(s)))
            .collect()
    }

    #[test]
    fn rejected_statements_are_classified() {
        let found = shapes(
            "DROP INDEX CONCURRENTLY IF EXISTS a.i, j;\nREINDEX (VERBOSE) INDEX CONCURRENTLY i;\nALTER SEQUENCE s OWNED BY t.id;\nCREATE STATISTICS st ON a, b FROM t;\nCOMMENT ON FUNCTION f(int) IS 'x';\nCREATE TABLE t (id int CONSTRAINT id_nn NOT NULL NO INHERIT);\n\\set x 1\n",
        );
        assert_eq!(
            found[0].1,
            Some(Shape::DropIndex {
                concurrently: true,
                names: vec![TableName::new(Some("a"), "i"), TableName::new(None, "j")]
            })
        );
        assert_eq!(
            found[1].1,
            Some(Shape::Reindex {
                concurrently: true,
                target: "INDEX".into(),
                name: Some(TableName::new(None, "i"))
            })
        );
        assert_eq!(
            found[2].1,
            Some(Shape::Other {
                command: "ALTER SEQUENCE".into()
            })
        );
        assert!(matches!(found[3].1, Some(Shape::Other { .. })));
        assert!(matches!(found[4].1, Some(Shape::Other { .. })));
        assert_eq!(
            found[5].1,
            Some(Shape::CreateTable {
                table: TableName::new(None, "t")
            })
        );
        assert_eq!(found.last().unwrap().1, None);
    }
}
