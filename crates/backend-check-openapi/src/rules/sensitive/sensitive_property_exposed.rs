use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::load::{At, NodeId, Tree};
use crate::model::{is_true, SchemaNode, Schemas, Types, Usage};
use crate::rules::Context;

use super::words;

declare_rule! {
    /// ## What it does
    /// Finds properties named like a password, a secret or a private key
    /// (`password`, `client_secret`, `privateKey`, …) that are not
    /// `writeOnly`, in schemas the API returns or in named schemas no
    /// operation uses yet (shared schemas meant for both directions). Token
    /// properties (`api_token`, `session_token`) are reported only in schemas
    /// used both in requests and responses, since issuing tokens is what token
    /// endpoints are for. Properties that are not strings (`has_password:
    /// boolean`, `secret_scanning: {…}`) are not secrets. A secret the API
    /// generates and shows once is not reported: the property's description
    /// says so (`Only returned on key creation`), or it sits inline in the
    /// response of the POST that creates it and the caller does not send it.
    ///
    /// ## Why is this bad?
    /// A secret in a response ends up in client caches, logs, browser
    /// developer tools and analytics. Shared schemas are the usual way it
    /// happens: the `User` schema that carries `password` for sign-up is
    /// returned by `GET /users/{id}` too. `writeOnly: true` says the field is
    /// accepted but never sent back, and generated servers and clients honour
    /// it. Some secrets are returned by design (a Stripe `client_secret`, a
    /// token endpoint's token), so the rule is advice: allow those with a
    /// comment that says why.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   schemas:
    ///     User:
    ///       type: object
    ///       properties:
    ///         email: {type: string, format: email}
    ///         password: {type: string, minLength: 12, maxLength: 128}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   schemas:
    ///     User:
    ///       type: object
    ///       properties:
    ///         email: {type: string, format: email}
    ///         password: {type: string, minLength: 12, maxLength: 128, writeOnly: true}
    /// ```
    ///
    /// ## Options
    /// None.
    pub SensitivePropertyExposed {
        code: "OAS064",
        name: "sensitive-property-exposed",
        checklist: SecSensitiveData,
        group: Nursery,
        severity: Info,
        summary: "a password, secret or private key property that responses return (not writeOnly)",
    }
}

impl SensitivePropertyExposed {
    /// Reports secret-like properties of returned or shared schemas.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let schemas = cx.api.schemas(cx.docs);
        for (index, node) in schemas.nodes.iter().enumerate() {
            let returned = node.used_as(Usage::Response);
            let shared = node.used_as(Usage::Component) && node.is_component_only();
            if !returned && !shared {
                continue;
            }
            let tree = cx.docs.tree(node.at.file);
            if is_true(tree, node.at.node, "writeOnly") {
                continue;
            }
            let Some(properties) = tree.get_value(node.at.node, "properties") else {
                continue;
            };
            for entry in tree.members(properties) {
                let Some(name) = tree.text(entry.key) else {
                    continue;
                };
                let Some(kind) = Kind::of(name) else {
                    continue;
                };
                let echoed = node.used_as(Usage::Request) || shared;
                if kind == Kind::Token && !echoed {
                    continue;
                }
                let property = cx.docs.follow(At::new(node.at.file, entry.value));
                if !may_hold_secret(cx.docs.tree(property.file), property.node)
                    || shown_once(cx, schemas, node, property)
                {
                    continue;
                }
                let key = At::new(node.at.file, entry.key);
                let place = Place {
                    schemas,
                    node,
                    index: u32::try_from(index).unwrap_or(u32::MAX),
                };
                sink.push(diagnostic(cx, &place, key, name, kind));
            }
        }
    }
}

/// A secret the API generates and hands out once: the property says so
/// (`Only returned on key creation`, `returned as <REDACTED> except when …
/// created`), or the schema is written inline in the response of the POST
/// that creates it and is not sent by the caller.
fn shown_once(cx: &Context<'_>, schemas: &Schemas, node: &SchemaNode, property: At) -> bool {
    let tree = cx.docs.tree(property.file);
    let description = tree
        .get_value(property.node, "description")
        .and_then(|d| tree.text(d))
        .unwrap_or_default()
        .to_ascii_lowercase();
    let described = [
        "only returned",
        "only shown",
        "only displayed",
        "only visible",
        "returned once",
        "shown once",
        "displayed once",
        "on creation",
        "upon creation",
        "when created",
        "is created",
        "redacted",
        "not be shown again",
        "not be returned again",
    ]
    .iter()
    .any(|p| description.contains(p));
    let inline_create = !node.used_as(Usage::Request)
        && schemas
            .group_root(node)
            .is_some_and(|r| r.component.is_none() && r.label.contains("of operation POST "));
    described || inline_create
}

/// What a property name says it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Password,
    Secret,
    Token,
}

impl Kind {
    fn of(name: &str) -> Option<Kind> {
        let words = words(name);
        let last = words.last()?;
        let joined = words.concat();
        if ["password", "passwd", "passphrase", "pwd"]
            .iter()
            .any(|w| last == w || (last.len() > w.len() + 2 && last.ends_with(w)))
        {
            return Some(Kind::Password);
        }
        let secret_joined = ["privatekey", "secretkey", "secretaccesskey", "signingkey"];
        if last == "secret" || secret_joined.iter().any(|w| joined.ends_with(w)) {
            return Some(Kind::Secret);
        }
        let cursor = words.iter().any(|w| {
            matches!(
                w.as_str(),
                "page" | "next" | "continuation" | "pagination" | "cursor" | "prev" | "sync"
            )
        });
        ((last == "token" && !cursor) || joined == "apikey").then_some(Kind::Token)
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Password => "a password",
            Kind::Secret => "a secret",
            Kind::Token => "a token",
        }
    }
}

/// A string (or untyped) schema that is not `writeOnly` may carry a secret.
fn may_hold_secret(tree: &Tree<'_>, schema: NodeId) -> bool {
    let types = Types::of(tree, schema);
    (types.is_empty() || types.contains(Types::STRING)) && !is_true(tree, schema, "writeOnly")
}

struct Place<'p> {
    schemas: &'p Schemas,
    node: &'p SchemaNode,
    index: u32,
}

fn diagnostic(cx: &Context<'_>, place: &Place<'_>, key: At, name: &str, kind: Kind) -> Diagnostic {
    let owner = place
        .schemas
        .group_root(place.node)
        .map_or_else(|| "a schema".to_owned(), |r| r.label.clone());
    let path = place.schemas.path(place.index);
    let property = if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    };
    let group_root = place.schemas.node(place.node.group).and_then(|g| g.root);
    let used = place
        .node
        .first_use(Usage::Response)
        .filter(|u| Some(*u) != group_root)
        .and_then(|u| place.schemas.root(u));
    let returned = place.node.used_as(Usage::Response);
    let mut diagnostic = cx
        .diagnostic(
            &SensitivePropertyExposed::META,
            key,
            message(
                &owner,
                &property,
                kind,
                returned,
                used.map(|u| u.label.as_str()),
            ),
        )
        .with_help(help());
    if let Some(used) = used.filter(|u| u.at.file == key.file) {
        diagnostic = diagnostic.with_label(used.span, "returned here");
    }
    diagnostic
}

fn message(
    owner: &str,
    property: &str,
    kind: Kind,
    returned: bool,
    returned_in: Option<&str>,
) -> String {
    match (returned, returned_in) {
        (true, Some(place)) => format!(
            "property \"{property}\" of {owner} looks like {} and is returned in the {place}",
            kind.noun()
        ),
        (true, None) => format!(
            "property \"{property}\" of the {owner} looks like {} and is returned in clear",
            kind.noun()
        ),
        (false, _) => format!(
            "property \"{property}\" of shared {owner} looks like {} and is not writeOnly",
            kind.noun()
        ),
    }
}

fn help() -> &'static str {
    "mark the property `writeOnly: true`, or use separate request and response schemas so responses never carry it"
}

#[cfg(test)]
mod tests {
    use super::Kind;

    #[test]
    fn kinds_of_names() {
        assert_eq!(Kind::of("password"), Some(Kind::Password));
        assert_eq!(Kind::of("newPassword"), Some(Kind::Password));
        assert_eq!(Kind::of("client_secret"), Some(Kind::Secret));
        assert_eq!(Kind::of("privateKey"), Some(Kind::Secret));
        assert_eq!(Kind::of("api_token"), Some(Kind::Token));
        assert_eq!(Kind::of("apiKey"), Some(Kind::Token));
        for name in [
            "password_changed_at",
            "secret_type",
            "next_page_token",
            "tokens",
            "key",
            "public_key",
        ] {
            assert_eq!(Kind::of(name), None, "{name}");
        }
    }
}
