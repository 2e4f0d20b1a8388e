use backend_check_core::{declare_rule, Sink};

use crate::load::{FileTarget, RefSite};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Notes, once per document, that it has `$ref`s to remote `http://` or
    /// `https://` URLs (or other absolute URIs). They are never fetched, so
    /// everything behind them goes unchecked; the run goes on with the rest of
    /// the document. The finding is on the first such reference and says how many
    /// there are.
    ///
    /// ## Why is this bad?
    /// A contract that depends on a remote file changes when that file changes,
    /// without a commit in this repository, and builds break when the host is
    /// down. Reviewers cannot see the whole contract in a pull request, and checks
    /// like this one cannot see it either.
    ///
    /// ## Example
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Problem:
    ///       $ref: 'https://opensource.zalando.com/restful-api-guidelines/models/problem-1.0.1.yaml#/Problem'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Problem:
    ///       $ref: './shared/problem-1.0.1.yaml#/Problem'
    /// ```
    ///
    /// ## Options
    /// None. To accept a remote reference, put `x-backend-check-allow: [OAS003]`
    /// on the mapping that holds it, or lower the rule with `[severity]`.
    pub RemoteRef {
        code: "OAS003",
        name: "remote-ref",
        checklist: ApiContract,
        group: Pedantic,
        severity: Info,
        summary: "a document with `$ref`s to remote URLs, which are not fetched or checked",
    }
}

impl RemoteRef {
    /// Reports the first remote reference of the document, with their count.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let remote: Vec<&RefSite> = cx
            .docs
            .refs
            .iter()
            .filter(|s| s.target == FileTarget::Remote)
            .collect();
        let Some(first) = remote.first() else {
            return;
        };
        sink.push(
            cx.diagnostic(&Self::META, first.value, message(first, remote.len()))
                .with_help(help()),
        );
    }
}

fn message(first: &RefSite, count: usize) -> String {
    match count {
        1 => format!("remote `$ref` \"{}\" is not fetched or checked", first.text),
        n => format!(
            "{n} remote `$ref`s are not fetched or checked, the first is \"{}\"",
            first.text
        ),
    }
}

fn help() -> &'static str {
    "copy the remote definitions into the repository and reference them by relative path, so the contract is versioned and checked with the code"
}
