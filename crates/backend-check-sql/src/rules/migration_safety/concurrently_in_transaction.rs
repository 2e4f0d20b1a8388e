//! SQL002: a statement PostgreSQL refuses inside a transaction block, in a
//! migration that runs in one.

use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::discover::transaction;
use crate::engine::{ScriptView, SqlRule};
use crate::model::{Layout, Script};
use crate::parse::Statement;

declare_rule! {
    /// ## What it does
    /// Finds `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX …
    /// CONCURRENTLY`, `VACUUM`, `CREATE DATABASE` and other statements that
    /// PostgreSQL refuses inside a transaction block, in scripts that run inside
    /// one. The rule knows each migration tool's habit: sqlx, diesel, dbmate,
    /// goose, pop and refinery wrap every migration in a transaction unless the
    /// migration opts out (`-- no-transaction`, `run_in_transaction = false` in
    /// `metadata.toml`, `-- migrate:up transaction:false`,
    /// `-- +goose NO TRANSACTION`, `.autocommit.` in a pop file name);
    /// golang-migrate never wraps; Flyway runs such a migration outside a
    /// transaction by itself. An explicit `BEGIN … COMMIT` in the file counts
    /// too. When a tool sends the whole file as one query string (sqlx, diesel,
    /// dbmate, golang-migrate, pop), PostgreSQL runs its statements in one
    /// implicit transaction, so the statement must also be alone in its file.
    ///
    /// ## Why is this bad?
    /// The migration fails at deploy time with `CREATE INDEX CONCURRENTLY cannot
    /// run inside a transaction block`, after the statements before it were
    /// applied (or rolled back), and the deploy stops half-way.
    ///
    /// ## Example
    /// ```sql
    /// -- migrations/20240301000000_index_orders.sql (sqlx, in a transaction)
    /// CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- no-transaction
    /// CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub ConcurrentlyInTransaction {
        code: "SQL002",
        name: "concurrently-in-transaction",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "a statement that cannot run in a transaction block runs inside one, so the migration fails",
    }
}

/// Why a statement runs in a transaction block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    /// The tool's transaction or the script's `BEGIN`.
    Transaction,
    /// PostgreSQL's implicit transaction around a multi-statement query string.
    Implicit,
}

impl SqlRule for ConcurrentlyInTransaction {
    /// Checks every script, up and down.
    fn script(&self, view: &ScriptView<'_>, sink: &mut Sink<'_>) {
        let (set, script) = (view.set, view.script);
        if !set.is_postgres() {
            return;
        }
        let others = script
            .statements
            .iter()
            .filter(|s| transaction::control(s).is_none())
            .count();
        let one_query = transaction::sends_file_as_one_query(set.layout);
        for (statement, &in_tx) in script.statements.iter().zip(&view.in_transaction) {
            if !transaction::is_non_transactional(statement) {
                continue;
            }
            let block = if in_tx {
                Block::Transaction
            } else if one_query && others > 1 && !has_explicit_control(script) {
                Block::Implicit
            } else {
                continue;
            };
            sink.push(
                Diagnostic::new(
                    &ConcurrentlyInTransaction::META,
                    &script.file,
                    statement.head(6),
                    message(statement, block),
                )
                .with_help(help(set.layout, script, block)),
            );
        }
    }
}

fn has_explicit_control(script: &Script) -> bool {
    script
        .statements
        .iter()
        .any(|s| transaction::control(s).is_some())
}

fn command(statement: &Statement) -> String {
    statement
        .tokens
        .iter()
        .take(3)
        .filter_map(|t| t.keyword())
        .take_while(|w| w != "IF" && w != "ON")
        .collect::<Vec<_>>()
        .join(" ")
}

fn message(statement: &Statement, block: Block) -> String {
    match block {
        Block::Transaction => format!(
            "`{}` cannot run inside a transaction block, and this migration runs in one",
            command(statement)
        ),
        Block::Implicit => format!(
            "`{}` shares its file with other statements, which PostgreSQL runs as one implicit transaction",
            command(statement)
        ),
    }
}

fn help(layout: Layout, script: &Script, block: Block) -> String {
    match block {
        Block::Implicit => "move the statement into a migration of its own".to_owned(),
        Block::Transaction
            if has_explicit_control(script) && !script.transaction.runner_wraps() =>
        {
            "remove the `BEGIN`/`COMMIT` around the statement".to_owned()
        }
        Block::Transaction => format!(
            "run the migration outside a transaction: {}",
            super::advice::leave_transaction(layout)
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql002(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL002")
            .collect()
    }

    #[test]
    fn sqlx_no_transaction_changes_the_verdict() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE INDEX CONCURRENTLY i ON t (x);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "-- no-transaction\nCREATE INDEX CONCURRENTLY j ON t (x);\n",
        );
        assert_eq!(sql002(&repo), [at("SQL002", "migrations/1_a.sql", 1, 1)]);
    }

    #[test]
    fn diesel_metadata_changes_the_verdict() {
        let repo = Repo::new();
        repo.write(
            "migrations/2024-01-01-000000_a/up.sql",
            "CREATE INDEX CONCURRENTLY i ON t (x);\n",
        );
        repo.write(
            "migrations/2024-01-02-000000_b/up.sql",
            "CREATE INDEX CONCURRENTLY j ON t (x);\n",
        );
        repo.write(
            "migrations/2024-01-02-000000_b/metadata.toml",
            "run_in_transaction = false\n",
        );
        assert_eq!(
            sql002(&repo),
            [at("SQL002", "migrations/2024-01-01-000000_a/up.sql", 1, 1)]
        );
    }

    #[test]
    fn golang_migrate_fires_in_explicit_block_or_with_other_statements() {
        let repo = Repo::new();
        repo.write(
            "migrations/0001_a.up.sql",
            "CREATE INDEX CONCURRENTLY i ON t (x);\n",
        );
        repo.write(
            "migrations/0002_b.up.sql",
            "BEGIN;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;\n",
        );
        repo.write(
            "migrations/0003_c.up.sql",
            "ALTER TABLE t ADD COLUMN y int;\nCREATE INDEX CONCURRENTLY j ON t (y);\n",
        );
        assert_eq!(
            sql002(&repo),
            [
                at("SQL002", "migrations/0002_b.up.sql", 2, 1),
                at("SQL002", "migrations/0003_c.up.sql", 2, 1)
            ]
        );
    }

    #[test]
    fn flyway_runs_it_outside_by_itself() {
        let repo = Repo::new();
        repo.write(
            "db/migration/V2__idx.sql",
            "CREATE INDEX CONCURRENTLY i ON t (x);\n",
        );
        assert!(sql002(&repo).is_empty());
    }
}
