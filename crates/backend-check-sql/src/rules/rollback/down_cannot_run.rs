//! SQL071: a down migration the database or the migration tool refuses to run.

use backend_check_core::{declare_rule, Diagnostic, Severity, Sink, Span, SqlDialect};

use crate::engine::{Change, SqlRule};
use crate::model::{Layout, MigrationSet, Script};
use crate::schema::{Catalog, Refusal};

declare_rule! {
    /// ## What it does
    /// Replays the schema up to each migration and runs its down script
    /// against it, statement by statement, and reports the first statement
    /// the database would refuse:
    /// - `ALTER TABLE … DROP CONSTRAINT name` where `name` is an index that
    ///   backs no constraint (`CREATE UNIQUE INDEX` makes an index, not a
    ///   constraint; PostgreSQL answers `constraint … does not exist`);
    /// - `DROP TABLE t` without `CASCADE` while a foreign key of a table that
    ///   stays still references `t` (PostgreSQL: `cannot drop table t because
    ///   other objects depend on it`; MySQL refuses too). Dropping the
    ///   referencing table first, or in the same statement, is fine.
    ///
    /// Under diesel it also reports a down script that is empty or holds only
    /// comments: diesel stops with `Attempted to run an empty migration.`, and
    /// PostgreSQL and MySQL answer a comment-only script with an empty query,
    /// which diesel reports as an error (`Received an empty query`). sqlx, pop,
    /// golang-migrate and the other tools run or skip an empty down, so there
    /// it is not reported here (SQL044 tells when an empty down undoes
    /// nothing). Nor is it in a set that leaves three in four of its downs
    /// (and at least five) empty: that project migrates forward only, and an
    /// empty down is its convention.
    ///
    /// ## Why is this bad?
    /// The rollback stops at that statement: `diesel migration revert`, `sqlx
    /// migrate revert` or `migrate down` fails when it is needed most, during
    /// an incident, and every migration before it stays applied. Downs are
    /// rarely run in CI, so the mistake waits for the worst moment.
    ///
    /// ## Example
    /// ```sql
    /// -- up.sql
    /// CREATE UNIQUE INDEX versions_crate_num_uindex ON versions (crate_id, num);
    /// -- down.sql
    /// ALTER TABLE versions DROP CONSTRAINT versions_crate_num_uindex;
    /// ```
    ///
    /// ## Use instead
    /// ```sql
    /// -- down.sql
    /// DROP INDEX versions_crate_num_uindex;
    /// ```
    /// and drop referencing tables before the tables they reference; under
    /// diesel, give a down that cannot undo anything a statement
    /// (`SELECT 1;`) or make it fail on purpose with a message.
    ///
    /// ## Options
    /// None. Statements the replay does not understand are assumed to run.
    pub DownCannotRun {
        code: "SQL071",
        name: "down-cannot-run",
        checklist: DbRollback,
        group: Correctness,
        severity: Error,
        summary: "a down migration the database or the migration tool refuses to run, so the rollback stops there",
    }
}

impl SqlRule for DownCannotRun {
    /// Runs the down scripts of a change (the parts of a popx change in
    /// reverse) on a copy of the schema after its ups.
    fn migration(&self, change: &Change<'_>, sink: &mut Sink<'_>) {
        let set = change.set;
        let mut after = change.after.clone();
        for part in (change.first..=change.last).rev() {
            let Some(down) = set.migrations.get(part).and_then(|m| m.down.as_ref()) else {
                continue;
            };
            if let Some(empty) = diesel_empty(set, down) {
                if !downs_empty_by_convention(set) {
                    sink.push(empty);
                }
                break;
            }
            after.set_origin(part, 0);
            if let Some(refusal) = first_refusal(&mut after, down) {
                sink.push(refused(down, &refusal));
                break;
            }
        }
    }
}

/// The first statement of `down` the database would refuse, applying the
/// ones before it.
pub(crate) fn first_refusal(catalog: &mut Catalog, down: &Script) -> Option<Refusal> {
    for statement in &down.statements {
        if let Some(refusal) = catalog.refusal(statement) {
            return Some(refusal);
        }
        catalog.apply(statement);
    }
    None
}

fn refused(down: &Script, refusal: &Refusal) -> Diagnostic {
    Diagnostic::new(
        &DownCannotRun::META,
        &down.file,
        refusal.span,
        format!("down migration cannot run: {}", refusal.reason),
    )
    .with_help("change the down so the database accepts it: drop indexes with DROP INDEX, and drop referencing tables (or their foreign keys) before the tables they reference")
}

/// Whether `down` is a diesel down script that is empty, or (PostgreSQL,
/// MySQL) holds only comments: diesel refuses to run it.
pub(crate) fn diesel_refuses_empty(set: &MigrationSet, down: &Script) -> bool {
    set.layout == Layout::Diesel
        && down.statements.is_empty()
        && (down.text().trim().is_empty() || set.dialect != SqlDialect::Sqlite)
}

/// Whether the set leaves its downs empty as a rule: at least five down
/// scripts, three in four of them without a statement. Such a project does
/// not roll back (it upgrades forward only, as vaultwarden does), so an
/// empty down is its convention, not a revert that will fail by surprise.
fn downs_empty_by_convention(set: &MigrationSet) -> bool {
    let downs: Vec<&Script> = set
        .migrations
        .iter()
        .filter_map(|m| m.down.as_ref())
        .collect();
    let empty = downs.iter().filter(|d| d.statements.is_empty()).count();
    downs.len() >= 5 && empty * 4 >= downs.len() * 3
}

/// The finding for a down script diesel refuses to run.
fn diesel_empty(set: &MigrationSet, down: &Script) -> Option<Diagnostic> {
    if !diesel_refuses_empty(set, down) {
        return None;
    }
    let text = down.text();
    let blank = text.trim().is_empty();
    let span = if blank {
        Span::at(down.section.start)
    } else {
        let start = down.section.start + (text.len() - text.trim_start().len());
        Span::new(
            start,
            start + text.trim_start().lines().next().map_or(0, str::len),
        )
    };
    let answer = if blank {
        "diesel stops with \"Attempted to run an empty migration.\""
    } else if set.dialect == SqlDialect::MySql {
        "MySQL answers the comment-only query with \"Query was empty\" (error 1065) and diesel stops"
    } else {
        "the database receives an empty query and diesel stops with \"Received an empty query\""
    };
    let what = if blank {
        "is empty"
    } else {
        "holds only comments"
    };
    Some(
        Diagnostic::new(
            &DownCannotRun::META,
            &down.file,
            span,
            format!("down migration cannot run under diesel: the script {what}, so {answer}"),
        )
        .with_severity(Severity::Error)
        .with_help("write the statements that undo the up migration, or `SELECT 1;` when there is nothing to undo"),
    )
}

#[cfg(test)]
mod tests {
    use crate::test_support::{at, Repo};

    fn sql071(repo: &Repo) -> Vec<(String, String, usize, usize)> {
        repo.findings(&[], None)
            .into_iter()
            .filter(|f| f.0 == "SQL071")
            .collect()
    }

    #[test]
    fn drops_the_database_refuses_are_reported() {
        let repo = Repo::new();
        repo.write(
            "migrations/1_a.up.sql",
            "CREATE TABLE g (id int PRIMARY KEY);\nCREATE TABLE u (g int REFERENCES g (id));\n",
        );
        repo.write("migrations/1_a.down.sql", "DROP TABLE g;\nDROP TABLE u;\n");
        repo.write(
            "migrations/2_b.up.sql",
            "CREATE UNIQUE INDEX IF NOT EXISTS u_g_uindex ON u (g);\n",
        );
        repo.write(
            "migrations/2_b.down.sql",
            "ALTER TABLE u\n    DROP CONSTRAINT u_g_uindex;\n",
        );
        repo.write("migrations/3_c.up.sql", "CREATE TABLE v (id int);\n");
        repo.write("migrations/3_c.down.sql", "DROP TABLE v;\n");
        assert_eq!(
            sql071(&repo),
            [
                at("SQL071", "migrations/1_a.down.sql", 1, 1),
                at("SQL071", "migrations/2_b.down.sql", 1, 1)
            ]
        );
    }

    #[test]
    fn empty_downs_fail_under_diesel_only() {
        let repo = Repo::new();
        repo.write(
            "migrations/2024-01-01-000000_a/up.sql",
            "CREATE TABLE a (id int);\n",
        );
        repo.write("migrations/2024-01-01-000000_a/down.sql", "\n");
        repo.write(
            "migrations/2024-01-02-000000_b/up.sql",
            "CREATE TABLE b (id int);\n",
        );
        repo.write(
            "migrations/2024-01-02-000000_b/down.sql",
            "-- This file should undo anything in `up.sql`\n",
        );
        repo.write(
            "migrations/2024-01-03-000000_c/up.sql",
            "CREATE TABLE c (id int);\n",
        );
        repo.write("migrations/2024-01-03-000000_c/down.sql", "DROP TABLE c;\n");
        assert_eq!(
            sql071(&repo),
            [
                at("SQL071", "migrations/2024-01-01-000000_a/down.sql", 1, 1),
                at("SQL071", "migrations/2024-01-02-000000_b/down.sql", 1, 1)
            ]
        );
        let sqlx = Repo::new();
        sqlx.write("migrations/1_a.up.sql", "CREATE TABLE a (id int);\n");
        sqlx.write("migrations/1_a.down.sql", "-- nothing\n");
        assert!(sql071(&sqlx).is_empty());
    }
}
