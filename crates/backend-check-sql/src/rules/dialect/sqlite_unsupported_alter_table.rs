//! SQL069: an `ALTER TABLE` that SQLite refuses.

use backend_check_core::{declare_rule, Sink, SqlDialect};
use sqlparser::ast::{
    self, AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, Expr,
    GeneratedExpressionMode, TableConstraint, Value,
};

use crate::engine::{SqlRule, Step};
use crate::schema::{Catalog, TableName};

declare_rule! {
    /// ## What it does
    /// In SQLite migration sets, finds `ALTER TABLE` statements that SQLite
    /// rejects. SQLite's `ALTER TABLE` renames a table or a column, adds a
    /// column or drops one, one change per statement, and nothing else:
    /// - changing a column's type or default (`ALTER COLUMN … TYPE`,
    ///   `SET DEFAULT`, `DROP DEFAULT`, MySQL's `MODIFY`/`CHANGE`);
    /// - adding a `UNIQUE`, `PRIMARY KEY` or `FOREIGN KEY` constraint, or
    ///   dropping a primary key, foreign key or index through `ALTER TABLE`;
    /// - adding a column that is `PRIMARY KEY` or `UNIQUE`, `NOT NULL`
    ///   without a non-null default, `STORED` generated, or whose default is
    ///   not a constant (`CURRENT_TIMESTAMP`, an expression in parentheses);
    /// - dropping a column that is part of the primary key, of a unique
    ///   constraint, of an index or of a foreign key;
    /// - several changes in one statement.
    ///
    /// ## Why is this bad?
    /// The migration fails when it runs (`Cannot add a column with
    /// non-constant default`, `near "ALTER": syntax error`, `cannot drop
    /// UNIQUE column`), usually on a developer's machine or in CI for the
    /// SQLite build of an application that is tested mostly on PostgreSQL.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE users ADD COLUMN created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP;
    /// ALTER TABLE users ALTER COLUMN email TYPE TEXT;
    /// ```
    ///
    /// ## Use instead
    /// Rebuild the table: create the new shape, copy the rows, drop the old
    /// table and rename the new one (SQLite's documented twelve-step
    /// procedure, with foreign keys off around it):
    /// ```sql
    /// CREATE TABLE users_new (
    ///     id INTEGER PRIMARY KEY,
    ///     email TEXT NOT NULL,
    ///     created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
    /// );
    /// INSERT INTO users_new (id, email) SELECT id, email FROM users;
    /// DROP TABLE users;
    /// ALTER TABLE users_new RENAME TO users;
    /// ```
    ///
    /// ## Options
    /// None. The newest SQLite releases accept `ALTER COLUMN … SET NOT NULL`,
    /// `DROP NOT NULL`, `ADD CONSTRAINT … CHECK` and `DROP CONSTRAINT`, so
    /// those are not reported.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub SqliteUnsupportedAlterTable {
        code: "SQL069",
        name: "sqlite-unsupported-alter-table",
        checklist: DbMigrationSafety,
        group: Correctness,
        severity: Error,
        summary: "an `ALTER TABLE` form SQLite does not support, which fails when the migration runs",
    }
}

const HELP: &str = "rebuild the table instead: CREATE TABLE the new shape, INSERT … SELECT the rows, DROP the old table, RENAME the new one";

impl SqlRule for SqliteUnsupportedAlterTable {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if step.set.dialect != SqlDialect::Sqlite {
            return;
        }
        let Ok(ast::Statement::AlterTable(alter)) = &step.statement.parsed else {
            return;
        };
        let Some(table) = TableName::from_object(&alter.name) else {
            return;
        };
        let problem = match alter.operations.as_slice() {
            [] => None,
            [op] => refusal(op, step.catalog, &table),
            _ => Some("SQLite runs one change per `ALTER TABLE` statement".to_owned()),
        };
        if let Some(problem) = problem {
            sink.push(
                step.diagnostic(
                    &SqliteUnsupportedAlterTable::META,
                    step.head(),
                    format!("SQLite cannot alter table \"{table}\" this way: {problem}"),
                )
                .with_help(HELP),
            );
        }
    }
}

/// Why SQLite refuses one operation.
fn refusal(op: &AlterTableOperation, catalog: &Catalog, table: &TableName) -> Option<String> {
    match op {
        AlterTableOperation::AlterColumn { column_name, op } => match op {
            AlterColumnOperation::SetDataType { .. } => Some(format!(
                "it cannot change the type of column \"{}\"",
                column_name.value
            )),
            AlterColumnOperation::SetDefault { .. } | AlterColumnOperation::DropDefault => {
                Some(format!(
                    "it cannot change the default of column \"{}\"",
                    column_name.value
                ))
            }
            AlterColumnOperation::AddGenerated { .. } => Some(format!(
                "it cannot make column \"{}\" an identity",
                column_name.value
            )),
            _ => None,
        },
        AlterTableOperation::ModifyColumn { col_name, .. } => {
            Some(format!("it cannot redefine column \"{}\"", col_name.value))
        }
        AlterTableOperation::ChangeColumn { old_name, .. } => {
            Some(format!("it cannot redefine column \"{}\"", old_name.value))
        }
        AlterTableOperation::AddConstraint { constraint, .. } => match constraint {
            TableConstraint::Check(_) => None,
            _ => Some("it cannot add a key or foreign key constraint to a table".to_owned()),
        },
        AlterTableOperation::DropPrimaryKey { .. } => {
            Some("it cannot drop a primary key".to_owned())
        }
        AlterTableOperation::DropForeignKey { .. } => {
            Some("it cannot drop a foreign key".to_owned())
        }
        AlterTableOperation::DropIndex { .. } => {
            Some("indexes are dropped with `DROP INDEX`".to_owned())
        }
        AlterTableOperation::AddColumn { column_def, .. } => added_column(column_def),
        AlterTableOperation::DropColumn { column_names, .. } => column_names
            .iter()
            .find_map(|c| dropped_column(&normalise(c), catalog, table)),
        _ => None,
    }
}

fn normalise(ident: &ast::Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

/// Why SQLite refuses to add a column.
fn added_column(column: &ColumnDef) -> Option<String> {
    let name = &column.name.value;
    let options: Vec<&ColumnOption> = column.options.iter().map(|o| &o.option).collect();
    let default = options.iter().find_map(|o| match o {
        ColumnOption::Default(expr) => Some(expr),
        _ => None,
    });
    for option in &options {
        match option {
            ColumnOption::PrimaryKey(_) => {
                return Some(format!("column \"{name}\" cannot be added as PRIMARY KEY"))
            }
            ColumnOption::Unique(_) => {
                return Some(format!("column \"{name}\" cannot be added as UNIQUE"))
            }
            ColumnOption::Generated {
                generation_expr_mode: Some(GeneratedExpressionMode::Stored),
                ..
            } => return Some(format!("column \"{name}\" cannot be added as STORED")),
            _ => {}
        }
    }
    if let Some(expr) = default {
        if !constant(expr) {
            return Some(format!(
                "column \"{name}\" cannot be added with a non-constant default"
            ));
        }
    }
    let not_null = options.iter().any(|o| matches!(o, ColumnOption::NotNull));
    let null_default =
        !default.is_some_and(|e| !matches!(e, Expr::Value(v) if v.value == Value::Null));
    (not_null && null_default)
        .then(|| format!("column \"{name}\" cannot be added NOT NULL without a non-null default"))
}

/// A literal, possibly signed: what SQLite accepts as the default of an added column.
fn constant(expr: &Expr) -> bool {
    match expr {
        Expr::Value(_) => true,
        Expr::UnaryOp { expr, .. } => matches!(expr.as_ref(), Expr::Value(_)),
        Expr::Identifier(ident) => ident.quote_style.is_some(),
        _ => false,
    }
}

/// Why SQLite refuses to drop a column of a known table.
fn dropped_column(column: &str, catalog: &Catalog, name: &TableName) -> Option<String> {
    let table = catalog.table(name)?;
    let has = |columns: &[String]| columns.iter().any(|c| c == column);
    let why = if has(&table.primary_key) {
        "part of the primary key"
    } else if table.unique.iter().any(|u| has(&u.columns)) {
        "UNIQUE"
    } else if table.foreign_keys.iter().any(|f| has(&f.columns)) {
        "part of a foreign key"
    } else if catalog.indexes_of(name).any(|(_, i)| has(&i.columns)) {
        "indexed"
    } else {
        return None;
    };
    Some(format!(
        "column \"{column}\" cannot be dropped while it is {why}"
    ))
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};
    use backend_check_core::SqlDialect;

    fn sql069(repo: &Repo, dialect: SqlDialect) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], Some(dialect))
            .into_iter()
            .filter(|f| f.0 == "SQL069")
            .collect()
    }

    const SCRIPT: &str = "CREATE TABLE t (id INTEGER PRIMARY KEY, code TEXT UNIQUE, note TEXT, owner_id INTEGER REFERENCES u (id)); CREATE INDEX t_note ON t (note);
ALTER TABLE t ALTER COLUMN note TYPE VARCHAR(20);
ALTER TABLE t ADD COLUMN a TEXT NOT NULL DEFAULT '';
ALTER TABLE t ADD COLUMN b TEXT NOT NULL;
ALTER TABLE t ADD COLUMN c TIMESTAMP DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE t ADD COLUMN d INTEGER DEFAULT -1;
ALTER TABLE t ADD COLUMN e TEXT UNIQUE;
ALTER TABLE t DROP COLUMN code;
ALTER TABLE t DROP COLUMN note;
ALTER TABLE t ADD CONSTRAINT t_note_key UNIQUE (note);
ALTER TABLE t ADD COLUMN f INTEGER, ADD COLUMN g INTEGER;
ALTER TABLE t RENAME COLUMN a TO a2;
  ALTER TABLE t DROP COLUMN owner_id;
ALTER TABLE t DROP COLUMN d;
";

    #[test]
    fn refused_forms_fire_on_sqlite_only() {
        let repo = Repo::new();
        repo.write("migrations/1_a.sql", SCRIPT);
        let f = "migrations/1_a.sql";
        assert_eq!(
            sql069(&repo, SqlDialect::Sqlite),
            [
                at("SQL069", f, 2, 1),
                at("SQL069", f, 4, 1),
                at("SQL069", f, 5, 1),
                at("SQL069", f, 7, 1),
                at("SQL069", f, 8, 1),
                at("SQL069", f, 9, 1),
                at("SQL069", f, 10, 1),
                at("SQL069", f, 11, 1),
                at("SQL069", f, 13, 3),
            ]
        );
        assert!(sql069(&repo, SqlDialect::Postgres).is_empty());
    }
}
