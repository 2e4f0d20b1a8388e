//! The schema a whole set builds, for the rules that judge it (SQL040 on):
//! the final catalog of the set's one replay, whose objects point at the
//! statements that defined them. A problem a later migration fixed is
//! therefore not reported, and one that remains is reported once, where it
//! was introduced.

use std::sync::Arc;

use backend_check_core::{Diagnostic, RuleMeta, SourceFile, Span};

use sqlparser::ast;

use crate::model::MigrationSet;
use crate::schema::{Catalog, Origin, TableName};

/// The final schema of a set, and the set it came from.
pub(crate) struct SetSchema<'a> {
    /// The set.
    pub set: &'a MigrationSet,
    /// The schema after every up script.
    pub catalog: Catalog,
}

impl SetSchema<'_> {
    /// The file holding the up script an origin points into.
    pub fn file(&self, origin: &Origin) -> Option<&Arc<SourceFile>> {
        self.set
            .migrations
            .get(origin.migration)?
            .up
            .as_ref()
            .map(|up| &up.file)
    }

    /// The name a table (and one of its columns) had at the migration an
    /// origin points into, when a later migration renamed it: the table as the
    /// statement there names it, the column as the text at the origin's span.
    /// `None` when the names at that point are the final ones.
    pub fn earlier_name(
        &self,
        origin: &Origin,
        table: &TableName,
        column: Option<&str>,
    ) -> Option<String> {
        let up = self.set.migrations.get(origin.migration)?.up.as_ref()?;
        let statement = up.statements.get(origin.statement)?;
        let then_table = match &statement.parsed {
            Ok(ast::Statement::CreateTable(create)) => TableName::from_object(&create.name),
            Ok(ast::Statement::AlterTable(alter)) => TableName::from_object(&alter.name),
            Ok(ast::Statement::CreateIndex(index)) => TableName::from_object(&index.table_name),
            _ => None,
        }
        .filter(|then| !then.matches(table));
        let then_column = column.and_then(|final_name| {
            let text = up.file.text().get(origin.span.start..origin.span.end)?;
            let text = text.trim_matches(|c| c == '"' || c == '`');
            let identifier = !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '$');
            (identifier && !text.eq_ignore_ascii_case(final_name)).then(|| text.to_owned())
        });
        if then_table.is_none() && then_column.is_none() {
            return None;
        }
        let table_text = then_table.map_or_else(|| table.to_string(), |t| t.to_string());
        Some(match column {
            Some(final_name) => format!(
                "{table_text}.{}",
                then_column.as_deref().unwrap_or(final_name)
            ),
            None => table_text,
        })
    }

    /// `message` with the quoted final name of a table (or `table.column`)
    /// replaced by the name it had at the origin's migration, followed by the
    /// final one: a finding on an early migration speaks that migration's
    /// names.
    pub fn in_names_of_the_time(
        &self,
        origin: &Origin,
        table: &TableName,
        column: Option<&str>,
        message: String,
    ) -> String {
        let Some(then) = self.earlier_name(origin, table, column) else {
            return message;
        };
        let now = match column {
            Some(c) => format!("{table}.{c}"),
            None => table.to_string(),
        };
        let quoted = format!("\"{now}\"");
        if !message.contains(&quoted) {
            return message;
        }
        message.replacen(&quoted, &format!("\"{then}\" (now \"{now}\")"), 1)
    }

    /// A finding of `rule` at `span` of the file an origin points into.
    pub fn diagnostic(
        &self,
        rule: &'static RuleMeta,
        origin: &Origin,
        span: Span,
        message: String,
    ) -> Option<Diagnostic> {
        Some(Diagnostic::new(rule, self.file(origin)?, span, message))
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::Repo;

    #[test]
    fn findings_on_early_migrations_speak_the_names_of_that_time() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE TABLE accounts (id int PRIMARY KEY, created timestamp);\nCREATE TABLE logs (line text);\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER TABLE accounts RENAME TO users;\nALTER TABLE users RENAME COLUMN created TO created_at;\nALTER TABLE logs RENAME TO events;\n",
        );
        let mut config = backend_check_core::Config::default();
        config.sql.recent = 0;
        let selectors: Vec<backend_check_core::Selector> = ["SQL045", "SQL049", "SQL059"]
            .into_iter()
            .map(backend_check_core::Selector::cli)
            .collect();
        let selection =
            backend_check_core::RuleSelection::resolve(crate::RULES, Some(&selectors), &[])
                .unwrap();
        let output = repo.analyze(&[], &config, &selection);
        let message = |code: &str| {
            output
                .diagnostics
                .iter()
                .find(|d| d.rule.code == code)
                .map(|d| d.message.clone())
                .unwrap_or_default()
        };
        assert_eq!(
            message("SQL045"),
            "primary key \"accounts.id\" (now \"users.id\") is int, which can run out"
        );
        assert_eq!(
            message("SQL049"),
            "column \"accounts.created\" (now \"users.created_at\") is timestamp without time zone"
        );
        assert_eq!(
            message("SQL059"),
            "table \"logs\" (now \"events\") has no primary key"
        );
    }
}
