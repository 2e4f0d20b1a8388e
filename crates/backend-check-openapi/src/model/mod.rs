//! The normalized API model the rules read, the same for Swagger 2.0,
//! OpenAPI 3.0 and 3.1: operations with their merged parameters, request body
//! and responses, security, servers and tags. It is built once per document on
//! the span trees of the document and the files its `$ref`s reach, so every
//! element keeps the file and node to report on.

mod operations;
mod responses;
mod schemas;
mod security;
mod servers;
mod version;

pub use operations::{Method, Operation, OperationKind, Parameter, Response};
pub use responses::{schema_key, SchemaKey};
pub use schemas::{is_integral, is_true, Root, SchemaNode, Schemas, Step, Types, Usage};
pub use security::{Requirement, SchemeKind, Security, SecurityScheme};
pub use servers::Server;
pub use version::SpecVersion;

use crate::load::{At, Docs, FileId, NodeId};

/// What the rules know about one document.
#[derive(Debug)]
pub struct Api {
    /// The version the document declares.
    pub version: SpecVersion,
    /// The document's root mapping.
    pub root: At,
    /// Every operation under `paths` (and `webhooks` from 3.1 on).
    pub operations: Vec<Operation>,
    /// The servers (3.x `servers`, or 2.0 `schemes` + `host` + `basePath`).
    pub servers: Vec<Server>,
    /// The security schemes (3.x `components.securitySchemes`, 2.0 `securityDefinitions`).
    pub security_schemes: Vec<SecurityScheme>,
    /// The document-wide `security`, when written.
    pub security: Option<Security>,
    /// The declared tags (`tags` at the root), name and node.
    pub tags: Vec<(String, At)>,
    /// Every schema, walked on first use (see [`Api::schemas`]).
    schemas: std::sync::OnceLock<Schemas>,
}

impl Api {
    /// Every response with an operation that declares it, each response once:
    /// operations that share a path item or response through a `$ref` reach the
    /// same written response, which must be reported only once.
    pub fn distinct_responses(&self) -> impl Iterator<Item = (&Operation, &Response)> {
        let mut seen = std::collections::HashSet::new();
        self.operations
            .iter()
            .flat_map(|operation| operation.responses.iter().map(move |r| (operation, r)))
            .filter(move |(_, response)| seen.insert(response.key))
    }

    /// Builds the model of a document whose root is a mapping.
    pub fn build(docs: &Docs<'_>) -> Api {
        let tree = docs.tree(FileId::ROOT);
        let version = SpecVersion::detect(tree);
        let root = At::new(FileId::ROOT, tree.root().unwrap_or(NodeId::FIRST));
        Api {
            version,
            root,
            operations: operations::collect(docs, root, version),
            servers: servers::collect(docs, root, version),
            security_schemes: security::schemes(docs, root, version),
            security: security::requirements_at(docs, root),
            tags: tags(docs, root),
            schemas: std::sync::OnceLock::new(),
        }
    }

    /// The security requirement in force for an operation: its own, else the document's.
    pub fn effective_security<'a>(&'a self, operation: &'a Operation) -> Option<&'a Security> {
        operation.security.as_ref().or(self.security.as_ref())
    }

    /// The scheme named in a requirement.
    pub fn scheme(&self, name: &str) -> Option<&SecurityScheme> {
        self.security_schemes.iter().find(|s| s.name == name)
    }
}

fn tags(docs: &Docs<'_>, root: At) -> Vec<(String, At)> {
    let tree = docs.tree(root.file);
    let Some(list) = tree.get_value(root.node, "tags") else {
        return Vec::new();
    };
    tree.items(list)
        .iter()
        .filter_map(|item| {
            let name = tree.text(tree.get_value(*item, "name")?)?;
            Some((name.to_owned(), At::new(root.file, *item)))
        })
        .collect()
}

/// A node's child by key, in the same file (no `$ref` followed).
pub fn child(docs: &Docs<'_>, at: At, key: &str) -> Option<At> {
    let value = docs.tree(at.file).get_value(at.node, key)?;
    Some(At::new(at.file, value))
}

/// A node's child by key, with the `$ref`s of the child followed.
pub(crate) fn child_followed(docs: &Docs<'_>, at: At, key: &str) -> Option<At> {
    child(docs, at, key).map(|c| docs.follow(c))
}

/// The entries of a mapping, `x-` keys skipped: name, key and value.
pub fn entries(docs: &Docs<'_>, map: Option<At>) -> Vec<(String, At, At)> {
    let Some(map) = map else {
        return Vec::new();
    };
    let tree = docs.tree(map.file);
    tree.members(map.node)
        .filter_map(|e| {
            let name = tree.text(e.key)?;
            (!name.starts_with("x-")).then(|| {
                (
                    name.to_owned(),
                    At::new(map.file, e.key),
                    At::new(map.file, e.value),
                )
            })
        })
        .collect()
}

/// The text of a string or number node.
pub fn text_at(docs: &Docs<'_>, at: At) -> Option<String> {
    docs.tree(at.file).text(at.node).map(str::to_owned)
}
