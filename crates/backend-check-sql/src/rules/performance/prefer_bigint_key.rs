//! SQL045: a 16- or 32-bit primary key.

use backend_check_core::{declare_rule, Sink};

use super::{check_columns, type_name, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds single-column primary keys of PostgreSQL tables typed `integer`,
    /// `smallint`, `serial` or `smallserial` at the end of the migration set,
    /// and reports them where the type was set. Keys the application assigns
    /// from a small domain (a non-`id` key with no identity, `serial` or
    /// `nextval` default, such as `shard_id`) are not reported.
    ///
    /// ## Why is this bad?
    /// A 32-bit key runs out at 2,147,483,647 rows (a `smallint` one at
    /// 32,767), counting every id a rolled-back insert or a sequence cache
    /// skipped. Then inserts fail, and widening the key rewrites the table and
    /// every table whose foreign keys point at it, under an exclusive lock. A
    /// `bigint` costs four more bytes per row.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE events (id serial PRIMARY KEY, payload jsonb NOT NULL);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE events (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     payload jsonb NOT NULL
    /// );
    /// ```
    ///
    /// ## Options
    /// None. Small lookup tables whose rows are written by migrations only
    /// may keep a small key; allow the finding there with a reason.
    pub PreferBigintKey {
        code: "SQL045",
        name: "prefer-bigint-key",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Info,
        summary: "a primary key is a 16- or 32-bit integer that can run out",
    }
}

const SMALL: &[&str] = &[
    "int",
    "integer",
    "int4",
    "int2",
    "smallint",
    "serial",
    "serial4",
    "smallserial",
    "serial2",
];

impl SqlRule for PreferBigintKey {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &PreferBigintKey::META, judge);
    }
}

/// Whether the column is the table's single-column primary key and a 16- or
/// 32-bit integer.
pub(crate) fn is_small_key(t: &Table, column: &Column) -> bool {
    t.primary_key.len() == 1
        && t.primary_key.first() == Some(&column.name)
        && SMALL.contains(&type_name(column))
}

/// Whether the key grows with the table: the database numbers it (identity,
/// `serial`, a `nextval` default) or it is a surrogate `id` with no default
/// (a constant default, `id int DEFAULT 0`, marks a one-row table). A key the
/// application assigns from a small domain (`shard_id`, `queue_type`,
/// `partition_id` with no sequence) has the range it needs.
fn is_numbered(column: &Column) -> bool {
    column.identity
        || (column.name == "id" && column.default.is_none())
        || column
            .default
            .as_deref()
            .is_some_and(|d| d.to_ascii_lowercase().contains("nextval"))
}

fn judge(table: &TableName, t: &Table, column: &Column) -> Option<Verdict> {
    let name = type_name(column);
    (is_small_key(t, column) && is_numbered(column)).then(|| {
        (
            format!(
                "primary key \"{table}.{}\" is {name}, which can run out",
                column.name
            ),
            "use `bigint GENERATED ALWAYS AS IDENTITY` (or `bigint`) for keys".to_owned(),
        )
    })
}
