//! actix-web registrations: `web::get().to(f)` routes and `web::resource("/p")` chains.

use syn::Expr;

use super::registrations::{called_name, string_literal, RawRegistration};
use super::{Framework, Method};

/// `R.to(f)` where `R` is a route (`web::get()`, `web::route().guard(guard::Post())`,
/// `web::method(Method::PUT)`): its methods and handler.
pub fn route_to(expr: &Expr) -> Option<(Vec<Method>, &Expr)> {
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    if call.method != "to" || call.args.len() != 1 {
        return None;
    }
    let handler = call.args.first()?;
    let mut methods = Vec::new();
    route_methods(&call.receiver, &mut methods);
    if !is_route_chain(&call.receiver) {
        return None;
    }
    if methods.is_empty() {
        methods.push(Method::Any);
    }
    Some((methods, handler))
}

/// Whether a chain starts at a route constructor (`web::get()`, `web::route()`, `Route::new()`).
fn is_route_chain(expr: &Expr) -> bool {
    match expr {
        Expr::MethodCall(call) => is_route_chain(&call.receiver),
        Expr::Call(call) => called_name(&call.func).is_some_and(|name| {
            Method::from_lower(&name).is_some()
                || name == "route"
                || name == "method"
                || is_constructor_of(&call.func, "Route")
        }),
        _ => false,
    }
}

fn route_methods(expr: &Expr, out: &mut Vec<Method>) {
    match expr {
        Expr::MethodCall(call) => {
            route_methods(&call.receiver, out);
            let name = call.method.to_string();
            if name == "method" || name == "guard" {
                out.extend(call.args.iter().filter_map(method_in_arg));
            }
        }
        Expr::Call(call) => {
            let name = called_name(&call.func);
            match name.as_deref() {
                Some("method") => out.extend(call.args.iter().filter_map(method_in_arg)),
                Some(name) if call.args.is_empty() => out.extend(Method::from_lower(name)),
                _ => {}
            }
        }
        _ => {}
    }
}

/// `Method::POST`, `http::Method::POST` or `guard::Post()`.
fn method_in_arg(arg: &Expr) -> Option<Method> {
    let path = match arg {
        Expr::Path(p) => &p.path,
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) => &p.path,
            _ => return None,
        },
        _ => return None,
    };
    let last = path.segments.last()?.ident.to_string();
    Method::from_name(&last)
}

/// Whether `func` is `Type::new` for the given type name.
fn is_constructor_of(func: &Expr, type_name: &str) -> bool {
    let Expr::Path(p) = func else {
        return false;
    };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    matches!(segments.as_slice(), [.., ty, new] if ty == type_name && new == "new")
}

/// The path of a `web::resource("/p")…` chain.
fn resource_path(expr: &Expr) -> Option<String> {
    match expr {
        Expr::MethodCall(call) => resource_path(&call.receiver),
        Expr::Call(call) => {
            let is_resource = called_name(&call.func).is_some_and(|n| n == "resource")
                || is_constructor_of(&call.func, "Resource");
            if is_resource {
                call.args.first().and_then(string_literal)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `web::resource("/p")….route(web::get().to(f))`.
pub fn resource_route<'a>(receiver: &'a Expr, route: &'a Expr) -> Option<RawRegistration<'a>> {
    let path = resource_path(receiver)?;
    let (methods, handler) = route_to(route)?;
    Some(RawRegistration {
        framework: Framework::ActixWeb,
        methods,
        path: Some(path),
        handler,
        guards: Vec::new(),
    })
}

/// `web::resource("/p")….to(f)`: every method.
pub fn resource_to<'a>(receiver: &'a Expr, handler: &'a Expr) -> Option<RawRegistration<'a>> {
    let path = resource_path(receiver)?;
    Some(RawRegistration {
        framework: Framework::ActixWeb,
        methods: vec![Method::Any],
        path: Some(path),
        handler,
        guards: Vec::new(),
    })
}
