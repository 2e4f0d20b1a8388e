//! SQL011: `ALTER COLUMN … SET NOT NULL` on an existing table without a
//! validated `CHECK (column IS NOT NULL)`.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::{self, AlterColumnOperation, AlterTableOperation, TableConstraint};

use crate::engine::{SqlRule, Step};
use crate::parse::Statement;
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ALTER COLUMN … SET NOT NULL` in PostgreSQL up
    /// migrations on tables the same migration did not create, unless an
    /// earlier statement of the set added `CHECK (column IS NOT NULL)` to the
    /// table (PostgreSQL 12 and later then skip the scan).
    ///
    /// ## Why is this bad?
    /// `SET NOT NULL` scans the whole table to prove there is no NULL, holding
    /// an `ACCESS EXCLUSIVE` lock: every query on the table waits until the scan
    /// ends. A `CHECK (column IS NOT NULL) NOT VALID` constraint, validated in a
    /// later step under a weak lock, lets `SET NOT NULL` skip the scan.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD CONSTRAINT orders_currency_not_null
    ///     CHECK (currency IS NOT NULL) NOT VALID;
    /// ALTER TABLE orders VALIDATE CONSTRAINT orders_currency_not_null;
    /// ALTER TABLE orders ALTER COLUMN currency SET NOT NULL;
    /// ALTER TABLE orders DROP CONSTRAINT orders_currency_not_null;
    /// ```
    ///
    /// ## Options
    /// `sql.postgres-version`: below 12 a check constraint does not help and
    /// every `SET NOT NULL` on an existing table is reported. Only PostgreSQL
    /// sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub SetNotNullWithoutCheck {
        code: "SQL011",
        name: "set-not-null-without-check",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Warning,
        summary: "`SET NOT NULL` on an existing table scans it under an `ACCESS EXCLUSIVE` lock unless a validated check constraint proves it",
    }
}

impl SqlRule for SetNotNullWithoutCheck {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        for op in &alter.operations {
            let AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetNotNull,
            } = op
            else {
                continue;
            };
            let column = column_name.value.to_lowercase();
            if !step.set.postgres_before(12) && proven_not_null(step, &table, &column) {
                continue;
            }
            sink.push(
            step.diagnostic(
                &SetNotNullWithoutCheck::META,
                step.head(),
                format!("column \"{column}\" of existing table \"{table}\" is set NOT NULL, which scans the table while it is locked"),
            )
            .with_help("first add `CHECK (column IS NOT NULL) NOT VALID` and validate it, so SET NOT NULL needs no scan"),
        );
        }
    }
}

/// Whether a statement of the set before this one added a check constraint
/// `column IS NOT NULL` to the table.
fn proven_not_null(step: &Step<'_>, table: &TableName, column: &str) -> bool {
    let earlier = step
        .set
        .migrations
        .iter()
        .take(step.index)
        .filter_map(|m| m.up.as_ref())
        .flat_map(|up| up.statements.iter());
    let here = step.script.statements.iter().take(step.position);
    earlier
        .chain(here)
        .any(|s| adds_not_null_check(s, table, column))
}

fn adds_not_null_check(statement: &Statement, table: &TableName, column: &str) -> bool {
    let Ok(ast::Statement::AlterTable(alter)) = &statement.parsed else {
        return false;
    };
    if !TableName::from_object(&alter.name).is_some_and(|t| t.matches(table)) {
        return false;
    }
    alter.operations.iter().any(|op| {
        matches!(op, AlterTableOperation::AddConstraint { constraint: TableConstraint::Check(check), .. }
            if matches!(check.expr.as_ref(), ast::Expr::IsNotNull(inner)
                if matches!(inner.as_ref(), ast::Expr::Identifier(i) if i.value.eq_ignore_ascii_case(column))))
    })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn set_not_null_without_a_check_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TABLE o ADD CONSTRAINT o_a_nn CHECK (a IS NOT NULL) NOT VALID;\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE o VALIDATE CONSTRAINT o_a_nn;\nALTER TABLE o ALTER COLUMN a SET NOT NULL;\nALTER TABLE o ALTER COLUMN b SET NOT NULL;\nCREATE TABLE n (c int);\nALTER TABLE n ALTER COLUMN c SET NOT NULL;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL011")
            .collect();
        assert_eq!(found, [at("SQL011", "migrations/2_b.sql", 3, 1)]);
    }
}
