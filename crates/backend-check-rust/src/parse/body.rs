//! One walk over a function body: its calls, its macros, and the handlers it
//! registers on routers.

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprAsync, ExprCall, ExprClosure, ExprMethodCall, Item, Local, Macro};

use super::attrs::path_segments;
use super::config;
use super::macros;
use super::params::closure_params;
use super::routing::{self, Frame, Wrap};
use super::SpanMap;
use crate::framework::registrations::{self, RawRegistration};
use crate::framework::CLOSURE_NAME;
use crate::model::{
    BodyFacts, ConfigKind, ConfigLiteral, Discard, FnDef, HandlerRef, LinkTarget, MacroCall,
    MethodCall, PathCall, Registration, RouteContext, RouterLink,
};

/// Where registrations found in a body belong.
#[derive(Clone)]
pub struct RegistrationContext {
    /// The scope of the function.
    pub scope: usize,
    /// The `impl` type of the function.
    pub self_type: Option<String>,
    /// Index the function will have in the file.
    pub owner: usize,
}

/// What a body walk found.
pub struct BodyWalk {
    /// The body's facts.
    pub facts: BodyFacts,
    /// Registrations; a closure target is `HandlerRef::Local(i)` with `i` an index into `closures`.
    pub registrations: Vec<Registration>,
    /// Closures registered as handlers.
    pub closures: Vec<FnDef>,
    /// Routers and handlers attached from elsewhere.
    pub links: Vec<RouterLink>,
}

/// Walks a body. Registrations are collected only when `context` is given
/// (it is not for test code and for the bodies of handler closures).
pub fn walk_block(
    block: &syn::Block,
    spans: &SpanMap<'_>,
    context: Option<RegistrationContext>,
    is_async: bool,
) -> BodyWalk {
    let mut visitor = BodyVisitor::new(spans, context);
    visitor.async_depth = usize::from(is_async);
    visitor.visit_block(block);
    visitor.finish()
}

fn walk_expr(expr: &Expr, spans: &SpanMap<'_>, is_async: bool) -> BodyFacts {
    let mut visitor = BodyVisitor::new(spans, None);
    visitor.async_depth = usize::from(is_async);
    visitor.visit_expr(expr);
    visitor.finish().facts
}

struct BodyVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    context: Option<RegistrationContext>,
    macro_depth: usize,
    /// Async fns, blocks and closures entered and not left.
    async_depth: usize,
    /// `spawn_blocking` / `block_in_place` / `web::block` / `thread::spawn` arguments entered.
    offload_depth: usize,
    /// Arguments of `unwrap_or` / `unwrap_or_else` / `or` entered (fallback values).
    default_depth: usize,
    /// Statements and expressions under `#[allow(clippy::unwrap_used)]` or
    /// `#[allow(clippy::expect_used)]` entered.
    allow_depth: usize,
    /// Branches of `if` and `match` entered.
    branch_depth: usize,
    frames: Vec<Frame>,
    bindings: Vec<String>,
    /// Locals built as a `String` (`String::new()`, `format!(…)`): writing to
    /// one with `write!` cannot fail, so discarding its result is no finding.
    string_locals: Vec<String>,
    /// The `match` arms entered whose patterns are literals: the scrutinee's
    /// text and the literals it is known to be one of.
    narrowed: Vec<(String, Vec<String>)>,
    /// Wildcard arms entered that the enclosing arm's literals rule out.
    dead_depth: usize,
    walk: BodyWalk,
}

impl<'s, 'a> BodyVisitor<'s, 'a> {
    fn new(spans: &'s SpanMap<'a>, context: Option<RegistrationContext>) -> Self {
        BodyVisitor {
            spans,
            context,
            macro_depth: 0,
            async_depth: 0,
            offload_depth: 0,
            default_depth: 0,
            allow_depth: 0,
            branch_depth: 0,
            frames: Vec::new(),
            bindings: Vec::new(),
            string_locals: Vec::new(),
            narrowed: Vec::new(),
            dead_depth: 0,
            walk: BodyWalk {
                facts: BodyFacts::default(),
                registrations: Vec::new(),
                closures: Vec::new(),
                links: Vec::new(),
            },
        }
    }

    fn finish(mut self) -> BodyWalk {
        routing::apply_local_links(&mut self.walk.registrations, &mut self.walk.links);
        self.walk
    }

    fn in_async(&self) -> bool {
        self.async_depth > 0 && self.offload_depth == 0
    }

    fn route_context(&self) -> RouteContext {
        routing::context_of(&self.frames)
    }

    fn link(&mut self, target: LinkTarget) {
        let Some(context) = self.context.clone() else {
            return;
        };
        self.walk.links.push(RouterLink {
            target,
            context: self.route_context(),
            binding: self.bindings.last().cloned(),
            scope: context.scope,
            self_type: context.self_type,
            owner: context.owner,
        });
    }

    /// Records a literal address or URL given to a call (outside macro arguments).
    fn config_call(&mut self, name: &str, path: &[String], args: &[&Expr]) {
        if self.macro_depth > 0 {
            return;
        }
        if let Some((kind, expr, value)) = config::classify_call(name, path, args) {
            self.push_config(kind, self.spans.span(expr.span()), value);
        }
    }

    fn push_config(&mut self, kind: ConfigKind, span: backend_check_core::Span, value: String) {
        let literals = &mut self.walk.facts.config_literals;
        if literals.iter().any(|l| l.span == span) {
            return;
        }
        literals.push(ConfigLiteral {
            span,
            kind,
            value,
            is_default: self.default_depth > 0,
        });
    }

    /// Records a statement that throws away the result of a call.
    fn discard(&mut self, expr: &Expr, span: proc_macro2::Span, let_underscore: bool) {
        if propagates(expr) {
            return; // `let _ = call()?;` hands the error to the caller: only the value is dropped
        }
        let (inner, awaited) = discarded_call(expr);
        let (callee, name, args) = match inner {
            Expr::MethodCall(m) => (
                format!(".{}()", m.method),
                m.method.to_string(),
                m.args.len(),
            ),
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) => {
                    let path = path_segments(&p.path);
                    let name = path.last().cloned().unwrap_or_default();
                    (path.join("::"), name, c.args.len())
                }
                _ => return,
            },
            Expr::Macro(m) => {
                let name = m
                    .mac
                    .path
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                if matches!(name.as_str(), "write" | "writeln") && self.writes_to_string(&m.mac) {
                    return; // `fmt::Write for String` never fails
                }
                (format!("{name}!"), name, 0)
            }
            _ => return,
        };
        self.walk.facts.discards.push(Discard {
            span: self.spans.span(span),
            callee,
            name,
            args,
            awaited,
            let_underscore,
        });
    }

    /// Whether a `write!`/`writeln!` writes to a local built as a `String`.
    fn writes_to_string(&self, mac: &Macro) -> bool {
        let mut tokens = mac.tokens.clone().into_iter();
        let first = match tokens.next() {
            Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '&' => match tokens.next() {
                Some(proc_macro2::TokenTree::Ident(i)) if i == "mut" => tokens.next(),
                other => other,
            },
            other => other,
        };
        let comma = tokens.next();
        match (first, comma) {
            (
                Some(proc_macro2::TokenTree::Ident(target)),
                Some(proc_macro2::TokenTree::Punct(p)),
            ) if p.as_char() == ',' => self.string_locals.iter().any(|s| target == s.as_str()),
            _ => false,
        }
    }

    fn with_frame(&mut self, frame: Frame, f: impl FnOnce(&mut Self)) {
        self.frames.push(frame);
        f(self);
        self.frames.pop();
    }

    /// A router-building call: layers, nesting, scopes and mounts.
    fn visit_router_call(&mut self, node: &ExprMethodCall) -> bool {
        let Some(wrap) = routing::classify(node) else {
            return false;
        };
        match wrap {
            Wrap::Layer(frame) => {
                node.args.iter().for_each(|a| self.visit_expr(a));
                self.with_frame(frame, |v| v.visit_expr(&node.receiver));
            }
            Wrap::Nest { frame, router } => {
                self.visit_expr(&node.receiver);
                self.with_frame(frame, |v| {
                    if let Some((target, layers)) = routing::link_target(router) {
                        v.with_frame(layers, |v| v.link(target));
                    }
                    v.visit_expr(router);
                });
            }
            Wrap::Mount { frame, handlers } => {
                self.visit_expr(&node.receiver);
                self.with_frame(frame, |v| {
                    for target in handlers {
                        v.link(target);
                    }
                });
            }
        }
        true
    }

    fn register(&mut self, raw: RawRegistration<'_>) {
        let Some(context) = self.context.clone() else {
            return;
        };
        let Some(target) = self.handler_ref(raw.handler, &context) else {
            return;
        };
        let mut route_context = self.route_context();
        if !raw.guards.is_empty() {
            route_context.layers.insert(0, raw.guards);
        }
        self.walk.registrations.push(Registration {
            framework: raw.framework,
            methods: raw.methods,
            path: raw.path,
            target,
            span: self.spans.span(raw.handler.span()),
            scope: context.scope,
            self_type: context.self_type,
            context: route_context,
            binding: self.bindings.last().cloned(),
            owner: context.owner,
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
        let (sql_sinks, sql_queries) = super::sql::scan_expr(&closure.body, self.spans);
        FnDef {
            name: CLOSURE_NAME.to_owned(),
            name_span: self
                .spans
                .join(closure.or1_token.span, closure.or2_token.span),
            scope: context.scope,
            self_type: context.self_type.clone(),
            trait_name: None,
            is_async: closure.asyncness.is_some() || matches!(*closure.body, Expr::Async(_)),
            is_test: false,
            is_closure: true,
            route_attr: None,
            params: closure_params(closure),
            instrument: None,
            body: BodyFacts {
                sql_sinks,
                sql_queries,
                flows: super::flows::in_expr(&closure.body, self.spans),
                complexity: super::complexity::of_expr(&closure.body),
                ..walk_expr(&closure.body, self.spans, closure.asyncness.is_some())
            },
        }
    }
}

/// Whether attributes allow Clippy's `unwrap_used` / `expect_used` (or the
/// `panic` family): the maintainers decided that this call may panic.
pub(super) fn allows_panics(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("allow") || a.path().is_ident("expect"))
        .filter_map(|a| match &a.meta {
            syn::Meta::List(list) => Some(list.tokens.to_string().replace(' ', "")),
            _ => None,
        })
        .any(|text| {
            [
                "clippy::unwrap_used",
                "clippy::expect_used",
                "clippy::panic",
            ]
            .iter()
            .any(|lint| text.contains(lint))
        })
}

/// The attributes of the expressions that carry them at statement level.
fn expr_attrs(expr: &Expr) -> Option<&[syn::Attribute]> {
    Some(match expr {
        Expr::MethodCall(e) => &e.attrs,
        Expr::Call(e) => &e.attrs,
        Expr::Match(e) => &e.attrs,
        Expr::If(e) => &e.attrs,
        Expr::Block(e) => &e.attrs,
        Expr::Assign(e) => &e.attrs,
        Expr::Return(e) => &e.attrs,
        Expr::Let(e) => &e.attrs,
        Expr::Try(e) => &e.attrs,
        Expr::Await(e) => &e.attrs,
        Expr::Macro(e) => &e.attrs,
        Expr::Struct(e) => &e.attrs,
        Expr::Unsafe(e) => &e.attrs,
        _ => return None,
    })
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
            in_async: self.in_async(),
            first_arg: node.args.first().and_then(routing::short_arg),
            receiver_path: routing::receiver_root(&node.receiver),
            panic_allowed: self.allow_depth > 0,
            in_branch: self.branch_depth > 0,
        });
        let method = node.method.to_string();
        let args: Vec<&Expr> = node.args.iter().collect();
        self.config_call(&method, &[], &args);
        if method == "parse" && self.macro_depth == 0 {
            if let Some(lit) = config::str_lit(&node.receiver) {
                if config::socket_address(&lit.value) {
                    self.push_config(
                        ConfigKind::ListenAddress,
                        self.spans.span(lit.span),
                        lit.value,
                    );
                }
            }
        }
        let raws = registrations::from_method_call(node);
        if !raws.is_empty() {
            let frame = routing::scope_frame(&node.receiver);
            self.with_frame(frame, |v| raws.into_iter().for_each(|raw| v.register(raw)));
        }
        if self.visit_router_call(node) {
            return;
        }
        let offloads = routing::is_offload_method(node);
        let fallback = is_fallback(&method);
        self.offload_depth += usize::from(offloads);
        self.visit_expr(&node.receiver);
        self.default_depth += usize::from(fallback);
        node.args.iter().for_each(|a| self.visit_expr(a));
        self.default_depth -= usize::from(fallback);
        self.offload_depth -= usize::from(offloads);
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        let mut offloads = false;
        if let Expr::Path(p) = &*node.func {
            let path = path_segments(&p.path);
            offloads = routing::is_offload_call(&path);
            let args: Vec<&Expr> = node.args.iter().collect();
            let name = path.last().cloned().unwrap_or_default();
            self.config_call(&name, &path, &args);
            self.walk.facts.calls.push(PathCall {
                path,
                span: self.spans.join(p.span(), node.paren_token.span.close()),
                in_async: self.in_async(),
                first_arg: node.args.first().and_then(routing::short_arg),
            });
        }
        self.offload_depth += usize::from(offloads);
        visit::visit_expr_call(self, node);
        self.offload_depth -= usize::from(offloads);
    }

    fn visit_expr_async(&mut self, node: &'ast ExprAsync) {
        self.async_depth += 1;
        visit::visit_expr_async(self, node);
        self.async_depth -= 1;
    }

    fn visit_expr_closure(&mut self, node: &'ast ExprClosure) {
        let is_async = node.asyncness.is_some();
        self.async_depth += usize::from(is_async);
        visit::visit_expr_closure(self, node);
        self.async_depth -= usize::from(is_async);
    }

    fn visit_stmt(&mut self, node: &'ast syn::Stmt) {
        let attrs = match node {
            syn::Stmt::Local(l) => Some(l.attrs.as_slice()),
            syn::Stmt::Expr(e, _) => expr_attrs(e),
            syn::Stmt::Macro(m) => Some(m.attrs.as_slice()),
            syn::Stmt::Item(_) => None,
        };
        if attrs.is_some_and(super::attrs::is_cfg_off_by_default) {
            return; // not in a normal build (`#[cfg(not(feature = "default"))] panic!()`)
        }
        if let syn::Stmt::Expr(Expr::MethodCall(m), Some(_)) = node {
            if m.method == "ok" && m.args.is_empty() && self.macro_depth == 0 {
                self.discard(&m.receiver, node.span(), false);
            }
        }
        let allowed = match node {
            syn::Stmt::Local(l) => allows_panics(&l.attrs),
            syn::Stmt::Expr(e, _) => expr_attrs(e).is_some_and(allows_panics),
            syn::Stmt::Macro(m) => allows_panics(&m.attrs),
            syn::Stmt::Item(_) => false,
        };
        self.allow_depth += usize::from(allowed);
        visit::visit_stmt(self, node);
        self.allow_depth -= usize::from(allowed);
    }

    fn visit_expr_if(&mut self, node: &'ast syn::ExprIf) {
        self.visit_expr(&node.cond);
        self.branch_depth += 1;
        self.visit_block(&node.then_branch);
        if let Some((_, other)) = &node.else_branch {
            self.visit_expr(other);
        }
        self.branch_depth -= 1;
    }

    fn visit_expr_match(&mut self, node: &'ast syn::ExprMatch) {
        for attr in &node.attrs {
            self.visit_attribute(attr);
        }
        self.visit_expr(&node.expr);
        let scrutinee = quote::ToTokens::to_token_stream(&*node.expr).to_string();
        let outer = self
            .narrowed
            .iter()
            .rev()
            .find(|(s, _)| *s == scrutinee)
            .map(|(_, literals)| literals.clone());
        let covered: Vec<String> = node
            .arms
            .iter()
            .filter(|a| a.guard.is_none())
            .filter_map(|a| pattern_literals(&a.pat))
            .flatten()
            .collect();
        for arm in &node.arms {
            let literals = pattern_literals(&arm.pat);
            let dead = matches!(arm.pat, syn::Pat::Wild(_))
                && outer
                    .as_ref()
                    .is_some_and(|o| o.iter().all(|l| covered.contains(l)));
            if let Some(literals) = &literals {
                self.narrowed.push((scrutinee.clone(), literals.clone()));
            }
            self.dead_depth += usize::from(dead);
            self.visit_arm(arm);
            self.dead_depth -= usize::from(dead);
            if literals.is_some() {
                self.narrowed.pop();
            }
        }
    }

    fn visit_arm(&mut self, node: &'ast syn::Arm) {
        self.branch_depth += 1;
        visit::visit_arm(self, node);
        self.branch_depth -= 1;
    }

    fn visit_local(&mut self, node: &'ast Local) {
        let wild = match &node.pat {
            syn::Pat::Wild(_) => true,
            syn::Pat::Type(t) => matches!(*t.pat, syn::Pat::Wild(_)),
            _ => false,
        };
        if let (true, Some(init), 0) = (wild, &node.init, self.macro_depth) {
            if init.diverge.is_none() {
                self.discard(&init.expr, node.span(), true);
            }
        }
        let name = match &node.pat {
            syn::Pat::Ident(i) => Some(i.ident.to_string()),
            syn::Pat::Type(t) => match &*t.pat {
                syn::Pat::Ident(i) => Some(i.ident.to_string()),
                _ => None,
            },
            _ => None,
        };
        if let (Some(name), Some(init)) = (&name, &node.init) {
            if builds_string(&init.expr) {
                self.string_locals.push(name.clone());
            }
        }
        let pushed = name.is_some();
        if let Some(name) = name {
            self.bindings.push(name);
        }
        visit::visit_local(self, node);
        if pushed {
            self.bindings.pop();
        }
    }

    fn visit_macro(&mut self, node: &'ast Macro) {
        self.walk.facts.macros.push(MacroCall {
            path: path_segments(&node.path),
            span: self
                .spans
                .join(node.path.span(), node.delimiter.span().close()),
            in_async: self.in_async(),
            ruled_out: self.dead_depth > 0,
        });
        for target in routing::routes_macro_targets(node) {
            self.link(target);
        }
        self.macro_depth += 1;
        for expr in macros::arguments(node) {
            self.visit_expr(&expr);
        }
        self.macro_depth -= 1;
    }

    fn visit_expr_lit(&mut self, node: &'ast syn::ExprLit) {
        if let syn::Lit::Str(s) = &node.lit {
            let value = s.value();
            if self.macro_depth == 0 && config::connection_url(&value) {
                self.push_config(ConfigKind::ConnectionUrl, self.spans.span(s.span()), value);
            }
        }
    }

    fn visit_item(&mut self, _: &'ast Item) {}
}

/// The call at the heart of a discarded expression (`.await`, `?`,
/// parentheses dropped), and whether it is awaited.
/// Whether the outermost operator of a discarded expression is `?`: the error
/// goes to the caller, so nothing that can fail is thrown away.
fn propagates(expr: &Expr) -> bool {
    match expr {
        Expr::Try(_) => true,
        Expr::Paren(p) => propagates(&p.expr),
        Expr::Group(g) => propagates(&g.expr),
        _ => false,
    }
}

/// The literals a pattern is made of (`"image/png"`, `"a" | "b"`, `1 | 2`),
/// or `None` for any other pattern.
fn pattern_literals(pat: &syn::Pat) -> Option<Vec<String>> {
    let literal = |p: &syn::Pat| match p {
        syn::Pat::Lit(l) => Some(quote::ToTokens::to_token_stream(l).to_string()),
        _ => None,
    };
    match pat {
        syn::Pat::Or(or) => or.cases.iter().map(literal).collect(),
        other => literal(other).map(|l| vec![l]),
    }
}

/// Whether an initialiser builds a `String`: `String::new()`,
/// `String::with_capacity(n)`, `String::from(…)`, `format!(…)`, `"…".to_string()`.
fn builds_string(expr: &Expr) -> bool {
    match expr {
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => {
                let path = path_segments(&p.path);
                path.len() >= 2
                    && path[path.len() - 2] == "String"
                    && matches!(
                        path[path.len() - 1].as_str(),
                        "new" | "with_capacity" | "from"
                    )
            }
            _ => false,
        },
        Expr::Macro(m) => m.mac.path.is_ident("format"),
        Expr::MethodCall(m) => {
            matches!(m.method.to_string().as_str(), "to_string" | "to_owned")
                && matches!(&*m.receiver, Expr::Lit(l) if matches!(l.lit, syn::Lit::Str(_)))
        }
        _ => false,
    }
}

fn discarded_call(expr: &Expr) -> (&Expr, bool) {
    match expr {
        Expr::Await(a) => (discarded_call(&a.base).0, true),
        Expr::Try(t) => discarded_call(&t.expr),
        Expr::Paren(p) => discarded_call(&p.expr),
        Expr::Group(g) => discarded_call(&g.expr),
        other => (other, false),
    }
}

/// Methods whose arguments are fallback values (`env::var(k).unwrap_or("…")`).
fn is_fallback(method: &str) -> bool {
    matches!(
        method,
        "unwrap_or"
            | "unwrap_or_else"
            | "or"
            | "or_else"
            | "map_or"
            | "map_or_else"
            | "get_or_insert_with"
    )
}
