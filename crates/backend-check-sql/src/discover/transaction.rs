//! How the migration tool runs each script: inside a transaction it opens, or
//! statement by statement.

use std::path::Path;

use backend_check_core::Sources;

use sqlparser::tokenizer::Token;

pub use crate::model::Transaction;
use crate::model::{Layout, MigrationSet, Script};
use crate::parse::Statement;

/// The mode a layout gives a script before its statements are known (Flyway's
/// depends on the statements: see [`settle_flyway`]).
pub(crate) fn initial(
    layout: Layout,
    text: &str,
    autocommit: bool,
    diesel_metadata: Option<&Path>,
    sources: &dyn Sources,
) -> Transaction {
    match layout {
        Layout::Sqlx if sqlx_no_transaction(text) => Transaction::OptedOut {
            why: "the file starts with `-- no-transaction`",
        },
        Layout::Diesel => match diesel_metadata.and_then(|m| diesel_opts_out(sources, m)) {
            Some(why) => Transaction::OptedOut { why },
            None => Transaction::Wrapped,
        },
        Layout::Pop if autocommit => Transaction::OptedOut {
            why: "the file is named `.autocommit.`",
        },
        Layout::GolangMigrate => Transaction::Never {
            why: "golang-migrate opens no transaction (it sends the file as one query)",
        },
        Layout::Loose => Transaction::Never {
            why: "a loose file has no migration tool to wrap it",
        },
        _ => Transaction::Wrapped,
    }
}

/// sqlx checks that the file starts with `-- no-transaction`.
fn sqlx_no_transaction(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .starts_with("-- no-transaction")
}

/// Why diesel runs a migration outside a transaction, when its `metadata.toml`
/// says so. diesel reads the file into a struct whose `run_in_transaction` is a
/// `#[serde(default)]` bool: a file that parses but lacks the key means `false`;
/// a file that does not parse (or gives the key another type) falls back to the
/// default, `true`.
pub(crate) fn diesel_opts_out(sources: &dyn Sources, path: &Path) -> Option<&'static str> {
    let text = sources.read_to_string(path).ok()?;
    let table = text.parse::<toml::Table>().ok()?;
    match table.get("run_in_transaction") {
        None => {
            Some("its metadata.toml has no `run_in_transaction`, which diesel reads as `false`")
        }
        Some(value) if value.as_bool() == Some(false) => {
            Some("its metadata.toml sets `run_in_transaction = false`")
        }
        Some(_) => None,
    }
}

/// Whether a dbmate marker line carries `transaction:false`.
pub(crate) fn dbmate_marker_opts_out(line: &str) -> bool {
    line.split_whitespace().any(|w| w == "transaction:false")
}

/// Whether a goose file has `-- +goose NO TRANSACTION`.
pub(crate) fn goose_opts_out(text: &str) -> bool {
    text.lines().any(|line| {
        line.trim_start()
            .strip_prefix("--")
            .map(str::trim_start)
            .and_then(|r| r.strip_prefix("+goose"))
            .is_some_and(|r| r.trim().eq_ignore_ascii_case("NO TRANSACTION"))
    })
}

/// Flyway (PostgreSQL) runs a migration outside a transaction when it holds a
/// statement that cannot run in one; refinery always uses a transaction.
pub fn settle_flyway(set: &mut MigrationSet) {
    if set.layout != Layout::Flyway {
        return;
    }
    for script in set
        .migrations
        .iter_mut()
        .flat_map(crate::model::Migration::scripts_mut)
    {
        if script.statements.iter().any(is_non_transactional) {
            script.transaction = Transaction::Never {
                why: "Flyway runs a migration holding a non-transactional statement outside a transaction",
            };
        }
    }
}

/// Statements PostgreSQL refuses inside a transaction block.
pub fn is_non_transactional(statement: &Statement) -> bool {
    let words: Vec<String> = statement
        .tokens
        .iter()
        .take(4)
        .map(|t| t.keyword().unwrap_or_default())
        .collect();
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    match w(0) {
        "CREATE" => {
            (w(1) == "INDEX" || (w(1) == "UNIQUE" && w(2) == "INDEX"))
                && words.iter().any(|x| x == "CONCURRENTLY")
                || w(1) == "DATABASE"
                || w(1) == "TABLESPACE"
        }
        "DROP" => {
            w(1) == "INDEX" && w(2) == "CONCURRENTLY" || w(1) == "DATABASE" || w(1) == "TABLESPACE"
        }
        "REINDEX" => {
            statement.tokens.iter().any(|t| t.is_word("CONCURRENTLY"))
                || w(1) == "SYSTEM"
                || w(1) == "DATABASE"
        }
        "VACUUM" => true,
        "ALTER" => {
            w(1) == "SYSTEM"
                || (w(1) == "DATABASE" && statement.tokens.iter().any(|t| t.is_word("TABLESPACE")))
        }
        _ => false,
    }
}

/// Whether the tool sends a script outside a transaction as one query string
/// (sqlx, diesel, dbmate, golang-migrate, pop). PostgreSQL runs the statements
/// of one such string in an implicit transaction, so a statement that refuses
/// transactions fails there unless it is alone in its file. goose, Flyway and
/// psql send statements one by one.
pub fn sends_file_as_one_query(layout: Layout) -> bool {
    matches!(
        layout,
        Layout::Sqlx | Layout::Diesel | Layout::Dbmate | Layout::GolangMigrate | Layout::Pop
    )
}

/// Where each statement of a script runs: `true` when inside a transaction
/// (the tool's, or one the script opens with `BEGIN`/`START TRANSACTION`).
pub fn in_transaction(script: &Script) -> Vec<bool> {
    let mut open = script.transaction.runner_wraps();
    let base = open;
    script
        .statements
        .iter()
        .map(|s| match control(s) {
            Some(Control::Begin) => {
                open = true;
                true
            }
            Some(Control::End) => {
                let was = open;
                open = base;
                was
            }
            None => open,
        })
        .collect()
}

/// A transaction-control statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// `BEGIN`, `START TRANSACTION`, `BEGIN TRANSACTION`.
    Begin,
    /// `COMMIT`, `END`, `ROLLBACK` (not `ROLLBACK TO SAVEPOINT`).
    End,
}

/// Reads a transaction-control statement from its tokens.
pub fn control(statement: &Statement) -> Option<Control> {
    let first = statement.tokens.first()?;
    let second = statement.tokens.get(1);
    let is_only_or = |words: &[&str]| second.is_none_or(|t| words.iter().any(|w| t.is_word(w)));
    if first.is_word("BEGIN") && is_only_or(&["TRANSACTION", "WORK", "ISOLATION", "READ"]) {
        return Some(Control::Begin);
    }
    if first.is_word("START") && second.is_some_and(|t| t.is_word("TRANSACTION")) {
        return Some(Control::Begin);
    }
    if (first.is_word("COMMIT") || first.is_word("END"))
        && is_only_or(&["TRANSACTION", "WORK", "AND"])
        && statement.tokens.len() <= 4
    {
        return Some(Control::End);
    }
    if first.is_word("ROLLBACK")
        && !statement.tokens.iter().any(|t| t.is_word("TO"))
        && !statement.tokens.iter().any(|t| t.token == Token::Period)
    {
        return Some(Control::End);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_metadata_reads_as_diesel_does() {
        let dir = tempfile::tempdir().unwrap();
        let verdict = |text: &str| {
            let path = dir.path().join("metadata.toml");
            std::fs::write(&path, text).unwrap();
            diesel_opts_out(&backend_check_core::FileSystem, &path).is_some()
        };
        assert!(verdict("run_in_transaction = false\n"));
        assert!(!verdict("run_in_transaction = true\n"));
        // a `#[serde(default)]` bool: a file without the key turns transactions off
        assert!(verdict("# nothing here\nowner = \"db team\"\n"));
        // a file diesel cannot read falls back to its default, a transaction
        assert!(!verdict("run_in_transaction = \"no\"\n"));
        assert!(!verdict("run_in_transaction = \n"));
        assert!(diesel_opts_out(
            &backend_check_core::FileSystem,
            &dir.path().join("missing.toml")
        )
        .is_none());
    }

    #[test]
    fn sqlx_marker_must_open_the_file() {
        assert!(sqlx_no_transaction("-- no-transaction\nCREATE INDEX"));
        assert!(!sqlx_no_transaction("-- x\n-- no-transaction\n"));
    }

    #[test]
    fn goose_and_dbmate_switches() {
        assert!(goose_opts_out("-- +goose NO TRANSACTION\n-- +goose Up\n"));
        assert!(!goose_opts_out("-- +goose Up\n"));
        assert!(dbmate_marker_opts_out("-- migrate:up transaction:false\n"));
        assert!(!dbmate_marker_opts_out("-- migrate:up\n"));
    }
}
