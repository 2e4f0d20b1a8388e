use std::collections::HashSet;

use backend_check_core::{declare_rule, guard, Diagnostic, RustConfig, Sink};

use crate::framework::{FnId, Handler};
use crate::model::Complexity;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds request handlers whose body is over a complexity budget: too many branches
    /// (`if`, `else if`, a `match` and its arms that decide more than a value, loops,
    /// `&&`/`||`), too many statements, too deep a nesting of `if`/`match`/loops, or too much inline arithmetic
    /// (prices, taxes, discounts, shipping computed in the handler). Nested items are not
    /// counted; closures and async blocks of the handler are. Test code is never reported.
    ///
    /// ## Why is this bad?
    /// A handler's job is to turn a request into a call and the result into a response.
    /// Business rules written inline cannot be reused by the next endpoint, a job or a CLI,
    /// are tested only through HTTP, and tend to diverge when copied between routes —
    /// the order total computed in `checkout` and again in `preview_cart`.
    ///
    /// ## Example
    /// ```rust
    /// async fn checkout(State(db): State<PgPool>, Json(cart): Json<Cart>) -> Result<Json<Quote>, AppError> {
    ///     let mut subtotal = 0;
    ///     for line in &cart.lines {
    ///         subtotal += line.unit_cents * line.qty;
    ///     }
    ///     let discount = if subtotal > 10_000 { subtotal / 10 } else { 0 };
    ///     let tax = (subtotal - discount) * 19 / 100;
    ///     let shipping = if cart.express { 1_500 } else { 500 + cart.weight_g / 1_000 * 100 };
    ///     let total = subtotal - discount + tax + shipping;
    ///     // … and the insert
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn checkout(State(app): State<App>, Json(cart): Json<Cart>) -> Result<Json<Quote>, AppError> {
    ///     let quote = pricing::quote(&cart, &app.tax_rates)?;
    ///     Ok(Json(app.orders.place(cart, quote).await?))
    /// }
    /// ```
    ///
    /// ## Options
    /// - `rust.max-handler-branches` (default 15);
    /// - `rust.max-handler-statements` (default 60);
    /// - `rust.max-handler-nesting` (default 4);
    /// - `rust.max-handler-arithmetic` (default 8).
    ///
    /// A handler is reported when it goes over any of them.
    pub LogicInHandler {
        code: "RS010",
        name: "logic-in-handler",
        checklist: ApLogicInRoutes,
        group: Pedantic,
        severity: Warning,
        summary: "request handler over the complexity budget (business logic in the route)",
    }
}

impl LogicInHandler {
    /// Reports each handler function over the budget once. Returns internal errors.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let mut seen: HashSet<FnId> = HashSet::new();
        let mut errors = Vec::new();
        for h in ctx.handlers {
            if !seen.insert(h.function) {
                continue;
            }
            match guard(&h.file, || finding(ctx, h)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }
}

fn finding(ctx: &Context<'_>, h: &Handler) -> Option<Diagnostic> {
    let def = ctx.model.function(h.function)?;
    let over = over_budget(&def.body.complexity, ctx.config);
    if over.is_empty() {
        return None;
    }
    Some(
        Diagnostic::new(
            &LogicInHandler::META,
            &h.file,
            h.name_span,
            message(h, &over),
        )
        .with_help(help(&over)),
    )
}

/// What a body exceeds, as `(what, found, budget)`.
fn over_budget(c: &Complexity, config: &RustConfig) -> Vec<(&'static str, usize, usize)> {
    [
        (
            "arithmetic operations",
            c.arithmetic,
            config.max_handler_arithmetic,
        ),
        ("branches", c.branches, config.max_handler_branches),
        ("nesting levels", c.max_nesting, config.max_handler_nesting),
        ("statements", c.statements, config.max_handler_statements),
    ]
    .into_iter()
    .filter(|(_, found, budget)| found > budget)
    .collect()
}

fn message(h: &Handler, over: &[(&'static str, usize, usize)]) -> String {
    let parts: Vec<String> = over
        .iter()
        .map(|(what, found, budget)| format!("{found} {what} (budget {budget})"))
        .collect();
    let who = if h.is_closure() {
        "request handler closure".to_owned()
    } else {
        format!("request handler `{}`", h.name)
    };
    format!("{who} holds business logic: {}", parts.join(", "))
}

fn help(over: &[(&'static str, usize, usize)]) -> String {
    if over
        .iter()
        .any(|(what, _, _)| what.starts_with("arithmetic"))
    {
        "move the calculation into a domain function (`pricing::quote(&cart)`) the handler calls, and test it without HTTP".to_owned()
    } else {
        "move the decisions into a service function the handler calls; keep the handler to extracting, calling and responding".to_owned()
    }
}
