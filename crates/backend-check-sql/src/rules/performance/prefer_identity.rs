//! SQL046: a `serial` column instead of an identity column.

use backend_check_core::{declare_rule, Sink};

use super::{check_columns, type_name, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds PostgreSQL columns typed `serial`, `bigserial` or `smallserial` at
    /// the end of the migration set, and reports them where the type was set.
    /// Primary keys that `prefer-bigint-key` reports are left to it.
    ///
    /// ## Why is this bad?
    /// `serial` is shorthand for an integer column with a default taken from a
    /// separately owned sequence. Its permissions must be granted apart from
    /// the table's, copying the table (`CREATE TABLE … LIKE`) shares the
    /// sequence, and nothing stops an insert from writing its own ids past the
    /// sequence, which then fails later inserts with duplicate keys. An
    /// identity column (PostgreSQL 10+) is part of the table and `GENERATED
    /// ALWAYS` rejects hand-written ids.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE invoices (id bigserial PRIMARY KEY);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE invoices (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    /// ```
    ///
    /// ## Options
    /// None.
    pub PreferIdentity {
        code: "SQL046",
        name: "prefer-identity",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Info,
        summary: "a `serial` column where an identity column is safer",
    }
}

impl SqlRule for PreferIdentity {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &PreferIdentity::META, judge);
    }
}

fn judge(table: &TableName, t: &Table, column: &Column) -> Option<Verdict> {
    if super::prefer_bigint_key::is_small_key(t, column) {
        return None;
    }
    let name = type_name(column);
    let integer = match name {
        "serial" | "serial4" => "integer",
        "bigserial" | "serial8" => "bigint",
        "smallserial" | "serial2" => "smallint",
        _ => return None,
    };
    Some((
        format!("column \"{table}.{}\" is {name}", column.name),
        format!("use `{integer} GENERATED ALWAYS AS IDENTITY` instead"),
    ))
}
