use backend_check_core::{declare_rule, Sink};

use crate::model::{Method, Operation, OperationKind};
use crate::rules::words::words;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds POST operations on a collection that answer success only with
    /// `200` or `204`, not with `201 Created` (or `202 Accepted` for work done
    /// later). A collection is a path whose last segment is a plural noun and
    /// not a path parameter: `/orders`, `/users/{id}/addresses`. POSTs to
    /// actions (`/search`, `/orders/query`, `/points/batch`, `/login`,
    /// `/orders/{id}:cancel`, `/contacts/search/emails`, or an operationId
    /// such as `searchContacts`, `validateAddresses`) compute
    /// rather than create and are not reported, nor are
    /// operations with a `2XX` range. When the document never uses `201`, a
    /// deliberate convention, or when two thirds of its creations answer `200`, it
    /// gets one finding instead of one per operation.
    /// The rule is advisory (`info`): whether a POST creates is a guess from the path.
    ///
    /// ## Why is this bad?
    /// `201` tells clients and caches that a resource now exists, and with a
    /// `Location` header where it is. SDK generators, API gateways and
    /// retry logic rely on it; a `200` makes a creation look like any other call.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '200':
    ///           description: the order
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     post:
    ///       responses:
    ///         '201':
    ///           description: the order was created
    ///           headers:
    ///             Location: {schema: {type: string}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub CreateWithout201 {
        code: "OAS009",
        name: "create-without-201",
        checklist: ApiStatusCodes,
        group: Pedantic,
        severity: Info,
        summary: "a POST to a collection that does not declare 201 Created or 202 Accepted",
    }
}

impl CreateWithout201 {
    /// Reports POSTs to collections without 201/202; once per document when
    /// the document never uses 201 (a deliberate convention of answering 200).
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let offending: Vec<&Operation> = cx
            .api
            .operations
            .iter()
            .filter(|o| is_creation(o) && !declares_created(o))
            .collect();
        let Some(first) = offending.first() else {
            return;
        };
        // When creations answering 200 outnumber the others two to one, that is the document's convention:
        // one finding says so, and the few that do use 201 are not the outliers.
        let created = cx
            .api
            .operations
            .iter()
            .filter(|o| creates(o) && declares_created(o))
            .count();
        let uses_201 = cx.api.operations.iter().any(declares_created);
        if (!uses_201 || offending.len() > 2 * created) && offending.len() > 1 {
            let at = first.responses_key.unwrap_or(first.method_key);
            sink.push(
                cx.diagnostic(&Self::META, at, convention_message(first, offending.len()))
                    .with_help(help()),
            );
            return;
        }
        for operation in offending {
            let at = operation.responses_key.unwrap_or(operation.method_key);
            sink.push(
                cx.diagnostic(&Self::META, at, message(operation))
                    .with_help(help()),
            );
        }
    }
}

/// A POST to a collection that does not compute.
fn creates(operation: &Operation) -> bool {
    operation.kind == OperationKind::Path
        && operation.method == Method::Post
        && is_collection(&operation.name)
        && !computes(operation)
}

fn is_creation(operation: &Operation) -> bool {
    creates(operation)
        && operation
            .responses
            .iter()
            .any(|r| matches!(r.status.as_str(), "200" | "204"))
}

fn declares_created(operation: &Operation) -> bool {
    operation
        .responses
        .iter()
        .any(|r| matches!(r.status.as_str(), "201" | "202") || r.status.eq_ignore_ascii_case("2XX"))
}

const ACTIONS: &[&str] = &[
    "search",
    "query",
    "batch",
    "bulk",
    "login",
    "logout",
    "token",
    "tokens",
    "refresh",
    "verify",
    "validate",
    "preview",
    "calculate",
    "estimates",
    "exists",
    "counts",
    "details",
    "stats",
    "status",
    "settings",
    "preferences",
    "permissions",
    "graphql",
    "rpc",
    "events",
    "webhooks",
    "messages",
    "notifications",
    "results",
    "reports",
    "metrics",
    "logs",
    "operations",
];

/// First words of an operationId that compute rather than create.
const COMPUTE_VERBS: &[&str] = &[
    "search",
    "query",
    "find",
    "list",
    "get",
    "lookup",
    "calculate",
    "compute",
    "estimate",
    "preview",
    "validate",
    "verify",
    "check",
    "test",
    "simulate",
    "count",
    "render",
    "convert",
    "resolve",
    "batch",
    "bulk",
    "export",
    "match",
    "translate",
];

/// Segments under which every POST computes (`/contacts/search/emails`).
const COMPUTE_SEGMENTS: &[&str] = &[
    "search",
    "query",
    "batch",
    "bulk",
    "preview",
    "calculate",
    "validate",
    "verify",
    "estimates",
    "graphql",
    "rpc",
    "lookup",
];

/// A POST that computes rather than creates: an action segment anywhere in
/// the path (`/contacts/search/emails`), or an operationId that starts with a
/// verb of computing (`searchContacts`, `validateAddresses`).
fn computes(operation: &Operation) -> bool {
    let segments: Vec<&str> = operation.name.split('/').collect();
    let action_segment = segments
        .iter()
        .rev()
        .skip(1)
        .any(|s| COMPUTE_SEGMENTS.contains(&s.to_ascii_lowercase().as_str()));
    let compute_id = operation.operation_id.as_ref().is_some_and(|(id, _)| {
        words(id)
            .first()
            .is_some_and(|w| COMPUTE_VERBS.contains(&w.as_str()))
    });
    action_segment || compute_id
}

/// `/orders`, `/users/{id}/addresses`: a plain plural last segment that names no action.
fn is_collection(path: &str) -> bool {
    let Some(last) = path.trim_end_matches('/').rsplit('/').next() else {
        return false;
    };
    let plain = !last.is_empty()
        && last
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
    let word = last.rsplit(['-', '_']).next().unwrap_or(last);
    plain
        && word.len() > 3
        && word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("us")
        && !ACTIONS.contains(&word)
        && !ACTIONS.contains(&last)
}

fn message(operation: &Operation) -> String {
    format!(
        "{} creates in a collection but declares no 201 Created or 202 Accepted response",
        operation.describe()
    )
}

fn convention_message(first: &Operation, count: usize) -> String {
    format!(
        "{count} POSTs to collections, like {}, answer 200 and none declares 201 Created or 202 Accepted",
        first.describe()
    )
}

fn help() -> &'static str {
    "answer a creation with `201` (and a `Location` header), or `202` when it completes later"
}

#[cfg(test)]
mod tests {
    use super::is_collection;

    #[test]
    fn collections() {
        for path in [
            "/orders",
            "/users/{id}/addresses",
            "/v1/line_items",
            "/pets/",
        ] {
            assert!(is_collection(path), "{path}");
        }
        for path in [
            "/search",
            "/orders/{id}",
            "/orders/search",
            "/points/batch",
            "/status",
            "/orders/{id}:cancel",
            "/address",
            "/v1/pets.json",
            "/users/{id}/access",
        ] {
            assert!(!is_collection(path), "{path}");
        }
    }
}
