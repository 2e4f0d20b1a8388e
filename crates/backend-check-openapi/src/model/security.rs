//! Security schemes and requirements, the same for 2.0 and 3.x.

use crate::load::{At, Docs, Value};

use super::{child, child_followed, text_at, SpecVersion};

/// What a security scheme is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `apiKey`, with its `in` (`header`, `query`, `cookie`).
    ApiKey {
        /// Where the key travels.
        location: String,
    },
    /// 3.x `http` with its `scheme` (lower-cased) and `bearerFormat`; 2.0 `basic` as `http` `basic`.
    Http {
        /// `basic`, `bearer`, `digest`, …
        scheme: String,
        /// Whether `bearerFormat` is written.
        bearer_format: bool,
    },
    /// `oauth2`, with the scopes its flows declare.
    OAuth2 {
        /// Every scope of every flow.
        scopes: Vec<String>,
    },
    /// `openIdConnect`.
    OpenIdConnect,
    /// `mutualTLS` or a type this tool does not know.
    Other(String),
}

/// A named security scheme.
#[derive(Debug, Clone)]
pub struct SecurityScheme {
    /// Its name (the key under `securitySchemes` / `securityDefinitions`).
    pub name: String,
    /// The name key.
    pub key: At,
    /// The scheme object.
    pub node: At,
    /// What it is.
    pub kind: SchemeKind,
}

/// One security requirement object: every scheme it names must be satisfied.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// The requirement mapping (`{}` allows anonymous access).
    pub node: At,
    /// Each scheme named, its key and its scopes.
    pub schemes: Vec<(String, At, Vec<String>)>,
}

/// A `security` list: any one of its requirements is enough.
#[derive(Debug, Clone)]
pub struct Security {
    /// The `security` key.
    pub key: At,
    /// The requirements.
    pub requirements: Vec<Requirement>,
}

impl Security {
    /// Whether the list lets a caller in without credentials (`security: []` or a `{}` item).
    pub fn allows_anonymous(&self) -> bool {
        self.requirements.is_empty() || self.requirements.iter().any(|r| r.schemes.is_empty())
    }
}

/// The `security` written at a mapping (the root or an operation).
pub(super) fn requirements_at(docs: &Docs<'_>, owner: At) -> Option<Security> {
    let tree = docs.tree(owner.file);
    let entry = tree.get(owner.node, "security")?;
    let requirements = tree
        .items(entry.value)
        .iter()
        .map(|item| requirement(docs, At::new(owner.file, *item)))
        .collect();
    Some(Security {
        key: At::new(owner.file, entry.key),
        requirements,
    })
}

fn requirement(docs: &Docs<'_>, node: At) -> Requirement {
    let tree = docs.tree(node.file);
    let schemes = tree
        .members(node.node)
        .filter_map(|e| {
            let name = tree.text(e.key)?.to_owned();
            let scopes = tree
                .items(e.value)
                .iter()
                .filter_map(|s| tree.text(*s).map(str::to_owned))
                .collect();
            Some((name, At::new(node.file, e.key), scopes))
        })
        .collect();
    Requirement { node, schemes }
}

/// The security schemes a document declares.
pub(super) fn schemes(docs: &Docs<'_>, root: At, version: SpecVersion) -> Vec<SecurityScheme> {
    let map = match version {
        SpecVersion::Swagger2 => child(docs, root, "securityDefinitions"),
        _ => child(docs, root, "components").and_then(|c| child(docs, c, "securitySchemes")),
    };
    let Some(map) = map else {
        return Vec::new();
    };
    let tree = docs.tree(map.file);
    tree.members(map.node)
        .filter_map(|e| {
            let name = tree.text(e.key)?.to_owned();
            let node = docs.follow(At::new(map.file, e.value));
            Some(SecurityScheme {
                name,
                key: At::new(map.file, e.key),
                node,
                kind: kind(docs, node),
            })
        })
        .collect()
}

fn kind(docs: &Docs<'_>, node: At) -> SchemeKind {
    let field = |key: &str| child(docs, node, key).and_then(|v| text_at(docs, v));
    let kind = field("type").unwrap_or_default();
    match kind.as_str() {
        "apiKey" => SchemeKind::ApiKey {
            location: field("in").unwrap_or_default(),
        },
        "basic" => SchemeKind::Http {
            scheme: "basic".to_owned(),
            bearer_format: false,
        },
        "http" => SchemeKind::Http {
            scheme: field("scheme").unwrap_or_default().to_ascii_lowercase(),
            bearer_format: child(docs, node, "bearerFormat").is_some(),
        },
        "oauth2" => SchemeKind::OAuth2 {
            scopes: oauth_scopes(docs, node),
        },
        "openIdConnect" => SchemeKind::OpenIdConnect,
        _ => SchemeKind::Other(kind),
    }
}

/// 2.0 `scopes` on the scheme, 3.x `scopes` of each flow.
fn oauth_scopes(docs: &Docs<'_>, node: At) -> Vec<String> {
    let mut scopes = super::operations::keys_of(docs, child(docs, node, "scopes"));
    if let Some(flows) = child_followed(docs, node, "flows") {
        let tree = docs.tree(flows.file);
        for flow in tree.members(flows.node) {
            if matches!(tree.value(flow.value), Value::Mapping(_)) {
                let flow = At::new(flows.file, flow.value);
                scopes.extend(super::operations::keys_of(
                    docs,
                    child(docs, flow, "scopes"),
                ));
            }
        }
    }
    scopes
}
