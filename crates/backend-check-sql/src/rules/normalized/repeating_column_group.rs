//! SQL063: numbered columns that repeat one attribute (`phone1`, `phone2`, `phone3`).

use std::collections::BTreeMap;

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Column, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and reports, at its end, tables with
    /// three or more columns that differ only by a trailing number counted
    /// up from 0 or 1 (`phone1`, `phone2`, `phone3`; `tag_1` … `tag_5`). The
    /// finding is at the first column of the group. Two numbered columns are
    /// not a group, and neither are address lines (`address_line1` …
    /// `address_line3`), which postal formats number by design, nor generated
    /// columns (`bool01 … GENERATED ALWAYS AS (attrs->'Bool01') STORED`), which
    /// index slots of a value stored once elsewhere.
    ///
    /// ## Why is this bad?
    /// A repeating group breaks the first normal form: the number of values
    /// is fixed by the schema, a fourth phone number needs a migration,
    /// every query must look in each column (`WHERE phone1 = $1 OR phone2 =
    /// $1 OR …`), no single index covers the lookup, and a unique constraint
    /// cannot stop the same value appearing twice.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE contacts (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     phone1 text,
    ///     phone2 text,
    ///     phone3 text
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE contact_phones (
    ///     contact_id bigint NOT NULL REFERENCES contacts (id),
    ///     position smallint NOT NULL,
    ///     phone text NOT NULL,
    ///     PRIMARY KEY (contact_id, position)
    /// );
    /// ```
    ///
    /// ## Options
    /// None.
    pub RepeatingColumnGroup {
        code: "SQL063",
        name: "repeating-column-group",
        checklist: DbNormalized,
        group: Pedantic,
        severity: Info,
        summary: "a table repeats one attribute in numbered columns (phone1, phone2, phone3)",
    }
}

/// The fewest numbered columns that make a group.
const MIN_GROUP: usize = 3;

/// Stems that are numbered by design.
const NUMBERED_BY_DESIGN: &[&str] = &["address_line", "addressline", "line", "street", "address"];

impl SqlRule for RepeatingColumnGroup {
    /// Checks every table of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for (name, table) in &schema.catalog.tables {
            if !table.created || table.columns_unknown || table.materialized_view {
                continue;
            }
            for group in groups(&table.columns) {
                let Some(first) = group.first() else {
                    continue;
                };
                let found = schema.diagnostic(
                    &RepeatingColumnGroup::META,
                    &first.origin,
                    first.origin.span,
                    message(name, &group),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(
                        "move the repeated values into a child table with one row per value",
                    ));
                }
            }
        }
    }
}

/// Groups of numbered columns with the same stem, in column order.
fn groups(columns: &[Column]) -> Vec<Vec<&Column>> {
    let mut by_stem: BTreeMap<&str, Vec<(u32, &Column)>> = BTreeMap::new();
    for column in columns.iter().filter(|c| !c.generated) {
        if let Some((stem, number)) = numbered(&column.name) {
            by_stem.entry(stem).or_default().push((number, column));
        }
    }
    let mut out: Vec<Vec<&Column>> = by_stem
        .into_values()
        .filter(|members| members.len() >= MIN_GROUP && counts_up(members))
        .map(|members| members.into_iter().map(|(_, c)| c).collect())
        .collect();
    out.sort_by_key(|g| g.first().map(|c| (c.origin.migration, c.origin.span.start)));
    out
}

/// `phone2` → `("phone", 2)`; `tag_10` → `("tag", 10)`. The stem must have
/// at least two letters and not be numbered by design.
fn numbered(name: &str) -> Option<(&str, u32)> {
    let digits = name.len() - name.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return None;
    }
    let (stem, number) = name.split_at(name.len() - digits);
    let stem = stem.strip_suffix('_').unwrap_or(stem);
    let letters = stem.chars().filter(char::is_ascii_alphabetic).count();
    let designed = NUMBERED_BY_DESIGN.iter().any(|d| stem.ends_with(d));
    if letters < 2 || designed || stem.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((stem, number.parse().ok()?))
}

/// Whether the numbers are 0.. or 1.. without gaps.
fn counts_up(members: &[(u32, &Column)]) -> bool {
    let mut numbers: Vec<u32> = members.iter().map(|(n, _)| *n).collect();
    numbers.sort_unstable();
    numbers.dedup();
    let start = numbers.first().copied().unwrap_or_default();
    numbers.len() == members.len()
        && start <= 1
        && numbers
            .iter()
            .zip(start..)
            .all(|(n, expected)| *n == expected)
}

fn message(table: &TableName, group: &[&Column]) -> String {
    let names: Vec<String> = group.iter().map(|c| format!("\"{}\"", c.name)).collect();
    format!(
        "columns {} of table \"{table}\" repeat one attribute",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn numbered_groups_of_three_fire_once() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE c (\n  id bigint PRIMARY KEY,\n  phone1 text, phone2 text, phone3 text,\n  address_line1 text, address_line2 text, address_line3 text,\n  x1 int, x2 int, x3 int,\n  sha1 text, sha256 text,\n  email_1 text, email_2 text,\n  level2 int, level3 int, level4 int\n);\nALTER TABLE c ADD COLUMN tag_0 text, ADD COLUMN tag_1 text, ADD COLUMN tag_2 text;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL063")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL063", "migrations/1_a.sql", 3, 3),
                at("SQL063", "migrations/1_a.sql", 10, 26)
            ]
        );
    }
}
