//! SQL056: a row-level security policy that lets every row through.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};
use sqlparser::tokenizer::Token;

use super::{find_words, starts_with, up_statements};
use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::{SqlToken, Statement};

declare_rule! {
    /// ## What it does
    /// Finds `CREATE POLICY` and `ALTER POLICY` statements in up migrations
    /// whose `USING (true)` or `WITH CHECK (true)` lets every row through.
    /// Policies `FOR SELECT` are not reported: public read access is a common,
    /// deliberate choice.
    ///
    /// ## Why is this bad?
    /// A policy is the row filter of row-level security; `true` filters
    /// nothing. A write policy with `USING (true)` lets any role the policy
    /// applies to update or delete every row, and `WITH CHECK (true)` lets it
    /// write rows that belong to others, so the table is effectively not
    /// protected while it looks protected.
    ///
    /// ## Example
    /// ```sql
    /// CREATE POLICY documents_write ON documents FOR UPDATE USING (true);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE POLICY documents_write ON documents FOR UPDATE
    ///     USING (owner_id = current_setting('app.user_id')::bigint);
    /// ```
    ///
    /// ## Options
    /// None.
    pub PermissivePolicy {
        code: "SQL056",
        name: "permissive-policy",
        checklist: SecAuthz,
        group: Suspicious,
        severity: Warning,
        summary: "a row-level security policy with `USING (true)` or `WITH CHECK (true)` lets every row through",
    }
}

impl SqlRule for PermissivePolicy {
    /// Checks the up scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        for (script, statement) in up_statements(set) {
            let policy = starts_with(statement, &["CREATE", "POLICY"])
                || starts_with(statement, &["ALTER", "POLICY"]);
            if !policy || find_words(&statement.tokens, &["FOR", "SELECT"]).is_some() {
                continue;
            }
            let Some(span) = always_true(statement) else {
                continue;
            };
            sink.push(
                Diagnostic::new(
                    &PermissivePolicy::META,
                    &script.file,
                    span,
                    "policy lets every row through".to_owned(),
                )
                .with_help("make the condition compare the row with the current user or tenant"),
            );
        }
    }
}

/// The `USING (true)` or `CHECK (true)` of a policy.
fn always_true(statement: &Statement) -> Option<Span> {
    let tokens = &statement.tokens;
    (0..tokens.len()).find_map(|at| {
        let window = tokens.get(at..at + 4)?;
        match window {
            [clause, open, value, close]
                if (clause.is_word("USING") || clause.is_word("CHECK"))
                    && open.token == Token::LParen
                    && is_true(value)
                    && close.token == Token::RParen =>
            {
                Some(Span::new(clause.span.start, close.span.end))
            }
            _ => None,
        }
    })
}

fn is_true(token: &SqlToken) -> bool {
    token.is_word("TRUE")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn write_policies_with_true_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE POLICY r ON d FOR SELECT USING (true);\nCREATE POLICY w ON d FOR UPDATE USING (true);\nCREATE POLICY i ON d FOR INSERT\n  WITH CHECK (true);\nCREATE POLICY o ON d USING (owner = current_user);\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL056")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL056", "migrations/1_a.sql", 2, 33),
                at("SQL056", "migrations/1_a.sql", 4, 8)
            ]
        );
    }
}
