//! OpenAPI checks for cargo-backend-check: Swagger 2.0, OpenAPI 3.0 and 3.1
//! documents in YAML or JSON are parsed into a span tree (every key and value
//! with its exact byte span), a small API model is built on that tree, and the
//! rules read the model.

mod allow;
mod analyze;
mod analyzer;
pub mod inventory;
pub mod load;
pub mod model;
pub mod rules;
mod sniff;
pub mod validate;

pub use analyzer::OpenApiAnalyzer;
use backend_check_core::RuleMeta;
pub use inventory::{ApiOperation, ApiParameter, Document, OpenApiModel, SchemeUse};

pub use allow::ALLOW_KEY;
pub use analyze::analyze;
pub use sniff::is_openapi_document;

/// Every rule of the OpenAPI analyzer, the parse-error rule included.
pub const RULES: &[&RuleMeta] = rules::RULES;

/// How the rules of Spectral, its OWASP ruleset and Redocly map to ours (Markdown).
pub const PEERS: &str = include_str!("../PEERS.md");

#[cfg(test)]
mod tests;
