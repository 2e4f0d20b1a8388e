//! SQL057: a `SECURITY DEFINER` function without a fixed `search_path`.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use super::{creates_routine, find_words, starts_with, up_statements};
use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::Statement;
use crate::schema::TableName;

declare_rule! {
    /// ## What it does
    /// Finds `CREATE FUNCTION` and `CREATE PROCEDURE` statements in up
    /// migrations that run `SECURITY DEFINER` without a `SET search_path`
    /// clause, unless a later `ALTER FUNCTION … SET search_path` of the same
    /// set fixes it. A routine that a later migration defines again (`CREATE OR
    /// REPLACE FUNCTION`) or drops is judged by its last definition only.
    ///
    /// ## Why is this bad?
    /// A `SECURITY DEFINER` routine runs with its owner's privileges, often a
    /// superuser's or the schema owner's. Without a fixed `search_path`, it
    /// resolves unqualified names through the caller's path, so a caller who
    /// can create objects in any schema on that path (`public`, by default
    /// before PostgreSQL 15) can shadow a table or an operator the function
    /// uses and run their own code with the owner's privileges.
    ///
    /// ## Example
    /// ```sql
    /// CREATE FUNCTION current_tenant() RETURNS bigint
    ///     LANGUAGE sql SECURITY DEFINER
    ///     AS $$ SELECT tenant_id FROM memberships WHERE user_name = current_user $$;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE FUNCTION current_tenant() RETURNS bigint
    ///     LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, app
    ///     AS $$ SELECT tenant_id FROM app.memberships WHERE user_name = current_user $$;
    /// ```
    ///
    /// ## Options
    /// None.
    pub SecurityDefinerWithoutSearchPath {
        code: "SQL057",
        name: "security-definer-without-search-path",
        checklist: SecAuthz,
        group: Suspicious,
        severity: Warning,
        summary: "a `SECURITY DEFINER` function does not fix its `search_path`, so callers can hijack it",
    }
}

impl SqlRule for SecurityDefinerWithoutSearchPath {
    /// Checks the up scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        let statements: Vec<_> = up_statements(set).collect();
        let fixed: Vec<TableName> = statements
            .iter()
            .filter(|(_, s)| {
                starts_with(s, &["ALTER", "FUNCTION"]) || starts_with(s, &["ALTER", "PROCEDURE"])
            })
            .filter(|(_, s)| sets_search_path(s))
            .filter_map(|(_, s)| routine_name(s, 2))
            .collect();
        // Where each routine is defined again or dropped: an earlier definition
        // was replaced, and only the latest is judged.
        let redefined: Vec<(usize, TableName)> = statements
            .iter()
            .enumerate()
            .filter(|(_, (_, s))| {
                creates_routine(s)
                    || starts_with(s, &["DROP", "FUNCTION"])
                    || starts_with(s, &["DROP", "PROCEDURE"])
            })
            .filter_map(|(i, (_, s))| {
                let at = routine_position(s)?;
                let at = if s.tokens.get(at).is_some_and(|t| t.is_word("IF")) {
                    at + 2
                } else {
                    at
                };
                Some((i, routine_name(s, at)?))
            })
            .collect();
        for (index, (script, statement)) in statements.iter().enumerate() {
            if !creates_routine(statement) || sets_search_path(statement) {
                continue;
            }
            let Some(definer) = find_words(&statement.tokens, &["SECURITY", "DEFINER"]) else {
                continue;
            };
            let name = routine_position(statement).and_then(|at| routine_name(statement, at));
            if name.as_ref().is_some_and(|n| {
                fixed.iter().any(|f| f.matches(n))
                    || redefined.iter().any(|(i, r)| *i > index && r.matches(n))
            }) {
                continue;
            }
            let span = match (
                statement.tokens.get(definer),
                statement.tokens.get(definer + 1),
            ) {
                (Some(a), Some(b)) => Span::new(a.span.start, b.span.end),
                _ => statement.head(3),
            };
            let shown = name.map_or_else(|| "routine".to_owned(), |n| format!("function \"{n}\""));
            sink.push(
            Diagnostic::new(
                &SecurityDefinerWithoutSearchPath::META,
                &script.file,
                span,
                format!("SECURITY DEFINER {shown} does not set search_path"),
            )
            .with_help("add `SET search_path = pg_catalog, <your schema>` (and schema-qualify the names it uses)"),
        );
        }
    }
}

fn sets_search_path(statement: &Statement) -> bool {
    find_words(&statement.tokens, &["SET", "search_path"]).is_some()
}

/// The index of the routine's name: after `FUNCTION` or `PROCEDURE`.
fn routine_position(statement: &Statement) -> Option<usize> {
    statement
        .tokens
        .iter()
        .position(|t| t.is_word("FUNCTION") || t.is_word("PROCEDURE"))
        .map(|at| at + 1)
}

fn routine_name(statement: &Statement, at: usize) -> Option<TableName> {
    let tokens: Vec<_> = statement.tokens.iter().skip(at).collect();
    TableName::from_tokens(&tokens).map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn definer_without_search_path_fires_unless_fixed_later() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE FUNCTION a() RETURNS int LANGUAGE sql\n  SECURITY DEFINER AS $$ SELECT 1 $$;\nCREATE FUNCTION b() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT 1 $$;\nCREATE FUNCTION c() RETURNS int LANGUAGE sql SECURITY DEFINER COST 5 AS $$ SELECT 1 $$;\nCREATE FUNCTION d() RETURNS int LANGUAGE sql SECURITY INVOKER AS $$ SELECT 1 $$;\n",
        );
        repo.write(
            "migrations/2_b.sql",
            "ALTER FUNCTION c() SET search_path = pg_catalog;\n",
        );
        repo.write(
            "migrations/3_c.sql",
            "CREATE FUNCTION e() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 1 $$;\n",
        );
        repo.write(
            "migrations/4_d.sql",
            "CREATE OR REPLACE FUNCTION e() RETURNS int LANGUAGE sql SECURITY DEFINER AS $$ SELECT 2 $$;\nDROP FUNCTION IF EXISTS f;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL057")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL057", "migrations/1_a.sql", 2, 3),
                at("SQL057", "migrations/4_d.sql", 1, 57)
            ]
        );
    }
}
