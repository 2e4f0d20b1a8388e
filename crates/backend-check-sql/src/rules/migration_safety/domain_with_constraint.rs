//! SQL030 (off by default): `CREATE DOMAIN … CHECK`.

use backend_check_core::{declare_rule, Sink};

use super::words::{find, span_of, starts_with, tokens};
use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `CREATE DOMAIN` statements with a `CHECK` constraint in
    /// PostgreSQL up migrations.
    ///
    /// ## Why is this bad?
    /// A domain constraint applies to every column of the domain in every
    /// table. Changing it later (`ALTER DOMAIN … ADD CONSTRAINT`, or dropping
    /// and re-adding it) checks all of those columns at once under lock, and
    /// a constraint that is wrong cannot be fixed per table.
    ///
    /// ## Example
    /// ```sql
    /// CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// CREATE DOMAIN email AS text;
    /// ALTER TABLE users ADD CONSTRAINT users_email_has_at CHECK (email LIKE '%@%') NOT VALID;
    /// ```
    ///
    /// ## Options
    /// None. Off by default: a new domain has no columns yet, so its check
    /// costs nothing today; the cost comes with changing it later, which
    /// SQL027 reports. Select it to keep constraints on tables. Only
    /// PostgreSQL sets are checked.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DomainWithConstraint {
        code: "SQL030",
        name: "domain-with-constraint",
        checklist: DbMigrationSafety,
        group: Pedantic,
        severity: Info,
        summary: "a domain with a check constraint is costly to change once columns use it",
    }
}

impl SqlRule for DomainWithConstraint {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !starts_with(step.statement, &["CREATE", "DOMAIN"]) {
            return;
        }
        let tokens = tokens(step.statement);
        let Some(check) = find(&tokens, 2, &["CHECK"]) else {
            return;
        };
        let Some(span) = span_of(&tokens, check, check + 1) else {
            return;
        };
        sink.push(
        step.diagnostic(
            &DomainWithConstraint::META,
            span,
            "domain is created with a check constraint, which every later change checks against all its columns at once".to_owned(),
        )
        .with_help("put the check on the tables' columns instead, where it can be replaced `NOT VALID` table by table"),
    );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn domains_with_checks_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE DOMAIN plain AS text NOT NULL;\nCREATE DOMAIN email AS text CONSTRAINT has_at CHECK (VALUE LIKE '%@%');\n",
        );
        assert_eq!(
            repo.only("SQL030"),
            [at("SQL030", "migrations/1_a.sql", 2, 47)]
        );
    }
}
