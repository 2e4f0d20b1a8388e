//! SQL001: `CREATE INDEX` on an existing PostgreSQL table without `CONCURRENTLY`.

use backend_check_core::{declare_rule, Sink};

use crate::engine::{SqlRule, Step};
use crate::model::Layout;
use crate::parse::{create_index, CreateIndex};

declare_rule! {
    /// ## What it does
    /// Finds `CREATE INDEX` and `CREATE UNIQUE INDEX` statements in PostgreSQL up
    /// migrations that build an index on a table that already exists without
    /// `CONCURRENTLY`. A table counts as existing unless the same migration
    /// created it earlier (then it is empty and the build is instant); tables of
    /// earlier migrations, and tables the migrations never create, exist. (One
    /// exception: when popx splits one change into several migrations sharing a
    /// timestamp and a name, a table created by an earlier part is still new.)
    ///
    /// ## Why is this bad?
    /// A plain `CREATE INDEX` takes a `SHARE` lock on the table for the whole
    /// build: every `INSERT`, `UPDATE` and `DELETE` waits until the index is done,
    /// which on a large table means minutes of failed or queued writes in
    /// production. `CREATE INDEX CONCURRENTLY` builds the index while writes go on.
    ///
    /// ## Example
    /// ```sql
    /// CREATE INDEX orders_status_idx ON orders (status);
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- no-transaction
    /// CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
    /// ```
    /// `CONCURRENTLY` cannot run inside a transaction block, so the migration
    /// must run outside one: `-- no-transaction` at the top of an sqlx migration,
    /// `run_in_transaction = false` in a diesel migration's `metadata.toml`,
    /// `-- migrate:up transaction:false` for dbmate, an `.autocommit.up.sql` file
    /// for pop. Keep the statement alone in its migration, and if the build fails,
    /// drop the invalid index before retrying.
    ///
    /// ## Options
    /// None. The rule runs only on sets whose dialect is PostgreSQL (not on
    /// CockroachDB or H2 sets, which build indexes differently). An index built
    /// with `ON ONLY` on a partitioned table is not reported.
    /// Off when `sql.deploy = "offline"` (stop, migrate, start).
    /// On migrations that have run (before `sql.since`, or older than the
    /// newest `sql.recent` of the set) its findings are set aside, and counted
    /// in one SQL080 summary unless `sql.since` is set.
    pub CreateIndexWithoutConcurrently {
        code: "SQL001",
        name: "create-index-without-concurrently",
        checklist: DbMigrationSafety,
        group: Suspicious,
        severity: Error,
        summary: "`CREATE INDEX` on an existing table without `CONCURRENTLY` blocks writes while it builds",
    }
}

impl SqlRule for CreateIndexWithoutConcurrently {
    /// Checks the statements of an up script (not those inside `DO` blocks).
    fn statement(&self, step: &Step<'_>, sink: &mut Sink<'_>) {
        if !step.set.is_postgres() || !step.is_top_level() {
            return;
        }
        let Some(found) = create_index(&step.statement.tokens) else {
            return;
        };
        if found.concurrently || found.only || !step.existing(&found.table) {
            return;
        }
        sink.push(
            step.diagnostic(
                &CreateIndexWithoutConcurrently::META,
                found.head,
                message(&found),
            )
            .with_help(help(step.set.layout, step.in_transaction)),
        );
    }
}

fn message(found: &CreateIndex) -> String {
    match &found.name {
        Some(name) => format!(
            "index \"{name}\" on existing table \"{}\" is created without CONCURRENTLY",
            found.table
        ),
        None => format!(
            "index on existing table \"{}\" is created without CONCURRENTLY",
            found.table
        ),
    }
}

fn help(layout: Layout, in_transaction: bool) -> String {
    if !in_transaction {
        return "use `CREATE INDEX CONCURRENTLY` so writes go on while the index builds; this statement already runs outside a transaction".to_owned();
    }
    format!(
        "use `CREATE INDEX CONCURRENTLY` so writes go on while the index builds; it must run outside a transaction: {}",
        super::advice::leave_transaction(layout)
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};
    use backend_check_core::SqlDialect;

    fn sql001(repo: &Repo, explicit: &[std::path::PathBuf]) -> Vec<(String, String, usize, usize)> {
        repo.findings(explicit, None)
            .into_iter()
            .filter(|f| f.0 == "SQL001")
            .collect()
    }

    #[test]
    fn index_on_table_of_an_earlier_migration_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_create.sql",
            "CREATE TABLE orders (id bigint, status text);\n",
        );
        repo.write(
            "migrations/2_index.sql",
            "-- speed up the dashboard\n  CREATE INDEX orders_status_idx ON orders (status);\n",
        );
        assert_eq!(
            sql001(&repo, &[]),
            [at("SQL001", "migrations/2_index.sql", 2, 3)]
        );
        let output = repo.run(&[], None);
        let d = output
            .diagnostics
            .iter()
            .find(|d| d.rule.code == "SQL001")
            .unwrap();
        assert_eq!(
            d.message,
            "index \"orders_status_idx\" on existing table \"orders\" is created without CONCURRENTLY"
        );
        assert_eq!(d.snippet(), "CREATE INDEX orders_status_idx ON orders");
        assert!(d.help.as_deref().unwrap().contains("-- no-transaction"));
    }

    #[test]
    fn index_on_table_created_in_the_same_migration_does_not_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_create.sql",
            "CREATE TABLE public.orders (id bigint);\nCREATE UNIQUE INDEX ON orders (id);\nCREATE INDEX x ON \"Orders\" (id);\n",
        );
        assert_eq!(
            sql001(&repo, &[]),
            [at("SQL001", "migrations/1_create.sql", 3, 1)]
        );
    }

    #[test]
    fn index_before_its_create_table_fires() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_create.sql",
            "CREATE INDEX i ON t (id);\nCREATE TABLE t (id int);\n",
        );
        assert_eq!(sql001(&repo, &[]).len(), 1);
    }

    #[test]
    fn concurrently_only_and_down_scripts_do_not_fire() {
        let repo = Repo::new();
        repo.write(
            "migrations/20240101000000_i.up.sql",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (x);\nCREATE INDEX p_idx ON ONLY parted (x);\n",
        );
        repo.write(
            "migrations/20240101000000_i.down.sql",
            "CREATE INDEX old ON t (y);\n",
        );
        assert!(sql001(&repo, &[]).is_empty());
    }

    #[test]
    fn do_blocks_and_function_bodies_are_not_inspected() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_do.sql",
            "DO $$ BEGIN CREATE INDEX i ON t (x); END $$;\nCREATE FUNCTION f() RETURNS void AS $f$ CREATE INDEX j ON t (x); $f$ LANGUAGE sql;\n",
        );
        assert!(sql001(&repo, &[]).is_empty());
    }

    #[test]
    fn unparsable_index_statement_is_recognised_by_tokens() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_i.sql",
            "CREATE INDEX IF NOT EXISTS i ON t USING gin (x) WITH (fastupdate = off) TABLESPACE fast FROBNICATE;\n",
        );
        assert_eq!(
            sql001(&repo, &[]),
            [at("SQL001", "migrations/1_i.sql", 1, 1)]
        );
    }

    #[test]
    fn mysql_and_sqlite_sets_do_not_fire() {
        let repo = Repo::new();
        repo.write("migrations/mysql/1_i.sql", "CREATE INDEX i ON t (x);\n");
        repo.write("migrations/sqlite/1_i.sql", "CREATE INDEX i ON t (x);\n");
        repo.write("migrations/cockroach/1_i.sql", "CREATE INDEX i ON t (x);\n");
        assert!(sql001(&repo, &[]).is_empty());
        let forced = repo.findings(&[], Some(SqlDialect::Postgres));
        assert_eq!(forced.iter().filter(|f| f.0 == "SQL001").count(), 3);
    }

    #[test]
    fn diesel_and_dbmate_layouts() {
        let repo = Repo::new();
        repo.write(
            "migrations/2024-01-01-000000_create/up.sql",
            "CREATE TABLE t (x int);\n",
        );
        repo.write(
            "migrations/2024-02-01-000000_index/up.sql",
            "\n\nCREATE INDEX i ON t (x);\n",
        );
        repo.write(
            "migrations/2024-02-01-000000_index/down.sql",
            "DROP INDEX i;\n",
        );
        repo.write(
            "db/migrations/20240101000000_x.sql",
            "-- migrate:up\nCREATE INDEX j ON t (x);\n-- migrate:down\nCREATE INDEX k ON t (x);\n",
        );
        assert_eq!(
            sql001(&repo, &[]),
            [
                at("SQL001", "db/migrations/20240101000000_x.sql", 2, 1),
                at("SQL001", "migrations/2024-02-01-000000_index/up.sql", 3, 1)
            ]
        );
    }

    #[test]
    fn split_pop_change_counts_as_one_migration() {
        let repo = Repo::new();
        repo.write(
            "sql/20191100000001000000_identities.postgres.up.sql",
            "CREATE TABLE ids (x int);",
        );
        repo.write(
            "sql/20191100000001000001_identities.postgres.up.sql",
            "CREATE INDEX a ON ids (x);",
        );
        repo.write(
            "sql/20191100000002000000_later.postgres.up.sql",
            "CREATE INDEX b ON ids (x);",
        );
        assert_eq!(
            sql001(&repo, &[]),
            [at(
                "SQL001",
                "sql/20191100000002000000_later.postgres.up.sql",
                1,
                1
            )]
        );
    }

    #[test]
    fn a_loose_file_fires_only_when_named() {
        let repo = Repo::new();
        let path = repo.write("fix.sql", "CREATE INDEX i ON t (x);\n");
        assert!(sql001(&repo, &[]).is_empty());
        assert_eq!(sql001(&repo, &[path]), [at("SQL001", "fix.sql", 1, 1)]);
    }

    #[test]
    fn parse_shapes() {
        let f = backend_check_core::SourceFile::new(
            "t",
            "t",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS s.i ON ONLY app.t (x)",
            backend_check_core::CommentStyle::DoubleDash,
        );
        let s = crate::parse::parse_section(
            &f,
            backend_check_core::Span::new(0, f.text().len()),
            SqlDialect::Postgres,
        );
        let shape = crate::parse::create_index(&s[0].tokens).unwrap();
        assert_eq!(shape.name.as_deref(), Some("i"));
        assert_eq!(shape.table.to_string(), "app.t");
        assert!(shape.concurrently && shape.only);
        assert!(f.slice(shape.head).ends_with("app.t"));
        assert_eq!(crate::parse::create_index(&s[0].tokens[1..]), None);
    }
}
