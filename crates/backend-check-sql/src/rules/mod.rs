//! Every rule of the SQL analyzer, by checklist item.

pub mod audit;
pub mod authz;
pub mod dialect;
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

use backend_check_core::RuleMeta;

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
pub use migration_safety::settled_migration_findings::SettledMigrationFindings;
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
