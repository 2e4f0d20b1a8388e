//! Every rule of the SQL analyzer, by checklist item.

pub mod migration_safety;

use backend_check_core::{guard, Diagnostic, RuleMeta, Sink};

use crate::discover::MigrationSet;
pub use migration_safety::create_index_without_concurrently::CreateIndexWithoutConcurrently;
pub use migration_safety::parse_error::ParseError;

/// Every rule of the SQL analyzer.
pub const RULES: &[&RuleMeta] = &[&ParseError::META, &CreateIndexWithoutConcurrently::META];

/// Runs the rules on one parsed set. Each migration runs under [`guard`], so
/// a bug shows as an internal error on its file and the other migrations go on.
pub(crate) fn check_set(set: &MigrationSet, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
    let mut internal = Vec::new();
    if sink.enabled(&ParseError::META) {
        for file in set.files() {
            if let Err(error) = guard(file, || {
                migration_safety::parse_error::check_file(set, file, sink)
            }) {
                internal.push(error);
            }
        }
    }
    if sink.enabled(&CreateIndexWithoutConcurrently::META) {
        for (index, migration) in set.migrations.iter().enumerate() {
            let Some(up) = &migration.up else {
                continue;
            };
            let checked = guard(&up.file, || {
                migration_safety::create_index_without_concurrently::check(set, index, sink);
            });
            if let Err(error) = checked {
                internal.push(error);
            }
        }
    }
    internal
}
