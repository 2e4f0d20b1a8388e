use backend_check_core::{declare_rule, Diagnostic, Sink};

use super::tainted::{expanded, is_file_call, rejects_dot_dot, tainted_sinks, text_inputs};
use crate::model::{Flow, FlowKind};
use crate::rules::context::{Context, Function};

declare_rule! {
    /// ## What it does
    /// Finds request data — the bindings of a handler's `Path`, `Query`, `Json`, `Form`…
    /// extractors — that reaches a file path, directly or through local `let`s:
    /// `std::fs::*`, `tokio::fs::*`, `File::open` / `File::create`, actix-files
    /// `NamedFile::open`, or `.join(x)` / `.push(x)` on a `Path`, `PathBuf` or a
    /// directory-named value (`state.upload_dir.join(name)`).
    ///
    /// A value is not reported when it went through an obvious sanitiser on the way
    /// (or through one of the crate's own functions that checks the joined path
    /// with `starts_with` or `strip_prefix`, such as a `safe_path_join(base, part)`):
    /// `Path::file_name()`, a `sanitize*` / `clean*` / `validate*` function, a parse into a
    /// number or UUID, `canonicalize` followed by a `starts_with` check, or a check of the
    /// text for `..` in the handler. Extractors of numbers and UUIDs are never reported.
    ///
    /// ## Why is this bad?
    /// `Path::join` does not confine the result under the base directory: `../../etc/passwd`
    /// walks out of it, and an absolute path replaces the base entirely. A download or
    /// upload handler that joins a name from the URL reads or overwrites any file the
    /// service can reach (configuration, keys, the database file).
    ///
    /// ## Example
    /// ```rust
    /// async fn download(Path(name): Path<String>) -> Result<Vec<u8>, StatusCode> {
    ///     tokio::fs::read(std::path::Path::new("uploads").join(&name))
    ///         .await
    ///         .map_err(|_| StatusCode::NOT_FOUND)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn download(Path(name): Path<String>) -> Result<Vec<u8>, StatusCode> {
    ///     let name = std::path::Path::new(&name).file_name().ok_or(StatusCode::BAD_REQUEST)?;
    ///     tokio::fs::read(std::path::Path::new("uploads").join(name))
    ///         .await
    ///         .map_err(|_| StatusCode::NOT_FOUND)
    /// }
    /// ```
    /// Keep only the file name, or look the file up by an id; when a sub-path is needed,
    /// canonicalize the joined path and check that it `starts_with` the canonical base.
    ///
    /// ## Options
    /// None. A handler whose input is checked in a way the rule does not see can be
    /// accepted with `// backend-check: allow(RS025) reason` on the line.
    pub PathTraversal {
        code: "RS025",
        name: "path-traversal",
        checklist: SecInput,
        group: Suspicious,
        severity: Error,
        summary: "request input reaches a file path without sanitising",
    }
}

impl PathTraversal {
    /// Reports request input reaching file paths in handlers.
    pub fn check(ctx: &Context<'_>, sink: &mut Sink<'_>) -> Vec<Diagnostic> {
        ctx.each_function(&Self::META, sink, |f| findings(ctx, f))
    }
}

fn findings(ctx: &Context<'_>, f: &Function<'_>) -> Vec<Diagnostic> {
    let inputs = text_inputs(f);
    if inputs.is_empty() || rejects_dot_dot(f) {
        return Vec::new();
    }
    tainted_sinks(
        f,
        &inputs,
        &PathTraversal::META,
        "keep only the file name (`Path::file_name`) or look the file up by id; for sub-paths, canonicalize and check `starts_with` on the base directory",
        |flow| sink_name(ctx, f, flow),
        message,
    )
}

fn sink_name(ctx: &Context<'_>, f: &Function<'_>, flow: &Flow) -> Option<String> {
    let name = match flow.kind {
        FlowKind::PathJoin => Some(format!(".{}()", flow.callee.join("::"))),
        FlowKind::PathCall => {
            let path = expanded(ctx, f, flow);
            is_file_call(&path).then(|| path.join("::"))
        }
        _ => None,
    }?;
    // Only for the flows that reach a file path: it looks through the crate's functions.
    (!confined(ctx, flow)).then_some(name)
}

/// Whether the value went through one of the crate's own functions that
/// confines a path to a base folder: its body checks the result with
/// `starts_with` (or `strip_prefix`) on a path, as rustypaste's
/// `safe_path_join(base, part)` does after joining and cleaning.
fn confined(ctx: &Context<'_>, flow: &Flow) -> bool {
    flow.through.iter().any(|name| {
        ctx.model.functions().any(|(_, def)| {
            def.name == *name
                && def
                    .body
                    .method_calls
                    .iter()
                    .any(|c| matches!(c.method.as_str(), "starts_with" | "strip_prefix"))
        })
    })
}

fn message(root: &str, callee: &str) -> String {
    format!("request input `{root}` reaches file path `{callee}` unsanitised")
}
