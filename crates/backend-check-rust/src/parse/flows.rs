//! Values that reach file paths, process commands, log macros, password
//! hashes and weak RNGs, with the variables they come from through local
//! `let`s, and whether a sanitiser was applied on the way.

use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{Expr, ExprCall, ExprMethodCall, Local, Member, Pat};

use super::attrs::path_segments;
use super::routing::receiver_root;
use super::SpanMap;
use crate::model::{Flow, FlowKind};

/// Method and function names that sanitise a value for path and command use.
fn is_sanitiser(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.starts_with("sanitiz")
        || lower.starts_with("sanitis")
        || lower.starts_with("clean")
        || lower.starts_with("validate")
        || lower.starts_with("escape")
        || matches!(
            lower.as_str(),
            "file_name" | "file_stem" | "parse" | "parse_str" | "from_str" | "try_parse"
        )
}

/// Path calls recorded for the rules (last segment), the others are not sinks.
const PATH_CALL_NAMES: &[&str] = &[
    "read",
    "read_to_string",
    "read_to_end",
    "read_dir",
    "write",
    "remove_file",
    "remove_dir",
    "remove_dir_all",
    "create_dir",
    "create_dir_all",
    "copy",
    "rename",
    "metadata",
    "open",
    "open_async",
    "create",
    "new",
    "compute",
    "digest",
    "hash",
    "sha1",
    "sha256",
    "sha512",
    "md5",
    "sha256_hex",
    "sha1_hex",
    "md5_hex",
];

/// Log macros (last segment).
const LOG_MACROS: &[&str] = &["trace", "debug", "info", "warn", "error", "event"];

/// Constructors that yield a path buffer.
const PATH_CONSTRUCTORS: &[&str] = &["new", "from", "current_dir", "temp_dir", "home_dir"];

#[derive(Default, Clone)]
struct LocalInfo {
    roots: Vec<String>,
    names: Vec<String>,
    sanitized: bool,
    canonicalized: bool,
    through: Vec<String>,
    kind: Option<LocalKind>,
}

#[derive(Clone)]
enum LocalKind {
    Path,
    Command,
    Hasher(String),
    WeakRng(Vec<String>, backend_check_core::Span),
}

/// Finds the flows of a function body.
pub fn in_block(block: &syn::Block, spans: &SpanMap<'_>) -> Vec<Flow> {
    let mut v = FlowVisitor::new(spans);
    v.visit_block(block);
    v.flows
}

/// Finds the flows of a closure body.
pub fn in_expr(expr: &Expr, spans: &SpanMap<'_>) -> Vec<Flow> {
    let mut v = FlowVisitor::new(spans);
    v.visit_expr(expr);
    v.flows
}

struct FlowVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    locals: HashMap<String, LocalInfo>,
    /// Names of the `let` bindings and struct fields being initialised, innermost last.
    targets: Vec<String>,
    flows: Vec<Flow>,
}

/// What an expression carries.
#[derive(Default)]
struct Value {
    roots: Vec<String>,
    names: Vec<String>,
    sanitized: bool,
    canonicalized: bool,
    through: Vec<String>,
}

impl<'s, 'a> FlowVisitor<'s, 'a> {
    fn new(spans: &'s SpanMap<'a>) -> Self {
        FlowVisitor {
            spans,
            locals: HashMap::new(),
            targets: Vec::new(),
            flows: Vec::new(),
        }
    }

    fn value(&self, expr: &Expr) -> Value {
        let mut scan = Scan::default();
        scan.visit_expr(expr);
        let mut value = Value {
            sanitized: scan.sanitized,
            canonicalized: scan.canonicalized,
            through: scan.calls.clone(),
            ..Value::default()
        };
        for ident in &scan.idents {
            match self.locals.get(ident) {
                Some(local) => {
                    push_all(&mut value.roots, &local.roots);
                    push_all(&mut value.names, &local.names);
                    value.sanitized |= local.sanitized;
                    value.canonicalized |= local.canonicalized;
                    push_all(&mut value.through, &local.through);
                }
                None => push_all(&mut value.roots, std::slice::from_ref(ident)),
            }
            push_all(&mut value.names, std::slice::from_ref(ident));
        }
        push_all(&mut value.names, &scan.members);
        value
    }

    fn push(&mut self, kind: FlowKind, callee: Vec<String>, expr: &Expr) {
        let value = self.value(expr);
        self.flows.push(Flow {
            kind,
            callee,
            span: self.spans.span(expr.span()),
            roots: value.roots,
            names: value.names,
            sanitized: value.sanitized,
            canonicalized: value.canonicalized,
            through: value.through,
        });
    }

    fn local_kind(&self, expr: &Expr) -> Option<LocalKind> {
        if let Some(name) = local_ident(expr) {
            return self.locals.get(&name).and_then(|l| l.kind.clone());
        }
        let root = receiver_root(expr)?;
        let last = root.last().map_or("", String::as_str);
        let parent = parent_segment(&root);
        if parent == "Command" && last == "new" {
            return Some(LocalKind::Command);
        }
        if is_path_type(parent) && PATH_CONSTRUCTORS.contains(&last) {
            return Some(LocalKind::Path);
        }
        if last == "new" && is_weak_hash(parent) {
            return Some(LocalKind::Hasher(parent.to_owned()));
        }
        root.first()
            .filter(|_| root.len() == 1)
            .and_then(|name| self.locals.get(name))
            .and_then(|l| l.kind.clone())
            .filter(|k| {
                matches!(
                    k,
                    LocalKind::Path | LocalKind::Command | LocalKind::Hasher(_)
                )
            })
    }

    fn record_target_rng(&mut self, init: &Expr, target: &str) {
        let mut scan = Scan::default();
        scan.visit_expr(init);
        for ident in &scan.idents {
            if let Some(LocalKind::WeakRng(callee, span)) =
                self.locals.get(ident).and_then(|l| l.kind.clone())
            {
                self.flows.push(Flow {
                    kind: FlowKind::WeakRng,
                    callee,
                    span,
                    roots: Vec::new(),
                    names: vec![target.to_owned()],
                    sanitized: false,
                    canonicalized: false,
                    through: Vec::new(),
                });
            }
        }
    }

    fn bind(&mut self, pat: &Pat, init: &Expr) {
        let mut value = match lookup_receiver(pat, init) {
            Some(receiver) => self.value(receiver),
            None => self.value(init),
        };
        if chooses_literal(init) {
            value = Value::default();
        }
        let kind = weak_rng_call(init)
            .map(|callee| LocalKind::WeakRng(callee, self.spans.span(init.span())))
            .or_else(|| self.local_kind(init))
            .or_else(|| path_like_chain(init).then_some(LocalKind::Path));
        let local = LocalInfo {
            roots: value.roots,
            names: value.names,
            sanitized: value.sanitized,
            canonicalized: value.canonicalized,
            through: value.through,
            kind,
        };
        let mut names = Vec::new();
        pat_idents(pat, &mut names);
        for name in names {
            self.locals.insert(name, local.clone());
        }
    }
}

impl<'ast> Visit<'ast> for FlowVisitor<'_, '_> {
    fn visit_local(&mut self, node: &'ast Local) {
        let mut names = Vec::new();
        pat_idents(&node.pat, &mut names);
        let pushed = names.len();
        self.targets.extend(names.iter().cloned());
        visit::visit_local(self, node);
        self.targets.truncate(self.targets.len() - pushed);
        if let Some(init) = &node.init {
            for name in &names {
                self.record_target_rng(&init.expr, name);
            }
            self.bind(&node.pat, &init.expr);
        }
    }

    fn visit_field_value(&mut self, node: &'ast syn::FieldValue) {
        let name = match &node.member {
            Member::Named(ident) => ident.to_string(),
            Member::Unnamed(_) => String::new(),
        };
        self.targets.push(name.clone());
        visit::visit_field_value(self, node);
        self.targets.pop();
        if !name.is_empty() {
            self.record_target_rng(&node.expr, &name);
        }
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        visit::visit_expr_call(self, node);
        let Expr::Path(p) = &*node.func else {
            return;
        };
        let path = path_segments(&p.path);
        if let Some(callee) = weak_rng_path(&path, node.args.first()) {
            self.flows.push(Flow {
                kind: FlowKind::WeakRng,
                callee,
                span: self.spans.span(node.span()),
                roots: Vec::new(),
                names: self.targets.last().cloned().into_iter().collect(),
                sanitized: false,
                canonicalized: false,
                through: Vec::new(),
            });
            return;
        }
        let last = path.last().map_or("", String::as_str);
        if !PATH_CALL_NAMES.contains(&last) {
            return;
        }
        if let Some(arg) = node.args.first() {
            self.push(FlowKind::PathCall, path, arg);
        }
    }

    fn visit_expr_method_call(&mut self, node: &'ast ExprMethodCall) {
        visit::visit_expr_method_call(self, node);
        let method = node.method.to_string();
        let Some(arg) = node.args.first() else {
            return;
        };
        let kind = match (method.as_str(), self.local_kind(&node.receiver)) {
            ("arg" | "args", Some(LocalKind::Command)) => FlowKind::CommandArg,
            ("join", Some(LocalKind::Path)) | ("push", Some(LocalKind::Path)) => FlowKind::PathJoin,
            ("join", None) if dir_like_receiver(&node.receiver) => FlowKind::PathJoin,
            ("update" | "chain_update" | "chain" | "input", Some(LocalKind::Hasher(algo))) => {
                self.push(FlowKind::HasherUpdate, vec![algo, method], arg);
                return;
            }
            _ => return,
        };
        self.push(kind, vec![method], arg);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        let path = path_segments(&node.path);
        let last = path.last().map_or("", String::as_str);
        let args = super::macros::arguments(node);
        if !LOG_MACROS.contains(&last) {
            for arg in &args {
                self.visit_expr(arg);
            }
            return;
        }
        for arg in &args {
            if let Some(fmt) = str_literal(arg) {
                for name in super::sql::inline_captures(&fmt) {
                    self.flows
                        .push(self.log_flow(&path, &name, Vec::new(), arg));
                }
                continue;
            }
            if let Some((name, root)) = logged_leaf(arg) {
                let roots = self.value(arg).roots;
                let mut flow = self.log_flow(&path, &name, roots, arg);
                if root.is_none() {
                    flow.roots.clear();
                }
                self.flows.push(flow);
            }
        }
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

impl FlowVisitor<'_, '_> {
    fn log_flow(&self, path: &[String], name: &str, roots: Vec<String>, arg: &Expr) -> Flow {
        let roots = if roots.is_empty() {
            let mut r = Vec::new();
            match self.locals.get(name) {
                Some(local) => push_all(&mut r, &local.roots),
                None => r.push(name.to_owned()),
            }
            r
        } else {
            roots
        };
        Flow {
            kind: FlowKind::Log,
            callee: path.to_vec(),
            span: self.spans.span(arg.span()),
            roots,
            names: vec![name.to_owned()],
            sanitized: false,
            canonicalized: false,
            through: Vec::new(),
        }
    }
}

/// Methods whose result is built from their arguments (a path joined, a
/// string extended): the arguments' roots stay with the result.
const BUILDING_METHODS: &[&str] = &[
    "join",
    "push",
    "push_str",
    "with_file_name",
    "with_extension",
    "set_file_name",
    "set_extension",
    "concat",
    "replace",
    "replacen",
    "chain",
    "extend",
];

/// Methods that look a key up in their receiver.
const LOOKUP_METHODS: &[&str] = &["get", "get_mut", "find", "lookup", "get_key_value"];

/// The receiver of a lookup whose result the binding takes: `let Some(path) =
/// styles.style_json_path(id) else { … }` or `let entry = catalog.get(&id)?`.
/// The value is one the receiver holds (a file of the server's catalog, an
/// entry of its map), found by the key; so it carries the receiver's roots,
/// not the key's. A method that builds its result from its arguments
/// (`base.join(name)`) is no lookup.
fn lookup_receiver<'e>(pat: &Pat, init: &'e Expr) -> Option<&'e Expr> {
    let mut expr = init;
    loop {
        expr = match expr {
            Expr::Try(e) => &e.expr,
            Expr::Await(e) => &e.base,
            Expr::Paren(e) => &e.expr,
            Expr::Reference(e) => &e.expr,
            _ => break,
        };
    }
    let Expr::MethodCall(call) = expr else {
        return None;
    };
    let method = call.method.to_string();
    if BUILDING_METHODS.contains(&method.as_str()) || call.args.is_empty() {
        return None;
    }
    let refutable = match pat {
        Pat::TupleStruct(t) => t
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Some" || s.ident == "Ok"),
        _ => false,
    };
    (refutable || LOOKUP_METHODS.contains(&method.as_str())).then_some(&*call.receiver)
}

/// A `match` or `if` whose every branch is a literal or leaves the function:
/// the value is one the code chose.
fn chooses_literal(expr: &Expr) -> bool {
    fn fixed(expr: &Expr) -> bool {
        match expr {
            Expr::Lit(_) | Expr::Return(_) | Expr::Break(_) | Expr::Continue(_) => true,
            Expr::Block(b) => b.block.stmts.last().is_some_and(|s| match s {
                syn::Stmt::Expr(e, None) => fixed(e),
                _ => false,
            }),
            Expr::Path(p) => p.path.segments.last().is_some_and(|s| {
                s.ident
                    .to_string()
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            }),
            _ => false,
        }
    }
    match expr {
        Expr::Match(m) => m.arms.iter().all(|a| fixed(&a.body)),
        _ => false,
    }
}

/// What a log argument formats: a variable (`body`, with itself as root) or a
/// field (`req.password`, with no root), after `&`, `.clone()` and similar.
fn logged_leaf(expr: &Expr) -> Option<(String, Option<String>)> {
    match strip(expr) {
        Expr::Path(p) => p
            .path
            .get_ident()
            .map(|i| (i.to_string(), Some(i.to_string()))),
        Expr::Field(f) => match &f.member {
            Member::Named(ident) => Some((ident.to_string(), None)),
            Member::Unnamed(_) => None,
        },
        _ => None,
    }
}

fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => strip(&r.expr),
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "as_str" | "as_ref" | "to_string" | "to_owned" | "clone" | "as_deref"
                ) =>
        {
            strip(&m.receiver)
        }
        _ => expr,
    }
}

fn str_literal(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Identifiers, field names and sanitiser calls of an expression.
#[derive(Default)]
struct Scan {
    idents: Vec<String>,
    members: Vec<String>,
    sanitized: bool,
    canonicalized: bool,
    /// The functions and methods called on the way (last segment).
    calls: Vec<String>,
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_expr_path(&mut self, node: &'ast syn::ExprPath) {
        if let Some(ident) = node.path.get_ident() {
            push_all(&mut self.idents, &[ident.to_string()]);
        }
        if let Some(last) = node.path.segments.last() {
            self.sanitized |= is_sanitiser(&last.ident.to_string());
        }
    }

    fn visit_expr_field(&mut self, node: &'ast syn::ExprField) {
        if let Member::Named(ident) = &node.member {
            push_all(&mut self.members, &[ident.to_string()]);
        }
        visit::visit_expr_field(self, node);
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        if let Expr::Path(p) = &*node.func {
            if let Some(last) = p.path.segments.last() {
                push_all(&mut self.calls, &[last.ident.to_string()]);
            }
        }
        visit::visit_expr_call(self, node);
    }

    fn visit_expr_method_call(&mut self, node: &'ast ExprMethodCall) {
        let method = node.method.to_string();
        push_all(&mut self.calls, std::slice::from_ref(&method));
        self.sanitized |= is_sanitiser(&method);
        self.canonicalized |= method == "canonicalize";
        visit::visit_expr_method_call(self, node);
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        for arg in super::macros::arguments(node) {
            if let Some(fmt) = str_literal(&arg) {
                for name in super::sql::inline_captures(&fmt) {
                    push_all(&mut self.idents, &[name]);
                }
            }
            self.visit_expr(&arg);
        }
    }

    fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
}

fn push_all(out: &mut Vec<String>, items: &[String]) {
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
}

fn parent_segment(path: &[String]) -> &str {
    path.len()
        .checked_sub(2)
        .and_then(|i| path.get(i))
        .map_or("", String::as_str)
}

fn local_ident(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

/// `Path`, `PathBuf`, an alias such as `FsPath`, or `std::env`.
fn is_path_type(name: &str) -> bool {
    name.ends_with("Path") || name.ends_with("PathBuf") || name == "env"
}

/// Whether a type name is an md5, sha1 or sha2 hasher.
fn is_weak_hash(name: &str) -> bool {
    matches!(
        name,
        "Md5" | "Md5Core" | "Sha1" | "Sha256" | "Sha512" | "Sha384" | "Sha224" | "Context"
    )
}

/// A chain that ends in `.join(…)` / `.to_path_buf()` on something path-like.
fn path_like_chain(expr: &Expr) -> bool {
    match expr {
        Expr::MethodCall(m) => {
            let method = m.method.to_string();
            (method == "join" && dir_like_receiver(&m.receiver))
                || matches!(method.as_str(), "to_path_buf" | "join") && path_like_chain(&m.receiver)
        }
        Expr::Try(t) => path_like_chain(&t.expr),
        Expr::Reference(r) => path_like_chain(&r.expr),
        _ => false,
    }
}

/// A receiver named like a directory (`state.upload_dir`, `base_path`, `root`).
fn dir_like_receiver(expr: &Expr) -> bool {
    let name = match strip(expr) {
        Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        Expr::Field(f) => match &f.member {
            Member::Named(ident) => Some(ident.to_string()),
            Member::Unnamed(_) => None,
        },
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => {
                let path = path_segments(&p.path);
                let parent = parent_segment(&path);
                return is_path_type(parent)
                    && path
                        .last()
                        .is_some_and(|l| PATH_CONSTRUCTORS.contains(&l.as_str()));
            }
            _ => None,
        },
        Expr::MethodCall(m) => return dir_like_receiver(&m.receiver) && m.method != "to_string",
        _ => None,
    };
    name.is_some_and(|n| {
        let lower = n.to_ascii_lowercase();
        ["dir", "path", "root", "folder", "base"]
            .iter()
            .any(|w| lower.ends_with(w) || lower.starts_with(w))
    })
}

/// The weak RNG a `let` initialiser makes, if any.
fn weak_rng_call(expr: &Expr) -> Option<Vec<String>> {
    match expr {
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => weak_rng_path(&path_segments(&p.path), c.args.first()),
            _ => None,
        },
        Expr::Try(t) => weak_rng_call(&t.expr),
        Expr::MethodCall(m) if m.method == "unwrap" || m.method == "expect" => {
            weak_rng_call(&m.receiver)
        }
        _ => None,
    }
}

/// Whether a called path makes or uses a non-cryptographic RNG.
fn weak_rng_path(path: &[String], first: Option<&Expr>) -> Option<Vec<String>> {
    let first_segment = path.first().map_or("", String::as_str);
    let parent = parent_segment(path);
    let last = path.last().map_or("", String::as_str);
    let weak = matches!(first_segment, "fastrand" | "oorandom" | "rand_xorshift")
        || matches!(
            parent,
            "SmallRng" | "XorShiftRng" | "StepRng" | "Rand32" | "Rand64" | "Pcg32" | "Pcg64"
        )
        // `rand::rngs::mock::StepRng`; not another type's `mock` constructor
        // (`ServerSecret::mock(rand::random())`).
        || path.windows(2).any(|w| w[0] == "rngs" && w[1] == "mock")
        || (last == "seed_from_u64" && first.is_some_and(|a| matches!(strip(a), Expr::Lit(_))));
    weak.then(|| path.to_vec())
}

fn pat_idents(pat: &Pat, out: &mut Vec<String>) {
    match pat {
        Pat::Ident(i) => out.push(i.ident.to_string()),
        Pat::Type(t) => pat_idents(&t.pat, out),
        Pat::Tuple(t) => t.elems.iter().for_each(|p| pat_idents(p, out)),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|p| pat_idents(p, out)),
        Pat::Struct(s) => s.fields.iter().for_each(|f| pat_idents(&f.pat, out)),
        Pat::Reference(r) => pat_idents(&r.pat, out),
        _ => {}
    }
}
