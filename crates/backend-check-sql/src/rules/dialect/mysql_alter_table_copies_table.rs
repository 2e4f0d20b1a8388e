//! SQL070: a MySQL `ALTER TABLE` that copies an existing table and blocks its writes.

use backend_check_core::{declare_rule, Sink, SqlDialect};
use sqlparser::ast::{
    self, AlterTableAlgorithm, AlterTableLock, AlterTableOperation, TableConstraint,
};

use crate::engine::{SqlRule, Step};
use crate::parse::{SqlToken, Statement};
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// In MySQL migration sets, finds `ALTER TABLE` statements on tables the
    /// migration did not create that InnoDB can only run with
    /// `ALGORITHM=COPY`, which rebuilds the table while writes wait:
    /// - adding a foreign key while `foreign_key_checks` is on (the default;
    ///   a `SET foreign_key_checks = 0` earlier in the script lets InnoDB add
    ///   it in place);
    /// - dropping the primary key without adding another in the same
    ///   statement;
    /// - `CONVERT TO CHARACTER SET`;
    /// - an explicit `ALGORITHM=COPY`, `LOCK=SHARED` or `LOCK=EXCLUSIVE`.
    ///
    /// Column type changes, which copy the table too, are SQL012's. Most other
    /// changes (indexes, added and dropped columns, defaults) run online in
    /// MySQL 5.6 and later, and adding a column is instant in 8.0, so they are
    /// not reported.
    ///
    /// ## Why is this bad?
    /// A table copy reads and rewrites every row, and the table accepts no
    /// `INSERT`, `UPDATE` or `DELETE` until it is done: on a large table,
    /// minutes of failed or queued writes during the deploy.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE orders
    ///     ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- the referencing rows were checked beforehand
    /// SET foreign_key_checks = 0;
    /// ALTER TABLE orders
    ///     ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id),
    ///     ALGORITHM=INPLACE, LOCK=NONE;
    /// SET foreign_key_checks = 1;
    /// ```
    /// For the other forms, use an online schema change tool (gh-ost,
    /// pt-online-schema-change) on large tables.
    ///
    /// ## Options
    /// None.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub MysqlAlterTableCopiesTable {
        code: "SQL070",
        name: "mysql-alter-table-copies-table",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Warning,
        summary: "a MySQL `ALTER TABLE` that copies an existing table and blocks writes while it runs",
    }
}

impl SqlRule for MysqlAlterTableCopiesTable {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if step.set.dialect != SqlDialect::MySql || step.set.engine.is_some() {
            return;
        }
        let found = match step.existing_alter() {
            Some((alter, table)) => copy_reason(step, alter).map(|reason| (reason, table)),
            None => converted_by_tokens(step),
        };
        let Some((reason, table)) = found else {
            return;
        };
        sink.push(
        step.diagnostic(
            &MysqlAlterTableCopiesTable::META,
            step.head(),
            format!("`ALTER TABLE` on existing table \"{table}\" copies the table and blocks writes: {reason}"),
        )
        .with_help(help(reason)),
    );
    }
}

const PRIMARY_KEY: &str = "the primary key is dropped without a new one";

fn help(reason: &str) -> &'static str {
    if reason == PRIMARY_KEY {
        "drop and add the primary key in one `ALTER TABLE` statement, which InnoDB runs in place"
    } else {
        "add `ALGORITHM=INPLACE, LOCK=NONE` so MySQL refuses instead of copying, and change large tables with an online schema change tool"
    }
}

/// Why MySQL must copy the table for this statement.
fn copy_reason(step: &Step<'_>, alter: &ast::AlterTable) -> Option<&'static str> {
    let ops = &alter.operations;
    let adds_primary_key = ops.iter().any(|op| {
        matches!(
            op,
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::PrimaryKey(_),
                ..
            }
        )
    });
    for op in ops {
        let reason = match op {
            AlterTableOperation::Algorithm {
                algorithm: AlterTableAlgorithm::Copy,
                ..
            } => "it asks for ALGORITHM=COPY",
            AlterTableOperation::Lock {
                lock: AlterTableLock::Shared | AlterTableLock::Exclusive,
                ..
            } => "it asks for a SHARED or EXCLUSIVE lock",
            AlterTableOperation::AddConstraint {
                constraint: TableConstraint::ForeignKey(_),
                ..
            } if !checks_disabled(step) => "a foreign key is added while foreign_key_checks is on",
            AlterTableOperation::DropPrimaryKey { .. } if !adds_primary_key => PRIMARY_KEY,
            _ => continue,
        };
        return Some(reason);
    }
    converts_charset(&step.statement.tokens)
        .then_some("the table is converted to another character set")
}

const CHARSET: &str = "the table is converted to another character set";

/// `ALTER TABLE t CONVERT TO …`, which sqlparser does not read, on an existing table.
fn converted_by_tokens(step: &Step<'_>) -> Option<(&'static str, TableName)> {
    let tokens: Vec<&SqlToken> = step.statement.tokens.iter().collect();
    let alter_table = tokens.first()?.is_word("ALTER") && tokens.get(1)?.is_word("TABLE");
    if !alter_table || step.statement.is_parsed() || !converts_charset(&step.statement.tokens) {
        return None;
    }
    let (table, _) = TableName::from_tokens(tokens.get(2..)?)?;
    step.existing(&table).then_some((CHARSET, table))
}

/// `… CONVERT TO CHARACTER SET …`.
fn converts_charset(tokens: &[SqlToken]) -> bool {
    tokens
        .windows(2)
        .any(|pair| matches!(pair, [a, b] if a.is_word("CONVERT") && b.is_word("TO")))
}

/// Whether `SET foreign_key_checks = 0` ran earlier in the script and was not
/// turned back on.
fn checks_disabled(step: &Step<'_>) -> bool {
    let earlier = step
        .script
        .statements
        .get(..step.position)
        .unwrap_or_default();
    earlier
        .iter()
        .rev()
        .find_map(foreign_key_checks)
        .is_some_and(|on| !on)
}

/// The value a `SET [SESSION] foreign_key_checks = 0|1` statement sets.
fn foreign_key_checks(statement: &Statement) -> Option<bool> {
    let tokens = &statement.tokens;
    if !tokens.first()?.is_word("SET") {
        return None;
    }
    let at = tokens.iter().position(|t| {
        t.keyword()
            .is_some_and(|k| k.trim_start_matches("@@").ends_with("FOREIGN_KEY_CHECKS"))
    })?;
    let value = tokens.get(at + 2)?;
    let text = value.token.to_string().to_ascii_uppercase();
    Some(!(text == "0" || text == "OFF" || text == "FALSE"))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};
    use backend_check_core::SqlDialect;

    fn sql070(repo: &Repo, dialect: SqlDialect) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], Some(dialect))
            .into_iter()
            .filter(|f| f.0 == "SQL070")
            .collect()
    }

    #[test]
    fn copying_alters_of_existing_tables_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE users (id BIGINT PRIMARY KEY);\nCREATE TABLE orders (id BIGINT PRIMARY KEY, user_id BIGINT, code VARCHAR(10));\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\nALTER TABLE orders ADD INDEX orders_code_idx (code), ALGORITHM=COPY;\nALTER TABLE orders ADD COLUMN note TEXT, LOCK=EXCLUSIVE;\nALTER TABLE orders DROP PRIMARY KEY;\nALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, user_id);\nALTER TABLE orders ADD COLUMN total INT, ALGORITHM=INPLACE, LOCK=NONE;\nSET foreign_key_checks = 0;\nALTER TABLE orders ADD CONSTRAINT orders_user_fk2 FOREIGN KEY (user_id) REFERENCES users (id);\nSET foreign_key_checks = 1;\n  ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id);\nCREATE TABLE items (id BIGINT PRIMARY KEY, order_id BIGINT);\nALTER TABLE items ADD FOREIGN KEY (order_id) REFERENCES orders (id);\n",
        );
        let f = "migrations/2_b.sql";
        assert_eq!(
            sql070(&repo, SqlDialect::MySql),
            [
                at("SQL070", f, 1, 1),
                at("SQL070", f, 2, 1),
                at("SQL070", f, 3, 1),
                at("SQL070", f, 4, 1),
                at("SQL070", f, 10, 3),
            ]
        );
        assert!(sql070(&repo, SqlDialect::Postgres).is_empty());
    }
}
