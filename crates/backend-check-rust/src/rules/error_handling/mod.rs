//! `ap.error-handling`: request paths that panic or throw errors away.

pub mod discarded_result;
pub mod panic_in_handler;
pub mod unwrap_in_handler;

use std::collections::HashSet;
use std::sync::Arc;

use backend_check_core::{guard, Diagnostic, RuleMeta, Sink, SourceFile, Span};

use crate::framework::{FnId, Handler};
use crate::model::FnDef;
use crate::rules::context::Context;

/// A function on a request path: a handler, or a crate function a handler calls directly.
pub struct RequestFn<'c> {
    /// The function.
    pub def: &'c FnDef,
    /// Its file.
    pub file: &'c Arc<SourceFile>,
    /// The (first) handler that reaches it.
    pub handler: &'c Handler,
    /// Whether the function is the handler itself.
    pub is_handler: bool,
}

/// Runs `check` on every handler and then on every crate function called
/// directly from a handler (each function once), under `guard`, and pushes
/// findings (each span once) when `rule` is enabled. Returns internal errors.
pub fn each_request_fn(
    ctx: &Context<'_>,
    rule: &RuleMeta,
    sink: &mut Sink<'_>,
    check: impl Fn(&RequestFn<'_>) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    if !sink.enabled(rule) {
        return errors;
    }
    let mut seen: HashSet<FnId> = HashSet::new();
    let mut reported: HashSet<(usize, Span)> = HashSet::new();
    let mut callees: Vec<(FnId, &Handler)> = Vec::new();
    let mut run = |id: FnId, handler: &Handler, is_handler: bool, sink: &mut Sink<'_>| {
        let (Some(def), Some(parsed)) = (ctx.model.function(id), ctx.model.file(id.file)) else {
            return;
        };
        let f = RequestFn {
            def,
            file: &parsed.file,
            handler,
            is_handler,
        };
        match guard(&parsed.file, || check(&f)) {
            Ok(found) => found
                .into_iter()
                .filter(|d| reported.insert((id.file, d.span)))
                .for_each(|d| sink.push(d)),
            Err(error) => errors.push(error),
        }
    };
    for handler in ctx.handlers {
        if seen.insert(handler.function) {
            run(handler.function, handler, true, sink);
            callees.extend(
                ctx.model
                    .direct_callees(handler.function)
                    .into_iter()
                    .map(|c| (c.function, handler)),
            );
        }
    }
    for (id, handler) in callees {
        if seen.insert(id) {
            run(id, handler, false, sink);
        }
    }
    errors
}

/// How a handler is named in messages: `request handler `get_user`` or `a request handler closure`.
pub fn handler_phrase(handler: &Handler) -> String {
    if handler.is_closure() {
        "a request handler closure".to_owned()
    } else {
        format!("request handler `{}`", handler.name)
    }
}

/// Where a finding is: in the handler, or in a function it calls.
pub fn place(f: &RequestFn<'_>) -> String {
    if f.is_handler {
        format!("in {}", handler_phrase(f.handler))
    } else {
        format!(
            "in `{}`, called from {}",
            f.def.name,
            handler_phrase(f.handler)
        )
    }
}
