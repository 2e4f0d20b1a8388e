use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::model::OperationKind;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks the shape of each path: a trailing slash (`/orders/`), a query
    /// string or fragment written into the path (`/orders?status=open`), and a
    /// file extension on the last segment (`/orders.json`, `/report.{format}`).
    /// The root path `/` is fine. A document is judged by its own
    /// convention: a trailing slash or an extension that at least half of its
    /// paths share is its style, and only the paths that break the rest of it
    /// are reported; a `#name` fragment after a URL the document also declares
    /// (`/files/{id}#add_link`) only tells apart two operations on one URL.
    ///
    /// ## Why is this bad?
    /// A path names a resource. Servers and routers treat `/orders` and
    /// `/orders/` as different routes, so a trailing slash leads to 404s or
    /// redirects that drop the body. Query parameters belong in `parameters`
    /// (`in: query`), where clients and validators see them. The representation
    /// is chosen with the `Accept` header and the media types of the response,
    /// not an extension.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/:
    ///     get: {}
    ///   /orders.json?status=open:
    ///     get: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders:
    ///     get:
    ///       parameters:
    ///         - {name: status, in: query, schema: {type: string}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub PathShape {
        code: "OAS013",
        name: "path-shape",
        checklist: ApiRestful,
        group: Pedantic,
        severity: Warning,
        summary: "a path with a trailing slash, a query string or a file extension",
    }
}

impl PathShape {
    /// Reports each badly shaped path once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut seen = HashSet::new();
        let paths: Vec<_> = cx
            .api
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Path && seen.insert(o.name_key))
            .collect();
        let names: HashSet<&str> = paths.iter().map(|o| o.name.as_str()).collect();
        let shapes: Vec<Option<Problem>> = paths
            .iter()
            .map(|o| problem(&o.name).filter(|p| !names_operation_variant(&o.name, *p, &names)))
            .collect();
        // A shape most of the document's paths share is its convention, not a mistake.
        let convention = |wanted: Problem| {
            let with = shapes.iter().filter(|p| **p == Some(wanted)).count();
            wanted != Problem::Query && with >= 2 && with * 2 >= paths.len()
        };
        for (operation, shape) in paths.iter().zip(shapes.iter().copied()) {
            if let Some(problem) = shape.filter(|p| !convention(*p)) {
                sink.push(
                    cx.diagnostic(
                        &Self::META,
                        operation.name_key,
                        message(&operation.name, problem),
                    )
                    .with_help(help(problem)),
                );
            }
        }
    }
}

/// `/files/{id}#add_shared_link` beside `/files/{id}`: a fragment that only
/// tells apart several operations on the same URL in the document (the
/// client never sends it), a known workaround for one operation per method.
fn names_operation_variant(path: &str, problem: Problem, names: &HashSet<&str>) -> bool {
    problem == Problem::Query
        && !path.contains('?')
        && path
            .split_once('#')
            .is_some_and(|(url, _)| names.contains(url))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    TrailingSlash,
    Query,
    Extension,
}

fn problem(path: &str) -> Option<Problem> {
    if path.contains(['?', '#']) {
        return Some(Problem::Query);
    }
    if path.len() > 1 && path.ends_with('/') {
        return Some(Problem::TrailingSlash);
    }
    let last = path.rsplit('/').next().unwrap_or(path);
    let extension = last.rsplit_once('.').map(|(_, e)| e);
    let is_extension = extension.is_some_and(|e| {
        e == "{format}"
            || matches!(
                e.to_ascii_lowercase().as_str(),
                "json"
                    | "xml"
                    | "yaml"
                    | "yml"
                    | "csv"
                    | "html"
                    | "txt"
                    | "php"
                    | "asp"
                    | "aspx"
                    | "jsp"
            )
    });
    is_extension.then_some(Problem::Extension)
}

fn message(path: &str, problem: Problem) -> String {
    match problem {
        Problem::TrailingSlash => format!("path \"{path}\" ends with a slash"),
        Problem::Query => format!("path \"{path}\" contains a query string or fragment"),
        Problem::Extension => format!("path \"{path}\" ends with a file extension"),
    }
}

fn help(problem: Problem) -> &'static str {
    match problem {
        Problem::TrailingSlash => "remove the trailing slash; routers treat `/a` and `/a/` as different routes",
        Problem::Query => "declare query values as `parameters` with `in: query` instead of writing them in the path",
        Problem::Extension => "drop the extension and declare the representations as media types of the response (`Accept` negotiation)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(problem("/orders/"), Some(Problem::TrailingSlash));
        assert_eq!(problem("/orders?x=1"), Some(Problem::Query));
        assert_eq!(problem("/orders.json"), Some(Problem::Extension));
        assert_eq!(problem("/lists/{list}.{format}"), Some(Problem::Extension));
        assert_eq!(problem("/"), None);
        assert_eq!(problem("/orders/{id}"), None);
        assert_eq!(problem("/v1.2/orders"), None);
        assert_eq!(problem("/files/{name}"), None);
    }
}
