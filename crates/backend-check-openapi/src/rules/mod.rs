//! Every OpenAPI rule, one file each, in a folder per checklist item.

mod contract;
mod status_codes;

use std::sync::Arc;

use backend_check_core::{RuleMeta, Sink, SourceFile};

use crate::load::Tree;
use crate::model::Api;

pub use contract::parse_error::ParseError;
pub use status_codes::no_success_response::NoSuccessResponse;

/// All rules of the OpenAPI analyzer.
pub const RULES: &[&RuleMeta] = &[&ParseError::META, &NoSuccessResponse::META];

/// What a rule reads: the file, its span tree and its API model.
pub struct Context<'c> {
    /// The document's file (for diagnostics).
    pub file: &'c Arc<SourceFile>,
    /// The span tree.
    pub tree: &'c Tree<'c>,
    /// The model built from the tree.
    pub api: &'c Api<'c>,
}

/// Runs every model rule on a parsed document.
pub fn check_all(cx: &Context<'_>, sink: &mut Sink<'_>) {
    NoSuccessResponse::check(cx, sink);
}
