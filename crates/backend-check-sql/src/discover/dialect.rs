//! Which database a migration set is written for.

use std::path::Path;

use backend_check_core::SqlDialect;

/// The database a set targets: the dialect it is parsed with, and the engine
/// when that is not the dialect's own database (CockroachDB and H2 speak
/// PostgreSQL-like SQL but lock differently, so PostgreSQL locking rules do not apply).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Target {
    /// The dialect the set is parsed with.
    pub dialect: SqlDialect,
    /// Another engine named by the path (`cockroachdb`, `h2`, `mssql`, …).
    pub engine: Option<&'static str>,
}

impl Target {
    /// A plain dialect target.
    pub fn dialect(dialect: SqlDialect) -> Target {
        Target {
            dialect,
            engine: None,
        }
    }
}

/// Reads a dialect or engine name such as `postgresql`, `MYSQL` or `sqlite3`.
pub(crate) fn target_of_word(word: &str) -> Option<Target> {
    let lower = word.to_ascii_lowercase();
    let dialect = match lower.as_str() {
        "postgres" | "postgresql" | "pg" | "psql" => SqlDialect::Postgres,
        "mysql" | "mariadb" => SqlDialect::MySql,
        "sqlite" | "sqlite3" => SqlDialect::Sqlite,
        "cockroach" | "cockroachdb" | "crdb" => {
            return Some(engine(SqlDialect::Postgres, "cockroachdb"))
        }
        "h2" => return Some(engine(SqlDialect::Postgres, "h2")),
        "mssql" | "sqlserver" => return Some(engine(SqlDialect::Postgres, "mssql")),
        _ => return None,
    };
    Some(Target::dialect(dialect))
}

fn engine(dialect: SqlDialect, name: &'static str) -> Target {
    Target {
        dialect,
        engine: Some(name),
    }
}

/// The target named by a folder path: the deepest folder whose name, or a
/// `-`/`_`/`.`-separated part of it, names a dialect (`migrations/mysql`,
/// `atuin-server-postgres`, `db_sqlite`).
pub(crate) fn target_of_dir(dir: &Path) -> Option<Target> {
    dir.components().rev().find_map(|component| {
        let name = component.as_os_str().to_str()?;
        target_of_word(name).or_else(|| target_in_parts(name))
    })
}

/// The target named by a part of a file name (`…__MYSQL.sql`, `…_postgres.sql`).
pub(crate) fn target_of_file_name(file_name: &str) -> Option<Target> {
    let stem = file_name.strip_suffix(".sql").unwrap_or(file_name);
    target_in_parts(stem)
}

fn target_in_parts(name: &str) -> Option<Target> {
    name.split(['-', '_', '.'])
        .filter(|part| !part.is_empty())
        .find_map(target_of_word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(path: &str) -> Option<SqlDialect> {
        target_of_dir(Path::new(path)).map(|t| t.dialect)
    }

    #[test]
    fn folder_names_pick_the_dialect() {
        assert_eq!(dir("migrations/mysql"), Some(SqlDialect::MySql));
        assert_eq!(dir("migrations/postgresql"), Some(SqlDialect::Postgres));
        assert_eq!(dir("migrations/sqlite"), Some(SqlDialect::Sqlite));
        assert_eq!(
            dir("crates/atuin-server-sqlite/migrations"),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(dir("db/MYSQL"), Some(SqlDialect::MySql));
        assert_eq!(dir("migrations"), None);
    }

    #[test]
    fn the_deepest_folder_wins() {
        assert_eq!(dir("pg-tools/migrations/sqlite"), Some(SqlDialect::Sqlite));
    }

    #[test]
    fn other_engines_are_recognised() {
        let t = target_of_dir(Path::new("db/migration/H2")).unwrap();
        assert_eq!(t.engine, Some("h2"));
        let t = target_of_word("cockroach").unwrap();
        assert_eq!(t.dialect, SqlDialect::Postgres);
        assert_eq!(t.engine, Some("cockroachdb"));
    }

    #[test]
    fn file_name_parts() {
        assert_eq!(
            target_of_file_name("V1_20_3__approval__MYSQL.sql").map(|t| t.dialect),
            Some(SqlDialect::MySql)
        );
        assert_eq!(
            target_of_file_name("schema.sqlite3.sql").map(|t| t.dialect),
            Some(SqlDialect::Sqlite)
        );
        assert_eq!(target_of_file_name("add_users.sql"), None);
    }
}
