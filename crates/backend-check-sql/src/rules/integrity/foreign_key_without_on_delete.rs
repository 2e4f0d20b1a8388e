//! SQL067: a foreign key that does not say what happens when its target row is deleted.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SetSchema, SqlRule};
use crate::schema::{ForeignKey, TableName};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and reports, at its definition, each
    /// foreign key of the final schema written without an `ON DELETE`
    /// clause.
    ///
    /// ## Why is this bad?
    /// Without the clause the database uses `NO ACTION`: deleting a
    /// referenced row fails while rows point at it. That is often right,
    /// but it is a decision about the data's life cycle (should a user's
    /// sessions go with the user? should an invoice block the deletion of a
    /// customer?) that the schema should state, so that reviewers see it and
    /// the application does not discover it through a failing `DELETE`.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE sessions (
    ///     id uuid PRIMARY KEY,
    ///     user_id bigint NOT NULL REFERENCES users (id)
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE sessions (
    ///     id uuid PRIMARY KEY,
    ///     user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE
    /// );
    /// ```
    /// Write `ON DELETE RESTRICT` or `ON DELETE NO ACTION` where blocking
    /// the deletion is the intent.
    ///
    /// ## Options
    /// None. Off by default: many schemas rely on the default on purpose.
    pub ForeignKeyWithoutOnDelete {
        code: "SQL067",
        name: "foreign-key-without-on-delete",
        checklist: DbIntegrity,
        group: Pedantic,
        severity: Info,
        summary: "a foreign key without an explicit `ON DELETE` action",
    }
}

impl SqlRule for ForeignKeyWithoutOnDelete {
    /// Checks every foreign key of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        for (name, table) in &schema.catalog.tables {
            for fk in table.foreign_keys.iter().filter(|f| f.on_delete.is_none()) {
                let found = schema.diagnostic(
                    &ForeignKeyWithoutOnDelete::META,
                    &fk.origin,
                    fk.origin.span,
                    message(name, fk),
                );
                if let Some(d) = found {
                    sink.push(d.with_help(
                    "add `ON DELETE CASCADE`, `SET NULL` or `RESTRICT`, whichever the data's life cycle needs",
                ));
                }
            }
        }
    }
}

fn message(table: &TableName, fk: &ForeignKey) -> String {
    format!(
        "foreign key {table}({}) to \"{}\" has no ON DELETE action",
        fk.columns.join(", "),
        fk.references
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn foreign_keys_without_on_delete_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE sessions (\n  id bigint PRIMARY KEY,\n  user_id bigint REFERENCES users (id),\n  owner_id bigint REFERENCES users (id) ON DELETE CASCADE\n);\nALTER TABLE sessions ADD CONSTRAINT sessions_x_fkey FOREIGN KEY (id) REFERENCES users (id) ON DELETE RESTRICT;\n",
        );
        assert_eq!(
            repo.only("SQL067"),
            [at("SQL067", "migrations/1_a.sql", 4, 18)]
        );
    }
}
