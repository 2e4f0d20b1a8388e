//! `sec.authn`: authentication on every non-public route.

pub mod known_auth;
pub mod missing_authentication;
