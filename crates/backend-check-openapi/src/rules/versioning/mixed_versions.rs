use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::OperationKind;
use crate::rules::Context;

use super::{version_in_segment, version_in_url};

declare_rule! {
    /// ## What it does
    /// Collects the versions a document's server URLs and paths name (`/v1`,
    /// `/v2beta1`, `/2.0`) and, when there is more than one, reports the first
    /// server or path of each version other than the most used one (`v2` and
    /// `2` count as one version). Pre-release versions (`v1beta1`) are left
    /// out: they are served next to stable ones by design. The finding
    /// is information: serving two versions from one document can be deliberate
    /// during a migration, but it should be a decision. Only the version a path
    /// starts with (`/v2/…`, `/api/v2/…`) is the API's: `/segments/2.0` versions
    /// one resource. Three or more versions side by side (`/v1/teams`,
    /// `/v2/aliases`, `/v13/deployments`) are per-endpoint versioning, the
    /// document's design, and are not reported.
    ///
    /// ## Why is this bad?
    /// One document is one contract. Mixing `/v1/orders` with `/v2/customers`
    /// usually means an endpoint was copied from another version by mistake, or
    /// that a client written against the document will call two versions with
    /// different rules. Separate documents per version keep each contract whole.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /v1/orders:
    ///     get: {}
    ///   /v1/customers:
    ///     get: {}
    ///   /v2/invoices:
    ///     get: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /v1/orders:
    ///     get: {}
    ///   /v1/customers:
    ///     get: {}
    ///   /v1/invoices:
    ///     get: {}
    /// ```
    ///
    /// ## Options
    /// None.
    pub MixedVersions {
        code: "OAS028",
        name: "mixed-versions",
        checklist: ApiVersioning,
        group: Pedantic,
        severity: Info,
        summary: "server URLs or paths of one document that name different API versions",
    }
}

impl MixedVersions {
    /// Reports the first use of each minority version.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut uses: Vec<(String, At, String)> = Vec::new();
        for server in &cx.api.servers {
            if let Some(version) = version_in_url(&server.url).filter(|v| is_stable(v)) {
                uses.push((version, server.node, format!("server \"{}\"", server.url)));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for operation in &cx.api.operations {
            if operation.kind != OperationKind::Path || !seen.insert(operation.name_key) {
                continue;
            }
            if let Some(version) = api_version_of_path(&operation.name).filter(|v| is_stable(v)) {
                uses.push((
                    version,
                    operation.name_key,
                    format!("path \"{}\"", operation.name),
                ));
            }
        }
        report(cx, sink, &uses);
    }
}

/// The version a path starts with (`/v2/…`, `/api/v2/…`). A version further
/// down (`/marketing/segments/2.0`) versions one resource, not the API.
fn api_version_of_path(path: &str) -> Option<String> {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    let first = segments.next()?;
    if let Some(version) = version_in_segment(first) {
        return Some(version);
    }
    let prefix = matches!(
        first.to_ascii_lowercase().as_str(),
        "api" | "rest" | "apis" | "service" | "services"
    );
    segments
        .next()
        .filter(|_| prefix)
        .and_then(version_in_segment)
}

/// Pre-releases (`v1beta1`, `v2alpha`) live next to stable versions by design.
fn is_stable(version: &str) -> bool {
    !["alpha", "beta", "rc"].iter().any(|p| version.contains(p))
}

fn report(cx: &Context<'_>, sink: &mut Sink<'_>, uses: &[(String, At, String)]) {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (version, _, _) in uses {
        *counts.entry(key(version)).or_default() += 1;
    }
    // Three or more versions side by side are per-endpoint versioning
    // (`/v1/teams`, `/v2/aliases`, `/v13/deployments`): the document's design.
    if counts.len() != 2 {
        return;
    }
    let Some((dominant, dominant_count)) = counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(v, n)| (*v, *n))
    else {
        return;
    };
    let mut reported = std::collections::HashSet::new();
    for (version, at, what) in uses {
        if key(version) != dominant && reported.insert(key(version)) {
            sink.push(
                cx.diagnostic(
                    &MixedVersions::META,
                    *at,
                    message(what, version, shown(uses, dominant), dominant_count),
                )
                .with_help(help()),
            );
        }
    }
}

/// How the document first writes a version.
fn shown<'a>(uses: &'a [(String, At, String)], dominant: &'a str) -> &'a str {
    uses.iter()
        .map(|(v, _, _)| v.as_str())
        .find(|v| key(v) == dominant)
        .unwrap_or(dominant)
}

/// `v1.33` and `1.33` are the same version.
fn key(version: &str) -> &str {
    version.trim_start_matches('v')
}

fn message(what: &str, version: &str, dominant: &str, count: usize) -> String {
    format!("{what} names version {version}, but {count} servers and paths of the document name version {dominant}")
}

fn help() -> &'static str {
    "describe one API version per document, or confirm the mix is deliberate with `x-backend-check-allow: [OAS028]`"
}
