//! `ap.blocking`: no blocking calls inside async code.

pub mod blocking_in_async;
