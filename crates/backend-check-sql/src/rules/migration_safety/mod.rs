//! Checklist item `db.migration-safety`: migrations that are safe to run on a
//! live database.

pub mod create_index_without_concurrently;
pub mod parse_error;
