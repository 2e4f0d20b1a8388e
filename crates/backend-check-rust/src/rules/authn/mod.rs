//! `sec.authn`: authentication on every non-public route.

pub mod missing_authentication;
