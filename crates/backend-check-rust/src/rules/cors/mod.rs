//! `sec.cors`: no wildcard origins with credentials, no permissive layers.

pub mod permissive_cors;
