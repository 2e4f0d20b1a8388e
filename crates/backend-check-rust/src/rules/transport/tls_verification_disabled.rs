use backend_check_core::{declare_rule, Diagnostic, Severity, Sink};

use crate::model::MethodCall;
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds code that turns off TLS certificate or host-name verification:
    /// - reqwest `danger_accept_invalid_certs(true)` and `danger_accept_invalid_hostnames(true)`
    ///   (also native-tls `TlsConnector::builder()` methods of the same names);
    /// - openssl `set_verify(SslVerifyMode::NONE)`;
    /// - rustls `.dangerous().set_certificate_verifier(…)` and
    ///   `.with_custom_certificate_verifier(…)`, reported as a warning because a custom
    ///   verifier may be correct (pinning) — check that it does not accept everything.
    ///
    /// Test code is never reported, nor is a `danger_accept_invalid_*(true)` call inside an
    /// `if` or `match` branch: verification turned off only when a runtime switch says so
    /// (`if opts.accept_invalid_certs`, an `INSECURE_SKIP_VERIFY` variable) is the user's
    /// opt-in for self-signed deployments, the convention of command-line clients.
    ///
    /// ## Why is this bad?
    /// Without verification anyone on the network path (a Wi-Fi access point, a compromised
    /// router, a sidecar) can present their own certificate, read the traffic and change it:
    /// API keys and database passwords sent over that connection are exposed. Such flags are
    /// usually added to get past a self-signed certificate in development and then shipped.
    ///
    /// ## Example
    /// ```rust
    /// let client = reqwest::Client::builder()
    ///     .danger_accept_invalid_certs(true)
    ///     .build()?;
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// let ca = reqwest::Certificate::from_pem(&std::fs::read("certs/internal-ca.pem")?)?;
    /// let client = reqwest::Client::builder()
    ///     .add_root_certificate(ca)
    ///     .build()?;
    /// ```
    /// Trust the private CA that signed the server's certificate instead of trusting everyone.
    ///
    /// ## Options
    /// None. A tool that must talk to self-signed development servers can accept the call
    /// with `// backend-check: allow(RS004) reason`.
    pub TlsVerificationDisabled {
        code: "RS004",
        name: "tls-verification-disabled",
        checklist: SecTransport,
        group: Nursery,
        severity: Error,
        summary: "certificate or host-name verification turned off for TLS connections",
    }
}

impl TlsVerificationDisabled {
    /// Reports calls that disable TLS verification.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, Self::findings)
    }

    fn findings(f: &Function<'_>) -> Vec<Diagnostic> {
        f.def
            .body
            .method_calls
            .iter()
            .filter(|call| !(call.in_branch && call.method.starts_with("danger_accept_invalid")))
            .filter_map(|call| {
                let (message, severity) = verdict(call)?;
                let d = Diagnostic::new(&Self::META, f.file, call.span, message)
                    .with_help("keep verification on; trust a private CA with `add_root_certificate` (reqwest) or a custom root store instead");
                Some(match severity {
                    Severity::Warning => d.with_severity(Severity::Warning),
                    _ => d,
                })
            })
            .collect()
    }
}

fn verdict(call: &MethodCall) -> Option<(String, Severity)> {
    let arg = call.first_arg.as_deref();
    match (call.method.as_str(), arg) {
        ("danger_accept_invalid_certs", Some("true")) => Some((
            "`danger_accept_invalid_certs(true)` accepts any server certificate".to_owned(),
            Severity::Error,
        )),
        ("danger_accept_invalid_hostnames", Some("true")) => Some((
            "`danger_accept_invalid_hostnames(true)` accepts certificates for any host".to_owned(),
            Severity::Error,
        )),
        ("set_verify", Some(mode)) if mode.ends_with("SslVerifyMode::NONE") || mode == "NONE" => {
            Some((
                "`set_verify(SslVerifyMode::NONE)` turns off certificate verification".to_owned(),
                Severity::Error,
            ))
        }
        ("set_certificate_verifier" | "with_custom_certificate_verifier", _) => Some((
            format!(
                "custom rustls certificate verifier installed with `{}`",
                call.method
            ),
            Severity::Warning,
        )),
        _ => None,
    }
}
