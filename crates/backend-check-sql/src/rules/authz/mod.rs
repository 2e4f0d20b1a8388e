//! Checklist items `sec.authz` and `sec.secrets`: grants, row-level
//! security, `SECURITY DEFINER` functions and role passwords in migrations.
//! These rules read the tokens of every up statement, so statements the
//! parser rejects (`CREATE FUNCTION … COST 10`) are checked too.

pub mod disable_row_level_security;
pub mod grant_all_privileges;
pub mod grant_to_public;
pub mod hardcoded_role_password;
pub mod permissive_policy;
pub mod security_definer_without_search_path;

use crate::model::{Migration, MigrationSet, Script};
use crate::parse::{SqlToken, Statement};

/// Every up statement of a set with its script.
pub(crate) fn up_statements(set: &MigrationSet) -> impl Iterator<Item = (&Script, &Statement)> {
    set.migrations
        .iter()
        .filter_map(|m: &Migration| m.up.as_ref())
        .flat_map(|up| up.statements.iter().map(move |s| (up, s)))
}

/// Whether `words` follow each other somewhere in the tokens; the index of
/// the first.
pub(crate) fn find_words(tokens: &[SqlToken], words: &[&str]) -> Option<usize> {
    (0..tokens.len()).find(|&at| {
        words
            .iter()
            .enumerate()
            .all(|(i, w)| tokens.get(at + i).is_some_and(|t| t.is_word(w)))
    })
}

/// Whether the statement starts with `words`.
pub(crate) fn starts_with(statement: &Statement, words: &[&str]) -> bool {
    words
        .iter()
        .enumerate()
        .all(|(i, w)| statement.tokens.get(i).is_some_and(|t| t.is_word(w)))
}

/// The index of the first token after `CREATE [OR REPLACE]` that is
/// `FUNCTION` or `PROCEDURE`, when the statement creates one.
pub(crate) fn creates_routine(statement: &Statement) -> bool {
    let mut tokens = statement.tokens.iter();
    if !tokens.next().is_some_and(|t| t.is_word("CREATE")) {
        return false;
    }
    tokens
        .take(3)
        .any(|t| t.is_word("FUNCTION") || t.is_word("PROCEDURE"))
}
