//! What the Rust analyzer tells the rest of the tool about the code it read:
//! the routes the code serves (method, full path after nesting, handler,
//! extractors, whether it authenticates) and the SQL each function sends
//! with its text written in the code. This is the supported public model (the
//! crate model and facts the rules read stay internal); checks that hold the
//! code against the spec or the schema read it from the engine's report.

use std::sync::Arc;

use backend_check_core::{SourceFile, Span};

use crate::rules::Context;

pub use crate::framework::{Framework, Method};

/// The routes and queries of the Rust files of a run.
#[derive(Debug, Clone, Default)]
pub struct RustModel {
    /// Every route a handler serves, in file order.
    pub routes: Vec<Route>,
    /// Every query whose text is written in the code, in file order.
    pub queries: Vec<Query>,
}

/// A handler and what it serves.
#[derive(Debug, Clone)]
pub struct Route {
    /// The framework that registers it.
    pub framework: Framework,
    /// The methods it serves (`ANY` for all).
    pub methods: Vec<Method>,
    /// The path with the prefixes of the routers it is nested in (`/api/users/{id}`),
    /// as the framework writes it (`:id`, `{id}`, `<id>`); `None` when the
    /// path is not known statically.
    pub path: Option<String>,
    /// The handler function's name (`{closure}` for a closure).
    pub handler: String,
    /// The types of the handler's parameters (`Path<Uuid>`, `Json<NewUser>`,
    /// `State<AppState>`), the extractors of axum and actix-web.
    pub extractors: Vec<String>,
    /// Whether the route authenticates its caller (an auth layer on its
    /// router branch, an auth extractor, an auth call), as rule RS007
    /// (missing-authentication) judges it.
    pub authenticated: bool,
    /// The file of the handler.
    pub file: Arc<SourceFile>,
    /// The handler's name.
    pub span: Span,
}

/// SQL sent by a function, with its text written in the code.
#[derive(Debug, Clone)]
pub struct Query {
    /// The function that sends it.
    pub function: String,
    /// The call or macro that sends it (`sqlx::query_as`, `query!`, `execute`).
    pub callee: String,
    /// Whether it is an sqlx compile-time checked macro (`query!`, `query_as!`).
    pub is_macro: bool,
    /// For `query_file!` macros: `text` is the path of the file holding the SQL.
    pub is_file: bool,
    /// The SQL as the program sends it (escapes resolved).
    pub text: String,
    /// The file.
    pub file: Arc<SourceFile>,
    /// The string literal.
    pub span: Span,
}

fn extractor(param: &crate::model::Param) -> String {
    let name = param.type_name();
    match &param.inner {
        Some(inner) => format!("{name}<{inner}>"),
        None => name.to_owned(),
    }
}

impl RustModel {
    /// The public model of the crates and handlers the rules saw.
    pub(crate) fn of(ctx: &Context<'_>) -> RustModel {
        let routes = ctx
            .handlers
            .iter()
            .map(|h| Route {
                framework: h.framework,
                methods: h.methods.clone(),
                path: h.full_path(),
                handler: h.name.clone(),
                extractors: ctx
                    .model
                    .function(h.function)
                    .map(|f| f.params.iter().map(extractor).collect())
                    .unwrap_or_default(),
                authenticated: ctx.authenticated(h).unwrap_or(false),
                file: Arc::clone(&h.file),
                span: h.name_span,
            })
            .collect();
        let mut queries = Vec::new();
        for (id, def) in ctx.model.functions() {
            let Some(file) = ctx.model.file(id.file) else {
                continue;
            };
            for query in &def.body.sql_queries {
                queries.push(Query {
                    function: def.name.clone(),
                    callee: query.callee.join("::") + if query.is_macro { "!" } else { "" },
                    is_macro: query.is_macro,
                    is_file: query.is_file,
                    text: query.text.clone(),
                    file: Arc::clone(&file.file),
                    span: query.span,
                });
            }
        }
        queries.sort_by(|a, b| {
            (a.file.display_path(), a.span.start).cmp(&(b.file.display_path(), b.span.start))
        });
        RustModel { routes, queries }
    }
}
