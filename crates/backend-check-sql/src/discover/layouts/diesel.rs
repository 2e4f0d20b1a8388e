//! diesel: `<version>_<name>/{up,down}.sql`, with an optional
//! `metadata.toml` beside them.

use std::path::PathBuf;

use super::super::name::Form;
use super::super::{target_for, DiscoverOptions, LoadedCandidate};
use super::{find_or_add, new_set};
use crate::model::{Layout, MigrationSet, Script, Version};

/// diesel orders migrations by the text of their version with the dashes
/// removed (`2024-03-13` is `20240313`, after `20240312093000` and before
/// `20240313170000`), not by number.
pub(crate) fn order(version: &Version) -> String {
    version.as_str().replace('-', "")
}

pub(crate) fn set(
    dir: PathBuf,
    members: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> MigrationSet {
    let target = target_for(&dir, None, options);
    let mut set = new_set(dir, Layout::Diesel, target);
    for loaded in members {
        let Some(shape) = loaded.candidate.shape.clone() else {
            continue;
        };
        let Form::Diesel { direction } = shape.form else {
            continue;
        };
        let metadata = loaded
            .candidate
            .path
            .parent()
            .map(|p| p.join("metadata.toml"))
            .filter(|p| options.sources.is_file(p));
        let migration = find_or_add(&mut set.migrations, &shape.version, &shape.name, |m| {
            m.script(direction).is_none()
        });
        migration.diesel_metadata = migration.diesel_metadata.take().or(metadata);
        *migration.slot(direction) = Some(Script::whole(loaded.file, direction, false));
    }
    set
}
