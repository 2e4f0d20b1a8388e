//! axum method routers: `get(f)`, `routing::post(f)`, `get(f).put(g)`,
//! `on(MethodFilter::GET, f)`, `any(f)`, and aide's `get_with(f, docs)`.

use syn::visit::Visit;
use syn::{Expr, ExprPath};

use super::registrations::called_name;
use super::Method;

/// The handlers of a method-router expression with their methods.
pub fn method_router(expr: &Expr) -> Vec<(Vec<Method>, &Expr)> {
    let mut out = Vec::new();
    collect(expr, &mut out);
    out
}

fn collect<'a>(expr: &'a Expr, out: &mut Vec<(Vec<Method>, &'a Expr)>) {
    match expr {
        Expr::Call(call) => {
            let args: Vec<&Expr> = call.args.iter().collect();
            if let Some(name) = called_name(&call.func) {
                add(&name, &args, out);
            }
        }
        Expr::MethodCall(call) => {
            collect(&call.receiver, out);
            let args: Vec<&Expr> = call.args.iter().collect();
            add(&call.method.to_string(), &args, out);
        }
        Expr::Paren(p) => collect(&p.expr, out),
        Expr::Group(g) => collect(&g.expr, out),
        _ => {}
    }
}

fn add<'a>(name: &str, args: &[&'a Expr], out: &mut Vec<(Vec<Method>, &'a Expr)>) {
    match (name, args) {
        ("any", [handler]) => out.push((vec![Method::Any], handler)),
        ("on", [filter, handler]) => {
            let methods = filter_methods(filter);
            if !methods.is_empty() {
                out.push((methods, handler));
            }
        }
        (name, [handler]) => {
            if let Some(method) = Method::from_lower(name) {
                out.push((vec![method], handler));
            }
        }
        ("any_with", [handler, _docs]) => out.push((vec![Method::Any], handler)),
        (name, [handler, _docs]) => {
            if let Some(method) = name.strip_suffix("_with").and_then(Method::from_lower) {
                out.push((vec![method], handler));
            }
        }
        _ => {}
    }
}

/// The methods named in a `MethodFilter` expression (`MethodFilter::GET.or(MethodFilter::POST)`).
fn filter_methods(filter: &Expr) -> Vec<Method> {
    struct Names(Vec<Method>);
    impl<'ast> Visit<'ast> for Names {
        fn visit_expr_path(&mut self, node: &'ast ExprPath) {
            let last = node.path.segments.last().map(|s| s.ident.to_string());
            if let Some(method) = last.as_deref().and_then(Method::from_name) {
                if !self.0.contains(&method) {
                    self.0.push(method);
                }
            }
        }
    }
    let mut names = Names(Vec::new());
    names.visit_expr(filter);
    names.0
}
