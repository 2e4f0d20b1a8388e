//! `ap.input-validation`: request data checked before use.

pub mod unvalidated_body;
