use backend_check_core::{declare_rule, Diagnostic, Severity, Sink};

use crate::model::{SchemeKind, SecurityScheme};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks each declared security scheme. HTTP Basic authentication (3.x
    /// `type: http, scheme: basic`, 2.0 `type: basic`) and API keys sent in the
    /// query string are warnings; so are the obsolete `digest` and `negotiate`
    /// HTTP schemes. As information it notes bearer schemes without
    /// `bearerFormat`, which leave clients guessing what the token is.
    ///
    /// ## Why is this bad?
    /// Basic authentication sends the user's long-lived password with every
    /// request, base64-encoded but not protected, and cannot carry scopes or
    /// expiry. An API key in the query string ends up in server access logs,
    /// proxy logs, browser history and `Referer` headers, where anyone reading
    /// them can reuse it.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     basic: {type: http, scheme: basic}
    ///     key: {type: apiKey, in: query, name: api_key}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   securitySchemes:
    ///     bearer: {type: http, scheme: bearer, bearerFormat: JWT}
    ///     key: {type: apiKey, in: header, name: X-Api-Key}
    /// ```
    ///
    /// ## Options
    /// None. Where Basic is required by a legacy client, put
    /// `x-backend-check-allow: [OAS007]` on the scheme.
    pub WeakAuthScheme {
        code: "OAS007",
        name: "weak-auth-scheme",
        checklist: SecAuthn,
        group: Pedantic,
        severity: Warning,
        summary: "a security scheme using HTTP Basic or an API key in the query string, or a bearer scheme without bearerFormat",
    }
}

impl WeakAuthScheme {
    /// Reports weak or under-specified security schemes.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for scheme in &cx.api.security_schemes {
            if let Some(diagnostic) = check_scheme(cx, scheme) {
                sink.push(diagnostic);
            }
        }
    }
}

fn check_scheme(cx: &Context<'_>, scheme: &SecurityScheme) -> Option<Diagnostic> {
    let rule = &WeakAuthScheme::META;
    let at = scheme.key;
    match &scheme.kind {
        SchemeKind::Http { scheme: kind, .. }
            if matches!(kind.as_str(), "basic" | "digest" | "negotiate") =>
        {
            Some(
                cx.diagnostic(rule, at, http_message(&scheme.name, kind))
                    .with_help(http_help()),
            )
        }
        SchemeKind::Http {
            scheme: kind,
            bearer_format: false,
        } if kind == "bearer" => Some(
            cx.diagnostic(rule, at, bearer_message(&scheme.name))
                .with_help(bearer_help())
                .with_severity(Severity::Info),
        ),
        SchemeKind::ApiKey { location } if location == "query" => Some(
            cx.diagnostic(rule, at, query_key_message(&scheme.name))
                .with_help(query_key_help()),
        ),
        _ => None,
    }
}

fn http_message(name: &str, kind: &str) -> String {
    format!("security scheme \"{name}\" uses HTTP {kind} authentication")
}

fn http_help() -> &'static str {
    "use short-lived tokens (OAuth 2.0, OpenID Connect or a bearer JWT) instead of sending passwords with every request"
}

fn bearer_message(name: &str) -> String {
    format!("bearer scheme \"{name}\" does not say what its token is (`bearerFormat`)")
}

fn bearer_help() -> &'static str {
    "add `bearerFormat` (e.g. `JWT`) so clients and reviewers know how the token is issued and checked"
}

fn query_key_message(name: &str) -> String {
    format!("API key scheme \"{name}\" sends the key in the query string")
}

fn query_key_help() -> &'static str {
    "send the key in a header (`in: header`, e.g. `X-Api-Key`) so it stays out of logs and browser history"
}
