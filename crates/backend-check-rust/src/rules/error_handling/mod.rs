//! `ap.error-handling`: no panics in request paths.

pub mod unwrap_in_handler;
