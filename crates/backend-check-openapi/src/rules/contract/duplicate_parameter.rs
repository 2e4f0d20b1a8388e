use std::collections::{HashMap, HashSet};

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::{child, text_at};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds a parameter listed twice, with the same `name` and `in`, in the
    /// `parameters` of one operation or one path item (header names compare
    /// without case, as HTTP does). `$ref`s are followed, so a reference and an
    /// inline copy of the same parameter count as a duplicate. An operation
    /// parameter that overrides a path-item parameter of the same name is the
    /// intended way to refine it and is not reported.
    ///
    /// ## Why is this bad?
    /// OpenAPI requires parameters to be unique by name and location. Tools
    /// disagree on which copy wins, so documentation, validation and
    /// generated clients can each use a different type or `required` flag;
    /// generators often emit a method with two arguments of the same name,
    /// which does not compile.
    ///
    /// ## Example
    /// ```yaml
    /// get:
    ///   parameters:
    ///     - {name: limit, in: query, schema: {type: integer}}
    ///     - {$ref: '#/components/parameters/Limit'}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// get:
    ///   parameters:
    ///     - {$ref: '#/components/parameters/Limit'}
    /// ```
    ///
    /// ## Options
    /// None.
    pub DuplicateParameter {
        code: "OAS082",
        name: "duplicate-parameter",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "a parameter listed twice with the same name and location",
    }
}

impl DuplicateParameter {
    /// Reports repeated parameters, each written list once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut lists = HashSet::new();
        for owner in owners(cx) {
            let Some(list) = child(cx.docs, owner, "parameters") else {
                continue;
            };
            if lists.insert(list) {
                report_list(cx, list, sink);
            }
        }
    }
}

/// The path items (and 3.1 webhooks) and the operations that can hold parameters.
fn owners(cx: &Context<'_>) -> Vec<At> {
    let docs = cx.docs;
    let root = cx.api.root;
    let mut owners: Vec<At> = ["paths", "webhooks"]
        .iter()
        .filter_map(|section| child(docs, root, section))
        .flat_map(|items| {
            let tree = docs.tree(items.file);
            tree.members(items.node)
                .map(|e| docs.follow(At::new(items.file, e.value)))
                .collect::<Vec<_>>()
        })
        .collect();
    owners.extend(cx.api.operations.iter().map(|o| o.node));
    owners
}

fn report_list(cx: &Context<'_>, list: At, sink: &mut Sink<'_>) {
    let docs = cx.docs;
    let tree = docs.tree(list.file);
    let mut seen: HashMap<(String, String), At> = HashMap::new();
    for item in tree.items(list.node) {
        let written = At::new(list.file, *item);
        let parameter = docs.follow(written);
        let name = child(docs, parameter, "name").and_then(|n| text_at(docs, n));
        let location = child(docs, parameter, "in").and_then(|n| text_at(docs, n));
        let (Some(name), Some(location)) = (name, location) else {
            continue;
        };
        let key_name = if location == "header" {
            name.to_ascii_lowercase()
        } else {
            name.clone()
        };
        let report = if parameter == written {
            child(docs, written, "name").unwrap_or(written)
        } else {
            written
        };
        match seen.get(&(location.clone(), key_name.clone())) {
            Some(first) => {
                let diagnostic = cx
                    .diagnostic(&DuplicateParameter::META, report, message(&location, &name))
                    .with_help(
                        "remove one of the two; keep the parameter once per name and location",
                    );
                sink.push(cx.label(diagnostic, *first, "first listed here"));
            }
            None => {
                seen.insert((location, key_name), report);
            }
        }
    }
}

fn message(location: &str, name: &str) -> String {
    format!("{location} parameter \"{name}\" is listed more than once")
}
