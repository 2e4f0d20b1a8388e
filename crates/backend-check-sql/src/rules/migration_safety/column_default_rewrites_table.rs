//! SQL010: a column added to an existing table with a default that makes
//! PostgreSQL rewrite the table.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::{self, AlterTableOperation, ColumnOption, GeneratedExpressionMode};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … ADD COLUMN` on a table the same migration did not
    /// create, in PostgreSQL up migrations, when the new column's value must be
    /// computed row by row: a volatile default (`gen_random_uuid()`, `random()`,
    /// `clock_timestamp()`, `nextval(…)`), a `serial` or identity column, or a
    /// `GENERATED ALWAYS AS (…) STORED` column. When `sql.postgres-version` is
    /// below 11, any non-null default counts, since older versions rewrite the
    /// table for every default.
    ///
    /// ## Why is this bad?
    /// PostgreSQL rewrites the whole table to fill the column, holding an
    /// `ACCESS EXCLUSIVE` lock throughout: every query on the table waits for
    /// minutes on a large table. A constant or stable default (`now()`, `'new'`,
    /// `0`) is stored once in the catalog and costs nothing (PostgreSQL 11 on).
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN public_id uuid;
    /// ALTER TABLE orders ALTER COLUMN public_id SET DEFAULT gen_random_uuid();
    /// -- backfill in batches, then enforce NOT NULL through a validated CHECK
    /// ```
    ///
    /// ## Options
    /// `sql.postgres-version`: the oldest PostgreSQL major version the
    /// migrations run on; below 11 every default is reported. Only PostgreSQL
    /// sets are checked. A column added after the script empties the table
    /// (`DELETE FROM t` without `WHERE`, `TRUNCATE t`) is not reported: the
    /// rewrite copies no rows.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub ColumnDefaultRewritesTable {
        code: "SQL010",
        name: "column-default-rewrites-table",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "a column added with a volatile default, as identity/serial, or stored generated rewrites the table under an `ACCESS EXCLUSIVE` lock",
    }
}

/// Functions whose value differs per row, so a default calling them is
/// evaluated for every existing row.
const VOLATILE: &[&str] = &[
    "random",
    "gen_random_uuid",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuidv4",
    "uuidv7",
    "uuid_generate_v7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "gen_random_bytes",
    "random_uuid",
];

impl SqlRule for ColumnDefaultRewritesTable {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let Some((alter, table)) = step.existing_alter() else {
            return;
        };
        if step.emptied(&table) {
            return;
        }
        let old_postgres = step.set.postgres_before(11);
        for op in &alter.operations {
            let AlterTableOperation::AddColumn { column_def, .. } = op else {
                continue;
            };
            let Some(why) = rewrite_reason(column_def, old_postgres) else {
                continue;
            };
            sink.push(
            step.diagnostic(
                &ColumnDefaultRewritesTable::META,
                step.head(),
                format!(
                    "column \"{}\" is added to existing table \"{table}\" {why}, which rewrites the table",
                    column_def.name.value
                ),
            )
            .with_help("add the column without the default (or as a plain nullable column), then set the default and backfill existing rows in batches"),
        );
        }
    }
}

fn rewrite_reason(column: &ast::ColumnDef, old_postgres: bool) -> Option<&'static str> {
    let data_type = column.data_type.to_string().to_ascii_lowercase();
    if data_type.contains("serial") {
        return Some("as a serial column");
    }
    column.options.iter().find_map(|o| match &o.option {
        ColumnOption::Generated {
            generation_expr: None,
            ..
        } => Some("as an identity column"),
        ColumnOption::Generated {
            generation_expr: Some(_),
            generation_expr_mode: Some(GeneratedExpressionMode::Stored),
            ..
        } => Some("as a stored generated column"),
        ColumnOption::Default(expr) if is_volatile(expr) => Some("with a volatile default"),
        ColumnOption::Default(expr) if old_postgres && !is_null(expr) => {
            Some("with a default before PostgreSQL 11")
        }
        _ => None,
    })
}

fn is_volatile(expr: &ast::Expr) -> bool {
    let text = expr.to_string().to_ascii_lowercase();
    VOLATILE.iter().any(|f| {
        text.match_indices(f).any(|(at, _)| {
            let before = text.get(..at).and_then(|s| s.chars().last());
            let after = text.get(at + f.len()..).and_then(|s| s.chars().next());
            !before.is_some_and(|c| c.is_alphanumeric() || c == '_') && after == Some('(')
        })
    })
}

fn is_null(expr: &ast::Expr) -> bool {
    expr.to_string().eq_ignore_ascii_case("null")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql010(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL010")
            .collect()
    }

    #[test]
    fn volatile_identity_and_stored_columns_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TABLE o ADD COLUMN a uuid DEFAULT gen_random_uuid();\nALTER TABLE o ADD COLUMN b timestamptz NOT NULL DEFAULT now();\nALTER TABLE o ADD COLUMN c bigserial;\nALTER TABLE o ADD COLUMN d int GENERATED ALWAYS AS (x * 2) STORED;\nALTER TABLE o ADD COLUMN e text DEFAULT 'x';\nALTER TABLE o ADD COLUMN f bigint GENERATED BY DEFAULT AS IDENTITY;\nALTER TABLE o ADD COLUMN g text DEFAULT my_random(1);\nCREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN h uuid DEFAULT gen_random_uuid();\n",
        );
        assert_eq!(
            sql010(&repo),
            [
                at("SQL010", "migrations/1_a.sql", 1, 1),
                at("SQL010", "migrations/1_a.sql", 3, 1),
                at("SQL010", "migrations/1_a.sql", 4, 1),
                at("SQL010", "migrations/1_a.sql", 6, 1)
            ]
        );
    }
}
