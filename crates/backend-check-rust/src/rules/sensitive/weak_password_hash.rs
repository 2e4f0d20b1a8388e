use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::names::is_password_name;
use crate::model::{Flow, FlowKind};
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds a password-named value (`password`, `passwd`, `passphrase`, `pwd`, or a field
    /// of that name, directly or through local `let`s) given to a fast digest: md5
    /// (`md5::compute`, `Md5::digest`, `Md5::new().update(…)`), sha1 (`Sha1`), or plain
    /// sha2 (`Sha256::digest`, `Sha512`, a `sha256(…)` helper).
    ///
    /// ## Why is this bad?
    /// These digests are built to be fast: a single GPU tries billions of md5 or sha256
    /// guesses a second, so a leaked table of such hashes gives up most real passwords in
    /// hours, salt or not. Password storage needs a deliberately slow, memory-hard
    /// function whose cost can be raised over time.
    ///
    /// ## Example
    /// ```rust
    /// fn hash_password(password: &str, salt: &str) -> String {
    ///     hex::encode(Sha256::digest(format!("{salt}{password}")))
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    ///     let salt = SaltString::generate(&mut OsRng);
    ///     Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
    /// }
    /// ```
    /// Use argon2 (or bcrypt / scrypt), and run it in `spawn_blocking` from async code.
    ///
    /// ## Options
    /// None. Hashing a high-entropy token (an API key, a reset token) with sha256 for
    /// lookup is fine and not reported, because its name is not a password's. Nor is a
    /// function that answers an authentication challenge (its name or a parameter says
    /// `challenge`, `scramble`, `nonce` or `handshake`, as a MySQL
    /// `mysql_native_password` client does), nor md5 in a function that also takes the
    /// user or role name (`md5_hash_password(user, password, salt)`: PostgreSQL's `md5`
    /// authentication, `md5(password || user)` salted again, which a client or a pooler
    /// must speak to servers that still use it): the protocol fixes the digest and nothing
    /// is stored.
    pub WeakPasswordHash {
        code: "RS028",
        name: "weak-password-hash",
        checklist: SecSensitiveData,
        group: Suspicious,
        severity: Warning,
        summary: "a password is hashed with md5, sha1 or plain sha2",
    }
}

impl WeakPasswordHash {
    /// Reports passwords given to fast digests.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, |f| findings(ctx, f))
    }
}

/// Words of a function that answers an authentication challenge (MySQL's
/// `mysql_native_password` scramble, a SCRAM or digest handshake): the wire
/// protocol fixes the digest, and nothing is stored.
const CHALLENGE_WORDS: &[&str] = &["challenge", "scramble", "nonce", "handshake"];

/// Whether the function computes a challenge response: its name or one of its
/// parameters names the challenge (`compute_auth_challenge_response(challenge, password)`).
fn answers_challenge(f: &Function<'_>) -> bool {
    let has_word = |name: &str| {
        name.to_ascii_lowercase()
            .split('_')
            .any(|w| CHALLENGE_WORDS.contains(&w))
    };
    has_word(&f.def.name)
        || f.def
            .params
            .iter()
            .flat_map(|p| &p.bindings)
            .any(|b| has_word(b))
}

/// Whether the function feeds a user or role name given as text to md5
/// (`md5_hash_password(user: &str, password: &str, salt: &[u8])` with
/// `md5.update(user.as_bytes())`): PostgreSQL's `md5` authentication,
/// `md5(password || user)` then salted again, a format the server fixes and
/// that a client, proxy or pooler has to speak.
fn hashes_user_name_with_md5(ctx: &Context<'_>, f: &Function<'_>) -> bool {
    let user_names: Vec<&str> = f
        .def
        .params
        .iter()
        .filter(|p| matches!(p.type_name(), "str" | "String"))
        .flat_map(|p| &p.bindings)
        .map(String::as_str)
        .filter(|b| {
            matches!(
                b.to_ascii_lowercase().as_str(),
                "user" | "username" | "user_name" | "role" | "rolname" | "usename"
            )
        })
        .collect();
    !user_names.is_empty()
        && f.def.body.flows.iter().any(|flow| {
            algorithm(ctx, f, flow) == Some("md5")
                && flow
                    .roots
                    .iter()
                    .chain(&flow.names)
                    .any(|n| user_names.contains(&n.as_str()))
        })
}

fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
    if answers_challenge(f) {
        return Vec::new();
    }
    let postgres_md5 = hashes_user_name_with_md5(ctx, f);
    f.def
        .body
        .flows
        .iter()
        .filter_map(|flow| {
            let algorithm = algorithm(ctx, f, flow)?;
            if postgres_md5 && algorithm == "md5" {
                return None;
            }
            let name = flow.names.iter().find(|n| is_password_name(n))?;
            Some(
                Diagnostic::new(&WeakPasswordHash::META, f.file, flow.span, message(name, algorithm))
                    .with_help("hash passwords with argon2, bcrypt or scrypt (a slow, salted password hash), not a fast digest"),
            )
        })
        .collect()
}

/// The digest a flow feeds, when it is md5, sha1 or sha2.
fn algorithm(ctx: &Context<'_>, f: &Function<'_>, flow: &Flow) -> Option<&'static str> {
    let path = match flow.kind {
        FlowKind::HasherUpdate => flow.callee.clone(),
        FlowKind::PathCall => ctx.model.expand_path(f.id.file, f.def.scope, &flow.callee),
        _ => return None,
    };
    let last = path.last().map_or("", String::as_str);
    let parent = path
        .len()
        .checked_sub(2)
        .and_then(|i| path.get(i))
        .map_or("", String::as_str);
    let named = |s: &str| -> Option<&'static str> {
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("md5") {
            Some("md5")
        } else if lower.starts_with("sha1") {
            Some("sha1")
        } else if lower.starts_with("sha2")
            || lower.starts_with("sha384")
            || lower.starts_with("sha512")
        {
            Some("sha2")
        } else {
            None
        }
    };
    match flow.kind {
        FlowKind::HasherUpdate => named(parent),
        _ if matches!(last, "digest" | "compute" | "hash") => {
            named(parent).or_else(|| (path.first().is_some_and(|s| s == "md5")).then_some("md5"))
        }
        _ => named(last).filter(|_| !last.contains("hmac")),
    }
}

fn message(name: &str, algorithm: &str) -> String {
    format!("password `{name}` is hashed with {algorithm}, a fast digest")
}
