use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::Operation;
use crate::rules::lookup::{document_key, key_of};
use crate::rules::Context;

use super::{version_in_segment, version_in_url};

declare_rule! {
    /// ## What it does
    /// Reports, once per document, an API that does not say which version of
    /// itself it describes to callers: no server URL with a version
    /// (`https://api.shop.io/v1`), no path with a version segment (`/v2/orders`,
    /// `/api/1.0/…`, `/2024-01-01/…`), no header or query parameter named like a
    /// version (`Api-Version`, `X-GitHub-Api-Version`, `api-version`) and no
    /// media type that carries one (`application/vnd.shop.v2+json`, `;version=2`).
    /// In Swagger 2.0 the server URL is `host` with `basePath`.
    ///
    /// ## Why is this bad?
    /// Without a version in the contract, the first breaking change breaks every
    /// client at once: there is no way to serve the old and the new contract
    /// side by side, or for a client to say which one it was written against.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   - url: https://api.shop.io
    /// paths:
    ///   /orders:
    ///     get: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// servers:
    ///   - url: https://api.shop.io/v1
    /// paths:
    ///   /orders:
    ///     get: {}
    /// ```
    ///
    /// ## Options
    /// None.
    pub NoVersion {
        code: "OAS027",
        name: "no-version",
        checklist: ApiVersioning,
        group: Pedantic,
        severity: Warning,
        summary: "an API with no version in its server URLs, paths, version parameters or media types",
    }
}

impl NoVersion {
    /// Reports a document whose contract names no version.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.operations.is_empty() {
            return;
        }
        let in_servers = cx
            .api
            .servers
            .iter()
            .any(|s| version_in_url(&s.url).is_some());
        if in_servers || cx.api.operations.iter().any(is_versioned) {
            return;
        }
        sink.push(
            cx.diagnostic(&Self::META, where_to_report(cx), message())
                .with_help(help()),
        );
    }
}

fn is_versioned(operation: &Operation) -> bool {
    let in_path = operation
        .name
        .split('/')
        .take(4)
        .any(|s| version_in_segment(s).is_some());
    let in_parameter = operation.parameters.iter().any(|p| {
        matches!(p.location.as_str(), "header" | "query")
            && p.name.to_ascii_lowercase().contains("version")
    });
    let mut media: HashSet<&str> = HashSet::new();
    for response in &operation.responses {
        media.extend(response.media_types.iter().map(String::as_str));
    }
    in_path || in_parameter || media.iter().any(|m| is_versioned_media_type(m))
}

/// `application/vnd.shop.v2+json`, `application/json; version=2`.
fn is_versioned_media_type(media_type: &str) -> bool {
    let lower = media_type.to_ascii_lowercase();
    lower.contains("version=")
        || lower
            .split(['.', '+', ';', '/'])
            .any(|p| version_in_segment(p).is_some())
}

fn where_to_report(cx: &Context<'_>) -> At {
    ["servers", "basePath", "host"]
        .iter()
        .find_map(|k| key_of(cx, cx.api.root, k))
        .unwrap_or_else(|| document_key(cx))
}

fn message() -> String {
    "API names no version: not in its server URLs, paths, parameters or media types".to_owned()
}

fn help() -> &'static str {
    "put the major version in the server URL or a path prefix (`https://api.shop.io/v1`), or accept a version header"
}

#[cfg(test)]
mod tests {
    use super::is_versioned_media_type;

    #[test]
    fn media_types() {
        assert!(is_versioned_media_type("application/vnd.shop.v2+json"));
        assert!(is_versioned_media_type("application/json; version=2"));
        assert!(!is_versioned_media_type("application/json"));
        assert!(!is_versioned_media_type("application/vnd.github+json"));
    }
}
