//! Running a script the way its migration tool does: what it sends (the
//! whole file as one simple query, or statement by statement), inside a
//! transaction or not (as discovery settled it for the script), and what it
//! does with an empty file.

use backend_check_sql::{Layout, Script};

use super::wire::Connection;

/// The runner's own bookkeeping table(s): created before the first
/// migration, as the runner does, and left out of the server's catalog.
pub fn bookkeeping(layout: Layout) -> (&'static [&'static str], &'static str) {
    match layout {
        Layout::Sqlx => (
            &["_sqlx_migrations"],
            "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, \
             installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, \
             checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)",
        ),
        Layout::Diesel => (
            &["__diesel_schema_migrations"],
            "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, \
             run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)",
        ),
        Layout::GolangMigrate => (
            &["schema_migrations"],
            "CREATE TABLE schema_migrations (version bigint NOT NULL PRIMARY KEY, dirty boolean NOT NULL)",
        ),
        Layout::Dbmate => (
            &["schema_migrations"],
            "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY)",
        ),
        Layout::Pop => (
            &["schema_migration"],
            "CREATE TABLE schema_migration (version varchar(48) NOT NULL); \
             CREATE UNIQUE INDEX schema_migration_version_idx ON schema_migration (version)",
        ),
        Layout::Flyway => (
            &["flyway_schema_history"],
            "CREATE TABLE flyway_schema_history (installed_rank INT NOT NULL, version VARCHAR(50), \
             description VARCHAR(200) NOT NULL, type VARCHAR(20) NOT NULL, script VARCHAR(1000) NOT NULL, \
             checksum INT, installed_by VARCHAR(100) NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT now(), \
             execution_time INT NOT NULL, success BOOLEAN NOT NULL, \
             CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank)); \
             CREATE INDEX flyway_schema_history_s_idx ON flyway_schema_history (success)",
        ),
        Layout::Refinery => (
            &["refinery_schema_history"],
            "CREATE TABLE refinery_schema_history (version INT4 PRIMARY KEY, name VARCHAR(255), \
             applied_on VARCHAR(255), checksum VARCHAR(255))",
        ),
        Layout::Goose => (
            &["goose_db_version"],
            "CREATE TABLE goose_db_version (id serial PRIMARY KEY, version_id bigint NOT NULL, \
             is_applied boolean NOT NULL, tstamp timestamp DEFAULT now())",
        ),
        Layout::Loose => (&[], ""),
    }
}

/// What the runner does with one script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It ran (or the runner skipped it, as pop skips an empty file).
    Ran,
    /// The server or the runner refused it; nothing of it was kept when the
    /// runner wraps it in a transaction.
    Refused(String),
}

/// Runs `script` as the runner of `layout` does.
pub fn run(
    connection: &mut Connection,
    layout: Layout,
    script: &Script,
) -> Result<Outcome, String> {
    let text = script.text();
    let blank = text.trim().is_empty();
    match layout {
        Layout::Diesel if blank => {
            return Ok(Outcome::Refused(
                "diesel: Attempted to run an empty migration.".to_owned(),
            ))
        }
        Layout::Pop if blank => return Ok(Outcome::Ran),
        _ => {}
    }
    let wrapped = script.transaction.runner_wraps();
    if wrapped {
        if let Some(error) = connection.query("BEGIN")?.error {
            return Ok(Outcome::Refused(error));
        }
    }
    let mut refused = None;
    let per_statement = matches!(layout, Layout::Flyway | Layout::Goose);
    if per_statement {
        for statement in &script.statements {
            let reply = connection.query(script.file.slice(statement.span))?;
            if let Some(error) = reply.error {
                refused = Some(error);
                break;
            }
        }
    } else {
        let reply = connection.query(text)?;
        refused = reply.error;
        if refused.is_none() && reply.empty && layout == Layout::Diesel {
            refused = Some("diesel: Received an empty query".to_owned());
        }
    }
    let end = connection.query(if wrapped && refused.is_none() {
        "COMMIT"
    } else {
        "ROLLBACK"
    })?;
    if refused.is_none() && wrapped {
        refused = end.error;
    }
    Ok(refused.map_or(Outcome::Ran, Outcome::Refused))
}
