//! warp filter chains: `warp::path!("users" / u32).and(warp::post()).and_then(create)`,
//! `warp::path("health").map(|| "ok")`. The handler is the argument of the
//! final `.and_then(f)`, `.map(f)` or `.then(f)`; the path and methods come
//! from the filters of the receiver chain.

use proc_macro2::TokenTree;
use syn::visit::{self, Visit};
use syn::{Expr, ExprMethodCall};

use super::registrations::{called_name, string_literal, RawRegistration};
use super::{Framework, Method};

/// What the filters of a chain say about the route.
#[derive(Default)]
struct Filters {
    segments: Vec<String>,
    methods: Vec<Method>,
    is_warp: bool,
    /// Identifiers and string literals of the `.and(…)` filters.
    guards: Vec<String>,
}

/// How many filter words a route keeps.
const MAX_GUARD_WORDS: usize = 64;

/// The registration a `.and_then(f)` / `.map(f)` / `.then(f)` call on a warp filter makes.
pub fn handler_call(call: &ExprMethodCall) -> Option<RawRegistration<'_>> {
    let name = call.method.to_string();
    if !matches!(name.as_str(), "and_then" | "map" | "then") || call.args.len() != 1 {
        return None;
    }
    let mut filters = Filters::default();
    collect(&call.receiver, &mut filters);
    if !filters.is_warp || filters.segments.is_empty() && filters.methods.is_empty() {
        return None;
    }
    let methods = if filters.methods.is_empty() {
        vec![Method::Any]
    } else {
        filters.methods
    };
    Some(RawRegistration {
        framework: Framework::Warp,
        methods,
        path: Some(format!("/{}", filters.segments.join("/"))),
        handler: call.args.first()?,
        guards: filters.guards,
    })
}

fn collect(expr: &Expr, out: &mut Filters) {
    match expr {
        Expr::MethodCall(call) => {
            collect(&call.receiver, out);
            if matches!(call.method.to_string().as_str(), "and" | "untuple_one") {
                call.args.iter().for_each(|a| {
                    collect(a, out);
                    filter_words(a, &mut out.guards);
                });
            }
        }
        Expr::Call(call) => filter_call(&call.func, call.args.first(), out),
        Expr::Macro(m) => {
            let segments: Vec<String> = m
                .mac
                .path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect();
            if segments.last().is_some_and(|s| s == "path") {
                out.is_warp |= segments.first().is_some_and(|s| s == "warp") || segments.len() == 1;
                out.segments
                    .extend(path_macro_segments(m.mac.tokens.clone()));
            }
        }
        Expr::Paren(p) => collect(&p.expr, out),
        _ => {}
    }
}

fn filter_call(func: &Expr, first: Option<&Expr>, out: &mut Filters) {
    let Expr::Path(p) = func else {
        return;
    };
    let segments: Vec<String> = p
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if segments.first().is_some_and(|s| s == "warp") {
        out.is_warp = true;
    }
    let name = called_name(func).unwrap_or_default();
    match name.as_str() {
        "path" => out.segments.extend(first.and_then(string_literal)),
        "param" => out.segments.push("{param}".to_owned()),
        "tail" => out.segments.push("{tail}".to_owned()),
        _ => {
            if segments.len() >= 2 || out.is_warp {
                out.methods.extend(Method::from_lower(&name));
            }
        }
    }
}

/// The identifiers and string literals of a filter expression
/// (`warp::header::exact("authorization", token)` gives `warp`, `header`,
/// `exact`, `authorization`, `token`).
fn filter_words(expr: &Expr, out: &mut Vec<String>) {
    struct Words<'o>(&'o mut Vec<String>);
    impl<'ast> Visit<'ast> for Words<'_> {
        fn visit_ident(&mut self, node: &'ast proc_macro2::Ident) {
            if self.0.len() < MAX_GUARD_WORDS {
                self.0.push(node.to_string());
            }
        }
        fn visit_lit_str(&mut self, node: &'ast syn::LitStr) {
            if self.0.len() < MAX_GUARD_WORDS {
                self.0.push(node.value());
            }
        }
        fn visit_expr_closure(&mut self, node: &'ast syn::ExprClosure) {
            visit::visit_expr_closure(self, node);
        }
    }
    Words(out).visit_expr(expr);
}

/// `"users" / u32 / "posts"` gives `users`, `{u32}`, `posts`.
fn path_macro_segments(tokens: proc_macro2::TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    let mut piece: Vec<TokenTree> = Vec::new();
    let flush = |piece: &mut Vec<TokenTree>, out: &mut Vec<String>| {
        match piece.as_slice() {
            [] => {}
            [TokenTree::Literal(lit)] => {
                let text = lit.to_string();
                out.push(text.trim_matches('"').to_owned());
            }
            [.., TokenTree::Punct(p)] if p.as_char() == '.' => {}
            other => {
                let ty: String = other.iter().map(ToString::to_string).collect();
                out.push(format!("{{{ty}}}"));
            }
        }
        piece.clear();
    };
    for token in tokens {
        match &token {
            TokenTree::Punct(p) if p.as_char() == '/' => flush(&mut piece, &mut out),
            _ => piece.push(token),
        }
    }
    flush(&mut piece, &mut out);
    out.retain(|s| s != "{..}" && !s.is_empty());
    out
}
