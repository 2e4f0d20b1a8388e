use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::rules::lookup::tag_name_at;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds tags declared more than once in the top-level `tags` list. The
    /// later declarations are reported, with a label on the first.
    ///
    /// ## Why is this bad?
    /// Tag names must be unique. With two declarations, tools keep one
    /// description and drop the other, or show the group twice; which one wins
    /// differs between tools.
    ///
    /// ## Example
    /// ```yaml
    /// tags:
    ///   - {name: orders, description: Placing orders}
    ///   - {name: orders, description: Tracking orders}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// tags:
    ///   - {name: orders, description: Placing and tracking orders}
    /// ```
    ///
    /// ## Options
    /// None.
    pub DuplicateTag {
        code: "OAS025",
        name: "duplicate-tag",
        checklist: ApiNaming,
        group: Correctness,
        severity: Error,
        summary: "a tag declared twice in the top-level `tags`",
    }
}

impl DuplicateTag {
    /// Reports every repeated tag declaration.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut first: HashMap<&str, At> = HashMap::new();
        for (name, tag) in &cx.api.tags {
            let at = tag_name_at(cx, *tag);
            match first.get(name.as_str()) {
                Some(earlier) => {
                    let diagnostic = cx
                        .diagnostic(&Self::META, at, message(name))
                        .with_help(help());
                    sink.push(cx.label(diagnostic, *earlier, "first declared here"));
                }
                None => {
                    first.insert(name, at);
                }
            }
        }
    }
}

fn message(name: &str) -> String {
    format!("tag \"{name}\" is declared more than once")
}

fn help() -> &'static str {
    "keep one declaration of the tag and merge the descriptions"
}
