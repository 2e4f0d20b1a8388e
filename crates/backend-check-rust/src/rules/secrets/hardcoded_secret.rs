use backend_check_core::{declare_rule, Diagnostic, Sink};

use crate::model::{ConfigKind, FileFacts, SecretKind, SecretLiteral};
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds secrets written into the source:
    /// - string literals bound to, assigned to or compared with variables, fields, constants
    ///   and statics whose names say they hold a secret (`jwt_secret`, `DB_PASSWORD`,
    ///   `api_key`, `access_token`…); placeholders, environment variable names
    ///   (`"JWT_SECRET"`), header names and messages are left alone;
    /// - literals given to key constructors: `EncodingKey::from_secret`,
    ///   `DecodingKey::from_secret`, `Hmac::new_from_slice`, `Key::from`;
    /// - well-known key formats anywhere: PEM private keys, AWS access key ids, GitHub
    ///   tokens, Stripe live keys, Slack tokens;
    /// - URLs with a password in them (`postgres://app:hunter2@db/app`).
    ///
    /// The message shows only the first characters of the secret and its length. Test code
    /// (`#[cfg(test)]`, a module a `#[cfg(test)] mod x;` declares), files below `tests/`,
    /// `benches/` and `examples/`, and development data files (a file stem with the word
    /// `dev`, `mock` or `fixture`, such as `db_migrate_dev.rs`) are not reported, nor a value
    /// that only names what it labels (`TOKEN_BEARER = "Bearer"`, `API_KEY_HEADER = "API-Key"`).
    /// Doc comments (a PEM header a field accepts, a doctest's key), `match` arms compiled
    /// only into test or stub builds (`#[cfg(feature = "stub")]`), FTP's public login
    /// `"anonymous"`, and `Key::from` with fewer than 32 characters (a log or map key name
    /// such as `slog::Key::from("component")`: a cookie or signing key needs more) are not
    /// reported either.
    ///
    /// ## Why is this bad?
    /// Source code is copied to every laptop, CI runner, container image and backup, and
    /// stays in git history after the line is deleted. A committed key is a leaked key: it
    /// cannot be rotated without a release, and everyone with read access can sign tokens
    /// or log into the database.
    ///
    /// ## Example
    /// ```rust
    /// const JWT_SECRET: &str = "9f8e7d6c5b4a39281706";
    ///
    /// fn keys() -> EncodingKey {
    ///     EncodingKey::from_secret(JWT_SECRET.as_bytes())
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// fn keys(config: &Config) -> EncodingKey {
    ///     EncodingKey::from_secret(config.jwt_secret.expose_secret().as_bytes())
    /// }
    /// ```
    /// Load secrets from the environment or a secret manager at start-up (keep them in a
    /// `secrecy::SecretString`), and rotate any secret that was committed.
    ///
    /// ## Options
    /// None. A literal that is not a secret (a well-known public test key) can be accepted
    /// with `// backend-check: allow(RS006) reason`.
    pub HardcodedSecret {
        code: "RS006",
        name: "hardcoded-secret",
        checklist: SecSecrets,
        group: Suspicious,
        severity: Error,
        summary: "secret written as a literal in the source",
    }
}

impl HardcodedSecret {
    /// Reports secret-looking literals outside test code.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_file(&Self::META, sink, |parsed| {
            if is_dev_data_file(parsed.file.display_path()) {
                return Vec::new();
            }
            let fallbacks = env_fallback_urls(&parsed.facts);
            parsed
                .facts
                .secrets
                .iter()
                .filter(|s| !(s.kind == SecretKind::UrlPassword && fallbacks.contains(&s.span.start)))
                .map(|s| {
                    Diagnostic::new(&Self::META, &parsed.file, s.span, message(s))
                        .with_help("load the secret from the environment or a secret manager at start-up, and rotate the committed value")
                })
                .collect()
        })
    }
}

/// Whether a file holds development data by its name: a file stem with the
/// word `dev`, `mock(s)` or `fixture(s)` (`db_migrate_dev.rs`, the seed
/// data a dev mode loads; `mock_server.rs`). Its credentials are for a
/// developer's machine.
fn is_dev_data_file(path: &str) -> bool {
    let stem = std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    stem.split(['_', '-', '.'])
        .any(|word| matches!(word, "dev" | "mock" | "mocks" | "fixture" | "fixtures"))
}

/// Where the connection URLs written as fallbacks of an environment lookup
/// start (`env::var("DATABASE_URL").unwrap_or("postgres://app:pw@localhost/app")`):
/// RS020 reports those once, as a development default.
fn env_fallback_urls(facts: &FileFacts) -> Vec<usize> {
    facts
        .functions
        .iter()
        .flat_map(|f| f.body.config_literals.iter())
        .chain(facts.config_consts.iter())
        .filter(|c| c.is_default && c.kind == ConfigKind::ConnectionUrl)
        .map(|c| c.span.start)
        .collect()
}

fn message(s: &SecretLiteral) -> String {
    let name = s.name.as_deref().unwrap_or_default();
    match s.kind {
        SecretKind::Named => format!("hard-coded secret {} assigned to `{name}`", s.masked),
        SecretKind::KeyConstructor => format!("hard-coded key {} passed to `{name}`", s.masked),
        SecretKind::PrivateKey => format!("private key {} in a string literal", s.masked),
        SecretKind::AwsKey => format!("AWS access key id {} in a string literal", s.masked),
        SecretKind::GithubToken => format!("GitHub token {} in a string literal", s.masked),
        SecretKind::StripeKey => format!("Stripe live key {} in a string literal", s.masked),
        SecretKind::SlackToken => format!("Slack token {} in a string literal", s.masked),
        SecretKind::UrlPassword => format!("password inside URL literal {}", s.masked),
    }
}
