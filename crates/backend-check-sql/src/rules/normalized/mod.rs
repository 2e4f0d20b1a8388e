//! Checklist item `db.normalized`: every table has a key, and columns hold
//! one value each.

pub mod list_in_text_column;
pub mod repeating_column_group;
pub mod table_without_primary_key;
