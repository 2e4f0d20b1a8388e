//! What migrations do to the schema: which tables each migration creates,
//! and the replay of every up migration into a [`Catalog`] (tables, columns,
//! keys, foreign keys, indexes, types, views, functions, grants, row-level
//! security) that rules and cross-artifact checks read.
//!
//! The replay is one pass over a set ([`replay_each`]): every object carries
//! the [`Origin`] of the statement that defined it, so "created in this
//! migration" is `origin.migration == index`, and the schema before a
//! migration is the catalog handed to the previous step. A rule that needs
//! the schema before and after one migration keeps its own clone.

mod apply;
mod catalog;
mod constraints;
mod diff;
mod dynamic;
mod locate;
mod pg_names;
mod refuse;
mod replay;
mod split;
mod views;

#[cfg(test)]
pub(crate) use catalog::STARTED;
pub use catalog::{
    bookkeeping_tables, Catalog, Column, Constraint, Domain, ForeignKey, Function, Grant, Index,
    Origin, Policy, Table, Trigger, View,
};
pub use diff::{canonical_type, reversal_differences};
pub use refuse::Refusal;
pub use replay::replay_each;

use sqlparser::ast::{self, AlterTableOperation, RenameTableNameKind};

pub use crate::parse::TableName;

use crate::parse::{SqlToken, Statement};

/// A relation created by a statement of a script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedTable {
    /// Its normalised name.
    pub name: TableName,
    /// The index of the creating statement in the script.
    pub statement: usize,
}

/// The tables (and materialised views) a script creates, in order: `CREATE
/// TABLE` (also `AS SELECT`), `CREATE MATERIALIZED VIEW`, and the new name of
/// a table created earlier in the same script and then renamed. Statements
/// that did not parse are read at token level.
pub fn created_tables(statements: &[Statement]) -> Vec<CreatedTable> {
    let mut created: Vec<CreatedTable> = Vec::new();
    for (index, statement) in statements.iter().enumerate() {
        let names = match &statement.parsed {
            Ok(parsed) => created_by_ast(parsed, &created),
            Err(_) => created_by_tokens(&statement.tokens).into_iter().collect(),
        };
        created.extend(names.into_iter().map(|name| CreatedTable {
            name,
            statement: index,
        }));
    }
    created
}

fn created_by_ast(statement: &ast::Statement, so_far: &[CreatedTable]) -> Vec<TableName> {
    match statement {
        ast::Statement::CreateTable(create) => {
            TableName::from_object(&create.name).into_iter().collect()
        }
        ast::Statement::CreateView(view) if view.materialized => {
            TableName::from_object(&view.name).into_iter().collect()
        }
        ast::Statement::AlterTable(alter) => renamed_fresh_table(alter, so_far),
        _ => Vec::new(),
    }
}

fn renamed_fresh_table(alter: &ast::AlterTable, so_far: &[CreatedTable]) -> Vec<TableName> {
    let Some(old) = TableName::from_object(&alter.name) else {
        return Vec::new();
    };
    if !so_far.iter().any(|c| c.name.matches(&old)) {
        return Vec::new();
    }
    alter
        .operations
        .iter()
        .filter_map(|op| match op {
            AlterTableOperation::RenameTable {
                table_name: RenameTableNameKind::To(name) | RenameTableNameKind::As(name),
            } => TableName::from_object(name).map(|new| new.in_schema_of(&old)),
            _ => None,
        })
        .collect()
}

/// `CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name`.
fn created_by_tokens(tokens: &[SqlToken]) -> Option<TableName> {
    let mut rest = tokens.iter().peekable();
    if !rest.next()?.is_word("CREATE") {
        return None;
    }
    let modifiers = [
        "GLOBAL",
        "LOCAL",
        "TEMP",
        "TEMPORARY",
        "UNLOGGED",
        "OR",
        "REPLACE",
    ];
    while rest
        .peek()
        .is_some_and(|t| modifiers.iter().any(|m| t.is_word(m)))
    {
        rest.next();
    }
    if !rest.next()?.is_word("TABLE") {
        return None;
    }
    let tail: Vec<&SqlToken> = rest.collect();
    let skip = if tail.len() >= 3
        && tail[0].is_word("IF")
        && tail[1].is_word("NOT")
        && tail[2].is_word("EXISTS")
    {
        3
    } else {
        0
    };
    TableName::from_tokens(tail.get(skip..).unwrap_or_default()).map(|(name, _)| name)
}

#[cfg(test)]
mod tests;
