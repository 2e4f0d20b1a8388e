//! Checklist item `db.indexes`: foreign keys covered by an index, no
//! duplicate or redundant indexes.

pub mod duplicate_index;
pub mod foreign_key_without_index;
pub mod redundant_prefix_index;

use sqlparser::ast;

use crate::engine::SetSchema;
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

/// The `CREATE INDEX` statement that made `index`, if a parsed one did (not a
/// constraint, nor a statement the parser could not read).
pub(crate) fn create_index_of<'s>(
    schema: &SetSchema<'s>,
    index: &KeyIndex<'_>,
) -> Option<&'s ast::CreateIndex> {
    let statement = schema
        .set
        .migrations
        .get(index.origin.migration)
        .and_then(|m| m.up.as_ref())
        .and_then(|up| up.statements.get(index.origin.statement))?;
    match &statement.parsed {
        Ok(ast::Statement::CreateIndex(create)) => Some(create),
        _ => None,
    }
}

/// How a finding on the `CREATE INDEX` of `index` names it: with the index
/// and table names that statement uses, and the final ones beside them when
/// a later migration renamed either: `index "a_idx" on a(x)`, then
/// ` (now "b_idx" on b)` to follow the column list, or an empty string.
pub(crate) fn index_as_created(
    schema: &SetSchema<'_>,
    index: &KeyIndex<'_>,
    table: &TableName,
) -> (String, String) {
    let now = (
        format!("index \"{}\" on {table}", index.name),
        String::new(),
    );
    let Some(create) = create_index_of(schema, index) else {
        return now;
    };
    let then_name = create
        .name
        .as_ref()
        .and_then(|n| n.0.last())
        .and_then(|part| part.as_ident())
        .map(|ident| ident.value.to_lowercase());
    let then_table = TableName::from_object(&create.table_name);
    let renamed_index = then_name.as_deref().is_some_and(|n| n != index.name);
    let renamed_table = then_table.as_ref().is_some_and(|t| !t.matches(table));
    if index.constraint || !(renamed_index || renamed_table) {
        return now;
    }
    (
        format!(
            "index \"{}\" on {}",
            then_name.as_deref().unwrap_or(index.name),
            then_table.map_or_else(|| table.to_string(), |t| t.to_string())
        ),
        format!(" (now \"{}\" on {table})", index.name),
    )
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

#[cfg(test)]
mod tests {
    use crate::test_support::Repo;

    #[test]
    fn index_findings_name_the_index_as_its_migration_does() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE comment_reply (id bigint PRIMARY KEY, recipient_id bigint, published timestamptz);\nCREATE INDEX idx_comment_reply_recipient ON comment_reply (recipient_id);\nCREATE INDEX idx_comment_reply_recipient_published ON comment_reply (recipient_id, published);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE comment_reply RENAME TO notification;\nALTER INDEX idx_comment_reply_recipient RENAME TO idx_notification_recipient;\n",
        );
        let output = repo.run(&[], None);
        let messages: Vec<&str> = output
            .diagnostics
            .iter()
            .filter(|d| d.rule.code == "SQL042")
            .map(|d| d.message.as_str())
            .collect();
        assert_eq!(
            messages,
            ["index \"idx_comment_reply_recipient\" on comment_reply(recipient_id) (now \"idx_notification_recipient\" on notification) is a prefix of \"idx_comment_reply_recipient_published\" (recipient_id, published)"]
        );
    }
}
