//! Checklist item `db.migration-safety`: migrations that are safe to run on a
//! live database.

pub(crate) mod advice;
pub mod concurrently_in_transaction;
pub mod constraint_without_not_valid;
pub mod create_index_without_concurrently;
pub mod drop_index_without_concurrently;
pub mod duplicate_version;
pub(crate) mod fresh;
pub mod not_null_column_without_default;
pub mod parse_error;
pub mod rename_column_or_table;
