//! SQL065: an up migration destroys data that its down migration cannot bring back.

use backend_check_core::{declare_rule, Sink};
use sqlparser::ast::{self, AlterColumnOperation, AlterTableOperation};
use sqlparser::tokenizer::Token;

use crate::engine::{SqlRule, Step};
use crate::model::Script;
use crate::parse::{SqlToken, Statement};
use crate::rules::migration_safety::drops;
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// In an up migration that has a non-empty down migration, finds the
    /// statements that destroy data: `DROP TABLE`, `ALTER TABLE … DROP
    /// COLUMN`, `TRUNCATE`, and type changes that silently discard part of
    /// each value (`numeric` or floating point to an integer type, a smaller
    /// `numeric` scale, a timestamp to `date`). Tables and columns created
    /// earlier in the same migration hold no data yet and are skipped, and
    /// so is a drop whose data the up copied first (`CREATE TABLE … AS
    /// SELECT … FROM t`, `INSERT INTO … SELECT … FROM t`, `UPDATE … FROM t`)
    /// or whose down writes values back (`INSERT INTO t …`, a backfilling
    /// `UPDATE t …`). Generated and identity columns (`serial`) hold no data
    /// a down cannot regenerate, and a table dropped and re-created in the
    /// same script is a deliberate reset. Drops in down
    /// migrations are never reported. Migrations without a down, or with an
    /// empty one, are left to SQL043 and SQL044.
    ///
    /// ## Why is this bad?
    /// The down migration is the team's rollback plan, and it looks complete:
    /// it re-creates the dropped table or column. But it re-creates it empty.
    /// A rollback after this migration brings back the old schema without
    /// its data, so the previous release runs against a table that lost its
    /// rows or a column that is now `NULL` everywhere.
    ///
    /// ## Example
    /// ```sql
    /// -- up.sql
    /// ALTER TABLE users DROP COLUMN legacy_login;
    /// -- down.sql
    /// ALTER TABLE users ADD COLUMN legacy_login text;
    /// ```
    ///
    /// ## Use instead
    /// Keep the data where the down can find it:
    /// ```sql
    /// -- up.sql
    /// CREATE TABLE users_legacy_login AS SELECT id, legacy_login FROM users;
    /// ALTER TABLE users DROP COLUMN legacy_login;
    /// -- down.sql
    /// ALTER TABLE users ADD COLUMN legacy_login text;
    /// UPDATE users SET legacy_login = b.legacy_login
    ///   FROM users_legacy_login b WHERE b.id = users.id;
    /// ```
    /// Or, when the data is truly disposable, make the down fail on purpose
    /// (or leave it empty) so nobody counts on it.
    ///
    /// ## Options
    /// None. SQL013 reports the same drops as a risk for the application
    /// still running during the deploy; this rule is about the data.
    pub IrreversibleDataLoss {
        code: "SQL065",
        name: "irreversible-data-loss",
        checklist: DbRollback,
        group: Pedantic,
        severity: Warning,
        summary: "an up migration destroys data that its down migration re-creates empty",
    }
}

/// What a statement destroys.
enum Loss {
    Table(TableName),
    Truncate(TableName),
    Column(TableName, String),
    Narrowed(TableName, String, String, String),
}

impl SqlRule for IrreversibleDataLoss {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if non_empty_down(step).is_none() {
            return;
        }
        for loss in losses(step) {
            if has_data(step, &loss) && !copied(step, &loss) {
                sink.push(
                    step.diagnostic(&IrreversibleDataLoss::META, step.head(), message(&loss))
                        .with_help(HELP),
                );
            }
        }
    }
}

const HELP: &str = "copy the data to a backup table in the up and restore it in the down, or make the down fail on purpose if the data is disposable";

/// The non-empty down script of the statement's change (a popx change has
/// one per part).
fn non_empty_down<'a>(step: &Step<'a>) -> Option<&'a Script> {
    change(step)
        .filter_map(|m| m.down.as_ref())
        .find(|d| !d.statements.is_empty())
}

/// The migrations of the statement's change: itself, or every part of a
/// split popx change.
fn change<'a>(step: &Step<'a>) -> impl Iterator<Item = &'a crate::model::Migration> + 'a {
    let (set, index) = (step.set, step.index);
    set.migrations
        .iter()
        .enumerate()
        .filter(move |(i, _)| set.same_change(*i, index))
        .map(|(_, m)| m)
}

/// The up statements of the change that ran before this statement.
fn earlier<'a>(step: &Step<'a>) -> Vec<&'a Statement> {
    let (set, index) = (step.set, step.index);
    let parts = set
        .migrations
        .iter()
        .enumerate()
        .take(index)
        .filter(|(i, _)| set.same_change(*i, index))
        .filter_map(|(_, m)| m.up.as_ref())
        .flat_map(|up| up.statements.iter());
    let own = step
        .script
        .statements
        .get(..step.position)
        .unwrap_or_default();
    parts.chain(own).collect()
}

fn message(loss: &Loss) -> String {
    match loss {
        Loss::Table(t) => format!("table \"{t}\" is dropped with its rows, which the down migration cannot bring back"),
        Loss::Truncate(t) => format!("table \"{t}\" is emptied, and the down migration cannot bring its rows back"),
        Loss::Column(t, c) => format!("column \"{t}.{c}\" is dropped with its values, which the down migration cannot bring back"),
        Loss::Narrowed(t, c, old, new) => format!("column \"{t}.{c}\" changes from {old} to {new}, which discards part of each value for good"),
    }
}

fn loss_table(loss: &Loss) -> &TableName {
    match loss {
        Loss::Table(t) | Loss::Truncate(t) | Loss::Column(t, _) | Loss::Narrowed(t, ..) => t,
    }
}

/// The data a statement destroys.
fn losses(step: &Step<'_>) -> Vec<Loss> {
    if let Some(drop) = drops::read(step.statement).filter(|d| d.kind == "TABLE") {
        return drop
            .names
            .into_iter()
            .filter(|name| !reset(step, name))
            .map(Loss::Table)
            .collect();
    }
    if let Some(names) = truncated(&step.statement.tokens) {
        return names.into_iter().map(Loss::Truncate).collect();
    }
    let Ok(ast::Statement::AlterTable(alter)) = &step.statement.parsed else {
        return Vec::new();
    };
    let Some(table) = TableName::from_object(&alter.name) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for op in &alter.operations {
        match op {
            AlterTableOperation::DropColumn { column_names, .. } => found.extend(
                column_names
                    .iter()
                    .map(|c| Loss::Column(table.clone(), normalise(c))),
            ),
            AlterTableOperation::AlterColumn {
                column_name,
                op: AlterColumnOperation::SetDataType { data_type, .. },
            } => found.extend(narrowed(step, &table, &normalise(column_name), data_type)),
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                ..
            } => found.extend(narrowed(step, &table, &normalise(col_name), data_type)),
            _ => {}
        }
    }
    found
}

fn normalise(ident: &ast::Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

/// A type change that discards information, from the column's known type
/// (SQLite has no type changes: its values keep their own types).
fn narrowed(step: &Step<'_>, table: &TableName, column: &str, to: &ast::DataType) -> Option<Loss> {
    if step.set.dialect == backend_check_core::SqlDialect::Sqlite {
        return None;
    }
    let old = step.catalog.table(table)?.column(column)?.data_type.clone();
    let new = to.to_string().to_lowercase();
    discards(&old, &new).then(|| Loss::Narrowed(table.clone(), column.to_owned(), old, new))
}

/// Whether converting `old` to `new` rounds or cuts every value.
fn discards(old: &str, new: &str) -> bool {
    let (old_base, old_args) = split_type(old);
    let (new_base, new_args) = split_type(new);
    let integer = |t: &str| {
        matches!(
            t,
            "smallint"
                | "int2"
                | "int"
                | "integer"
                | "int4"
                | "bigint"
                | "int8"
                | "tinyint"
                | "mediumint"
        )
    };
    let fractional = |t: &str| {
        matches!(
            t,
            "numeric"
                | "decimal"
                | "real"
                | "float"
                | "float4"
                | "float8"
                | "double"
                | "double precision"
        )
    };
    let timestamp = |t: &str| t.starts_with("timestamp") || t == "datetime";
    if fractional(old_base) && integer(new_base) {
        return true;
    }
    if timestamp(old_base) && new_base == "date" {
        return true;
    }
    let scale = |args: &[u32]| args.get(1).copied().unwrap_or(0);
    matches!(old_base, "numeric" | "decimal")
        && old_base == new_base
        && old_args.len() == 2
        && !new_args.is_empty()
        && scale(&new_args) < scale(&old_args)
}

fn split_type(data_type: &str) -> (&str, Vec<u32>) {
    let (base, rest) = data_type.split_once('(').unwrap_or((data_type, ""));
    let args = rest
        .trim_end_matches(')')
        .split(',')
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    (base.trim(), args)
}

/// `TRUNCATE [TABLE] [ONLY] name [*], …`.
fn truncated(tokens: &[SqlToken]) -> Option<Vec<TableName>> {
    let tokens: Vec<&SqlToken> = tokens.iter().collect();
    if !tokens.first()?.is_word("TRUNCATE") {
        return None;
    }
    let mut at = 1;
    while tokens
        .get(at)
        .is_some_and(|t| t.is_word("TABLE") || t.is_word("ONLY"))
    {
        at += 1;
    }
    let mut names = Vec::new();
    while let Some((name, used)) = tokens.get(at..).and_then(TableName::from_tokens) {
        names.push(name);
        at += used;
        if tokens.get(at).is_some_and(|t| t.token == Token::Mul) {
            at += 1;
        }
        if tokens.get(at).is_none_or(|t| t.token != Token::Comma) {
            break;
        }
        at += 1;
    }
    Some(names)
}

/// Whether the destroyed table or column can hold data: the migration did
/// not create it before this statement.
fn has_data(step: &Step<'_>, loss: &Loss) -> bool {
    let table = loss_table(loss);
    if !step.existing(table) {
        return false;
    }
    match loss {
        Loss::Column(_, column) | Loss::Narrowed(_, column, ..) => {
            let generated = step
                .catalog
                .table(table)
                .and_then(|t| t.column(column))
                .is_some_and(|c| c.generated || c.identity);
            !generated && !added_earlier(step, table, column)
        }
        _ => true,
    }
}

/// Whether an earlier statement of the change added the column.
fn added_earlier(step: &Step<'_>, table: &TableName, column: &str) -> bool {
    earlier(step).into_iter().any(|s| {
        let Ok(ast::Statement::AlterTable(alter)) = &s.parsed else {
            return false;
        };
        TableName::from_object(&alter.name).is_some_and(|t| t.matches(table))
            && alter.operations.iter().any(|op| {
                matches!(op, AlterTableOperation::AddColumn { column_def, .. } if normalise(&column_def.name) == column)
            })
    })
}

/// `DROP TABLE [IF EXISTS] t` followed by `CREATE TABLE t` in the same
/// script: a deliberate reset of a table whose rows are disposable.
fn reset(step: &Step<'_>, name: &TableName) -> bool {
    step.script
        .statements
        .iter()
        .skip(step.position + 1)
        .any(|s| drops::creates(s, "TABLE", name))
}

/// Whether the change copied the table's data before this statement, or
/// its down writes rows back into it.
fn copied(step: &Step<'_>, loss: &Loss) -> bool {
    let table = loss_table(loss);
    let column = match loss {
        Loss::Column(_, c) | Loss::Narrowed(_, c, ..) => Some(c.as_str()),
        _ => None,
    };
    earlier(step)
        .into_iter()
        .any(|s| reads_into_other(s, table) || column.is_some_and(|c| copies_column(s, table, c)))
        || change(step)
            .filter_map(|m| m.down.as_ref())
            .flat_map(|d| d.statements.iter())
            .any(|s| writes_into(s, table))
}

/// `UPDATE t SET other = … column …`: the column's values copied to another column.
fn copies_column(statement: &Statement, table: &TableName, column: &str) -> bool {
    let tokens = &statement.tokens;
    let updates = tokens.first().is_some_and(|t| t.is_word("UPDATE"))
        && tokens
            .iter()
            .skip(1)
            .collect::<Vec<_>>()
            .get(..)
            .and_then(TableName::from_tokens)
            .is_some_and(|(name, _)| name.matches(table));
    updates
        && tokens
            .iter()
            .skip_while(|t| !t.is_word("SET"))
            .any(|t| matches!(&t.token, Token::Word(w) if w.value.eq_ignore_ascii_case(column)))
}

/// An `INSERT`, `CREATE TABLE … AS` or `UPDATE` that reads `FROM`/`JOIN` the table.
fn reads_into_other(statement: &Statement, table: &TableName) -> bool {
    let tokens: Vec<&SqlToken> = statement.tokens.iter().collect();
    let writes = tokens.first().is_some_and(|t| {
        t.is_word("INSERT") || t.is_word("CREATE") || t.is_word("UPDATE") || t.is_word("REPLACE")
    });
    writes
        && tokens.iter().enumerate().any(|(i, t)| {
            (t.is_word("FROM") || t.is_word("JOIN"))
                && tokens
                    .get(i + 1..)
                    .and_then(TableName::from_tokens)
                    .is_some_and(|(name, _)| name.matches(table))
        })
}

/// `INSERT INTO t …`, `UPDATE t …` (a backfill), or `ALTER TABLE x RENAME TO t`.
fn writes_into(statement: &Statement, table: &TableName) -> bool {
    let tokens: Vec<&SqlToken> = statement.tokens.iter().collect();
    let name_at = |at: usize| {
        tokens
            .get(at..)
            .and_then(TableName::from_tokens)
            .is_some_and(|(name, _)| name.matches(table))
    };
    let first = |word: &str| tokens.first().is_some_and(|t| t.is_word(word));
    if first("INSERT") || first("REPLACE") {
        let into = tokens.iter().position(|t| t.is_word("INTO"));
        return into.is_some_and(|i| name_at(i + 1));
    }
    if first("UPDATE") {
        return name_at(1);
    }
    if first("ALTER") {
        return tokens.windows(2).enumerate().any(|(i, pair)| {
            matches!(pair, [a, b] if a.is_word("RENAME") && b.is_word("TO")) && name_at(i + 2)
        });
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql065(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL065")
            .collect()
    }

    #[test]
    fn drops_with_a_down_that_recreates_empty_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.up.sql",
            "CREATE TABLE users (id bigint PRIMARY KEY, login text, score numeric(10,2));\nCREATE TABLE logs (id int);\n",
        );
        repo.write(
            "migrations/1_a.down.sql",
            "DROP TABLE users;\nDROP TABLE logs;\n",
        );
        repo.write(
            "migrations/2_b.up.sql",
            "ALTER TABLE users ADD COLUMN tmp int;\nALTER TABLE users DROP COLUMN tmp;\n\nALTER TABLE users DROP COLUMN login;\nALTER TABLE users ALTER COLUMN score TYPE integer;\n  TRUNCATE logs;\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE users ADD COLUMN login text;\nALTER TABLE users ALTER COLUMN score TYPE numeric(10,2);\n",
        );
        let f = "migrations/2_b.up.sql";
        assert_eq!(
            sql065(&repo),
            [
                at("SQL065", f, 4, 1),
                at("SQL065", f, 5, 1),
                at("SQL065", f, 6, 3)
            ]
        );
    }

    #[test]
    fn copies_empty_downs_and_missing_downs_are_quiet() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.up.sql",
            "CREATE TABLE t (id int, x int);\nCREATE TABLE u (id int);\nCREATE TABLE v (id int);\n",
        );
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write(
            "migrations/2_b.up.sql",
            "CREATE TABLE t_new (id int);\nINSERT INTO t_new (id) SELECT id FROM t;\nDROP TABLE t;\nALTER TABLE t_new RENAME TO t;\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t ADD COLUMN x int;\n",
        );
        repo.write("migrations/3_c.up.sql", "DROP TABLE u;\n");
        repo.write("migrations/3_c.down.sql", "-- cannot be undone\n");
        repo.write("migrations/4_d.up.sql", "DROP TABLE v;\n");
        repo.write(
            "migrations/5_e.up.sql",
            "DROP TABLE IF EXISTS w;\nCREATE TABLE w (id int);\n",
        );
        repo.write("migrations/5_e.down.sql", "DROP TABLE w;\n");
        assert!(sql065(&repo).is_empty());
    }

    #[test]
    fn a_down_that_restores_rows_is_quiet() {
        let repo = Repo::new();
        repo.write("migrations/1_a.up.sql", "CREATE TABLE t (id int, x int);\n");
        repo.write("migrations/1_a.down.sql", "DROP TABLE t;\n");
        repo.write("migrations/2_b.up.sql", "ALTER TABLE t DROP COLUMN x;\n");
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE t ADD COLUMN x int;\nUPDATE t SET x = b.x FROM t_x_backup b WHERE b.id = t.id;\n",
        );
        assert!(sql065(&repo).is_empty());
    }
}
