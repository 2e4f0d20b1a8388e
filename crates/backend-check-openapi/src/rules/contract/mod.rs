pub mod duplicate_operation_id;
pub mod parse_error;
pub mod remote_ref;
pub mod unresolved_ref;
