use backend_check_core::{declare_rule, Diagnostic, Severity, Sink};

use crate::framework::extractors::request_bindings;
use crate::model::SqlSink;
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds query strings built at run time — with `format!`, `concat!`, `+`, `push_str` or
    /// `+=`, directly or through a local variable — that are passed to an SQL API: sqlx
    /// `query`, `query_as`, `query_scalar`, `query_with`, `raw_sql`, `Executor::execute` /
    /// `fetch*`; diesel `sql_query` and `sql`; sea-orm `Statement::from_string` and
    /// `execute_unprepared`; tokio-postgres `query`, `execute`, `batch_execute`,
    /// `simple_query`, `prepare`; and sqlx `QueryBuilder::push` given anything but a literal
    /// or a `CONSTANT`. A method call counts when the built string reads like SQL
    /// (`SELECT … FROM`, `UPDATE … SET`, `WHERE` …).
    ///
    /// The finding is graded by where the interpolated values come from: from a request
    /// handler's extractor bindings (`Json(body)`, `Path(id)`, `Query(q)`, `web::Json`…) it
    /// is an error; from any other variable or computed value it is a warning; literals and
    /// `CONSTANTS` alone are not reported, nor are numbers made at run time (a local bound
    /// as `let id: i64 = raw.parse()?`, `raw.parse::<u32>()`, `n as i64`) and state of the
    /// object itself read through a getter (`self.get_db_name()`), which cannot carry
    /// request text. Test code is never reported.
    ///
    /// ## Why is this bad?
    /// Text pasted into SQL is parsed as SQL. A name such as `x' OR '1'='1` turns a lookup
    /// into a dump of the table, and with `batch_execute` or `raw_sql` into arbitrary
    /// statements. Even values that look safe today (an enum, a column name from a query
    /// parameter) become injectable when the code around them changes.
    ///
    /// ## Example
    /// ```rust
    /// async fn search(State(db): State<PgPool>, Query(q): Query<Search>) -> Result<Json<Vec<User>>, AppError> {
    ///     let sql = format!("SELECT * FROM users WHERE name = '{}'", q.name);
    ///     let users = sqlx::query_as::<_, User>(&sql).fetch_all(&db).await?;
    ///     Ok(Json(users))
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn search(State(db): State<PgPool>, Query(q): Query<Search>) -> Result<Json<Vec<User>>, AppError> {
    ///     let users = sqlx::query_as!(User, "SELECT * FROM users WHERE name = $1", q.name)
    ///         .fetch_all(&db)
    ///         .await?;
    ///     Ok(Json(users))
    /// }
    /// ```
    /// Bind values as parameters (`query!` macros, `.bind(x)`, `QueryBuilder::push_bind`).
    /// Identifiers that must vary (a sort column) are chosen from a fixed list in code.
    ///
    /// ## Options
    /// None. A query string that is built from trusted pieces only can be accepted with
    /// `// backend-check: allow(RS002) reason` on the line.
    pub SqlInjection {
        code: "RS002",
        name: "sql-injection",
        checklist: SecSqli,
        group: Nursery,
        severity: Error,
        summary: "query string built at run time reaches an SQL call",
    }
}

/// Crates whose path calls are SQL sinks.
const SQL_CRATES: &[&str] = &[
    "sqlx",
    "diesel",
    "sea_orm",
    "tokio_postgres",
    "postgres",
    "rusqlite",
    "deadpool_postgres",
    "mysql",
    "mysql_async",
];

impl SqlInjection {
    /// Reports query strings built at run time.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, |f| Self::findings(ctx, f))
    }

    fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
        let inputs = f
            .handler
            .map(|h| request_bindings(f.def, h))
            .unwrap_or_default();
        f.def
            .body
            .sql_sinks
            .iter()
            .filter_map(|s| {
                let callee = callee_name(ctx, f, s)?;
                Some(diagnostic(f, s, &callee, &inputs))
            })
            .collect()
    }
}

/// The callee as shown, when the call is an SQL sink.
fn callee_name(ctx: &Context<'_>, f: &Function<'_>, s: &SqlSink) -> Option<String> {
    if s.is_method {
        return s.sql_like.then(|| format!(".{}()", s.callee.join("::")));
    }
    let full = ctx.model.expand_path(f.id.file, f.def.scope, &s.callee);
    let from_sql_crate = full
        .first()
        .is_some_and(|first| SQL_CRATES.contains(&first.as_str()));
    let sea_orm_statement = full.iter().any(|seg| seg == "Statement");
    (from_sql_crate || s.sql_like || sea_orm_statement).then(|| full.join("::"))
}

fn diagnostic(f: &Function<'_>, s: &SqlSink, callee: &str, inputs: &[String]) -> Diagnostic {
    let tainted = s
        .pieces
        .iter()
        .flat_map(|p| p.roots.iter())
        .find(|r| inputs.contains(r));
    let mut d = Diagnostic::new(
        &SqlInjection::META,
        f.file,
        s.arg_span,
        message(callee, tainted.map(String::as_str), s),
    )
    .with_help("bind values as query parameters (`sqlx::query!`, `.bind(value)`, `QueryBuilder::push_bind`) instead of formatting them into the SQL text");
    if let Some(piece) = s.pieces.first() {
        if piece.span != s.arg_span {
            d = d.with_label(piece.span, "value interpolated here");
        }
    }
    if tainted.is_none() {
        d = d.with_severity(Severity::Warning);
    }
    d
}

fn message(callee: &str, tainted: Option<&str>, s: &SqlSink) -> String {
    match tainted {
        Some(root) => {
            format!("query string built from request input `{root}` is passed to `{callee}`")
        }
        None => match s.pieces.iter().flat_map(|p| p.roots.first()).next() {
            Some(root) => {
                format!("query string built at run time from `{root}` is passed to `{callee}`")
            }
            None => format!("query string built at run time is passed to `{callee}`"),
        },
    }
}
