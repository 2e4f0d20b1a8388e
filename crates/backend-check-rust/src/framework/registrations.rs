//! Handler registrations in router-building code, recognised on one method
//! call at a time while a body is walked.

use syn::{Expr, ExprMethodCall, Lit};

use super::{actix, axum, warp, Framework, Method};

/// A registration before its handler expression is turned into a reference.
pub struct RawRegistration<'a> {
    /// The framework whose API was used.
    pub framework: Framework,
    /// The methods.
    pub methods: Vec<Method>,
    /// The path, when a literal.
    pub path: Option<String>,
    /// The handler expression.
    pub handler: &'a Expr,
    /// Words of the filters combined into the route before the handler
    /// (warp `.and(check_api_key())`, `.and(warp::header::exact("authorization", …))`):
    /// kept as one more middleware layer of the route.
    pub guards: Vec<String>,
}

/// The registrations a method call makes:
/// - axum `.route("/p", get(f).post(g))`, aide `.api_route("/p", get_with(f, docs))` and
///   `.api_route_with("/p", post_with(f, docs), transform)`;
/// - actix-web `.route("/p", web::get().to(f))`, `web::resource("/p").route(web::get().to(f))`
///   and `web::resource("/p").to(f)`.
pub fn from_method_call(call: &ExprMethodCall) -> Vec<RawRegistration<'_>> {
    let args: Vec<&Expr> = call.args.iter().collect();
    match (call.method.to_string().as_str(), args.as_slice()) {
        ("route" | "api_route", [path, router])
        | ("api_route_with" | "route_with", [path, router, _]) => {
            let path = string_literal(path);
            if let Some((methods, handler)) = actix::route_to(router) {
                return vec![RawRegistration {
                    framework: Framework::ActixWeb,
                    methods,
                    path,
                    handler,
                    guards: Vec::new(),
                }];
            }
            axum::method_router(router)
                .into_iter()
                .map(|(methods, handler)| RawRegistration {
                    framework: Framework::Axum,
                    methods,
                    path: path.clone(),
                    handler,
                    guards: Vec::new(),
                })
                .collect()
        }
        ("route", [route]) => actix::resource_route(&call.receiver, route)
            .into_iter()
            .collect(),
        ("to", [handler]) => actix::resource_to(&call.receiver, handler)
            .into_iter()
            .collect(),
        ("and_then" | "map" | "then", [_]) => warp::handler_call(call).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The value of a string literal expression (through `&` and parentheses).
pub fn string_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(lit) => match &lit.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        Expr::Reference(r) => string_literal(&r.expr),
        Expr::Paren(p) => string_literal(&p.expr),
        Expr::Group(g) => string_literal(&g.expr),
        _ => None,
    }
}

/// The last segment of a called path (`get` for `axum::routing::get(f)`).
pub fn called_name(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}
