//! `sec.sensitive-data`: passwords and secrets never returned or logged in clear.

pub mod serialized_secret;
