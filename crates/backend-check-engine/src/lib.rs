//! The engine of cargo-backend-check: one run of the checks, without a
//! command line. [`Engine::check`] takes a [`Session`] (the folder, the paths,
//! the selection a user asked for), loads the configuration, discovers the
//! files, runs every analyzer of [`ANALYZERS`] side by side, applies
//! suppressions and sorts the findings into a [`Report`]. The CLI parses
//! arguments into a `Session` and renders the `Report`; an editor integration
//! or the pull-request gate can do the same without it.

mod discover;
mod engine;
pub mod fingerprint;
mod git;
mod session;

use backend_check_core::{Analyzer, RuleMeta};

pub use discover::{discover, DiscoverError, Discovered};
pub use engine::{load_config, load_config_in, Engine, FileCounts, Models, Report, ToolError};
pub use git::{GitError, GitTree};
pub use session::Session;

/// Every analyzer, in the order their rules are listed. A new analyzer is one
/// more entry here.
pub static ANALYZERS: &[&dyn Analyzer] = &[
    &backend_check_openapi::OpenApiAnalyzer,
    &backend_check_sql::SqlAnalyzer,
    &backend_check_rust::RustAnalyzer,
];

/// Every rule the tool has: each analyzer's, then the tool's own.
pub fn all_rules() -> Vec<&'static RuleMeta> {
    let mut rules: Vec<&'static RuleMeta> = Vec::new();
    for analyzer in ANALYZERS {
        rules.extend_from_slice(analyzer.rules());
    }
    rules.extend_from_slice(backend_check_core::rules::TOOL_RULES);
    rules
}
