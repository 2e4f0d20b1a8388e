//! `api.contract`: a valid, resolvable spec.

pub mod parse_error;
