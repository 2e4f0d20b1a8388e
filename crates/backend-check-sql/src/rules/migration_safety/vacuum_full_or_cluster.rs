//! SQL026: `VACUUM FULL` or `CLUSTER` rewrites a live table under an
//! exclusive lock.

use backend_check_core::{declare_rule, Sink};
use sqlparser::tokenizer::Token;

use super::words::{find, is, name_at, tokens};
use crate::engine::{SqlRule, Step};
use crate::parse::SqlToken;
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// Finds `VACUUM FULL` (also `VACUUM (FULL)`) and `CLUSTER` in PostgreSQL
    /// up migrations, unless every table they name was created earlier in the
    /// same migration. A `VACUUM FULL` or `CLUSTER` that names no table works
    /// on every table of the database and is always reported.
    ///
    /// ## Why is this bad?
    /// Both rewrite the whole table and its indexes while holding an `ACCESS
    /// EXCLUSIVE` lock: nothing can read or write the table until the copy is
    /// done, minutes to hours on a large table.
    ///
    /// ## Example
    /// ```sql
    /// VACUUM FULL events;
    /// ```
    ///
    /// ## Use instead
    /// On PostgreSQL 19 and later, `REPACK (CONCURRENTLY) events;` rewrites
    /// the table while it stays in use. Before that, run
    /// `pg_repack --table=events` outside the migration, or a plain `VACUUM`,
    /// which takes no exclusive lock.
    ///
    /// ## Options
    /// `sql.postgres-version`: from 19 on the help names `REPACK
    /// (CONCURRENTLY)`, before it `pg_repack`. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub VacuumFullOrCluster {
        code: "SQL026",
        name: "vacuum-full-or-cluster",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "`VACUUM FULL` or `CLUSTER` rewrites a table while nothing can read or write it",
    }
}

impl SqlRule for VacuumFullOrCluster {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() {
            return;
        }
        let tokens = tokens(step.statement);
        let Some((command, tables)) = rewrite(&tokens) else {
            return;
        };
        if !tables.is_empty() && tables.iter().all(|t| !step.existing(t)) {
            return;
        }
        let target = tables.iter().find(|t| step.existing(t)).map_or_else(
            || "every table of the database".to_owned(),
            |t| format!("table \"{t}\""),
        );
        let help = if step.set.postgres_version.is_some_and(|v| v >= 19) {
            "use `REPACK (CONCURRENTLY)`, which rewrites the table while it stays in use"
        } else {
            "run `pg_repack` outside the migration (or `REPACK (CONCURRENTLY)` on PostgreSQL 19), or a plain `VACUUM`"
        };
        sink.push(
        step.diagnostic(
            &VacuumFullOrCluster::META,
            step.statement.head(2),
            format!("`{command}` rewrites {target} under an ACCESS EXCLUSIVE lock that blocks reads and writes"),
        )
        .with_help(help),
    );
    }
}

/// The command (`VACUUM FULL`, `CLUSTER`) and the tables it names.
fn rewrite(tokens: &[&SqlToken]) -> Option<(&'static str, Vec<TableName>)> {
    let first = tokens.first()?;
    if first.is_word("CLUSTER") {
        return Some(("CLUSTER", cluster_table(tokens).into_iter().collect()));
    }
    if !first.is_word("VACUUM") {
        return None;
    }
    let (full, mut at) = vacuum_options(tokens)?;
    if !full {
        return None;
    }
    let mut tables = Vec::new();
    while let Some((name, next)) = name_at(tokens, at) {
        tables.push(name);
        at = next;
        if is(tokens.get(at), &Token::LParen) {
            at = tokens
                .iter()
                .skip(at)
                .position(|t| t.token == Token::RParen)
                .map_or(tokens.len(), |p| at + p + 1);
        }
        if !is(tokens.get(at), &Token::Comma) {
            break;
        }
        at += 1;
    }
    Some(("VACUUM FULL", tables))
}

/// Whether a `VACUUM` asks for `FULL`, and where its table list starts.
fn vacuum_options(tokens: &[&SqlToken]) -> Option<(bool, usize)> {
    if is(tokens.get(1), &Token::LParen) {
        let close = tokens.iter().position(|t| t.token == Token::RParen)?;
        let full = (2..close).any(|at| {
            tokens.get(at).is_some_and(|t| t.is_word("FULL"))
                && !tokens.get(at + 1).is_some_and(|t| {
                    t.is_word("FALSE") || t.is_word("OFF") || t.token.to_string() == "0"
                })
        });
        return Some((full, close + 1));
    }
    let mut at = 1;
    let mut full = false;
    while let Some(t) = tokens.get(at) {
        if t.is_word("FULL") {
            full = true;
        } else if !(t.is_word("FREEZE") || t.is_word("VERBOSE") || t.is_word("ANALYZE")) {
            break;
        }
        at += 1;
    }
    Some((full, at))
}

/// The table of `CLUSTER [VERBOSE] table [USING index]` or the old
/// `CLUSTER index ON table`.
fn cluster_table(tokens: &[&SqlToken]) -> Option<TableName> {
    if let Some(on) = find(tokens, 1, &["ON"]) {
        return name_at(tokens, on + 1).map(|(n, _)| n);
    }
    let mut at = 1;
    if is(tokens.get(at), &Token::LParen) {
        at += tokens
            .iter()
            .skip(at)
            .position(|t| t.token == Token::RParen)?
            + 1;
    }
    if tokens.get(at).is_some_and(|t| t.is_word("VERBOSE")) {
        at += 1;
    }
    name_at(tokens, at).map(|(n, _)| n)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn rewrites_of_existing_tables_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "-- no-transaction\nCREATE TABLE n (id int);\nVACUUM FULL n;\nVACUUM (FULL, ANALYZE) events;\nVACUUM ANALYZE events;\nVACUUM (FULL false) events;\n  CLUSTER events USING events_pkey;\nCLUSTER;\nVACUUM FULL;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL026")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL026", "migrations/1_a.sql", 4, 1),
                at("SQL026", "migrations/1_a.sql", 7, 3),
                at("SQL026", "migrations/1_a.sql", 8, 1),
                at("SQL026", "migrations/1_a.sql", 9, 1),
            ]
        );
    }
}
