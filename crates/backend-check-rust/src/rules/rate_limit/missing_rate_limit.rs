use backend_check_core::{declare_rule, guard, Diagnostic, Sink, Span};

use crate::framework::{FnId, Handler};
use crate::model::ParsedFile;
use crate::names::matches_any;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Reports, once per application, a web application whose code shows no rate limiter:
    /// no middleware on any router branch and no import, type or call anywhere in the crate
    /// named like one (tower_governor `GovernorLayer`, tower `RateLimitLayer`,
    /// `actix-governor`'s `Governor`, `actix-extensible-rate-limit`'s `RateLimiter`,
    /// `rocket_governor`, or a configured custom type). The finding sits at the construction
    /// of the application's router (`Router::new()`, `App::new()`, `rocket::build()`).
    ///
    /// ## Why is this bad?
    /// Without a limit one client can exhaust the service: brute-force a login, scrape every
    /// record, or drive the database to its connection limit. A limit in the service (or a
    /// documented one at the gateway) is part of a production checklist.
    ///
    /// ## Example
    /// ```rust
    /// let app = Router::new()
    ///     .route("/login", post(login))
    ///     .route("/orders", get(list_orders));
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// let governor = GovernorConfigBuilder::default().per_second(2).burst_size(5).finish().unwrap();
    /// let app = Router::new()
    ///     .route("/login", post(login))
    ///     .route("/orders", get(list_orders))
    ///     .layer(GovernorLayer { config: Arc::new(governor) });
    /// ```
    /// If a gateway or load balancer limits the rate, suppress the finding with a reason:
    /// `// backend-check: allow(RS008) rate limited at the ingress`.
    ///
    /// ## Options
    /// `rust.rate-limiters`: name patterns of rate-limiting middleware, crates and types
    /// (default `Governor*`, `*governor*`, `*RateLimit*`, `*rate_limit*`, `*ratelimit*`,
    /// `*Throttle*`, `*limiter*`).
    pub MissingRateLimit {
        code: "RS008",
        name: "missing-rate-limit",
        checklist: ApiRateLimit,
        group: Pedantic,
        severity: Info,
        summary: "web application without any rate limiter",
    }
}

/// Router constructors, as the last two segments of the called path.
const CONSTRUCTORS: &[[&str; 2]] = &[
    ["Router", "new"],
    ["OpenApiRouter", "new"],
    ["ApiRouter", "new"],
    ["App", "new"],
    ["rocket", "build"],
    ["rocket", "custom"],
    ["warp", "serve"],
];

impl MissingRateLimit {
    /// Reports each application without a rate limiter. Returns internal errors.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let apps = ctx.handlers_by_application();
        let mut errors = Vec::new();
        for (krate, handlers) in apps {
            let Some(first) = handlers.first() else {
                continue;
            };
            match guard(&first.file, || finding(ctx, krate, &handlers)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }
}

fn finding(ctx: &Context<'_>, krate: usize, handlers: &[&Handler]) -> Option<Diagnostic> {
    let limiters = &ctx.config.rate_limiters;
    if handlers.iter().any(|h| h.layer_matches(limiters).is_some()) {
        return None;
    }
    let files: Vec<(usize, &ParsedFile)> = ctx
        .model
        .files()
        .iter()
        .enumerate()
        .filter(|(i, _)| ctx.model.crate_of(*i) == krate)
        .collect();
    if files.iter().any(|(_, f)| mentions_limiter(f, limiters)) {
        return None;
    }
    let (file, span) = construction(ctx, &files).or_else(|| {
        let h = handlers
            .iter()
            .min_by_key(|h| (h.file.display_path(), h.name_span.start))?;
        Some((h.file.clone(), h.name_span))
    })?;
    Some(
        Diagnostic::new(
            &MissingRateLimit::META,
            &file,
            span,
            message(handlers.len()),
        )
        .with_help(help(handlers)),
    )
}

/// Whether a file imports, calls or builds anything named like a rate limiter.
fn mentions_limiter(file: &ParsedFile, limiters: &[String]) -> bool {
    let named = |segments: &[String]| segments.iter().any(|s| matches_any(s, limiters));
    let facts = &file.facts;
    facts.scopes.iter().any(|s| {
        s.uses
            .iter()
            .any(|u| named(&u.path) || matches_any(&u.name, limiters))
    }) || facts.functions.iter().any(|f| {
        f.body.calls.iter().any(|c| named(&c.path))
            || f.body.method_calls.iter().any(|c| {
                matches_any(&c.method, limiters) || c.receiver_path.as_deref().is_some_and(named)
            })
    }) || facts
        .registrations
        .iter()
        .any(|r| r.context.layers.iter().any(|l| named(l)))
        || facts
            .links
            .iter()
            .any(|l| l.context.layers.iter().any(|l| named(l)))
}

/// The router constructor call in the function that builds the most of the
/// application (registrations and attached routers), non-test code only.
fn construction(
    ctx: &Context<'_>,
    files: &[(usize, &ParsedFile)],
) -> Option<(std::sync::Arc<backend_check_core::SourceFile>, Span)> {
    let mut best: Option<(usize, &str, usize, Span, usize)> = None;
    for (file_index, parsed) in files {
        for (function, def) in parsed.facts.functions.iter().enumerate() {
            let id = FnId {
                file: *file_index,
                function,
            };
            if def.is_closure || ctx.model.is_test_code(id) {
                continue;
            }
            let Some(call) = def.body.calls.iter().find(|c| is_constructor(&c.path)) else {
                continue;
            };
            let weight = parsed
                .facts
                .registrations
                .iter()
                .filter(|r| r.owner == function)
                .count()
                + parsed
                    .facts
                    .links
                    .iter()
                    .filter(|l| l.owner == function)
                    .count();
            let key = (weight, parsed.file.display_path(), call.span.start);
            let better = best.as_ref().is_none_or(|(w, path, start, _, _)| {
                key.0 > *w || (key.0 == *w && (key.1, key.2) < (*path, *start))
            });
            if better {
                best = Some((
                    weight,
                    parsed.file.display_path(),
                    call.span.start,
                    call.span,
                    *file_index,
                ));
            }
        }
    }
    let (_, _, _, span, file_index) = best?;
    Some((ctx.model.file(file_index)?.file.clone(), span))
}

fn is_constructor(path: &[String]) -> bool {
    let n = path.len();
    let tail: Vec<&str> = path
        .iter()
        .skip(n.saturating_sub(2))
        .map(String::as_str)
        .collect();
    CONSTRUCTORS.iter().any(|c| tail.as_slice() == c.as_slice())
}

fn message(routes: usize) -> String {
    format!(
        "no rate limiter in this application ({routes} route{} served without a request limit)",
        if routes == 1 { "" } else { "s" }
    )
}

fn help(handlers: &[&Handler]) -> String {
    let framework = handlers.first().map(|h| h.framework);
    let how = match framework {
        Some(crate::Framework::ActixWeb) => "wrap the `App` in `actix_governor::Governor`",
        Some(crate::Framework::Rocket) => "add a `rocket_governor` guard or fairing",
        _ => "add `tower_governor::GovernorLayer` (or tower's `RateLimitLayer`) to the router",
    };
    format!("{how}, at least on login and write routes; if a gateway limits the rate, say so in an allow comment")
}
