//! `sec.secrets`: keys, passwords and tokens not in source.

pub mod hardcoded_secret;
pub mod secret_named_literal;
