use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, SchemeKind, SecurityScheme, SpecVersion};
use crate::rules::lookup::has_text;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Notes OAuth 2.0 `authorizationCode` and `password` flows (3.x) that
    /// declare no `refreshUrl`. These are the flows that issue refresh tokens;
    /// `implicit` and `clientCredentials` flows do not and are not checked.
    /// Swagger 2.0 has no `refreshUrl` and is not checked.
    ///
    /// ## Why is this bad?
    /// Access tokens should be short-lived, so a leaked token is useless within
    /// minutes. That only works when clients can get a new one without asking
    /// the user again, which is what the refresh endpoint is for. A flow without
    /// one pushes integrators towards long-lived access tokens.
    ///
    /// ## Example
    /// ```yaml
    /// oauth:
    ///   type: oauth2
    ///   flows:
    ///     authorizationCode:
    ///       authorizationUrl: https://auth.shop.io/authorize
    ///       tokenUrl: https://auth.shop.io/token
    ///       scopes: {orders:read: read orders}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// oauth:
    ///   type: oauth2
    ///   flows:
    ///     authorizationCode:
    ///       authorizationUrl: https://auth.shop.io/authorize
    ///       tokenUrl: https://auth.shop.io/token
    ///       refreshUrl: https://auth.shop.io/token
    ///       scopes: {orders:read: read orders}
    /// ```
    ///
    /// ## Options
    /// None.
    pub OauthWithoutRefreshUrl {
        code: "OAS048",
        name: "oauth-without-refresh-url",
        checklist: SecAuthz,
        group: Pedantic,
        severity: Info,
        summary: "an OAuth 2.0 authorization-code or password flow without refreshUrl",
    }
}

impl OauthWithoutRefreshUrl {
    /// Notes refresh-token flows without a refresh URL.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.version == SpecVersion::Swagger2 {
            return;
        }
        for scheme in &cx.api.security_schemes {
            if matches!(scheme.kind, SchemeKind::OAuth2 { .. }) {
                check_scheme(cx, sink, scheme);
            }
        }
    }
}

fn check_scheme(cx: &Context<'_>, sink: &mut Sink<'_>, scheme: &SecurityScheme) {
    let Some(flows) = child(cx.docs, scheme.node, "flows").map(|f| cx.docs.follow(f)) else {
        return;
    };
    let tree = cx.docs.tree(flows.file);
    for entry in tree.members(flows.node) {
        let Some(flow) = tree.text(entry.key) else {
            continue;
        };
        let node = At::new(flows.file, entry.value);
        if matches!(flow, "authorizationCode" | "password") && !has_text(cx, node, "refreshUrl") {
            sink.push(
                cx.diagnostic(
                    &OauthWithoutRefreshUrl::META,
                    At::new(flows.file, entry.key),
                    message(&scheme.name, flow),
                )
                .with_help(help()),
            );
        }
    }
}

fn message(scheme: &str, flow: &str) -> String {
    format!("{flow} flow of OAuth scheme \"{scheme}\" declares no refreshUrl")
}

fn help() -> &'static str {
    "declare `refreshUrl` so clients can renew short-lived access tokens"
}
