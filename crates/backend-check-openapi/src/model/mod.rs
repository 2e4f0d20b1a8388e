//! The API model the rules read: the spec version and the operations, found
//! once per document on the span tree (so every finding keeps its span).

mod operations;
mod version;

pub use operations::{Method, Operation, OperationKind};
pub use version::SpecVersion;

use crate::load::Tree;

/// What the rules know about one document.
#[derive(Debug)]
pub struct Api<'t> {
    /// The version the document declares.
    pub version: SpecVersion,
    /// Every operation under `paths` (and `webhooks` from 3.1 on).
    pub operations: Vec<Operation<'t>>,
}

impl<'t> Api<'t> {
    /// Builds the model of a document whose root is a mapping.
    pub fn build(tree: &'t Tree<'t>) -> Api<'t> {
        let version = SpecVersion::detect(tree);
        Api {
            version,
            operations: operations::collect(tree, version),
        }
    }
}
