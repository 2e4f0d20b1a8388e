//! Router building in a function body: the prefixes (`nest`, `web::scope`,
//! `mount`) and middleware (`layer`, `route_layer`, `wrap`) that wrap each
//! registration, and the routers attached from other functions or variables.

use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, ExprMethodCall, Ident, Token};

use super::attrs::path_segments;
use crate::framework::registrations::{called_name, string_literal};
use crate::model::{join_paths, LinkTarget, Registration, RouteContext, RouterLink};

/// One level of router nesting seen from inside.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// The prefix added at this level (`None` when not a literal).
    pub prefix: Option<String>,
    /// Middleware added at this level.
    pub layers: Vec<Vec<String>>,
}

/// How a router-building call wraps what it is given.
pub enum Wrap<'a> {
    /// `layer(l)` / `route_layer(l)` / `wrap(m)`: wraps the routes of the receiver.
    Layer(Frame),
    /// `nest(p, r)`, `merge(r)`, actix `service(s)` / `configure(f)`: wraps `router`.
    Nest {
        /// The prefix and middleware added.
        frame: Frame,
        /// The attached router expression.
        router: &'a Expr,
    },
    /// Rocket `mount(base, routes![a, b])`.
    Mount {
        /// The base path.
        frame: Frame,
        /// The mounted handlers.
        handlers: Vec<LinkTarget>,
    },
}

/// Classifies a method call that builds routers.
pub fn classify(call: &ExprMethodCall) -> Option<Wrap<'_>> {
    let args: Vec<&Expr> = call.args.iter().collect();
    match (call.method.to_string().as_str(), args.as_slice()) {
        ("layer" | "route_layer" | "wrap" | "wrap_fn", [layer]) => Some(Wrap::Layer(Frame {
            prefix: Some(String::new()),
            layers: vec![identifiers(layer)],
        })),
        ("nest" | "nest_service", [path, router]) => Some(Wrap::Nest {
            frame: Frame {
                prefix: string_literal(path),
                layers: Vec::new(),
            },
            router,
        }),
        ("merge", [router]) => Some(Wrap::Nest {
            frame: Frame::default_literal(),
            router,
        }),
        ("service" | "configure", [router]) => Some(Wrap::Nest {
            frame: scope_frame(&call.receiver),
            router,
        }),
        ("mount", [path, routes]) => {
            let frame = Frame {
                prefix: string_literal(path),
                layers: Vec::new(),
            };
            match routes_macro(routes) {
                Some(handlers) => Some(Wrap::Mount { frame, handlers }),
                None => Some(Wrap::Nest {
                    frame,
                    router: routes,
                }),
            }
        }
        _ => None,
    }
}

impl Frame {
    fn default_literal() -> Frame {
        Frame {
            prefix: Some(String::new()),
            layers: Vec::new(),
        }
    }
}

/// The prefix and middleware of an actix `web::scope("/p").wrap(m)…` chain
/// (or an `App::new().wrap(m)…` chain) that a call is made on.
pub fn scope_frame(receiver: &Expr) -> Frame {
    let mut frame = Frame::default_literal();
    let mut expr = receiver;
    loop {
        match expr {
            Expr::MethodCall(call) => {
                if (call.method == "wrap" || call.method == "wrap_fn") && call.args.len() == 1 {
                    frame.layers.extend(call.args.first().map(identifiers));
                }
                expr = &call.receiver;
            }
            Expr::Call(call) => {
                if called_name(&call.func).as_deref() == Some("scope") {
                    frame.prefix = call.args.first().and_then(string_literal);
                }
                return frame;
            }
            Expr::Paren(p) => expr = &p.expr,
            _ => return frame,
        }
    }
}

/// The function or variable an attached router expression comes from, with
/// the layers applied to it on the way (`api::routes().layer(auth)`).
pub fn link_target(expr: &Expr) -> Option<(LinkTarget, Frame)> {
    let mut frame = Frame::default_literal();
    let mut expr = expr;
    loop {
        match expr {
            Expr::MethodCall(call) => {
                if let Some(Wrap::Layer(layer)) = classify(call) {
                    frame.layers.extend(layer.layers);
                }
                expr = &call.receiver;
            }
            Expr::Call(call) => {
                let Expr::Path(p) = &*call.func else {
                    return None;
                };
                return Some((LinkTarget::Function(path_segments(&p.path)), frame));
            }
            Expr::Path(p) if p.qself.is_none() => {
                return Some((LinkTarget::Function(path_segments(&p.path)), frame));
            }
            Expr::Paren(p) => expr = &p.expr,
            Expr::Reference(r) => expr = &r.expr,
            Expr::Try(t) => expr = &t.expr,
            Expr::Await(a) => expr = &a.base,
            _ => return None,
        }
    }
}

/// The handlers of a `routes![a, b]` (or `rocket::routes![…]`) macro.
fn routes_macro(expr: &Expr) -> Option<Vec<LinkTarget>> {
    let Expr::Macro(m) = expr else {
        return None;
    };
    routes_macro_body(&m.mac)
}

/// The handlers a `routes![…]` macro lists, wherever it is written (a
/// function returning `Vec<Route>` that a `mount` call links to).
pub fn routes_macro_targets(mac: &syn::Macro) -> Vec<LinkTarget> {
    routes_macro_body(mac).unwrap_or_default()
}

fn routes_macro_body(mac: &syn::Macro) -> Option<Vec<LinkTarget>> {
    let name = mac.path.segments.last()?.ident.to_string();
    if name != "routes" {
        return None;
    }
    let paths = mac
        .parse_body_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        .ok()?;
    Some(
        paths
            .iter()
            .map(|p| LinkTarget::Function(path_segments(p)))
            .collect(),
    )
}

/// The identifiers of a middleware expression (`["middleware", "from_fn", "require_auth"]`).
pub fn identifiers(expr: &Expr) -> Vec<String> {
    struct Idents(Vec<String>);
    impl<'ast> Visit<'ast> for Idents {
        fn visit_ident(&mut self, node: &'ast Ident) {
            if self.0.len() < 32 {
                self.0.push(node.to_string());
            }
        }
        fn visit_macro(&mut self, node: &'ast syn::Macro) {
            visit::visit_macro(self, node);
        }
    }
    let mut idents = Idents(Vec::new());
    idents.visit_expr(expr);
    idents.0
}

/// The context of a stack of frames, outermost first; layers come out innermost first.
pub fn context_of(frames: &[Frame]) -> RouteContext {
    let mut context = RouteContext::default();
    for frame in frames {
        match &frame.prefix {
            Some(prefix) => context.prefix = join_paths(&context.prefix, prefix),
            None => context.unknown_prefix = true,
        }
    }
    for frame in frames.iter().rev() {
        context.layers.extend(frame.layers.iter().cloned());
    }
    context
}

/// Applies links to local variables (`let api = Router::new()…;` then
/// `nest("/api", api)`) within one function, and drops them.
pub fn apply_local_links(registrations: &mut [Registration], links: &mut Vec<RouterLink>) {
    let locals: Vec<String> = registrations
        .iter()
        .filter_map(|r| r.binding.clone())
        .chain(links.iter().filter_map(|l| l.binding.clone()))
        .collect();
    let mut index = 0;
    while let Some(link) = links.get(index).cloned() {
        let name = match &link.target {
            LinkTarget::Function(path) if path.len() == 1 => path.first().cloned(),
            LinkTarget::Local(name) => Some(name.clone()),
            LinkTarget::Function(_) => None,
        };
        let Some(name) = name.filter(|n| locals.contains(n) && link.binding.as_ref() != Some(n))
        else {
            index += 1;
            continue;
        };
        for r in registrations.iter_mut() {
            if r.binding.as_ref() == Some(&name) {
                r.context = r.context.within(&link.context);
                r.binding = link.binding.clone();
            }
        }
        for other in links.iter_mut() {
            if other.binding.as_ref() == Some(&name) {
                other.context = other.context.within(&link.context);
                other.binding = link.binding.clone();
            }
        }
        links.remove(index);
    }
}

/// The path at the root of a method-call chain (`Command::new` in `Command::new(x).arg(y)`).
pub fn receiver_root(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::MethodCall(call) => receiver_root(&call.receiver),
        Expr::Call(call) => match &*call.func {
            Expr::Path(p) => Some(path_segments(&p.path)),
            _ => None,
        },
        Expr::Path(p) => Some(path_segments(&p.path)),
        Expr::Paren(p) => receiver_root(&p.expr),
        Expr::Try(t) => receiver_root(&t.expr),
        Expr::Await(a) => receiver_root(&a.base),
        Expr::Reference(r) => receiver_root(&r.expr),
        _ => None,
    }
}

/// Whether a call runs its argument off the async executor.
pub fn is_offload_call(path: &[String]) -> bool {
    let last = path.last().map_or("", String::as_str);
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
    matches!(last, "spawn_blocking" | "block_in_place")
        || (last == "spawn" && parent.is_some_and(|p| p == "thread"))
        || (last == "block" && parent.is_some_and(|p| p == "web"))
}

/// Whether a method call runs its argument off the async executor (`handle.spawn_blocking(…)`).
pub fn is_offload_method(call: &ExprMethodCall) -> bool {
    call.method == "spawn_blocking" || call.method == "block_in_place"
}

/// A literal (`true`, `"*"`, `8080`) or a path (`Any`, `SslVerifyMode::NONE`) argument as text.
pub fn short_arg(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(l) => match &l.lit {
            syn::Lit::Bool(b) => Some(b.value.to_string()),
            syn::Lit::Str(s) => Some(format!("{:?}", s.value())),
            syn::Lit::Int(i) => Some(i.base10_digits().to_owned()),
            _ => None,
        },
        Expr::Path(p) => Some(path_segments(&p.path).join("::")),
        Expr::Call(c) if c.args.is_empty() => match &*c.func {
            Expr::Path(p) => Some(format!("{}()", path_segments(&p.path).join("::"))),
            _ => None,
        },
        Expr::Reference(r) => short_arg(&r.expr),
        Expr::Paren(p) => short_arg(&p.expr),
        _ => None,
    }
}
