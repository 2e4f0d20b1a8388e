//! SQL053: a privilege granted to `PUBLIC`.

use backend_check_core::{declare_rule, Diagnostic, Sink, Span};

use super::{starts_with, up_statements};
use crate::engine::SqlRule;
use crate::model::MigrationSet;
use crate::parse::Statement;

declare_rule! {
    /// ## What it does
    /// Finds `GRANT … TO PUBLIC` (also in `ALTER DEFAULT PRIVILEGES`) in up
    /// migrations.
    ///
    /// ## Why is this bad?
    /// `PUBLIC` is every role of the database cluster, now and in future:
    /// reporting users, other services' roles, a role created by an extension.
    /// A grant to `PUBLIC` gives all of them the privilege, and it is easy to
    /// miss in a review because no role name appears.
    ///
    /// ## Example
    /// ```sql
    /// GRANT SELECT ON customers TO PUBLIC;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// GRANT SELECT ON customers TO reporting;
    /// ```
    ///
    /// ## Options
    /// None.
    pub GrantToPublic {
        code: "SQL053",
        name: "grant-to-public",
        checklist: SecAuthz,
        group: Suspicious,
        severity: Warning,
        summary: "a privilege is granted to `PUBLIC`, that is to every role",
    }
}

impl SqlRule for GrantToPublic {
    /// Checks the up scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        for (script, statement) in up_statements(set) {
            if let Some(span) = public_grantee(statement) {
                sink.push(
                    Diagnostic::new(
                        &GrantToPublic::META,
                        &script.file,
                        Span::new(statement.span.start, span.end),
                        "privilege is granted to PUBLIC".to_owned(),
                    )
                    .with_help("grant to the role that needs the privilege instead"),
                );
            }
        }
    }
}

/// The `PUBLIC` grantee of a `GRANT`.
fn public_grantee(statement: &Statement) -> Option<Span> {
    let grant = starts_with(statement, &["GRANT"])
        || starts_with(statement, &["ALTER", "DEFAULT", "PRIVILEGES"]);
    if !grant {
        return None;
    }
    let to = statement.tokens.iter().rposition(|t| t.is_word("TO"))?;
    statement
        .tokens
        .iter()
        .skip(to + 1)
        .find(|t| t.is_word("PUBLIC"))
        .map(|t| t.span)
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn grants_to_public_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "GRANT SELECT ON customers TO PUBLIC;\nGRANT USAGE ON SCHEMA public TO app;\nALTER DEFAULT PRIVILEGES IN SCHEMA app\n  GRANT SELECT ON TABLES TO public;\nREVOKE ALL ON customers FROM PUBLIC;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL053")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL053", "migrations/1_a.sql", 1, 1),
                at("SQL053", "migrations/1_a.sql", 3, 1)
            ]
        );
    }
}
