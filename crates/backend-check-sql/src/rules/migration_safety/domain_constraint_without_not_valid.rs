//! SQL027: `ALTER DOMAIN … ADD CONSTRAINT` without `NOT VALID`.

use backend_check_core::{declare_rule, Sink};

use super::words::{self, find, name_at, skip_if_exists, starts_with, tokens};
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER DOMAIN … ADD [CONSTRAINT name] CHECK (…)` without `NOT
    /// VALID` in PostgreSQL up migrations, unless the domain was created
    /// earlier in the same migration. (`ADD NOT NULL` cannot be `NOT VALID`
    /// and is not reported.)
    ///
    /// ## Why is this bad?
    /// PostgreSQL checks the new constraint against every value of every
    /// column that uses the domain, in every table, and holds locks on those
    /// tables while it scans them. With `NOT VALID` only new values are
    /// checked; `ALTER DOMAIN … VALIDATE CONSTRAINT` checks the old ones later
    /// under a lock that lets the tables be used.
    ///
    /// ## Example
    /// ```sql
    /// ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// ALTER DOMAIN email ADD CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%') NOT VALID;
    /// -- in a later migration
    /// ALTER DOMAIN email VALIDATE CONSTRAINT email_has_at;
    /// ```
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked (other dialects have no domains).
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DomainConstraintWithoutNotValid {
        code: "SQL027",
        name: "domain-constraint-without-not-valid",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "a domain constraint added without `NOT VALID` scans every column of the domain under lock",
    }
}

impl SqlRule for DomainConstraintWithoutNotValid {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !starts_with(step.statement, &["ALTER", "DOMAIN"]) {
            return;
        }
        let tokens = tokens(step.statement);
        let (start, _) = skip_if_exists(&tokens, 2);
        let Some((domain, after)) = name_at(&tokens, start) else {
            return;
        };
        let adds = tokens.get(after).is_some_and(|t| t.is_word("ADD"))
            && find(&tokens, after, &["CHECK"]).is_some();
        if !adds || find(&tokens, after, &["NOT", "VALID"]).is_some() {
            return;
        }
        if words::created_earlier(step, "DOMAIN", &domain) {
            return;
        }
        sink.push(
        step.diagnostic(
            &DomainConstraintWithoutNotValid::META,
            step.head(),
            format!("constraint added to domain \"{domain}\" without NOT VALID checks every column of the domain under lock"),
        )
        .with_help("add the constraint `NOT VALID`, then `ALTER DOMAIN … VALIDATE CONSTRAINT …` in a later migration"),
    );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn domain_constraints_without_not_valid_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE DOMAIN fresh AS text;\nALTER DOMAIN fresh ADD CHECK (VALUE <> '');\nALTER DOMAIN email ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');\nALTER DOMAIN email ADD CONSTRAINT c CHECK (VALUE <> '') NOT VALID;\nALTER DOMAIN email VALIDATE CONSTRAINT c;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL027")
            .collect();
        assert_eq!(found, [at("SQL027", "migrations/1_a.sql", 3, 1)]);
    }
}
