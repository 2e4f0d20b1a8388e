use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::{At, FileId};
use crate::model::{child, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `$ref` objects with other keys beside them in Swagger 2.0 and
    /// OpenAPI 3.0 documents (path items excepted, where `$ref` and
    /// operations may be combined). OpenAPI 3.1 allows siblings and is not
    /// checked. Extension keys (`x-…`) beside `$ref` are read by the
    /// document's own tooling, not by OpenAPI, and are not reported, nor is a
    /// `$ref` inside an extension's value (typify's `x-rust-type` parameters).
    ///
    /// ## Why is this bad?
    /// In 2.0 and 3.0 a Reference Object is replaced by its target: every
    /// key beside `$ref` is ignored. A `description`, `nullable: true` or
    /// `readOnly: true` written next to a `$ref` looks like part of the
    /// contract but is silently dropped by validators, documentation and
    /// code generators.
    ///
    /// ## Example
    /// ```yaml
    /// owner:
    ///   $ref: '#/components/schemas/User'
    ///   nullable: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// owner:
    ///   nullable: true
    ///   allOf:
    ///     - $ref: '#/components/schemas/User'
    /// ```
    ///
    /// ## Options
    /// None.
    pub RefWithSiblings {
        code: "OAS069",
        name: "ref-with-siblings",
        checklist: ApiContract,
        group: Suspicious,
        severity: Warning,
        summary: "keys beside a `$ref`, which Swagger 2.0 and OpenAPI 3.0 ignore",
    }
}

impl RefWithSiblings {
    /// Reports reference objects with siblings, each once.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let applies = matches!(
            cx.api.version,
            SpecVersion::Swagger2 | SpecVersion::OpenApi30
        );
        if !applies {
            return;
        }
        let path_items = path_items(cx);
        let extensions = extension_nodes(cx);
        for site in &cx.docs.refs {
            if path_items.contains(&site.holder) || extensions.contains(&site.holder) {
                continue;
            }
            let tree = cx.docs.tree(site.holder.file);
            let siblings: Vec<_> = tree
                .members(site.holder.node)
                .filter(|e| e.key != site.key.node)
                .filter_map(|e| Some((tree.text(e.key)?, e.key)))
                // `x-` keys are for the document's own tooling, which reads them.
                .filter(|(name, _)| !name.starts_with("x-"))
                .collect();
            let Some((_, first)) = siblings.first() else {
                continue;
            };
            let names: Vec<&str> = siblings.iter().map(|(n, _)| *n).collect();
            sink.push(
                cx.diagnostic(
                    &Self::META,
                    At::new(site.holder.file, *first),
                    message(&names, cx.api.version.label()),
                )
                .with_help("wrap the reference in `allOf: [{$ref: ...}]` to add keywords, or move them into the referenced object"),
            );
        }
    }
}

/// The nodes inside the values of `x-` keys in every file of the document
/// (typify's `x-rust-type` parameters): the extension's own tooling reads
/// them, with its own rules, not OpenAPI's.
fn extension_nodes(cx: &Context<'_>) -> HashSet<At> {
    let mut inside = HashSet::new();
    for (file, doc) in cx.docs.files() {
        let tree = doc.tree();
        let Some(root) = tree.root() else {
            continue;
        };
        // (node, under an extension); each node once, so aliases cannot loop.
        let mut seen = HashSet::new();
        let mut stack = vec![(root, false)];
        while let Some((node, under)) = stack.pop() {
            if !seen.insert((node, under)) {
                continue;
            }
            if under {
                inside.insert(At::new(file, node));
            }
            for entry in tree.members(node) {
                let extension = under || tree.text(entry.key).is_some_and(|k| k.starts_with("x-"));
                stack.push((entry.value, extension));
            }
            for item in tree.items(node) {
                stack.push((*item, under));
            }
        }
    }
    inside
}

/// The path items of the document (a `$ref` there may have operations beside it).
fn path_items(cx: &Context<'_>) -> HashSet<At> {
    let Some(paths) = child(cx.docs, cx.api.root, "paths") else {
        return HashSet::new();
    };
    let tree = cx.docs.tree(paths.file);
    tree.members(paths.node)
        .map(|e| At::new(FileId::ROOT, tree.resolve(e.value)))
        .collect()
}

fn message(siblings: &[&str], version: &str) -> String {
    let quoted: Vec<String> = siblings.iter().map(|s| format!("\"{s}\"")).collect();
    let (noun, verb) = if siblings.len() > 1 {
        ("keys", "are")
    } else {
        ("key", "is")
    };
    format!(
        "{noun} {} beside `$ref` {verb} ignored in {version}",
        quoted.join(", ")
    )
}
