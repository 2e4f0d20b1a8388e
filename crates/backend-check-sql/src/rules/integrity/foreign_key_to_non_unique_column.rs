//! SQL062: a foreign key that references columns with no unique key.

use backend_check_core::{declare_rule, Sink, SqlDialect};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{Catalog, ForeignKey, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and checks, at its end, that the
    /// columns each foreign key references are the primary key, a unique
    /// constraint, or a full (not partial) unique index of the referenced
    /// table, in any order. A foreign key without a column list must
    /// reference a table that has a primary key. Tables the replay did not
    /// see created, or whose columns it does not know, are skipped, and so is
    /// a foreign key that a later one of the same name replaced (the database
    /// refuses two constraints of one name, so the first one was dropped).
    /// MySQL sets are not checked: InnoDB accepts any indexed columns.
    ///
    /// ## Why is this bad?
    /// PostgreSQL rejects such a foreign key (`there is no unique constraint
    /// matching given keys for referenced table`), so the migration fails on
    /// its first real run; SQLite accepts the `CREATE TABLE` and then fails
    /// every insert into the child table with `foreign key mismatch`. Either
    /// way the migration set, as written, does not work.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL);
    /// CREATE TABLE invites (
    ///     id bigint PRIMARY KEY,
    ///     email text NOT NULL REFERENCES accounts (email)
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE accounts (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);
    /// CREATE TABLE invites (
    ///     id bigint PRIMARY KEY,
    ///     email text NOT NULL REFERENCES accounts (email)
    /// );
    /// ```
    ///
    /// ## Options
    /// None.
    pub ForeignKeyToNonUniqueColumn {
        code: "SQL062",
        name: "foreign-key-to-non-unique-column",
        checklist: DbIntegrity,
        group: Correctness,
        severity: Error,
        summary: "a foreign key references columns that are not the primary key or a unique key of their table",
    }
}

impl SqlRule for ForeignKeyToNonUniqueColumn {
    /// Checks every foreign key of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        if schema.set.dialect == SqlDialect::MySql {
            return;
        }
        let catalog = &schema.catalog;
        for (name, table) in &catalog.tables {
            for fk in &table.foreign_keys {
                if replaced_later(&table.foreign_keys, fk) {
                    continue;
                }
                let Some(problem) = problem(catalog, fk) else {
                    continue;
                };
                let found = schema.diagnostic(
                    &ForeignKeyToNonUniqueColumn::META,
                    &fk.origin,
                    fk.origin.span,
                    message(name, fk, &problem),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(help(fk, &problem)));
                }
            }
        }
    }
}

/// Whether a later foreign key of the table has the same name: the database
/// refuses a second constraint of one name, so the earlier one was dropped
/// (by a script the replay could not follow) and the later one is what holds.
fn replaced_later(keys: &[ForeignKey], fk: &ForeignKey) -> bool {
    let Some(name) = &fk.name else {
        return false;
    };
    let order = |k: &ForeignKey| (k.origin.migration, k.origin.statement, k.origin.span.start);
    keys.iter()
        .any(|other| other.name.as_ref() == Some(name) && order(other) > order(fk))
}

/// What is wrong with a foreign key's target.
enum Problem {
    /// No column list, and the referenced table has no primary key.
    NoPrimaryKey,
    /// The referenced columns are not a unique key.
    NotUnique,
}

fn problem(catalog: &Catalog, fk: &ForeignKey) -> Option<Problem> {
    let key = catalog.find_table(&fk.references)?;
    let target = catalog.table(key)?;
    if !target.created || target.columns_unknown || target.materialized_view {
        return None;
    }
    if fk.referred_columns.is_empty() {
        return target
            .primary_key
            .is_empty()
            .then_some(Problem::NoPrimaryKey);
    }
    if !fk
        .referred_columns
        .iter()
        .all(|c| target.column(c).is_some())
    {
        return None;
    }
    let unique = target.is_unique_key(&fk.referred_columns)
        || unique_index(catalog, key, &fk.referred_columns);
    (!unique).then_some(Problem::NotUnique)
}

/// Whether a full unique index covers exactly `columns`, in any order.
fn unique_index(catalog: &Catalog, table: &TableName, columns: &[String]) -> bool {
    catalog.indexes_of(table).any(|(_, i)| {
        i.unique
            && !i.partial
            && i.columns.len() == columns.len()
            && i.columns.iter().all(|c| columns.contains(c))
    })
}

fn message(table: &TableName, fk: &ForeignKey, problem: &Problem) -> String {
    let own = fk.columns.join(", ");
    match problem {
        Problem::NoPrimaryKey => format!(
            "foreign key {table}({own}) references table \"{}\", which has no primary key",
            fk.references
        ),
        Problem::NotUnique => format!(
            "foreign key {table}({own}) references {}({}), which is not a primary key or unique key",
            fk.references,
            fk.referred_columns.join(", ")
        ),
    }
}

fn help(fk: &ForeignKey, problem: &Problem) -> String {
    match problem {
        Problem::NoPrimaryKey => format!(
            "give \"{}\" a primary key, or name the referenced unique columns",
            fk.references
        ),
        Problem::NotUnique => format!(
            "reference the primary key of \"{}\", or add a unique constraint on ({}) before this foreign key",
            fk.references,
            fk.referred_columns.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql062(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL062")
            .collect()
    }

    #[test]
    fn references_to_non_unique_columns_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE a (id bigint PRIMARY KEY, email text, code text UNIQUE, x int, y int);\nCREATE UNIQUE INDEX a_xy ON a (y, x);\nCREATE TABLE nokey (v int);\nCREATE TABLE b (\n  id bigint PRIMARY KEY,\n  a_id bigint REFERENCES a,\n  email text REFERENCES a (email),\n  code text REFERENCES a (code),\n  x int, y int,\n  FOREIGN KEY (x, y) REFERENCES a (x, y),\n  v int REFERENCES nokey,\n  w int REFERENCES elsewhere (w)\n);\n",
        );
        assert_eq!(
            sql062(&repo),
            [
                at("SQL062", "migrations/1_a.sql", 7, 14),
                at("SQL062", "migrations/1_a.sql", 11, 9)
            ]
        );
    }

    #[test]
    fn a_key_added_again_under_its_name_replaces_the_old_one() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE client (pk bigint PRIMARY KEY, id text, nid uuid);\nCREATE UNIQUE INDEX client_id_uq ON client (id);\nCREATE TABLE access (id bigint PRIMARY KEY, client_id text, nid uuid);\nALTER TABLE access ADD CONSTRAINT access_client_fk FOREIGN KEY (client_id) REFERENCES client (id);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "DROP INDEX client_id_uq;\nCREATE UNIQUE INDEX client_id_nid_uq ON client (id, nid);\nALTER TABLE access ADD CONSTRAINT access_client_fk FOREIGN KEY (client_id, nid) REFERENCES client (id, nid);\n",
        );
        assert_eq!(sql062(&repo), []);
    }

    #[test]
    fn mysql_accepts_indexed_columns() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE a (id bigint PRIMARY KEY, email varchar(80), KEY a_email (email));\nCREATE TABLE b (id bigint PRIMARY KEY, email varchar(80), FOREIGN KEY (email) REFERENCES a (email));\n",
        );
        let found: Vec<_> = repo
            .findings(&[], Some(backend_check_core::SqlDialect::MySql))
            .into_iter()
            .filter(|f| f.0 == "SQL062")
            .collect();
        assert!(found.is_empty());
    }
}
