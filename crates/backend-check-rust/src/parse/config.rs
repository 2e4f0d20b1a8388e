//! Configuration written as literals: connection URLs (`postgres://…`),
//! socket addresses given to `bind` / `connect`, and URLs of non-public hosts
//! given to HTTP clients. Bodies report them through [`classify_call`] and
//! [`connection_url`]; module-level `const` / `static` items through [`consts`].

use syn::visit::{self, Visit};
use syn::{Expr, Lit};

use super::attrs::is_test_item;
use super::SpanMap;
use crate::model::{ConfigKind, ConfigLiteral};

/// URL schemes of databases, caches and brokers.
const CONNECTION_SCHEMES: &[&str] = &[
    "postgres",
    "postgresql",
    "mysql",
    "mariadb",
    "mssql",
    "sqlserver",
    "redis",
    "rediss",
    "amqp",
    "amqps",
    "mongodb",
    "mongodb+srv",
    "nats",
    "kafka",
    "clickhouse",
    "memcache",
    "memcached",
    "cassandra",
    "neo4j",
    "bolt",
    "ldap",
    "ldaps",
];

/// Methods that listen on or connect to an address given as their first argument.
const ADDRESS_METHODS: &[&str] = &[
    "bind",
    "bind_rustls",
    "bind_rustls_021",
    "bind_rustls_0_22",
    "bind_rustls_0_23",
    "bind_openssl",
    "bind_auto_h2c",
    "listen",
    "connect",
    "connect_timeout",
];

/// HTTP client methods and functions whose first argument is a URL.
const URL_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "head", "base_url", "url", "endpoint", "uri",
];

/// A literal string and its span.
pub struct StrLit {
    /// The value.
    pub value: String,
    /// The span.
    pub span: proc_macro2::Span,
}

/// A string literal behind `&`, parentheses, `.to_string()`, `.to_owned()`,
/// `.into()`, `String::from(…)`.
pub fn str_lit(expr: &Expr) -> Option<StrLit> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(StrLit {
                value: s.value(),
                span: s.span(),
            }),
            _ => None,
        },
        Expr::Reference(r) => str_lit(&r.expr),
        Expr::Paren(p) => str_lit(&p.expr),
        Expr::Group(g) => str_lit(&g.expr),
        Expr::MethodCall(m) if m.args.is_empty() => match m.method.to_string().as_str() {
            "to_string" | "to_owned" | "into" | "as_str" => str_lit(&m.receiver),
            _ => None,
        },
        Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == "from")
                    && p.path.segments.len() >= 2 =>
            {
                c.args.first().and_then(str_lit)
            }
            _ => None,
        },
        _ => None,
    }
}

/// Whether a literal is a connection URL (`postgres://app@db/app`), not a template.
pub fn connection_url(value: &str) -> bool {
    let Some((scheme, rest)) = value.split_once("://") else {
        return false;
    };
    CONNECTION_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str())
        && !rest.is_empty()
        && !value.contains(['{', '$', ' ', '<'])
}

/// The host of a URL (`db` in `postgres://u:p@db:5432/app`), lower-cased.
fn url_host(value: &str) -> Option<String> {
    let (_, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host_port.split(':').next()?
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Whether a host is not reachable from the public internet: localhost,
/// loopback, private and link-local ranges, single-label names (a compose
/// service) and internal suffixes.
pub fn is_private_host(host: &str) -> bool {
    if host == "localhost" || host == "::1" || host == "0.0.0.0" {
        return true;
    }
    let octets: Vec<u8> = host.split('.').filter_map(|p| p.parse().ok()).collect();
    if let [a, b, _, _] = octets.as_slice() {
        if host.split('.').count() == 4 {
            return *a == 127
                || *a == 10
                || (*a == 192 && *b == 168)
                || (*a == 172 && (16..=31).contains(b))
                || (*a == 169 && *b == 254);
        }
    }
    let internal_suffix = [
        ".local",
        ".internal",
        ".lan",
        ".localhost",
        ".svc",
        ".cluster.local",
        ".corp",
        ".intranet",
    ];
    let single_label = !host.contains('.') && !host.contains(':');
    single_label
        || internal_suffix.iter().any(|s| host.ends_with(s))
        || host.starts_with("internal.")
}

/// An `http(s)://` URL of a non-public host.
pub fn internal_http_url(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !value.contains(['{', '$', ' '])
        && url_host(value).is_some_and(|h| is_private_host(&h))
}

/// `host:port`, `ip:port` or `[v6]:port` with a literal port.
pub fn socket_address(value: &str) -> bool {
    let Some((host, port)) = value.rsplit_once(':') else {
        return false;
    };
    let host_ok = !host.is_empty()
        && !host.contains('/')
        && (host.starts_with('[') && host.ends_with(']')
            || host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
    host_ok && port.parse::<u16>().is_ok_and(|p| p != 0)
}

/// A literal address or URL given to a call: `bind("0.0.0.0:8080")`,
/// `bind(("127.0.0.1", 8080))`, `SocketAddr::from(([0, 0, 0, 0], 3000))`,
/// `client.get("http://localhost:9000/x")`. `name` is the method or the last
/// segment of the called path, `path` the whole called path.
pub fn classify_call<'e>(
    name: &str,
    path: &[String],
    args: &[&'e Expr],
) -> Option<(ConfigKind, &'e Expr, String)> {
    let first = *args.first()?;
    if ADDRESS_METHODS.contains(&name) {
        let kind = if name.starts_with("connect") {
            ConfigKind::ConnectAddress
        } else {
            ConfigKind::ListenAddress
        };
        if let Some(lit) = str_lit(first).filter(|l| socket_address(&l.value)) {
            return Some((kind, first, lit.value));
        }
        if let Some(text) = literal_tuple_address(first) {
            return Some((kind, first, text));
        }
    }
    let type_name = path.len().checked_sub(2).and_then(|i| path.get(i));
    let socket_ctor =
        type_name.is_some_and(|t| t.starts_with("SocketAddr")) && matches!(name, "from" | "new");
    if socket_ctor {
        let text = match args {
            [only] => literal_tuple_address(only),
            [ip, port] => literal_port(port).and_then(|p| Some(format!("{}:{p}", short_ip(ip)?))),
            _ => None,
        };
        if let Some(text) = text {
            return Some((ConfigKind::ListenAddress, first, text));
        }
    }
    if URL_METHODS.contains(&name) || (name == "request" && args.len() == 2) {
        let url = if name == "request" {
            args.get(1)
        } else {
            Some(&first)
        };
        if let Some(url) = url {
            if let Some(lit) = str_lit(url).filter(|l| internal_http_url(&l.value)) {
                return Some((ConfigKind::InternalUrl, url, lit.value));
            }
        }
    }
    None
}

/// `("127.0.0.1", 8080)` or `([0, 0, 0, 0], 8080)` with a literal port.
fn literal_tuple_address(expr: &Expr) -> Option<String> {
    let Expr::Tuple(t) = strip(expr) else {
        return None;
    };
    let (Some(host), Some(port), 2) = (t.elems.first(), t.elems.get(1), t.elems.len()) else {
        return None;
    };
    let port = literal_port(port)?;
    let host = match str_lit(host) {
        Some(l) => l.value,
        None => short_ip(host)?,
    };
    Some(format!("{host}:{port}"))
}

/// A literal port other than 0 (0 asks the system for a free port).
fn literal_port(expr: &Expr) -> Option<u16> {
    literal_number(expr).filter(|p| *p != 0)
}

fn literal_number(expr: &Expr) -> Option<u16> {
    match strip(expr) {
        Expr::Lit(l) => match &l.lit {
            Lit::Int(i) => i.base10_parse().ok(),
            _ => None,
        },
        _ => None,
    }
}

/// A literal IP written as `[0, 0, 0, 0]`, `"127.0.0.1"`, `Ipv4Addr::UNSPECIFIED` or
/// `Ipv4Addr::new(127, 0, 0, 1)` (not a variable).
fn short_ip(expr: &Expr) -> Option<String> {
    let numbers = |elems: Vec<&Expr>| {
        elems
            .into_iter()
            .map(|e| literal_number(e).map(|n| n.to_string()))
            .collect::<Option<Vec<_>>>()
            .map(|parts| parts.join("."))
    };
    match strip(expr) {
        Expr::Array(a) => numbers(a.elems.iter().collect()),
        Expr::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .filter(|name| name.chars().all(|c| c.is_ascii_uppercase() || c == '_')),
        Expr::Call(c) => numbers(c.args.iter().collect()),
        other => str_lit(other).map(|l| l.value),
    }
}

fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => strip(&r.expr),
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        Expr::Cast(c) => strip(&c.expr),
        _ => expr,
    }
}

/// A connection URL as shown in messages: the password and query string dropped.
pub fn redact(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once("://") else {
        return value.to_owned();
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(end);
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => format!("{userinfo}@{host}"),
        },
        None => authority.to_owned(),
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    format!("{scheme}://{authority}{path}")
}

/// Connection URLs and internal URLs in `const` / `static` items outside test modules.
pub fn consts(ast: &syn::File, spans: &SpanMap<'_>) -> Vec<ConfigLiteral> {
    if super::attrs::is_cfg_test(&ast.attrs) {
        return Vec::new();
    }
    let mut v = ConstVisitor {
        spans,
        out: Vec::new(),
    };
    v.visit_file(ast);
    v.out
}

struct ConstVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    out: Vec<ConfigLiteral>,
}

impl ConstVisitor<'_, '_> {
    fn item(&mut self, name: &str, expr: &Expr) {
        let Some(lit) = str_lit(expr) else {
            return;
        };
        let kind = if connection_url(&lit.value) {
            ConfigKind::ConnectionUrl
        } else if internal_http_url(&lit.value) {
            ConfigKind::InternalUrl
        } else {
            return;
        };
        self.out.push(ConfigLiteral {
            span: self.spans.span(lit.span),
            kind,
            value: lit.value,
            is_default: name.to_ascii_uppercase().contains("DEFAULT"),
        });
    }
}

impl<'ast> Visit<'ast> for ConstVisitor<'_, '_> {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if !is_test_item(&node.attrs) {
            visit::visit_item_mod(self, node);
        }
    }

    fn visit_item_const(&mut self, node: &'ast syn::ItemConst) {
        if !is_test_item(&node.attrs) {
            self.item(&node.ident.to_string(), &node.expr);
        }
    }

    fn visit_item_static(&mut self, node: &'ast syn::ItemStatic) {
        if !is_test_item(&node.attrs) {
            self.item(&node.ident.to_string(), &node.expr);
        }
    }

    fn visit_item_fn(&mut self, _: &'ast syn::ItemFn) {}

    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        if is_test_item(&node.attrs) {
            return;
        }
        for item in &node.items {
            if let syn::ImplItem::Const(c) = item {
                self.item(&c.ident.to_string(), &c.expr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_addresses_and_urls() {
        assert!(connection_url("postgres://app:pw@db:5432/app"));
        assert!(!connection_url("postgres://{}:{}@{}/{}"));
        assert!(!connection_url("https://example.com"));
        assert!(internal_http_url("http://localhost:9000/upload"));
        assert!(internal_http_url("http://10.1.2.3/x"));
        assert!(internal_http_url("http://billing:8080/charge"));
        assert!(internal_http_url("https://api.svc.cluster.local/v1"));
        assert!(!internal_http_url("https://api.github.com/user"));
        assert!(!internal_http_url("http://172.32.0.1/"));
        assert!(socket_address("0.0.0.0:8080"));
        assert!(socket_address("[::1]:3000"));
        assert!(socket_address("localhost:3000"));
        assert!(!socket_address("sqlite::memory:"));
        assert!(!socket_address("0.0.0.0:{}"));
        assert!(!socket_address("/tmp/app.sock"));
        assert_eq!(
            redact("postgres://app:hunter2@db:5432/app?sslmode=disable"),
            "postgres://app:***@db:5432/app"
        );
    }
}
