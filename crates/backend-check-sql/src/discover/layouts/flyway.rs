//! Flyway: `V<version>__<name>.sql`, undo `U…`, baseline `B…`, repeatable
//! `R__…`. refinery uses the same names; [`super::super::build_sets`] tells
//! the two apart by the crate's dependencies.

use std::path::PathBuf;

use super::super::name::Form;
use super::super::{file_name_hint, target_for, DiscoverOptions, LoadedCandidate};
use super::{new_set, shape};
use crate::model::{Direction, Layout, Migration, MigrationKind, MigrationSet, Script};

pub(super) fn flyway_prefix(loaded: &LoadedCandidate) -> Option<char> {
    match shape(loaded)?.form {
        Form::Flyway { prefix } => Some(prefix),
        _ => None,
    }
}

/// Flyway: `V`, `B` and `R` files are migrations; a `U` file undoes the `V`
/// migration of its version, or, with no such `V`, is a refinery unversioned
/// migration (an up script).
pub(crate) fn set(
    dir: PathBuf,
    members: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> MigrationSet {
    let target = target_for(&dir, file_name_hint(&members), options);
    let mut set = new_set(dir, Layout::Flyway, target);
    let (undo, apply): (Vec<_>, Vec<_>) = members
        .into_iter()
        .partition(|m| flyway_prefix(m) == Some('U'));
    for loaded in apply {
        let (Some(prefix), Some(shape)) = (flyway_prefix(&loaded), loaded.candidate.shape.clone())
        else {
            continue;
        };
        let kind = match prefix {
            'B' => MigrationKind::Baseline,
            'R' => MigrationKind::Repeatable,
            _ => MigrationKind::Versioned,
        };
        let mut migration = Migration::new(shape.version, shape.name, kind);
        migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
        set.migrations.push(migration);
    }
    for loaded in undo {
        let Some(shape) = loaded.candidate.shape.clone() else {
            continue;
        };
        let target = set.migrations.iter_mut().find(|m| {
            m.kind == MigrationKind::Versioned && m.version == shape.version && m.down.is_none()
        });
        match target {
            Some(migration) => {
                migration.down = Some(Script::whole(loaded.file, Direction::Down, false));
            }
            None => {
                let mut migration =
                    Migration::new(shape.version, shape.name, MigrationKind::Versioned);
                migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
                set.migrations.push(migration);
            }
        }
    }
    set
}
