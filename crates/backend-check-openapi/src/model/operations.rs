//! The operations of a document: each HTTP method of each path item under
//! `paths` (and, from 3.1 on, under `webhooks`).

use crate::load::{At, Docs, Value};

use super::security::{self, Security};
use super::{child, child_followed, text_at, SpecVersion};

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

/// A parameter of an operation (its own, or inherited from its path item),
/// with `$ref`s followed. In 2.0, `body` and `formData` parameters are not
/// parameters here but the operation's request body.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// `name`.
    pub name: String,
    /// `in`: `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether `required: true`.
    pub required: bool,
    /// The parameter object (the `$ref` target when it is a reference).
    pub node: At,
    /// Where it is written in the operation or path item (the `$ref` mapping when a reference).
    pub written: At,
    /// The schema (3.x `schema`; in 2.0 the parameter itself holds `type`).
    pub schema: Option<At>,
}

/// A response of an operation, with `$ref`s followed.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status key as written: `200`, `4XX`, `default`.
    pub status: String,
    /// The status key.
    pub key: At,
    /// The response object.
    pub node: At,
    /// Whether it declares a body (3.x `content` with a media type, 2.0 `schema`).
    pub has_body: bool,
    /// The media types of its content (3.x) or the operation's `produces` (2.0).
    pub media_types: Vec<String>,
    /// The names of its headers.
    pub headers: Vec<String>,
}

/// One operation of the normalized model.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Path or webhook.
    pub kind: OperationKind,
    /// The path template (`/pets/{id}`) or webhook name.
    pub name: String,
    /// The path key (or webhook name key).
    pub name_key: At,
    /// The HTTP method.
    pub method: Method,
    /// The method key (`get:`), where the operation is written.
    pub method_key: At,
    /// The operation object.
    pub node: At,
    /// `operationId` and its value node.
    pub operation_id: Option<(String, At)>,
    /// Parameters of the path item and the operation, merged (the operation's win).
    pub parameters: Vec<Parameter>,
    /// The request body: 3.x `requestBody`, 2.0 `body`/`formData` parameter.
    pub request_body: Option<At>,
    /// The `responses` key, when written.
    pub responses_key: Option<At>,
    /// The responses.
    pub responses: Vec<Response>,
    /// The operation's own `security`, when written.
    pub security: Option<Security>,
}

impl Operation {
    /// How messages name the operation: `operation GET /pets`, `webhook POST newPet`.
    pub fn describe(&self) -> String {
        let noun = match self.kind {
            OperationKind::Path => "operation",
            OperationKind::Webhook => "webhook",
        };
        format!("{noun} {} {}", self.method.as_upper(), self.name)
    }

    /// Whether the method changes state (POST, PUT, PATCH, DELETE).
    pub fn is_write(&self) -> bool {
        matches!(
            self.method,
            Method::Post | Method::Put | Method::Patch | Method::Delete
        )
    }

    /// The response for a status key, when declared.
    pub fn response(&self, status: &str) -> Option<&Response> {
        self.responses.iter().find(|r| r.status == status)
    }

    /// Whether a status or its range (`4XX`) is declared.
    pub fn declares(&self, status: &str) -> bool {
        self.responses.iter().any(|r| {
            r.status == status
                || (r.status.len() == 3
                    && status.len() == 3
                    && r.status
                        .get(1..)
                        .is_some_and(|x| x.eq_ignore_ascii_case("xx"))
                    && r.status.get(..1) == status.get(..1))
        })
    }
}

/// Collects the operations of a document.
pub(super) fn collect(docs: &Docs<'_>, root: At, version: SpecVersion) -> Vec<Operation> {
    let mut operations = Vec::new();
    let mut sections = vec![("paths", OperationKind::Path)];
    if version.has_webhooks() {
        sections.push(("webhooks", OperationKind::Webhook));
    }
    let globals = Globals::of(docs, root, version);
    let tree = docs.tree(root.file);
    for (section, kind) in sections {
        let Some(items) = tree.get_value(root.node, section) else {
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
                name_key: At::new(root.file, entry.key),
                version,
                globals: &globals,
            };
            item.collect(docs, At::new(root.file, entry.value), &mut operations);
        }
    }
    operations
}

/// Document-wide defaults that 2.0 operations inherit.
struct Globals {
    produces: Vec<String>,
}

impl Globals {
    fn of(docs: &Docs<'_>, root: At, version: SpecVersion) -> Globals {
        let produces = if version == SpecVersion::Swagger2 {
            strings(docs, child(docs, root, "produces"))
        } else {
            Vec::new()
        };
        Globals { produces }
    }
}

fn strings(docs: &Docs<'_>, list: Option<At>) -> Vec<String> {
    let Some(list) = list else {
        return Vec::new();
    };
    let tree = docs.tree(list.file);
    tree.items(list.node)
        .iter()
        .filter_map(|i| tree.text(*i).map(str::to_owned))
        .collect()
}

struct PathItem<'p> {
    kind: OperationKind,
    name: &'p str,
    name_key: At,
    version: SpecVersion,
    globals: &'p Globals,
}

impl PathItem<'_> {
    /// The operations written in the path item, then those of its `$ref`
    /// target that the item does not override.
    fn collect(&self, docs: &Docs<'_>, item: At, out: &mut Vec<Operation>) {
        let first = out.len();
        let shared = self.parameters(docs, item, &[]);
        self.push_methods(docs, item, &shared, out);
        let target = docs.follow(item);
        if target == At::new(item.file, docs.tree(item.file).resolve(item.node)) {
            return;
        }
        let own: Vec<Method> = out
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .map(|o| o.method)
            .collect();
        let shared = self.parameters(docs, target, &shared);
        let mut inherited = Vec::new();
        self.push_methods(docs, target, &shared, &mut inherited);
        out.extend(inherited.into_iter().filter(|o| !own.contains(&o.method)));
    }

    fn push_methods(
        &self,
        docs: &Docs<'_>,
        item: At,
        shared: &[Parameter],
        out: &mut Vec<Operation>,
    ) {
        let tree = docs.tree(item.file);
        for entry in tree.members(item.node) {
            let method = tree
                .text(entry.key)
                .and_then(|key| Method::from_key(key, self.version));
            if let Some(method) = method {
                let node = docs.follow(At::new(item.file, entry.value));
                out.push(self.operation(docs, method, At::new(item.file, entry.key), node, shared));
            }
        }
    }

    fn operation(
        &self,
        docs: &Docs<'_>,
        method: Method,
        method_key: At,
        node: At,
        shared: &[Parameter],
    ) -> Operation {
        let all = self.parameters(docs, node, shared);
        let (parameters, body): (Vec<Parameter>, Vec<Parameter>) = all
            .into_iter()
            .partition(|p| p.location != "body" && p.location != "formData");
        let request_body =
            child_followed(docs, node, "requestBody").or_else(|| body.first().map(|p| p.node));
        let operation_id =
            child(docs, node, "operationId").and_then(|at| Some((text_at(docs, at)?, at)));
        let produces = match child(docs, node, "produces") {
            Some(list) => strings(docs, Some(list)),
            None => self.globals.produces.clone(),
        };
        let responses_key = docs
            .tree(node.file)
            .get(node.node, "responses")
            .map(|e| At::new(node.file, e.key));
        Operation {
            kind: self.kind,
            name: self.name.to_owned(),
            name_key: self.name_key,
            method,
            method_key,
            node,
            operation_id,
            parameters,
            request_body,
            responses_key,
            responses: responses(docs, node, &produces),
            security: security::requirements_at(docs, node),
        }
    }

    /// The parameters written at `owner`, merged over `inherited` (same name and location).
    fn parameters(&self, docs: &Docs<'_>, owner: At, inherited: &[Parameter]) -> Vec<Parameter> {
        let mut merged: Vec<Parameter> = inherited.to_vec();
        let Some(list) = child(docs, owner, "parameters") else {
            return merged;
        };
        let tree = docs.tree(list.file);
        for item in tree.items(list.node) {
            let written = At::new(list.file, *item);
            let node = docs.follow(written);
            let Some(parameter) = parameter(docs, node, written, self.version) else {
                continue;
            };
            merged.retain(|p| !(p.name == parameter.name && p.location == parameter.location));
            merged.push(parameter);
        }
        merged
    }
}

fn parameter(docs: &Docs<'_>, node: At, written: At, version: SpecVersion) -> Option<Parameter> {
    let name = text_at(docs, child(docs, node, "name")?)?;
    let location = text_at(docs, child(docs, node, "in")?)?;
    let required = child(docs, node, "required")
        .is_some_and(|r| matches!(docs.tree(r.file).value(r.node), Value::Bool(true)));
    let schema = match version {
        SpecVersion::Swagger2 if location != "body" => Some(node),
        _ => child_followed(docs, node, "schema"),
    };
    Some(Parameter {
        name,
        location,
        required,
        node,
        written,
        schema,
    })
}

fn responses(docs: &Docs<'_>, operation: At, produces: &[String]) -> Vec<Response> {
    let Some(map) = child(docs, operation, "responses") else {
        return Vec::new();
    };
    let map = docs.follow(map);
    let tree = docs.tree(map.file);
    let mut out = Vec::new();
    for entry in tree.members(map.node) {
        let Some(status) = tree.text(entry.key) else {
            continue;
        };
        if status.starts_with("x-") {
            continue;
        }
        let node = docs.follow(At::new(map.file, entry.value));
        let content = child(docs, node, "content");
        let media_types = match content {
            Some(c) => keys(docs, c),
            None => produces.to_vec(),
        };
        let has_body = match content {
            Some(c) => !keys(docs, c).is_empty(),
            None => child(docs, node, "schema").is_some(),
        };
        let headers = child(docs, node, "headers").map_or_else(Vec::new, |h| keys(docs, h));
        out.push(Response {
            status: status.trim().to_owned(),
            key: At::new(map.file, entry.key),
            node,
            has_body,
            media_types,
            headers,
        });
    }
    out
}

/// The keys of a mapping that may be absent.
pub(crate) fn keys_of(docs: &Docs<'_>, map: Option<At>) -> Vec<String> {
    map.map_or_else(Vec::new, |m| keys(docs, docs.follow(m)))
}

/// The keys of a mapping.
pub(crate) fn keys(docs: &Docs<'_>, map: At) -> Vec<String> {
    let tree = docs.tree(map.file);
    tree.members(map.node)
        .filter_map(|e| tree.text(e.key).map(str::to_owned))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use backend_check_core::{CommentStyle, SourceFile};

    use crate::load::{parse, Format};
    use crate::model::Api;

    fn ops(text: &str) -> Vec<String> {
        let file = Arc::new(SourceFile::new("spec", "spec", text, CommentStyle::Hash));
        let tree = parse(file.text(), Format::Yaml).unwrap();
        let docs = Docs::load(&file, &tree, std::path::Path::new("."));
        Api::build(&docs)
            .operations
            .iter()
            .map(Operation::describe)
            .collect()
    }

    #[test]
    fn parameters_are_merged_and_bodies_found() {
        let text = "swagger: '2.0'\nparameters:\n  Id: {name: id, in: path, required: true, type: string}\npaths:\n  /pets/{id}:\n    parameters:\n      - $ref: '#/parameters/Id'\n      - {name: q, in: query, type: string}\n    put:\n      parameters:\n        - {name: q, in: query, type: integer}\n        - {name: pet, in: body, schema: {type: object}}\n      responses:\n        '200': {description: ok, schema: {type: object}}\n";
        let file = Arc::new(SourceFile::new("spec", "spec", text, CommentStyle::Hash));
        let tree = parse(file.text(), Format::Yaml).unwrap();
        let docs = Docs::load(&file, &tree, std::path::Path::new("."));
        let api = Api::build(&docs);
        let put = &api.operations[0];
        let names: Vec<_> = put
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.location.as_str(), p.required))
            .collect();
        assert_eq!(names, [("id", "path", true), ("q", "query", false)]);
        assert!(put.request_body.is_some());
        assert!(put.responses[0].has_body);
        assert_eq!(put.responses[0].status, "200");
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
