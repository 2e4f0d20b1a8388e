//! `ap.input-validation` and `sec.input`: request data checked before use.

pub mod command_injection;
pub mod path_traversal;
mod tainted;
pub mod unvalidated_body;
