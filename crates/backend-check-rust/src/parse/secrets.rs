//! String literals that look like secrets: bound to, assigned to or compared
//! with secret-named variables, fields and constants; known key formats
//! anywhere; literal keys given to JWT / HMAC / cookie key constructors;
//! passwords inside URL literals. Test items are skipped.

use syn::visit::{self, Visit};
use syn::{Expr, Lit, Pat};

use super::attrs::is_test_item;
use super::SpanMap;
use crate::model::{SecretKind, SecretLiteral};

/// Finds secret-looking literals in a file.
pub fn find(ast: &syn::File, spans: &SpanMap<'_>) -> Vec<SecretLiteral> {
    if super::attrs::is_cfg_test(&ast.attrs) {
        return Vec::new();
    }
    let mut v = SecretVisitor {
        spans,
        out: Vec::new(),
    };
    v.visit_file(ast);
    v.out
}

struct SecretVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    out: Vec<SecretLiteral>,
}

impl SecretVisitor<'_, '_> {
    fn push(&mut self, lit: &Literal, kind: SecretKind, name: Option<String>) {
        let value = &lit.value;
        let span = self.spans.span(lit.span);
        if self.out.iter().any(|s| s.span == span) {
            return;
        }
        self.out.push(SecretLiteral {
            span,
            kind,
            name,
            masked: mask(value),
        });
    }

    /// A literal given a secret-looking name.
    fn named(&mut self, name: &str, expr: &Expr) {
        if !is_secret_name(name) {
            return;
        }
        if let Some(lit) = string_lit(expr) {
            // A key format is that key whatever its name (RS006, not RS030).
            if let Some(kind) = known_format(&lit.value) {
                self.push(&lit, kind, None);
            } else if is_plausible_secret(&lit.value) && !is_label(name, &lit.value) {
                self.push(&lit, SecretKind::Named, Some(name.to_owned()));
            }
        }
    }

    fn item_test(attrs: &[syn::Attribute]) -> bool {
        is_test_item(attrs)
    }
}

impl<'ast> Visit<'ast> for SecretVisitor<'_, '_> {
    fn visit_item_mod(&mut self, node: &'ast syn::ItemMod) {
        if !Self::item_test(&node.attrs) {
            visit::visit_item_mod(self, node);
        }
    }

    fn visit_item_fn(&mut self, node: &'ast syn::ItemFn) {
        if !Self::item_test(&node.attrs) {
            visit::visit_item_fn(self, node);
        }
    }

    fn visit_item_impl(&mut self, node: &'ast syn::ItemImpl) {
        if !Self::item_test(&node.attrs) {
            visit::visit_item_impl(self, node);
        }
    }

    fn visit_impl_item_fn(&mut self, node: &'ast syn::ImplItemFn) {
        if !Self::item_test(&node.attrs) {
            visit::visit_impl_item_fn(self, node);
        }
    }

    // A constant or static compiled only into test or development builds
    // (`#[cfg(feature = "test_mode")] const TEST_RSA_KEY: &str = "-----BEGIN…"`).
    fn visit_item_const(&mut self, node: &'ast syn::ItemConst) {
        if !super::attrs::is_cfg_off_by_default(&node.attrs) {
            self.named(&node.ident.to_string(), &node.expr);
            visit::visit_item_const(self, node);
        }
    }

    fn visit_item_static(&mut self, node: &'ast syn::ItemStatic) {
        if !super::attrs::is_cfg_off_by_default(&node.attrs) {
            self.named(&node.ident.to_string(), &node.expr);
            visit::visit_item_static(self, node);
        }
    }

    fn visit_local(&mut self, node: &'ast syn::Local) {
        if let (Some(name), Some(init)) = (pat_name(&node.pat), &node.init) {
            self.named(&name, &init.expr);
        }
        visit::visit_local(self, node);
    }

    fn visit_field_value(&mut self, node: &'ast syn::FieldValue) {
        if let syn::Member::Named(ident) = &node.member {
            self.named(&ident.to_string(), &node.expr);
        }
        visit::visit_field_value(self, node);
    }

    fn visit_expr_binary(&mut self, node: &'ast syn::ExprBinary) {
        if matches!(node.op, syn::BinOp::Eq(_) | syn::BinOp::Ne(_)) {
            for (a, b) in [(&node.left, &node.right), (&node.right, &node.left)] {
                if let Some(name) = expr_name(a) {
                    self.named(&name, b);
                }
            }
        }
        visit::visit_expr_binary(self, node);
    }

    fn visit_expr_call(&mut self, node: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*node.func {
            let segments: Vec<String> = p
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            // A test vector: the value given to `TestValue::Single(…)`,
            // `test_case(…)`, `Example::new(…)` (a secret scanner's table of
            // patterns with a sample of each).
            if segments.iter().any(|s| names_a_sample(s)) {
                return;
            }
            // The last two segments, last first (`Key::from` → `from`, `Key`).
            let tail: Vec<&str> = segments.iter().rev().take(2).map(String::as_str).collect();
            let key_constructor = matches!(
                tail.as_slice(),
                ["from_secret", "EncodingKey" | "DecodingKey"]
                    | ["new_from_slice", _]
                    | ["from", "Key"]
                    | ["from_base64_secret", _]
            );
            // `Key::from` is also how logging and map APIs make a key name
            // (`slog::Key::from("component")`); a cookie or signing key made
            // from bytes needs at least 32 of them (`cookie::Key::from`
            // panics below 64), so a shorter literal is a name.
            let name_sized = tail == ["from", "Key"];
            if key_constructor {
                if let Some(lit) = node.args.first().and_then(string_lit) {
                    let a_name = lit.value.is_empty()
                        || is_identifier_like(&lit.value)
                        || (name_sized && lit.value.len() < 32);
                    if !a_name {
                        self.push(&lit, SecretKind::KeyConstructor, Some(segments.join("::")));
                    }
                }
            }
        }
        visit::visit_expr_call(self, node);
    }

    fn visit_lit_str(&mut self, node: &'ast syn::LitStr) {
        let lit = Literal {
            value: node.value(),
            span: node.span(),
        };
        if let Some(kind) = known_format(&lit.value) {
            self.push(&lit, kind, None);
        } else if url_with_password(&lit.value) {
            self.push(&lit, SecretKind::UrlPassword, None);
        }
    }

    // Doc comments (`#[doc = "…"]`) show examples and formats, such as a
    // PEM header a field accepts or a doctest's throwaway key; they are not
    // values the program uses.
    fn visit_attribute(&mut self, node: &'ast syn::Attribute) {
        if !node.path().is_ident("doc") {
            visit::visit_attribute(self, node);
        }
    }

    // A `match` arm compiled only into test or stub builds
    // (`#[cfg(feature = "stub")] Router::Stub => token == "success"`).
    fn visit_arm(&mut self, node: &'ast syn::Arm) {
        if !super::attrs::is_cfg_off_by_default(&node.attrs) {
            visit::visit_arm(self, node);
        }
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        for expr in super::macros::arguments(node) {
            self.visit_expr(&expr);
        }
    }
}

/// Whether a path segment names test data (`TestValue`, `test_case`,
/// `Example`, `sample_key`, `FakeToken`, `dummy`).
fn names_a_sample(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    lower.starts_with("test")
        || ["example", "sample", "dummy", "fake"]
            .iter()
            .any(|w| lower.starts_with(w))
}

/// A string or byte-string literal's text and span.
struct Literal {
    value: String,
    span: proc_macro2::Span,
}

/// A string literal, also `b"…"` byte strings, behind `&`, `.as_bytes()`, `.to_string()`, `.into()`.
fn string_lit(expr: &Expr) -> Option<Literal> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(Literal {
                value: s.value(),
                span: s.span(),
            }),
            Lit::ByteStr(b) => Some(Literal {
                value: String::from_utf8_lossy(&b.value()).into_owned(),
                span: b.span(),
            }),
            _ => None,
        },
        Expr::Reference(r) => string_lit(&r.expr),
        Expr::Paren(p) => string_lit(&p.expr),
        Expr::MethodCall(m) if m.args.is_empty() => match m.method.to_string().as_str() {
            "as_bytes" | "to_string" | "to_owned" | "into" | "as_ref" => string_lit(&m.receiver),
            _ => None,
        },
        Expr::Call(c) if c.args.len() == 1 => match &*c.func {
            Expr::Path(p)
                if p.path.segments.last().is_some_and(|s| {
                    matches!(s.ident.to_string().as_str(), "from" | "new" | "Some")
                }) =>
            {
                c.args.first().and_then(string_lit)
            }
            _ => None,
        },
        _ => None,
    }
}

fn pat_name(pat: &Pat) -> Option<String> {
    match pat {
        Pat::Ident(i) => Some(i.ident.to_string()),
        Pat::Type(t) => pat_name(&t.pat),
        _ => None,
    }
}

fn expr_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Field(f) => match &f.member {
            syn::Member::Named(i) => Some(i.to_string()),
            syn::Member::Unnamed(_) => None,
        },
        Expr::Reference(r) => expr_name(&r.expr),
        Expr::MethodCall(m) if m.args.is_empty() => expr_name(&m.receiver),
        _ => None,
    }
}

/// Prefixes of constants that name a protocol item holding a secret rather
/// than the secret (`ATTR_USERPASSWORD`, `COOKIE_BEARER_TOKEN`, `HEADER_API_KEY`).
const NAME_PREFIXES: &[&str] = &[
    "attr_",
    "attribute_",
    "cookie_",
    "header_",
    "claim_",
    "field_",
    "param_",
    "control_",
    "scope_",
];

/// Product-analytics and error-reporting keys that are public by design: they
/// ship in every client build and only allow writing events.
const PUBLIC_KEY_NAMES: &[&str] = &[
    "segment",
    "mixpanel",
    "amplitude",
    "posthog",
    "sentry_dsn",
    "write_key",
];

/// The default passwords of database and broker images: known to everyone,
/// used for local development containers, not secrets.
const DEFAULT_PASSWORDS: &[&str] = &[
    // FTP's public login (RFC 1635), not a secret.
    "anonymous",
    "postgres",
    "mariadb",
    "mysql",
    "root",
    "admin",
    "guest",
    "minioadmin",
    "redis",
    "mongo",
];

/// Whether a name says it holds a secret (`jwt_secret`, `DB_PASSWORD`, `apiKey`).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let hints = [
        "secret",
        "password",
        "passwd",
        "api_key",
        "apikey",
        "private_key",
        "privatekey",
        "access_key",
        "auth_token",
        "access_token",
        "refresh_token",
        "bearer",
        "client_secret",
    ];
    let exempt = [
        "_len",
        "_length",
        "_field",
        "_header",
        "_name",
        "_path",
        "_file",
        "_env",
        "_var",
        "_url",
        "_hash",
        "_policy",
        "_prompt",
        "_label",
        "_error",
        "_placeholder",
        "_param",
        "_key_id",
    ];
    (hints.iter().any(|h| lower.contains(h)) || lower == "token" || lower.ends_with("_token"))
        && !exempt.iter().any(|e| lower.contains(e))
        && !lower.starts_with("min_")
        && !lower.starts_with("max_")
        && !NAME_PREFIXES.iter().any(|p| lower.starts_with(p))
        && !PUBLIC_KEY_NAMES.iter().any(|p| lower.contains(p))
}

/// Whether a literal bound to a secret name looks like a real value rather
/// than a placeholder, an environment variable name, a header or a message.
/// Whether a value is the name of what it labels, not a secret: an
/// authorization scheme (`Bearer`, `API-Key`, `DPoP`) or the words of its own
/// name (`TOKEN_BEARER = "Bearer"`, `TOKEN_API_KEY = "API-Key"`).
fn is_label(name: &str, value: &str) -> bool {
    let squash = |text: &str| -> String {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let raw_value = value;
    let value = squash(value);
    if matches!(
        value.as_str(),
        "bearer" | "basic" | "digest" | "token" | "apikey" | "dpop" | "negotiate" | "hoba"
    ) {
        return true;
    }
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            words.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    words.extend((!current.is_empty()).then_some(current));
    // A name that ends in what the value describes (`ACCESS_TOKEN_TYP =
    // "at+jwt"`, `TOKEN_HEADER`, `SESSION_COOKIE_NAME`) holds a label.
    let describes = words
        .last()
        .is_some_and(|last| LABEL_WORDS.contains(&last.as_str()));
    // `client_secret: "github-client-secret"`: words without digits that
    // spell the field's own name are a placeholder or a lookup key.
    let spells_name = raw_value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_')
        && !words.is_empty()
        && value.contains(&words.concat());
    // A token, key or secret is never one lower-case word (`token:
    // "generated"`); a password may be, so passwords are not excused.
    let password = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "password" | "passwd" | "pwd" | "pass" | "passphrase"
        )
    });
    let one_word = !password && raw_value.chars().all(|c| c.is_ascii_lowercase());
    describes
        || spells_name
        || one_word
        || PROTOCOL_WORDS.contains(&value.as_str())
        || (0..words.len())
            .any(|start| (start + 1..=words.len()).any(|end| words[start..end].concat() == value))
}

/// Last words of names whose value describes a secret instead of being one.
const LABEL_WORDS: &[&str] = &[
    "typ",
    "type",
    "kind",
    "format",
    "scheme",
    "alg",
    "algorithm",
    "prefix",
    "suffix",
    "header",
    "name",
    "field",
    "param",
    "parameter",
    "claim",
    "grant",
    "scope",
    "endpoint",
    "path",
];

/// OAuth 2.0 and OpenID Connect vocabulary (scopes, grant and token types),
/// squashed as [`is_label`] compares them: a token compared with `"openid"`
/// is a scope, not a secret.
const PROTOCOL_WORDS: &[&str] = &[
    "openid",
    "offlineaccess",
    "profile",
    "email",
    "refreshtoken",
    "accesstoken",
    "idtoken",
    "authorizationcode",
    "clientcredentials",
    "atjwt",
    "dpopjwt",
    "jwt",
];

fn is_plausible_secret(value: &str) -> bool {
    let v = value.trim();
    let placeholder = DEFAULT_PASSWORDS.contains(&v)
        || v.len() < 6
        || v.contains(' ')
        || v.contains("${")
        || v.starts_with("urn:")
        || v.starts_with('<')
        || v.starts_with('{')
        || v.chars()
            .all(|c| c == 'x' || c == 'X' || c == '*' || c == '.')
        || v.chars()
            .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
        || v.contains('/') && !v.contains("://")
        || v.to_ascii_lowercase().starts_with("x-")
        || is_identifier_like(v)
        || [
            "password",
            "secret",
            "token",
            "changeme",
            "example",
            "redacted",
            "dummy",
            "placeholder",
            "your-",
            "your_",
        ]
        .iter()
        .any(|p| v.to_ascii_lowercase().starts_with(p));
    !placeholder
}

/// Whether a value reads as an identifier rather than a secret: a snake_case
/// or dotted lower-case name (`oauth2_client_secret`, `es256_private_key_der`,
/// `code.module_path`), the name of a field or attribute that holds secrets.
fn is_identifier_like(value: &str) -> bool {
    let separators = value.chars().filter(|c| *c == '_' || *c == '.').count();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let letters = value.chars().filter(char::is_ascii_lowercase).count();
    separators > 0
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
        && digits * 3 <= letters
}

/// Whether a PEM private-key literal holds key material after its header: a
/// run of at least 40 base64 characters (a header alone, or a template such as
/// `"-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----"`, is none).
fn has_pem_body(value: &str) -> bool {
    let Some(start) = value.find("PRIVATE KEY-----") else {
        return false;
    };
    let body = &value[start + "PRIVATE KEY-----".len()..];
    let mut run = 0;
    for c in body.chars() {
        if c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '=' {
            run += 1;
            if run >= 40 {
                return true;
            }
        } else if !c.is_whitespace() && c != '\\' {
            run = 0;
        }
    }
    false
}

/// The format a literal matches, if it is a well-known key format.
fn known_format(value: &str) -> Option<SecretKind> {
    let alnum =
        |s: &str, n: usize| s.len() >= n && s.chars().take(n).all(|c| c.is_ascii_alphanumeric());
    let upper = |s: &str, n: usize| {
        s.len() == n
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    if value.contains("-----BEGIN") && value.contains("PRIVATE KEY-----") && has_pem_body(value) {
        return Some(SecretKind::PrivateKey);
    }
    let token = value.trim();
    if let Some(rest) = token
        .strip_prefix("AKIA")
        .or_else(|| token.strip_prefix("ASIA"))
    {
        // `AKIAIOSFODNN7EXAMPLE` is the example key of AWS's own documentation.
        if upper(rest, 16) && !rest.ends_with("EXAMPLE") {
            return Some(SecretKind::AwsKey);
        }
    }
    for prefix in ["ghp_", "gho_", "ghs_", "ghu_", "github_pat_"] {
        if token.strip_prefix(prefix).is_some_and(|r| alnum(r, 30)) {
            return Some(SecretKind::GithubToken);
        }
    }
    for prefix in ["sk_live_", "rk_live_"] {
        if token.strip_prefix(prefix).is_some_and(|r| alnum(r, 20)) {
            return Some(SecretKind::StripeKey);
        }
    }
    // The token's characters, not a pattern that describes it (`xoxb-[0-9]{11}-…`).
    let slack = token
        .strip_prefix("xoxb-")
        .or_else(|| token.strip_prefix("xoxp-"))
        .is_some_and(|r| r.len() >= 15 && r.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if slack {
        return Some(SecretKind::SlackToken);
    }
    None
}

/// `scheme://user:password@host` with a non-empty, non-placeholder password.
fn url_with_password(value: &str) -> bool {
    let Some((_, rest)) = value.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let Some((userinfo, _host)) = authority.rsplit_once('@') else {
        return false;
    };
    let Some((_, password)) = userinfo.split_once(':') else {
        return false;
    };
    let dev_default = [
        "password", "pass", "postgres", "root", "secret", "changeme", "admin", "example", "test",
        "dev", "guest", "mysql", "user",
    ];
    !password.is_empty()
        && !dev_default.contains(&password.to_ascii_lowercase().as_str())
        && !password.contains('{')
        && !password.contains('$')
        && !password.starts_with('<')
        && !password.chars().all(|c| c == '*' || c == 'x')
        && value.len() < 512
        && !value.contains(' ')
}

/// The first characters of a secret and its length: `"sk_l…" (32 characters)`.
fn mask(value: &str) -> String {
    let shown: String = value.chars().take(4).collect();
    let count = value.chars().count();
    if count <= 4 {
        format!("\"…\" ({count} characters)")
    } else {
        format!("\"{shown}…\" ({count} characters)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_and_placeholders() {
        assert!(is_secret_name("JWT_SECRET"));
        assert!(is_secret_name("db_password"));
        assert!(!is_secret_name("password_hash"));
        assert!(!is_secret_name("PASSWORD_ENV_VAR"));
        assert!(is_plausible_secret("s3cr3t-Pa55"));
        assert!(!is_plausible_secret("JWT_SECRET"));
        assert!(!is_plausible_secret("changeme"));
        assert!(!is_plausible_secret("invalid password"));
        assert!(!is_plausible_secret("csrf_token"));
        assert!(!is_plausible_secret("oauth2_client_secret"));
        assert!(!is_plausible_secret("es256_private_key_der"));
        assert!(is_plausible_secret("k3y_9f8e7d6c5b4a3f2e1d0c"));
    }

    #[test]
    fn known_formats_and_url_passwords() {
        assert!(matches!(
            known_format("AKIA2E0A8F3B244C9986"),
            Some(SecretKind::AwsKey)
        ));
        assert!(known_format("AKIAIOSFODNN7EXAMPLE").is_none());
        assert!(known_format("AKIA-not-a-key").is_none());
        assert!(url_with_password("postgres://app:hunter22@db:5432/app"));
        assert!(!url_with_password("postgres://app@db/app"));
        assert!(!url_with_password("postgres://app:{}@db/app"));
        assert!(!url_with_password("postgres://postgres:password@localhost"));
        assert_eq!(mask("hunter22"), "\"hunt…\" (8 characters)");
    }
}
