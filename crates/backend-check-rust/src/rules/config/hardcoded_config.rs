use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, Severity, Sink, SourceFile};

use crate::model::{ConfigKind, ConfigLiteral};
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds configuration written into the code instead of read from the environment:
    /// - connection URLs of databases, caches and brokers in string literals
    ///   (`postgres://`, `postgresql://`, `mysql://`, `redis://`, `amqp://`, `mongodb://`,
    ///   `nats://`, `kafka://` …), in function bodies and in `const` / `static` items;
    /// - `http(s)` URLs of hosts that are not public (`localhost`, loopback and private IP
    ///   ranges, single-label names such as `billing:8080`, `*.internal`, `*.local`,
    ///   `*.svc.cluster.local`) given to an HTTP client (`.get(…)`, `.post(…)`,
    ///   `.request(m, …)`, `.base_url(…)`);
    /// - literal socket addresses given to `connect` (`TcpStream::connect("10.0.0.5:6379")`);
    /// - literal listen addresses with a literal port: `bind("0.0.0.0:8080")`,
    ///   `bind(("127.0.0.1", 8080))`, `SocketAddr::from(([0, 0, 0, 0], 3000))`,
    ///   `"0.0.0.0:3000".parse()`. These are reported as `info`: a fixed port in a
    ///   container is common, but it cannot be changed without a rebuild.
    ///
    /// A literal used as the fallback of a configuration lookup
    /// (`env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://…".into())`, a constant
    /// named `DEFAULT_*`) is a documented default and is reported as `info`. Addresses built
    /// from configuration (`format!("0.0.0.0:{port}")`, `("0.0.0.0", config.port)`) and clap
    /// `default_value`s are not reported. Test code and files below `tests/`, `benches/` and
    /// `examples/` are not reported.
    ///
    /// ## Why is this bad?
    /// The same build runs on a laptop, in CI, in staging and in production. A URL or address
    /// fixed in the code points every one of them at the same host — usually the developer's
    /// `localhost` — so the deployment either fails at start-up or, worse, talks to the wrong
    /// database. Changing it needs a release instead of a configuration change.
    ///
    /// ## Example
    /// ```rust
    /// #[tokio::main]
    /// async fn main() -> anyhow::Result<()> {
    ///     let db = PgPool::connect("postgres://app@localhost:5432/app").await?;
    ///     let listener = TcpListener::bind("0.0.0.0:8080").await?;
    ///     axum::serve(listener, app(db)).await?;
    ///     Ok(())
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// #[tokio::main]
    /// async fn main() -> anyhow::Result<()> {
    ///     let config = Config::from_env()?;
    ///     let db = PgPool::connect(&config.database_url).await?;
    ///     let listener = TcpListener::bind(("0.0.0.0", config.port)).await?;
    ///     axum::serve(listener, app(db)).await?;
    ///     Ok(())
    /// }
    /// ```
    ///
    /// ## Options
    /// None. A literal that is meant to be fixed can be accepted with
    /// `// backend-check: allow(RS020) reason`.
    pub HardcodedConfig {
        code: "RS020",
        name: "hardcoded-config",
        checklist: ApHardcodedConfig,
        group: Pedantic,
        severity: Warning,
        summary: "connection URL, internal URL or socket address written as a literal",
    }
}

impl HardcodedConfig {
    /// Reports configuration literals in function bodies and constants.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let mut errors = ctx.each_function(&Self::META, sink, |f| {
            f.def
                .body
                .config_literals
                .iter()
                .map(|l| diagnostic(f.file, l))
                .collect()
        });
        errors.extend(ctx.each_file(&Self::META, sink, |parsed| {
            parsed
                .facts
                .config_consts
                .iter()
                .map(|l| diagnostic(&parsed.file, l))
                .collect()
        }));
        errors
    }
}

fn diagnostic(file: &Arc<SourceFile>, l: &ConfigLiteral) -> Diagnostic {
    let d = Diagnostic::new(&HardcodedConfig::META, file, l.span, message(l)).with_help(help(l));
    if l.is_default || l.kind == ConfigKind::ListenAddress {
        d.with_severity(Severity::Info)
    } else {
        d
    }
}

fn message(l: &ConfigLiteral) -> String {
    let value = crate::parse::redact_url(&l.value);
    let fallback = if l.is_default { "fallback " } else { "" };
    match l.kind {
        ConfigKind::ConnectionUrl => format!("hard-coded {fallback}connection URL `{value}`"),
        ConfigKind::InternalUrl => {
            format!("hard-coded {fallback}URL of a non-public host `{value}`")
        }
        ConfigKind::ConnectAddress => {
            format!("hard-coded {fallback}address `{value}` to connect to")
        }
        ConfigKind::ListenAddress => format!("hard-coded {fallback}listen address `{value}`"),
    }
}

fn help(l: &ConfigLiteral) -> &'static str {
    match (l.kind, l.is_default) {
        (ConfigKind::ListenAddress, _) => {
            "read the port (and host) from configuration, e.g. `(\"0.0.0.0\", config.port)`"
        }
        (_, true) => "make sure the fallback only serves local development; production should fail fast when the setting is missing",
        _ => "read the value from the environment or a configuration file at start-up (`std::env::var`, `config`, `figment`)",
    }
}
