//! Checklist item `db.indexes`: foreign keys covered by an index, no
//! duplicate or redundant indexes.

pub mod duplicate_index;
pub mod foreign_key_without_index;
pub mod redundant_prefix_index;

use crate::schema::{Catalog, Origin, TableName};

/// An index of a table: a named index, or the index behind a primary key or
/// unique constraint.
#[derive(Debug, Clone)]
pub(crate) struct KeyIndex<'a> {
    /// Its name (the constraint's name for a constraint).
    pub name: &'a str,
    /// Its key columns or expressions, in order.
    pub columns: &'a [String],
    /// Whether it is unique (constraints always are).
    pub unique: bool,
    /// Whether it is partial.
    pub partial: bool,
    /// Its access method.
    pub method: &'a str,
    /// Whether it backs a constraint.
    pub constraint: bool,
    /// Where it was defined.
    pub origin: Origin,
}

impl KeyIndex<'_> {
    /// The order of definition.
    pub fn order(&self) -> (usize, usize, usize) {
        (
            self.origin.migration,
            self.origin.statement,
            self.origin.span.start,
        )
    }

    /// Whether the index serves lookups by `columns` (in any order): they
    /// are its leading columns and it indexes every row.
    pub fn covers(&self, columns: &[String]) -> bool {
        !self.partial
            && self.method == "btree"
            && self.columns.len() >= columns.len()
            && self
                .columns
                .get(..columns.len())
                .is_some_and(|lead| columns.iter().all(|c| lead.contains(c)))
    }
}

/// The indexes of a table, constraints first, then by name.
pub(crate) fn indexes_of<'a>(catalog: &'a Catalog, table: &'a TableName) -> Vec<KeyIndex<'a>> {
    let mut out = Vec::new();
    if let Some(t) = catalog.tables.get(table) {
        let constraints = t.primary_key_constraint.iter().chain(&t.unique);
        for c in constraints.filter(|c| !c.columns.is_empty()) {
            out.push(KeyIndex {
                name: c.name.as_deref().unwrap_or_default(),
                columns: &c.columns,
                unique: true,
                partial: false,
                method: "btree",
                constraint: true,
                origin: c.origin,
            });
        }
    }
    for (name, index) in catalog.indexes_of(table) {
        out.push(KeyIndex {
            name,
            columns: &index.columns,
            unique: index.unique,
            partial: index.partial,
            method: &index.method,
            constraint: false,
            origin: index.origin,
        });
    }
    out
}
