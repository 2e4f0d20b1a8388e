//! `<version>_<name>` files: sqlx (`.sql`, or `.up.sql`/`.down.sql` with
//! 14-digit timestamps), golang-migrate (`.up.sql`/`.down.sql` with short
//! sequence numbers), dbmate and goose (one file with marked sections), and
//! the pop files among them.

use std::path::Path;

use super::super::name::Form;
use super::super::{file_name_hint, target_for, DiscoverOptions, LoadedCandidate};
use super::{add_reversible, dbmate, new_set, pop, shape};
use crate::model::{
    Direction, Layout, Migration, MigrationKind, MigrationSet, Script, POPX_VERSION_LEN,
};

pub(crate) fn sets(
    dir: &Path,
    members: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> Vec<MigrationSet> {
    let (plain, reversible): (Vec<_>, Vec<_>) = members
        .into_iter()
        .partition(|m| shape(m).is_some_and(|s| s.form == Form::Plain));
    let is_pop = reversible.iter().any(|m| {
        matches!(shape(m).map(|s| &s.form), Some(Form::Reversible { tag, autocommit, .. }) if tag.is_some() || *autocommit)
    }) || (!reversible.is_empty()
        && reversible
            .iter()
            .filter_map(shape)
            .all(|s| s.version.as_str().len() == POPX_VERSION_LEN));
    let is_dbmate = plain.iter().any(|m| dbmate::has_markers(m.file.text()));
    let is_goose = !is_dbmate
        && plain
            .iter()
            .any(|m| dbmate::has_goose_markers(m.file.text()));
    let mut sets = Vec::new();
    if is_pop {
        sets.extend(pop::sets(dir, reversible, options));
        if !plain.is_empty() {
            sets.push(plain_set(
                dir,
                plain,
                sectioned(is_dbmate, is_goose),
                options,
            ));
        }
        return sets;
    }
    let reversible_layout = if !plain.is_empty() && !is_dbmate && !is_goose {
        Layout::Sqlx
    } else {
        reversible_layout(&reversible)
    };
    let sections = sectioned(is_dbmate, is_goose);
    let mut plain_set = (!plain.is_empty()).then(|| plain_set(dir, plain, sections, options));
    if !reversible.is_empty() {
        match plain_set.as_mut().filter(|s| s.layout == reversible_layout) {
            Some(set) => add_reversible(&mut set.migrations, reversible),
            None => {
                let target = target_for(dir, file_name_hint(&reversible), options);
                let mut set = new_set(dir.to_path_buf(), reversible_layout, target);
                add_reversible(&mut set.migrations, reversible);
                sets.push(set);
            }
        }
    }
    sets.extend(plain_set);
    sets
}

/// sqlx-cli names reversible migrations with a 14-digit timestamp;
/// golang-migrate with short sequence numbers (or Unix times).
pub(super) fn reversible_layout(reversible: &[LoadedCandidate]) -> Layout {
    let timestamped = reversible
        .iter()
        .filter_map(shape)
        .all(|s| s.version.as_str().len() == 14);
    if timestamped {
        Layout::Sqlx
    } else {
        Layout::GolangMigrate
    }
}

/// How plain files split into up and down sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sectioned {
    /// One up script per file (sqlx).
    Whole,
    /// dbmate markers.
    Dbmate,
    /// goose markers.
    Goose,
}

pub(super) fn sectioned(is_dbmate: bool, is_goose: bool) -> Sectioned {
    if is_dbmate {
        Sectioned::Dbmate
    } else if is_goose {
        Sectioned::Goose
    } else {
        Sectioned::Whole
    }
}

pub(super) fn plain_set(
    dir: &Path,
    plain: Vec<LoadedCandidate>,
    sections: Sectioned,
    options: &DiscoverOptions,
) -> MigrationSet {
    let layout = match sections {
        Sectioned::Dbmate => Layout::Dbmate,
        Sectioned::Goose => Layout::Goose,
        Sectioned::Whole => Layout::Sqlx,
    };
    let target = target_for(dir, file_name_hint(&plain), options);
    let mut set = new_set(dir.to_path_buf(), layout, target);
    for loaded in plain {
        let Some(shape) = loaded.candidate.shape else {
            continue;
        };
        let mut migration = Migration::new(shape.version, shape.name, MigrationKind::Versioned);
        match sections {
            Sectioned::Whole => {
                migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
            }
            Sectioned::Dbmate | Sectioned::Goose => {
                dbmate::add_sections(&mut migration, loaded.file, sections == Sectioned::Goose);
            }
        }
        set.migrations.push(migration);
    }
    set
}
