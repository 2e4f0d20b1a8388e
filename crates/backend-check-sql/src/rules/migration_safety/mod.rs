//! Checklist item `db.migration-safety`: migrations that are safe to run on a
//! live database.

pub(crate) mod advice;
pub mod alter_identity;
pub mod column_default_rewrites_table;
pub mod column_type_change_rewrites_table;
pub mod concurrently_in_transaction;
pub mod constraint_without_not_valid;
pub mod create_index_without_concurrently;
pub mod detach_partition_without_concurrently;
pub mod domain_constraint_without_not_valid;
pub mod domain_with_constraint;
pub mod drop_constraint;
pub mod drop_database;
pub mod drop_default;
pub mod drop_generated_expression;
pub mod drop_index_without_concurrently;
pub mod drop_not_null;
pub mod drop_object;
pub mod drop_table_or_column;
pub(crate) mod drops;
pub mod duplicate_column_assignment;
pub mod duplicate_version;
pub mod enum_value_in_transaction;
pub mod enum_value_without_position;
pub mod identifier_too_long;
pub mod invalid_statement;
pub mod missing_lock_timeout;
pub mod missing_semicolon;
pub mod missing_statement_timeout;
pub mod nested_transaction;
pub mod non_idempotent_statement;
pub mod not_null_column_without_default;
pub mod parse_error;
pub mod rename_column_or_table;
pub mod rename_or_move_object;
pub mod set_not_null_without_check;
pub mod settled_migration_findings;
pub mod truncate_cascade;
pub mod unclosed_transaction;
pub mod unique_constraint_without_index;
pub mod vacuum_full_or_cluster;
pub mod version_gap;
pub(crate) mod words;

use backend_check_core::{Diagnostic, Sink};

use crate::engine::walk::{self, ScriptRule, StatementRule};
use crate::model::{Direction, MigrationSet};

/// The statement-level rules of the shared walk (SQL009 on).
const STATEMENT_RULES: &[StatementRule] = &[
    (
        &unique_constraint_without_index::UniqueConstraintWithoutIndex::META,
        unique_constraint_without_index::check,
    ),
    (
        &column_default_rewrites_table::ColumnDefaultRewritesTable::META,
        column_default_rewrites_table::check,
    ),
    (
        &set_not_null_without_check::SetNotNullWithoutCheck::META,
        set_not_null_without_check::check,
    ),
    (
        &column_type_change_rewrites_table::ColumnTypeChangeRewritesTable::META,
        column_type_change_rewrites_table::check,
    ),
    (
        &drop_table_or_column::DropTableOrColumn::META,
        drop_table_or_column::check,
    ),
    (&drop_database::DropDatabase::META, drop_database::check),
    (&drop_object::DropObject::META, drop_object::check),
    (
        &drop_constraint::DropConstraint::META,
        drop_constraint::check,
    ),
    (
        &truncate_cascade::TruncateCascade::META,
        truncate_cascade::check,
    ),
    (
        &enum_value_in_transaction::EnumValueInTransaction::META,
        enum_value_in_transaction::check,
    ),
    (
        &identifier_too_long::IdentifierTooLong::META,
        identifier_too_long::check,
    ),
    (
        &detach_partition_without_concurrently::DetachPartitionWithoutConcurrently::META,
        detach_partition_without_concurrently::check,
    ),
    (
        &non_idempotent_statement::NonIdempotentStatement::META,
        non_idempotent_statement::check,
    ),
    (
        &duplicate_column_assignment::DuplicateColumnAssignment::META,
        duplicate_column_assignment::check,
    ),
    (
        &vacuum_full_or_cluster::VacuumFullOrCluster::META,
        vacuum_full_or_cluster::check,
    ),
    (
        &domain_constraint_without_not_valid::DomainConstraintWithoutNotValid::META,
        domain_constraint_without_not_valid::check,
    ),
    (
        &rename_or_move_object::RenameOrMoveObject::META,
        rename_or_move_object::check,
    ),
    (&alter_identity::AlterIdentity::META, alter_identity::check),
    (
        &domain_with_constraint::DomainWithConstraint::META,
        domain_with_constraint::check,
    ),
    (&drop_not_null::DropNotNull::META, drop_not_null::check),
    (&drop_default::DropDefault::META, drop_default::check),
    (
        &drop_generated_expression::DropGeneratedExpression::META,
        drop_generated_expression::check,
    ),
    (
        &enum_value_without_position::EnumValueWithoutPosition::META,
        enum_value_without_position::check,
    ),
    (
        &crate::rules::rollback::irreversible_data_loss::IrreversibleDataLoss::META,
        crate::rules::rollback::irreversible_data_loss::check,
    ),
    (
        &crate::rules::dialect::sqlite_unsupported_alter_table::SqliteUnsupportedAlterTable::META,
        crate::rules::dialect::sqlite_unsupported_alter_table::check,
    ),
    (
        &crate::rules::dialect::mysql_alter_table_copies_table::MysqlAlterTableCopiesTable::META,
        crate::rules::dialect::mysql_alter_table_copies_table::check,
    ),
];

/// The script-level rules of the shared walk.
const SCRIPT_RULES: &[ScriptRule] = &[
    (
        &missing_lock_timeout::MissingLockTimeout::META,
        Direction::Up,
        missing_lock_timeout::check,
    ),
    (
        &nested_transaction::NestedTransaction::META,
        Direction::Down,
        nested_transaction::check,
    ),
    (
        &unclosed_transaction::UnclosedTransaction::META,
        Direction::Down,
        unclosed_transaction::check,
    ),
    (
        &missing_statement_timeout::MissingStatementTimeout::META,
        Direction::Up,
        missing_statement_timeout::check,
    ),
];

/// Runs the rules of the shared walk (SQL009 on) over a set.
pub(crate) fn check_walked(
    set: &MigrationSet,
    sink: &mut Sink<'_>,
    internal: &mut Vec<Diagnostic>,
) {
    walk::run(set, STATEMENT_RULES, SCRIPT_RULES, sink, internal);
}
