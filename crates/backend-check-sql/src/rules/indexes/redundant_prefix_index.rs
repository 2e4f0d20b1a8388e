//! SQL042: an index whose key is a prefix of another index's key.

use backend_check_core::{declare_rule, Sink};

use super::{index_as_created, indexes_of, KeyIndex};
use crate::engine::{SetSchema, SqlRule};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and finds, at its end, plain B-tree
    /// indexes whose key columns are the leading columns of a longer B-tree
    /// index, primary key or unique constraint of the same table. Unique and
    /// partial indexes are not reported: they enforce or select something the
    /// longer index does not.
    ///
    /// ## Why is this bad?
    /// A B-tree index on `(a, b)` serves every lookup and sort by `a` alone, so
    /// an index on `(a)` is redundant: it slows every write and takes disk and
    /// cache for lookups the longer index already answers.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX orders_customer_idx ON orders (customer_id);
    /// CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);
    /// ```
    ///
    /// ## Options
    /// None. The shorter index can still win for index-only scans of very wide
    /// keys; allow the finding with a reason when you measured that.
    pub RedundantPrefixIndex {
        code: "SQL042",
        name: "redundant-prefix-index",
        checklist: DbIndexes,
        group: Suspicious,
        severity: Info,
        summary: "an index's columns are the leading columns of another index of its table",
    }
}

impl SqlRule for RedundantPrefixIndex {
    /// Checks every table of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for name in schema.catalog.tables.keys() {
            let indexes = indexes_of(&schema.catalog, name);
            for short in indexes.iter().filter(|i| is_candidate(i)) {
                let longer = indexes.iter().find(|long| is_prefix_of(short, long));
                let Some(longer) = longer else {
                    continue;
                };
                let found = schema.diagnostic(
                    &RedundantPrefixIndex::META,
                    &short.origin,
                    short.origin.span,
                    message(&index_as_created(schema, short, name), short, longer),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(format!(
                        "drop index \"{}\"; \"{}\" serves the same lookups",
                        short.name, longer.name
                    )));
                }
            }
        }
    }
}

fn is_candidate(index: &KeyIndex<'_>) -> bool {
    !index.constraint && !index.unique && !index.partial && index.method == "btree"
}

fn is_prefix_of(short: &KeyIndex<'_>, long: &KeyIndex<'_>) -> bool {
    !long.partial
        && long.method == "btree"
        && long.columns.len() > short.columns.len()
        && long.columns.starts_with(short.columns)
}

fn message(named: &(String, String), short: &KeyIndex<'_>, long: &KeyIndex<'_>) -> String {
    format!(
        "{}({}){} is a prefix of \"{}\" ({})",
        named.0,
        short.columns.join(", "),
        named.1,
        long.name,
        long.columns.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn plain_prefixes_fire_unique_partial_and_other_methods_do_not() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE t (a int, b int, c int, PRIMARY KEY (a, b));\nCREATE INDEX t_a ON t (a);\nCREATE UNIQUE INDEX t_b ON t (b);\nCREATE INDEX t_bc ON t (b, c);\nCREATE INDEX t_c ON t (c) WHERE a > 0;\nCREATE INDEX t_c2 ON t USING hash (c);\nCREATE INDEX t_ca ON t (c, a);\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL042")
            .collect();
        assert_eq!(found, [at("SQL042", "migrations/1_a.sql", 2, 1)]);
    }
}
