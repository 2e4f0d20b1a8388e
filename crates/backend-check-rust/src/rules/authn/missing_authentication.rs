use backend_check_core::{declare_rule, guard, Diagnostic, RustConfig, Sink};

use super::known_auth::KnownAuth;
use crate::framework::{Handler, Method};
use crate::model::{FnDef, Param};
use crate::names::matches_any;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds request handlers for write methods (`POST`, `PUT`, `PATCH`, `DELETE`) and for
    /// reads below an `admin`, `internal` or `private` path that no authentication
    /// reaches: no auth middleware on their router branch (`route_layer(from_fn(require_auth))`,
    /// actix `.wrap(HttpAuthentication::bearer(…))` on the scope), no auth extractor among
    /// their parameters (`AuthUser`, `Claims`, `Session`, `Extension<CurrentUser>`,
    /// `web::ReqData<UserId>`, Rocket guards such as `AdminToken`), and no auth call in the
    /// body or in the crate functions it calls directly (`AuthCheck::default().check(…)`,
    /// `authenticate(…)`, `session.get_user_id()`).
    ///
    /// Authentication the code writes itself counts whatever its names: an extractor or
    /// Rocket request guard whose `FromRequestParts` / `FromRequest` impl reads the
    /// `Authorization` header, a bearer token, an API-key header, a cookie or a session
    /// (`VerifiedClientInformation`, `ApiKey`); a `from_fn(check_key)` middleware or a
    /// warp filter (`.and(check_api_key())`) whose function does; a warp
    /// `header::exact("authorization", …)` filter; and tower's `ValidateRequestHeaderLayer`
    /// and `RequireAuthorizationLayer`.
    ///
    /// Routes whose path matches a public pattern (login, signup, health, metrics,
    /// webhooks, docs…) are left alone. When an application authenticates no route at
    /// all, one finding at its first open write route says so instead of one per route:
    /// the service probably sits behind a gateway, or auth is still to be written.
    ///
    /// ## Why is this bad?
    /// A write route without authentication lets anyone on the network create, change or
    /// delete data. In a service that authenticates most routes, the one that does not is
    /// usually a forgotten `route_layer` or extractor, found later by an attacker.
    ///
    /// ## Example
    /// ```rust
    /// let app = Router::new()
    ///     .route("/orders", post(create_order))
    ///     .route("/orders/{id}", delete(delete_order))
    ///     .route_layer(from_fn(require_auth))
    ///     .route("/orders/{id}/cancel", post(cancel_order)); // added after the layer
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// let app = Router::new()
    ///     .route("/orders", post(create_order))
    ///     .route("/orders/{id}", delete(delete_order))
    ///     .route("/orders/{id}/cancel", post(cancel_order))
    ///     .route_layer(from_fn(require_auth));
    /// // or take the authenticated caller as an extractor:
    /// async fn cancel_order(user: AuthUser, Path(id): Path<i64>) -> Result<StatusCode, AppError> { … }
    /// ```
    ///
    /// ## Options
    /// - `rust.auth-extractors`: type name patterns of auth extractors (default `Auth*`,
    ///   `*User`, `Claims`, `*Session`, `*Token`, `Identity`, …); a pattern also matches the
    ///   type inside `Option<…>`, `Extension<…>` and `web::ReqData<…>`;
    /// - `rust.auth-middleware`: identifier patterns in `layer`/`route_layer`/`wrap`
    ///   arguments (default `*auth*`, `*jwt*`, `*session*`, `*login*`, `*bearer*`);
    /// - `rust.public-paths`: route path patterns that are public by design (default
    ///   `*health*`, `*metrics*`, `*login*`, `*signup*`, `*webhook*`, `*docs*`, …).
    pub MissingAuthentication {
        code: "RS007",
        name: "missing-authentication",
        checklist: SecAuthn,
        group: Nursery,
        severity: Warning,
        summary: "write route (or admin read) reachable without authentication",
    }
}

/// Wrappers whose type argument is the extractor that matters.
const WRAPPERS: &[&str] = &["Option", "Extension", "ReqData", "Result"];

/// Path words that mark a read as non-public.
const PRIVATE_SEGMENTS: &[&str] = &["admin", "internal", "private"];

/// A handler function with its routes that no authentication reaches.
struct Open<'h> {
    handler: &'h Handler,
    routes: Vec<String>,
}

impl MissingAuthentication {
    /// Reports open routes per application. Returns internal errors.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let applications = ctx.handlers_by_application();
        if applications.is_empty() {
            return errors;
        }
        for handlers in applications.values() {
            let Some(first) = handlers.first() else {
                continue;
            };
            match guard(&first.file, || findings(ctx, handlers)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }
}

fn findings(ctx: &Context<'_>, handlers: &[&Handler]) -> Vec<Diagnostic> {
    let config = ctx.config;
    let mut any_auth = false;
    let mut open: Vec<Open<'_>> = Vec::new();
    for handler in handlers {
        let Some(authenticated) = ctx.authenticated(handler) else {
            continue;
        };
        any_auth |= authenticated;
        if authenticated {
            continue;
        }
        let Some(route) = sensitive_route(handler, config) else {
            continue;
        };
        match open
            .iter_mut()
            .find(|o| o.handler.function == handler.function)
        {
            Some(o) if !o.routes.contains(&route) => o.routes.push(route),
            Some(_) => {}
            None => open.push(Open {
                handler,
                routes: vec![route],
            }),
        }
    }
    if any_auth {
        open.iter().map(per_route).collect()
    } else {
        open.first()
            .map(|o| per_application(o, open.len()))
            .into_iter()
            .collect()
    }
}

/// Whether the handler authenticates its caller: an auth layer on its branch,
/// an auth extractor among its parameters, or an auth call in its body or in
/// a function it calls directly. `None` when its function is unknown.
fn authenticates(ctx: &Context<'_>, handler: &Handler, auth: Auth<'_>) -> Option<bool> {
    let def = ctx.model.function(handler.function)?;
    let config = auth.config;
    Some(
        handler.layer_matches(&config.auth_middleware).is_some()
            || layer_names_auth(handler, auth.known)
            || extracts_auth(def, auth)
            || calls_auth(def, config)
            || callee_calls_auth(ctx, handler, auth),
    )
}

/// Whether each handler of the context authenticates its caller (see
/// [`MissingAuthentication`]), in order; `None` where its function is unknown.
pub(crate) fn authenticated_handlers(ctx: &Context<'_>) -> Vec<Option<bool>> {
    let auth = Auth {
        config: ctx.config,
        known: ctx.known_auth(),
    };
    ctx.handlers
        .iter()
        .map(|h| authenticates(ctx, h, auth))
        .collect()
}

/// The route text when the handler serves a write method, or a read of a
/// non-public path, on a path that is not public by configuration.
fn sensitive_route(handler: &Handler, config: &RustConfig) -> Option<String> {
    let path = handler.full_path()?;
    if matches_any(&path, &config.public_paths) {
        return None;
    }
    let writes = handler.methods.iter().any(is_write);
    let private_read = path
        .split('/')
        .any(|segment| PRIVATE_SEGMENTS.contains(&segment.to_ascii_lowercase().as_str()));
    (writes || private_read).then(|| handler.route())
}

fn is_write(method: &Method) -> bool {
    matches!(
        method,
        Method::Post | Method::Put | Method::Patch | Method::Delete
    )
}

/// What counts as authentication: the configured names and what the code defines itself.
#[derive(Clone, Copy)]
struct Auth<'a> {
    config: &'a RustConfig,
    known: &'a KnownAuth,
}

impl Auth<'_> {
    fn is_extractor(&self, name: &str) -> bool {
        matches_any(name, &self.config.auth_extractors) || self.known.extractors.contains(name)
    }
}

/// Whether a layer or filter on the handler's branch is authentication the
/// code defines (`from_fn(check_api_key)`, `ValidateRequestHeaderLayer::custom(…)`,
/// warp `.and(with_api_key())`, `from_extractor::<ApiKey>()`), or a warp
/// filter on the `Authorization` header.
fn layer_names_auth(handler: &Handler, known: &KnownAuth) -> bool {
    handler
        .context
        .layers
        .iter()
        .flatten()
        .any(|ident| known.names_auth(ident) || ident.eq_ignore_ascii_case("authorization"))
}

/// Whether a parameter's type (or the type inside a wrapper) is an auth extractor.
fn is_auth_param(param: &Param, auth: Auth<'_>) -> bool {
    let name = param.type_name();
    if auth.is_extractor(name) {
        return true;
    }
    WRAPPERS.contains(&name)
        && param.inner.as_deref().is_some_and(|inner| {
            let last = inner.rsplit("::").next().unwrap_or(inner);
            auth.is_extractor(last)
        })
}

fn extracts_auth(def: &FnDef, auth: Auth<'_>) -> bool {
    def.params.iter().any(|p| is_auth_param(p, auth))
}

/// Whether the body calls something named like authentication
/// (`AuthCheck::default()`, `authenticate(…)`, `session.get_user_id()`).
fn calls_auth(def: &FnDef, config: &RustConfig) -> bool {
    let named = |name: &str| {
        matches_any(name, &config.auth_middleware) || matches_any(name, &config.auth_extractors)
    };
    def.body
        .calls
        .iter()
        .any(|c| c.path.iter().rev().take(2).any(|s| named(s)))
        || def.body.method_calls.iter().any(|c| named(&c.method))
}

/// Whether a crate function the handler calls directly authenticates
/// (`modify_owners(app, parts, …)` calling `AuthCheck::default().check(…)`).
fn callee_calls_auth(ctx: &Context<'_>, handler: &Handler, auth: Auth<'_>) -> bool {
    ctx.model
        .direct_callees(handler.function)
        .iter()
        .filter_map(|c| ctx.model.function(c.function))
        .any(|def| extracts_auth(def, auth) || calls_auth(def, auth.config))
}

fn per_route(open: &Open<'_>) -> Diagnostic {
    let h = open.handler;
    Diagnostic::new(
        &MissingAuthentication::META,
        &h.file,
        h.name_span,
        route_message(open),
    )
    .with_help(route_help(h))
}

fn route_message(open: &Open<'_>) -> String {
    let routes = open.routes.join("`, `");
    if open.handler.is_closure() {
        format!("`{routes}` is reachable without authentication")
    } else {
        format!(
            "`{routes}` (handler `{}`) is reachable without authentication",
            open.handler.name
        )
    }
}

fn route_help(h: &Handler) -> String {
    let how = match h.framework {
        crate::Framework::Axum => "take an auth extractor (`AuthUser`, `Claims`) or register the route before the `route_layer` that authenticates",
        crate::Framework::ActixWeb => "take an auth extractor or register the route in a scope that `.wrap(…)`s authentication",
        crate::Framework::Rocket => "take an auth request guard (`user: AuthUser`) in the handler",
        crate::Framework::Warp => "combine the route with an auth filter (`.and(with_auth())`)",
    };
    format!("{how}; if the route is public by design, add its path to `rust.public-paths`")
}

fn per_application(first: &Open<'_>, count: usize) -> Diagnostic {
    let h = first.handler;
    let message = format!(
        "no route of this application authenticates its caller; {count} write or admin route{} {} open, starting with `{}`",
        if count == 1 { "" } else { "s" },
        if count == 1 { "is" } else { "are" },
        first.routes.first().map_or("", String::as_str)
    );
    Diagnostic::new(&MissingAuthentication::META, &h.file, h.name_span, message).with_help(
        "add authentication middleware or an auth extractor; if a gateway authenticates every request, disable RS007 for this service",
    )
}
