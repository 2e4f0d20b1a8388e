//! SQL068: a table without the configured audit columns.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SetSchema, SqlRule};

declare_rule! {
    /// ## What it does
    /// Replays the whole migration set and reports each table of the final
    /// schema that lacks one of the configured audit columns (by default
    /// `created_at` and `updated_at`), at the statement that created it.
    /// Materialised views and tables whose columns the replay cannot know
    /// (`CREATE TABLE … AS SELECT`) are skipped.
    ///
    /// ## Why is this bad?
    /// When a row is wrong, the first questions are when it was written and
    /// when it last changed. Without audit columns the answer is in backups
    /// and logs, if anywhere; with them, a query answers it, and incident
    /// reviews and data-retention jobs have something to work with.
    ///
    /// ## Example
    /// ```sql
    /// CREATE TABLE invoices (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     total_cents bigint NOT NULL
    /// );
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE TABLE invoices (
    ///     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ///     total_cents bigint NOT NULL,
    ///     created_at timestamptz NOT NULL DEFAULT now(),
    ///     updated_at timestamptz NOT NULL DEFAULT now()
    /// );
    /// ```
    ///
    /// ## Options
    /// `sql.audit-columns`: the column names every table must have
    /// (default `["created_at", "updated_at"]`). Off by default: join
    /// tables and lookup tables rarely need them; enable it where the team's
    /// policy requires them.
    pub MissingAuditColumns {
        code: "SQL068",
        name: "missing-audit-columns",
        checklist: SecAudit,
        group: Pedantic,
        severity: Info,
        summary: "a table without the configured audit columns (`created_at`, `updated_at`)",
    }
}

impl SqlRule for MissingAuditColumns {
    /// Checks every table of the final schema.
    fn schema(&self, schema: &SetSchema<'_>, sink: &mut Sink<'_>) {
        let wanted = &schema.set.audit_columns;
        for (name, table) in &schema.catalog.tables {
            if !table.created || table.materialized_view || table.columns_unknown {
                continue;
            }
            let missing: Vec<&str> = wanted
                .iter()
                .filter(|w| table.column(&w.to_lowercase()).is_none() && table.column(w).is_none())
                .map(String::as_str)
                .collect();
            if missing.is_empty() {
                continue;
            }
            let found = schema.diagnostic(
                &MissingAuditColumns::META,
                &table.origin,
                table.origin.span,
                format!("table \"{name}\" has no {}", columns(&missing)),
            );
            if let Some(d) = found {
                sink.push(d.with_help(format!(
                    "add {} (a timestamp with time zone, set on insert and update)",
                    columns(&missing)
                )));
            }
        }
    }
}

fn columns(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let noun = if names.len() == 1 {
        "column"
    } else {
        "columns"
    };
    format!("audit {noun} {}", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn tables_without_audit_columns_fire_where_created() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\n\nCREATE TABLE tags (id bigint PRIMARY KEY, created_at timestamptz);\nCREATE TABLE notes (id bigint PRIMARY KEY);\nALTER TABLE notes ADD COLUMN created_at timestamptz, ADD COLUMN updated_at timestamptz;\nCREATE MATERIALIZED VIEW tag_counts AS SELECT 1;\n",
        );
        assert_eq!(
            repo.only("SQL068"),
            [at("SQL068", "migrations/1_a.sql", 3, 1)]
        );
    }

    #[test]
    fn the_configured_columns_are_required() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, created_at timestamptz, updated_at timestamptz);\n",
        );
        let mut config = backend_check_core::Config::default();
        config.sql.audit_columns = vec!["created_by".to_owned()];
        let found = repo.selected(&["SQL068"], &config);
        assert_eq!(found, [at("SQL068", "migrations/1_a.sql", 1, 1)]);
    }
}
