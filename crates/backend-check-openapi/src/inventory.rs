//! What the OpenAPI analyzer tells the rest of the tool about the documents it
//! read: each operation with its method, path, parameters, request body,
//! responses and effective security, and where it is written. This is the
//! supported public model (the span trees and the rules' model stay
//! internal); checks that hold the spec against the code read it from the
//! engine's report.

use std::sync::Arc;

use backend_check_core::{SourceFile, Span};

use crate::load::{At, Docs};
use crate::model::{child, text_at, Api, OperationKind, Security};

pub use crate::model::{Method, SpecVersion};

/// Every OpenAPI document of a run (documents that only serve as a part of
/// another, reached through its `$ref`s, are not listed on their own).
#[derive(Debug, Clone, Default)]
pub struct OpenApiModel {
    /// The documents, in path order.
    pub documents: Vec<Document>,
}

/// One OpenAPI or Swagger document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document's file.
    pub file: Arc<SourceFile>,
    /// The version it declares.
    pub version: SpecVersion,
    /// The path part of each server URL (3.x `servers`, 2.0 `basePath`), with
    /// variables replaced by their defaults and no trailing `/`; `""` for a
    /// server at the root. Operation paths are relative to one of these.
    pub base_paths: Vec<String>,
    /// The names of the security schemes it declares.
    pub security_schemes: Vec<String>,
    /// Its operations, in document order.
    pub operations: Vec<ApiOperation>,
}

/// One operation: a method of a path (or, from 3.1 on, of a webhook).
#[derive(Debug, Clone)]
pub struct ApiOperation {
    /// The HTTP method.
    pub method: Method,
    /// The path template as written (`/pets/{id}`), or the webhook's name.
    pub path: String,
    /// Whether it is a webhook (the API calls the client) rather than a path.
    pub webhook: bool,
    /// The `operationId`, when written.
    pub operation_id: Option<String>,
    /// Its parameters, with those of its path item merged in.
    pub parameters: Vec<ApiParameter>,
    /// Whether it takes a request body (3.x `requestBody`, 2.0 `body` or
    /// `formData` parameters).
    pub request_body: bool,
    /// The response keys it declares (`200`, `4XX`, `default`).
    pub responses: Vec<String>,
    /// The security that applies to it, its own or the document's: any one
    /// requirement is enough, each requirement naming schemes with their
    /// scopes. `None` when neither the operation nor the document says.
    pub security: Option<Vec<Vec<SchemeUse>>>,
    /// The file the operation is written in (a `$ref`'d path item may live in
    /// another file than the document).
    pub file: Arc<SourceFile>,
    /// The method key (`get:`), where findings on the operation go.
    pub span: Span,
}

impl ApiOperation {
    /// Whether a caller needs credentials: some security applies and none of
    /// its requirements is the empty one.
    pub fn is_secured(&self) -> bool {
        self.security.as_ref().is_some_and(|alternatives| {
            !alternatives.is_empty() && alternatives.iter().all(|r| !r.is_empty())
        })
    }
}

/// A security scheme named by a requirement, with the scopes it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeUse {
    /// The scheme's name (a key of `components.securitySchemes`).
    pub scheme: String,
    /// The scopes (OAuth 2 / OpenID Connect), or roles.
    pub scopes: Vec<String>,
}

/// A parameter of an operation.
#[derive(Debug, Clone)]
pub struct ApiParameter {
    /// Its name.
    pub name: String,
    /// Where it goes: `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Whether it is required.
    pub required: bool,
    /// Its schema's `type` (`integer`, `string`), when written directly.
    pub schema_type: Option<String>,
    /// Its schema's `format` (`uuid`, `int64`), when written directly.
    pub format: Option<String>,
}

fn requirements(security: &Security) -> Vec<Vec<SchemeUse>> {
    security
        .requirements
        .iter()
        .map(|r| {
            r.schemes
                .iter()
                .map(|(name, _, scopes)| SchemeUse {
                    scheme: name.clone(),
                    scopes: scopes.clone(),
                })
                .collect()
        })
        .collect()
}

/// The path part of a server URL, without a trailing `/`.
fn base_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = if url.contains("://") {
        after_scheme.find('/').map_or("", |i| &after_scheme[i..])
    } else {
        after_scheme
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.trim_end_matches('/').to_owned()
}

fn schema_text(docs: &Docs<'_>, schema: Option<At>, node: At, key: &str) -> Option<String> {
    schema
        .map(|s| docs.follow(s))
        .and_then(|s| child(docs, s, key))
        .or_else(|| child(docs, node, key))
        .and_then(|at| text_at(docs, at))
}

impl Document {
    /// The public model of one document.
    pub(crate) fn of(docs: &Docs<'_>, api: &Api) -> Document {
        let document_security = api.security.as_ref().map(requirements);
        let operations = api
            .operations
            .iter()
            .map(|op| ApiOperation {
                method: op.method,
                path: op.name.clone(),
                webhook: op.kind == OperationKind::Webhook,
                operation_id: op.operation_id.as_ref().map(|(id, _)| id.clone()),
                parameters: op
                    .parameters
                    .iter()
                    .map(|p| ApiParameter {
                        name: p.name.clone(),
                        location: p.location.clone(),
                        required: p.required,
                        schema_type: schema_text(docs, p.schema, p.node, "type"),
                        format: schema_text(docs, p.schema, p.node, "format"),
                    })
                    .collect(),
                request_body: op.request_body.is_some(),
                responses: op.responses.iter().map(|r| r.status.clone()).collect(),
                security: op
                    .security
                    .as_ref()
                    .map(requirements)
                    .or_else(|| document_security.clone()),
                file: Arc::clone(docs.source(op.method_key.file)),
                span: docs.span(op.method_key),
            })
            .collect();
        Document {
            file: Arc::clone(docs.source(api.root.file)),
            version: api.version,
            base_paths: api.servers.iter().map(|s| base_path(&s.url)).collect(),
            security_schemes: api
                .security_schemes
                .iter()
                .map(|s| s.name.clone())
                .collect(),
            operations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_the_path_of_the_server_url() {
        assert_eq!(base_path("https://api.example.com/v1/"), "/v1");
        assert_eq!(base_path("https://api.example.com"), "");
        assert_eq!(base_path("/api"), "/api");
        assert_eq!(base_path("http://localhost:8080/a/b?x=1"), "/a/b");
    }
}
