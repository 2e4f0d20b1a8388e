//! SQL012: a column type change on an existing table that rewrites it.

use backend_check_core::{declare_rule, Sink, SqlDialect};
use sqlparser::ast::{self, AlterColumnOperation, AlterTableAlgorithm, AlterTableOperation};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds column type changes on tables the same migration did not create:
    /// `ALTER COLUMN … TYPE` in PostgreSQL, `MODIFY`/`CHANGE COLUMN` with a new
    /// type in MySQL. The rule knows the old type from the earlier migrations
    /// and lets through the changes PostgreSQL makes without touching the rows:
    /// `varchar(n)` to a longer `varchar`, to `varchar` or to `text`, `text` to
    /// `varchar`, `numeric(p,s)` to a larger precision with the same scale,
    /// `cidr` to `inet`. In MySQL a statement that demands
    /// `ALGORITHM=INPLACE|INSTANT` is let through (MySQL refuses it rather than
    /// copy the table), and so is a `MODIFY` that restates the same type
    /// (`int(11)` as `int`, `boolean` as `tinyint(1)`) to change a default.
    ///
    /// ## Why is this bad?
    /// Any other type change rewrites the whole table (and rebuilds its
    /// indexes) under an `ACCESS EXCLUSIVE` lock; MySQL copies the table and
    /// blocks writes. On a large table that is an outage. The application
    /// version still running during the deploy may also break on the new type.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE events ALTER COLUMN id TYPE bigint;
    /// ```
    ///
    /// ## Use instead
    /// Add a new column of the new type, write to both from the application,
    /// backfill in batches, then switch reads and drop the old column. Widening
    /// a `varchar` or moving to `text` needs none of that.
    ///
    /// ## Options
    /// None. PostgreSQL and MySQL sets are checked (SQLite has no `ALTER
    /// COLUMN`; see SQL029).
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub ColumnTypeChangeRewritesTable {
        code: "SQL012",
        name: "column-type-change-rewrites-table",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "changing a column's type on an existing table rewrites it under a lock that blocks reads and writes",
    }
}

impl SqlRule for ColumnTypeChangeRewritesTable {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let postgres = step.set.is_postgres();
        if !(postgres || step.set.dialect == SqlDialect::MySql) {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        if !postgres && online_algorithm(&alter.operations) {
            return;
        }
        for op in &alter.operations {
            let Some((column, new_type, using)) = type_change(op) else {
                continue;
            };
            let old = step
                .catalog
                .table(&table)
                .and_then(|t| t.column(&column))
                .map(|c| c.data_type.clone());
            let new = new_type.to_string().to_lowercase();
            let rewrites = match (&old, postgres) {
                (Some(old), true) => !using && !binary_coercible(old, &new),
                (Some(old), false) => !binary_coercible(old, &new) && !same_mysql_type(old, &new),
                (None, true) => !maybe_widening(&new),
                (None, false) => false,
            };
            if !rewrites {
                continue;
            }
            let from = old.map_or_else(String::new, |o| format!(" from {o}"));
            sink.push(
            step.diagnostic(
                &ColumnTypeChangeRewritesTable::META,
                step.head(),
                format!("column \"{column}\" of existing table \"{table}\" changes type{from} to {new}, which rewrites the table"),
            )
            .with_help(help(postgres)),
        );
        }
    }
}

fn help(postgres: bool) -> &'static str {
    if postgres {
        "add a column of the new type, backfill it in batches and switch over, instead of rewriting the table under lock"
    } else {
        "add `ALGORITHM=INPLACE, LOCK=NONE` to fail instead of copying the table, or migrate through a new column"
    }
}

fn type_change(op: &AlterTableOperation) -> Option<(String, &ast::DataType, bool)> {
    match op {
        AlterTableOperation::AlterColumn {
            column_name,
            op:
                AlterColumnOperation::SetDataType {
                    data_type, using, ..
                },
        } => Some((column_name.value.to_lowercase(), data_type, using.is_some())),
        AlterTableOperation::ModifyColumn {
            col_name,
            data_type,
            ..
        } => Some((col_name.value.to_lowercase(), data_type, false)),
        AlterTableOperation::ChangeColumn {
            old_name,
            data_type,
            ..
        } => Some((old_name.value.to_lowercase(), data_type, false)),
        _ => None,
    }
}

fn online_algorithm(ops: &[AlterTableOperation]) -> bool {
    ops.iter().any(|op| {
        matches!(
            op,
            AlterTableOperation::Algorithm {
                algorithm: AlterTableAlgorithm::Inplace | AlterTableAlgorithm::Instant,
                ..
            }
        )
    })
}

/// A type name without its modifiers and aliases resolved, and its first
/// two numeric modifiers.
fn normalise(data_type: &str) -> (&'static str, Option<u64>, Option<u64>) {
    let t = data_type.trim();
    let (base, args) = match t.find('(') {
        Some(open) => (
            t.get(..open).unwrap_or(t).trim(),
            t.get(open + 1..).unwrap_or("").trim_end_matches(')'),
        ),
        None => (t, ""),
    };
    let mut numbers = args.split(',').map(|a| a.trim().parse::<u64>().ok());
    let first = numbers.next().flatten();
    let second = numbers.next().flatten();
    let name = match base {
        "varchar" | "character varying" => "varchar",
        "text" => "text",
        "numeric" | "decimal" => "numeric",
        "int" | "integer" | "int4" => "integer",
        "bigint" | "int8" => "bigint",
        "smallint" | "int2" => "smallint",
        "cidr" => "cidr",
        "inet" => "inet",
        "varbit" | "bit varying" => "varbit",
        "timestamptz" | "timestamp with time zone" => "timestamptz",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "bool" | "boolean" => "boolean",
        "json" => "json",
        "jsonb" => "jsonb",
        "uuid" => "uuid",
        _ => "",
    };
    (name, first, second)
}

/// Whether two MySQL types are one type: integer display widths are not
/// part of the type (`int(11)` is `int`), and `boolean` is `tinyint(1)`.
/// A `MODIFY` that restates the type (to change a default or `NULL`) keeps
/// the rows as they are.
fn same_mysql_type(old: &str, new: &str) -> bool {
    fn canonical(data_type: &str) -> String {
        let t = data_type.trim().to_ascii_lowercase();
        if matches!(t.as_str(), "bool" | "boolean" | "tinyint(1)") {
            return "boolean".to_owned();
        }
        let (base, rest) = match t.find('(') {
            Some(open) => (t.get(..open).unwrap_or(&t), t.get(open..).unwrap_or("")),
            None => (t.as_str(), ""),
        };
        let base = base.trim();
        let integer = matches!(
            base,
            "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
        );
        let base = if base == "integer" { "int" } else { base };
        if integer {
            let after = rest
                .find(')')
                .map_or("", |close| rest.get(close + 1..).unwrap_or(""));
            format!("{base}{}", after.trim_end())
        } else {
            format!("{base}{rest}")
        }
    }
    canonical(old) == canonical(new)
}

/// Whether PostgreSQL changes `old` to `new` without rewriting the rows.
fn binary_coercible(old: &str, new: &str) -> bool {
    if old.trim() == new.trim() {
        return true;
    }
    let (o, o1, o2) = normalise(old);
    let (n, n1, n2) = normalise(new);
    if o.is_empty() || n.is_empty() {
        return false;
    }
    let longer = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (_, None) => true,
        (Some(a), Some(b)) => b >= a,
        (None, Some(_)) => false,
    };
    match (o, n) {
        ("varchar" | "text", "text") => true,
        ("text", "varchar") => n1.is_none(),
        ("varchar", "varchar") | ("varbit", "varbit") => longer(o1, n1),
        ("numeric", "numeric") => {
            n1.is_none() || (longer(o1, n1) && o2.unwrap_or(0) == n2.unwrap_or(0))
        }
        ("cidr", "inet") => true,
        (a, b) => a == b && o1 == n1 && o2 == n2,
    }
}

/// With the old type unknown: whether the new type is one that any narrower
/// text or number type widens into without a rewrite.
fn maybe_widening(new: &str) -> bool {
    let (n, n1, _) = normalise(new);
    matches!(n, "text" | "inet")
        || (matches!(n, "varchar" | "numeric" | "varbit") && n1.is_none())
        || (n == "varchar" && n1.is_some())
}

#[cfg(test)]
mod tests {
    use super::binary_coercible;
    use crate::test_support::{at, Repo};

    #[test]
    fn mysql_display_widths_and_boolean_are_one_type() {
        assert!(super::same_mysql_type("int(11)", "int"));
        assert!(super::same_mysql_type("boolean", "tinyint(1)"));
        assert!(super::same_mysql_type(
            "bigint(20) unsigned",
            "bigint unsigned"
        ));
        assert!(!super::same_mysql_type("int", "bigint"));
        assert!(!super::same_mysql_type("varchar(10)", "varchar(20)"));
    }

    #[test]
    fn coercible_changes() {
        assert!(binary_coercible("varchar(50)", "varchar(100)"));
        assert!(binary_coercible("character varying(50)", "text"));
        assert!(binary_coercible("numeric(10,2)", "numeric(12,2)"));
        assert!(!binary_coercible("numeric(10,2)", "numeric(12,3)"));
        assert!(!binary_coercible("varchar(50)", "varchar(20)"));
        assert!(!binary_coercible("integer", "bigint"));
        assert!(binary_coercible("int", "integer"));
        assert!(!binary_coercible("timestamp", "timestamptz"));
    }

    #[test]
    fn rewriting_changes_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE e (id int, name varchar(20), note text);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE e ALTER COLUMN id TYPE bigint;\nALTER TABLE e ALTER COLUMN name TYPE varchar(40);\nALTER TABLE e ALTER COLUMN note TYPE varchar;\nALTER TABLE x ALTER COLUMN y TYPE int;\nALTER TABLE x ALTER COLUMN z TYPE text;\n",
        );
        repo.write("migrations/mysql/1_a.sql", "CREATE TABLE m (id int);\n");
        repo.write(
            "migrations/mysql/2_b.sql",
            "ALTER TABLE m MODIFY COLUMN id bigint;\nALTER TABLE m MODIFY COLUMN id bigint, ALGORITHM=INPLACE;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL012")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL012", "migrations/2_b.sql", 1, 1),
                at("SQL012", "migrations/2_b.sql", 4, 1),
                at("SQL012", "migrations/mysql/2_b.sql", 1, 1)
            ]
        );
    }
}
