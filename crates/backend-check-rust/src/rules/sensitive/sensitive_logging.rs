use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::names::{body_struct, credential_field, is_credential_name, BODY_EXTRACTORS};
use crate::model::{Flow, FlowKind, Instrument};
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds `tracing` and `log` macros (`trace!`, `debug!`, `info!`, `warn!`, `error!`,
    /// `event!`) that format a variable or field named like a credential (`password`,
    /// `secret`, `token`, `api_key`, `private_key`…), or a handler's whole `Json` / `Form`
    /// body when its type has such a field; and `#[instrument]` on a function whose
    /// credential-named parameters, or whose `Json` / `Form` body parameter, are not listed
    /// in `skip(…)` (and no `skip_all`). Names such as `token_id`, `password_len` or
    /// `has_password` are not credentials.
    ///
    /// ## Why is this bad?
    /// Logs are copied to terminals, log shippers, search indexes and support tickets, and
    /// kept for months, with far weaker access control than the database. A password or
    /// token written there is a credential anyone with log access can replay.
    /// `#[instrument]` records every argument with `Debug`, so a login handler instrumented
    /// without `skip` logs each password it receives.
    ///
    /// ## Example
    /// ```rust
    /// #[tracing::instrument(skip(db))]
    /// async fn login(State(db): State<PgPool>, Json(form): Json<Login>) -> Result<Json<Session>, AppError> {
    ///     tracing::debug!(password = %form.password, "login attempt for {}", form.email);
    ///     auth::login(&db, &form).await.map(Json)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// #[tracing::instrument(skip_all, fields(email = %form.email))]
    /// async fn login(State(db): State<PgPool>, Json(form): Json<Login>) -> Result<Json<Session>, AppError> {
    ///     tracing::debug!("login attempt for {}", form.email);
    ///     auth::login(&db, &form).await.map(Json)
    /// }
    /// ```
    /// Log who and what, never the credential; wrap secrets in a type whose `Debug` is
    /// redacted (`secrecy::SecretString`).
    ///
    /// ## Options
    /// None.
    pub SensitiveLogging {
        code: "RS027",
        name: "sensitive-logging",
        checklist: SecSensitiveData,
        group: Nursery,
        severity: Warning,
        summary: "a log macro or `#[instrument]` records a password, token or request body",
    }
}

impl SensitiveLogging {
    /// Reports credentials written to logs.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, |f| findings(ctx, f))
    }
}

fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
    let bodies = sensitive_bodies(ctx, f);
    let mut out: Vec<Diagnostic> = f
        .def
        .body
        .flows
        .iter()
        .filter(|flow| flow.kind == FlowKind::Log && is_log_macro(&flow.callee))
        .filter_map(|flow| log_finding(f, flow, &bodies))
        .collect();
    if let Some(instrument) = &f.def.instrument {
        out.extend(instrument_finding(ctx, f, instrument));
    }
    out
}

/// Body bindings whose type carries a credential field, with that field.
fn sensitive_bodies(ctx: &Context<'_>, f: &Function<'_>) -> Vec<(String, String)> {
    if f.handler.is_none() {
        return Vec::new();
    }
    f.def
        .params
        .iter()
        .filter(|p| BODY_EXTRACTORS.contains(&p.type_name()))
        .filter_map(|p| {
            let field = credential_field(body_struct(ctx.model, f.id.file, p)?)?;
            Some(
                p.bindings
                    .iter()
                    .map(move |b| (b.clone(), field.to_owned())),
            )
        })
        .flatten()
        .collect()
}

fn is_log_macro(path: &[String]) -> bool {
    match path {
        [_] => true,
        [first, ..] => matches!(first.as_str(), "tracing" | "log"),
        [] => false,
    }
}

fn log_finding(f: &Function<'_>, flow: &Flow, bodies: &[(String, String)]) -> Option<Diagnostic> {
    let name = flow.names.first()?;
    let macro_name = flow.callee.last()?;
    let message = if is_credential_name(name) {
        format!("`{macro_name}!` logs `{name}`, which looks like a credential")
    } else {
        let (_, field) = bodies
            .iter()
            .find(|(b, _)| b == name && flow.roots.contains(b))?;
        format!("`{macro_name}!` logs the whole request body `{name}`, which has a `{field}` field")
    };
    Some(
        Diagnostic::new(&SensitiveLogging::META, f.file, flow.span, message)
            .with_help("log an identifier instead, or wrap the secret in a type with a redacted `Debug` (`secrecy::SecretString`)"),
    )
}

fn instrument_finding(
    ctx: &Context<'_>,
    f: &Function<'_>,
    instrument: &Instrument,
) -> Option<Diagnostic> {
    if instrument.skip_all {
        return None;
    }
    let recorded = |b: &String| !instrument.skip.contains(b);
    let credential = f
        .def
        .params
        .iter()
        .flat_map(|p| p.bindings.iter())
        .find(|b| recorded(b) && is_credential_name(b));
    let body = f.handler.and_then(|_| {
        f.def
            .params
            .iter()
            .filter(|p| BODY_EXTRACTORS.contains(&p.type_name()))
            .find_map(|p| p.bindings.iter().find(|b| recorded(b)).map(|b| (b, p)))
    });
    let message = match (credential, body) {
        (Some(name), _) => {
            format!("`#[instrument]` records parameter `{name}`, which looks like a credential")
        }
        (None, Some((name, p))) => {
            let field = body_struct(ctx.model, f.id.file, p).and_then(credential_field);
            match field {
                Some(field) => format!("`#[instrument]` records the request body `{name}`, which has a `{field}` field"),
                None => format!("`#[instrument]` records the whole request body `{name}`"),
            }
        }
        (None, None) => return None,
    };
    Some(
        Diagnostic::new(&SensitiveLogging::META, f.file, instrument.span, message).with_help(
            "add the parameter to `skip(…)` (or use `skip_all` and record chosen `fields(…)`)",
        ),
    )
}
