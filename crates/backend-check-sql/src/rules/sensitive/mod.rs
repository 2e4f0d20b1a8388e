//! Checklist item `sec.sensitive-data`: passwords, tokens and card numbers
//! never stored in clear.

pub mod plaintext_sensitive_column;
