//! SQL017: `TRUNCATE … CASCADE`.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `TRUNCATE … CASCADE` in PostgreSQL up migrations.
    ///
    /// ## Why is this bad?
    /// `CASCADE` also empties every table that has a foreign key to the
    /// truncated ones, and the tables that reference those, without naming them.
    /// A migration written when only one table referenced the truncated table
    /// silently wipes the tables added since.
    ///
    /// ## Example
    /// ```sql
    /// TRUNCATE sessions CASCADE;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// TRUNCATE session_events, sessions;
    /// ```
    /// Name every table to empty; PostgreSQL then refuses to run if another
    /// table still references them.
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked; down scripts are not.
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub TruncateCascade {
        code: "SQL017",
        name: "truncate-cascade",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "`TRUNCATE … CASCADE` also empties every table that references the truncated ones",
    }
}

impl SqlRule for TruncateCascade {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        let tokens = &step.statement.tokens;
        let truncate = tokens.first().is_some_and(|t| t.is_word("TRUNCATE"));
        if !step.set.is_postgres()
            || !truncate
            || !tokens.last().is_some_and(|t| t.is_word("CASCADE"))
        {
            return;
        }
        sink.push(
        step.diagnostic(
            &TruncateCascade::META,
            step.head(),
            "`TRUNCATE … CASCADE` also empties every table that references the truncated ones".to_owned(),
        )
        .with_help("name every table to empty and drop CASCADE, so PostgreSQL refuses when another table still references them"),
    );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn truncate_cascade_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "TRUNCATE a, b;\nTRUNCATE TABLE c RESTART IDENTITY CASCADE;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL017")
            .collect();
        assert_eq!(found, [at("SQL017", "migrations/1_a.sql", 2, 1)]);
    }
}
