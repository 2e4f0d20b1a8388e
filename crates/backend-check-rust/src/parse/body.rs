//! One walk over a function body: its calls, its macros, and the handlers it
//! registers on routers.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprClosure, ExprMethodCall, Item, Macro};

use super::attrs::path_segments;
use super::macros;
use super::SpanMap;
use crate::framework::registrations::{self, RawRegistration};
use crate::framework::CLOSURE_NAME;
use crate::model::{BodyFacts, FnDef, HandlerRef, MacroCall, MethodCall, PathCall, Registration};

/// Where registrations found in a body belong.
#[derive(Clone)]
pub struct RegistrationContext {
    /// The scope of the function.
    pub scope: usize,
    /// The `impl` type of the function.
    pub self_type: Option<String>,
}

/// What a body walk found.
pub struct BodyWalk {
    /// The body's facts.
    pub facts: BodyFacts,
    /// Registrations; a closure target is `HandlerRef::Local(i)` with `i` an index into `closures`.
    pub registrations: Vec<Registration>,
    /// Closures registered as handlers.
    pub closures: Vec<FnDef>,
}

/// Walks a body. Registrations are collected only when `context` is given
/// (it is not for test code and for the bodies of handler closures).
pub fn walk_block(
    block: &syn::Block,
    spans: &SpanMap<'_>,
    context: Option<RegistrationContext>,
) -> BodyWalk {
    let mut visitor = BodyVisitor::new(spans, context);
    visitor.visit_block(block);
    visitor.finish()
}

fn walk_expr(expr: &Expr, spans: &SpanMap<'_>) -> BodyFacts {
    let mut visitor = BodyVisitor::new(spans, None);
    visitor.visit_expr(expr);
    visitor.finish().facts
}

struct BodyVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    context: Option<RegistrationContext>,
    macro_depth: usize,
    walk: BodyWalk,
}

impl<'s, 'a> BodyVisitor<'s, 'a> {
    fn new(spans: &'s SpanMap<'a>, context: Option<RegistrationContext>) -> Self {
        BodyVisitor {
            spans,
            context,
            macro_depth: 0,
            walk: BodyWalk {
                facts: BodyFacts::default(),
                registrations: Vec::new(),
                closures: Vec::new(),
            },
        }
    }

    fn finish(self) -> BodyWalk {
        self.walk
    }

    fn register(&mut self, raw: RawRegistration<'_>) {
        let Some(context) = self.context.clone() else {
            return;
        };
        let Some(target) = self.handler_ref(raw.handler, &context) else {
            return;
        };
        self.walk.registrations.push(Registration {
            framework: raw.framework,
            methods: raw.methods,
            path: raw.path,
            target,
            span: self.spans.span(raw.handler.span()),
            scope: context.scope,
            self_type: context.self_type,
        });
    }

    fn handler_ref(&mut self, handler: &Expr, context: &RegistrationContext) -> Option<HandlerRef> {
        match handler {
            Expr::Path(p) if p.qself.is_none() => Some(HandlerRef::Path(path_segments(&p.path))),
            Expr::Closure(closure) => {
                let def = self.closure_def(closure, context);
                self.walk.closures.push(def);
                Some(HandlerRef::Local(self.walk.closures.len() - 1))
            }
            Expr::Paren(p) => self.handler_ref(&p.expr, context),
            _ => None,
        }
    }

    fn closure_def(&self, closure: &ExprClosure, context: &RegistrationContext) -> FnDef {
        FnDef {
            name: CLOSURE_NAME.to_owned(),
            name_span: self
                .spans
                .join(closure.or1_token.span, closure.or2_token.span),
            scope: context.scope,
            self_type: context.self_type.clone(),
            is_async: closure.asyncness.is_some() || matches!(*closure.body, Expr::Async(_)),
            is_test: false,
            is_closure: true,
            route_attr: None,
            body: walk_expr(&closure.body, self.spans),
        }
    }
}

impl<'ast> Visit<'ast> for BodyVisitor<'_, '_> {
    fn visit_expr_method_call(&mut self, node: &'ast ExprMethodCall) {
        self.walk.facts.method_calls.push(MethodCall {
            method: node.method.to_string(),
            args: node.args.len(),
            span: self
                .spans
                .join(node.method.span(), node.paren_token.span.close()),
            in_macro: self.macro_depth > 0,
        });
        for raw in registrations::from_method_call(node) {
            self.register(raw);
        }
        visit::visit_expr_method_call(self, node);
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        if let Expr::Path(p) = &*node.func {
            self.walk.facts.calls.push(PathCall {
                path: path_segments(&p.path),
                span: self.spans.join(p.span(), node.paren_token.span.close()),
            });
        }
        visit::visit_expr_call(self, node);
    }

    fn visit_macro(&mut self, node: &'ast Macro) {
        self.walk.facts.macros.push(MacroCall {
            path: path_segments(&node.path),
            span: self
                .spans
                .join(node.path.span(), node.delimiter.span().close()),
        });
        self.macro_depth += 1;
        for expr in macros::arguments(node) {
            self.visit_expr(&expr);
        }
        self.macro_depth -= 1;
    }

    fn visit_item(&mut self, _: &'ast Item) {}
}
