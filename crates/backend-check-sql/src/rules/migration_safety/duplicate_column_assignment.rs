//! SQL025: the same column named twice where the database refuses it.

use backend_check_core::{declare_rule, Sink, SqlDialect};
use sqlparser::tokenizer::Token;

use super::words::{find, is, name_at, skip_if_exists, tokens};
use crate::engine::{SqlRule, Step};
use crate::parse::SqlToken;

declare_rule! {
    /// ## What it does
    /// Finds a column named twice in the column list of `CREATE TABLE`,
    /// `INSERT INTO t (…)` or `CREATE VIEW v (…)`, or assigned twice in the
    /// `SET` list of an `UPDATE`, in up migrations of every dialect (`DO`
    /// blocks included).
    ///
    /// ## Why is this bad?
    /// The database refuses the statement (`column "x" specified more than
    /// once`, `multiple assignments to same column`), so the migration fails
    /// where it is first run. It is usually a copy-paste slip whose intended
    /// second column is missing.
    ///
    /// ## Example
    /// ```sql
    /// UPDATE orders SET status = 'paid', status = 'shipped' WHERE id = 1;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// UPDATE orders SET status = 'paid', paid_at = now() WHERE id = 1;
    /// ```
    ///
    /// ## Options
    /// None. Names are compared as the database compares them: unquoted
    /// names case-insensitively, quoted PostgreSQL names exactly. Qualified
    /// `SET` targets (`t1.a`, MySQL multi-table updates) are not compared.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DuplicateColumnAssignment {
        code: "SQL025",
        name: "duplicate-column-assignment",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "a column is named twice in one column list or `SET`, which the database refuses",
    }
}

impl SqlRule for DuplicateColumnAssignment {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let tokens = tokens(step.statement);
        let Some((what, names)) = column_names(&tokens) else {
            return;
        };
        let fold = step.set.dialect != SqlDialect::Postgres;
        let mut seen: Vec<String> = Vec::new();
        for token in names {
            let Some(key) = key(token, fold) else {
                continue;
            };
            if seen.contains(&key) {
                sink.push(
                    step.diagnostic(
                        &DuplicateColumnAssignment::META,
                        token.span,
                        format!("column \"{key}\" is named twice in the {what}"),
                    )
                    .with_help("remove the second one, or name the column that was meant"),
                );
            } else {
                seen.push(key);
            }
        }
    }
}

/// The column name of a token as the database compares it.
fn key(token: &SqlToken, fold: bool) -> Option<String> {
    let Token::Word(word) = &token.token else {
        return None;
    };
    Some(if fold || word.quote_style.is_none() {
        word.value.to_lowercase()
    } else {
        word.value.clone()
    })
}

/// The list the statement names columns in, and the name tokens.
fn column_names<'a>(tokens: &[&'a SqlToken]) -> Option<(&'static str, Vec<&'a SqlToken>)> {
    let first = tokens.first()?;
    if first.is_word("UPDATE") {
        return Some(("`SET` list", set_targets(tokens)));
    }
    if first.is_word("INSERT") || first.is_word("REPLACE") {
        let into = find(tokens, 1, &["INTO"])?;
        let (_, after) = name_at(tokens, into + 1)?;
        let mut open = after;
        if tokens.get(open).is_some_and(|t| t.is_word("AS")) {
            open += 2;
        }
        return Some(("column list", list_heads(tokens, open, &[])));
    }
    if !first.is_word("CREATE") {
        return None;
    }
    let table = find(tokens, 1, &["TABLE"]).filter(|&at| at <= 4);
    let view = find(tokens, 1, &["VIEW"]).filter(|&at| at <= 5);
    let (kind, at) = match (table, view) {
        (Some(at), _) => ("table definition", at),
        (None, Some(at)) => ("view column list", at),
        _ => return None,
    };
    let (name_start, _) = skip_if_exists(tokens, at + 1);
    let (_, open) = name_at(tokens, name_start)?;
    Some((kind, list_heads(tokens, open, ELEMENT_KEYWORDS)))
}

/// Table elements that are not columns.
const ELEMENT_KEYWORDS: &[&str] = &[
    "CONSTRAINT",
    "PRIMARY",
    "UNIQUE",
    "CHECK",
    "FOREIGN",
    "EXCLUDE",
    "LIKE",
    "INDEX",
    "KEY",
    "FULLTEXT",
    "SPATIAL",
    "PERIOD",
];

/// The first token of each element of the parenthesised list opening at
/// `open`, leaving out elements that start with one of `skip`.
fn list_heads<'a>(tokens: &[&'a SqlToken], open: usize, skip: &[&str]) -> Vec<&'a SqlToken> {
    if !is(tokens.get(open), &Token::LParen) {
        return Vec::new();
    }
    let mut heads = Vec::new();
    let mut depth = 0usize;
    let mut expect_head = false;
    for token in tokens.iter().skip(open) {
        match token.token {
            Token::LParen => {
                depth += 1;
                expect_head = depth == 1;
                continue;
            }
            Token::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            Token::Comma if depth == 1 => {
                expect_head = true;
                continue;
            }
            _ => {}
        }
        if expect_head && depth == 1 {
            let keyword = skip.iter().any(|w| token.is_word(w));
            if !keyword && matches!(token.token, Token::Word(_)) {
                heads.push(*token);
            }
        }
        expect_head = false;
    }
    heads
}

/// The column of each `column = value` of an `UPDATE … SET` list.
fn set_targets<'a>(tokens: &[&'a SqlToken]) -> Vec<&'a SqlToken> {
    let Some(set) = find(tokens, 1, &["SET"]) else {
        return Vec::new();
    };
    let mut targets = Vec::new();
    let mut depth = 0usize;
    let mut start = set + 1;
    for (at, token) in tokens.iter().enumerate().skip(set + 1) {
        match token.token {
            Token::LParen => depth += 1,
            Token::RParen => depth = depth.saturating_sub(1),
            Token::Comma if depth == 0 => start = at + 1,
            Token::Eq if depth == 0 && at > start => {
                if let Some(column) = tokens.get(at - 1).filter(|_| at - start == 1) {
                    targets.push(*column);
                }
                start = usize::MAX;
            }
            _ if depth == 0
                && ["FROM", "WHERE", "RETURNING"]
                    .iter()
                    .any(|w| token.is_word(w)) =>
            {
                break
            }
            _ => {}
        }
    }
    targets
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn duplicates_fire_at_the_second_name() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE a (a int, b int, CONSTRAINT a CHECK (a > 0), \"A\" int, B text);\nINSERT INTO t (x, y, x) VALUES (1, 2, 3);\nUPDATE t SET x = x + 1, y = 2, y = 3, t1.z = 1, t2.z = 2 WHERE x = 1;\nCREATE VIEW v (a, a) AS SELECT 1, 2;\nUPDATE t SET (a, b) = (1, 2), c = a;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL025")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL025", "migrations/1_a.sql", 1, 68),
                at("SQL025", "migrations/1_a.sql", 2, 22),
                at("SQL025", "migrations/1_a.sql", 3, 32),
                at("SQL025", "migrations/1_a.sql", 4, 19),
            ]
        );
    }
}
