//! Servers: 3.x `servers` with their variables replaced by their defaults,
//! 2.0 `schemes` + `host` + `basePath`.

use crate::load::At;
use crate::load::Docs;

use super::{child, text_at, SpecVersion};

/// A server the API is served from.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL with `{variables}` replaced by their defaults.
    pub url: String,
    /// The URL as written (3.x) or the `host` value (2.0).
    pub node: At,
}

/// The servers of a document (3.x top-level `servers`, or 2.0's host).
pub(super) fn collect(docs: &Docs<'_>, root: At, version: SpecVersion) -> Vec<Server> {
    match version {
        SpecVersion::Swagger2 => swagger_servers(docs, root),
        _ => openapi_servers(docs, root),
    }
}

fn openapi_servers(docs: &Docs<'_>, root: At) -> Vec<Server> {
    let Some(list) = child(docs, root, "servers") else {
        return Vec::new();
    };
    let tree = docs.tree(list.file);
    tree.items(list.node)
        .iter()
        .filter_map(|item| {
            let server = At::new(list.file, *item);
            let url_node = child(docs, server, "url")?;
            let written = text_at(docs, url_node)?;
            Some(Server {
                url: substitute(docs, server, &written),
                node: url_node,
            })
        })
        .collect()
}

/// Replaces each `{name}` with the default of the server variable `name`.
fn substitute(docs: &Docs<'_>, server: At, url: &str) -> String {
    let Some(variables) = child(docs, server, "variables") else {
        return url.to_owned();
    };
    let mut out = url.to_owned();
    let tree = docs.tree(variables.file);
    for entry in tree.members(variables.node) {
        let (Some(name), Some(default)) = (
            tree.text(entry.key),
            tree.get_value(entry.value, "default")
                .and_then(|d| tree.text(d)),
        ) else {
            continue;
        };
        out = out.replace(&format!("{{{name}}}"), default);
    }
    out
}

fn swagger_servers(docs: &Docs<'_>, root: At) -> Vec<Server> {
    let Some(host) = child(docs, root, "host") else {
        return Vec::new();
    };
    let Some(host_text) = text_at(docs, host) else {
        return Vec::new();
    };
    let base = child(docs, root, "basePath")
        .and_then(|b| text_at(docs, b))
        .unwrap_or_default();
    let tree = docs.tree(root.file);
    let mut schemes: Vec<(String, At)> = child(docs, root, "schemes")
        .map(|list| {
            tree.items(list.node)
                .iter()
                .filter_map(|i| Some((tree.text(*i)?.to_owned(), At::new(list.file, *i))))
                .collect()
        })
        .unwrap_or_default();
    if schemes.is_empty() {
        schemes.push(("https".to_owned(), host));
    }
    schemes
        .into_iter()
        .filter(|(scheme, _)| scheme.starts_with("http"))
        .map(|(scheme, node)| Server {
            url: format!("{scheme}://{host_text}{base}"),
            node,
        })
        .collect()
}
