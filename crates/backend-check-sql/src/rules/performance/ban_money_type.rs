//! SQL050: a `money` column.

use backend_check_core::{declare_rule, Sink};

use super::{check_columns, type_name, Verdict};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Finds PostgreSQL columns typed `money` at the end of the migration set,
    /// and reports them where the type was set.
    ///
    /// ## Why is this bad?
    /// `money` has a fixed fraction precision taken from the database's
    /// `lc_monetary` setting, so the same value reads differently on a server
    /// with another locale, it holds no currency, and it rounds on division.
    /// Restoring a dump into a database with another locale corrupts amounts.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE payments (id bigint PRIMARY KEY, amount money NOT NULL);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE payments (
    ///     id bigint PRIMARY KEY,
    ///     amount_cents bigint NOT NULL,
    ///     currency text NOT NULL
    /// );
    /// ```
    ///
    /// ## Options
    /// None.
    pub BanMoneyType {
        code: "SQL050",
        name: "ban-money-type",
        checklist: DbPerformance,
        group: Pedantic,
        severity: Warning,
        summary: "a `money` column depends on the server's locale and holds no currency",
    }
}

impl SqlRule for BanMoneyType {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        check_columns(schema, sink, &BanMoneyType::META, judge);
    }
}

fn judge(table: &TableName, _: &Table, column: &Column) -> Option<Verdict> {
    (type_name(column) == "money").then(|| {
        (
            format!("column \"{table}.{}\" is money", column.name),
            "store amounts as `numeric(p, s)` or integer minor units, with a currency column"
                .to_owned(),
        )
    })
}
