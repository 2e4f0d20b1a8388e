use backend_check_core::{declare_rule, Sink};

use crate::rules::lookup::{has_text, tag_name_at};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds tags in the top-level `tags` list without a `description`.
    ///
    /// ## Why is this bad?
    /// Documentation tools show a tag as a section of the reference, and its
    /// description as the introduction to that section: what the resource is,
    /// how its operations fit together. Without it, the section is a bare list
    /// of endpoints.
    ///
    /// ## Example
    /// ```yaml
    /// tags:
    ///   - name: orders
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// tags:
    ///   - name: orders
    ///     description: Orders placed by customers, from checkout to delivery.
    /// ```
    ///
    /// ## Options
    /// None.
    pub UndocumentedTag {
        code: "OAS033",
        name: "undocumented-tag",
        checklist: ApiDocs,
        group: Pedantic,
        severity: Info,
        summary: "a declared tag without description",
    }
}

impl UndocumentedTag {
    /// Reports each declared tag without description.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for (name, tag) in &cx.api.tags {
            if !has_text(cx, *tag, "description") {
                sink.push(
                    cx.diagnostic(&Self::META, tag_name_at(cx, *tag), message(name))
                        .with_help(help()),
                );
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("tag \"{name}\" has no description")
}

fn help() -> &'static str {
    "describe the resource or area the tag groups in its `description`"
}
