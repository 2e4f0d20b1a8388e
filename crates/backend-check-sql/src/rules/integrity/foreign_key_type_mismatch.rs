//! SQL060: a foreign key column whose type cannot hold every referenced key.

use backend_check_core::{declare_rule, Sink, SqlDialect};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Catalog, Column, ForeignKey, Table};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and compares, at its end, the type of
    /// each single-column foreign key with the type of the column it
    /// references: a narrower integer (`integer` referencing `bigint`), or a
    /// different kind of type (`text` referencing `uuid`, `bigint` referencing
    /// `text`) is reported at the foreign key. Lengths of text types are not
    /// compared. SQLite sets are not checked: its column types are only
    /// affinities.
    ///
    /// ## Why is this bad?
    /// PostgreSQL accepts a foreign key between compatible but different
    /// types. An `integer` column pointing at a `bigint` key works until the
    /// referenced ids pass 2,147,483,647; then inserts of new references fail
    /// with an overflow, long after the migration was reviewed. Keys of
    /// different kinds need a cast on every join, which stops index use.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
    /// CREATE TABLE posts (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     author_id integer NOT NULL REFERENCES users (id)
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE posts (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     author_id bigint NOT NULL REFERENCES users (id)
    /// );
    /// ```
    ///
    /// ## Options
    /// None.
    pub ForeignKeyTypeMismatch {
        code: "SQL060",
        name: "foreign-key-type-mismatch",
        checklist: DbIntegrity,
        group: Suspicious,
        severity: Warning,
        summary: "a foreign key column's type is narrower than, or different from, the key it references",
    }
}

impl SqlRule for ForeignKeyTypeMismatch {
    /// Checks every single-column foreign key of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        if schema.set.dialect == SqlDialect::Sqlite {
            return;
        }
        for (name, table) in &schema.catalog.tables {
            for fk in table.foreign_keys.iter().filter(|f| f.columns.len() == 1) {
                let Some((own, referenced)) = columns(&schema.catalog, table, fk) else {
                    continue;
                };
                let Some(problem) = mismatch(own, referenced) else {
                    continue;
                };
                let message = format!(
                    "foreign key {name}({}) is {} but references {}({}), which is {}: {problem}",
                    own.name, own.data_type, fk.references, referenced.name, referenced.data_type
                );
                let found = schema.diagnostic(
                    &ForeignKeyTypeMismatch::META,
                    &fk.origin,
                    fk.origin.span,
                    message,
                );
                if let Some(d) = found {
                    sink.push(d.with_help(format!(
                        "give \"{}\" the referenced column's type, {}",
                        own.name, referenced.data_type
                    )));
                }
            }
        }
    }
}

/// The referencing and the referenced column.
fn columns<'a>(
    catalog: &'a Catalog,
    table: &'a Table,
    fk: &'a ForeignKey,
) -> Option<(&'a Column, &'a Column)> {
    let own = table.column(fk.columns.first()?)?;
    let target = catalog.table(&fk.references)?;
    let referred = match fk.referred_columns.as_slice() {
        [one] => one,
        [] => match target.primary_key.as_slice() {
            [one] => one,
            _ => return None,
        },
        _ => return None,
    };
    Some((own, target.column(referred)?))
}

/// Why the referencing type cannot hold the referenced keys.
fn mismatch(own: &Column, referenced: &Column) -> Option<&'static str> {
    let (a, b) = (kind(&own.data_type)?, kind(&referenced.data_type)?);
    match (a, b) {
        (Kind::Integer(x), Kind::Integer(y)) if x < y => Some("it cannot hold every key"),
        (Kind::Integer(_), Kind::Integer(_)) => None,
        (x, y) if x != y => Some("the types differ"),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer(u8),
    Text,
    Uuid,
}

fn kind(data_type: &str) -> Option<Kind> {
    let base = data_type.split('(').next().unwrap_or_default().trim();
    let base = base.strip_suffix(" unsigned").unwrap_or(base);
    Some(match base {
        "smallint" | "int2" | "smallserial" | "serial2" => Kind::Integer(2),
        "int" | "integer" | "int4" | "serial" | "serial4" | "mediumint" => Kind::Integer(4),
        "bigint" | "int8" | "bigserial" | "serial8" => Kind::Integer(8),
        "text" | "varchar" | "character varying" | "char" | "character" | "citext" => Kind::Text,
        "uuid" => Kind::Uuid,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn narrower_and_different_types_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, handle text UNIQUE);\nCREATE TABLE orgs (id uuid PRIMARY KEY);\nCREATE TABLE posts (\n  id bigserial PRIMARY KEY,\n  author_id integer REFERENCES users,\n  editor_id bigint REFERENCES users (id),\n  org_id text REFERENCES orgs (id),\n  handle varchar(40) REFERENCES users (handle)\n);\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL060")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL060", "migrations/1_a.sql", 5, 21),
                at("SQL060", "migrations/1_a.sql", 7, 15)
            ]
        );
    }
}
