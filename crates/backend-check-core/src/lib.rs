//! The core of cargo-backend-check: diagnostics, rule metadata, the
//! checklists, configuration, rule selection and suppressions. The analyzers
//! build on it; the binary renders what they produce.

mod analysis;
mod checklist;
mod config;
mod diagnostic;
mod group;
mod registry;
mod rule;
pub mod rules;
mod selection;
mod severity;
mod source;
mod sources;
pub mod suggest;
mod suppress;
pub mod testing;

pub use analysis::{
    guard, inside_guard, AnalysisOutput, Analyzer, AnalyzerInput, Claim, Model, Sink,
};
pub use checklist::{Checklist, ChecklistArea, NOT_STATIC};
pub use config::{
    Config, ConfigError, ConfigSource, DeployMode, LoadedConfig, OpenApiConfig, RustConfig,
    SqlConfig, SqlDialect, CONFIG_FILE_NAME, DEFAULT_RECENT_MIGRATIONS,
};
pub use diagnostic::{Diagnostic, Label};
pub use group::Group;
pub use registry::{run_rule, CheckOutput, RuleContext};
pub use rule::{AnalyzerKind, RuleMeta, DOCS_BASE_URL, DOC_HEADINGS};
pub use selection::{RuleSelection, Selector, UnknownSelector};
pub use severity::{FailOn, Severity};
pub use source::{decode as decode_text, CommentStyle, LineCol, LoadedSource, SourceFile, Span};
pub use sources::{normalize as normalize_path, EntryKind, FileSystem, Overlay, SkipDir, Sources};
pub use suppress::{apply_allows, comment_allows, Allow, AllowEntry, AllowScope, ALLOW_MARKER};
/// Values of the configuration file, with their byte spans.
pub use toml::Spanned;

/// The path shown to the user: relative to the working directory when the file
/// lies below it, with `/` separators.
pub fn display_path(path: &std::path::Path) -> String {
    match std::env::current_dir() {
        Ok(cwd) => relative_display_path(path, &cwd),
        Err(_) => relative_display_path(path, std::path::Path::new("")),
    }
}

/// `path` relative to `base` when it lies below it, with `/` separators.
pub fn relative_display_path(path: &std::path::Path, base: &std::path::Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}
