//! Checklist item `db.normalized`: every table has a key.

pub mod table_without_primary_key;
