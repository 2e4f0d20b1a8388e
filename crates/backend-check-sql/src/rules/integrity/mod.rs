//! Checklist item `db.integrity`: foreign keys that reference a key, with
//! columns that can hold the keys they reference.

pub mod foreign_key_to_non_unique_column;
pub mod foreign_key_type_mismatch;
