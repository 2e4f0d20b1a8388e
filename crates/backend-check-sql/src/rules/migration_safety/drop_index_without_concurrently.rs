//! SQL004: `DROP INDEX` / `REINDEX` of an existing PostgreSQL index without `CONCURRENTLY`.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SqlRule, Step};
use crate::parse::{classify, Shape};

declare_rule! {
    /// ## What it does
    /// Finds `DROP INDEX` and `REINDEX INDEX|TABLE` statements without
    /// `CONCURRENTLY` in PostgreSQL up migrations, unless the index (or table) was
    /// created earlier in the same migration. Statements the SQL parser rejects
    /// (`DROP INDEX CONCURRENTLY`, `REINDEX`) are read from their tokens.
    ///
    /// ## Why is this bad?
    /// `DROP INDEX` takes an `ACCESS EXCLUSIVE` lock on the index's table: it
    /// waits behind every running query on the table, and every query arriving
    /// meanwhile waits behind it. `REINDEX` blocks writes (and reads that use the
    /// index) for the whole rebuild. The concurrent forms take weaker locks.
    ///
    /// ## Example
    /// ```sql
    /// DROP INDEX orders_status_idx;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- no-transaction
    /// DROP INDEX CONCURRENTLY IF EXISTS orders_status_idx;
    /// ```
    /// Like `CREATE INDEX CONCURRENTLY`, the concurrent forms must run outside a
    /// transaction block (see SQL002).
    ///
    /// ## Options
    /// None. Only PostgreSQL sets are checked; down scripts are not.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub DropIndexWithoutConcurrently {
        code: "SQL004",
        name: "drop-index-without-concurrently",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Warning,
        summary: "`DROP INDEX` or `REINDEX` without `CONCURRENTLY` locks the table",
    }
}

impl SqlRule for DropIndexWithoutConcurrently {
    /// Checks the statements of an up script (not those inside `DO` blocks).
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !step.is_top_level() {
            return;
        }
        let (created, position) = (step.created, step.position);
        let what = match classify(step.statement) {
            Some(Shape::DropIndex {
                concurrently: false,
                names,
            }) => names
                .iter()
                .find(|n| !created.index_before(&n.name, position))
                .map(|n| format!("index \"{n}\" is dropped without CONCURRENTLY")),
            Some(Shape::Reindex {
                concurrently: false,
                target,
                name: Some(name),
            }) if target == "INDEX" || target == "TABLE" => {
                let new = if target == "INDEX" {
                    created.index_before(&name.name, position)
                } else {
                    created.before(&name, position)
                };
                (!new).then(|| {
                    format!(
                        "{} \"{name}\" is reindexed without CONCURRENTLY",
                        target.to_lowercase()
                    )
                })
            }
            _ => None,
        };
        if let Some(message) = what {
            sink.push(
                step.diagnostic(
                    &DropIndexWithoutConcurrently::META,
                    step.statement.head(2),
                    message,
                )
                .with_help("add CONCURRENTLY and run the migration outside a transaction, so queries on the table go on"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    #[test]
    fn existing_indexes_fire_new_ones_do_not() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.sql",
            "CREATE INDEX tmp_idx ON t (x);\nDROP INDEX tmp_idx;\nDROP INDEX old_idx;\nDROP INDEX CONCURRENTLY other_idx;\nREINDEX INDEX old2_idx;\nREINDEX INDEX CONCURRENTLY old3_idx;\n",
        );
        let found: Vec<_> = repo
            .findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL004")
            .collect();
        assert_eq!(
            found,
            [
                at("SQL004", "migrations/1_a.sql", 3, 1),
                at("SQL004", "migrations/1_a.sql", 5, 1)
            ]
        );
    }
}
