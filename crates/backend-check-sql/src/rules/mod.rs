//! Every rule of the SQL analyzer, by checklist item.

pub mod audit;
pub mod authz;
pub mod dialect;
pub(crate) mod end_of_set;
pub mod indexes;
pub mod integrity;
pub mod migration_safety;
pub mod normalized;
pub mod performance;
pub mod rollback;
pub mod sensitive;
pub mod sqli;
#[cfg(test)]
mod tests_dialects;

use backend_check_core::{guard, Diagnostic, RuleMeta, Sink};

use crate::discover::{Migration, MigrationSet, Script};
pub use audit::missing_audit_columns::MissingAuditColumns;
pub use authz::disable_row_level_security::DisableRowLevelSecurity;
pub use authz::grant_all_privileges::GrantAllPrivileges;
pub use authz::grant_to_public::GrantToPublic;
pub use authz::hardcoded_role_password::HardcodedRolePassword;
pub use authz::permissive_policy::PermissivePolicy;
pub use authz::security_definer_without_search_path::SecurityDefinerWithoutSearchPath;
pub use dialect::mysql_alter_table_copies_table::MysqlAlterTableCopiesTable;
pub use dialect::sqlite_unsupported_alter_table::SqliteUnsupportedAlterTable;
pub use indexes::duplicate_index::DuplicateIndex;
pub use indexes::foreign_key_without_index::ForeignKeyWithoutIndex;
pub use indexes::redundant_prefix_index::RedundantPrefixIndex;
pub use integrity::foreign_key_to_non_unique_column::ForeignKeyToNonUniqueColumn;
pub use integrity::foreign_key_type_mismatch::ForeignKeyTypeMismatch;
pub use integrity::foreign_key_without_on_delete::ForeignKeyWithoutOnDelete;
pub use integrity::id_column_without_foreign_key::IdColumnWithoutForeignKey;
pub use migration_safety::alter_identity::AlterIdentity;
pub use migration_safety::column_default_rewrites_table::ColumnDefaultRewritesTable;
pub use migration_safety::column_type_change_rewrites_table::ColumnTypeChangeRewritesTable;
pub use migration_safety::concurrently_in_transaction::ConcurrentlyInTransaction;
pub use migration_safety::constraint_without_not_valid::ConstraintWithoutNotValid;
pub use migration_safety::create_index_without_concurrently::CreateIndexWithoutConcurrently;
pub use migration_safety::detach_partition_without_concurrently::DetachPartitionWithoutConcurrently;
pub use migration_safety::domain_constraint_without_not_valid::DomainConstraintWithoutNotValid;
pub use migration_safety::domain_with_constraint::DomainWithConstraint;
pub use migration_safety::drop_constraint::DropConstraint;
pub use migration_safety::drop_database::DropDatabase;
pub use migration_safety::drop_default::DropDefault;
pub use migration_safety::drop_generated_expression::DropGeneratedExpression;
pub use migration_safety::drop_index_without_concurrently::DropIndexWithoutConcurrently;
pub use migration_safety::drop_not_null::DropNotNull;
pub use migration_safety::drop_object::DropObject;
pub use migration_safety::drop_table_or_column::DropTableOrColumn;
pub use migration_safety::duplicate_column_assignment::DuplicateColumnAssignment;
pub use migration_safety::duplicate_version::DuplicateMigrationVersion;
pub use migration_safety::enum_value_in_transaction::EnumValueInTransaction;
pub use migration_safety::enum_value_without_position::EnumValueWithoutPosition;
pub use migration_safety::history::SettledMigrationFindings;
pub use migration_safety::identifier_too_long::IdentifierTooLong;
pub use migration_safety::invalid_statement::InvalidStatement;
pub use migration_safety::missing_lock_timeout::MissingLockTimeout;
pub use migration_safety::missing_semicolon::MissingSemicolon;
pub use migration_safety::missing_statement_timeout::MissingStatementTimeout;
pub use migration_safety::nested_transaction::NestedTransaction;
pub use migration_safety::non_idempotent_statement::NonIdempotentStatement;
pub use migration_safety::not_null_column_without_default::NotNullColumnWithoutDefault;
pub use migration_safety::parse_error::ParseError;
pub use migration_safety::rename_column_or_table::RenameColumnOrTable;
pub use migration_safety::rename_or_move_object::RenameOrMoveObject;
pub use migration_safety::set_not_null_without_check::SetNotNullWithoutCheck;
pub use migration_safety::truncate_cascade::TruncateCascade;
pub use migration_safety::unclosed_transaction::UnclosedTransaction;
pub use migration_safety::unique_constraint_without_index::UniqueConstraintWithoutIndex;
pub use migration_safety::vacuum_full_or_cluster::VacuumFullOrCluster;
pub use migration_safety::version_gap::MigrationVersionGap;
pub use normalized::list_in_text_column::ListInTextColumn;
pub use normalized::repeating_column_group::RepeatingColumnGroup;
pub use normalized::table_without_primary_key::TableWithoutPrimaryKey;
pub use performance::ban_char_type::BanCharType;
pub use performance::ban_money_type::BanMoneyType;
pub use performance::prefer_bigint_key::PreferBigintKey;
pub use performance::prefer_identity::PreferIdentity;
pub use performance::prefer_jsonb::PreferJsonb;
pub use performance::prefer_text_over_varchar::PreferTextOverVarchar;
pub use performance::prefer_timestamptz::PreferTimestamptz;
pub use rollback::down_cannot_run::DownCannotRun;
pub use rollback::down_does_not_reverse_up::DownDoesNotReverseUp;
pub use rollback::empty_down_migration::EmptyDownMigration;
pub use rollback::irreversible_data_loss::IrreversibleDataLoss;
pub use rollback::missing_down_migration::MissingDownMigration;
pub use sensitive::plaintext_sensitive_column::PlaintextSensitiveColumn;
pub use sqli::execute_concatenated_sql::ExecuteConcatenatedSql;

/// Every rule of the SQL analyzer.
pub const RULES: &[&RuleMeta] = &[
    &ParseError::META,
    &MissingSemicolon::META,
    &InvalidStatement::META,
    &MigrationVersionGap::META,
    &CreateIndexWithoutConcurrently::META,
    &ConcurrentlyInTransaction::META,
    &DuplicateMigrationVersion::META,
    &DropIndexWithoutConcurrently::META,
    &ConstraintWithoutNotValid::META,
    &DownDoesNotReverseUp::META,
    &NotNullColumnWithoutDefault::META,
    &RenameColumnOrTable::META,
    &UniqueConstraintWithoutIndex::META,
    &ColumnDefaultRewritesTable::META,
    &SetNotNullWithoutCheck::META,
    &ColumnTypeChangeRewritesTable::META,
    &DropTableOrColumn::META,
    &DropDatabase::META,
    &DropObject::META,
    &DropConstraint::META,
    &TruncateCascade::META,
    &EnumValueInTransaction::META,
    &MissingLockTimeout::META,
    &NestedTransaction::META,
    &UnclosedTransaction::META,
    &IdentifierTooLong::META,
    &DetachPartitionWithoutConcurrently::META,
    &NonIdempotentStatement::META,
    &DuplicateColumnAssignment::META,
    &VacuumFullOrCluster::META,
    &DomainConstraintWithoutNotValid::META,
    &RenameOrMoveObject::META,
    &AlterIdentity::META,
    &DomainWithConstraint::META,
    &DropNotNull::META,
    &DropDefault::META,
    &DropGeneratedExpression::META,
    &EnumValueWithoutPosition::META,
    &MissingStatementTimeout::META,
    &ForeignKeyWithoutIndex::META,
    &DuplicateIndex::META,
    &RedundantPrefixIndex::META,
    &MissingDownMigration::META,
    &EmptyDownMigration::META,
    &PreferBigintKey::META,
    &PreferIdentity::META,
    &PreferTextOverVarchar::META,
    &BanCharType::META,
    &PreferTimestamptz::META,
    &BanMoneyType::META,
    &PreferJsonb::META,
    &PlaintextSensitiveColumn::META,
    &TableWithoutPrimaryKey::META,
    &ForeignKeyTypeMismatch::META,
    &ExecuteConcatenatedSql::META,
    &GrantToPublic::META,
    &GrantAllPrivileges::META,
    &DisableRowLevelSecurity::META,
    &PermissivePolicy::META,
    &SecurityDefinerWithoutSearchPath::META,
    &HardcodedRolePassword::META,
    &ForeignKeyToNonUniqueColumn::META,
    &RepeatingColumnGroup::META,
    &ListInTextColumn::META,
    &IrreversibleDataLoss::META,
    &IdColumnWithoutForeignKey::META,
    &ForeignKeyWithoutOnDelete::META,
    &MissingAuditColumns::META,
    &SqliteUnsupportedAlterTable::META,
    &MysqlAlterTableCopiesTable::META,
    &DownCannotRun::META,
    &SettledMigrationFindings::META,
];

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
