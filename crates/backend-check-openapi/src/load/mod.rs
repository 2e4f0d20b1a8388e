//! Loading: a document's text to a span tree, where every key and value
//! keeps its exact byte span in the file. Nothing here depends on a typed
//! parse of the OpenAPI model.

pub mod docs;
pub mod json;
pub mod pointer;
pub mod tree;
pub mod yaml;

use std::path::Path;

use backend_check_core::Span;

pub use docs::{At, Deref, DocFile, Docs, FileId, FileTarget, RefSite};
pub use tree::{Children, Entry, EntryKind, Location, Node, NodeId, Tree, Value};

/// The syntax a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YAML (also used for files of unknown extension, YAML being a superset of JSON).
    Yaml,
    /// JSON.
    Json,
}

impl Format {
    /// The format a path's extension names: `.json` is JSON, anything else YAML.
    pub fn of_path(path: &Path) -> Format {
        let is_json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Format::Json
        } else {
            Format::Yaml
        }
    }
}

/// Why a document could not be parsed, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Where the parser stopped (usually empty, at the offending byte).
    pub span: Span,
    /// What the parser says, lower-case.
    pub message: String,
}

/// Parses a document's text into a span tree.
pub fn parse(text: &str, format: Format) -> Result<Tree<'_>, SyntaxError> {
    match format {
        Format::Yaml => yaml::parse(text),
        Format::Json => json::parse(text),
    }
}
