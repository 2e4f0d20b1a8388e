//! Handlers: functions with a route attribute, and the targets of router
//! registrations resolved through the crate model, each with the prefixes and
//! middleware of every router branch that reaches it.

use std::collections::HashMap;

use backend_check_core::{guard, Diagnostic};

use super::{FnId, Framework, Handler};
use crate::model::{CrateModel, HandlerRef, LinkTarget, ParsedFile, Registration, RouteContext};

/// How many router levels are followed upwards.
const MAX_LINK_DEPTH: usize = 6;
/// How many distinct contexts one function may be reached under.
const MAX_CONTEXTS: usize = 8;

/// Every handler of the model that is not test code, and internal errors of
/// files whose handlers could not be collected.
pub fn build_handlers(model: &CrateModel) -> (Vec<Handler>, Vec<Diagnostic>) {
    let mut handlers = Vec::new();
    let mut errors = Vec::new();
    let links = LinkIndex::build(model);
    for (index, parsed) in model.files().iter().enumerate() {
        match guard(&parsed.file, || {
            handlers_of_file(model, &links, index, parsed)
        }) {
            Ok(found) => handlers.extend(found),
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    (handlers, errors)
}

/// For each function, the contexts it is attached under by other functions.
struct LinkIndex {
    incoming: HashMap<FnId, Vec<(FnId, RouteContext)>>,
}

impl LinkIndex {
    fn build(model: &CrateModel) -> LinkIndex {
        let mut incoming: HashMap<FnId, Vec<(FnId, RouteContext)>> = HashMap::new();
        for (file, parsed) in model.files().iter().enumerate() {
            for link in &parsed.facts.links {
                let LinkTarget::Function(path) = &link.target else {
                    continue;
                };
                let Some(target) =
                    model.resolve_route_target(file, link.scope, path, link.self_type.as_deref())
                else {
                    continue;
                };
                let owner = FnId {
                    file,
                    function: link.owner,
                };
                if owner != target {
                    incoming
                        .entry(target)
                        .or_default()
                        .push((owner, link.context.clone()));
                }
            }
        }
        LinkIndex { incoming }
    }

    /// The contexts a function is reached under (one empty context when none).
    fn contexts(&self, id: FnId, depth: usize) -> Vec<RouteContext> {
        let Some(incoming) = self.incoming.get(&id).filter(|_| depth < MAX_LINK_DEPTH) else {
            return vec![RouteContext::default()];
        };
        let mut out = Vec::new();
        for (owner, context) in incoming {
            for outer in self.contexts(*owner, depth + 1) {
                let full = context.within(&outer);
                if !out.contains(&full) && out.len() < MAX_CONTEXTS {
                    out.push(full);
                }
            }
        }
        out
    }

    fn is_attached(&self, id: FnId) -> bool {
        self.incoming.contains_key(&id)
    }
}

fn handlers_of_file(
    model: &CrateModel,
    links: &LinkIndex,
    index: usize,
    parsed: &ParsedFile,
) -> Vec<Handler> {
    let mut out = attribute_handlers(model, links, index, parsed);
    for reg in &parsed.facts.registrations {
        out.extend(registered_handlers(model, links, index, reg));
    }
    out
}

fn attribute_handlers(
    model: &CrateModel,
    links: &LinkIndex,
    index: usize,
    parsed: &ParsedFile,
) -> Vec<Handler> {
    let fallback = model
        .crate_hints(index)
        .attribute_framework()
        .unwrap_or(Framework::ActixWeb);
    let mut out = Vec::new();
    for (function, def) in parsed.facts.functions.iter().enumerate() {
        let Some(attr) = def.route_attr.as_ref() else {
            continue;
        };
        let id = FnId {
            file: index,
            function,
        };
        if model.is_test_code(id) || (attr.needs_link && !links.is_attached(id)) {
            continue;
        }
        let contexts = if links.is_attached(id) {
            links.contexts(id, 0)
        } else {
            vec![RouteContext::default()]
        };
        for context in contexts {
            out.push(Handler {
                file: parsed.file.clone(),
                name: def.name.clone(),
                name_span: def.name_span,
                methods: attr.methods.clone(),
                path: attr.path.clone(),
                framework: attr.framework.unwrap_or(fallback),
                function: id,
                context,
            });
        }
    }
    out
}

fn registered_handlers(
    model: &CrateModel,
    links: &LinkIndex,
    index: usize,
    reg: &Registration,
) -> Vec<Handler> {
    let id = match &reg.target {
        HandlerRef::Local(function) => Some(FnId {
            file: index,
            function: *function,
        }),
        HandlerRef::Path(path) => {
            model.resolve_route_target(index, reg.scope, path, reg.self_type.as_deref())
        }
    };
    let Some((id, def)) = id.and_then(|id| Some((id, model.function(id)?))) else {
        return Vec::new();
    };
    if !(def.is_async || def.is_closure) || model.is_test_code(id) {
        return Vec::new();
    }
    let Some(file) = model.file(id.file).map(|f| f.file.clone()) else {
        return Vec::new();
    };
    let owner = FnId {
        file: index,
        function: reg.owner,
    };
    links
        .contexts(owner, 0)
        .into_iter()
        .map(|outer| Handler {
            file: file.clone(),
            name: def.name.clone(),
            name_span: def.name_span,
            methods: reg.methods.clone(),
            path: reg.path.clone(),
            framework: reg.framework,
            function: id,
            context: reg.context.within(&outer),
        })
        .collect()
}
