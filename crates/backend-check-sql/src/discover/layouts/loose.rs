//! A file of no known layout that the user named: one up migration.

use std::path::Path;

use super::super::dialect::{self, Target};
use super::super::{default_target, DiscoverOptions, LoadedCandidate};
use super::new_set;
use crate::model::{
    DialectSource, Direction, Layout, Migration, MigrationKind, MigrationSet, Script, Version,
};

pub(crate) fn set(loaded: LoadedCandidate, options: &DiscoverOptions) -> MigrationSet {
    let path = &loaded.candidate.path;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let hint = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(dialect::target_of_file_name);
    let target = match options.dialect {
        Some(dialect) => (Target::dialect(dialect), DialectSource::Config),
        None => hint
            .or_else(|| dialect::target_of_dir(options.relative(&dir)))
            .map_or_else(default_target, |t| (t, DialectSource::Path)),
    };
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut set = new_set(dir, Layout::Loose, target);
    let mut migration = Migration::new(Version::none(), name, MigrationKind::Versioned);
    migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
    set.migrations.push(migration);
    set
}
