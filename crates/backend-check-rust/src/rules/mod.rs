//! Every rule of the Rust analyzer, one file each, in a folder per checklist item.

pub mod contract;
pub mod error_handling;

use backend_check_core::RuleMeta;

pub use contract::parse_error::ParseError;
pub use error_handling::unwrap_in_handler::UnwrapInHandler;

/// Every rule of the Rust analyzer.
pub const RULES: &[&RuleMeta] = &[&ParseError::META, &UnwrapInHandler::META];
