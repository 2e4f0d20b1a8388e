//! SQL016: a constraint of an existing table is dropped and not replaced.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::{self, AlterTableOperation, TableConstraint};

use crate::engine::{SqlRule, Step};
use crate::parse::Statement;
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … DROP CONSTRAINT` (and MySQL's `DROP FOREIGN KEY`) in
    /// up migrations on tables the same migration did not create, unless the
    /// same script adds a constraint of that name back to the table (the usual
    /// way to change a foreign key's `ON DELETE` or a check's condition), or
    /// the dropped constraint is a key (`…_key`, `…_pkey`, `uq_…`) and the same
    /// `ALTER` or a later statement of the script gives the table another
    /// primary key or unique key (a unique constraint giving way to the
    /// primary key on the same column).
    ///
    /// ## Why is this bad?
    /// The constraint protected the data: without it, the application (any
    /// version, any bug) can write orphans, duplicates or values the check kept
    /// out, and nothing reports it until the data is wrong. Sometimes that is
    /// the intent; then the reason belongs next to the statement.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders DROP CONSTRAINT orders_total_positive;
    /// ALTER TABLE orders ADD CONSTRAINT orders_total_positive
    ///     CHECK (total_cents >= 0) NOT VALID;
    /// ```
    /// or, when the constraint must go, a suppression that says why:
    /// `-- backend-check: allow(SQL016) refunds may be negative`.
    ///
    /// ## Options
    /// None. All dialects are checked; down scripts are not.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropConstraint {
        code: "SQL016",
        name: "drop-constraint",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a constraint of an existing table is dropped and not replaced",
    }
}

impl SqlRule for DropConstraint {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        for op in &alter.operations {
            let name = match op {
                AlterTableOperation::DropConstraint { name, .. } => name,
                AlterTableOperation::DropForeignKey { name, .. } => name,
                _ => continue,
            };
            let name = name.value.to_lowercase();
            let readded = step.script.statements.iter().skip(step.position).any(|s| {
                adds_constraint(s, &table, &name) || adds_key_in_place_of(s, &table, &name)
            });
            if readded {
                continue;
            }
            sink.push(
            step.diagnostic(
                &DropConstraint::META,
                step.head(),
                format!("constraint \"{name}\" of table \"{table}\" is dropped and not replaced"),
            )
            .with_help("add the replacement constraint in the same migration, or suppress this with the reason the constraint must go"),
        );
        }
    }
}

fn adds_constraint(statement: &Statement, table: &TableName, name: &str) -> bool {
    let Ok(ast::Statement::AlterTable(alter)) = &statement.parsed else {
        return false;
    };
    TableName::from_object(&alter.name).is_some_and(|t| t.matches(table))
        && alter.operations.iter().any(|op| match op {
            AlterTableOperation::AddConstraint { constraint, .. } => {
                match constraint_name(constraint) {
                    Some(n) => n.eq_ignore_ascii_case(name),
                    None => {
                        is_default_primary_key(constraint, table, name)
                            || has_default_name(constraint, table, name)
                    }
                }
            }
            _ => false,
        })
}

/// Whether `name` looks like a key constraint (`orders_code_key`,
/// `orders_pkey`, `uq_orders_code`) and `statement` gives the table another
/// key: a unique constraint dropped while the same `ALTER` (or a later one)
/// adds the primary key is replaced, not lost.
fn adds_key_in_place_of(statement: &Statement, table: &TableName, name: &str) -> bool {
    if !looks_like_key(name) {
        return false;
    }
    match &statement.parsed {
        Ok(ast::Statement::AlterTable(alter)) => {
            TableName::from_object(&alter.name).is_some_and(|t| t.matches(table))
                && alter.operations.iter().any(|op| {
                    matches!(
                        op,
                        AlterTableOperation::AddConstraint {
                            constraint: TableConstraint::PrimaryKey(_)
                                | TableConstraint::Unique(_)
                                | TableConstraint::PrimaryKeyUsingIndex(_)
                                | TableConstraint::UniqueUsingIndex(_),
                            ..
                        }
                    )
                })
        }
        Ok(ast::Statement::CreateIndex(index)) => {
            index.unique
                && TableName::from_object(&index.table_name).is_some_and(|t| t.matches(table))
        }
        _ => false,
    }
}

fn looks_like_key(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["_key", "_pkey", "_pk", "_unique", "_uniq", "_uk"]
        .iter()
        .any(|suffix| name.ends_with(suffix))
        || ["uq_", "uk_", "pk_", "unique_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
}

/// An unnamed check, unique or foreign key constraint gets PostgreSQL's
/// default name `<table>[_<columns>]_check` / `_key` / `_fkey`, so
/// `ADD CHECK (…)` re-creates a dropped `<table>_check`.
fn has_default_name(constraint: &TableConstraint, table: &TableName, name: &str) -> bool {
    let suffix = match constraint {
        TableConstraint::Check(_) => "_check",
        TableConstraint::Unique(_) => "_key",
        TableConstraint::ForeignKey(_) => "_fkey",
        _ => return false,
    };
    let name = name.to_ascii_lowercase();
    name.starts_with(&format!("{}_", table.name.to_ascii_lowercase())) && name.ends_with(suffix)
}

/// An unnamed primary key gets PostgreSQL's default name `<table>_pkey`.
fn is_default_primary_key(constraint: &TableConstraint, table: &TableName, name: &str) -> bool {
    matches!(constraint, TableConstraint::PrimaryKey(_)) && name == format!("{}_pkey", table.name)
}

fn constraint_name(constraint: &TableConstraint) -> Option<&str> {
    let name = match constraint {
        TableConstraint::Unique(c) => c.name.as_ref(),
        TableConstraint::PrimaryKey(c) => c.name.as_ref(),
        TableConstraint::ForeignKey(c) => c.name.as_ref(),
        TableConstraint::Check(c) => c.name.as_ref(),
        TableConstraint::PrimaryKeyUsingIndex(c) | TableConstraint::UniqueUsingIndex(c) => {
            c.name.as_ref()
        }
        _ => None,
    };
    name.map(|n| n.value.as_str())
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn dropped_constraints_fire_unless_replaced() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TABLE o DROP CONSTRAINT o_fk;\nALTER TABLE o ADD CONSTRAINT o_fk FOREIGN KEY (u) REFERENCES u (id) ON DELETE CASCADE NOT VALID;\nALTER TABLE o DROP CONSTRAINT IF EXISTS o_check;\nCREATE TABLE n (id int, CONSTRAINT n_c CHECK (id > 0));\nALTER TABLE n DROP CONSTRAINT n_c;\nALTER TABLE d DROP CONSTRAINT d_pkey;\nALTER TABLE d ADD PRIMARY KEY (a, b);\nALTER TABLE l DROP CONSTRAINT IF EXISTS l_code_key, ADD PRIMARY KEY (code);\nALTER TABLE l DROP CONSTRAINT l_check;\nALTER TABLE l ADD PRIMARY KEY (other);\nALTER TABLE m DROP CONSTRAINT IF EXISTS m_check;\nALTER TABLE m ADD CHECK (a > 0);\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL016")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL016", "migrations/1_a.sql", 3, 1),
                at("SQL016", "migrations/1_a.sql", 9, 1)
            ]
        );
    }
}
