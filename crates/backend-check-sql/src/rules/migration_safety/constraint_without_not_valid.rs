//! SQL005: a foreign key or check constraint added to an existing PostgreSQL
//! table without `NOT VALID`.

use backend_check_core::{declare_rule, Diagnostic, Sink};
use sqlparser::ast::{AlterTableOperation, TableConstraint};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY` and `… CHECK` in
    /// PostgreSQL up migrations, on tables the same migration did not create,
    /// without `NOT VALID`.
    ///
    /// ## Why is this bad?
    /// Adding a valid constraint scans the whole table to check every row while
    /// holding a lock that blocks writes (`SHARE ROW EXCLUSIVE` for a foreign key,
    /// on both tables; `ACCESS EXCLUSIVE` for a check). On a large table that is
    /// minutes of blocked writes. Added `NOT VALID`, the constraint applies to new
    /// rows at once, and `VALIDATE CONSTRAINT` checks the old rows later under a
    /// lock that lets writes go on.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_user_fk
    ///     FOREIGN KEY (user_id) REFERENCES users (id);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_user_fk
    ///     FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;
    /// -- in a later migration
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub ConstraintWithoutNotValid {
        code: "SQL005",
        name: "constraint-without-not-valid",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "a foreign key or check constraint added to an existing table without `NOT VALID` blocks writes while every row is checked",
    }
}

impl SqlRule for ConstraintWithoutNotValid {
    /// Checks the `ALTER TABLE`s of an up script on tables it did not
    /// create (not those inside `DO` blocks).
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !step.is_top_level() {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        let statement = step.statement;
        for op in &alter.operations {
            if let AlterTableOperation::AddConstraint {
                constraint,
                not_valid: false,
            } = op
            {
                let Some(kind) = kind(constraint) else {
                    continue;
                };
                sink.push(
                    Diagnostic::new(
                        &ConstraintWithoutNotValid::META,
                        &step.script.file,
                        statement.head(3),
                        format!("{kind} constraint on existing table \"{table}\" is added without NOT VALID"),
                    )
                    .with_help("add the constraint `NOT VALID`, then `ALTER TABLE … VALIDATE CONSTRAINT …` in a later migration"),
                );
            }
        }
    }
}

fn kind(constraint: &TableConstraint) -> Option<&'static str> {
    match constraint {
        TableConstraint::ForeignKey(_) => Some("foreign key"),
        TableConstraint::Check(_) => Some("check"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn existing_tables_fire_new_and_not_valid_do_not() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (id int, u int);\nALTER TABLE n ADD CONSTRAINT n_u FOREIGN KEY (u) REFERENCES users (id);\nALTER TABLE o ADD CONSTRAINT o_u FOREIGN KEY (u) REFERENCES users (id);\nALTER TABLE o ADD CONSTRAINT o_c CHECK (u > 0) NOT VALID;\nALTER TABLE o ADD CONSTRAINT o_d CHECK (u > 1);\nALTER TABLE o ADD CONSTRAINT o_k UNIQUE (u);\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL005")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL005", "migrations/1_a.sql", 3, 1),
                at("SQL005", "migrations/1_a.sql", 5, 1)
            ]
        );
    }
}
