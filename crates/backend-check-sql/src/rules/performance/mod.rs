//! Checklist item `db.performance`: PostgreSQL column types that cost at
//! scale. Each rule reads the final schema and reports a column once, where
//! its type was last set, so a type a later migration fixed is not reported.

pub mod ban_char_type;
pub mod ban_money_type;
pub mod prefer_bigint_key;
pub mod prefer_identity;
pub mod prefer_jsonb;
pub mod prefer_text_over_varchar;
pub mod prefer_timestamptz;

use backend_check_core::{RuleMeta, Sink};

use crate::engine::SetSchema;
use crate::schema::{Column, Table, TableName};

/// What a rule says about a column: its message and help.
pub(crate) type Verdict = (String, String);

/// Runs `judge` on every column of every table of a PostgreSQL set's final
/// schema and reports its verdicts where the type was set: one finding per
/// table and statement, at its first column, naming every column.
pub(crate) fn check_columns(
    schema: &SetSchema<'_>,
    sink: &mut Sink<'_>,
    rule: &'static RuleMeta,
    judge: impl Fn(&TableName, &Table, &Column) -> Option<Verdict>,
) {
    if !schema.set.is_postgres() {
        return;
    }
    for (name, table) in &schema.catalog.tables {
        if !table.created || table.materialized_view {
            continue;
        }
        let mut groups: Vec<(&Column, Verdict, Vec<&str>)> = Vec::new();
        for column in &table.columns {
            let Some(verdict) = judge(name, table, column) else {
                continue;
            };
            let same = |(first, _, _): &&mut (&Column, Verdict, Vec<&str>)| {
                (first.type_origin.migration, first.type_origin.statement)
                    == (column.type_origin.migration, column.type_origin.statement)
            };
            match groups.iter_mut().find(|g| same(g)) {
                Some(group) => group.2.push(&column.name),
                None => groups.push((column, verdict, Vec::new())),
            }
        }
        for (column, (message, help), others) in groups {
            let origin = &column.type_origin;
            let message = schema.in_names_of_the_time(
                origin,
                name,
                Some(&column.name),
                with_others(message, &others),
            );
            if let Some(d) = schema.diagnostic(rule, origin, origin.span, message) {
                sink.push(d.with_help(help));
            }
        }
    }
}

fn with_others(message: String, others: &[&str]) -> String {
    match others {
        [] => message,
        [one] => format!("{message} (and column \"{one}\")"),
        many => format!(
            "{message} (and {} more columns: {})",
            many.len(),
            many.join(", ")
        ),
    }
}

/// The base type of a column: lower-case, without array brackets.
pub(crate) fn base_type(column: &Column) -> &str {
    column.data_type.trim_end_matches("[]").trim()
}

/// The type name without its modifiers: `varchar(20)` → `varchar`.
pub(crate) fn type_name(column: &Column) -> &str {
    let base = base_type(column);
    base.split('(').next().unwrap_or(base).trim()
}

/// Whether the type has a length or precision modifier.
pub(crate) fn has_modifier(column: &Column) -> bool {
    base_type(column).contains('(')
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};
    use backend_check_core::SqlDialect;

    const SCHEMA: &str = "CREATE TABLE a (\n  id serial PRIMARY KEY,\n  code char(2),\n  name varchar(80),\n  note varchar,\n  seen timestamp,\n  done timestamp without time zone,\n  ok timestamptz,\n  price money,\n  doc json,\n  docb jsonb,\n  tags varchar(10)[]\n);\nCREATE TABLE b (id integer, x int, PRIMARY KEY (id));\nCREATE TABLE c (id bigserial PRIMARY KEY, at timestamp);\nALTER TABLE c ALTER COLUMN at TYPE timestamptz;\n";

    fn found(dialect: Option<SqlDialect>) -> Vec<(String, String, usize, usize)> {
        let repo = Repo::new();
        repo.write("migrations/1_a.sql", SCHEMA);
        let codes = ["SQL045", "SQL046", "SQL048", "SQL049", "SQL050", "SQL051"];
        repo.findings_with(&codes, dialect)
            .into_iter()
            .filter(|f| codes.contains(&f.0.as_str()))
            .collect()
    }

    #[test]
    fn each_type_fires_once_where_it_was_set() {
        let f = "migrations/1_a.sql";
        assert_eq!(
            found(None),
            [
                at("SQL045", f, 2, 3),
                at("SQL045", f, 14, 17),
                at("SQL046", f, 15, 17),
                at("SQL048", f, 3, 3),
                at("SQL049", f, 6, 3),
                at("SQL050", f, 9, 3),
                at("SQL051", f, 10, 3),
            ]
        );
    }

    #[test]
    fn only_postgres_is_checked() {
        assert!(found(Some(SqlDialect::MySql)).is_empty());
        assert!(found(Some(SqlDialect::Sqlite)).is_empty());
    }
}
