//! Checklist item `db.rollback`: down migrations that reverse their up.

pub mod down_does_not_reverse_up;
