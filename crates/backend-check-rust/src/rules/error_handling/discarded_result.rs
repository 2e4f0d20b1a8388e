use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::{each_request_fn, place, RequestFn};
use crate::model::Discard;
use crate::rules::context::Context;

declare_rule! {
    /// ## What it does
    /// Finds results thrown away on a request path — in a request handler or a crate
    /// function a handler calls directly — with `let _ = call(…)` or `call(…).ok();`.
    /// Reported calls are those that do work which can fail: database writes and queries
    /// (`.execute(…)`, `.fetch_*(…)`, `.commit()`, `.insert_one(…)` …), HTTP requests
    /// (`.send()` without arguments), file and stream writes (`std::fs` / `tokio::fs`
    /// functions, `.write_all(…)`, `.flush()`, `write!`), and any awaited call of the crate.
    /// Sending on a channel (`tx.send(event)`), where a dropped receiver is usually fine, is
    /// not reported, nor `write!` into a local `String` (built with `String::new()`,
    /// `format!` …), which cannot fail, nor `let _ = call()?;`, which hands the error to
    /// the caller and drops only the value. Test code is never reported.
    ///
    /// ## Why is this bad?
    /// The handler answers `200 OK` although the row was not written, the e-mail not sent or
    /// the file not saved. The client retries nothing, nobody is alerted, and the failure
    /// surfaces days later as missing data, with no log line to explain it.
    ///
    /// ## Example
    /// ```rust
    /// async fn archive(State(db): State<PgPool>, Path(id): Path<i64>) -> StatusCode {
    ///     let _ = sqlx::query!("UPDATE posts SET archived = true WHERE id = $1", id)
    ///         .execute(&db)
    ///         .await;
    ///     StatusCode::NO_CONTENT
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn archive(State(db): State<PgPool>, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    ///     sqlx::query!("UPDATE posts SET archived = true WHERE id = $1", id)
    ///         .execute(&db)
    ///         .await?;
    ///     Ok(StatusCode::NO_CONTENT)
    /// }
    /// ```
    /// Propagate the error with `?`, or, when the failure really does not matter (best-effort
    /// cleanup), log it: `if let Err(e) = … { tracing::warn!(error = %e, "…") }`.
    ///
    /// ## Options
    /// None. A deliberate discard can be accepted with
    /// `// backend-check: allow(RS022) reason`.
    pub DiscardedResult {
        code: "RS022",
        name: "discarded-result",
        checklist: ApErrorHandling,
        group: Pedantic,
        severity: Warning,
        summary: "result of a fallible call thrown away on a request path",
    }
}

impl DiscardedResult {
    /// Reports discarded results in handlers and the functions they call directly.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        each_request_fn(ctx, &Self::META, sink, Self::findings)
    }

    fn findings(f: &RequestFn<'_>) -> Vec<Diagnostic> {
        f.def
            .body
            .discards
            .iter()
            .filter(|d| is_fallible(d))
            .map(|d| {
                Diagnostic::new(&Self::META, f.file, d.span, message(d, f)).with_help(
                    "propagate the error with `?` (or log it when the failure is truly harmless)",
                )
            })
            .collect()
    }
}

/// Methods that do I/O which can fail.
const FALLIBLE_METHODS: &[&str] = &[
    "execute",
    "execute_unprepared",
    "batch_execute",
    "fetch_one",
    "fetch_all",
    "fetch_optional",
    "commit",
    "rollback",
    "insert_one",
    "insert_many",
    "update_one",
    "update_many",
    "delete_one",
    "delete_many",
    "replace_one",
    "write_all",
    "flush",
    "sync_all",
    "shutdown",
    "publish",
    "set_ex",
    "del",
    "expire",
    "save",
    "send_email",
    "remove_file",
    "persist",
];

/// Path calls that do I/O which can fail (matched on the last segment, in `fs` modules).
const FS_FUNCTIONS: &[&str] = &[
    "write",
    "remove_file",
    "remove_dir",
    "remove_dir_all",
    "rename",
    "copy",
    "create_dir",
    "create_dir_all",
    "set_permissions",
    "hard_link",
];

fn is_fallible(d: &Discard) -> bool {
    if d.callee.ends_with('!') {
        return matches!(d.name.as_str(), "write" | "writeln");
    }
    if d.callee.starts_with('.') {
        return match d.name.as_str() {
            "send" => d.args == 0,
            "send_timeout" | "try_send" | "unbounded_send" | "send_replace" => false,
            name => FALLIBLE_METHODS.contains(&name),
        };
    }
    let in_fs = d.callee.contains("fs::");
    (in_fs && FS_FUNCTIONS.contains(&d.name.as_str())) || (d.awaited && !in_fs && is_crate_fn(d))
}

/// An awaited path call that is not obviously a library timer or task (`tokio::time::sleep`, `tokio::spawn`).
fn is_crate_fn(d: &Discard) -> bool {
    let first = d.callee.split("::").next().unwrap_or_default();
    !matches!(
        first,
        "tokio" | "futures" | "future" | "async_std" | "actix_web" | "actix_rt" | "std" | "smol"
    ) && !matches!(
        d.name.as_str(),
        "sleep" | "timeout" | "spawn" | "join" | "select" | "join_all" | "select_all"
    )
}

fn message(d: &Discard, f: &RequestFn<'_>) -> String {
    let how = if d.let_underscore {
        "`let _ =`"
    } else {
        "`.ok()`"
    };
    format!(
        "result of `{}` is thrown away with {how} {}",
        d.callee,
        place(f)
    )
}
