use backend_check_core::{declare_rule, Diagnostic, Severity, Sink};

use super::{each_request_fn, place, RequestFn};
use crate::framework::{Framework, Handler};
use crate::model::MethodCall;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds `.unwrap()` and `.expect(…)` calls in the body of a request handler: an async
    /// function registered on an axum `Router` (`.route("/p", get(f))`), an actix-web handler
    /// (`#[get("/p")]`, `web::resource("/p").route(web::get().to(f))`) or a Rocket route
    /// (`#[get("/p")]`). Calls inside closures and async blocks of the handler and inside the
    /// arguments of expression macros (`format!`, `tracing::info!`, `json!`…) count too.
    ///
    /// Crate functions a handler calls directly (`users::load(&db, id)`, `Self::parse(…)`,
    /// a method whose name is unique in the crate) are checked too, one level deep; a call
    /// there is reported as a warning, since the function may have other, non-request
    /// callers. Test code is never reported, nor is the `.unwrap()` that ends an `http`
    /// response builder chain (`Response::builder().status(…).body(…).unwrap()`), which
    /// cannot fail with the constant status and headers handlers give it, nor a call under
    /// `#[allow(clippy::unwrap_used)]` / `#[allow(clippy::expect_used)]` on its statement
    /// or function: the maintainers already decided it may panic.
    ///
    /// ## Why is this bad?
    /// A failed `unwrap` panics. The framework turns the panic into a dropped connection or a
    /// bare 500 without a body, the client learns nothing, the error never reaches your error
    /// type or logs with context, and under `panic = "abort"` the whole server goes down.
    /// Bad input (a missing row, an unparsable id) should become a 4xx, not a crash.
    ///
    /// ## Example
    /// ```rust
    /// async fn get_user(State(db): State<PgPool>, Path(id): Path<i64>) -> Json<User> {
    ///     let user = sqlx::query_as!(User, "SELECT * FROM users WHERE id = $1", id)
    ///         .fetch_one(&db)
    ///         .await
    ///         .unwrap();
    ///     Json(user)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn get_user(
    ///     State(db): State<PgPool>,
    ///     Path(id): Path<i64>,
    /// ) -> Result<Json<User>, AppError> {
    ///     let user = sqlx::query_as!(User, "SELECT * FROM users WHERE id = $1", id)
    ///         .fetch_optional(&db)
    ///         .await?
    ///         .ok_or(AppError::NotFound)?;
    ///     Ok(Json(user))
    /// }
    /// ```
    /// where `AppError` implements `IntoResponse` (axum), `ResponseError` (actix-web) or
    /// `Responder` (Rocket). `unwrap_or`, `unwrap_or_default` and `unwrap_or_else` never panic
    /// and are not reported.
    ///
    /// ## Options
    /// None. To accept one call (an invariant that truly cannot fail), write
    /// `// backend-check: allow(RS001) reason` on the line.
    pub UnwrapInHandler {
        code: "RS001",
        name: "unwrap-in-handler",
        checklist: ApErrorHandling,
        group: Nursery,
        severity: Error,
        summary: "`.unwrap()` or `.expect()` inside a request handler",
    }
}

impl UnwrapInHandler {
    /// Reports the panicking calls of every handler body and of the crate
    /// functions handlers call directly (each function once). Returns
    /// internal errors, which are not subject to the selection.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        each_request_fn(ctx, &Self::META, sink, Self::findings)
    }

    fn findings(f: &RequestFn<'_>) -> Vec<Diagnostic> {
        f.def
            .body
            .method_calls
            .iter()
            .filter(|call| panics(call))
            .map(|call| {
                let d = Diagnostic::new(&Self::META, f.file, call.span, message(call, f))
                    .with_help(help(f.handler.framework));
                if f.is_handler {
                    d.with_label(f.handler.name_span, label(f.handler))
                } else {
                    d.with_severity(Severity::Warning)
                }
            })
            .collect()
    }
}

fn panics(call: &MethodCall) -> bool {
    matches!(
        (call.method.as_str(), call.args),
        ("unwrap", 0) | ("expect", 1)
    ) && !builds_response(call)
        && !call.panic_allowed
}

/// Whether the call ends an `http` response builder chain
/// (`Response::builder().status(…).header(…).body(…).unwrap()`): with the
/// constant status and headers handlers use, it cannot fail.
fn builds_response(call: &MethodCall) -> bool {
    let root = call.receiver_path.as_deref().unwrap_or_default();
    match root {
        [.., ty, f] => f == "builder" && ty.ends_with("Response"),
        _ => false,
    }
}

fn call_text(call: &MethodCall) -> &'static str {
    if call.method == "expect" {
        "`.expect(…)`"
    } else {
        "`.unwrap()`"
    }
}

fn message(call: &MethodCall, f: &RequestFn<'_>) -> String {
    format!(
        "{} {} panics the request on failure",
        call_text(call),
        place(f)
    )
}

fn label(handler: &Handler) -> String {
    format!("request handler registered for {}", handler.route())
}

fn help(framework: Framework) -> String {
    let trait_name = match framework {
        Framework::Axum => "`IntoResponse`",
        Framework::ActixWeb => "`ResponseError`",
        Framework::Rocket => "`Responder`",
        Framework::Warp => "`Reject`",
    };
    format!(
        "return a `Result` whose error type implements {trait_name} and propagate the failure with `?` (map `None` with `.ok_or(…)?`)"
    )
}
