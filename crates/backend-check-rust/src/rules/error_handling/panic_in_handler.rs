use backend_check_core::{declare_rule, Diagnostic, Severity, Sink};

use super::{each_request_fn, place, RequestFn};
use crate::model::MacroCall;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds `panic!`, `todo!`, `unimplemented!` and `unreachable!` in request handlers
    /// (axum, actix-web and Rocket, as for `unwrap-in-handler`) and in the crate functions a
    /// handler calls directly, one level deep. `todo!` and `unimplemented!` mark an endpoint
    /// that is routed but not written; `unreachable!` is reported as a warning, since it
    /// usually states an invariant. Assertions (`assert!`, `debug_assert!`) are not reported.
    /// Test code is never reported.
    ///
    /// ## Why is this bad?
    /// A panic in a handler drops the connection or becomes a bare 500 without a body; the
    /// client cannot tell a bug from bad input, and the error never reaches your error type
    /// or logs with context. A routed `todo!()` turns a request into a crash in production,
    /// and under `panic = "abort"` it takes the whole server down.
    ///
    /// ## Example
    /// ```rust
    /// async fn update_order(Path(id): Path<i64>, Json(patch): Json<OrderPatch>) -> Json<Order> {
    ///     match patch.status.as_str() {
    ///         "paid" | "shipped" => todo!("order transitions"),
    ///         other => panic!("unknown status {other}"),
    ///     }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn update_order(
    ///     Path(id): Path<i64>,
    ///     Json(patch): Json<OrderPatch>,
    /// ) -> Result<Json<Order>, AppError> {
    ///     match patch.status.as_str() {
    ///         "paid" | "shipped" => Err(AppError::NotImplemented),
    ///         other => Err(AppError::BadRequest(format!("unknown status {other}"))),
    ///     }
    /// }
    /// ```
    /// Return an error that maps to a 4xx or 501 response, and leave unfinished routes off
    /// the router.
    ///
    /// ## Options
    /// None. An invariant that truly cannot fail can be accepted with
    /// `// backend-check: allow(RS021) reason`.
    pub PanicInHandler {
        code: "RS021",
        name: "panic-in-handler",
        checklist: ApErrorHandling,
        group: Pedantic,
        severity: Error,
        summary: "`panic!`, `todo!`, `unimplemented!` or `unreachable!` on a request path",
    }
}

impl PanicInHandler {
    /// Reports panicking macros in handlers and the functions they call directly.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        each_request_fn(ctx, &Self::META, sink, Self::findings)
    }

    fn findings(f: &RequestFn<'_>) -> Vec<Diagnostic> {
        f.def
            .body
            .macros
            .iter()
            .filter(|m| !m.ruled_out)
            .filter_map(|m| {
                let name = panicking(m)?;
                let d = Diagnostic::new(&Self::META, f.file, m.span, message(name, f))
                    .with_help(help(name));
                Some(if name == "unreachable" || !f.is_handler {
                    d.with_severity(Severity::Warning)
                } else {
                    d
                })
            })
            .collect()
    }
}

fn panicking(m: &MacroCall) -> Option<&'static str> {
    let last = m.path.last().map_or("", String::as_str);
    ["panic", "todo", "unimplemented", "unreachable"]
        .into_iter()
        .find(|name| *name == last)
}

fn message(name: &str, f: &RequestFn<'_>) -> String {
    format!("`{name}!` {} panics the request", place(f))
}

fn help(name: &str) -> &'static str {
    match name {
        "todo" | "unimplemented" => "return an error (501 Not Implemented) or leave the route off the router until it is written",
        _ => "return an error that maps to a 4xx or 5xx response instead of panicking",
    }
}
