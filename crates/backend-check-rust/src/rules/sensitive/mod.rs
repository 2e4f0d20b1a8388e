//! `sec.sensitive-data`: passwords and secrets never stored, returned or logged in clear.

pub mod insecure_random;
mod names;
pub mod sensitive_logging;
pub mod serialized_secret;
pub mod weak_password_hash;
