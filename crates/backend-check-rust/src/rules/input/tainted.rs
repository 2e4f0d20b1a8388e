//! Request input reaching file paths and process commands (shared by RS025 and RS026).

use crate::framework::extractors::is_request_input;
use crate::framework::Framework;
use crate::model::{Flow, FlowKind};
use crate::rules::context::{Context, Function};

/// Extractor inner types that cannot carry a path or a shell word.
const SAFE_INNER: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "u8", "u16", "u32", "u64", "u128", "isize", "usize", "f32",
    "f64", "bool", "Uuid",
];

/// Rocket guards that carry raw text; `PathBuf` segments reject `..` and
/// typed parameters are parsed by their `FromParam`.
const ROCKET_TEXT: &[&str] = &["String", "str", "Cow", "Form", "Json", "RawStr"];

/// The request bindings of a handler that can carry free text.
pub fn text_inputs(f: &Function<'_>) -> Vec<String> {
    let Some(handler) = f.handler else {
        return Vec::new();
    };
    f.def
        .params
        .iter()
        .filter(|p| is_request_input(p, handler))
        .filter(|p| handler.framework != Framework::Rocket || ROCKET_TEXT.contains(&p.type_name()))
        .filter(|p| {
            !p.inner
                .as_deref()
                .is_some_and(|i| SAFE_INNER.contains(&i.rsplit("::").next().unwrap_or(i)))
        })
        .flat_map(|p| p.bindings.iter().cloned())
        .collect()
}

/// The first request binding a flow carries, unless it was sanitised.
pub fn tainted_root<'f>(flow: &'f Flow, inputs: &[String]) -> Option<&'f str> {
    if flow.sanitized {
        return None;
    }
    flow.roots
        .iter()
        .find(|r| inputs.contains(r))
        .map(String::as_str)
}

fn calls(f: &Function<'_>, method: &str) -> bool {
    f.def.body.method_calls.iter().any(|m| m.method == method)
}

/// Whether the handler rejects `..` itself (`name.contains("..")`), or
/// canonicalizes a path and checks it with `starts_with`.
pub fn rejects_dot_dot(f: &Function<'_>) -> bool {
    let canonicalizes = calls(f, "canonicalize")
        || f.def
            .body
            .calls
            .iter()
            .any(|c| c.path.last().is_some_and(|l| l == "canonicalize"));
    if canonicalizes && calls(f, "starts_with") {
        return true;
    }
    f.def.body.method_calls.iter().any(|m| {
        matches!(m.method.as_str(), "contains" | "starts_with" | "ends_with")
            && m.first_arg.as_deref().is_some_and(|a| a.contains(".."))
    }) || f
        .def
        .body
        .method_calls
        .iter()
        .any(|m| matches!(m.method.as_str(), "components" | "is_normal"))
}

/// The full path of a path-call flow, after `use` expansion.
pub fn expanded(ctx: &Context<'_>, f: &Function<'_>, flow: &Flow) -> Vec<String> {
    if flow.kind == FlowKind::PathCall {
        ctx.model.expand_path(f.id.file, f.def.scope, &flow.callee)
    } else {
        flow.callee.clone()
    }
}

/// Whether an expanded path opens, reads, writes or removes a file.
pub fn is_file_call(path: &[String]) -> bool {
    let has = |s: &str| path.iter().any(|p| p == s);
    let last = path.last().map_or("", String::as_str);
    let parent = path
        .len()
        .checked_sub(2)
        .and_then(|i| path.get(i))
        .map_or("", String::as_str);
    let fs_module = has("fs")
        && path
            .first()
            .is_some_and(|f| matches!(f.as_str(), "std" | "tokio" | "async_std" | "fs"));
    let file_type =
        matches!(parent, "File" | "NamedFile") && matches!(last, "open" | "create" | "open_async");
    (fs_module && last != "new") || file_type
}

/// Whether an expanded path is `Command::new`.
pub fn is_command_new(path: &[String]) -> bool {
    path.ends_with(&["Command".to_owned(), "new".to_owned()])
}

/// Drops findings whose span holds another finding (`fs::read(base.join(x))` is reported at the join).
/// One diagnostic of `rule` per flow of request text (`inputs`) into a sink:
/// `sink` names the sink a flow reaches, if any. Only the innermost of nested
/// findings is kept.
pub fn tainted_sinks(
    f: &Function<'_>,
    inputs: &[String],
    rule: &'static backend_check_core::RuleMeta,
    help: &str,
    sink: impl Fn(&Flow) -> Option<String>,
    message: impl Fn(&str, &str) -> String,
) -> Vec<backend_check_core::Diagnostic> {
    let found = f
        .def
        .body
        .flows
        .iter()
        .filter_map(|flow| {
            let callee = sink(flow)?;
            let root = tainted_root(flow, inputs)?;
            Some(
                backend_check_core::Diagnostic::new(
                    rule,
                    f.file,
                    flow.span,
                    message(root, &callee),
                )
                .with_help(help),
            )
        })
        .collect();
    innermost(found)
}

fn innermost(
    mut found: Vec<backend_check_core::Diagnostic>,
) -> Vec<backend_check_core::Diagnostic> {
    let spans: Vec<_> = found.iter().map(|d| d.span).collect();
    found.retain(|d| {
        !spans
            .iter()
            .any(|s| *s != d.span && s.start >= d.span.start && s.end <= d.span.end)
    });
    found
}
