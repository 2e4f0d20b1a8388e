use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::rules::lookup::path_operations;
use crate::rules::words::words;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds path segments that name an action with a verb: `/getOrders`,
    /// `/users/create`, `/orders/{id}/delete-item`, `/fetch_report`. A segment
    /// is reported when its first word is `get`, `create`, `update`, `delete`,
    /// `remove`, `fetch`, `retrieve`, `modify` or `insert`, or when it starts
    /// with `post`, `put` or `patch` followed by more words (`postComment`; a
    /// lone `post` is a noun). Noun phrases ending in `token`, `request`,
    /// `status` or `event` (`remove-token`, `delete-request`) are things, not
    /// actions, and are not reported. Template parameters and custom methods after a
    /// colon (`/orders/{id}:cancel`) are not checked; action sub-resources
    /// that are nouns (`/search`, `/login`) are fine. Verbs under a deliberate
    /// RPC namespace (`/actions/…`, `/rpc/…`, `/commands/…`) are the document's
    /// design, and so are verbs in at least three quarters of its paths (an RPC
    /// API): only outliers from the document's own style are reported.
    ///
    /// ## Why is this bad?
    /// In a resource-oriented API the HTTP method says what happens and the
    /// path says to what. `POST /users/create` repeats the method and invites
    /// `GET /users/delete?id=1`, which caches, crawlers and prefetchers will call.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /getOrders:
    ///     get: {}
    ///   /users/create:
    ///     post: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get: {}
    ///   /users:
    ///     post: {}
    /// ```
    ///
    /// ## Options
    /// None.
    pub VerbInPath {
        code: "OAS019",
        name: "verb-in-path",
        checklist: ApiRestful,
        group: Pedantic,
        severity: Warning,
        summary: "a path segment that names an action with a verb (`/getOrders`, `/users/create`)",
    }
}

impl VerbInPath {
    /// Reports each path with a verb segment once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let found: Vec<_> = path_operations(cx)
            .filter(|o| seen.insert(o.name_key))
            .map(|o| (o, verb_segment(&o.name)))
            .collect();
        let with_verbs = found.iter().filter(|(_, v)| v.is_some()).count();
        // A document whose paths name actions nearly everywhere is RPC by design.
        if with_verbs >= 3 && with_verbs * 4 >= found.len() * 3 {
            return;
        }
        for (operation, verb) in found {
            if let Some((segment, verb)) = verb {
                sink.push(
                    cx.diagnostic(
                        &Self::META,
                        operation.name_key,
                        message(&operation.name, segment, &verb),
                    )
                    .with_help(help()),
                );
            }
        }
    }
}

const VERBS: &[&str] = &[
    "get", "create", "update", "delete", "remove", "fetch", "retrieve", "modify", "insert",
];

/// Last words that make `remove-token`, `delete-request` a thing, not an action.
const NOUN_HEADS: &[&str] = &[
    "token", "tokens", "request", "requests", "status", "event", "events",
];

const COMPOUND_ONLY: &[&str] = &["post", "put", "patch"];

/// Segments under which a document keeps its deliberate RPC calls (`/actions/…`).
const RPC_NAMESPACES: &[&str] = &[
    "actions",
    "action",
    "rpc",
    "commands",
    "command",
    "functions",
    "methods",
    "procedures",
    "operations",
];

/// The first segment of a path that starts with a verb, and the verb.
fn verb_segment(path: &str) -> Option<(&str, String)> {
    let segments: Vec<&str> = path.split('/').collect();
    let namespace = segments
        .iter()
        .position(|s| RPC_NAMESPACES.contains(&s.to_ascii_lowercase().as_str()));
    let checked = match namespace {
        Some(at) => segments.get(..at).unwrap_or_default(),
        None => &segments,
    };
    checked
        .iter()
        .copied()
        .filter(|s| !s.contains(['{', ':', '.']))
        .find_map(|segment| {
            let words = words(segment);
            let first = words.first()?;
            let noun_phrase = words.len() > 1
                && words
                    .last()
                    .is_some_and(|w| NOUN_HEADS.contains(&w.as_str()));
            let is_verb = !noun_phrase
                && (VERBS.contains(&first.as_str())
                    || (COMPOUND_ONLY.contains(&first.as_str()) && words.len() > 1));
            is_verb.then(|| (segment, first.clone()))
        })
}

fn message(path: &str, segment: &str, verb: &str) -> String {
    format!(
        "path \"{path}\" names an action: segment \"{segment}\" starts with the verb \"{verb}\""
    )
}

fn help() -> &'static str {
    "name the resource with a noun and let the HTTP method say what happens (`POST /users`, not `POST /users/create`)"
}

#[cfg(test)]
mod tests {
    use super::verb_segment;

    #[test]
    fn verbs() {
        for path in [
            "/getOrders",
            "/users/create",
            "/orders/{id}/delete-item",
            "/fetch_report",
            "/postComment",
            "/v1/update",
        ] {
            assert!(verb_segment(path).is_some(), "{path}");
        }
        for path in [
            "/posts",
            "/post/{id}",
            "/updates",
            "/orders/{id}:cancel",
            "/search",
            "/getaway",
            "/patches",
            "/delete.json",
            "/{getId}",
            "/runners/remove-token",
            "/servers/{id}/actions/update-image",
        ] {
            assert!(verb_segment(path).is_none(), "{path}");
        }
    }
}
