//! gobuffalo pop: `<version>_<name>[.<dialect>][.autocommit].{up,down}.sql`,
//! one set per dialect tag.

use std::collections::BTreeMap;
use std::path::Path;

use super::super::dialect;
use super::super::{target_for, DiscoverOptions, LoadedCandidate};
use super::{add_reversible, new_set, reversible_parts, shape};
use crate::model::{DialectSource, Direction, Layout, MigrationSet, Version};

pub(super) fn normalized_tag(tag: &str) -> &str {
    if tag == "sqlite" {
        "sqlite3"
    } else {
        tag
    }
}

/// pop: one set per dialect tag present, each with the tagged files of that
/// dialect plus the untagged ones, a tagged file replacing the untagged file
/// of the same migration. With a configured dialect only its set is built.
pub(super) fn sets(
    dir: &Path,
    files: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> Vec<MigrationSet> {
    let mut tags: Vec<&str> = files
        .iter()
        .filter_map(|f| reversible_parts(f).and_then(|(_, tag, _)| tag.map(normalized_tag)))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    if let Some(dialect) = options.dialect {
        tags.retain(|t| {
            dialect::target_of_word(t).is_some_and(|x| x.dialect == dialect && x.engine.is_none())
        });
    }
    let wanted: Vec<Option<&str>> = if tags.is_empty() {
        vec![None]
    } else {
        tags.into_iter().map(Some).collect()
    };
    wanted
        .into_iter()
        .map(|tag| set(dir, &files, tag, options))
        .collect()
}

pub(super) fn set(
    dir: &Path,
    files: &[LoadedCandidate],
    tag: Option<&str>,
    options: &DiscoverOptions,
) -> MigrationSet {
    let hint = tag.and_then(dialect::target_of_word);
    let target = match (options.dialect, hint) {
        (None, Some(hint)) => (hint, DialectSource::Path),
        _ => target_for(dir, hint, options),
    };
    let mut set = new_set(dir.to_path_buf(), Layout::Pop, target);
    let mut chosen: BTreeMap<(Version, String, Direction), (bool, &LoadedCandidate)> =
        BTreeMap::new();
    for loaded in files {
        let (Some(shape), Some((direction, file_tag, _))) =
            (shape(loaded), reversible_parts(loaded))
        else {
            continue;
        };
        let specific = match file_tag.map(normalized_tag) {
            None => false,
            Some(t) if Some(t) == tag => true,
            Some(_) => continue,
        };
        let key = (shape.version.clone(), shape.name.clone(), direction);
        match chosen.get(&key) {
            Some((true, _)) if !specific => {}
            _ => {
                chosen.insert(key, (specific, loaded));
            }
        }
    }
    let picked: Vec<LoadedCandidate> = chosen.into_values().map(|(_, l)| l.clone()).collect();
    add_reversible(&mut set.migrations, picked);
    set
}
