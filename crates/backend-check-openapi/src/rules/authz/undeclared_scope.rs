use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{Requirement, SchemeKind, Security};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds scopes in security requirements (document-wide or on an
    /// operation) that the named OAuth 2.0 scheme does not declare in any of
    /// its flows (3.x) or in its `scopes` (2.0). OpenID Connect scopes are
    /// declared by the provider, not the spec, and are not checked.
    ///
    /// ## Why is this bad?
    /// A token can only carry scopes the authorization server issues, which are
    /// the ones the scheme declares. An undeclared scope, usually a typo
    /// (`order:write` for `orders:write`), makes the operation impossible to
    /// call, or makes clients ask for a scope that does not exist.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     oauth:
    ///       type: oauth2
    ///       flows:
    ///         clientCredentials:
    ///           tokenUrl: https://auth.shop.io/token
    ///           scopes: {orders:write: change orders}
    /// paths:
    ///   /orders:
    ///     post:
    ///       security:
    ///         - oauth: [order:write]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       security:
    ///         - oauth: [orders:write]
    /// ```
    ///
    /// ## Options
    /// None.
    pub UndeclaredScope {
        code: "OAS043",
        name: "undeclared-scope",
        checklist: SecAuthz,
        group: Correctness,
        severity: Warning,
        summary: "a security requirement that asks for a scope its OAuth 2.0 scheme does not declare",
    }
}

impl UndeclaredScope {
    /// Reports each undeclared scope where it is written.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let securities = cx
            .api
            .security
            .iter()
            .chain(cx.api.operations.iter().filter_map(|o| o.security.as_ref()));
        for security in securities {
            if seen.insert(security.key) {
                check_security(cx, sink, security);
            }
        }
    }
}

fn check_security(cx: &Context<'_>, sink: &mut Sink<'_>, security: &Security) {
    for requirement in &security.requirements {
        for (name, _, _) in &requirement.schemes {
            let Some(SchemeKind::OAuth2 { scopes: declared }) =
                cx.api.scheme(name).map(|s| &s.kind)
            else {
                continue;
            };
            for (scope, at) in written_scopes(cx, requirement, name) {
                if !declared.contains(&scope) {
                    sink.push(
                        cx.diagnostic(&UndeclaredScope::META, at, message(&scope, name))
                            .with_help(help()),
                    );
                }
            }
        }
    }
}

/// The scopes a requirement lists for a scheme, with their nodes.
fn written_scopes(cx: &Context<'_>, requirement: &Requirement, scheme: &str) -> Vec<(String, At)> {
    let file = requirement.node.file;
    let tree = cx.docs.tree(file);
    let Some(list) = tree.get_value(requirement.node.node, scheme) else {
        return Vec::new();
    };
    tree.items(list)
        .iter()
        .filter_map(|item| Some((tree.text(*item)?.to_owned(), At::new(file, *item))))
        .collect()
}

fn message(scope: &str, scheme: &str) -> String {
    format!("scope \"{scope}\" is not declared by security scheme \"{scheme}\"")
}

fn help() -> &'static str {
    "use a scope the scheme declares under `flows.*.scopes` (2.0: `scopes`), or declare it there"
}
