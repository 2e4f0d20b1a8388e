//! What a file name says about the migration it holds.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Direction, Version};

/// The naming form a migration file follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Form {
    /// `<version>_<name>.sql`: an sqlx up-only migration, or a dbmate file.
    Plain,
    /// `<version>_<name>[.<tag>][.autocommit].{up,down}.sql`: sqlx reversible,
    /// golang-migrate, or gobuffalo pop (which adds the dialect tag).
    Reversible {
        direction: Direction,
        tag: Option<String>,
        autocommit: bool,
    },
    /// `<version>_<name>/{up,down}.sql`: diesel.
    Diesel { direction: Direction },
    /// `V<version>__<name>.sql` and its `U`, `B` and `R` siblings: Flyway, refinery.
    Flyway { prefix: char },
}

/// A file name that follows a migration naming form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameShape {
    pub version: Version,
    pub name: String,
    pub form: Form,
}

static DIESEL_DIR: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\d[\d-]*\d|\d)_(.+)$").ok());
static FLYWAY: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^([VUB])(\d+(?:[._]\d+)*)__(.+)$").ok());
static REPEATABLE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^R__(.+)$").ok());
static VERSIONED: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^(\d+)_(.*)$").ok());

/// The dialect tags gobuffalo pop puts between the name and the direction.
pub(crate) const POP_TAGS: &[&str] = &[
    "postgres",
    "cockroach",
    "mysql",
    "sqlite3",
    "sqlite",
    "mssql",
];

/// Classifies a path by its name alone; `None` when it follows no known form.
pub(crate) fn classify(path: &Path) -> Option<NameShape> {
    let file_name = path.file_name()?.to_str()?;
    let stem = strip_sql_extension(file_name)?;
    if let Some(direction) = diesel_direction(stem) {
        if let Some(shape) = diesel(path, direction) {
            return Some(shape);
        }
    }
    flyway(stem)
        .or_else(|| reversible(stem))
        .or_else(|| plain(stem))
}

fn strip_sql_extension(file_name: &str) -> Option<&str> {
    let split = file_name.len().checked_sub(4)?;
    let (stem, ext) = (file_name.get(..split)?, file_name.get(split..)?);
    ext.eq_ignore_ascii_case(".sql").then_some(stem)
}

fn diesel_direction(stem: &str) -> Option<Direction> {
    match stem {
        "up" => Some(Direction::Up),
        "down" => Some(Direction::Down),
        _ => None,
    }
}

fn diesel(path: &Path, direction: Direction) -> Option<NameShape> {
    let dir_name = path.parent()?.file_name()?.to_str()?;
    let captures = DIESEL_DIR.as_ref()?.captures(dir_name)?;
    Some(NameShape {
        version: Version::new(captures.get(1)?.as_str()),
        name: captures.get(2)?.as_str().to_owned(),
        form: Form::Diesel { direction },
    })
}

fn flyway(stem: &str) -> Option<NameShape> {
    if let Some(captures) = REPEATABLE.as_ref()?.captures(stem) {
        return Some(NameShape {
            version: Version::none(),
            name: captures.get(1)?.as_str().to_owned(),
            form: Form::Flyway { prefix: 'R' },
        });
    }
    let captures = FLYWAY.as_ref()?.captures(stem)?;
    Some(NameShape {
        version: Version::new(captures.get(2)?.as_str()),
        name: captures.get(3)?.as_str().to_owned(),
        form: Form::Flyway {
            prefix: captures.get(1)?.as_str().chars().next()?,
        },
    })
}

fn reversible(stem: &str) -> Option<NameShape> {
    let (rest, direction) = if let Some(rest) = stem.strip_suffix(".up") {
        (rest, Direction::Up)
    } else {
        (stem.strip_suffix(".down")?, Direction::Down)
    };
    let (version, title) = version_and_title(rest)?;
    let (name, tag, autocommit) = split_pop_suffixes(title);
    Some(NameShape {
        version,
        name,
        form: Form::Reversible {
            direction,
            tag,
            autocommit,
        },
    })
}

/// Splits `name[.tag][.autocommit]`; unknown dotted parts stay in the name.
fn split_pop_suffixes(title: &str) -> (String, Option<String>, bool) {
    let mut name = title;
    let mut autocommit = false;
    if let Some(rest) = name.strip_suffix(".autocommit") {
        name = rest;
        autocommit = true;
    }
    let tag = name.rsplit_once('.').and_then(|(before, tag)| {
        let lower = tag.to_ascii_lowercase();
        POP_TAGS.contains(&lower.as_str()).then(|| {
            name = before;
            lower
        })
    });
    (name.to_owned(), tag, autocommit)
}

fn plain(stem: &str) -> Option<NameShape> {
    let (version, name) = version_and_title(stem)?;
    Some(NameShape {
        version,
        name: name.to_owned(),
        form: Form::Plain,
    })
}

fn version_and_title(stem: &str) -> Option<(Version, &str)> {
    let captures = VERSIONED.as_ref()?.captures(stem)?;
    Some((
        Version::new(captures.get(1)?.as_str()),
        captures.get(2)?.as_str(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(path: &str) -> Option<NameShape> {
        classify(Path::new(path))
    }

    #[test]
    fn sqlx_up_only() {
        let s = shape("migrations/20240101000000_create_orders.sql").unwrap();
        assert_eq!(s.version.as_str(), "20240101000000");
        assert_eq!(s.name, "create_orders");
        assert_eq!(s.form, Form::Plain);
    }

    #[test]
    fn sqlx_and_golang_migrate_reversible() {
        let s = shape("migrations/0003_add_replication_op_uuid.down.sql").unwrap();
        assert_eq!(s.version.as_str(), "0003");
        assert_eq!(s.name, "add_replication_op_uuid");
        assert_eq!(
            s.form,
            Form::Reversible {
                direction: Direction::Down,
                tag: None,
                autocommit: false
            }
        );
    }

    #[test]
    fn pop_dialect_tag_and_autocommit() {
        let s = shape("sql/20210410175418_network_schema.cockroach.autocommit.up.sql").unwrap();
        assert_eq!(s.name, "network_schema");
        assert_eq!(
            s.form,
            Form::Reversible {
                direction: Direction::Up,
                tag: Some("cockroach".into()),
                autocommit: true
            }
        );
        let s = shape("sql/20150100000001000000_networks.sqlite3.down.sql").unwrap();
        assert_eq!(s.version.as_str(), "20150100000001000000");
        assert!(matches!(s.form, Form::Reversible { tag: Some(ref t), .. } if t == "sqlite3"));
    }

    #[test]
    fn diesel_folder_versions() {
        let s = shape("migrations/2019-03-22-170700_remove_crate_downloads/up.sql").unwrap();
        assert_eq!(s.version.as_str(), "2019-03-22-170700");
        assert_eq!(s.name, "remove_crate_downloads");
        assert_eq!(
            s.form,
            Form::Diesel {
                direction: Direction::Up
            }
        );
        let s = shape("migrations/00000000000000_diesel_initial_setup/down.sql").unwrap();
        assert_eq!(s.version.as_str(), "00000000000000");
        let s = shape("migrations/2026-06-26-100902-0000_versions_num_max_length/up.sql").unwrap();
        assert_eq!(s.version.as_str(), "2026-06-26-100902-0000");
        assert_eq!(s.name, "versions_num_max_length");
    }

    #[test]
    fn up_sql_outside_a_version_folder_is_not_diesel() {
        assert_eq!(shape("db/scripts/up.sql"), None);
    }

    #[test]
    fn flyway_prefixes_and_versions() {
        let s = shape("db/migration/V1_20_3__auto_assignment_approval__MYSQL.sql").unwrap();
        assert_eq!(s.version.as_str(), "1_20_3");
        assert_eq!(s.name, "auto_assignment_approval__MYSQL");
        assert_eq!(s.form, Form::Flyway { prefix: 'V' });
        assert_eq!(shape("db/V1.2__add.sql").unwrap().version.as_str(), "1.2");
        assert_eq!(
            shape("db/U3__undo.sql").unwrap().form,
            Form::Flyway { prefix: 'U' }
        );
        assert_eq!(
            shape("db/B1_20_0__1.0.0_baseline__H2.sql").unwrap().form,
            Form::Flyway { prefix: 'B' }
        );
        let r = shape("db/R__views.sql").unwrap();
        assert!(r.version.is_none());
    }

    #[test]
    fn files_without_a_layout() {
        assert_eq!(shape("schema.sql"), None);
        assert_eq!(shape("queries/find_user.sql"), None);
        assert_eq!(shape("migrations/data_oauth_github.sql"), None);
        assert_eq!(shape("migrations/README.md"), None);
    }
}
