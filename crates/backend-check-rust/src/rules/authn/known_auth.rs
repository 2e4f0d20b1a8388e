//! Authentication the application writes itself: extractors and request
//! guards whose `FromRequestParts` / `FromRequest` impl reads credentials,
//! and middleware or filter functions that do (`from_fn(check_api_key)`,
//! warp `.and(with_auth())`). Found once per run from the crate model.

use std::collections::HashSet;

use backend_check_core::RustConfig;

use crate::model::{CrateModel, FnDef};
use crate::names::matches_any;

/// Traits whose impl makes a type an extractor or request guard.
const EXTRACTOR_TRAITS: &[&str] = &[
    "FromRequestParts",
    "FromRequest",
    "OptionalFromRequestParts",
    "OptionalFromRequest",
];

/// Methods of those traits.
const EXTRACTOR_METHODS: &[&str] = &["from_request_parts", "from_request"];

/// Words of argument literals, header constants and method names that show
/// a function reads credentials (matched in lower case, as substrings).
const CREDENTIAL_WORDS: &[&str] = &[
    "authorization",
    "auth",
    "bearer",
    "api-key",
    "api_key",
    "apikey",
    "token",
    "cookie",
    "session",
    "jwt",
    "credential",
    "password",
    "signature",
];

/// Function names too generic to stand for middleware in a layer expression.
const GENERIC_NAMES: &[&str] = &[
    "new", "call", "layer", "default", "from", "into", "build", "with", "clone", "map", "and",
];

/// Tower and actix layers that authenticate whatever their names say.
const AUTH_LAYERS: &[&str] = &[
    "ValidateRequestHeaderLayer",
    "ValidateRequestHeader",
    "RequireAuthorizationLayer",
    "AsyncRequireAuthorizationLayer",
    "HttpAuthentication",
];

/// The authentication a run's code provides itself.
#[derive(Debug, Default)]
pub struct KnownAuth {
    /// Types whose extractor impl reads credentials.
    pub extractors: HashSet<String>,
    /// Non-generic names of functions that read credentials.
    pub functions: HashSet<String>,
}

impl KnownAuth {
    /// Finds the extractors and functions of the model that read credentials.
    pub fn find(model: &CrateModel, config: &RustConfig) -> KnownAuth {
        let mut known = KnownAuth::default();
        for (id, def) in model.functions() {
            if def.is_closure || model.is_test_code(id) {
                continue;
            }
            let reads = reads_credentials(def, config)
                || model.direct_callees(id).iter().any(|c| {
                    model
                        .function(c.function)
                        .is_some_and(|callee| reads_credentials(callee, config))
                });
            if !reads {
                continue;
            }
            if is_extractor_impl(def) {
                if let Some(ty) = &def.self_type {
                    known.extractors.insert(ty.clone());
                }
            } else if !GENERIC_NAMES.contains(&def.name.as_str()) {
                known.functions.insert(def.name.clone());
            }
        }
        known
    }

    /// Whether an identifier of a layer or filter expression names
    /// authentication: a known auth layer, an auth function or extractor of the code.
    pub fn names_auth(&self, ident: &str) -> bool {
        AUTH_LAYERS.contains(&ident)
            || self.functions.contains(ident)
            || self.extractors.contains(ident)
    }
}

fn is_extractor_impl(def: &FnDef) -> bool {
    EXTRACTOR_METHODS.contains(&def.name.as_str())
        && def
            .trait_name
            .as_deref()
            .is_some_and(|t| EXTRACTOR_TRAITS.contains(&t))
}

/// Whether a body reads credentials: it names an `Authorization` header, a
/// bearer token, an API-key header, a cookie or session, or calls something
/// named like authentication (`rust.auth-middleware` patterns).
pub fn reads_credentials(def: &FnDef, config: &RustConfig) -> bool {
    let body = &def.body;
    let argument_words = body
        .method_calls
        .iter()
        .filter_map(|c| c.first_arg.as_deref())
        .chain(body.calls.iter().filter_map(|c| c.first_arg.as_deref()));
    let call_names = body.method_calls.iter().map(|c| c.method.as_str()).chain(
        body.calls
            .iter()
            .flat_map(|c| c.path.iter().map(String::as_str)),
    );
    argument_words
        .chain(call_names.clone())
        .any(has_credential_word)
        || call_names
            .clone()
            .any(|n| matches_any(n, &config.auth_middleware))
        || def.params.iter().any(|p| {
            p.inner
                .as_deref()
                .is_some_and(|inner| inner.rsplit("::").next().is_some_and(has_credential_word))
        })
}

fn has_credential_word(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    CREDENTIAL_WORDS.iter().any(|w| lower.contains(w))
}
