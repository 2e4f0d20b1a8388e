//! The layouts discovery knows, one file each: how the files of one folder
//! become a [`MigrationSet`] with paired up and down scripts. sqlx,
//! golang-migrate, dbmate and goose share the `<version>_<name>` names
//! ([`numbered`]); pop ([`pop`]), diesel ([`diesel`]), Flyway and refinery
//! ([`flyway`]) have their own; a loose file the user named is [`loose`].

pub(crate) mod dbmate;
pub(crate) mod diesel;
pub(crate) mod flyway;
pub(crate) mod loose;
pub(crate) mod numbered;
pub(crate) mod pop;

use super::name::{Form, NameShape};
use super::{Chosen, LoadedCandidate};
use crate::model::{Direction, Layout, Migration, MigrationKind, MigrationSet, Script, Version};
use std::path::PathBuf;

pub(super) fn new_set(dir: PathBuf, layout: Layout, (target, source): Chosen) -> MigrationSet {
    MigrationSet {
        dir,
        layout,
        dialect: target.dialect,
        engine: target.engine,
        dialect_source: source,
        postgres_version: None,
        audit_columns: Vec::new(),
        migrations: Vec::new(),
    }
}

pub(super) fn shape(loaded: &LoadedCandidate) -> Option<&NameShape> {
    loaded.candidate.shape.as_ref()
}

pub(super) fn reversible_parts(
    loaded: &LoadedCandidate,
) -> Option<(Direction, Option<&str>, bool)> {
    match &shape(loaded)?.form {
        Form::Reversible {
            direction,
            tag,
            autocommit,
        } => Some((*direction, tag.as_deref(), *autocommit)),
        _ => None,
    }
}

/// Pairs `.up.sql` and `.down.sql` files by version and name.
pub(super) fn add_reversible(migrations: &mut Vec<Migration>, files: Vec<LoadedCandidate>) {
    for loaded in files {
        let Some((direction, _, autocommit)) = reversible_parts(&loaded) else {
            continue;
        };
        let Some(shape) = loaded.candidate.shape.clone() else {
            continue;
        };
        let migration = find_or_add(migrations, &shape.version, &shape.name, |m| {
            m.script(direction).is_none()
        });
        *migration.slot(direction) = Some(Script::whole(loaded.file, direction, autocommit));
    }
}

/// The migration with this version and name whose slot is free, or a new one.
pub(super) fn find_or_add<'a>(
    migrations: &'a mut Vec<Migration>,
    version: &Version,
    name: &str,
    free: impl Fn(&Migration) -> bool,
) -> &'a mut Migration {
    let found = migrations
        .iter()
        .position(|m| &m.version == version && m.name == name && free(m));
    let index = found.unwrap_or_else(|| {
        migrations.push(Migration::new(
            version.clone(),
            name.to_owned(),
            MigrationKind::Versioned,
        ));
        migrations.len() - 1
    });
    &mut migrations[index]
}
