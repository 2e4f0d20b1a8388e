//! Every rule of the SQL analyzer: a folder per checklist item, a file per
//! rule, and the one list below, which makes the `pub use`s, [`RULES`] and the
//! [`Registry`] the engine calls. A new rule is its file (its `pub mod` line
//! in its folder) and one line here.

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

use crate::engine::registry::declare_rules;

declare_rules! {
    migration_safety::parse_error::ParseError,
    migration_safety::missing_semicolon::MissingSemicolon,
    migration_safety::invalid_statement::InvalidStatement,
    migration_safety::version_gap::MigrationVersionGap,
    migration_safety::create_index_without_concurrently::CreateIndexWithoutConcurrently,
    migration_safety::concurrently_in_transaction::ConcurrentlyInTransaction,
    migration_safety::duplicate_version::DuplicateMigrationVersion,
    migration_safety::drop_index_without_concurrently::DropIndexWithoutConcurrently,
    migration_safety::constraint_without_not_valid::ConstraintWithoutNotValid,
    rollback::down_does_not_reverse_up::DownDoesNotReverseUp,
    migration_safety::not_null_column_without_default::NotNullColumnWithoutDefault,
    migration_safety::rename_column_or_table::RenameColumnOrTable,
    migration_safety::unique_constraint_without_index::UniqueConstraintWithoutIndex,
    migration_safety::column_default_rewrites_table::ColumnDefaultRewritesTable,
    migration_safety::set_not_null_without_check::SetNotNullWithoutCheck,
    migration_safety::column_type_change_rewrites_table::ColumnTypeChangeRewritesTable,
    migration_safety::drop_table_or_column::DropTableOrColumn,
    migration_safety::drop_database::DropDatabase,
    migration_safety::drop_object::DropObject,
    migration_safety::drop_constraint::DropConstraint,
    migration_safety::truncate_cascade::TruncateCascade,
    migration_safety::enum_value_in_transaction::EnumValueInTransaction,
    migration_safety::missing_lock_timeout::MissingLockTimeout,
    migration_safety::nested_transaction::NestedTransaction,
    migration_safety::unclosed_transaction::UnclosedTransaction,
    migration_safety::identifier_too_long::IdentifierTooLong,
    migration_safety::detach_partition_without_concurrently::DetachPartitionWithoutConcurrently,
    migration_safety::non_idempotent_statement::NonIdempotentStatement,
    migration_safety::duplicate_column_assignment::DuplicateColumnAssignment,
    migration_safety::vacuum_full_or_cluster::VacuumFullOrCluster,
    migration_safety::domain_constraint_without_not_valid::DomainConstraintWithoutNotValid,
    migration_safety::rename_or_move_object::RenameOrMoveObject,
    migration_safety::alter_identity::AlterIdentity,
    migration_safety::domain_with_constraint::DomainWithConstraint,
    migration_safety::drop_not_null::DropNotNull,
    migration_safety::drop_default::DropDefault,
    migration_safety::drop_generated_expression::DropGeneratedExpression,
    migration_safety::enum_value_without_position::EnumValueWithoutPosition,
    migration_safety::missing_statement_timeout::MissingStatementTimeout,
    indexes::foreign_key_without_index::ForeignKeyWithoutIndex,
    indexes::duplicate_index::DuplicateIndex,
    indexes::redundant_prefix_index::RedundantPrefixIndex,
    rollback::missing_down_migration::MissingDownMigration,
    rollback::empty_down_migration::EmptyDownMigration,
    performance::prefer_bigint_key::PreferBigintKey,
    performance::prefer_identity::PreferIdentity,
    performance::prefer_text_over_varchar::PreferTextOverVarchar,
    performance::ban_char_type::BanCharType,
    performance::prefer_timestamptz::PreferTimestamptz,
    performance::ban_money_type::BanMoneyType,
    performance::prefer_jsonb::PreferJsonb,
    sensitive::plaintext_sensitive_column::PlaintextSensitiveColumn,
    normalized::table_without_primary_key::TableWithoutPrimaryKey,
    integrity::foreign_key_type_mismatch::ForeignKeyTypeMismatch,
    sqli::execute_concatenated_sql::ExecuteConcatenatedSql,
    authz::grant_to_public::GrantToPublic,
    authz::grant_all_privileges::GrantAllPrivileges,
    authz::disable_row_level_security::DisableRowLevelSecurity,
    authz::permissive_policy::PermissivePolicy,
    authz::security_definer_without_search_path::SecurityDefinerWithoutSearchPath,
    authz::hardcoded_role_password::HardcodedRolePassword,
    integrity::foreign_key_to_non_unique_column::ForeignKeyToNonUniqueColumn,
    normalized::repeating_column_group::RepeatingColumnGroup,
    normalized::list_in_text_column::ListInTextColumn,
    rollback::irreversible_data_loss::IrreversibleDataLoss,
    integrity::id_column_without_foreign_key::IdColumnWithoutForeignKey,
    integrity::foreign_key_without_on_delete::ForeignKeyWithoutOnDelete,
    audit::missing_audit_columns::MissingAuditColumns,
    dialect::sqlite_unsupported_alter_table::SqliteUnsupportedAlterTable,
    dialect::mysql_alter_table_copies_table::MysqlAlterTableCopiesTable,
    rollback::down_cannot_run::DownCannotRun,
    migration_safety::settled_migration_findings::SettledMigrationFindings,
}
