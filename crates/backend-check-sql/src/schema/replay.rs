//! Replaying a migration set, in one pass.

use super::Catalog;
use crate::model::{Direction, MigrationSet};

/// Applies the up script of every migration of a set in order (versioned,
/// baseline and repeatable, as the set orders them), calling `after` with the
/// migration's index and the catalog once its up script has run; returns the
/// final catalog. Objects carry the [`super::Origin`] of their definition.
pub fn replay_each(set: &MigrationSet, mut after: impl FnMut(usize, &Catalog)) -> Catalog {
    let mut catalog = Catalog::for_set(set);
    for (index, migration) in set.migrations.iter().enumerate() {
        catalog.set_origin(index, 0);
        if let Some(up) = migration.script(Direction::Up) {
            catalog.apply_all(&up.statements);
        }
        after(index, &catalog);
    }
    catalog
}
