use std::collections::{HashMap, HashSet};

use backend_check_core::{declare_rule, Sink, Span};

use crate::load::{At, Docs, FileId};
use crate::model::{child, entries, SpecVersion};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds components that nothing uses: schemas, responses, parameters,
    /// examples, request bodies, headers, links and callbacks (3.x
    /// `components`; 2.0 `definitions`, `parameters`, `responses`) that no
    /// `$ref` or discriminator `mapping` names, and security schemes that no
    /// security requirement names. A reference from inside the component
    /// itself (a recursive schema) does not count as a use.
    ///
    /// A document without operations is taken to be a library of components
    /// that other documents reference, and is not checked.
    ///
    /// ## Why is this bad?
    /// Unused components are dead code in the contract: they are rendered in
    /// the documentation, generated into client models nobody calls, and
    /// reviewed and kept in sync for nothing. An unused security scheme
    /// usually means an operation forgot its `security`, or a scheme was
    /// replaced and never removed.
    ///
    /// ## Example
    /// ```yaml
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         '200':
    ///           description: ok
    ///           content:
    ///             application/json:
    ///               schema: {$ref: '#/components/schemas/Pets'}
    /// components:
    ///   schemas:
    ///     Pets: {type: array, maxItems: 100, items: {type: string}}
    ///     LegacyPet: {type: object}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// components:
    ///   schemas:
    ///     Pets: {type: array, maxItems: 100, items: {type: string}}
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnusedComponent {
        code: "OAS066",
        name: "unused-component",
        checklist: ApiContract,
        group: Pedantic,
        severity: Warning,
        summary: "a component or security scheme that nothing references",
    }
}

impl UnusedComponent {
    /// Reports components that no reference reaches.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        if cx.api.operations.is_empty() {
            return;
        }
        let used = References::of(cx);
        for (section, noun) in sections(cx.api.version) {
            let map = section_node(cx, section);
            for (name, key, value) in entries(cx.docs, map) {
                if !used.reaches(cx.docs, value) {
                    sink.push(
                        cx.diagnostic(&Self::META, key, message(noun, &name))
                            .with_help(help(noun)),
                    );
                }
            }
        }
        let required: HashSet<&str> = cx
            .api
            .security
            .iter()
            .chain(cx.api.operations.iter().filter_map(|o| o.security.as_ref()))
            .flat_map(|s| &s.requirements)
            .flat_map(|r| r.schemes.iter().map(|(name, _, _)| name.as_str()))
            .collect();
        for scheme in &cx.api.security_schemes {
            if !required.contains(scheme.name.as_str()) {
                sink.push(
                    cx.diagnostic(
                        &Self::META,
                        scheme.key,
                        message("security scheme", &scheme.name),
                    )
                    .with_help(help("security scheme")),
                );
            }
        }
    }
}

/// The component sections of a version: the key path and the noun for messages.
fn sections(version: SpecVersion) -> &'static [(&'static [&'static str], &'static str)] {
    if version == SpecVersion::Swagger2 {
        &[
            (&["definitions"], "schema"),
            (&["parameters"], "parameter"),
            (&["responses"], "response"),
        ]
    } else {
        &[
            (&["components", "schemas"], "schema"),
            (&["components", "responses"], "response"),
            (&["components", "parameters"], "parameter"),
            (&["components", "examples"], "example"),
            (&["components", "requestBodies"], "request body"),
            (&["components", "headers"], "header"),
            (&["components", "links"], "link"),
            (&["components", "callbacks"], "callback"),
        ]
    }
}

fn section_node(cx: &Context<'_>, path: &[&str]) -> Option<At> {
    path.iter()
        .try_fold(cx.api.root, |at, key| child(cx.docs, at, key))
}

/// Every node some `$ref` (or discriminator mapping) names, with where it is named from.
struct References {
    from: HashMap<At, Vec<At>>,
}

impl References {
    fn of(cx: &Context<'_>) -> References {
        let mut from: HashMap<At, Vec<At>> = HashMap::new();
        let mut hops: HashMap<(FileId, &str), Option<At>> = HashMap::new();
        for site in &cx.docs.refs {
            let target = *hops
                .entry((site.holder.file, site.text.as_str()))
                .or_insert_with(|| cx.docs.target_of(site));
            if let Some(target) = target {
                let target = At::new(target.file, cx.docs.tree(target.file).resolve(target.node));
                from.entry(target).or_default().push(site.holder);
            }
        }
        for (target, holder) in mapping_targets(cx) {
            from.entry(target).or_default().push(holder);
        }
        References { from }
    }

    /// Whether something outside the component itself names it.
    fn reaches(&self, docs: &Docs<'_>, component: At) -> bool {
        let component = At::new(
            component.file,
            docs.tree(component.file).resolve(component.node),
        );
        let own: Span = docs.span(component);
        self.from.get(&component).is_some_and(|holders| {
            holders.iter().any(|h| {
                let span = docs.span(*h);
                h.file != component.file || span.start < own.start || span.end > own.end
            })
        })
    }
}

/// The schemas named by discriminator `mapping` values (`'#/components/schemas/Dog'` or `Dog`).
fn mapping_targets(cx: &Context<'_>) -> Vec<(At, At)> {
    let schemas = cx.api.schemas(cx.docs);
    let mut out = Vec::new();
    for node in &schemas.nodes {
        let tree = cx.docs.tree(node.at.file);
        let Some(mapping) = tree
            .get_value(node.at.node, "discriminator")
            .and_then(|d| tree.get_value(d, "mapping"))
        else {
            continue;
        };
        for entry in tree.members(mapping) {
            let Some(text) = tree.str(entry.value) else {
                continue;
            };
            let pointer = if text.starts_with('#') {
                text.to_owned()
            } else {
                format!("#/components/schemas/{text}")
            };
            if let Some(target) = tree.lookup(&pointer) {
                out.push((At::new(node.at.file, target), node.at));
            }
        }
    }
    out
}

fn message(noun: &str, name: &str) -> String {
    match noun {
        "security scheme" => {
            format!("security scheme \"{name}\" is not used by any security requirement")
        }
        _ => format!("{noun} \"{name}\" is never referenced"),
    }
}

fn help(noun: &str) -> String {
    match noun {
        "security scheme" => {
            "require the scheme where it applies (`security:`), or remove it".to_owned()
        }
        _ => format!("remove the unused {noun}, or reference it where it belongs"),
    }
}
