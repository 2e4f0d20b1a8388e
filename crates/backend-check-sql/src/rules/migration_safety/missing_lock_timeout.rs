//! SQL019: a lock on an existing table is requested before any `lock_timeout`
//! is set in the migration.

use backend_check_core::{declare_rule, Diagnostic, Sink};
use sqlparser::ast::{self, AlterTableOperation};
use sqlparser::tokenizer::Token;

use crate::engine::{object_head, ScriptView, SqlRule};
use crate::model::Direction;
use crate::parse::{classify, Shape, Statement};
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// Finds the first statement of a PostgreSQL up migration that locks a
    /// table the migration did not create in a mode that blocks writes
    /// (`ALTER TABLE`, `DROP TABLE`, `TRUNCATE`, `LOCK TABLE`, `CREATE
    /// TRIGGER`), when no `SET
    /// lock_timeout` (or `set_config('lock_timeout', …)`) comes before it. One
    /// finding per migration.
    ///
    /// ## Why is this bad?
    /// The statement waits for its lock behind every running transaction on
    /// the table, for example a long report. While it waits, every query that
    /// arrives after it queues behind it, reads included: a quick `ALTER TABLE`
    /// turns into minutes of downtime. With a `lock_timeout` the migration gives
    /// up after a few seconds instead, and can be retried.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// SET lock_timeout = '5s';
    /// ALTER TABLE orders ADD COLUMN note text;
    /// ```
    /// Use `SET LOCAL` when the migration runs in a transaction, so the setting
    /// ends with it. A `statement_timeout` bounds the whole statement too.
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked. `CREATE INDEX` is left to SQL001,
    /// whose fix (`CONCURRENTLY`) also removes the blocking lock. Teams that set `lock_timeout`
    /// for the migration role (`ALTER ROLE migrator SET lock_timeout = '5s'`)
    /// can ignore the rule in their configuration.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub MissingLockTimeout {
        code: "SQL019",
        name: "missing-lock-timeout",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a table lock is requested with no `lock_timeout`, so a blocked migration stalls every query on the table",
    }
}

impl SqlRule for MissingLockTimeout {
    /// Checks one up script (down scripts are skipped).
    fn script(&self, view: &ScriptView<'_>, sink: &mut Sink<'_>) {
        let Some((table, statement)) = first_lock_before(view, "lock_timeout") else {
            return;
        };
        sink.push(
        Diagnostic::new(
            &MissingLockTimeout::META,
            &view.script.file,
            object_head(statement),
            format!("table \"{table}\" is locked with no lock_timeout set, so a wait for the lock stalls every query on it"),
        )
        .with_help("start the migration with `SET lock_timeout = '5s';` (`SET LOCAL` inside a transaction)"),
    );
    }
}

/// The first statement of a PostgreSQL up script that locks a table the
/// script did not create, when no statement before it sets `setting` (a
/// timeout such as `lock_timeout`, by `SET` or `set_config`).
pub(crate) fn first_lock_before<'a>(
    view: &ScriptView<'a>,
    setting: &str,
) -> Option<(TableName, &'a Statement)> {
    if view.script.direction != Direction::Up || !view.set.is_postgres() {
        return None;
    }
    for (position, statement) in view.script.statements.iter().enumerate() {
        if sets(statement, setting) {
            return None;
        }
        let Some(table) = locked_table(statement) else {
            continue;
        };
        if !view.created.before(&table, position) {
            return Some((table, statement));
        }
    }
    None
}

fn sets(statement: &Statement, setting: &str) -> bool {
    statement.tokens.iter().take(12).any(|t| match &t.token {
        Token::Word(w) => w.value.eq_ignore_ascii_case(setting),
        Token::SingleQuotedString(s) => s.eq_ignore_ascii_case(setting),
        _ => false,
    })
}

/// The table a statement locks against writes, when it is one of the
/// commands the rule knows.
fn locked_table(statement: &Statement) -> Option<TableName> {
    match &statement.parsed {
        Ok(ast::Statement::AlterTable(alter)) => {
            let only_validates = alter
                .operations
                .iter()
                .all(|op| matches!(op, AlterTableOperation::ValidateConstraint { .. }));
            (!only_validates)
                .then(|| TableName::from_object(&alter.name))
                .flatten()
        }
        _ => locked_by_tokens(statement),
    }
}

fn locked_by_tokens(statement: &Statement) -> Option<TableName> {
    let tokens: Vec<&crate::parse::SqlToken> = statement.tokens.iter().collect();
    let first = tokens.first()?;
    if first.is_word("CREATE") {
        let on = tokens.iter().position(|t| t.is_word("ON"))?;
        let trigger = tokens.iter().take(on).any(|t| t.is_word("TRIGGER"));
        return trigger
            .then(|| TableName::from_tokens(tokens.get(on + 1..)?).map(|(n, _)| n))
            .flatten();
    }
    if first.is_word("ALTER") {
        return match classify(statement)? {
            Shape::AlterTable { table } => Some(table),
            _ => None,
        };
    }
    let mut at = 1;
    while tokens.get(at).is_some_and(|t| {
        ["TABLE", "ONLY", "IF", "EXISTS"]
            .iter()
            .any(|w| t.is_word(w))
    }) {
        at += 1;
    }
    let name = || {
        tokens
            .get(at..)
            .and_then(TableName::from_tokens)
            .map(|(n, _)| n)
    };
    if first.is_word("TRUNCATE") || first.is_word("LOCK") {
        return name();
    }
    if first.is_word("DROP") && tokens.get(1)?.is_word("TABLE") {
        return name();
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql019(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings_with(&["SQL019"], None)
            .into_iter()
            .filter(|f| f.0 == "SQL019")
            .collect()
    }

    #[test]
    fn one_finding_per_file_and_timeouts_silence_it() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE n (id int);\nALTER TABLE n ADD COLUMN x int;\nALTER TABLE o ADD COLUMN y int;\nALTER TABLE p ADD COLUMN z int;\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "SET LOCAL lock_timeout = '5s';\nALTER TABLE o ADD COLUMN w int;\n",
        );
        repo.write(
            "migrations/3_c.sql",
            "SELECT set_config('lock_timeout', '3s', true);\nDROP TABLE o;\n",
        );
        repo.write(
            "migrations/4_d.sql",
            "ALTER TABLE o VALIDATE CONSTRAINT c;\nTRUNCATE TABLE o;\n",
        );
        assert_eq!(
            sql019(&repo),
            [
                at("SQL019", "migrations/1_a.sql", 3, 1),
                at("SQL019", "migrations/4_d.sql", 2, 1)
            ]
        );
    }
}
