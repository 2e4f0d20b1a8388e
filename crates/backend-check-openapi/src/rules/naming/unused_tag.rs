use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::NodeId;
use crate::rules::lookup::{operation_tags, tag_name_at};
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
        group: Suspicious,
        severity: Info,
        summary: "a tag declared in the top-level `tags` that no operation uses",
    }
}

impl UnusedTag {
    /// Reports declared tags without operations.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.operations.is_empty() {
            return;
        }
        let mut used: HashSet<String> = cx
            .api
            .operations
            .iter()
            .flat_map(|o| operation_tags(cx, o).into_iter().map(|(name, _)| name))
            .collect();
        used.extend(tags_outside_paths(cx));
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

/// Tags that webhooks (`webhooks` before 3.1, `x-webhooks`) and Redoc's
/// `x-tagGroups` use: the tag is used, just not by an operation under `paths`.
fn tags_outside_paths(cx: &Context<'_>) -> Vec<String> {
    let root = cx.api.root;
    let tree = cx.docs.tree(root.file);
    let mut tags = Vec::new();
    let add_all = |list: Option<NodeId>, tags: &mut Vec<String>| {
        for item in list.map(|l| tree.items(l)).unwrap_or_default() {
            if let Some(name) = tree.text(*item) {
                tags.push(name.to_owned());
            }
        }
    };
    for section in ["webhooks", "x-webhooks"] {
        let Some(hooks) = tree.get_value(root.node, section) else {
            continue;
        };
        for hook in tree.members(hooks) {
            for operation in tree.members(hook.value) {
                add_all(tree.get_value(operation.value, "tags"), &mut tags);
            }
        }
    }
    if let Some(groups) = tree.get_value(root.node, "x-tagGroups") {
        for group in tree.items(groups) {
            add_all(tree.get_value(*group, "tags"), &mut tags);
        }
    }
    tags
}

fn message(name: &str) -> String {
    format!("tag \"{name}\" is declared but no operation uses it")
}

fn help() -> &'static str {
    "remove the tag, or add it to the operations it describes"
}
