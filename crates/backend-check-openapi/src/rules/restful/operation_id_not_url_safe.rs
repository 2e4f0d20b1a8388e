use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `operationId`s with characters that are not URL-safe: anything
    /// but ASCII letters, digits, `-`, `.`, `_` and `~` (the unreserved
    /// characters of RFC 3986) and `/`, which namespaces ids such as
    /// `repos/get` and survives in URL fragments. Spaces, parentheses, braces,
    /// `#`, `?` and non-ASCII letters are reported.
    ///
    /// ## Why is this bad?
    /// Operation ids end up in URLs (documentation anchors, `operationRef`,
    /// links, API consoles) and in generated code as function names. An id such
    /// as `get /users/{id}` or `Créer commande` breaks deep links and turns into
    /// mangled method names in SDKs.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /users/{id}:
    ///     get:
    ///       operationId: get /users/{id}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /users/{id}:
    ///     get:
    ///       operationId: getUser
    /// ```
    ///
    /// ## Options
    /// None.
    pub OperationIdNotUrlSafe {
        code: "OAS022",
        name: "operation-id-not-url-safe",
        checklist: ApiRestful,
        group: Pedantic,
        severity: Warning,
        summary: "an operationId with characters that are not URL-safe",
    }
}

impl OperationIdNotUrlSafe {
    /// Reports each written operationId with unsafe characters once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        for operation in &cx.api.operations {
            let Some((id, at)) = &operation.operation_id else {
                continue;
            };
            if let Some(bad) = first_unsafe(id) {
                if seen.insert(*at) {
                    sink.push(
                        cx.diagnostic(&Self::META, *at, message(id, bad))
                            .with_help(help()),
                    );
                }
            }
        }
    }
}

fn first_unsafe(id: &str) -> Option<char> {
    id.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '/')))
}

fn message(id: &str, bad: char) -> String {
    format!("operationId \"{id}\" contains {bad:?}, which is not URL-safe")
}

fn help() -> &'static str {
    "use only letters, digits, `-`, `.`, `_`, `~` and `/` (e.g. `getUser`, `orders.list`)"
}
