//! SQL047: `varchar(n)` where `text` with a check is as fast and easier to change.

use backend_check_core::{declare_rule, Sink};

use super::{check_columns, has_modifier, type_name, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds PostgreSQL columns typed `varchar(n)` (`character varying(n)`) at
    /// the end of the migration set, and reports them where the type was set.
    /// `varchar` without a length is not reported.
    ///
    /// ## Why is this bad?
    /// In PostgreSQL `varchar(n)` is stored and compared exactly like `text`;
    /// the length is only a check. But it is a check that is hard to change:
    /// lowering it rewrites the table under an exclusive lock, and a limit
    /// picked by habit (`255`) rejects real data later. `text` with a named
    /// `CHECK (char_length(col) <= n)` enforces the same rule and can be
    /// replaced `NOT VALID` without a rewrite.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE users (id bigint PRIMARY KEY, display_name varchar(255));
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE users (
    ///     id bigint PRIMARY KEY,
    ///     display_name text CONSTRAINT display_name_length CHECK (char_length(display_name) <= 255)
    /// );
    /// ```
    ///
    /// ## Options
    /// None. Off by default: many careful teams use `varchar(n)` on purpose
    /// (the limit documents the data and ORMs read it); select it to enforce
    /// the `text` style.
    pub PreferTextOverVarchar {
        code: "SQL047",
        name: "prefer-text-over-varchar",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Info,
        summary: "a `varchar(n)` column whose length limit is costly to change; `text` with a check is equivalent",
    }
}

impl SqlRule for PreferTextOverVarchar {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &PreferTextOverVarchar::META, judge);
    }
}

fn judge(table: &TableName, _: &Table, column: &Column) -> Option<Verdict> {
    let name = type_name(column);
    let varchar = matches!(name, "varchar" | "character varying");
    (varchar && has_modifier(column)).then(|| {
        (
            format!("column \"{table}.{}\" is {}", column.name, column.data_type),
            "use `text` with a `CHECK (char_length(…) <= n)` constraint".to_owned(),
        )
    })
}
