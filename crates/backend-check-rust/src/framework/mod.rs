//! Web frameworks: the handlers of axum, actix-web, Rocket and warp applications.
//!
//! Registrations (`.route("/p", get(f))`) and route attributes (`#[get("/p")]`)
//! are recognised while a file is parsed (see [`registrations`] and
//! [`attributes`]); [`handlers`] ties them to function definitions across the
//! crate.

pub(crate) mod actix;
pub(crate) mod attributes;
pub(crate) mod axum;
pub mod extractors;
mod handlers;
pub(crate) mod registrations;
pub(crate) mod warp;

use std::fmt;
use std::sync::Arc;

use backend_check_core::{SourceFile, Span};

use crate::model::{join_paths, RouteContext};

pub use handlers::build_handlers;

/// A web framework whose handlers the analyzer recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Framework {
    /// axum (`Router::route`).
    Axum,
    /// actix-web (route attributes, `web::resource`, `App::route`).
    ActixWeb,
    /// Rocket (route attributes).
    Rocket,
    /// warp (filter chains ending in `.and_then(f)` / `.map(f)` / `.then(f)`).
    Warp,
}

impl Framework {
    /// The crate name.
    pub fn name(self) -> &'static str {
        match self {
            Framework::Axum => "axum",
            Framework::ActixWeb => "actix-web",
            Framework::Rocket => "rocket",
            Framework::Warp => "warp",
        }
    }
}

impl fmt::Display for Framework {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An HTTP method a handler is registered for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
    /// PATCH.
    Patch,
    /// HEAD.
    Head,
    /// OPTIONS.
    Options,
    /// TRACE.
    Trace,
    /// CONNECT.
    Connect,
    /// Any method (`any(f)`, `web::route()`, `Resource::to`).
    Any,
}

impl Method {
    /// The method a lower-case routing function or attribute is named after (`get`, `post`…).
    pub fn from_lower(name: &str) -> Option<Method> {
        Some(match name {
            "get" => Method::Get,
            "post" => Method::Post,
            "put" => Method::Put,
            "delete" => Method::Delete,
            "patch" => Method::Patch,
            "head" => Method::Head,
            "options" => Method::Options,
            "trace" => Method::Trace,
            "connect" => Method::Connect,
            _ => return None,
        })
    }

    /// The method named in any case (`GET`, `Get`, `get`).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::from_lower(&name.to_ascii_lowercase())
    }

    /// The upper-case name (`ANY` for any method).
    pub fn as_str(&self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
            Method::Patch => "PATCH",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
            Method::Connect => "CONNECT",
            Method::Any => "ANY",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request handler: a function (or closure) registered for one route.
/// A function registered for several routes yields one handler per route.
#[derive(Debug, Clone)]
pub struct Handler {
    /// The file that defines the function.
    pub file: Arc<SourceFile>,
    /// The function name (`{closure}` for a closure registered inline).
    pub name: String,
    /// The span of the function name (of `|…|` for a closure).
    pub name_span: Span,
    /// The methods of the route.
    pub methods: Vec<Method>,
    /// The path of the route as written (without the prefixes of nested
    /// routers or scopes, see [`Handler::full_path`]), when it is a literal.
    pub path: Option<String>,
    /// The framework.
    pub framework: Framework,
    /// Where the function is: index of its file in the crate model and of the function in that file.
    pub function: FnId,
    /// The prefixes (nested routers, scopes, mounts) and middleware of the
    /// router branch the route is registered on.
    pub context: RouteContext,
}

/// A function of the crate model: its file and its index among that file's functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId {
    /// Index of the file.
    pub file: usize,
    /// Index of the function in the file's facts.
    pub function: usize,
}

impl Handler {
    /// The route as shown to users: `GET /users/{id}`, `GET, POST /items`.
    pub fn route(&self) -> String {
        let methods = self
            .methods
            .iter()
            .map(Method::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        match self.full_path() {
            Some(path) => format!("{methods} {path}"),
            None => methods,
        }
    }

    /// The path with the prefixes of the routers, scopes and mounts above it,
    /// when every piece is a literal.
    pub fn full_path(&self) -> Option<String> {
        let path = self.path.as_deref()?;
        if self.context.unknown_prefix {
            return Some(path.to_owned()).filter(|_| self.context.prefix.is_empty());
        }
        Some(join_paths(&self.context.prefix, path))
    }

    /// Whether any middleware on the handler's router branch mentions one of `names`
    /// (matched as [`crate::names::matches`] patterns).
    pub fn layer_matches(&self, patterns: &[String]) -> Option<&str> {
        self.context
            .layers
            .iter()
            .flatten()
            .find(|ident| crate::names::matches_any(ident, patterns))
            .map(String::as_str)
    }

    /// Whether the handler is a closure registered inline.
    pub fn is_closure(&self) -> bool {
        self.name == CLOSURE_NAME
    }
}

/// The name given to closures registered inline as handlers.
pub const CLOSURE_NAME: &str = "{closure}";
