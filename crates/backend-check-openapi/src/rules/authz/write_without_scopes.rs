use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{Operation, Requirement, SchemeKind};
use crate::rules::lookup::path_operations;
use crate::rules::words::count;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds write operations (POST, PUT, PATCH, DELETE) whose security
    /// requirement names an OAuth 2.0 scheme that declares scopes, or an
    /// OpenID Connect scheme, with an empty scope list. A requirement written at
    /// the document level is reported once, with the number of write
    /// operations it covers; one written on an operation is reported there.
    ///
    /// ## Why is this bad?
    /// An empty scope list means any valid token may call the operation: a
    /// token issued to a read-only reporting integration can delete orders.
    /// Scopes are how OAuth limits what a token may do, and write operations
    /// are where the limit matters.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /orders/{id}:
    ///     delete:
    ///       security:
    ///         - oauth: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /orders/{id}:
    ///     delete:
    ///       security:
    ///         - oauth: [orders:write]
    /// ```
    ///
    /// ## Options
    /// None.
    pub WriteWithoutScopes {
        code: "OAS042",
        name: "write-without-scopes",
        checklist: SecAuthz,
        group: Pedantic,
        severity: Warning,
        summary: "a write operation that requires an OAuth 2.0 or OpenID Connect scheme without any scope",
    }
}

impl WriteWithoutScopes {
    /// Reports requirement entries without scopes on write operations.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut own_seen = HashSet::new();
        let mut by_document: Vec<(String, At, usize)> = Vec::new();
        for operation in path_operations(cx).filter(|o| o.is_write()) {
            let (security, own) = match &operation.security {
                Some(own) => (own, true),
                None => match &cx.api.security {
                    Some(document) => (document, false),
                    None => continue,
                },
            };
            for (name, key) in unscoped(cx, &security.requirements) {
                if own {
                    if own_seen.insert(key) {
                        sink.push(
                            cx.diagnostic(&Self::META, key, message(operation, &name))
                                .with_help(help()),
                        );
                    }
                } else if let Some(entry) = by_document.iter_mut().find(|e| e.1 == key) {
                    entry.2 += 1;
                } else {
                    by_document.push((name, key, 1));
                }
            }
        }
        for (name, key, writes) in by_document {
            sink.push(
                cx.diagnostic(&Self::META, key, document_message(&name, writes))
                    .with_help(help()),
            );
        }
    }
}

/// The scheme entries of the requirements that need scopes and list none.
fn unscoped(cx: &Context<'_>, requirements: &[Requirement]) -> Vec<(String, At)> {
    requirements
        .iter()
        .flat_map(|r| r.schemes.iter())
        .filter(|(name, _, scopes)| scopes.is_empty() && takes_scopes(cx, name))
        .map(|(name, key, _)| (name.clone(), *key))
        .collect()
}

fn takes_scopes(cx: &Context<'_>, name: &str) -> bool {
    match cx.api.scheme(name).map(|s| &s.kind) {
        Some(SchemeKind::OAuth2 { scopes }) => !scopes.is_empty(),
        Some(SchemeKind::OpenIdConnect) => true,
        _ => false,
    }
}

fn message(operation: &Operation, scheme: &str) -> String {
    format!(
        "write {} requires \"{scheme}\" without any scope",
        operation.describe()
    )
}

fn document_message(scheme: &str, writes: usize) -> String {
    format!(
        "document-wide requirement \"{scheme}\" lists no scope, so any token may call {}",
        count(writes, "write operation")
    )
}

fn help() -> &'static str {
    "list the scopes a token needs for the operation (e.g. `[orders:write]`)"
}
