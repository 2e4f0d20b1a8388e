//! SQL040: a foreign key whose columns no index covers.

use backend_check_core::{declare_rule, Sink, SqlDialect};

use sqlparser::ast;

use super::{create_index_of, indexes_of, KeyIndex};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{ForeignKey, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and finds foreign keys whose columns
    /// are not the leading columns of any index, primary key or unique
    /// constraint of their table at the end of the set. The finding points at
    /// the foreign key's definition. MySQL sets are not checked (InnoDB creates
    /// the index itself, and so does H2). Keys to lookup tables (names ending
    /// in `_types`, `_kinds`, `_statuses`, `_states`, `_categories`) are not
    /// reported: their rows are hardly ever deleted.
    ///
    /// ## Why is this bad?
    /// PostgreSQL and SQLite do not index the referencing side of a foreign
    /// key. Every `DELETE` or key `UPDATE` of a referenced row then scans the
    /// whole referencing table to enforce the constraint (with `ON DELETE
    /// CASCADE`, to find the rows to delete), and joins from the parent to its
    /// children scan too. Both get slower as the table grows, and the scans
    /// hold locks while they run.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE order_items (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE order_items (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     order_id bigint NOT NULL REFERENCES orders (id) ON DELETE CASCADE
    /// );
    /// CREATE INDEX order_items_order_id_idx ON order_items (order_id);
    /// ```
    ///
    /// ## Options
    /// None. An index whose leading columns are the key's columns, in any
    /// order, covers it; so does a partial one whose predicate only asks the
    /// key columns to be non-null (`WHERE post_id IS NOT NULL`). Other partial
    /// indexes and non-B-tree indexes do not.
    pub ForeignKeyWithoutIndex {
        code: "SQL040",
        name: "foreign-key-without-index",
        checklist: DbIndexes,
        group: Pedantic,
        severity: Warning,
        summary: "no index covers the columns of a foreign key, so deletes of referenced rows and joins scan the table",
    }
}

impl SqlRule for ForeignKeyWithoutIndex {
    /// Checks every foreign key of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        if schema.set.dialect == SqlDialect::MySql || schema.set.engine == Some("h2") {
            return;
        }
        for (name, table) in &schema.catalog.tables {
            let indexes = indexes_of(&schema.catalog, name);
            for fk in &table.foreign_keys {
                if fk.columns.is_empty()
                    || is_lookup(&fk.references)
                    || indexes.iter().any(|i| {
                        i.covers(&fk.columns) || covers_non_null_keys(schema, i, &fk.columns)
                    })
                {
                    continue;
                }
                let found = schema.diagnostic(
                    &ForeignKeyWithoutIndex::META,
                    &fk.origin,
                    fk.origin.span,
                    schema.in_names_of_the_time(&fk.origin, name, None, message(name, fk)),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(help(name, fk)));
                }
            }
        }
    }
}

/// Whether a partial B-tree index whose predicate only asks the key columns
/// to be non-null (`WHERE post_id IS NOT NULL`) covers the key: every lookup
/// by a key value (`post_id = $1`) implies the predicate, so the planner uses
/// it for the delete checks and the joins alike.
fn covers_non_null_keys(schema: &SetSchema<'_>, index: &KeyIndex<'_>, columns: &[String]) -> bool {
    if !index.partial || index.method != "btree" {
        return false;
    }
    let whole = KeyIndex {
        partial: false,
        ..index.clone()
    };
    if !whole.covers(columns) {
        return false;
    }
    let Some(create) = create_index_of(schema, index) else {
        return false;
    };
    create
        .predicate
        .as_ref()
        .is_some_and(|predicate| only_not_null_of(predicate, columns))
}

fn only_not_null_of(predicate: &ast::Expr, columns: &[String]) -> bool {
    match predicate {
        ast::Expr::Nested(inner) => only_not_null_of(inner, columns),
        ast::Expr::BinaryOp {
            left,
            op: ast::BinaryOperator::And,
            right,
        } => only_not_null_of(left, columns) && only_not_null_of(right, columns),
        ast::Expr::IsNotNull(inner) => match inner.as_ref() {
            ast::Expr::Identifier(ident) => {
                columns.iter().any(|c| c.eq_ignore_ascii_case(&ident.value))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether the referenced table looks like a lookup table (`order_statuses`,
/// `credential_types`), whose rows are hardly ever deleted, so the missing
/// index costs nothing.
fn is_lookup(table: &TableName) -> bool {
    const SUFFIXES: &[&str] = &[
        "type",
        "types",
        "kind",
        "kinds",
        "status",
        "statuses",
        "state",
        "states",
        "category",
        "categories",
    ];
    let name = table.name.to_ascii_lowercase();
    SUFFIXES
        .iter()
        .any(|s| name == *s || name.ends_with(&format!("_{s}")))
}

fn message(table: &TableName, fk: &ForeignKey) -> String {
    format!(
        "foreign key \"{}\"({}) to \"{}\" has no index on its columns",
        table,
        fk.columns.join(", "),
        fk.references
    )
}

fn help(table: &TableName, fk: &ForeignKey) -> String {
    format!(
        "add `CREATE INDEX ON {table} ({})` (CONCURRENTLY on a live table)",
        fk.columns.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};
    use backend_check_core::SqlDialect;

    fn sql040(repo: &Repo, dialect: Option<SqlDialect>) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], dialect)
            .into_iter()
            .filter(|f| f.0 == "SQL040")
            .collect()
    }

    #[test]
    fn uncovered_keys_fire_at_their_definition_until_a_later_index_covers_them() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE posts (\n  id bigint PRIMARY KEY,\n  author_id bigint REFERENCES users (id),\n  editor_id bigint REFERENCES users (id),\n  CONSTRAINT posts_pair FOREIGN KEY (author_id, editor_id) REFERENCES pairs (a, b)\n);\nCREATE TABLE tags (post_id bigint REFERENCES posts (id), tag text, PRIMARY KEY (post_id, tag));\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "CREATE INDEX posts_editor ON posts (editor_id, author_id);\n",
        );
        assert_eq!(
            sql040(&repo, None),
            [at("SQL040", "migrations/1_a.sql", 4, 20)]
        );
    }

    #[test]
    fn mysql_creates_the_index_itself() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint, FOREIGN KEY (author_id) REFERENCES users (id));\n",
        );
        assert!(sql040(&repo, Some(SqlDialect::MySql)).is_empty());
        assert_eq!(sql040(&repo, Some(SqlDialect::Sqlite)).len(), 1);
    }
}
