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
    /// Routers, scopes and handlers built elsewhere and attached here
    /// (`nest("/api", api::routes())`, `.service(index)`, `routes![a, b]`).
    pub links: Vec<RouterLink>,
    /// Which web frameworks the file refers to.
    pub hints: FrameworkHints,
    /// Secret-looking string literals outside test items.
    pub secrets: Vec<SecretLiteral>,
    /// Connection URLs and internal URLs in `const` / `static` items outside test modules.
    pub config_consts: Vec<ConfigLiteral>,
    /// Struct definitions outside test modules.
    pub structs: Vec<StructDef>,
}

/// A struct definition.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// The name.
    pub name: String,
    /// The span of the name.
    pub name_span: Span,
    /// The derived traits (last path segments: `Deserialize`, `Validate`).
    pub derives: Vec<String>,
    /// The words of `#[serde(…)]` container attributes (`try_from`, `deny_unknown_fields`).
    pub serde: Vec<String>,
    /// Whether a field has a `#[validate(…)]` or `#[garde(…)]` attribute.
    pub has_validate_attrs: bool,
    /// The named fields.
    pub fields: Vec<FieldDef>,
}

/// A named field of a struct.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The name.
    pub name: String,
    /// The span of the name.
    pub span: Span,
    /// The last segment of the type (`String`, `Option`, `Vec`).
    pub type_name: String,
    /// The words of its `#[serde(…)]` attributes (`skip`, `skip_serializing`).
    pub serde: Vec<String>,
}

/// A configuration value written as a literal.
#[derive(Debug, Clone)]
pub struct ConfigLiteral {
    /// The literal (or the address expression).
    pub span: Span,
    /// What it configures.
    pub kind: ConfigKind,
    /// The value as written (`0.0.0.0:8080` for an address tuple).
    pub value: String,
    /// Whether it is a documented fallback (`unwrap_or("…")`, a `DEFAULT_*` constant).
    pub is_default: bool,
}

/// What a configuration literal configures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKind {
    /// A database, cache or broker URL (`postgres://…`).
    ConnectionUrl,
    /// An address a server listens on (`bind("0.0.0.0:8080")`).
    ListenAddress,
    /// An address a client connects to (`TcpStream::connect("10.0.0.5:6379")`).
    ConnectAddress,
    /// An `http(s)` URL of a non-public host given to an HTTP client.
    InternalUrl,
}

/// A string literal that looks like a secret.
#[derive(Debug, Clone)]
pub struct SecretLiteral {
    /// The literal.
    pub span: Span,
    /// Why it looks like one.
    pub kind: SecretKind,
    /// The variable, field, constant or constructor it is given to.
    pub name: Option<String>,
    /// The first characters and the length, for messages.
    pub masked: String,
}

/// Why a literal looks like a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    /// Bound to, assigned to or compared with a secret-named variable, field or constant.
    Named,
    /// Given to a key constructor (`EncodingKey::from_secret`).
    KeyConstructor,
    /// A PEM private key.
    PrivateKey,
    /// An AWS access key id.
    AwsKey,
    /// A GitHub token.
    GithubToken,
    /// A Stripe live key.
    StripeKey,
    /// A Slack token.
    SlackToken,
    /// A URL with a password in it.
    UrlPassword,
}

impl SecretKind {
    /// Whether only a name or a URL's shape says the literal is a secret
    /// (RS030), as opposed to a key format or a key constructor (RS006).
    pub fn is_by_name(self) -> bool {
        matches!(self, SecretKind::Named | SecretKind::UrlPassword)
    }
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
    /// The trait the enclosing `impl` block implements (last segment: `FromRequestParts`).
    pub trait_name: Option<String>,
    /// Whether the function is `async` (or the closure returns an async block).
    pub is_async: bool,
    /// Whether the function is test code.
    pub is_test: bool,
    /// Whether this is a closure registered inline as a handler.
    pub is_closure: bool,
    /// A route attribute (`#[get("/p")]`) on the function.
    pub route_attr: Option<RouteAttr>,
    /// The parameters, with their types and bindings.
    pub params: Vec<Param>,
    /// A `#[instrument]` attribute on the function.
    pub instrument: Option<Instrument>,
    /// What the body does.
    pub body: BodyFacts,
}

/// A `#[tracing::instrument]` attribute.
#[derive(Debug, Clone)]
pub struct Instrument {
    /// The attribute.
    pub span: Span,
    /// Whether it says `skip_all`.
    pub skip_all: bool,
    /// The parameters named in `skip(…)`.
    pub skip: Vec<String>,
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
    /// Whether the attribute only documents the route (`#[utoipa::path(…)]`):
    /// the function is a handler only when a router links it (`routes!(f)`).
    pub needs_link: bool,
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
    /// Prefixes and middleware of the router branch within the holding function.
    pub context: RouteContext,
    /// The local variable the router expression is bound to (`let api = Router::new()…`).
    pub binding: Option<String>,
    /// Index of the holding function in the file.
    pub owner: usize,
}

/// The prefixes and middleware that wrap a route.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteContext {
    /// The path prefix (nest / scope / mount bases, outermost first).
    pub prefix: String,
    /// Whether part of the prefix is not a literal.
    pub unknown_prefix: bool,
    /// The middleware wrapping the route, outermost last: the identifiers of
    /// each `layer(…)` / `route_layer(…)` / `wrap(…)` argument.
    pub layers: Vec<Vec<String>>,
}

impl RouteContext {
    /// `outer` around `self`: prefixes joined outer first, layers of both.
    pub fn within(&self, outer: &RouteContext) -> RouteContext {
        let mut layers = self.layers.clone();
        layers.extend(outer.layers.iter().cloned());
        RouteContext {
            prefix: join_paths(&outer.prefix, &self.prefix),
            unknown_prefix: self.unknown_prefix || outer.unknown_prefix,
            layers,
        }
    }
}

/// Joins two route path pieces with exactly one `/` between them.
pub fn join_paths(outer: &str, inner: &str) -> String {
    match (outer.is_empty(), inner.is_empty()) {
        (true, _) => inner.to_owned(),
        (_, true) => outer.to_owned(),
        _ => format!(
            "{}/{}",
            outer.trim_end_matches('/'),
            inner.trim_start_matches('/')
        ),
    }
}

/// A router, scope or handler attached under a context in another function.
#[derive(Debug, Clone)]
pub struct RouterLink {
    /// The function named (`api::routes` in `nest("/api", api::routes())`).
    pub target: LinkTarget,
    /// The context the target is attached under (within the holding function).
    pub context: RouteContext,
    /// The local variable the attaching expression is bound to.
    pub binding: Option<String>,
    /// The scope of the holding function.
    pub scope: usize,
    /// The `impl` type of the holding function.
    pub self_type: Option<String>,
    /// Index of the holding function in the file.
    pub owner: usize,
}

/// What a router link attaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A function (a router builder, a `configure` function, or an attributed handler).
    Function(Vec<String>),
    /// A local variable of the holding function.
    Local(String),
}

/// A function parameter.
#[derive(Debug, Clone, Default)]
pub struct Param {
    /// The type path as written (`web::Json`), generic arguments dropped.
    pub type_path: Vec<String>,
    /// The first type argument's path (`CreateUser` in `Json<CreateUser>`).
    pub inner: Option<String>,
    /// The identifiers the pattern binds.
    pub bindings: Vec<String>,
}

impl Param {
    /// The last segment of the type (`Json`).
    pub fn type_name(&self) -> &str {
        self.type_path.last().map_or("", String::as_str)
    }
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
    /// Calls that take a query string built at run time.
    pub sql_sinks: Vec<SqlSink>,
    /// Queries sent with their whole text written in the code.
    pub sql_queries: Vec<SqlQuery>,
    /// The size and shape of the body.
    pub complexity: Complexity,
    /// Configuration written as literals (not inside macro arguments).
    pub config_literals: Vec<ConfigLiteral>,
    /// Results of calls thrown away with `let _ = …` or `….ok();`.
    pub discards: Vec<Discard>,
    /// Values reaching file paths, commands, logs, hashes, and weak RNGs.
    pub flows: Vec<Flow>,
}

/// A value reaching an operation the security rules watch.
#[derive(Debug, Clone)]
pub struct Flow {
    /// What the operation is.
    pub kind: FlowKind,
    /// The called path, the method name, or the macro path.
    pub callee: Vec<String>,
    /// The reported expression (the argument, or the RNG call).
    pub span: Span,
    /// The variables the value comes from, through local `let`s.
    pub roots: Vec<String>,
    /// The names the value mentions (variables and fields, through locals);
    /// for a log argument, the formatted variable or field; for a weak RNG,
    /// the variable or field the result is bound to.
    pub names: Vec<String>,
    /// Whether the value went through a sanitiser (`file_name()`, `parse()`, `sanitize*`).
    pub sanitized: bool,
    /// Whether the value went through `canonicalize`.
    pub canonicalized: bool,
    /// The functions and methods the value went through (last segment), so a
    /// rule can ask whether one of the crate's own functions confines a path.
    pub through: Vec<String>,
}

/// The operations of a [`Flow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlowKind {
    /// A path call with an argument (classified by the rule after `use` expansion).
    PathCall,
    /// `.join(x)` / `.push(x)` on a path.
    PathJoin,
    /// `.arg(x)` / `.args(x)` on a `Command`.
    CommandArg,
    /// A `tracing` / `log` macro argument (whole variable or field).
    Log,
    /// `.update(x)` on an md5 / sha1 / sha2 hasher.
    HasherUpdate,
    /// A non-cryptographic RNG.
    WeakRng,
}

/// A call whose result is thrown away.
#[derive(Debug, Clone)]
pub struct Discard {
    /// The statement.
    pub span: Span,
    /// The call as shown: `.execute()`, `std::fs::remove_file`, `write!`.
    pub callee: String,
    /// The method name or the last segment of the called path or macro.
    pub name: String,
    /// The number of arguments of the call.
    pub args: usize,
    /// Whether the call is awaited.
    pub awaited: bool,
    /// `let _ = …` (true) or `….ok();` (false).
    pub let_underscore: bool,
}

/// The size and shape of a function body (nested items left out).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Complexity {
    /// Statements, those of nested blocks and closures included.
    pub statements: usize,
    /// `if`s, `match`es (one, plus each later arm with a guard or a block body),
    /// loops and `&&`/`||` operators.
    pub branches: usize,
    /// The deepest nesting of `if`, `match` and loops.
    pub max_nesting: usize,
    /// Arithmetic operators (`+ - * / %` and compound assignments), string
    /// concatenation with a literal left out.
    pub arithmetic: usize,
}

/// A call whose query argument is a string built at run time.
#[derive(Debug, Clone)]
pub struct SqlSink {
    /// The called path (`sqlx::query`), or the method name for a method call.
    pub callee: Vec<String>,
    /// Whether it is a method call (`client.execute(q, &[])`).
    pub is_method: bool,
    /// The whole call.
    pub span: Span,
    /// The query argument.
    pub arg_span: Span,
    /// The values interpolated into the string (constants and literals left out).
    pub pieces: Vec<SqlPiece>,
    /// Whether the literal text of the string has SQL keywords.
    pub sql_like: bool,
}

/// A query whose text is written in the code: a string literal (directly, or
/// through a local bound to one) given to a query call or method, or the SQL
/// of an sqlx `query!`-family macro.
#[derive(Debug, Clone)]
pub struct SqlQuery {
    /// The called path or macro (`sqlx::query_as`, `query!`), or the method name.
    pub callee: Vec<String>,
    /// Whether it is one of sqlx's compile-time checked macros.
    pub is_macro: bool,
    /// For `query_file!`-family macros: the text is the file's path, not SQL.
    pub is_file: bool,
    /// The SQL (or, for `query_file!`, the path).
    pub text: String,
    /// The string literal.
    pub span: Span,
}

/// A value interpolated into a query string.
#[derive(Debug, Clone)]
pub struct SqlPiece {
    /// The variables it comes from, through local `let`s (empty for a call result).
    pub roots: Vec<String>,
    /// The interpolated expression (the format string for inline `{name}` captures).
    pub span: Span,
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
    /// Whether the call runs on the async executor (in an async fn, block or
    /// closure, and not inside `spawn_blocking` or a similar offloading call).
    pub in_async: bool,
    /// The first argument when it is a literal (`true`, `"*"`) or a path (`Any`, `SslVerifyMode::NONE`).
    pub first_arg: Option<String>,
    /// The path at the root of the receiver chain (`std::process::Command::new`
    /// for `Command::new("x").arg(y).output()`), when it is a path or a call of one.
    pub receiver_path: Option<Vec<String>>,
    /// Whether the call sits under `#[allow(clippy::unwrap_used)]` (or
    /// `expect_used`) on its statement or function.
    pub panic_allowed: bool,
    /// Whether the call sits in a branch of an `if` or `match` (runs only when a condition holds).
    pub in_branch: bool,
}

/// A call of a path expression.
#[derive(Debug, Clone)]
pub struct PathCall {
    /// The path segments, generic arguments dropped.
    pub path: Vec<String>,
    /// The whole call.
    pub span: Span,
    /// Whether the call runs on the async executor (see [`MethodCall::in_async`]).
    pub in_async: bool,
    /// The first argument in short form (see [`MethodCall::first_arg`]).
    pub first_arg: Option<String>,
}

/// A macro invocation.
#[derive(Debug, Clone)]
pub struct MacroCall {
    /// The macro path (`tracing::info`).
    pub path: Vec<String>,
    /// The whole invocation.
    pub span: Span,
    /// Whether the invocation is in async code (see [`MethodCall::in_async`]).
    pub in_async: bool,
    /// Whether it sits in a `_` arm that the enclosing arm rules out: `match
    /// mime { "a" | "b" => match mime { "a" => …, "b" => …, _ => unreachable!() } }`.
    pub ruled_out: bool,
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
