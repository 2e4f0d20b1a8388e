//! What the rules see of a set as the engine walks it: each script
//! ([`ScriptView`]), each statement with the schema before it ([`Step`]),
//! each change with a down script ([`Change`]), and the tables and indexes a
//! migration created before a statement ([`Created`]).

use std::cell::OnceCell;

use backend_check_core::{Diagnostic, RuleMeta, Span};
use sqlparser::ast;

use crate::discover::transaction;
use crate::model::{Layout, MigrationSet, Script};
use crate::parse::{create_index, Statement};
use crate::schema::{self, Catalog, TableName};

/// One statement of an up script (or of a `DO` block in it), with what the
/// rules need to judge it.
pub(crate) struct Step<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The index of the statement's migration in the set.
    pub index: usize,
    /// The script holding the statement.
    pub script: &'a Script,
    /// The statement's index in the script (for a statement inside a `DO`
    /// block, the block's).
    pub position: usize,
    /// The statement.
    pub statement: &'a Statement,
    /// The schema before the statement (for a statement inside a `DO` block,
    /// after the whole block and the block's statements before it).
    pub catalog: &'a Catalog,
    /// Tables and indexes the migration created before the statement.
    pub created: &'a Created<'a>,
    /// Whether the statement runs inside a transaction block.
    pub in_transaction: bool,
}

impl Step<'_> {
    /// Whether `table` may hold rows and be in use: the migration did not
    /// create it before this statement.
    pub fn existing(&self, table: &TableName) -> bool {
        !self.created.before(table, self.position)
    }

    /// The statement's `ALTER TABLE` and its table, when it is one on an
    /// existing table.
    pub fn existing_alter(&self) -> Option<(&ast::AlterTable, TableName)> {
        let Ok(ast::Statement::AlterTable(alter)) = &self.statement.parsed else {
            return None;
        };
        let table = TableName::from_object(&alter.name)?;
        self.existing(&table).then_some((alter, table))
    }

    /// Whether the step shows a statement of the script itself, not one
    /// inside a `DO` block.
    pub fn is_top_level(&self) -> bool {
        self.script
            .statements
            .get(self.position)
            .is_some_and(|s| std::ptr::eq(s, self.statement))
    }

    /// Whether an earlier statement of the script empties `table` (`DELETE
    /// FROM t` without `WHERE`, `TRUNCATE t`): rewriting it is then free.
    pub fn emptied(&self, table: &TableName) -> bool {
        emptied_before(&self.script.statements, self.statement, table)
    }

    /// From the statement's start to the end of the name of the object it
    /// acts on (`ALTER TABLE IF EXISTS ONLY app.orders`).
    pub fn head(&self) -> Span {
        object_head(self.statement)
    }

    /// A finding of `rule` at `span` of this statement's file.
    pub fn diagnostic(&self, rule: &'static RuleMeta, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(rule, &self.script.file, span, message)
    }
}

/// A whole script (up or down), for rules that judge a file at once; the
/// statements of an up script are then shown one by one as [`Step`]s.
pub(crate) struct ScriptView<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The index of the script's migration in the set.
    pub index: usize,
    /// The script.
    pub script: &'a Script,
    /// Tables and indexes the migration created, by statement.
    pub created: Created<'a>,
    /// Whether each statement runs inside a transaction block.
    pub in_transaction: Vec<bool>,
}

impl<'a> ScriptView<'a> {
    /// The script of migration `index`.
    pub(crate) fn of(set: &'a MigrationSet, index: usize, script: &'a Script) -> ScriptView<'a> {
        ScriptView {
            set,
            index,
            script,
            created: Created::of(set, index, &script.statements),
            in_transaction: transaction::in_transaction(script),
        }
    }

    /// Statement `statement` of the script (or of a `DO` block at `position`),
    /// with the schema `catalog`.
    pub(crate) fn step(
        &'a self,
        position: usize,
        statement: &'a Statement,
        catalog: &'a Catalog,
    ) -> Step<'a> {
        Step {
            set: self.set,
            index: self.index,
            script: self.script,
            position,
            statement,
            catalog,
            created: &self.created,
            in_transaction: self.in_transaction.get(position).copied().unwrap_or(true),
        }
    }
}

/// One change of a set that has a down script: a migration, or the parts of
/// a split popx change (see [`MigrationSet::same_change`]), once its up
/// scripts have run.
pub(crate) struct Change<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The index of the change's first migration.
    pub first: usize,
    /// The index of its last migration.
    pub last: usize,
    /// The schema before the change's up scripts.
    pub before: &'a Catalog,
    /// The schema after them.
    pub after: &'a Catalog,
}

/// The tables and indexes a migration's script creates, with the statement
/// that creates each: what a statement may treat as new (empty, unused). A
/// table created by an earlier part of a split popx change is new too.
pub(crate) struct Created<'a> {
    tables: Vec<(usize, TableName)>,
    earlier_parts: Vec<TableName>,
    statements: &'a [Statement],
    indexes: OnceCell<Vec<(usize, String)>>,
}

impl<'a> Created<'a> {
    /// Reads a script of migration `index`.
    pub(crate) fn of(set: &MigrationSet, index: usize, statements: &'a [Statement]) -> Created<'a> {
        let tables = schema::created_tables(statements)
            .into_iter()
            .map(|c| (c.statement, c.name))
            .collect();
        let earlier_parts = if set.layout == Layout::Pop {
            (0..index)
                .filter(|&earlier| set.same_change(earlier, index))
                .filter_map(|earlier| set.migrations.get(earlier)?.up.as_ref())
                .flat_map(|up| schema::created_tables(&up.statements))
                .map(|created| created.name)
                .collect()
        } else {
            Vec::new()
        };
        Created {
            tables,
            earlier_parts,
            statements,
            indexes: OnceCell::new(),
        }
    }

    /// Whether `table` was created before statement `position`.
    pub(crate) fn before(&self, table: &TableName, position: usize) -> bool {
        self.tables
            .iter()
            .any(|(at, name)| *at < position && name.matches(table))
            || self.earlier_parts.iter().any(|name| name.matches(table))
    }

    /// Whether index `name` was created before statement `position`.
    pub(crate) fn index_before(&self, name: &str, position: usize) -> bool {
        self.indexes
            .get_or_init(|| {
                self.statements
                    .iter()
                    .enumerate()
                    .filter_map(|(position, statement)| {
                        Some((position, create_index(&statement.tokens)?.name?))
                    })
                    .collect()
            })
            .iter()
            .any(|(at, index)| *at < position && index == name)
    }
}

/// Words that may stand between a command and the name it acts on.
const HEAD_WORDS: &[&str] = &[
    "ALTER",
    "DROP",
    "CREATE",
    "TABLE",
    "IF",
    "EXISTS",
    "NOT",
    "ONLY",
    "INDEX",
    "CONCURRENTLY",
    "TYPE",
    "DOMAIN",
    "VIEW",
    "MATERIALIZED",
    "SEQUENCE",
    "SCHEMA",
    "EXTENSION",
    "FUNCTION",
    "PROCEDURE",
    "TRUNCATE",
    "DATABASE",
    "UNIQUE",
    "OR",
    "REPLACE",
    "TEMP",
    "TEMPORARY",
    "UNLOGGED",
    "ROUTINE",
    "AGGREGATE",
    "TRIGGER",
    "POLICY",
];

/// From a statement's start to the end of the first name after its leading
/// command words (the whole statement head when there is none).
pub(crate) fn object_head(statement: &Statement) -> Span {
    let tokens: Vec<&crate::parse::SqlToken> = statement.tokens.iter().collect();
    let mut at = 0;
    while tokens
        .get(at)
        .is_some_and(|t| HEAD_WORDS.iter().any(|w| t.is_word(w)))
    {
        at += 1;
    }
    let end = tokens
        .get(at..)
        .and_then(TableName::from_tokens)
        .and_then(|(_, used)| tokens.get(at + used - 1))
        .map_or_else(|| statement.head(3).end, |t| t.span.end);
    Span::new(statement.span.start, end.max(statement.span.start))
}

/// Whether a statement before `statement` in the script empties `table`
/// (`DELETE FROM t` without `WHERE`, `TRUNCATE t`): the column is then added
/// to an empty table, where it cannot fail.
pub(crate) fn emptied_before(
    statements: &[Statement],
    statement: &Statement,
    table: &TableName,
) -> bool {
    let names_table =
        |name: &ast::ObjectName| TableName::from_object(name).is_some_and(|t| t.matches(table));
    statements
        .iter()
        .take_while(|s| !std::ptr::eq(*s, statement))
        .any(|s| match &s.parsed {
            Ok(ast::Statement::Truncate(truncate)) => {
                truncate.table_names.iter().any(|t| names_table(&t.name))
            }
            Ok(ast::Statement::Delete(delete)) if delete.selection.is_none() => {
                let (ast::FromTable::WithFromKeyword(from) | ast::FromTable::WithoutKeyword(from)) =
                    &delete.from;
                from.iter().any(|t| match &t.relation {
                    ast::TableFactor::Table { name, .. } => names_table(name),
                    _ => false,
                })
            }
            _ => false,
        })
}
