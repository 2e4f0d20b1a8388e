use backend_check_core::{declare_rule, Severity, Sink};

use crate::model::Server;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks where the API says it is served from. A server URL with plain
    /// `http://` (or `ws://`) is a warning, unless its host is local (`localhost`,
    /// `127.0.0.1`, `[::1]`, `0.0.0.0`, `*.localhost`, `*.local`, `*.internal`) or a
    /// single-label name that only a private network resolves (`http://doc-engine:8000`,
    /// a container or cluster service called from its neighbours). As information
    /// it notes servers on the placeholder domains `example.com`, `example.org` and
    /// `example.net`. A document without `servers` is not reported: its clients
    /// call the base URL they are given (self-hosted and regional services), so it
    /// says nothing about transport. Server variables are replaced
    /// by their defaults first; in Swagger 2.0 the servers are `schemes` with
    /// `host` and `basePath`. A server whose whole host is a variable
    /// (`{scheme}://{host}/api`) is the template of a self-hosted install:
    /// its defaults are examples and it is not reported.
    ///
    /// ## Why is this bad?
    /// Over plain HTTP, credentials, tokens and personal data travel in clear and
    /// can be read or changed by anyone on the path. Generated clients and API
    /// consoles call the URL the spec gives, so an `http://` production server in
    /// the spec is how insecure calls get shipped. A placeholder host means the
    /// spec does not say where the API really lives.
    ///
    /// ## Example
    /// ```yaml
    /// servers:
    ///   - url: http://api.shop.io/v1
    ///   - url: https://example.com/v1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// servers:
    ///   - url: https://api.shop.io/v1
    ///   - url: http://localhost:8080/v1
    ///     description: local development
    /// ```
    ///
    /// ## Options
    /// None.
    pub InsecureServer {
        code: "OAS004",
        name: "insecure-server",
        checklist: SecTransport,
        group: Suspicious,
        severity: Warning,
        summary: "a server over plain http (localhost excepted), or a placeholder host",
    }
}

impl InsecureServer {
    /// Reports insecure, placeholder and missing servers.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for server in &cx.api.servers {
            if is_install_template(cx, server) {
                continue;
            }
            if let Some(finding) = judge(&server.url) {
                sink.push(diagnostic(cx, server, finding));
            }
        }
    }
}

/// `{scheme}://{host}/api`: a template each self-hosted install fills in, so
/// its defaults are examples, not the host the API is served from.
fn is_install_template(cx: &Context<'_>, server: &Server) -> bool {
    crate::model::text_at(cx.docs, server.node).is_some_and(|written| {
        let rest = written
            .split_once("://")
            .map_or(written.as_str(), |(_, r)| r);
        let authority = rest.split('/').next().unwrap_or(rest);
        let host = authority.rsplit('@').next().unwrap_or(authority);
        let host = match host.split_once("}:") {
            Some((name, _)) => format!("{name}}}"),
            None => host.split(':').next().unwrap_or(host).to_owned(),
        };
        host.starts_with('{') && host.ends_with('}') && host.matches('{').count() == 1
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Finding {
    PlainHttp,
    Placeholder,
}

fn diagnostic(
    cx: &Context<'_>,
    server: &Server,
    finding: Finding,
) -> backend_check_core::Diagnostic {
    let rule = &InsecureServer::META;
    match finding {
        Finding::PlainHttp => cx
            .diagnostic(rule, server.node, http_message(&server.url))
            .with_help(http_help()),
        Finding::Placeholder => cx
            .diagnostic(rule, server.node, placeholder_message(&server.url))
            .with_help(placeholder_help())
            .with_severity(Severity::Info),
    }
}

fn judge(url: &str) -> Option<Finding> {
    let lower = url.trim().to_ascii_lowercase();
    let (scheme, rest) = lower.split_once("://")?;
    let host = host_of(rest);
    if is_placeholder(host) {
        return Some(Finding::Placeholder);
    }
    let plain = matches!(scheme, "http" | "ws");
    (plain && !is_local(host)).then_some(Finding::PlainHttp)
}

/// The host of `host:port/path` (an IPv6 literal keeps its brackets).
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    if authority.starts_with('[') {
        return authority.split(']').next().map_or(authority, |h| {
            authority.get(..h.len() + 1).unwrap_or(authority)
        });
    }
    authority.split(':').next().unwrap_or(authority)
}

/// Whether only the machine or its private network resolves the host: a
/// loopback name or address, an mDNS `.local` or a private-use `.internal`
/// name, or a single-label name (`doc-engine`, `postgres-mcp`: a container,
/// Compose or Kubernetes service reached inside its cluster network).
fn is_local(host: &str) -> bool {
    let single_label =
        !host.contains('.') && !host.starts_with('[') && !host.chars().all(|c| c.is_ascii_digit());
    host == "localhost"
        || single_label
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || host.starts_with("127.")
        || host == "0.0.0.0"
        || host == "[::1]"
        || host.is_empty()
        || host.starts_with('{')
}

fn is_placeholder(host: &str) -> bool {
    ["example.com", "example.org", "example.net"]
        .iter()
        .any(|d| host == *d || host.strip_suffix(d).is_some_and(|p| p.ends_with('.')))
}

fn http_message(url: &str) -> String {
    format!("server \"{url}\" uses plain http")
}

fn http_help() -> &'static str {
    "serve the API over https and list the https URL; keep http only for localhost development servers"
}

fn placeholder_message(url: &str) -> String {
    format!("server \"{url}\" is a placeholder domain")
}

fn placeholder_help() -> &'static str {
    "list the real host the API is served from"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn servers_are_judged() {
        assert_eq!(judge("http://api.shop.io/v1"), Some(Finding::PlainHttp));
        assert_eq!(judge("ws://events.shop.io"), Some(Finding::PlainHttp));
        assert_eq!(judge("https://api.shop.io"), None);
        assert_eq!(judge("http://localhost:8080"), None);
        assert_eq!(judge("http://127.0.0.1:3000/api"), None);
        assert_eq!(judge("http://[::1]:3000/api"), None);
        assert_eq!(judge("http://petstore.local"), None);
        assert_eq!(judge("http://doc-engine:8000"), None);
        assert_eq!(judge("http://billing.internal/v1"), None);
        assert_eq!(judge("http://10.0.0.7:8080"), Some(Finding::PlainHttp));
        assert_eq!(judge("/api/v1"), None);
        assert_eq!(
            judge("https://api.example.com/v1"),
            Some(Finding::Placeholder)
        );
        assert_eq!(judge("https://notexample.com/v1"), None);
        assert_eq!(
            judge("http://user@api.shop.io:80"),
            Some(Finding::PlainHttp)
        );
    }
}
