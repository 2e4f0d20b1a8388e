//! SQL048: a `char(n)` column.

use backend_check_core::{declare_rule, Sink};

use super::{check_columns, type_name, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds PostgreSQL columns typed `char(n)` or `character(n)` (also
    /// without a length, which means `char(1)`) at the end of the migration
    /// set, and reports them where the type was set.
    ///
    /// ## Why is this bad?
    /// `char(n)` pads values with spaces to `n` characters, stores the padding,
    /// and ignores trailing spaces when comparing, so `'ab'` and `'ab  '` are
    /// equal in the database but not in the application. It is no faster than
    /// `text` in PostgreSQL and only adds surprises.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE countries (
    ///     code text PRIMARY KEY CHECK (char_length(code) = 2),
    ///     name text NOT NULL
    /// );
    /// ```
    ///
    /// ## Options
    /// None.
    pub BanCharType {
        code: "SQL048",
        name: "ban-char-type",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Warning,
        summary: "a `char(n)` column pads values with spaces and compares them loosely",
    }
}

impl SqlRule for BanCharType {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &BanCharType::META, judge);
    }
}

fn judge(table: &TableName, _: &Table, column: &Column) -> Option<Verdict> {
    if !matches!(type_name(column), "char" | "character") {
        return None;
    }
    let help = if super::base_type(column).ends_with("(36)") {
        "this looks like a UUID: use the `uuid` type (16 bytes, validated)"
    } else {
        "use `text` (with a length check when the length matters)"
    };
    Some((
        format!("column \"{table}.{}\" is {}", column.name, column.data_type),
        help.to_owned(),
    ))
}
