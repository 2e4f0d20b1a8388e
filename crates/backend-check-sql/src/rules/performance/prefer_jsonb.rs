//! SQL051: a `json` column where `jsonb` serves better.

use backend_check_core::{declare_rule, Sink};

use super::{check_columns, type_name, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds PostgreSQL columns typed `json` at the end of the migration set,
    /// and reports them where the type was set.
    ///
    /// ## Why is this bad?
    /// `json` stores the text as written and re-parses it on every access; it
    /// has no equality operator (so no `DISTINCT`, `GROUP BY` or unique index)
    /// and no GIN indexing for containment queries. `jsonb` is parsed once,
    /// compares, indexes and is faster to query.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE webhooks ADD COLUMN headers json;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE webhooks ADD COLUMN headers jsonb;
    /// ```
    ///
    /// ## Options
    /// None. Keep `json` where the exact text (key order, duplicate keys,
    /// whitespace) must survive, such as a signed payload; allow the finding
    /// with a reason.
    pub PreferJsonb {
        code: "SQL051",
        name: "prefer-jsonb",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Info,
        summary: "a `json` column where `jsonb` compares, indexes and queries faster",
    }
}

impl SqlRule for PreferJsonb {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &PreferJsonb::META, judge);
    }
}

fn judge(table: &TableName, _: &Table, column: &Column) -> Option<Verdict> {
    (type_name(column) == "json").then(|| {
        (
            format!("column \"{table}.{}\" is json", column.name),
            "use `jsonb` unless the exact text must be kept".to_owned(),
        )
    })
}
