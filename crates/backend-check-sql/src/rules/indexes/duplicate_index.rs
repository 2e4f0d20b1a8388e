//! SQL041: two indexes of a table with the same key.

use backend_check_core::{declare_rule, Sink};

use super::{index_as_created, indexes_of, KeyIndex};
use crate::engine::{SetSchema, SqlRule};
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and finds, at its end, indexes of a
    /// table with the same key columns in the same order and the same access
    /// method as another index, primary key or unique constraint of that
    /// table. The later definition is reported. Partial indexes are not
    /// compared.
    ///
    /// ## Why is this bad?
    /// The second index answers no query the first cannot, yet every insert,
    /// update and delete maintains both, vacuum scans both, and both take disk
    /// and cache. The usual cause is an index created on a column that a
    /// `PRIMARY KEY` or `UNIQUE` constraint already indexes.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE users (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     email text NOT NULL UNIQUE
    /// );
    /// CREATE INDEX users_email_idx ON users (email);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE users (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     email text NOT NULL UNIQUE
    /// );
    /// ```
    ///
    /// ## Options
    /// None. A unique index and a plain index on the same key are duplicates:
    /// the unique one serves every lookup the plain one does.
    pub DuplicateIndex {
        code: "SQL041",
        name: "duplicate-index",
        checklist: DbIndexes,
        group: Suspicious,
        severity: Warning,
        summary: "an index has the same key as another index or key constraint of its table",
    }
}

impl SqlRule for DuplicateIndex {
    /// Checks every table of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for name in schema.catalog.tables.keys() {
            let mut indexes = indexes_of(&schema.catalog, name);
            indexes.retain(|i| !i.partial);
            indexes.sort_by_key(KeyIndex::order);
            for (position, later) in indexes.iter().enumerate() {
                let earlier = indexes.iter().take(position).find(|e| same_key(e, later));
                let Some(earlier) = earlier else {
                    continue;
                };
                let found = schema.diagnostic(
                    &DuplicateIndex::META,
                    &later.origin,
                    later.origin.span,
                    message(name, &index_as_created(schema, later, name), later, earlier),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(help(later, earlier)));
                }
            }
        }
    }
}

fn same_key(a: &KeyIndex<'_>, b: &KeyIndex<'_>) -> bool {
    a.columns == b.columns && a.method == b.method && !(a.constraint && b.constraint)
}

fn describe(index: &KeyIndex<'_>) -> String {
    if index.constraint {
        format!("constraint \"{}\"", index.name)
    } else {
        format!("index \"{}\"", index.name)
    }
}

fn message(
    table: &TableName,
    named: &(String, String),
    later: &KeyIndex<'_>,
    earlier: &KeyIndex<'_>,
) -> String {
    let (head, now) = if later.constraint {
        (format!("{} on {table}", describe(later)), "")
    } else {
        (named.0.clone(), named.1.as_str())
    };
    format!(
        "{head}({}){now} duplicates {}",
        later.columns.join(", "),
        describe(earlier)
    )
}

fn help(later: &KeyIndex<'_>, earlier: &KeyIndex<'_>) -> String {
    let keep_later = later.unique && !earlier.unique;
    let redundant = if keep_later { earlier } else { later };
    format!(
        "drop {}; the other one serves the same lookups",
        describe(redundant)
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn duplicates_of_indexes_and_constraints_fire_at_the_later_one() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, email text UNIQUE, org bigint, name text);\nCREATE INDEX users_email_idx ON users (email);\nCREATE INDEX users_org ON users (org, name);\nCREATE INDEX users_org_name ON users (org, name);\nCREATE INDEX users_name_org ON users (name, org);\nCREATE INDEX users_org_active ON users (org, name) WHERE name IS NOT NULL;\nCREATE INDEX users_gin ON users USING gin (email);\nCREATE INDEX users_id ON users (id);\nDROP INDEX users_id;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL041")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL041", "migrations/1_a.sql", 2, 1),
                at("SQL041", "migrations/1_a.sql", 4, 1)
            ]
        );
    }
}
