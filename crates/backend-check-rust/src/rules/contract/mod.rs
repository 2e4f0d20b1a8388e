//! `api.contract`: the source can be read at all.

pub mod parse_error;
