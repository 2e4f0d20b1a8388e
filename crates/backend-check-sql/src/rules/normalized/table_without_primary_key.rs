//! SQL059: a table without a primary key.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Catalog, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and finds tables that have no primary
    /// key at its end, nor a unique constraint or unique index whose columns
    /// are all `NOT NULL` (which identifies rows just as well). The finding is
    /// at the table's `CREATE TABLE`. Temporary tables, partitions, tables
    /// created from a query, tables the set never created and migration tools'
    /// own tables (`alembic_version`, `schema_migrations`) are not reported.
    ///
    /// ## Why is this bad?
    /// Without a key, nothing stops the same row from being inserted twice, and
    /// a single row cannot be updated or deleted reliably, by people or by
    /// tools: ORMs need a key to track rows, PostgreSQL logical replication
    /// cannot replicate updates and deletes of a table without a replica
    /// identity, and MySQL falls back to a hidden key that replication handles
    /// badly.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE user_roles (
    ///     user_id bigint NOT NULL REFERENCES users (id),
    ///     role text NOT NULL
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE user_roles (
    ///     user_id bigint NOT NULL REFERENCES users (id),
    ///     role text NOT NULL,
    ///     PRIMARY KEY (user_id, role)
    /// );
    /// ```
    ///
    /// ## Options
    /// None. Append-only log tables may go without a key on purpose; allow the
    /// finding with a reason.
    pub TableWithoutPrimaryKey {
        code: "SQL059",
        name: "table-without-primary-key",
        checklist: DbNormalized,
        group: Pedantic,
        severity: Warning,
        summary: "a table has no primary key (nor a unique key over non-null columns)",
    }
}

/// Tables of migration tools, which are not the application's.
const TOOL_TABLES: &[&str] = &[
    "alembic_version",
    "schema_migrations",
    "__diesel_schema_migrations",
    "_sqlx_migrations",
    "flyway_schema_history",
    "goose_db_version",
    "refinery_schema_history",
    "schema_version",
];

impl SqlRule for TableWithoutPrimaryKey {
    /// Checks the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for (name, table) in &schema.catalog.tables {
            if !table.created
                || table.columns_unknown
                || table.materialized_view
                || TOOL_TABLES.contains(&name.name.as_str())
            {
                continue;
            }
            if !table.primary_key.is_empty() || has_non_null_unique(&schema.catalog, name, table) {
                continue;
            }
            let origin = &table.origin;
            let found = schema.diagnostic(
                &TableWithoutPrimaryKey::META,
                origin,
                origin.span,
                schema.in_names_of_the_time(
                    origin,
                    name,
                    None,
                    format!("table \"{name}\" has no primary key"),
                ),
            );
            if let Some(d) = found {
                sink.push(d.with_help(
                "add a primary key (a `bigint GENERATED ALWAYS AS IDENTITY` column, or the natural key's columns)",
            ));
            }
        }
    }
}

fn has_non_null_unique(catalog: &Catalog, name: &TableName, table: &Table) -> bool {
    let non_null = |columns: &[String]| {
        !columns.is_empty()
            && columns
                .iter()
                .all(|c| table.column(c).is_some_and(|col| !col.nullable))
    };
    table.unique.iter().any(|u| non_null(&u.columns))
        || catalog
            .indexes_of(name)
            .any(|(_, i)| i.unique && !i.partial && non_null(&i.columns))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn keyless_tables_fire_at_their_create() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE a (id bigint PRIMARY KEY);\nCREATE TABLE b (x int, y int);\nCREATE TABLE c (x int NOT NULL, y int NOT NULL);\nCREATE UNIQUE INDEX c_xy ON c (x, y);\nCREATE TABLE d (x int UNIQUE);\nCREATE TABLE e (x int);\nALTER TABLE e ADD PRIMARY KEY (x);\nCREATE TABLE f AS SELECT 1 AS x;\nALTER TABLE g ADD COLUMN z int;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL059")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL059", "migrations/1_a.sql", 2, 1),
                at("SQL059", "migrations/1_a.sql", 5, 1)
            ]
        );
    }
}
