//! `sec.transport`: TLS verification stays on.

pub mod tls_verification_disabled;
