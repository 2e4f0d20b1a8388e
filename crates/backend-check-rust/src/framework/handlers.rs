//! Handlers: functions with a route attribute, and the targets of router
//! registrations resolved through the crate model.

use backend_check_core::{guard, Diagnostic};

use super::{FnId, Framework, Handler};
use crate::model::{CrateModel, HandlerRef, ParsedFile, Registration};

/// Every handler of the model that is not test code, and internal errors of
/// files whose handlers could not be collected.
pub fn build_handlers(model: &CrateModel) -> (Vec<Handler>, Vec<Diagnostic>) {
    let mut handlers = Vec::new();
    let mut errors = Vec::new();
    for (index, parsed) in model.files().iter().enumerate() {
        match guard(&parsed.file, || handlers_of_file(model, index, parsed)) {
            Ok(found) => handlers.extend(found),
            Err(diagnostic) => errors.push(diagnostic),
        }
    }
    (handlers, errors)
}

fn handlers_of_file(model: &CrateModel, index: usize, parsed: &ParsedFile) -> Vec<Handler> {
    let mut out = attribute_handlers(model, index, parsed);
    out.extend(
        parsed
            .facts
            .registrations
            .iter()
            .filter_map(|r| registered_handler(model, index, r)),
    );
    out
}

fn attribute_handlers(model: &CrateModel, index: usize, parsed: &ParsedFile) -> Vec<Handler> {
    let fallback = model
        .crate_hints(index)
        .attribute_framework()
        .unwrap_or(Framework::ActixWeb);
    parsed
        .facts
        .functions
        .iter()
        .enumerate()
        .filter_map(|(function, def)| {
            let attr = def.route_attr.as_ref()?;
            let id = FnId {
                file: index,
                function,
            };
            if model.is_test_code(id) {
                return None;
            }
            Some(Handler {
                file: parsed.file.clone(),
                name: def.name.clone(),
                name_span: def.name_span,
                methods: attr.methods.clone(),
                path: attr.path.clone(),
                framework: attr.framework.unwrap_or(fallback),
                function: id,
            })
        })
        .collect()
}

fn registered_handler(model: &CrateModel, index: usize, reg: &Registration) -> Option<Handler> {
    let id = match &reg.target {
        HandlerRef::Local(function) => FnId {
            file: index,
            function: *function,
        },
        HandlerRef::Path(path) => {
            model.resolve(index, reg.scope, path, reg.self_type.as_deref())?
        }
    };
    let def = model.function(id)?;
    if !(def.is_async || def.is_closure) || model.is_test_code(id) {
        return None;
    }
    Some(Handler {
        file: model.file(id.file)?.file.clone(),
        name: def.name.clone(),
        name_span: def.name_span,
        methods: reg.methods.clone(),
        path: reg.path.clone(),
        framework: reg.framework,
        function: id,
    })
}
