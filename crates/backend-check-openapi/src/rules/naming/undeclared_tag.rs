use std::collections::HashSet;

use backend_check_core::{declare_rule, Severity, Sink};

use crate::rules::lookup::{document_key, operation_tags};
use crate::rules::words::count;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds tags that operations use but the top-level `tags` list does not
    /// declare. Each undeclared tag is reported once, where it is first used.
    /// A document with no (or an empty) top-level `tags` list gets a single information
    /// finding instead.
    ///
    /// ## Why is this bad?
    /// Documentation tools group operations by tag and take each group's
    /// description and order from the top-level list. An undeclared tag, often a
    /// typo (`Order` for `Orders`), becomes a group without description, or a
    /// second group of the same resource.
    ///
    /// ## Example
    /// ```yaml
    /// tags:
    ///   - {name: orders, description: Placing and tracking orders}
    /// paths:
    ///   /orders:
    ///     get:
    ///       tags: [order]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// tags:
    ///   - {name: orders, description: Placing and tracking orders}
    /// paths:
    ///   /orders:
    ///     get:
    ///       tags: [orders]
    /// ```
    ///
    /// ## Options
    /// None.
    pub UndeclaredTag {
        code: "OAS024",
        name: "undeclared-tag",
        checklist: ApiNaming,
        group: Suspicious,
        severity: Warning,
        summary: "a tag used by an operation but not declared in the top-level `tags`",
    }
}

impl UndeclaredTag {
    /// Reports each undeclared tag at its first use.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let declared: HashSet<&str> = cx.api.tags.iter().map(|(n, _)| n.as_str()).collect();
        let has_list = !cx.api.tags.is_empty();
        let mut reported = HashSet::new();
        let mut used = 0;
        for operation in &cx.api.operations {
            for (tag, at) in operation_tags(cx, operation) {
                if declared.contains(tag.as_str()) || !reported.insert(tag.clone()) {
                    continue;
                }
                used += 1;
                if has_list {
                    sink.push(
                        cx.diagnostic(&Self::META, at, message(&tag))
                            .with_help(help()),
                    );
                }
            }
        }
        if !has_list && used > 0 {
            sink.push(
                cx.diagnostic(&Self::META, document_key(cx), no_list_message(used))
                    .with_help(help())
                    .with_severity(Severity::Info),
            );
        }
    }
}

fn message(tag: &str) -> String {
    format!("tag \"{tag}\" is not declared in the top-level `tags`")
}

fn no_list_message(used: usize) -> String {
    format!(
        "operations use {} but the document declares none in a top-level `tags` list",
        count(used, "tag")
    )
}

fn help() -> &'static str {
    "declare every tag in the top-level `tags` list, with a description"
}
