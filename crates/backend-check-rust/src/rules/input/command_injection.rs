use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::tainted::{expanded, is_command_new, tainted_sinks, text_inputs};
use crate::model::{Flow, FlowKind};
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds request data — the bindings of a handler's `Path`, `Query`, `Json`, `Form`…
    /// extractors — that reaches a process command, directly or through local `let`s:
    /// the program of `Command::new(x)`, or an argument given with `.arg(x)` / `.args(x)`.
    /// Values that went through a sanitiser (`sanitize*`, `validate*`, a parse into a
    /// number or UUID) and extractors of numbers and UUIDs are not reported.
    ///
    /// ## Why is this bad?
    /// With `sh -c` the text is a shell script: `; rm -rf /` runs. Without a shell, a
    /// client-chosen program runs anything on the host, and a client-chosen argument that
    /// starts with `-` turns into an option of the tool (`--output=/etc/cron.d/x`,
    /// `-oProxyCommand=…`).
    ///
    /// ## Example
    /// ```rust
    /// async fn thumbnail(Json(req): Json<Thumb>) -> StatusCode {
    ///     let status = Command::new("sh")
    ///         .arg("-c")
    ///         .arg(format!("convert {} -resize 64x64 thumb.png", req.file))
    ///         .status()
    ///         .await;
    ///     if status.is_ok() { StatusCode::OK } else { StatusCode::INTERNAL_SERVER_ERROR }
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn thumbnail(State(store): State<Store>, Json(req): Json<Thumb>) -> StatusCode {
    ///     let Some(path) = store.path_of(req.image_id) else { return StatusCode::NOT_FOUND };
    ///     let status = Command::new("convert")
    ///         .arg("--")
    ///         .arg(path)
    ///         .args(["-resize", "64x64", "thumb.png"])
    ///         .status()
    ///         .await;
    ///     if status.is_ok() { StatusCode::OK } else { StatusCode::INTERNAL_SERVER_ERROR }
    /// }
    /// ```
    /// Never pass request text through a shell; map it to values the server chooses
    /// (an id, an enum), and end options with `--` before any path.
    ///
    /// ## Options
    /// None. Accept a reviewed call with `// backend-check: allow(RS026) reason`.
    pub CommandInjection {
        code: "RS026",
        name: "command-injection",
        checklist: SecInput,
        group: Suspicious,
        severity: Error,
        summary: "request input reaches a process command",
    }
}

impl CommandInjection {
    /// Reports request input reaching process commands in handlers.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, |f| findings(ctx, f))
    }
}

fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
    let inputs = text_inputs(f);
    if inputs.is_empty() {
        return Vec::new();
    }
    tainted_sinks(
        f,
        &inputs,
        &CommandInjection::META,
        "do not pass request text to a command; map it to a value the server chooses, and never through `sh -c`",
        |flow| sink_name(ctx, f, flow),
        message,
    )
}

fn sink_name(ctx: &Context<'_>, f: &Function<'_>, flow: &Flow) -> Option<String> {
    match flow.kind {
        FlowKind::CommandArg => Some(format!(".{}()", flow.callee.join("::"))),
        FlowKind::PathCall => {
            let path = expanded(ctx, f, flow);
            is_command_new(&path).then(|| path.join("::"))
        }
        _ => None,
    }
}

fn message(root: &str, callee: &str) -> String {
    format!("request input `{root}` reaches process command `{callee}`")
}
