use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, Method, OperationKind, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `callbacks` and `servers` where OpenAPI gives them no meaning:
    /// `callbacks` inside an operation of a callback (3.x), and `callbacks`
    /// or `servers` in a webhook's path item or operation (3.1).
    ///
    /// ## Why is this bad?
    /// A callback or webhook request is sent by the API to a URL the
    /// subscriber chose; the API's own servers do not apply to it, and a
    /// callback of a callback describes a request nobody makes. Tools ignore
    /// these keys or fail on them, so whatever they were meant to say is lost.
    ///
    /// ## Example
    /// ```yaml
    /// webhooks:
    ///   orderShipped:
    ///     post:
    ///       servers: [{url: https://hooks.example.com}]
    ///       responses: {'200': {description: received}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// webhooks:
    ///   orderShipped:
    ///     post:
    ///       description: Sent to the URL registered with `POST /subscriptions`.
    ///       responses: {'200': {description: received}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub MisplacedCallbacksOrServers {
        code: "OAS085",
        name: "misplaced-callbacks-or-servers",
        checklist: ApiContract,
        group: Suspicious,
        severity: Warning,
        summary: "callbacks inside a callback, or callbacks or servers in a webhook",
    }
}

impl MisplacedCallbacksOrServers {
    /// Reports each misplaced `callbacks` or `servers` key once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.version == SpecVersion::Swagger2 {
            return;
        }
        let mut seen = HashSet::new();
        if cx.api.version.has_webhooks() {
            webhooks(cx, &mut seen, sink);
        }
        let mut callbacks: Vec<At> = cx
            .api
            .operations
            .iter()
            .filter(|o| o.kind == OperationKind::Path)
            .filter_map(|o| child(cx.docs, o.node, "callbacks"))
            .collect();
        if let Some(components) = child(cx.docs, cx.api.root, "components") {
            callbacks.extend(child(cx.docs, components, "callbacks"));
        }
        for map in callbacks {
            for callback in values(cx, cx.docs.follow(map)) {
                for item in values(cx, callback) {
                    for operation in operations(cx, item) {
                        report(
                            cx,
                            operation,
                            "callbacks",
                            "a callback operation",
                            &mut seen,
                            sink,
                        );
                    }
                }
            }
        }
    }
}

fn webhooks(cx: &Context<'_>, seen: &mut HashSet<At>, sink: &mut Sink<'_>) {
    let Some(hooks) = child(cx.docs, cx.api.root, "webhooks") else {
        return;
    };
    for item in values(cx, hooks) {
        report(cx, item, "servers", "a webhook", seen, sink);
        for operation in operations(cx, item) {
            report(cx, operation, "servers", "a webhook operation", seen, sink);
            report(
                cx,
                operation,
                "callbacks",
                "a webhook operation",
                seen,
                sink,
            );
        }
    }
}

/// The values of a mapping's non-extension members, `$ref`s followed.
fn values(cx: &Context<'_>, map: At) -> Vec<At> {
    let tree = cx.docs.tree(map.file);
    tree.members(map.node)
        .filter(|e| tree.text(e.key).is_some_and(|k| !k.starts_with("x-")))
        .map(|e| cx.docs.follow(At::new(map.file, e.value)))
        .collect()
}

/// The operations of a path item.
fn operations(cx: &Context<'_>, item: At) -> Vec<At> {
    let tree = cx.docs.tree(item.file);
    tree.members(item.node)
        .filter(|e| {
            tree.text(e.key)
                .is_some_and(|k| Method::from_key(k, cx.api.version).is_some())
        })
        .map(|e| At::new(item.file, e.value))
        .collect()
}

fn report(
    cx: &Context<'_>,
    owner: At,
    keyword: &str,
    place: &str,
    seen: &mut HashSet<At>,
    sink: &mut Sink<'_>,
) {
    let tree = cx.docs.tree(owner.file);
    let Some(entry) = tree.get(owner.node, keyword) else {
        return;
    };
    let key = At::new(owner.file, entry.key);
    if !seen.insert(key) {
        return;
    }
    let diagnostic = cx
        .diagnostic(
            &MisplacedCallbacksOrServers::META,
            key,
            message(keyword, place),
        )
        .with_help(help(keyword));
    sink.push(diagnostic);
}

fn message(keyword: &str, place: &str) -> String {
    format!("`{keyword}` in {place} has no effect")
}

fn help(keyword: &str) -> &'static str {
    if keyword == "servers" {
        "remove `servers`: the receiver of a webhook chooses its own URL; describe it in the webhook's description"
    } else {
        "remove the nested `callbacks`, or declare the callback on the operation that registers it"
    }
}
