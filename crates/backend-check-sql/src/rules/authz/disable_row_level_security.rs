//! SQL055: row-level security turned off.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use super::{find_words, starts_with, up_statements};
use crate::engine::SqlRule;
use crate::model::MigrationSet;

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … DISABLE ROW LEVEL SECURITY` in up migrations.
    ///
    /// ## Why is this bad?
    /// Row-level security is what keeps one tenant's or user's rows from
    /// another's when the application's own filters fail. Turning it off makes
    /// every policy of the table inert at once, silently: queries keep working
    /// and return everybody's rows.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE documents DISABLE ROW LEVEL SECURITY;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- keep RLS on and change the policy that is in the way
    /// DROP POLICY documents_owner ON documents;
    /// CREATE POLICY documents_owner ON documents
    ///     USING (owner_id = current_setting('app.user_id')::bigint);
    /// ```
    ///
    /// ## Options
    /// None.
    pub DisableRowLevelSecurity {
        code: "SQL055",
        name: "disable-row-level-security",
        checklist: SecAuthz,
        group: Suspicious,
        severity: Warning,
        summary: "row-level security is turned off for a table",
    }
}

impl SqlRule for DisableRowLevelSecurity {
    /// Checks the up scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        for (script, statement) in up_statements(set) {
            if !starts_with(statement, &["ALTER", "TABLE"]) {
                continue;
            }
            let words = ["DISABLE", "ROW", "LEVEL", "SECURITY"];
            let Some(at) = find_words(&statement.tokens, &words) else {
                continue;
            };
            let span = match (statement.tokens.get(at), statement.tokens.get(at + 3)) {
                (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
                _ => statement.head(3),
            };
            sink.push(
                Diagnostic::new(
                    &DisableRowLevelSecurity::META,
                    &script.file,
                    span,
                    "row-level security is disabled".to_owned(),
                )
                .with_help(
                    "keep row-level security enabled and adjust the table's policies instead",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn disabling_fires_enabling_does_not() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TABLE d ENABLE ROW LEVEL SECURITY;\nALTER TABLE d\n  DISABLE ROW LEVEL SECURITY;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL055")
            .collect();
        assert_eq!(found, [at("SQL055", "migrations/1_a.sql", 3, 3)]);
    }
}
