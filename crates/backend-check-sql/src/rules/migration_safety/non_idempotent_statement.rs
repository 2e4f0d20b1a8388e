//! SQL024: a statement that fails when a partly applied, non-transactional
//! migration is run again.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::{self, AlterTableOperation};

use super::drops;
use super::words::{self, at_words, find, skip_if_exists, tokens};
use crate::discover::transaction::{control, sends_file_as_one_query};
use crate::engine::{SqlRule, Step};
use crate::model::{Layout, Script};

declare_rule! {
    /// ## What it does
    /// Finds statements of PostgreSQL up migrations that run outside any
    /// transaction (the tool does not wrap the file, and no `BEGIN` is open)
    /// and fail when run a second time: `CREATE TABLE`, `CREATE INDEX`,
    /// `CREATE SCHEMA`, `CREATE SEQUENCE`, `CREATE EXTENSION` and `ADD COLUMN`
    /// without `IF NOT EXISTS`, `DROP …` and `DROP COLUMN`/`DROP CONSTRAINT`
    /// without `IF EXISTS`, and `ADD CONSTRAINT` not preceded by a `DROP
    /// CONSTRAINT IF EXISTS` of the same name.
    ///
    /// Only statements that stay applied when a later part of the file fails
    /// are reported. goose (`NO TRANSACTION`) and Flyway run such files
    /// statement by statement, so every statement but the last is at risk.
    /// sqlx, diesel, dbmate, golang-migrate and pop send the file as one
    /// query string, which PostgreSQL runs as one implicit transaction up to
    /// each `COMMIT`, so only statements with a `BEGIN` or `COMMIT` after them
    /// are at risk. Loose files outside a migration layout, whose runner is
    /// unknown, are not checked. (A failed `CREATE INDEX CONCURRENTLY` leaves
    /// an invalid index behind even as the last statement; `IF NOT EXISTS`
    /// would hide it rather than repair it, so drop the index and run the
    /// migration again.)
    ///
    /// ## Why is this bad?
    /// When such a migration fails half way (a lock timeout, a duplicate key
    /// in `CREATE UNIQUE INDEX CONCURRENTLY`), the statements before the
    /// failure stay applied. The fix is to run the migration again, and then
    /// its first statement fails because the table or index already exists:
    /// someone has to repair the database by hand, during an incident.
    ///
    /// ## Example
    /// ```sql
    /// -- no-transaction
    /// CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
    /// CREATE INDEX CONCURRENTLY orders_created_idx ON orders (created_at);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- no-transaction
    /// CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);
    /// CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_created_idx ON orders (created_at);
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked: MySQL commits every DDL
    /// statement on its own and lacks most `IF NOT EXISTS` forms, and SQLite
    /// migrations run in transactions.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub NonIdempotentStatement {
        code: "SQL024",
        name: "non-idempotent-statement",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a statement outside any transaction fails when a partly applied migration is run again",
    }
}

impl SqlRule for NonIdempotentStatement {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || step.in_transaction || !step.is_top_level() {
            return;
        }
        if !committed_before_a_later_failure(step.set.layout, step.script, step.position) {
            return;
        }
        let Some(missing) = missing_guard(step) else {
            return;
        };
        sink.push(
            step.diagnostic(
                &NonIdempotentStatement::META,
                step.head(),
                missing.message(),
            )
            .with_help(missing.help()),
        );
    }
}

/// Whether statement `position` stays applied when a later part of the
/// script fails, so a second run meets it again.
fn committed_before_a_later_failure(layout: Layout, script: &Script, position: usize) -> bool {
    if layout == Layout::Loose {
        return false;
    }
    let mut later = script
        .statements
        .iter()
        .skip(position + 1)
        .filter(|s| !s.tokens.is_empty());
    if sends_file_as_one_query(layout) {
        later.any(|s| control(s).is_some())
    } else {
        later.any(|s| control(s).is_none())
    }
}

/// What makes a statement fail on a second run.
enum Missing {
    IfNotExists(&'static str),
    IfExists(&'static str),
    DropFirst(String),
}

impl Missing {
    fn message(&self) -> String {
        match self {
            Missing::IfNotExists(what) => format!("`{what}` without `IF NOT EXISTS` fails when the non-transactional migration is run again"),
            Missing::IfExists(what) => format!("`{what}` without `IF EXISTS` fails when the non-transactional migration is run again"),
            Missing::DropFirst(name) => format!("constraint \"{name}\" is added outside a transaction, so running the migration again fails"),
        }
    }

    fn help(&self) -> String {
        match self {
            Missing::IfNotExists(_) => "add `IF NOT EXISTS`, or run the migration in a transaction".to_owned(),
            Missing::IfExists(_) => "add `IF EXISTS`, or run the migration in a transaction".to_owned(),
            Missing::DropFirst(name) => format!("put `ALTER TABLE … DROP CONSTRAINT IF EXISTS {name};` before it, or run the migration in a transaction"),
        }
    }
}

/// Kinds of `CREATE` that take `IF NOT EXISTS`.
const CREATE_KINDS: &[&str] = &["TABLE", "SCHEMA", "SEQUENCE", "EXTENSION"];

fn missing_guard(step: &Step<'_>) -> Option<Missing> {
    let statement = step.statement;
    if let Ok(ast::Statement::AlterTable(alter)) = &statement.parsed {
        return alter
            .operations
            .iter()
            .find_map(|op| missing_in_alter(step, op));
    }
    let tokens = tokens(statement);
    if tokens.first()?.is_word("DROP") {
        let drop = drops::read(statement)?;
        let guardable = drop.kind != "OWNED" && !drop.names.is_empty();
        return (guardable && !drop.if_exists).then_some(Missing::IfExists("DROP"));
    }
    if !tokens.first()?.is_word("CREATE") {
        return None;
    }
    let mut at = 1;
    if tokens.get(at).is_some_and(|t| t.is_word("UNIQUE")) {
        at += 1;
    }
    if tokens.get(at).is_some_and(|t| t.is_word("INDEX")) {
        at += 1;
        if tokens.get(at).is_some_and(|t| t.is_word("CONCURRENTLY")) {
            at += 1;
        }
        let (name_at, guarded) = skip_if_exists(&tokens, at);
        let named = !tokens.get(name_at).is_some_and(|t| t.is_word("ON"));
        return (!guarded && named).then_some(Missing::IfNotExists("CREATE INDEX"));
    }
    let kind = CREATE_KINDS
        .iter()
        .find(|k| tokens.get(at).is_some_and(|t| t.is_word(k)))?;
    let (_, guarded) = skip_if_exists(&tokens, at + 1);
    (!guarded).then_some(Missing::IfNotExists(match *kind {
        "TABLE" => "CREATE TABLE",
        "SCHEMA" => "CREATE SCHEMA",
        "SEQUENCE" => "CREATE SEQUENCE",
        _ => "CREATE EXTENSION",
    }))
}

fn missing_in_alter(step: &Step<'_>, op: &AlterTableOperation) -> Option<Missing> {
    match op {
        AlterTableOperation::AddColumn { if_not_exists, .. } if !if_not_exists => {
            Some(Missing::IfNotExists("ADD COLUMN"))
        }
        AlterTableOperation::DropColumn { if_exists, .. } if !if_exists => {
            Some(Missing::IfExists("DROP COLUMN"))
        }
        AlterTableOperation::DropConstraint { if_exists, .. } if !if_exists => {
            Some(Missing::IfExists("DROP CONSTRAINT"))
        }
        AlterTableOperation::AddConstraint { .. } => {
            let name = added_constraint_name(step)?;
            (!dropped_earlier(step, &name)).then_some(Missing::DropFirst(name))
        }
        _ => None,
    }
}

/// The name of `ADD CONSTRAINT name` in the statement.
fn added_constraint_name(step: &Step<'_>) -> Option<String> {
    let tokens = tokens(step.statement);
    let at = find(&tokens, 0, &["ADD", "CONSTRAINT"])?;
    words::name_at(&tokens, at + 2).map(|(name, _)| name.name)
}

/// Whether an earlier statement of the script drops constraint `name` with
/// `IF EXISTS`.
fn dropped_earlier(step: &Step<'_>, name: &str) -> bool {
    step.script
        .statements
        .iter()
        .take(step.position)
        .any(|statement| {
            let tokens = tokens(statement);
            (0..tokens.len()).any(|at| {
                at_words(&tokens, at, &["DROP", "CONSTRAINT", "IF", "EXISTS"])
                    && words::name_at(&tokens, at + 4).is_some_and(|(n, _)| n.name == name)
            })
        })
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql024(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL024")
            .collect()
    }

    #[test]
    fn unguarded_statements_outside_transactions_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/00001_a.sql",
            "-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE t (id int);\nCREATE TABLE IF NOT EXISTS u (id int);\nCREATE INDEX CONCURRENTLY t_idx ON t (id);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS u_idx ON u (id);\nALTER TABLE t ADD COLUMN a int, ADD COLUMN IF NOT EXISTS b int;\nALTER TABLE t DROP CONSTRAINT IF EXISTS c;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);\nALTER TABLE t ADD CONSTRAINT d CHECK (a > 1);\n  DROP TABLE old;\nDROP INDEX CONCURRENTLY IF EXISTS x;\n",
        );
        assert_eq!(
            sql024(&repo),
            [
                at("SQL024", "migrations/00001_a.sql", 3, 1),
                at("SQL024", "migrations/00001_a.sql", 5, 1),
                at("SQL024", "migrations/00001_a.sql", 7, 1),
                at("SQL024", "migrations/00001_a.sql", 10, 1),
                at("SQL024", "migrations/00001_a.sql", 11, 3),
            ]
        );
    }

    #[test]
    fn flyway_runs_a_non_transactional_migration_statement_by_statement() {
        let repo = Repo::new();
        repo.write(
            "db/migration/V1__a.sql",
            "CREATE INDEX CONCURRENTLY a_idx ON a (x);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS b_idx ON b (x);\n",
        );
        repo.write(
            "db/migration/V2__b.sql",
            "CREATE TABLE c (id int);\nDROP TABLE d;\n",
        );
        repo.write(
            "schema.sql",
            "CREATE TABLE e (id int);\nCREATE TABLE f (id int);\n",
        );
        let explicit = [repo.path("schema.sql")];
        let found: Vec<_> = repo
            .findings(&explicit, None)
            .into_iter()
            .filter(|f| f.0 == "SQL024")
            .collect();
        assert_eq!(found, [at("SQL024", "db/migration/V1__a.sql", 1, 1)]);
    }

    #[test]
    fn transactions_and_one_query_files_are_silent() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "-- no-transaction\nCREATE TABLE t (id int);\nCREATE INDEX t_idx ON t (id);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "-- no-transaction\nCREATE TABLE t0 (id int);\nBEGIN;\nCREATE TABLE u (id int);\nCOMMIT;\nCREATE TABLE v (id int);\n",
        );
        repo.write(
            "migrations/3_c.sql",
            "CREATE TABLE w (id int);\nDROP TABLE t;\n",
        );
        assert_eq!(sql024(&repo), [at("SQL024", "migrations/2_b.sql", 2, 1)]);
    }
}
