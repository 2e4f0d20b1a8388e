//! Checklist item `db.integrity`: foreign keys whose columns can hold the
//! keys they reference.

pub mod foreign_key_type_mismatch;
