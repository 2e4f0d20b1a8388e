//! What the parse phase keeps of one file. Every position is already a byte
//! span of the real file, because proc-macro2's span map is cleared after each
//! file and syn trees cannot cross threads.

use backend_check_core::Span;

use crate::framework::{Framework, Method};

/// The facts of one parsed file.
#[derive(Debug, Default)]
pub struct FileFacts {
    /// The module scopes of the file: index 0 is the file's own module, the
    /// others are inline `mod name { … }` blocks.
    pub scopes: Vec<Scope>,
    /// Functions, methods and handler closures, in source order.
    pub functions: Vec<FnDef>,
    /// Handler registrations found in function bodies (router builders).
    pub registrations: Vec<Registration>,
    /// Which web frameworks the file refers to.
    pub hints: FrameworkHints,
}

/// A module scope: the file's module or an inline module.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    /// Path of inline modules from the file's module (empty for the file itself).
    pub module: Vec<String>,
    /// Whether the scope is test code (`#[cfg(test)]` on it or an enclosing module).
    pub is_test: bool,
    /// `use` aliases: the name bound in this scope and the path it names.
    pub uses: Vec<UseAlias>,
    /// Paths imported with a glob (`use a::b::*` records `a::b`).
    pub globs: Vec<Vec<String>>,
    /// Out-of-line modules declared here (`mod name;`).
    pub mod_decls: Vec<ModDecl>,
}

/// One name a `use` item binds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UseAlias {
    /// The name in scope (the alias after `as`, or the last segment).
    pub name: String,
    /// The path as written; a leading `::` is kept as an empty first segment.
    pub path: Vec<String>,
}

/// A `mod name;` declaration.
#[derive(Debug, Clone)]
pub struct ModDecl {
    /// The module name.
    pub name: String,
    /// Whether the declaration is `#[cfg(test)]`.
    pub is_test: bool,
}

/// A function, method or handler closure.
#[derive(Debug)]
pub struct FnDef {
    /// The name (`{closure}` for a closure).
    pub name: String,
    /// The span of the name, or of the `|…|` of a closure.
    pub name_span: Span,
    /// Index of the scope the function is defined in.
    pub scope: usize,
    /// The type of the enclosing `impl` block, if any.
    pub self_type: Option<String>,
    /// Whether the function is `async` (or the closure returns an async block).
    pub is_async: bool,
    /// Whether the function is test code.
    pub is_test: bool,
    /// Whether this is a closure registered inline as a handler.
    pub is_closure: bool,
    /// A route attribute (`#[get("/p")]`) on the function.
    pub route_attr: Option<RouteAttr>,
    /// What the body does.
    pub body: BodyFacts,
}

/// A route attribute of actix-web or Rocket.
#[derive(Debug, Clone)]
pub struct RouteAttr {
    /// The methods it matches.
    pub methods: Vec<Method>,
    /// The path, when written as a literal.
    pub path: Option<String>,
    /// The framework, when the attribute or the file tells it.
    pub framework: Option<Framework>,
    /// The span of the attribute.
    pub span: Span,
}

/// A handler registered on a router (`.route("/p", get(f))`).
#[derive(Debug, Clone)]
pub struct Registration {
    /// The framework whose router API was used.
    pub framework: Framework,
    /// The methods the registration matches.
    pub methods: Vec<Method>,
    /// The path, when written as a literal.
    pub path: Option<String>,
    /// The handler.
    pub target: HandlerRef,
    /// The span of the handler expression.
    pub span: Span,
    /// The scope of the function holding the registration.
    pub scope: usize,
    /// The `impl` type of the function holding the registration (for `Self::f`).
    pub self_type: Option<String>,
}

/// The handler a registration names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerRef {
    /// A path such as `handlers::users::create` (generic arguments dropped).
    Path(Vec<String>),
    /// A closure, recorded as the function with this index in the same file.
    Local(usize),
}

/// What a function body does, as far as the rules need it.
#[derive(Debug, Default, Clone)]
pub struct BodyFacts {
    /// Method calls (`x.unwrap()`), including those inside closures, async
    /// blocks and the arguments of expression macros.
    pub method_calls: Vec<MethodCall>,
    /// Calls of paths (`std::fs::read(p)`).
    pub calls: Vec<PathCall>,
    /// Macro invocations (`panic!(…)`).
    pub macros: Vec<MacroCall>,
}

/// A method call.
#[derive(Debug, Clone)]
pub struct MethodCall {
    /// The method name.
    pub method: String,
    /// The number of arguments.
    pub args: usize,
    /// From the method name through the closing parenthesis.
    pub span: Span,
    /// Whether the call was found inside a macro's arguments.
    pub in_macro: bool,
}

/// A call of a path expression.
#[derive(Debug, Clone)]
pub struct PathCall {
    /// The path segments, generic arguments dropped.
    pub path: Vec<String>,
    /// The whole call.
    pub span: Span,
}

/// A macro invocation.
#[derive(Debug, Clone)]
pub struct MacroCall {
    /// The macro path (`tracing::info`).
    pub path: Vec<String>,
    /// The whole invocation.
    pub span: Span,
}

/// The web frameworks a file refers to in `use` items, paths and `extern crate`.
#[derive(Debug, Default, Clone, Copy)]
pub struct FrameworkHints {
    /// axum.
    pub axum: bool,
    /// actix-web.
    pub actix: bool,
    /// Rocket.
    pub rocket: bool,
}

impl FrameworkHints {
    /// Records a path's first segment.
    pub fn note(&mut self, first_segment: &str) {
        match first_segment {
            "axum" => self.axum = true,
            "actix_web" | "actix_web_codegen" => self.actix = true,
            "rocket" | "rocket_codegen" => self.rocket = true,
            _ => {}
        }
    }

    /// Merges another set of hints.
    pub fn merge(&mut self, other: FrameworkHints) {
        self.axum |= other.axum;
        self.actix |= other.actix;
        self.rocket |= other.rocket;
    }

    /// The single attribute framework the hints point to, if they point to one.
    pub fn attribute_framework(self) -> Option<Framework> {
        match (self.actix, self.rocket) {
            (true, false) => Some(Framework::ActixWeb),
            (false, true) => Some(Framework::Rocket),
            _ => None,
        }
    }
}
