use backend_check_core::{declare_rule, Diagnostic, RuleMeta, Sink};

use crate::model::{ConfigKind, FileFacts, SecretKind, SecretLiteral};
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds keys written into the source, recognised by what they are rather than by the
    /// name they are given:
    /// - well-known key formats anywhere: PEM private keys, AWS access key ids, GitHub
    ///   tokens, Stripe live keys, Slack tokens;
    /// - literals given to key constructors: `EncodingKey::from_secret`,
    ///   `DecodingKey::from_secret`, `Hmac::new_from_slice`, `Key::from`.
    ///
    /// A literal that only a secret-sounding name points at (`let api_key = "…"`) or a URL
    /// with a password in it is RS030's (`secret-named-literal`, opt-in): on real projects
    /// those are mostly test credentials, development defaults and labels.
    ///
    /// The message shows only the first characters of the secret and its length. Test code
    /// (`#[cfg(test)]`, a module a `#[cfg(test)] mod x;` declares, a constant compiled only
    /// with a test or development feature such as `#[cfg(feature = "test_mode")]`), files
    /// below `tests/`, `benches/` and `examples/`, and development data files (a file stem
    /// with the word `dev`, `mock` or `fixture`, such as `db_migrate_dev.rs`) are not
    /// reported. Doc comments (a PEM header a field accepts, a doctest's key) and `Key::from`
    /// with fewer than 32 characters (a log or map key name such as
    /// `slog::Key::from("component")`: a cookie or signing key needs more) are not reported
    /// either.
    ///
    /// ## Why is this bad?
    /// Source code is copied to every laptop, CI runner, container image and backup, and
    /// stays in git history after the line is deleted. A committed key is a leaked key: it
    /// cannot be rotated without a release, and everyone with read access can sign tokens
    /// or log into the database.
    ///
    /// ## Example
    /// ```rust
    /// const STRIPE_KEY: &str = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    ///
    /// fn keys() -> EncodingKey {
    ///     EncodingKey::from_secret(b"9f8e7d6c5b4a39281706")
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
    /// with `// backend-check: allow(RS006) reason`. `--select RS030` adds the literals that
    /// only their names point at.
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
    /// Reports key formats and literal keys outside test code.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        report(&Self::META, false, ctx, sink)
    }
}

/// Reports the secret literals found by name (`by_name`, RS030) or by what
/// they are (RS006), outside test code and development data files.
pub(super) fn report(
    meta: &'static RuleMeta,
    by_name: bool,
    ctx: &Context<'_>,
    sink: &mut Sink<'_>,
) -> Vec<Diagnostic> {
    ctx.each_file(meta, sink, |parsed| {
            if is_dev_data_file(parsed.file.display_path()) {
                return Vec::new();
            }
            let fallbacks = env_fallback_urls(&parsed.facts);
            parsed
                .facts
                .secrets
                .iter()
                .filter(|s| s.kind.is_by_name() == by_name)
                .filter(|s| !(s.kind == SecretKind::UrlPassword && fallbacks.contains(&s.span.start)))
                .map(|s| {
                    Diagnostic::new(meta, &parsed.file, s.span, message(s))
                        .with_help("load the secret from the environment or a secret manager at start-up, and rotate the committed value")
                })
                .collect()
        })
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
