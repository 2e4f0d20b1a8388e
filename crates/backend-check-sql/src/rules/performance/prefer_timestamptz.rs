//! SQL049: `timestamp` without time zone.

use backend_check_core::{declare_rule, Sink};

use super::{base_type, check_columns, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds PostgreSQL columns typed `timestamp` or `timestamp without time
    /// zone` at the end of the migration set, and reports them where the type
    /// was set.
    ///
    /// ## Why is this bad?
    /// A `timestamp` stores a wall-clock reading with no zone. Values written
    /// by sessions or servers in different zones, or around a daylight-saving
    /// change, cannot be told apart or ordered, and `now()` is silently
    /// converted to the session's local time on the way in. `timestamptz`
    /// takes the same eight bytes and stores an instant.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN shipped_at timestamp;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN shipped_at timestamptz;
    /// ```
    ///
    /// ## Options
    /// None. Info by default: many teams store UTC in `timestamp` columns on
    /// purpose and set the session zone to UTC everywhere. A column that holds
    /// a local date and time on purpose (an appointment in the customer's
    /// zone) may keep `timestamp`; allow the finding with a reason.
    pub PreferTimestamptz {
        code: "SQL049",
        name: "prefer-timestamptz",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Info,
        summary: "a `timestamp` column without time zone stores ambiguous wall-clock times",
    }
}

impl SqlRule for PreferTimestamptz {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &PreferTimestamptz::META, judge);
    }
}

fn judge(table: &TableName, _: &Table, column: &Column) -> Option<Verdict> {
    let base = base_type(column);
    let zoneless = base.starts_with("timestamp")
        && !base.starts_with("timestamptz")
        && !base.contains("with time zone");
    zoneless.then(|| {
        (
            format!(
                "column \"{table}.{}\" is timestamp without time zone",
                column.name
            ),
            "use `timestamptz` (`timestamp with time zone`)".to_owned(),
        )
    })
}
