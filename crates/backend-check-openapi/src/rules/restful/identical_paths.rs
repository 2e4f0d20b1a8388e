use std::collections::HashMap;

use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds paths that are the same once their template parameters are
    /// ignored: `/users/{id}` and `/users/{userId}`. The second path is
    /// reported, with a label on the first.
    ///
    /// ## Why is this bad?
    /// A router cannot tell the two apart: a request to `/users/42` matches
    /// both, so one of them can never be reached, and which one wins depends
    /// on the framework. The spec describes two operations where the server has
    /// one. OpenAPI forbids such paths.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /users/{id}:
    ///     get: {}
    ///   /users/{userId}:
    ///     delete: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /users/{userId}:
    ///     get: {}
    ///     delete: {}
    /// ```
    ///
    /// ## Options
    /// None.
    pub IdenticalPaths {
        code: "OAS021",
        name: "identical-paths",
        checklist: ApiRestful,
        group: Correctness,
        severity: Error,
        summary: "two paths that differ only in the names of their template parameters",
    }
}

impl IdenticalPaths {
    /// Reports each path that repeats an earlier one up to parameter names.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let root = cx.api.root;
        let tree = cx.docs.tree(root.file);
        let Some(paths) = tree.get_value(root.node, "paths") else {
            return;
        };
        let mut first: HashMap<String, (At, &str)> = HashMap::new();
        for entry in tree.members(paths) {
            let Some(path) = tree.text(entry.key) else {
                continue;
            };
            if path.starts_with("x-") {
                continue;
            }
            let key = At::new(root.file, entry.key);
            let shape = shape(path);
            match first.get(&shape) {
                Some((earlier, earlier_path)) if *earlier_path != path => {
                    let diagnostic = cx
                        .diagnostic(&Self::META, key, message(path, earlier_path))
                        .with_help(help());
                    sink.push(cx.label(diagnostic, *earlier, "the same path is declared here"));
                }
                Some(_) => {}
                None => {
                    first.insert(shape, (key, path));
                }
            }
        }
    }
}

/// The path with every `{name}` replaced by `{}`.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn message(path: &str, earlier: &str) -> String {
    format!("path \"{path}\" is the same as \"{earlier}\" but for the names of its parameters")
}

fn help() -> &'static str {
    "merge the operations into one path item and use one name for the parameter"
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn shapes() {
        assert_eq!(shape("/users/{id}"), shape("/users/{userId}"));
        assert_ne!(shape("/users/{id}"), shape("/users/me"));
        assert_eq!(shape("/a/{x}.{y}"), "/a/{}.{}");
    }
}
