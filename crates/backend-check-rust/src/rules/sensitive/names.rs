//! Names that say a value is a credential, and the body types that carry one.

use crate::model::{CrateModel, Param, StructDef};

/// Whether a variable or field name says it holds a password, secret, token or key.
pub fn is_credential_name(name: &str) -> bool {
    let hints = [
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "api_key",
        "apikey",
        "private_key",
        "privkey",
        "credential",
    ];
    let flags = [
        "has_",
        "is_",
        "_set",
        "_required",
        "_changed",
        "_at",
        "_expires",
        "_expiry",
        "_expiration",
        "_len",
        "_length",
        "_policy",
        "_hint",
        "_id",
        "_ids",
        "_reset",
        "_enabled",
        "_name",
        "_url",
        "_path",
        "_file",
        "_count",
        "_type",
        "_kind",
        "_ttl",
        "_lifetime",
        "_duration",
        "_valid",
        "_missing",
        "_header",
        "_prefix",
        "_hash",
        "num_",
        "_num",
        "_total",
        "max_",
        "min_",
    ];
    hinted(name, &hints, &flags)
}

/// Whether a name contains one of `hints` and no flag affix (`has_`, `_at`, …)
/// saying it is about the value rather than the value itself.
pub fn hinted(name: &str, hints: &[&str], flags: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    hints.iter().any(|h| lower.contains(h))
        && !flags
            .iter()
            .any(|f| lower.starts_with(f) || lower.ends_with(f) || lower.contains(&format!("{f}_")))
}

/// Whether a name says it holds a password (for hashing checks).
pub fn is_password_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["password", "passwd", "passphrase", "pwd"]
        .iter()
        .any(|h| lower.contains(h))
        && !lower.contains("hash")
        && !lower.ends_with("_len")
}

/// Body extractors whose binding holds the whole request body.
pub const BODY_EXTRACTORS: &[&str] = &["Json", "Form"];

/// The struct a body parameter deserializes into, searched in the parameter's crate first.
pub fn body_struct<'m>(model: &'m CrateModel, file: usize, p: &Param) -> Option<&'m StructDef> {
    let inner = p.inner.as_deref()?;
    let name = inner.rsplit("::").next().unwrap_or(inner);
    let krate = model.crate_of(file);
    let mut found = None;
    for (i, parsed) in model.files().iter().enumerate() {
        if let Some(s) = parsed.facts.structs.iter().find(|s| s.name == name) {
            if model.crate_of(i) == krate {
                return Some(s);
            }
            found = found.or(Some(s));
        }
    }
    found
}

/// The first credential-named field of a struct.
pub fn credential_field(s: &StructDef) -> Option<&str> {
    s.fields
        .iter()
        .map(|f| f.name.as_str())
        .find(|n| is_credential_name(n))
}

/// The lower-case words of a snake_case or CamelCase name.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        let boundary = c == '_' || c == '-' || c.is_uppercase();
        if boundary && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        if c != '_' && c != '-' {
            current.push(c.to_ascii_lowercase());
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a binding, field or function name says it holds (or makes) a
/// token, session id, secret, nonce, salt or one-time code.
pub fn is_token_name(name: &str) -> bool {
    let words = words(name);
    let has = |w: &str| words.iter().any(|x| x == w);
    let secret_word = [
        "token", "tokens", "session", "sid", "secret", "nonce", "otp", "totp", "csrf", "xsrf",
        "salt", "apikey", "password", "passwd", "verifier", "magic",
    ]
    .iter()
    .any(|w| has(w));
    let code_word = (has("code") || has("pin") || has("key"))
        && [
            "verification",
            "verify",
            "reset",
            "auth",
            "confirm",
            "confirmation",
            "login",
            "invite",
            "recovery",
            "activation",
            "pairing",
            "api",
            "access",
            "secret",
            "one",
        ]
        .iter()
        .any(|w| has(w));
    (secret_word || code_word)
        && !["id", "count", "len", "length", "ttl", "expiry"]
            .iter()
            .any(|w| words.last().is_some_and(|l| l == w) && !has("session"))
}
