use std::collections::HashSet;

use backend_check_core::{declare_rule, guard, Diagnostic, Sink};

use crate::framework::{FnId, Framework, Handler};
use crate::model::{CrateModel, MethodCall};

declare_rule! {
    /// ## What it does
    /// Finds `.unwrap()` and `.expect(…)` calls in the body of a request handler: an async
    /// function registered on an axum `Router` (`.route("/p", get(f))`), an actix-web handler
    /// (`#[get("/p")]`, `web::resource("/p").route(web::get().to(f))`) or a Rocket route
    /// (`#[get("/p")]`). Calls inside closures and async blocks of the handler and inside the
    /// arguments of expression macros (`format!`, `tracing::info!`, `json!`…) count too.
    /// Test code is never reported.
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
        severity: Error,
        summary: "`.unwrap()` or `.expect()` inside a request handler",
    }
}

impl UnwrapInHandler {
    /// Reports the panicking calls of every handler body (each function once).
    /// Returns internal errors, which are not subject to the selection.
    pub fn check(model: &CrateModel, handlers: &[Handler], sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        if !sink.enabled(&Self::META) {
            return errors;
        }
        let mut seen: HashSet<FnId> = HashSet::new();
        for handler in handlers {
            if !seen.insert(handler.function) {
                continue;
            }
            match guard(&handler.file, || Self::findings(model, handler)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }

    fn findings(model: &CrateModel, handler: &Handler) -> Vec<Diagnostic> {
        let Some(def) = model.function(handler.function) else {
            return Vec::new();
        };
        def.body
            .method_calls
            .iter()
            .filter(|call| panics(call))
            .map(|call| {
                Diagnostic::new(
                    &Self::META,
                    &handler.file,
                    call.span,
                    message(call, handler),
                )
                .with_label(handler.name_span, label(handler))
                .with_help(help(handler.framework))
            })
            .collect()
    }
}

fn panics(call: &MethodCall) -> bool {
    matches!(
        (call.method.as_str(), call.args),
        ("unwrap", 0) | ("expect", 1)
    )
}

fn call_text(call: &MethodCall) -> &'static str {
    if call.method == "expect" {
        "`.expect(…)`"
    } else {
        "`.unwrap()`"
    }
}

fn message(call: &MethodCall, handler: &Handler) -> String {
    if handler.is_closure() {
        format!(
            "{} in a request handler closure panics the request on failure",
            call_text(call)
        )
    } else {
        format!(
            "{} in request handler `{}` panics the request on failure",
            call_text(call),
            handler.name
        )
    }
}

fn label(handler: &Handler) -> String {
    format!("request handler registered for {}", handler.route())
}

fn help(framework: Framework) -> String {
    let trait_name = match framework {
        Framework::Axum => "`IntoResponse`",
        Framework::ActixWeb => "`ResponseError`",
        Framework::Rocket => "`Responder`",
    };
    format!(
        "return a `Result` whose error type implements {trait_name} and propagate the failure with `?` (map `None` with `.ok_or(…)?`)"
    )
}
