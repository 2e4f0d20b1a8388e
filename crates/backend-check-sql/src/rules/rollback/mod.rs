//! Checklist item `db.rollback`: down migrations that reverse their up.

pub mod down_cannot_run;
pub mod down_does_not_reverse_up;
pub mod empty_down_migration;
pub mod irreversible_data_loss;
pub mod missing_down_migration;
