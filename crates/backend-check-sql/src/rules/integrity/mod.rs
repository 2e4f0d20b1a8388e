//! Checklist item `db.integrity`: foreign keys that reference a key, with
//! columns that can hold the keys they reference.

pub mod foreign_key_to_non_unique_column;
pub mod foreign_key_type_mismatch;
pub mod foreign_key_without_on_delete;
pub mod id_column_without_foreign_key;
