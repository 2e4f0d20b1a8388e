//! Which tables and indexes a statement may treat as new: created earlier in
//! the same migration (or in an earlier part of a split popx change).

use sqlparser::ast;

use crate::model::{MigrationSet, Script};
use crate::parse::Statement;
use crate::schema::{self, TableName};

/// An `ALTER TABLE` of an up script on a table the migration did not create
/// before that statement, so the table may hold rows and be in use.
pub(crate) struct ExistingAlter<'a> {
    /// The statement.
    pub(crate) statement: &'a Statement,
    /// Its parsed form.
    pub(crate) alter: &'a ast::AlterTable,
    /// The table it alters.
    pub(crate) table: TableName,
}

/// The up script of migration `index` and its `ALTER TABLE`s on existing tables.
pub(crate) fn alters_of_existing_tables(
    set: &MigrationSet,
    index: usize,
) -> Option<(&Script, Vec<ExistingAlter<'_>>)> {
    let up = set.migrations.get(index)?.up.as_ref()?;
    let fresh = Fresh::of(set, index, &up.statements);
    let alters = up
        .statements
        .iter()
        .enumerate()
        .filter_map(|(position, statement)| {
            let Ok(ast::Statement::AlterTable(alter)) = &statement.parsed else {
                return None;
            };
            let table = TableName::from_object(&alter.name)?;
            (!fresh.table(&table, position)).then_some(ExistingAlter {
                statement,
                alter,
                table,
            })
        })
        .collect();
    Some((up, alters))
}

/// What one up migration created before each statement.
pub(crate) struct Fresh {
    tables: Vec<(usize, TableName)>,
    earlier_parts: Vec<TableName>,
    indexes: Vec<(usize, String)>,
}

impl Fresh {
    /// Reads the up script of migration `index`.
    pub(crate) fn of(set: &MigrationSet, index: usize, statements: &[Statement]) -> Fresh {
        let tables = schema::created_tables(statements)
            .into_iter()
            .map(|c| (c.statement, c.name))
            .collect();
        let earlier_parts = (0..index)
            .filter(|&earlier| set.same_change(earlier, index))
            .filter_map(|earlier| set.migrations.get(earlier)?.up.as_ref())
            .flat_map(|up| schema::created_tables(&up.statements))
            .map(|created| created.name)
            .collect();
        let indexes = statements
            .iter()
            .enumerate()
            .filter_map(|(position, statement)| {
                let created =
                    crate::rules::migration_safety::create_index_without_concurrently::create_index(&statement.tokens)?;
                Some((position, created.name?))
            })
            .collect();
        Fresh {
            tables,
            earlier_parts,
            indexes,
        }
    }

    /// Whether `table` was created before statement `position`.
    pub(crate) fn table(&self, table: &TableName, position: usize) -> bool {
        self.tables
            .iter()
            .any(|(at, name)| *at < position && name.matches(table))
            || self.earlier_parts.iter().any(|name| name.matches(table))
    }

    /// Whether index `name` was created before statement `position`.
    pub(crate) fn index(&self, name: &str, position: usize) -> bool {
        self.indexes
            .iter()
            .any(|(at, index)| *at < position && index == name)
    }
}
