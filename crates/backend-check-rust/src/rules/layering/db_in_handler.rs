use backend_check_core::{declare_rule, guard, Diagnostic, Severity, Sink, Span};

use crate::framework::{FnId, Handler};
use crate::model::FnDef;
use crate::names::matches_any;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds request handlers that query the database themselves — sqlx `query*` calls
    /// and macros, diesel terminals (`.load(conn)`, `.get_result(conn)`, `.execute(conn)`
    /// on a table or `insert_into`/`update`/`delete`), sea-orm `Entity::find…`,
    /// tokio-postgres `client.query("…", …)` — in an application that has a data-access
    /// layer: modules named like `repo`, `repository`, `db`, `store`, `dao` or `service`,
    /// or crate functions of any name that run the queries for the handler
    /// (`models::User::find_by_email(&pool, …)`), that most handlers go through. Those
    /// handlers bypass the layer and are reported, each at its first query.
    ///
    /// Where no layer exists (no handler goes through one, and most query directly, a
    /// common and respectable style in small services), one info-level finding per
    /// application suggests one instead of a finding per handler. Health and readiness
    /// probes are left alone.
    ///
    /// ## Why is this bad?
    /// A query in a handler skips whatever the layer guarantees: tenant filters,
    /// soft-delete conditions, caching, transactions, metrics. It also ties the HTTP
    /// code to the schema, so a column rename touches the routes, and the logic cannot be
    /// tested without a web request.
    ///
    /// ## Example
    /// ```rust
    /// async fn get_order(State(db): State<PgPool>, Path(id): Path<i64>) -> Result<Json<Order>, AppError> {
    ///     let order = sqlx::query_as!(Order, "SELECT * FROM orders WHERE id = $1", id)
    ///         .fetch_one(&db)
    ///         .await?;
    ///     Ok(Json(order))
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn get_order(State(repo): State<OrderRepository>, Path(id): Path<i64>) -> Result<Json<Order>, AppError> {
    ///     Ok(Json(repo.find(id).await?))
    /// }
    /// ```
    ///
    /// ## Options
    /// `rust.repository-modules`: name patterns of the modules (any segment of the module
    /// path) and `impl` types that make up the data-access layer (default `*repo`,
    /// `*repository`, `*repositories`, `*dao`, `*store`, `*storage`, `*persistence`, `db`,
    /// `db_*`, `*_db`, `database`, `*queries`, `*service`, `*services`).
    pub DbInHandler {
        code: "RS009",
        name: "db-in-handler",
        checklist: ApDbInController,
        group: Nursery,
        severity: Warning,
        summary: "request handler queries the database directly, bypassing the data-access layer",
    }
}

/// How many handlers must go through the layer before bypassing it is reported.
const MIN_LAYERED: usize = 3;

/// sqlx query macros.
const SQLX_MACROS: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_file",
    "query_file_as",
    "query_file_scalar",
    "query_unchecked",
    "query_as_unchecked",
];

/// sqlx query functions.
const SQLX_FUNCTIONS: &[&str] = &[
    "query",
    "query_as",
    "query_scalar",
    "query_with",
    "query_as_with",
    "query_scalar_with",
    "raw_sql",
];

/// diesel statements whose terminal method runs the query.
const DIESEL_ROOTS: &[&str] = &[
    "insert_into",
    "update",
    "delete",
    "sql_query",
    "replace_into",
];

/// diesel methods that run a query on a connection.
const DIESEL_TERMINALS: &[&str] = &[
    "load",
    "load_iter",
    "get_result",
    "get_results",
    "first",
    "execute",
];

/// Methods that run a query string given as their first argument.
const STRING_QUERY_METHODS: &[&str] = &[
    "query",
    "query_one",
    "query_opt",
    "query_raw",
    "execute",
    "batch_execute",
    "simple_query",
    "fetch_one",
    "fetch_all",
    "fetch_optional",
    "fetch",
];

/// Paths of probes that may query the database themselves.
const PROBE_WORDS: &[&str] = &["health", "ready", "readiness", "live", "liveness", "ping"];

/// A handler function and what it does with the database.
struct Use<'h> {
    handler: &'h Handler,
    queries: Vec<Span>,
    layered: bool,
}

impl DbInHandler {
    /// Reports handlers that bypass the data-access layer, or suggests one. Returns internal errors.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        let apps = ctx.handlers_by_application();
        let mut errors = Vec::new();
        for handlers in apps.values() {
            let Some(first) = handlers.first() else {
                continue;
            };
            match guard(&first.file, || findings(ctx, handlers)) {
                Ok(found) => found.into_iter().for_each(|d| sink.push(d)),
                Err(error) => errors.push(error),
            }
        }
        errors
    }
}

fn findings(ctx: &Context<'_>, handlers: &[&Handler]) -> Vec<Diagnostic> {
    let mut uses: Vec<Use<'_>> = Vec::new();
    for h in handlers {
        if uses.iter().any(|u| u.handler.function == h.function) || is_probe(h) {
            continue;
        }
        let Some(def) = ctx.model.function(h.function) else {
            continue;
        };
        uses.push(Use {
            handler: h,
            queries: direct_queries(ctx, h.function, def),
            layered: uses_layer(ctx, h.function, def),
        });
    }
    uses.sort_by(|a, b| {
        let key = |u: &Use<'_>| {
            (
                u.handler.file.display_path().to_owned(),
                u.handler.name_span.start,
            )
        };
        key(a).cmp(&key(b))
    });
    let direct: Vec<&Use<'_>> = uses.iter().filter(|u| !u.queries.is_empty()).collect();
    let layered = uses
        .iter()
        .filter(|u| u.queries.is_empty() && u.layered)
        .count();
    if layered >= MIN_LAYERED && layered > direct.len() {
        direct.iter().filter_map(|u| bypass(u)).collect()
    } else if layered > 0 {
        // A layer exists but too few handlers use it to call the direct ones bypasses.
        Vec::new()
    } else {
        direct
            .first()
            .and_then(|u| no_layer(u, direct.len(), uses.len()))
            .into_iter()
            .collect()
    }
}

fn is_probe(h: &Handler) -> bool {
    let path = h.full_path().unwrap_or_default().to_ascii_lowercase();
    PROBE_WORDS.iter().any(|w| path.contains(w)) || PROBE_WORDS.iter().any(|w| h.name.contains(w))
}

/// The spans of the database queries a function makes itself.
fn direct_queries(ctx: &Context<'_>, id: FnId, def: &FnDef) -> Vec<Span> {
    let body = &def.body;
    let mut out: Vec<Span> = Vec::new();
    out.extend(
        body.macros
            .iter()
            .filter(|m| is_sqlx_macro(&m.path))
            .map(|m| m.span),
    );
    for call in &body.calls {
        let full = ctx.model.expand_path(id.file, def.scope, &call.path);
        if is_query_call(&full) {
            out.push(call.span);
        }
    }
    for call in &body.method_calls {
        let root = call.receiver_path.as_deref().unwrap_or_default();
        let diesel = DIESEL_TERMINALS.contains(&call.method.as_str())
            && call.args == 1
            && is_diesel_root(root);
        let string_query = STRING_QUERY_METHODS.contains(&call.method.as_str())
            && call.first_arg.as_deref().is_some_and(is_sql_literal);
        let sea_orm = matches!(call.method.as_str(), "all" | "one" | "exec" | "count")
            && call.args == 1
            && root.iter().any(|s| s == "Entity");
        if diesel || string_query || sea_orm {
            out.push(call.span);
        }
    }
    out.extend(body.sql_sinks.iter().map(|s| s.span));
    out.sort_by_key(|s| s.start);
    out.dedup();
    out
}

fn is_sqlx_macro(path: &[String]) -> bool {
    let last = path.last().map_or("", String::as_str);
    let from_sqlx = path.len() == 1 || path.first().is_some_and(|s| s == "sqlx");
    from_sqlx && SQLX_MACROS.contains(&last)
}

fn is_query_call(path: &[String]) -> bool {
    let last = path.last().map_or("", String::as_str);
    let first = path.first().map_or("", String::as_str);
    (first == "sqlx" && SQLX_FUNCTIONS.contains(&last))
        || (first == "diesel" && last == "sql_query")
        || (path.iter().any(|s| s == "Entity")
            && ["find", "insert", "update", "delete"]
                .iter()
                .any(|p| last.starts_with(p)))
}

fn is_diesel_root(root: &[String]) -> bool {
    let last = root.last().map_or("", String::as_str);
    root.first().is_some_and(|s| s == "diesel")
        || DIESEL_ROOTS.contains(&last)
        || (root.len() >= 2 && (last == "table" || root.iter().any(|s| s == "dsl")))
}

fn is_sql_literal(arg: &str) -> bool {
    let Some(text) = arg.strip_prefix('"') else {
        return false;
    };
    let upper = text.trim_start().to_ascii_uppercase();
    [
        "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "CREATE", "ALTER", "DROP",
    ]
    .iter()
    .any(|k| upper.starts_with(k))
}

/// Whether a function calls into the data-access layer: a crate function in a
/// module (or on an `impl` type) named like one, or a path through such a module.
fn uses_layer(ctx: &Context<'_>, id: FnId, def: &FnDef) -> bool {
    let patterns = &ctx.config.repository_modules;
    let in_layer = |segments: &[String]| segments.iter().any(|s| matches_any(s, patterns));
    let by_callee = ctx.model.direct_callees(id).iter().any(|c| {
        in_layer(&ctx.model.module_of(c.function))
            || ctx
                .model
                .function(c.function)
                .is_some_and(|d| !direct_queries(ctx, c.function, d).is_empty())
            || ctx
                .model
                .function(c.function)
                .and_then(|d| d.self_type.as_deref())
                .is_some_and(|t| matches_any(t, patterns))
    });
    by_callee
        || def.body.calls.iter().any(|c| {
            let full = ctx.model.expand_path(id.file, def.scope, &c.path);
            full.split_last()
                .is_some_and(|(_, parents)| in_layer(parents))
        })
        || def
            .body
            .method_calls
            .iter()
            .any(|c| c.receiver_path.as_deref().is_some_and(&in_layer))
        || def.params.iter().any(|p| {
            matches_any(p.type_name(), patterns)
                || p.inner
                    .as_deref()
                    .is_some_and(|t| matches_any(t.rsplit("::").next().unwrap_or(t), patterns))
        })
}

fn bypass(u: &Use<'_>) -> Option<Diagnostic> {
    let h = u.handler;
    let span = *u.queries.first()?;
    let who = if h.is_closure() {
        "a request handler closure".to_owned()
    } else {
        format!("request handler `{}`", h.name)
    };
    Some(
        Diagnostic::new(
            &DbInHandler::META,
            &h.file,
            span,
            format!("{who} queries the database directly instead of going through the data-access layer"),
        )
        .with_label(h.name_span, format!("handler for {}", h.route()))
        .with_help("move the query into the repository/service module the other handlers use, and call it from here"),
    )
}

fn no_layer(u: &Use<'_>, direct: usize, total: usize) -> Option<Diagnostic> {
    let h = u.handler;
    let span = *u.queries.first()?;
    Some(
        Diagnostic::new(
            &DbInHandler::META,
            &h.file,
            span,
            format!(
                "{direct} of {total} request handlers query the database directly; the application has no data-access layer"
            ),
        )
        .with_severity(Severity::Info)
        .with_label(h.name_span, format!("first such handler, for {}", h.route()))
        .with_help("consider a repository or service module that owns the queries, so handlers only map HTTP to calls"),
    )
}
