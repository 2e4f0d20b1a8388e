//! `ap.hardcoded-config`: configuration that belongs in the environment.

pub mod hardcoded_config;
