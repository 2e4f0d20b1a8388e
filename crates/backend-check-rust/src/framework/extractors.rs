//! Extractor parameters: which bindings of a handler hold request data.

use super::{Framework, Handler};
use crate::model::{FnDef, Param};

/// Extractors whose content comes from the request (axum and actix-web names).
const REQUEST_EXTRACTORS: &[&str] = &[
    "Json",
    "Path",
    "Query",
    "Form",
    "TypedHeader",
    "Multipart",
    "RawQuery",
    "RawForm",
    "Bytes",
    "Payload",
    "MatchedPath",
    "HeaderMap",
    "QsQuery",
    "Either",
];

/// Whether a parameter carries request data into the handler.
pub fn is_request_input(param: &Param, handler: &Handler) -> bool {
    let name = param.type_name();
    if REQUEST_EXTRACTORS.contains(&name) {
        return true;
    }
    if handler.framework == Framework::Rocket {
        let in_path = handler.path.as_deref().is_some_and(|path| {
            param
                .bindings
                .iter()
                .any(|b| path.contains(&format!("<{b}>")) || path.contains(&format!("<{b}..>")))
        });
        return in_path || matches!(name, "String" | "str" | "Form" | "Json");
    }
    false
}

/// The bindings of a handler's request-data parameters.
pub fn request_bindings(def: &FnDef, handler: &Handler) -> Vec<String> {
    def.params
        .iter()
        .filter(|p| is_request_input(p, handler))
        .flat_map(|p| p.bindings.iter().cloned())
        .collect()
}
