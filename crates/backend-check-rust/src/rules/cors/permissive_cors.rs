use backend_check_core::{declare_rule, Diagnostic, Severity, Sink, Span};

use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds CORS configurations that let any web site call the API:
    /// - tower-http `CorsLayer::permissive()` (warning) and `CorsLayer::very_permissive()`
    ///   (error: it mirrors any origin *and* allows credentials);
    /// - `allow_origin(Any)` / `allow_origin(AllowOrigin::any())` / `allow_origin("*")` in
    ///   the same function as `allow_credentials(true)` (error);
    /// - actix-cors `Cors::permissive()` (error: it allows credentials), and
    ///   `allow_any_origin()` together with `supports_credentials()` (error);
    ///   `allow_any_origin()` alone is a warning.
    ///
    /// Test code is never reported.
    ///
    /// ## Why is this bad?
    /// CORS decides which web sites may read your API's responses from a user's browser.
    /// Any origin plus credentials means any page the user visits can call the API with the
    /// user's cookies and read the answer — account data, CSRF tokens, everything. A
    /// permissive layer without credentials is safe only for truly public data and tends to
    /// be copied into services that are not.
    ///
    /// ## Example
    /// ```rust
    /// let cors = CorsLayer::new()
    ///     .allow_origin(Any)
    ///     .allow_credentials(true);
    /// let app = Router::new().route("/me", get(me)).layer(cors);
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// let cors = CorsLayer::new()
    ///     .allow_origin(["https://app.example.com".parse::<HeaderValue>()?])
    ///     .allow_methods([Method::GET, Method::POST])
    ///     .allow_credentials(true);
    /// ```
    /// List the front-end origins (from configuration) and the methods they need.
    ///
    /// ## Options
    /// None. A public, credential-free API can accept `CorsLayer::permissive()` with
    /// `// backend-check: allow(RS005) reason`.
    pub PermissiveCors {
        code: "RS005",
        name: "permissive-cors",
        checklist: SecCors,
        group: Pedantic,
        severity: Error,
        summary: "cross-origin policy allows any origin (with credentials)",
    }
}

impl PermissiveCors {
    /// Reports permissive CORS configurations.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, |f| Self::findings(ctx, f))
    }

    fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
        let body = &f.def.body;
        let credentials = body.method_calls.iter().any(|c| {
            (c.method == "allow_credentials" && c.first_arg.as_deref() == Some("true"))
                || c.method == "supports_credentials"
        });
        let mut found: Vec<(Span, String, Severity)> = Vec::new();
        for call in &body.calls {
            let full = ctx.model.expand_path(f.id.file, f.def.scope, &call.path);
            let last_two: Vec<&str> = full
                .iter()
                .rev()
                .take(2)
                .rev()
                .map(String::as_str)
                .collect();
            match last_two.as_slice() {
                ["CorsLayer", "permissive"] => found.push((
                    call.span,
                    "`CorsLayer::permissive()` allows requests from any origin".to_owned(),
                    Severity::Warning,
                )),
                ["CorsLayer", "very_permissive"] => found.push((
                    call.span,
                    "`CorsLayer::very_permissive()` allows any origin with credentials".to_owned(),
                    Severity::Error,
                )),
                ["Cors", "permissive"] => found.push((
                    call.span,
                    "`Cors::permissive()` allows any origin with credentials".to_owned(),
                    Severity::Error,
                )),
                _ => {}
            }
        }
        for call in &body.method_calls {
            let any_origin = match call.method.as_str() {
                "allow_origin" => matches!(
                    call.first_arg.as_deref(),
                    Some(a) if a == "Any" || a.ends_with("::Any") || a.ends_with("AllowOrigin::any()") || a == "\"*\""
                ),
                "allow_any_origin" => true,
                _ => false,
            };
            if !any_origin {
                continue;
            }
            if credentials {
                found.push((
                    call.span,
                    "cross-origin requests from any origin are allowed together with credentials"
                        .to_owned(),
                    Severity::Error,
                ));
            } else if call.method == "allow_any_origin" {
                found.push((
                    call.span,
                    "`allow_any_origin()` allows requests from any origin".to_owned(),
                    Severity::Warning,
                ));
            }
        }
        found
            .into_iter()
            .map(|(span, message, severity)| {
                let d = Diagnostic::new(&Self::META, f.file, span, message)
                    .with_help("list the allowed origins explicitly (from configuration) and allow credentials only for them");
                if severity == Severity::Warning {
                    d.with_severity(Severity::Warning)
                } else {
                    d
                }
            })
            .collect()
    }
}
