//! Statements the database would refuse given the replayed schema: a down
//! that stops there cannot be run.

use backend_check_core::Span;
use sqlparser::ast::{self, AlterTableOperation, ObjectType};

use super::apply::ident;
use super::catalog::Catalog;
use super::TableName;
use crate::parse::Statement;

/// Why the database would refuse a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The bytes of the statement (or the name) it is about.
    pub span: Span,
    /// What the database would answer, lower-case (`constraint "x" of
    /// relation "t" does not exist: "x" is an index`).
    pub reason: String,
}

impl Catalog {
    /// What the database would refuse in `statement`, run against this
    /// catalog: `DROP CONSTRAINT` naming an index that backs no constraint
    /// (PostgreSQL), `DROP TABLE` without `CASCADE` of a table a foreign
    /// key of another table still references (PostgreSQL, MySQL).
    pub fn refusal(&self, statement: &Statement) -> Option<Refusal> {
        let span = statement.head(3);
        match statement.parsed.as_ref().ok()? {
            ast::Statement::AlterTable(alter) if self.flavor.postgres => {
                let table = TableName::from_object(&alter.name)?;
                alter.operations.iter().find_map(|op| match op {
                    AlterTableOperation::DropConstraint {
                        name,
                        if_exists: false,
                        ..
                    } => self.not_a_constraint(&table, &ident(name), span),
                    _ => None,
                })
            }
            ast::Statement::Drop {
                object_type: ObjectType::Table,
                names,
                cascade: false,
                ..
            } if self.flavor.referenced_drop_refused => {
                let dropped: Vec<TableName> = names
                    .iter()
                    .filter_map(TableName::from_object)
                    .filter_map(|n| self.find_table(&n).cloned())
                    .collect();
                dropped
                    .iter()
                    .find_map(|key| self.still_referenced(key, &dropped, span))
            }
            _ => None,
        }
    }

    fn not_a_constraint(&self, table: &TableName, name: &str, span: Span) -> Option<Refusal> {
        let key = self.find_table(table)?;
        let t = self.tables.get(key)?;
        if t.constraints.iter().any(|c| c == name) {
            return None;
        }
        let index = self.indexes.get(name)?;
        if !index.table.matches(key) {
            return None;
        }
        let kind = if index.unique {
            "a unique index"
        } else {
            "an index"
        };
        Some(Refusal {
            span,
            reason: format!(
                "constraint \"{name}\" of relation \"{key}\" does not exist: \"{name}\" is {kind}, dropped with DROP INDEX"
            ),
        })
    }

    fn still_referenced(
        &self,
        key: &TableName,
        dropped: &[TableName],
        span: Span,
    ) -> Option<Refusal> {
        self.tables
            .iter()
            .filter(|(other, _)| !dropped.contains(other))
            .find_map(|(other, t)| {
                let fk = t.foreign_keys.iter().find(|f| f.references.matches(key))?;
                let by = match &fk.name {
                    Some(name) if self.flavor.postgres || !fk.generated_name => {
                        format!("constraint \"{name}\" on table \"{other}\"")
                    }
                    _ => format!("a foreign key of table \"{other}\""),
                };
                Some(Refusal {
                    span,
                    reason: format!("cannot drop table \"{key}\" because {by} depends on it"),
                })
            })
    }
}
