//! SQL066: a `<name>_id` column that matches another table's key but has no foreign key.

use backend_check_core::{declare_rule, Sink, SqlDialect};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Catalog, Column, Table, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and looks, in the final schema, for
    /// columns named after another table (`user_id`, `user_uuid` or `userid`
    /// for a table `users` or `user`) whose type matches that table's
    /// single-column primary key `id` (or `uuid`), that are `NOT NULL` and
    /// have no foreign key. Only sets that declare foreign keys somewhere are
    /// checked: a schema without any has chosen to keep references in the
    /// application. Nullable columns (often soft references added later),
    /// tables named like logs, events, audit trails or history (which
    /// outlive the rows they mention), and SQLite sets (whose table rebuilds
    /// the replay cannot follow for foreign keys) are skipped, and so is a
    /// column with a comment about references or foreign keys on its line or
    /// just above it.
    ///
    /// ## Why is this bad?
    /// Nothing stops the column from pointing at a row that never existed or
    /// was deleted; orphans accumulate and joins silently drop them. The
    /// rest of the schema uses foreign keys, so this one was most likely
    /// forgotten.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE users (id bigint PRIMARY KEY);
    /// CREATE TABLE orders (
    ///     id bigint PRIMARY KEY,
    ///     customer_id bigint REFERENCES customers (id),
    ///     user_id bigint NOT NULL
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE orders (
    ///     id bigint PRIMARY KEY,
    ///     customer_id bigint REFERENCES customers (id),
    ///     user_id bigint NOT NULL REFERENCES users (id)
    /// );
    /// ```
    ///
    /// ## Options
    /// None. Allow the finding with a reason where the reference is kept
    /// loose on purpose (a log that outlives its rows, a sharded table).
    pub IdColumnWithoutForeignKey {
        code: "SQL066",
        name: "id-column-without-foreign-key",
        checklist: DbIntegrity,
        group: Pedantic,
        severity: Info,
        summary: "a column named like a reference to another table's key has no foreign key",
    }
}

impl SqlRule for IdColumnWithoutForeignKey {
    /// Checks every column of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        let catalog = &schema.catalog;
        let uses_foreign_keys = catalog.tables.values().any(|t| !t.foreign_keys.is_empty());
        if schema.set.dialect == SqlDialect::Sqlite || !uses_foreign_keys {
            return;
        }
        for (name, table) in &catalog.tables {
            if !table.created || table.materialized_view || table.columns_unknown || log_like(name)
            {
                continue;
            }
            for column in &table.columns {
                let Some((target, key)) = referenced(catalog, name, table, column) else {
                    continue;
                };
                if explained(schema, column) {
                    continue;
                }
                let found = schema.diagnostic(
                &IdColumnWithoutForeignKey::META,
                &column.origin,
                column.origin.span,
                schema.in_names_of_the_time(
                    &column.origin,
                    name,
                    Some(&column.name),
                    format!(
                        "column \"{name}.{}\" looks like a reference to {target}({key}) but has no foreign key",
                        column.name
                    ),
                ),
            );
                if let Some(d) = found {
                    sink.push(d.with_help(format!(
                    "add `REFERENCES {target} ({key})`, or allow this with the reason the reference stays unchecked"
                )));
                }
            }
        }
    }
}

/// The table and key a column seems to reference, when no foreign key covers it.
fn referenced<'a>(
    catalog: &'a Catalog,
    own_name: &TableName,
    own: &Table,
    column: &Column,
) -> Option<(&'a TableName, &'a str)> {
    let has_key = own
        .foreign_keys
        .iter()
        .any(|f| f.columns.contains(&column.name));
    if column.nullable || column.generated || has_key {
        return None;
    }
    let (stem, key) = stem(&column.name)?;
    candidates(stem).into_iter().find_map(|table_name| {
        let wanted = TableName::new(own_name.schema.as_deref(), &table_name);
        let found = catalog.find_table(&wanted)?;
        let target = catalog.table(found)?;
        let target_key = match target.primary_key.as_slice() {
            [one] => one,
            _ => return None,
        };
        let usable = target.created && !target.materialized_view && found != own_name;
        let matches = usable
            && target_key == key
            && same_kind(&column.data_type, &target.column(target_key)?.data_type);
        matches.then_some((found, target_key.as_str()))
    })
}

/// Whether a comment on the column's line or the three lines above it talks
/// about references or foreign keys: the author left the key out on purpose.
fn explained(schema: &SetSchema<'_>, column: &Column) -> bool {
    let Some(file) = schema.file(&column.origin) else {
        return false;
    };
    let line = file.line_index(column.origin.span.start);
    (line.saturating_sub(3)..=line).any(|at| {
        let text = file.line_text(at).to_lowercase();
        let comment = text.find("--").or_else(|| text.find("/*"));
        comment.is_some_and(|start| {
            let comment = text.get(start..).unwrap_or_default();
            ["reference", "foreign key", "fk"]
                .iter()
                .any(|w| comment.contains(w))
        })
    })
}

/// Tables that keep references loose on purpose, to outlive the rows they
/// mention: logs, events, audit trails, history.
fn log_like(table: &TableName) -> bool {
    let name = table.name.to_lowercase();
    ["log", "event", "audit", "history", "archive"]
        .iter()
        .any(|word| {
            name.split('_')
                .any(|part| part.trim_end_matches('s') == *word)
        })
}

/// `user_id` → (`user`, `id`); `user_uuid` → (`user`, `uuid`); `userid` → (`user`, `id`).
fn stem(column: &str) -> Option<(&str, &str)> {
    let (stem, key) = if let Some(stem) = column.strip_suffix("_id") {
        (stem, "id")
    } else if let Some(stem) = column.strip_suffix("_uuid") {
        (stem, "uuid")
    } else {
        (column.strip_suffix("id")?, "id")
    };
    (stem.len() >= 2 && !stem.ends_with('_')).then_some((stem, key))
}

/// The table names a stem may denote: `user`, `users`; `address`,
/// `addresses`; `category`, `categories`.
fn candidates(stem: &str) -> Vec<String> {
    let mut names = vec![format!("{stem}s"), stem.to_owned()];
    if stem.ends_with('s') || stem.ends_with('x') || stem.ends_with("ch") || stem.ends_with("sh") {
        names.push(format!("{stem}es"));
    }
    if let Some(base) = stem.strip_suffix('y') {
        names.push(format!("{base}ies"));
    }
    names
}

/// Whether two column types hold the same kind of key.
fn same_kind(a: &str, b: &str) -> bool {
    let kind = |t: &str| {
        let base = t.split('(').next().unwrap_or_default().trim();
        let base = base.strip_suffix(" unsigned").unwrap_or(base);
        match base {
            "smallint" | "int2" | "smallserial" | "int" | "integer" | "int4" | "serial"
            | "mediumint" | "bigint" | "int8" | "bigserial" | "serial8" | "serial4" => "integer",
            "text" | "varchar" | "character varying" | "char" | "character" | "citext" => "text",
            "uuid" => "uuid",
            "binary" | "varbinary" | "blob" | "bytea" => "binary",
            other => other,
        }
        .to_owned()
    };
    !a.is_empty() && kind(a) == kind(b)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql066(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL066")
            .collect()
    }

    #[test]
    fn reference_like_columns_without_foreign_keys_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE categories (id uuid PRIMARY KEY);\nCREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  user_id bigint NOT NULL,\n  buyer_id bigint REFERENCES users (id),\n  category_id uuid NOT NULL,\n  paid boolean,\n  userid text,\n  owner_id bigint\n);\nCREATE TABLE items (id bigint PRIMARY KEY, order_id bigint);\nALTER TABLE items ADD FOREIGN KEY (order_id) REFERENCES orders (id);\n",
        );
        let f = "migrations/1_a.sql";
        assert_eq!(
            sql066(&repo),
            [at("SQL066", f, 5, 3), at("SQL066", f, 7, 3)]
        );
    }

    #[test]
    fn sets_without_any_foreign_key_are_not_checked() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL);\n",
        );
        assert!(sql066(&repo).is_empty());
    }
}
