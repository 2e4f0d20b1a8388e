use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::rules::support_a::{operation_tags, tag_name_at};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds tags declared in the top-level `tags` list that no operation (or
    /// webhook) uses.
    ///
    /// ## Why is this bad?
    /// A declared tag becomes an empty section of the documentation. It is
    /// usually left over from a removed or renamed endpoint, or its operations
    /// use a misspelled tag.
    ///
    /// ## Example
    /// ```yaml
    /// tags:
    ///   - {name: orders, description: Placing orders}
    ///   - {name: invoices, description: Billing}
    /// paths:
    ///   /orders:
    ///     get:
    ///       tags: [orders]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// tags:
    ///   - {name: orders, description: Placing orders}
    /// paths:
    ///   /orders:
    ///     get:
    ///       tags: [orders]
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnusedTag {
        code: "OAS026",
        name: "unused-tag",
        checklist: ApiNaming,
        group: Pedantic,
        severity: Info,
        summary: "a tag declared in the top-level `tags` that no operation uses",
    }
}

impl UnusedTag {
    /// Reports declared tags without operations.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if !sink.enabled(&Self::META) || cx.api.operations.is_empty() {
            return;
        }
        let used: HashSet<String> = cx
            .api
            .operations
            .iter()
            .flat_map(|o| operation_tags(cx, o).into_iter().map(|(name, _)| name))
            .collect();
        let mut reported = HashSet::new();
        for (name, tag) in &cx.api.tags {
            if !used.contains(name) && reported.insert(name.as_str()) {
                sink.push(
                    cx.diagnostic(&Self::META, tag_name_at(cx, *tag), message(name))
                        .with_help(help()),
                );
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("tag \"{name}\" is declared but no operation uses it")
}

fn help() -> &'static str {
    "remove the tag, or add it to the operations it describes"
}
