use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::hardcoded_secret::report;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds string literals that only their names point at as secrets: literals bound to,
    /// assigned to or compared with variables, fields, constants and statics whose names say
    /// they hold a secret (`jwt_secret`, `DB_PASSWORD`, `api_key`, `access_token`…), and URLs
    /// with a password in them (`postgres://app:hunter2@db/app`). Placeholders, environment
    /// variable names (`"JWT_SECRET"`), header names, messages and values that only name what
    /// they label (`TOKEN_BEARER = "Bearer"`) are left alone, and so are test code, files
    /// below `tests/`, `benches/` and `examples/`, development data files, FTP's public login
    /// `"anonymous"` and the development fallback of an environment lookup (RS020 reports
    /// that one).
    ///
    /// The rule is in the `nursery` group, off by default: on real projects most of what a
    /// name-based search finds is a test password outside a test folder, the throwaway
    /// credentials of a CI or embedded database, a simulator's workload, a request type's
    /// example value, a key-derivation label or a public telemetry key. RS006, on by default,
    /// reports the literals recognisable by what they are (key formats, key constructors).
    ///
    /// ## Why is this bad?
    /// A real secret in the source is copied to every laptop, CI runner, container image and
    /// backup, and stays in git history after the line is deleted; it cannot be rotated
    /// without a release.
    ///
    /// ## Example
    /// ```rust
    /// const JWT_SECRET: &str = "9f8e7d6c5b4a39281706";
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// let jwt_secret = SecretString::from(std::env::var("JWT_SECRET")?);
    /// ```
    /// Load secrets from the environment or a secret manager at start-up, and rotate any
    /// secret that was committed.
    ///
    /// ## Options
    /// None. Enable it with `--select RS030` (or `--select nursery`) for an audit; accept a
    /// literal that is not a secret with `// backend-check: allow(RS030) reason`.
    pub SecretNamedLiteral {
        code: "RS030",
        name: "secret-named-literal",
        checklist: SecSecrets,
        group: Nursery,
        severity: Warning,
        summary: "literal assigned to a secret-named binding, or a password in a URL literal",
    }
}

impl SecretNamedLiteral {
    /// Reports secret-named literals and URL passwords outside test code.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        report(&Self::META, true, ctx, sink)
    }
}
