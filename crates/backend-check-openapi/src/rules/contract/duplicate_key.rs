use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::rules::Context;
use crate::validate;

declare_rule! {
    /// ## What it does
    /// Finds a key written twice in the same mapping (JSON object), in the
    /// document and in every file its references reach. Keys brought in by a
    /// YAML merge (`<<: *base`) may be overridden and are not counted.
    ///
    /// ## Why is this bad?
    /// YAML forbids duplicate keys and JSON leaves them undefined: most parsers
    /// silently keep the last one, some the first, some fail. Two copies of
    /// `/pets` or of `200` mean one of them is lost, and which one depends on
    /// the tool reading the file.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     get:
    ///       summary: list pets
    ///   /pets:
    ///     post:
    ///       summary: create a pet
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     get:
    ///       summary: list pets
    ///     post:
    ///       summary: create a pet
    /// ```
    ///
    /// ## Options
    /// None.
    pub DuplicateKey {
        code: "OAS074",
        name: "duplicate-key",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "a key written twice in the same mapping",
    }
}

impl DuplicateKey {
    /// Reports the second and later copies of each key, with a label on the first.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for (file, doc) in cx.docs.files() {
            let tree = doc.tree();
            for (first, repeated) in validate::duplicate_keys(tree) {
                let name = tree.text(repeated).unwrap_or_default();
                let diagnostic = cx
                    .diagnostic(&Self::META, At::new(file, repeated), message(name))
                    .with_help(help());
                sink.push(cx.label(diagnostic, At::new(file, first), "first written here"));
            }
        }
    }
}

fn message(key: &str) -> String {
    format!("key \"{key}\" is written twice in the same mapping")
}

fn help() -> &'static str {
    "merge the two entries into one; parsers keep only one of them"
}
