//! The operations of a document: each HTTP method of each path item under
//! `paths` (and, from 3.1 on, under `webhooks`).

use crate::load::{NodeId, Tree};

use super::SpecVersion;

/// An HTTP method that can key an operation in a path item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `get`
    Get,
    /// `put`
    Put,
    /// `post`
    Post,
    /// `delete`
    Delete,
    /// `options`
    Options,
    /// `head`
    Head,
    /// `patch`
    Patch,
    /// `trace`
    Trace,
    /// `query` (OpenAPI 3.2)
    Query,
}

impl Method {
    /// The method a path-item key names in a given version (keys are lower-case).
    pub fn from_key(key: &str, version: SpecVersion) -> Option<Method> {
        Some(match key {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            "query" if version.has_query_method() => Method::Query,
            _ => return None,
        })
    }

    /// The method in upper case, as in `GET /pets`.
    pub fn as_upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
            Method::Query => "QUERY",
        }
    }
}

/// Where an operation is declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// Under `paths`; the name is the path template.
    Path,
    /// Under `webhooks`; the name is the webhook's name.
    Webhook,
}

/// One operation, with the tree nodes to report on.
#[derive(Debug, Clone, Copy)]
pub struct Operation<'t> {
    /// Path or webhook.
    pub kind: OperationKind,
    /// The path template (`/pets/{id}`) or webhook name.
    pub name: &'t str,
    /// The HTTP method.
    pub method: Method,
    /// The method key (`get:`), where the operation is written (inside a
    /// `$ref`'d path item when the path item is a local reference).
    pub method_key: NodeId,
    /// The operation object.
    pub node: NodeId,
}

impl Operation<'_> {
    /// How messages name the operation: `operation GET /pets`, `webhook POST newPet`.
    pub fn describe(&self) -> String {
        let noun = match self.kind {
            OperationKind::Path => "operation",
            OperationKind::Webhook => "webhook",
        };
        format!("{noun} {} {}", self.method.as_upper(), self.name)
    }
}

/// Collects the operations of a document.
pub(super) fn collect<'t>(tree: &'t Tree<'t>, version: SpecVersion) -> Vec<Operation<'t>> {
    let mut operations = Vec::new();
    let Some(root) = tree.root() else {
        return operations;
    };
    let mut sections = vec![("paths", OperationKind::Path)];
    if version.has_webhooks() {
        sections.push(("webhooks", OperationKind::Webhook));
    }
    for (section, kind) in sections {
        let Some(items) = tree.get_value(root, section) else {
            continue;
        };
        for entry in tree.members(items) {
            let Some(name) = tree.text(entry.key) else {
                continue;
            };
            if kind == OperationKind::Path && name.starts_with("x-") {
                continue;
            }
            let item = PathItem {
                kind,
                name,
                version,
            };
            item.collect(tree, entry.value, &mut operations);
        }
    }
    operations
}

struct PathItem<'t> {
    kind: OperationKind,
    name: &'t str,
    version: SpecVersion,
}

impl<'t> PathItem<'t> {
    /// The operations written in the path item, then those of a local `$ref`
    /// target that the item does not override.
    fn collect(&self, tree: &'t Tree<'t>, item: NodeId, out: &mut Vec<Operation<'t>>) {
        let first = out.len();
        self.push_methods(tree, item, out);
        let Some(target) = local_ref_target(tree, item) else {
            return;
        };
        let own: Vec<Method> = out
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .map(|o| o.method)
            .collect();
        let mut inherited = Vec::new();
        self.push_methods(tree, target, &mut inherited);
        out.extend(inherited.into_iter().filter(|o| !own.contains(&o.method)));
    }

    fn push_methods(&self, tree: &'t Tree<'t>, item: NodeId, out: &mut Vec<Operation<'t>>) {
        for entry in tree.members(item) {
            let method = tree
                .text(entry.key)
                .and_then(|key| Method::from_key(key, self.version));
            if let Some(method) = method {
                out.push(Operation {
                    kind: self.kind,
                    name: self.name,
                    method,
                    method_key: entry.key,
                    node: entry.value,
                });
            }
        }
    }
}

/// The mapping a path item's local `$ref` (`#/…`) names, if it resolves to one.
fn local_ref_target(tree: &Tree<'_>, item: NodeId) -> Option<NodeId> {
    let reference = tree.str(tree.get_value(item, "$ref")?)?;
    if !reference.starts_with("#/") {
        return None;
    }
    let target = tree.lookup(reference)?;
    (tree.is_mapping(target) && tree.resolve(target) != tree.resolve(item)).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse, Format};

    fn ops(text: &str) -> Vec<String> {
        let tree = parse(text, Format::Yaml).unwrap();
        let version = SpecVersion::detect(&tree);
        collect(&tree, version)
            .iter()
            .map(Operation::describe)
            .collect()
    }

    #[test]
    fn operations_of_paths_and_webhooks() {
        let text = "openapi: 3.1.0\npaths:\n  /pets:\n    summary: s\n    parameters: []\n    get: {}\n    post: {}\n  x-ext: {get: {}}\nwebhooks:\n  newPet:\n    post: {}\n";
        assert_eq!(
            ops(text),
            [
                "operation GET /pets",
                "operation POST /pets",
                "webhook POST newPet"
            ]
        );
    }

    #[test]
    fn webhooks_only_from_3_1() {
        let text = "openapi: 3.0.3\npaths: {}\nwebhooks:\n  newPet:\n    post: {}\n";
        assert!(ops(text).is_empty());
    }

    #[test]
    fn local_path_item_refs_are_followed() {
        let text = "openapi: 3.1.0\npaths:\n  /a:\n    $ref: '#/components/pathItems/A'\n    get: {}\n  /b:\n    $ref: 'other.yaml#/B'\ncomponents:\n  pathItems:\n    A:\n      get: {}\n      delete: {}\n";
        assert_eq!(ops(text), ["operation GET /a", "operation DELETE /a"]);
    }

    #[test]
    fn query_only_in_3_2() {
        assert_eq!(
            ops("openapi: 3.2.0\npaths:\n  /s:\n    query: {}\n"),
            ["operation QUERY /s"]
        );
        assert!(ops("openapi: 3.1.0\npaths:\n  /s:\n    query: {}\n").is_empty());
    }
}
