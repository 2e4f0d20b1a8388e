//! SQL023: `DETACH PARTITION` without `CONCURRENTLY`.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SqlRule, Step};

declare_rule! {
    /// ## What it does
    /// Finds `ALTER TABLE … DETACH PARTITION` without `CONCURRENTLY` (or
    /// `FINALIZE`) in PostgreSQL up migrations, on partitioned tables the same
    /// migration did not create.
    ///
    /// ## Why is this bad?
    /// A plain detach takes an `ACCESS EXCLUSIVE` lock on the parent table, so
    /// every query on any partition waits for it, and it waits behind every
    /// running query. PostgreSQL 14 and later can detach with a weaker lock.
    ///
    /// ## Example
    /// ```sql
    /// ALTER TABLE events DETACH PARTITION events_2023;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- no-transaction
    /// ALTER TABLE events DETACH PARTITION events_2023 CONCURRENTLY;
    /// ```
    /// Like `CREATE INDEX CONCURRENTLY`, it cannot run inside a transaction.
    ///
    /// ## Options
    /// `sql.postgres-version`: below 14 the concurrent form does not exist and
    /// the rule stays silent. Only PostgreSQL sets are checked.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DetachPartitionWithoutConcurrently {
        code: "SQL023",
        name: "detach-partition-without-concurrently",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "`DETACH PARTITION` without `CONCURRENTLY` locks the whole partitioned table",
    }
}

impl SqlRule for DetachPartitionWithoutConcurrently {
    /// Checks one up statement.
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || step.set.postgres_before(14) {
            return;
        }
        let tokens = &step.statement.tokens;
        if !(tokens.first().is_some_and(|t| t.is_word("ALTER"))
            && tokens.get(1).is_some_and(|t| t.is_word("TABLE")))
        {
            return;
        }
        let detach = tokens.windows(2).position(|w| {
            w.first().is_some_and(|t| t.is_word("DETACH"))
                && w.get(1).is_some_and(|t| t.is_word("PARTITION"))
        });
        let Some(detach) = detach else {
            return;
        };
        let concurrent = tokens
            .iter()
            .skip(detach)
            .any(|t| t.is_word("CONCURRENTLY") || t.is_word("FINALIZE"));
        let table = crate::parse::classify(step.statement).and_then(|shape| match shape {
            crate::parse::Shape::AlterTable { table } => Some(table),
            _ => None,
        });
        let existing = match &step.statement.parsed {
            Ok(_) => step.existing_alter().is_some(),
            Err(_) => table.as_ref().is_none_or(|t| step.existing(t)),
        };
        if concurrent || !existing {
            return;
        }
        sink.push(
        step.diagnostic(
            &DetachPartitionWithoutConcurrently::META,
            step.head(),
            "partition is detached without CONCURRENTLY, which locks the whole partitioned table"
                .to_owned(),
        )
        .with_help("add CONCURRENTLY and run the migration outside a transaction"),
    );
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn plain_detach_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "ALTER TABLE events DETACH PARTITION events_2023;\nALTER TABLE events DETACH PARTITION events_2022 CONCURRENTLY;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL023")
            .collect();
        assert_eq!(found, [at("SQL023", "migrations/1_a.sql", 1, 1)]);
    }
}
