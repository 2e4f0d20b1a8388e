//! The machinery that runs the rules over a set: the walk over its
//! statements with the replayed schema ([`walk`]), the final schema
//! ([`end_of_set`]), and what the history of a set does to its findings
//! ([`history`]).

pub(crate) mod end_of_set;
pub(crate) mod fresh;
pub mod history;
pub(crate) mod walk;

use backend_check_core::{guard, Diagnostic, RuleMeta, Sink};

use crate::model::{Migration, MigrationSet, Script};
use crate::rules::{
    migration_safety, rollback, ConcurrentlyInTransaction, ConstraintWithoutNotValid,
    CreateIndexWithoutConcurrently, DownCannotRun, DownDoesNotReverseUp,
    DropIndexWithoutConcurrently, DuplicateMigrationVersion, InvalidStatement, MigrationVersionGap,
    MissingSemicolon, NotNullColumnWithoutDefault, ParseError, RenameColumnOrTable,
};

/// Runs the rules on one parsed set. Each migration runs under [`guard`], so
/// a bug shows as an internal error on its file and the other migrations go on.
pub(crate) fn check_set(set: &MigrationSet, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
    let mut internal = Vec::new();
    migration_safety::check_walked(set, sink, &mut internal);
    if sink.enabled(&ParseError::META) {
        for file in set.files() {
            if let Err(error) = guard(file, || {
                migration_safety::parse_error::check_file(set, file, sink)
            }) {
                internal.push(error);
            }
        }
    }
    if sink.enabled(&MissingSemicolon::META) {
        for file in set.files() {
            if let Err(error) = guard(file, || {
                migration_safety::missing_semicolon::check_file(set, file, sink)
            }) {
                internal.push(error);
            }
        }
    }
    if sink.enabled(&InvalidStatement::META) {
        for file in set.files() {
            if let Err(error) = guard(file, || {
                migration_safety::invalid_statement::check_file(set, file, sink)
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
    if sink.enabled(&MigrationVersionGap::META) {
        if let Some(file) = set.files().first() {
            if let Err(error) = guard(file, || migration_safety::version_gap::check(set, sink)) {
                internal.push(error);
            }
        }
    }
    if sink.enabled(&DuplicateMigrationVersion::META) {
        if let Some(file) = set.files().first() {
            if let Err(error) = guard(file, || {
                migration_safety::duplicate_version::check(set, sink)
            }) {
                internal.push(error);
            }
        }
    }
    for_each_up(
        set,
        sink,
        &mut internal,
        &DropIndexWithoutConcurrently::META,
        |index, sink| {
            migration_safety::drop_index_without_concurrently::check(set, index, sink);
        },
    );
    for_each_up(
        set,
        sink,
        &mut internal,
        &ConstraintWithoutNotValid::META,
        |index, sink| {
            migration_safety::constraint_without_not_valid::check(set, index, sink);
        },
    );
    for_each_up(
        set,
        sink,
        &mut internal,
        &NotNullColumnWithoutDefault::META,
        |index, sink| {
            migration_safety::not_null_column_without_default::check(set, index, sink);
        },
    );
    for_each_up(
        set,
        sink,
        &mut internal,
        &RenameColumnOrTable::META,
        |index, sink| {
            migration_safety::rename_column_or_table::check(set, index, sink);
        },
    );
    if sink.enabled(&DownCannotRun::META) {
        if let Some(file) = set.files().first() {
            if let Err(error) = guard(file, || {
                rollback::down_cannot_run::check_set(set, sink);
            }) {
                internal.push(error);
            }
        }
    }
    if sink.enabled(&DownDoesNotReverseUp::META) {
        if let Some(file) = set.files().first() {
            if let Err(error) = guard(file, || {
                rollback::down_does_not_reverse_up::check_set(set, sink);
            }) {
                internal.push(error);
            }
        }
    }
    for_each_script(
        set,
        sink,
        &mut internal,
        &ConcurrentlyInTransaction::META,
        |script, sink| {
            migration_safety::concurrently_in_transaction::check(set, script, sink);
        },
    );
    end_of_set::run(set, sink, &mut internal);
    internal
}

/// Runs a per-migration check on every migration with an up script, each
/// under [`guard`], when its rule is enabled.
fn for_each_up(
    set: &MigrationSet,
    sink: &mut Sink<'_>,
    internal: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    mut check: impl FnMut(usize, &mut Sink<'_>),
) {
    if !sink.enabled(rule) {
        return;
    }
    for (index, migration) in set.migrations.iter().enumerate() {
        let Some(up) = &migration.up else {
            continue;
        };
        if let Err(error) = guard(&up.file, || check(index, sink)) {
            internal.push(error);
        }
    }
}

/// Runs a per-script check on every up and down script of a set, each under
/// [`guard`], when its rule is enabled.
fn for_each_script(
    set: &MigrationSet,
    sink: &mut Sink<'_>,
    internal: &mut Vec<Diagnostic>,
    rule: &RuleMeta,
    mut check: impl FnMut(&Script, &mut Sink<'_>),
) {
    if !sink.enabled(rule) {
        return;
    }
    for script in set.migrations.iter().flat_map(Migration::scripts) {
        if let Err(error) = guard(&script.file, || check(script, sink)) {
            internal.push(error);
        }
    }
}
