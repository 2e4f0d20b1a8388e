use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::child;
use crate::rules::lookup::{has_text, key_of};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks the `info` object: it should have a `description`, a `contact`
    /// with a `url` or an `email`, and a `license` with a `url` (or, from 3.1
    /// on, an SPDX `identifier`). Each missing piece is one finding.
    ///
    /// ## Why is this bad?
    /// `info` is the cover page of the API. Without a description, readers
    /// do not learn what the API is for; without a contact, consumers who find
    /// a bug or a breaking change have nobody to tell; without a license,
    /// partners cannot know on which terms they may use the API and its SDKs.
    ///
    /// ## Example
    /// ```yaml
    /// info:
    ///   title: Shop
    ///   version: 1.0.0
    ///   contact:
    ///     name: API team
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// info:
    ///   title: Shop
    ///   version: 1.0.0
    ///   description: Orders, customers and payments of the shop.
    ///   contact:
    ///     name: API team
    ///     email: api@shop.io
    ///   license:
    ///     name: Apache 2.0
    ///     identifier: Apache-2.0
    /// ```
    ///
    /// ## Options
    /// None.
    pub IncompleteInfo {
        code: "OAS030",
        name: "incomplete-info",
        checklist: ApiDocs,
        group: Pedantic,
        severity: Info,
        summary: "an `info` object without description, contact (url or email) or license (url)",
    }
}

impl IncompleteInfo {
    /// Reports each missing part of `info`.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(info_key) = key_of(cx, cx.api.root, "info") else {
            return;
        };
        let Some(info) = child(cx.docs, cx.api.root, "info").map(|i| cx.docs.follow(i)) else {
            return;
        };
        let mut push = |at: At, missing: &str| {
            sink.push(
                cx.diagnostic(&Self::META, at, message(missing))
                    .with_help(help(missing)),
            );
        };
        if !has_text(cx, info, "description") {
            push(info_key, "a description");
        }
        match (key_of(cx, info, "contact"), child(cx.docs, info, "contact")) {
            (Some(key), Some(contact)) => {
                if !has_text(cx, contact, "url") && !has_text(cx, contact, "email") {
                    push(key, "a contact url or email");
                }
            }
            _ => push(info_key, "a contact"),
        }
        match (key_of(cx, info, "license"), child(cx.docs, info, "license")) {
            (Some(key), Some(license)) => {
                if !has_text(cx, license, "url") && !has_text(cx, license, "identifier") {
                    push(key, "a license url");
                }
            }
            _ => push(info_key, "a license"),
        }
    }
}

fn message(missing: &str) -> String {
    format!("info has no {}", missing.trim_start_matches("a "))
}

fn help(missing: &str) -> &'static str {
    match missing {
        "a description" => "describe in `info.description` what the API is for and who may use it",
        "a contact" => "add `info.contact` with the team's `email` or `url`",
        "a contact url or email" => {
            "give `info.contact` an `email` or a `url` where consumers can reach the team"
        }
        "a license" => {
            "add `info.license` with its `name` and `url` (or an SPDX `identifier` in 3.1)"
        }
        _ => "give `info.license` a `url` to the license text (or an SPDX `identifier` in 3.1)",
    }
}
