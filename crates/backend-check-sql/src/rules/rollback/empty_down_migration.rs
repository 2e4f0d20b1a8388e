//! SQL044: a down script with no statement for an up script that has some.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use sqlparser::ast;

use crate::engine::SqlRule;
use crate::model::{MigrationSet, Script};
use crate::parse::Statement;

declare_rule! {
    /// ## What it does
    /// Finds down scripts (files or dbmate/goose down sections) that hold no
    /// SQL statement, only comments or whitespace, while their up script
    /// creates tables, indexes, views, types, functions, columns or
    /// constraints, which a down could simply drop. The finding is at the
    /// start of the down script. Sets where fewer than three in four such
    /// downs are written are not checked: they roll forward by design. Downs of
    /// data fixes and drops may stay empty. Diesel downs that diesel refuses to
    /// run are SQL071's.
    ///
    /// ## Why is this bad?
    /// Under sqlx, golang-migrate, dbmate and Flyway an empty down runs without
    /// undoing anything (pop skips the empty file): the migration tool records
    /// the version as reverted while the schema still has the change, and the
    /// next deploy of the same version fails, or worse, the previous release
    /// runs against a schema it does not expect. Under diesel the revert fails
    /// instead (`Attempted to run an empty migration.`, or `Received an empty
    /// query` for a comment-only file), which SQL071 reports as an error. It is
    /// usually the placeholder the generator wrote (`-- This file should undo
    /// anything in up.sql`) that nobody filled in.
    ///
    /// ## Example
    /// ```sql
    /// -- down.sql
    /// -- This file should undo anything in `up.sql`
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- down.sql
    /// DROP TABLE invoices;
    /// ```
    ///
    /// ## Options
    /// None. A change that cannot be undone is better served by a down that
    /// fails loudly (`SELECT 1/0;` or `RAISE EXCEPTION` in a `DO` block) than
    /// by one that silently does nothing.
    pub EmptyDownMigration {
        code: "SQL044",
        name: "empty-down-migration",
        checklist: DbRollback,
        group: Pedantic,
        severity: Info,
        summary: "a down migration holds no statement, so reverting the migration changes nothing",
    }
}

impl SqlRule for EmptyDownMigration {
    /// Checks a set whose downs of creating migrations are mostly written:
    /// where most are empty, the team rolls forward by design.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        let downs: Vec<&Script> = set
            .migrations
            .iter()
            .filter(|m| {
                m.up.as_ref()
                    .is_some_and(|up| up.statements.iter().any(creates_something))
            })
            .filter_map(|m| m.down.as_ref())
            .collect();
        let written = downs.iter().filter(|d| !d.statements.is_empty()).count();
        if written * 4 < downs.len() * 3 {
            return;
        }
        for migration in &set.migrations {
            let (Some(up), Some(down)) = (&migration.up, &migration.down) else {
                continue;
            };
            if !down.statements.is_empty()
                || !up.statements.iter().any(creates_something)
                || super::down_cannot_run::diesel_refuses_empty(set, down)
            {
                continue;
            }
            let text = down.text();
            let start = down.section.start + (text.len() - text.trim_start().len());
            let first_line = text.trim_start().lines().next().map_or(0, str::len);
            sink.push(
            Diagnostic::new(
                &EmptyDownMigration::META,
                &down.file,
                Span::new(start, start + first_line),
                format!(
                    "down migration of \"{}\" is empty",
                    migration.version.as_str()
                ),
            )
            .with_help("write the statements that undo the up migration, or make the down fail on purpose if it cannot be undone"),
        );
        }
    }
}

/// Whether a statement creates something a down could simply drop: a table,
/// index, view, type, function, or a column or constraint.
fn creates_something(statement: &Statement) -> bool {
    match &statement.parsed {
        Ok(
            ast::Statement::CreateTable(_)
            | ast::Statement::CreateIndex(_)
            | ast::Statement::CreateView(_)
            | ast::Statement::CreateType { .. }
            | ast::Statement::CreateFunction(_),
        ) => true,
        Ok(ast::Statement::AlterTable(alter)) => alter.operations.iter().any(|op| {
            matches!(
                op,
                ast::AlterTableOperation::AddColumn { .. }
                    | ast::AlterTableOperation::AddConstraint { .. }
            )
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn comment_only_downs_fire() {
        let repo = Repo::new();
        repo.write("migrations/1_a.up.sql", "CREATE TABLE a (id int);\n");
        repo.write(
            "migrations/1_a.down.sql",
            "\n-- This file should undo anything in `up.sql`\n",
        );
        repo.write("migrations/2_b.up.sql", "UPDATE a SET id = 1;\n");
        repo.write("migrations/2_b.down.sql", "");
        for n in 3..9 {
            repo.write(
                &format!("migrations/{n}_c.up.sql"),
                format!("CREATE TABLE c{n} (id int);\n"),
            );
            repo.write(
                &format!("migrations/{n}_c.down.sql"),
                format!("DROP TABLE c{n};\n"),
            );
        }
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL044")
            .collect();
        assert_eq!(found, [at("SQL044", "migrations/1_a.down.sql", 2, 1)]);
    }
}
