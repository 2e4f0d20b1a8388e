//! SQL built from strings: calls whose query argument is a `format!` /
//! `concat!` / `+` / `push_str` string, directly or through a local variable,
//! with the variables the interpolated values come from.

use std::collections::HashMap;

use syn::spanned::Spanned;
use syn::visit::{self, Visit};
use syn::{BinOp, Expr, ExprCall, ExprMethodCall, Lit, Local, Pat};

use super::attrs::path_segments;
use super::SpanMap;
use crate::model::{SqlPiece, SqlQuery, SqlSink};

/// sqlx's query macros: the first string literal among the arguments is the
/// SQL (for the `query_file` forms, the path of a file holding it).
const QUERY_MACROS: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_unchecked",
    "query_as_unchecked",
    "query_scalar_unchecked",
    "query_file",
    "query_file_as",
    "query_file_scalar",
    "query_file_unchecked",
    "query_file_as_unchecked",
    "query_file_scalar_unchecked",
];

/// Path calls whose first string argument is SQL (matched on the last segment).
const PATH_SINKS: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_with",
    "query_as_with",
    "query_scalar_with",
    "raw_sql",
    "sql_query",
    "sql",
    "from_string",
];

/// Method calls whose first string argument is SQL.
const METHOD_SINKS: &[&str] = &[
    "execute",
    "fetch",
    "fetch_all",
    "fetch_one",
    "fetch_optional",
    "query",
    "query_one",
    "query_opt",
    "query_raw",
    "batch_execute",
    "simple_query",
    "execute_unprepared",
    "prepare",
    "prepare_cached",
];

/// How a local variable's value was made.
#[derive(Default, Clone)]
struct LocalString {
    /// The string was built at run time; its pieces.
    built: Option<Vec<SqlPiece>>,
    /// Literal text seen in the building.
    text: String,
    /// Variables the value comes from.
    roots: Vec<String>,
    /// The value is a number (`let id: i64 = raw.parse()?`): formatting it
    /// into SQL cannot inject.
    numeric: bool,
}

/// Finds the SQL sinks and the written queries of a body.
pub fn scan(block: &syn::Block, spans: &SpanMap<'_>) -> (Vec<SqlSink>, Vec<SqlQuery>) {
    let mut v = SqlVisitor::new(spans);
    v.visit_block(block);
    (v.sinks, v.queries)
}

/// Finds the SQL sinks and the written queries of a closure body.
pub fn scan_expr(expr: &Expr, spans: &SpanMap<'_>) -> (Vec<SqlSink>, Vec<SqlQuery>) {
    let mut v = SqlVisitor::new(spans);
    v.visit_expr(expr);
    (v.sinks, v.queries)
}

struct SqlVisitor<'s, 'a> {
    spans: &'s SpanMap<'a>,
    locals: HashMap<String, LocalString>,
    /// Locals holding an sqlx `QueryBuilder`.
    builders: Vec<String>,
    sinks: Vec<SqlSink>,
    queries: Vec<SqlQuery>,
}

impl<'s, 'a> SqlVisitor<'s, 'a> {
    fn new(spans: &'s SpanMap<'a>) -> SqlVisitor<'s, 'a> {
        SqlVisitor {
            spans,
            locals: HashMap::new(),
            builders: Vec::new(),
            sinks: Vec::new(),
            queries: Vec::new(),
        }
    }
}

/// What a string expression is.
struct Shape {
    built: Option<Vec<SqlPiece>>,
    text: String,
}

impl SqlVisitor<'_, '_> {
    /// The variables an expression's value comes from (through locals).
    fn roots(&self, expr: &Expr) -> Vec<String> {
        let mut idents = Vec::new();
        collect_idents(expr, &mut idents);
        let mut out = Vec::new();
        for ident in idents {
            self.resolve_root(&ident, &mut out);
        }
        out
    }

    /// A variable's roots: those recorded when its local was bound (already
    /// resolved), or the variable itself.
    fn resolve_root(&self, name: &str, out: &mut Vec<String>) {
        let roots = match self.locals.get(name) {
            Some(local) if !local.roots.is_empty() => local.roots.clone(),
            _ => vec![name.to_owned()],
        };
        for root in roots {
            if !out.contains(&root) {
                out.push(root);
            }
        }
    }

    /// Whether an expression's value is a number or state of `self`
    /// (`id` bound by `let id: i64 = raw.parse()?`, `n as u32`,
    /// `self.get_db_name()`), which cannot carry request text into SQL.
    fn is_inert(&self, expr: &Expr) -> bool {
        if is_numeric_expr(expr) || is_self_getter(expr) {
            return true;
        }
        local_name(expr).is_some_and(|n| self.is_numeric_local(&n))
    }

    fn is_numeric_local(&self, name: &str) -> bool {
        self.locals.get(name).is_some_and(|l| l.numeric)
    }

    fn piece(&self, expr: &Expr) -> Option<SqlPiece> {
        if is_constant(expr) || self.is_inert(expr) {
            return None;
        }
        let roots = self.roots(expr);
        Some(SqlPiece {
            roots,
            span: self.spans.span(expr.span()),
        })
    }

    /// The shape of a string expression.
    fn shape(&self, expr: &Expr) -> Shape {
        let expr = strip(expr);
        match expr {
            Expr::Macro(m) => self.macro_shape(&m.mac),
            Expr::Binary(b) if matches!(b.op, BinOp::Add(_)) => {
                let left = self.shape(&b.left);
                let mut text = left.text;
                let mut pieces = left.built.unwrap_or_default();
                match literal_text(&b.right) {
                    Some(t) => text.push_str(&t),
                    None => pieces.extend(self.piece(&b.right)),
                }
                if let Some(t) = literal_text(&b.left) {
                    text.insert_str(0, &t);
                }
                Shape {
                    built: Some(pieces),
                    text,
                }
            }
            Expr::Path(p) if p.qself.is_none() => {
                let name = p.path.get_ident().map(ToString::to_string);
                match name.and_then(|n| self.locals.get(&n)) {
                    Some(local) => Shape {
                        built: local.built.clone(),
                        text: local.text.clone(),
                    },
                    None => Shape {
                        built: None,
                        text: String::new(),
                    },
                }
            }
            _ => Shape {
                built: None,
                text: literal_text(expr).unwrap_or_default(),
            },
        }
    }

    fn macro_shape(&self, mac: &syn::Macro) -> Shape {
        let name = mac
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        if !matches!(name.as_str(), "format" | "concat") {
            return Shape {
                built: None,
                text: String::new(),
            };
        }
        let args = super::macros::arguments(mac);
        let mut text = String::new();
        let mut pieces = Vec::new();
        let mut rest = args.iter();
        if name == "format" {
            if let Some(first) = rest.next() {
                let fmt = literal_text(first).unwrap_or_default();
                let captures = inline_captures(&fmt);
                pieces.extend(
                    captures
                        .into_iter()
                        .filter(|n| !self.is_numeric_local(n))
                        .map(|n| {
                            let mut roots = Vec::new();
                            self.resolve_root(&n, &mut roots);
                            SqlPiece {
                                roots,
                                span: self.spans.span(first.span()),
                            }
                        }),
                );
                pieces
                    .retain(|p| p.roots.is_empty() || !p.roots.iter().all(|r| is_constant_name(r)));
                text = fmt;
            }
        }
        for arg in rest {
            match literal_text(arg) {
                Some(t) if name == "concat" => text.push_str(&t),
                _ => pieces.extend(self.piece(arg)),
            }
        }
        let built = if name == "concat" && pieces.is_empty() {
            None
        } else {
            Some(pieces)
        };
        Shape { built, text }
    }

    fn record(
        &mut self,
        callee: Vec<String>,
        is_method: bool,
        span: proc_macro2::Span,
        arg: &Expr,
    ) {
        let shape = self.shape(arg);
        let Some(pieces) = shape.built else {
            self.record_written(callee, arg);
            return;
        };
        if pieces.is_empty() {
            return;
        }
        self.sinks.push(SqlSink {
            callee,
            is_method,
            span: self.spans.span(span),
            arg_span: self.spans.span(arg.span()),
            pieces,
            sql_like: looks_like_sql(&shape.text),
        });
    }

    /// A query call whose argument is a string literal, or a local bound to one.
    fn record_written(&mut self, callee: Vec<String>, arg: &Expr) {
        let text = match (literal_text(arg), local_name(arg)) {
            (Some(text), _) => Some(text),
            (None, Some(name)) => self
                .locals
                .get(&name)
                .filter(|l| l.built.is_none())
                .map(|l| l.text.clone()),
            _ => None,
        };
        let Some(text) = text.filter(|t| looks_like_sql(t)) else {
            return;
        };
        self.queries.push(SqlQuery {
            callee,
            is_macro: false,
            is_file: false,
            text,
            span: self.spans.span(arg.span()),
        });
    }

    fn bind_local(&mut self, pat: &Pat, init: &Expr) {
        if is_query_builder(init, pat) {
            pat_idents(pat, &mut self.builders);
        }
        let shape = self.shape(init);
        let local = LocalString {
            built: shape.built,
            text: shape.text,
            roots: self.roots(init),
            numeric: is_numeric_pat(pat) || self.is_inert(init),
        };
        let mut names = Vec::new();
        pat_idents(pat, &mut names);
        for name in names {
            self.locals.insert(name, local.clone());
        }
    }

    /// `q.push_str(x)` / `q += x` on a local string.
    fn extend_local(&mut self, name: &str, added: &Expr) {
        let piece = match literal_text(added) {
            Some(_) => None,
            None => self.piece(added),
        };
        let literal = literal_text(added).unwrap_or_default();
        let inner = self.shape(added);
        let Some(local) = self.locals.get_mut(name) else {
            return;
        };
        let pieces = local.built.get_or_insert_with(Vec::new);
        match inner.built {
            Some(more) => pieces.extend(more),
            None => pieces.extend(piece),
        }
        local.text.push_str(&literal);
        local.text.push_str(&inner.text);
    }
}

impl<'ast> Visit<'ast> for SqlVisitor<'_, '_> {
    fn visit_local(&mut self, node: &'ast Local) {
        visit::visit_local(self, node);
        if let Some(init) = &node.init {
            self.bind_local(&node.pat, &init.expr);
        }
    }

    fn visit_expr_call(&mut self, node: &'ast ExprCall) {
        visit::visit_expr_call(self, node);
        let Expr::Path(p) = &*node.func else {
            return;
        };
        let path = path_segments(&p.path);
        let last = path.last().map_or("", String::as_str);
        if !PATH_SINKS.contains(&last) {
            return;
        }
        let arg = if last == "from_string" {
            node.args.iter().nth(1)
        } else {
            node.args.first()
        };
        if let Some(arg) = arg {
            self.record(path, false, node.span(), arg);
        }
    }

    fn visit_expr_method_call(&mut self, node: &'ast ExprMethodCall) {
        visit::visit_expr_method_call(self, node);
        let method = node.method.to_string();
        if method == "push_str" {
            if let (Some(name), Some(arg)) = (local_name(&node.receiver), node.args.first()) {
                self.extend_local(&name, arg);
            }
            return;
        }
        if method == "push" {
            self.builder_push(node);
            return;
        }
        if !METHOD_SINKS.contains(&method.as_str()) {
            return;
        }
        if let Some(arg) = node.args.first() {
            let span = node.method.span().join(node.span()).unwrap_or(node.span());
            self.record(vec![method], true, span, arg);
        }
    }

    fn visit_expr_assign(&mut self, node: &'ast syn::ExprAssign) {
        visit::visit_expr_assign(self, node);
        if let Some(name) = local_name(&node.left) {
            let shape = self.shape(&node.right);
            let roots = self.roots(&node.right);
            if let Some(local) = self.locals.get_mut(&name) {
                local.built = shape.built.or(local.built.take());
                local.text.push_str(&shape.text);
                local.roots.extend(roots);
            }
        }
    }

    fn visit_expr_binary(&mut self, node: &'ast syn::ExprBinary) {
        visit::visit_expr_binary(self, node);
        if matches!(node.op, BinOp::AddAssign(_)) {
            if let Some(name) = local_name(&node.left) {
                self.extend_local(&name, &node.right);
            }
        }
    }

    fn visit_macro(&mut self, node: &'ast syn::Macro) {
        visit::visit_macro(self, node);
        let path = path_segments(&node.path);
        let Some(last) = path.last() else {
            return;
        };
        if !QUERY_MACROS.contains(&last.as_str()) {
            return;
        }
        let arguments = super::macros::arguments(node);
        let Some((text, span)) = arguments.iter().find_map(|arg| match strip(arg) {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Some((s.value(), s.span())),
                _ => None,
            },
            _ => None,
        }) else {
            return;
        };
        self.queries.push(SqlQuery {
            is_file: last.starts_with("query_file"),
            callee: path,
            is_macro: true,
            text,
            span: self.spans.span(span),
        });
    }

    fn visit_item(&mut self, _: &'ast syn::Item) {}
}

impl SqlVisitor<'_, '_> {
    /// `builder.push(x)` on a `QueryBuilder` with a value that is not a literal or constant.
    fn builder_push(&mut self, node: &ExprMethodCall) {
        let on_builder = super::routing::receiver_root(&node.receiver).is_some_and(|root| {
            root.iter().any(|s| s == "QueryBuilder")
                || (root.len() == 1 && root.first().is_some_and(|r| self.builders.contains(r)))
        });
        let Some(arg) = node.args.first() else {
            return;
        };
        if !on_builder || is_constant(arg) {
            return;
        }
        let pieces = match self.shape(arg).built {
            Some(pieces) => pieces,
            None => self.piece(arg).into_iter().collect(),
        };
        if pieces.is_empty() {
            return;
        }
        let span = node.method.span().join(node.span()).unwrap_or(node.span());
        self.sinks.push(SqlSink {
            callee: vec!["push".to_owned()],
            is_method: true,
            span: self.spans.span(span),
            arg_span: self.spans.span(arg.span()),
            pieces,
            sql_like: true,
        });
    }
}

/// `QueryBuilder::new(…)` (or a `let` typed `QueryBuilder<…>`).
fn is_query_builder(init: &Expr, pat: &Pat) -> bool {
    let typed = matches!(pat, Pat::Type(t) if matches!(&*t.ty, syn::Type::Path(p) if p.path.segments.iter().any(|s| s.ident == "QueryBuilder")));
    typed
        || super::routing::receiver_root(init)
            .is_some_and(|root| root.iter().any(|s| s == "QueryBuilder"))
}

/// Drops `&`, parentheses, `.as_str()`, `.as_ref()`, `.to_string()`, `.to_owned()`, `.into()`.
fn strip(expr: &Expr) -> &Expr {
    match expr {
        Expr::Reference(r) => strip(&r.expr),
        Expr::Paren(p) => strip(&p.expr),
        Expr::Group(g) => strip(&g.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => strip(&u.expr),
        Expr::MethodCall(m)
            if m.args.is_empty()
                && matches!(
                    m.method.to_string().as_str(),
                    "as_str" | "as_ref" | "to_string" | "to_owned" | "into" | "clone" | "as_bytes"
                ) =>
        {
            strip(&m.receiver)
        }
        _ => expr,
    }
}

/// Integer and float type names.
const NUMBER_TYPES: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize", "f32",
    "f64",
];

fn is_number_type(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| NUMBER_TYPES.contains(&s.ident.to_string().as_str())),
        syn::Type::Paren(p) => is_number_type(&p.elem),
        _ => false,
    }
}

/// `let id: i64 = …`.
fn is_numeric_pat(pat: &Pat) -> bool {
    matches!(pat, Pat::Type(t) if is_number_type(&t.ty))
}

/// A number made at run time: `raw.parse::<i64>()?`, `n as u32`,
/// `i64::from_str(raw)?`, `u32::try_from(n)?` (through `?`, `unwrap`, `expect`, `unwrap_or…`).
fn is_numeric_expr(expr: &Expr) -> bool {
    match strip(expr) {
        Expr::Cast(c) => is_number_type(&c.ty),
        Expr::Try(t) => is_numeric_expr(&t.expr),
        Expr::Lit(l) => matches!(l.lit, Lit::Int(_) | Lit::Float(_)),
        Expr::MethodCall(m) => match m.method.to_string().as_str() {
            "parse" => m.turbofish.as_ref().is_some_and(|t| {
                t.args
                    .iter()
                    .any(|a| matches!(a, syn::GenericArgument::Type(ty) if is_number_type(ty)))
            }),
            "unwrap" | "expect" | "unwrap_or" | "unwrap_or_default" | "unwrap_or_else"
            | "map_err" | "context" | "with_context" | "ok_or" | "ok_or_else" => {
                is_numeric_expr(&m.receiver)
            }
            _ => false,
        },
        Expr::Call(c) => match &*c.func {
            Expr::Path(p) => {
                let segments: Vec<String> = p
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                matches!(
                    segments.as_slice(),
                    [ty, f] if NUMBER_TYPES.contains(&ty.as_str())
                        && matches!(f.as_str(), "from_str" | "try_from" | "from" | "from_str_radix")
                )
            }
            _ => false,
        },
        _ => false,
    }
}

/// A method of `self` called without arguments (`self.get_db_name()`,
/// `self.table()`): state of the repository object, not request input.
fn is_self_getter(expr: &Expr) -> bool {
    let Expr::MethodCall(m) = strip(expr) else {
        return false;
    };
    if !m.args.is_empty() {
        return false;
    }
    let mut receiver = &*m.receiver;
    loop {
        match receiver {
            Expr::Field(f) => receiver = &f.base,
            Expr::MethodCall(inner) if inner.args.is_empty() => receiver = &inner.receiver,
            Expr::Path(p) => return p.path.is_ident("self"),
            _ => return false,
        }
    }
}

fn local_name(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Path(p) => p.path.get_ident().map(ToString::to_string),
        _ => None,
    }
}

fn literal_text(expr: &Expr) -> Option<String> {
    match strip(expr) {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            Lit::Int(_) | Lit::Float(_) | Lit::Bool(_) | Lit::Char(_) => Some(String::new()),
            _ => None,
        },
        _ => None,
    }
}

/// Literals, `CONSTANT`s and `Self::CONST` / `module::CONST` paths.
fn is_constant(expr: &Expr) -> bool {
    match strip(expr) {
        Expr::Lit(_) => true,
        Expr::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| is_constant_name(&s.ident.to_string())),
        _ => false,
    }
}

fn is_constant_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The identifiers a format string captures (`{name}`, `{name:?}`).
pub(super) fn inline_captures(fmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = fmt;
    while let Some(open) = rest.find('{') {
        let after = rest.get(open + 1..).unwrap_or_default();
        if after.starts_with('{') {
            rest = after.get(1..).unwrap_or_default();
            continue;
        }
        let Some(close) = after.find('}') else {
            break;
        };
        let inner = after.get(..close).unwrap_or_default();
        let name = inner.split(':').next().unwrap_or_default().trim();
        let is_ident = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if is_ident {
            out.push(name.to_owned());
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out
}

fn collect_idents(expr: &Expr, out: &mut Vec<String>) {
    struct Idents<'o>(&'o mut Vec<String>);
    impl<'ast> Visit<'ast> for Idents<'_> {
        fn visit_expr_path(&mut self, node: &'ast syn::ExprPath) {
            if let Some(ident) = node.path.get_ident() {
                let name = ident.to_string();
                if !is_constant_name(&name) && !self.0.contains(&name) {
                    self.0.push(name);
                }
            }
        }
        fn visit_macro(&mut self, node: &'ast syn::Macro) {
            for arg in super::macros::arguments(node) {
                self.visit_expr(&arg);
            }
        }
    }
    Idents(out).visit_expr(expr);
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

/// Whether text has SQL keywords (`select … from`, `insert into`, `update … set`, `delete from`).
fn looks_like_sql(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .filter(|w| !w.is_empty())
        .collect();
    let has = |w: &str| words.contains(&w);
    (has("select") && has("from"))
        || (has("insert") && has("into"))
        || (has("update") && has("set"))
        || (has("delete") && has("from"))
        || has("where")
        || (has("create") && has("table"))
        || (has("drop") && has("table"))
        || (has("alter") && has("table"))
        || (has("order") && has("by"))
}
