//! SQL054: `GRANT ALL` privileges.

use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::{starts_with, up_statements};
use crate::engine::SqlRule;
use crate::model::MigrationSet;

declare_rule! {
    /// ## What it does
    /// Finds `GRANT ALL [PRIVILEGES] ON …` in up migrations.
    ///
    /// ## Why is this bad?
    /// `ALL` includes `TRUNCATE`, `REFERENCES` and `TRIGGER` on tables (and
    /// `CREATE` and `TEMPORARY` on databases and schemas), which an application
    /// role almost never needs. A compromised or buggy service then can empty
    /// tables or install triggers. Granting the privileges the role uses keeps
    /// the damage small and documents what it does.
    ///
    /// ## Example
    /// ```sql
    /// GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA app TO api;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA app TO api;
    /// ```
    ///
    /// ## Options
    /// None.
    pub GrantAllPrivileges {
        code: "SQL054",
        name: "grant-all-privileges",
        checklist: SecAuthz,
        group: Pedantic,
        severity: Info,
        summary: "`GRANT ALL` gives a role more privileges than it needs",
    }
}

impl SqlRule for GrantAllPrivileges {
    /// Checks the up scripts of a set.
    fn set(&self, set: &MigrationSet, sink: &mut Sink<'_>) {
        for (script, statement) in up_statements(set) {
            if !starts_with(statement, &["GRANT", "ALL"]) {
                continue;
            }
            sink.push(
                Diagnostic::new(
                    &GrantAllPrivileges::META,
                    &script.file,
                    statement.head(3),
                    "GRANT ALL gives every privilege on the object".to_owned(),
                )
                .with_help(
                    "grant only the privileges the role uses (e.g. SELECT, INSERT, UPDATE, DELETE)",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn grant_all_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "GRANT SELECT ON t TO app;\nGRANT ALL PRIVILEGES ON t TO app;\nGRANT ALL ON SCHEMA s TO app;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL054")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL054", "migrations/1_a.sql", 2, 1),
                at("SQL054", "migrations/1_a.sql", 3, 1)
            ]
        );
    }
}
