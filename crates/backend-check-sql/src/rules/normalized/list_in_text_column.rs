//! SQL064: a text column named as a list (`tag_list`, `member_ids`).

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and reports, at its end, columns of a
    /// plain text type (`text`, `varchar(n)`, `char(n)`, MySQL's `*text`)
    /// whose name says they hold a list: names ending in `_ids`, `_list` or
    /// `_csv` (`member_ids`, `tag_list`). Arrays, `json`/`jsonb` and other
    /// types are not reported, and neither are other plural names, which
    /// usually hold prose (`notes`, `details`).
    ///
    /// ## Why is this bad?
    /// A comma-separated list in one column breaks the first normal form:
    /// the database cannot check that each id exists (no foreign key), cannot
    /// index a single element, and every query that looks for one element
    /// has to split strings or use `LIKE '%,42,%'`, which scans the table and
    /// matches `142` as well.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE teams (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     member_ids text NOT NULL DEFAULT ''
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE team_members (
    ///     team_id bigint NOT NULL REFERENCES teams (id),
    ///     user_id bigint NOT NULL REFERENCES users (id),
    ///     PRIMARY KEY (team_id, user_id)
    /// );
    /// ```
    ///
    /// ## Options
    /// None.
    pub ListInTextColumn {
        code: "SQL064",
        name: "list-in-text-column",
        checklist: DbNormalized,
        group: Pedantic,
        severity: Info,
        summary: "a text column is named as a list of values (tag_list, member_ids)",
    }
}

/// Name endings that say a column holds a list.
const LIST_SUFFIXES: &[&str] = &["_ids", "_list", "_csv"];

impl SqlRule for ListInTextColumn {
    /// Checks every column of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for (name, table) in &schema.catalog.tables {
            if !table.created || table.columns_unknown || table.materialized_view {
                continue;
            }
            for column in table.columns.iter().filter(|c| is_list(c)) {
                let found = schema.diagnostic(
                    &ListInTextColumn::META,
                    &column.type_origin,
                    column.type_origin.span,
                    message(name, column),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(
                    "store one value per row in a child table (with a foreign key), or use an array type",
                ));
                }
            }
        }
    }
}

fn is_list(column: &Column) -> bool {
    let name = column.name.to_ascii_lowercase();
    LIST_SUFFIXES.iter().any(|s| name.ends_with(s)) && is_plain_text(&column.data_type)
}

fn is_plain_text(data_type: &str) -> bool {
    if data_type.contains('[') || data_type.contains("array") {
        return false;
    }
    let base = data_type.split('(').next().unwrap_or_default().trim();
    matches!(
        base,
        "text"
            | "varchar"
            | "character varying"
            | "char"
            | "character"
            | "nvarchar"
            | "nchar"
            | "tinytext"
            | "mediumtext"
            | "longtext"
            | "citext"
            | "clob"
            | "string"
    )
}

fn message(table: &TableName, column: &Column) -> String {
    format!(
        "column \"{table}.{}\" is {} but is named as a list of values",
        column.name, column.data_type
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn text_columns_named_as_lists_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (\n  id bigint PRIMARY KEY,\n  member_ids text,\n  tag_list varchar(200),\n  role_ids bigint[],\n  label_ids jsonb,\n  notes text,\n  user_ids_count int\n);\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL064")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL064", "migrations/1_a.sql", 3, 3),
                at("SQL064", "migrations/1_a.sql", 4, 3)
            ]
        );
    }
}
