//! Every schema of a document, each visited once per usage: the named
//! schemas (3.x `components.schemas`, 2.0 `definitions`), and the schemas of
//! parameters, request bodies, responses and headers, with their nested
//! schemas (`properties`, `items`, `additionalProperties`, `allOf`/`oneOf`/
//! `anyOf`/`not`, 3.1 `prefixItems` and `$defs`, …). `$ref`s are followed
//! across files; a node is entered at most once per usage, so cycles end and
//! the walk is linear in the size of the document.
//!
//! Swagger 2.0 non-body parameters, headers and their `items` are schema-like
//! objects and are walked as schemas. A schema knows whether it is reached
//! from a request (parameters and request bodies), a response, or only as a
//! component, and which use reached it first, so a rule can say where a
//! schema is used while reporting it where it is written.

use std::collections::HashMap;

use backend_check_core::Span;

use crate::load::{At, Docs, FileId, NodeId, Tree, Value};

use super::{child, Api, OperationKind, SpecVersion};

/// What a schema is reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Usage {
    /// Written under `components.schemas` or `definitions` (reached or not).
    Component,
    /// A parameter or a request body: data the API accepts.
    Request,
    /// A response or response header: data the API returns (also webhook
    /// and callback request bodies, which the API sends).
    Response,
}

impl Usage {
    fn index(self) -> usize {
        match self {
            Usage::Component => 0,
            Usage::Request => 1,
            Usage::Response => 2,
        }
    }
}

/// How a schema hangs from the schema it is written in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `properties.<name>`; `key` is the property's key.
    Property {
        /// The property name.
        name: String,
        /// The key node.
        key: At,
    },
    /// `items` (or a tuple item of an `items` list).
    Items,
    /// `prefixItems[i]`.
    PrefixItem(usize),
    /// `additionalProperties`.
    AdditionalProperties,
    /// `allOf`, `oneOf` or `anyOf` item.
    Composition(&'static str, usize),
    /// Any other keyword holding schemas (`not`, `$defs/x`, `patternProperties/x`, …).
    Other(String),
}

/// A place the walk starts from, or a `$ref` target it crossed into.
#[derive(Debug, Clone)]
pub struct Root {
    /// The usage of the walk started here.
    pub usage: Usage,
    /// How messages name it: `schema "Pet"`, `query parameter "limit" of GET /pets`.
    pub label: String,
    /// A node in the file to report on.
    pub at: At,
    /// The span to report on (a name key where there is one).
    pub span: Span,
    /// The component name, for named schemas.
    pub component: Option<String>,
    /// For the schema of a query, path, header or cookie parameter: its `in` and `name`.
    pub parameter: Option<(String, String)>,
}

/// One schema node of the document.
#[derive(Debug, Clone)]
pub struct SchemaNode {
    /// The schema mapping (never a `$ref` holder).
    pub at: At,
    /// The schema it is written in, when reached inline (not through a `$ref`).
    pub parent: Option<u32>,
    /// How it hangs from that parent.
    pub step: Option<Step>,
    /// The top of its group: the nearest schema above it that a walk started
    /// from or a `$ref` reached (itself when it is such a schema).
    pub group: u32,
    /// For a group top, the root that names it.
    pub root: Option<u32>,
    /// Whether it is an `allOf`/`oneOf`/`anyOf` member somewhere (inline or through a `$ref`).
    pub in_composition: bool,
    /// Per usage (component, request, response), the root whose walk reached it first.
    first_use: [Option<u32>; 3],
}

impl SchemaNode {
    /// Whether the schema is reached with this usage.
    pub fn used_as(&self, usage: Usage) -> bool {
        self.first_use
            .get(usage.index())
            .is_some_and(Option::is_some)
    }

    /// The root whose walk first reached the schema with this usage.
    pub fn first_use(&self, usage: Usage) -> Option<u32> {
        self.first_use.get(usage.index()).copied().flatten()
    }

    /// Whether it is reached from no parameter, body or response.
    pub fn is_component_only(&self) -> bool {
        !self.used_as(Usage::Request) && !self.used_as(Usage::Response)
    }
}

/// Every schema of a document.
#[derive(Debug, Default)]
pub struct Schemas {
    /// The schemas, in the order the walk met them.
    pub nodes: Vec<SchemaNode>,
    /// The roots (walk starts and `$ref` targets).
    pub roots: Vec<Root>,
    index: HashMap<At, u32>,
}

impl Schemas {
    /// Walks every schema of a document.
    pub fn build(docs: &Docs<'_>, api: &Api) -> Schemas {
        let mut walk = Walk {
            docs,
            version: api.version,
            out: Schemas::default(),
            hops: HashMap::new(),
        };
        walk.components(api.root);
        walk.operations(api);
        walk.out
    }

    /// The schema at a node (after `$ref`s), when the walk reached it.
    pub fn get(&self, at: At) -> Option<&SchemaNode> {
        self.index
            .get(&at)
            .and_then(|i| self.nodes.get(*i as usize))
    }

    /// The node with this index.
    pub fn node(&self, index: u32) -> Option<&SchemaNode> {
        self.nodes.get(index as usize)
    }

    /// The root with this index.
    pub fn root(&self, index: u32) -> Option<&Root> {
        self.roots.get(index as usize)
    }

    /// The root naming the group a schema belongs to.
    pub fn group_root(&self, node: &SchemaNode) -> Option<&Root> {
        let top = self.node(node.group)?;
        self.root(top.root?)
    }

    /// The path of a schema inside its group: `tags[]`, `address.street`,
    /// `allOf[1].name`; empty for the group's top.
    pub fn path(&self, index: u32) -> String {
        let mut steps = Vec::new();
        let mut here = self.node(index);
        while let Some(node) = here {
            let (Some(parent), Some(step)) = (node.parent, node.step.as_ref()) else {
                break;
            };
            steps.push(step);
            here = self.node(parent);
        }
        let mut out = String::new();
        for step in steps.iter().rev() {
            match step {
                Step::Property { name, .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                Step::Items => out.push_str("[]"),
                Step::PrefixItem(i) => out.push_str(&format!("[{i}]")),
                Step::AdditionalProperties => out.push_str(".*"),
                Step::Composition(keyword, i) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&format!("{keyword}[{i}]"));
                }
                Step::Other(keyword) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(keyword);
                }
            }
        }
        out
    }

    /// The indices of the schemas reached with a usage.
    pub fn used_as(&self, usage: Usage) -> impl Iterator<Item = (u32, &SchemaNode)> {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| n.used_as(usage))
            .map(|(i, n)| (u32::try_from(i).unwrap_or(u32::MAX), n))
    }
}

impl Api {
    /// Every schema of the document, walked on first use.
    pub fn schemas(&self, docs: &Docs<'_>) -> &Schemas {
        self.schemas.get_or_init(|| Schemas::build(docs, self))
    }
}

struct Pending {
    written: At,
    parent: Option<u32>,
    step: Option<Step>,
}

struct Walk<'w, 'c> {
    docs: &'w Docs<'c>,
    version: SpecVersion,
    out: Schemas,
    /// One hop of each reference text, per file it is written in: big specs repeat the same `$ref` thousands of times.
    hops: HashMap<(FileId, String), Option<At>>,
}

impl Walk<'_, '_> {
    fn tree(&self, at: At) -> &Tree<'_> {
        self.docs.tree(at.file)
    }

    fn components(&mut self, root: At) {
        let (schemas, parameters, bodies, responses, headers) =
            if self.version == SpecVersion::Swagger2 {
                (
                    child(self.docs, root, "definitions"),
                    child(self.docs, root, "parameters"),
                    None,
                    child(self.docs, root, "responses"),
                    None,
                )
            } else {
                let components = child(self.docs, root, "components");
                let part = |key| components.and_then(|c| child(self.docs, c, key));
                (
                    part("schemas"),
                    part("parameters"),
                    part("requestBodies"),
                    part("responses"),
                    part("headers"),
                )
            };
        for (name, key, value) in self.named(schemas) {
            let span = self.docs.span(key);
            let label = format!("schema \"{name}\"");
            let root = self.add_root(Usage::Component, label, key, span, Some(name));
            self.walk_schema(value, root);
        }
        for (name, key, value) in self.named(parameters) {
            let value = self.docs.follow(value);
            self.parameter(value, Some(key), format!("parameter \"{name}\""));
        }
        for (name, key, value) in self.named(bodies) {
            let value = self.docs.follow(value);
            let label = format!("request body \"{name}\"");
            self.content(value, key, &label, Usage::Request);
        }
        for (name, key, value) in self.named(responses) {
            let value = self.docs.follow(value);
            self.response(value, key, &format!("response \"{name}\""));
        }
        for (name, key, value) in self.named(headers) {
            let value = self.docs.follow(value);
            self.header(value, key, &format!("header \"{name}\""));
        }
    }

    fn operations(&mut self, api: &Api) {
        for operation in &api.operations {
            let described = operation.describe();
            let outbound = operation.kind == OperationKind::Webhook;
            for parameter in &operation.parameters {
                let label = format!(
                    "{} parameter \"{}\" of {described}",
                    parameter.location, parameter.name
                );
                self.parameter(parameter.node, None, label);
            }
            let body_usage = if outbound {
                Usage::Response
            } else {
                Usage::Request
            };
            self.request_bodies(
                operation.node,
                operation.request_body,
                &described,
                body_usage,
            );
            if outbound {
                continue;
            }
            for response in &operation.responses {
                let label = format!("{} response of {described}", response.status);
                self.response(response.node, response.key, &label);
            }
        }
    }

    fn request_bodies(&mut self, operation: At, body: Option<At>, described: &str, usage: Usage) {
        let label = format!("request body of {described}");
        if self.version != SpecVersion::Swagger2 {
            if let Some(body) = body {
                let key = self
                    .tree(operation)
                    .get(operation.node, "requestBody")
                    .map_or(body, |e| At::new(operation.file, e.key));
                self.content(body, key, &label, usage);
            }
            return;
        }
        let Some(list) = child(self.docs, operation, "parameters") else {
            return;
        };
        let items: Vec<At> = self
            .tree(list)
            .items(list.node)
            .iter()
            .map(|i| self.docs.follow(At::new(list.file, *i)))
            .collect();
        for parameter in items {
            let location = child(self.docs, parameter, "in").and_then(|a| self.text(a));
            if matches!(location.as_deref(), Some("body" | "formData")) {
                let name = child(self.docs, parameter, "name")
                    .and_then(|a| self.text(a))
                    .unwrap_or_default();
                let label = match location.as_deref() {
                    Some("body") => label.clone(),
                    _ => format!("formData parameter \"{name}\" of {described}"),
                };
                self.parameter_as(parameter, None, label, usage);
            }
        }
    }

    fn parameter(&mut self, parameter: At, key: Option<At>, label: String) {
        self.parameter_as(parameter, key, label, Usage::Request);
    }

    /// A parameter's schema: 3.x `schema` or `content.*.schema`; 2.0 the
    /// parameter itself, or `schema` for a body parameter.
    fn parameter_as(&mut self, parameter: At, key: Option<At>, label: String, usage: Usage) {
        let report = child(self.docs, parameter, "name")
            .or(key)
            .unwrap_or(parameter);
        let span = self.docs.span(report);
        let name = child(self.docs, parameter, "name").and_then(|a| self.text(a));
        let location = child(self.docs, parameter, "in").and_then(|a| self.text(a));
        let in_url = location
            .filter(|l| !matches!(l.as_str(), "body" | "formData"))
            .zip(name);
        if let Some(schema) = child(self.docs, parameter, "schema") {
            let root = self.add_root(usage, label, report, span, None);
            self.set_parameter(root, in_url);
            self.walk_schema(schema, root);
        } else if self.version == SpecVersion::Swagger2 {
            let root = self.add_root(usage, label, report, span, None);
            self.set_parameter(root, in_url);
            self.walk_schema(parameter, root);
        } else {
            self.content(parameter, report, &label, usage);
        }
    }

    fn set_parameter(&mut self, root: u32, parameter: Option<(String, String)>) {
        if let Some(root) = self.out.roots.get_mut(root as usize) {
            root.parameter = parameter;
        }
    }

    /// The schemas of a 3.x `content` map (of a body, response, parameter or header).
    fn content(&mut self, owner: At, key: At, label: &str, usage: Usage) {
        let Some(content) = child(self.docs, owner, "content") else {
            return;
        };
        let content = self.docs.follow(content);
        let span = self.docs.span(key);
        for (_, _, media) in self.named(Some(content)) {
            let media = self.docs.follow(media);
            if let Some(schema) = child(self.docs, media, "schema") {
                let root = self.add_root(usage, label.to_owned(), key, span, None);
                self.walk_schema(schema, root);
            }
        }
    }

    fn response(&mut self, response: At, key: At, label: &str) {
        if self.version == SpecVersion::Swagger2 {
            if let Some(schema) = child(self.docs, response, "schema") {
                let span = self.docs.span(key);
                let root = self.add_root(Usage::Response, label.to_owned(), key, span, None);
                self.walk_schema(schema, root);
            }
        } else {
            self.content(response, key, label, Usage::Response);
        }
        let headers = child(self.docs, response, "headers").map(|h| self.docs.follow(h));
        for (name, header_key, header) in self.named(headers) {
            let header = self.docs.follow(header);
            self.header(
                header,
                header_key,
                &format!("header \"{name}\" of the {label}"),
            );
        }
    }

    fn header(&mut self, header: At, key: At, label: &str) {
        let span = self.docs.span(key);
        if let Some(schema) = child(self.docs, header, "schema") {
            let root = self.add_root(Usage::Response, label.to_owned(), key, span, None);
            self.walk_schema(schema, root);
        } else if self.version == SpecVersion::Swagger2 {
            let root = self.add_root(Usage::Response, label.to_owned(), key, span, None);
            self.walk_schema(header, root);
        } else {
            self.content(header, key, label, Usage::Response);
        }
    }

    /// The entries of a mapping: name, key and value, `x-` keys skipped.
    fn named(&self, map: Option<At>) -> Vec<(String, At, At)> {
        super::entries(self.docs, map)
    }

    fn text(&self, at: At) -> Option<String> {
        self.tree(at).text(at.node).map(str::to_owned)
    }

    fn add_root(
        &mut self,
        usage: Usage,
        label: String,
        at: At,
        span: Span,
        component: Option<String>,
    ) -> u32 {
        let index = to_u32(self.out.roots.len());
        self.out.roots.push(Root {
            usage,
            label,
            at,
            span,
            component,
            parameter: None,
        });
        index
    }

    /// Walks a schema and everything below it with the usage of `root`.
    fn walk_schema(&mut self, start: At, root: u32) {
        let usage = self.out.root(root).map_or(Usage::Component, |r| r.usage);
        let mut stack = vec![Pending {
            written: start,
            parent: None,
            step: None,
        }];
        while let Some(pending) = stack.pop() {
            let Some(index) = self.enter(&pending, root, usage) else {
                continue;
            };
            let Some(node) = self.out.node(index) else {
                continue;
            };
            let at = node.at;
            self.push_children(at, index, &mut stack);
        }
    }

    /// Follows `$ref`s like [`Docs::deref`], resolving each distinct reference text once.
    fn deref(&mut self, at: At) -> Option<At> {
        let mut here = at;
        for _ in 0..64 {
            let Some(site) = self.docs.ref_of(here) else {
                return Some(At::new(here.file, self.tree(here).resolve(here.node)));
            };
            let key = (site.holder.file, site.text.clone());
            let next = match self.hops.get(&key) {
                Some(next) => *next,
                None => {
                    let next = self.docs.target_of(site);
                    self.hops.insert(key, next);
                    next
                }
            };
            here = next?;
        }
        None
    }

    /// Records a schema for a usage; `None` when it is no schema, a broken
    /// reference, or already walked with this usage.
    fn enter(&mut self, pending: &Pending, root: u32, usage: Usage) -> Option<u32> {
        let written = At::new(
            pending.written.file,
            self.tree(pending.written).resolve(pending.written.node),
        );
        let target = self.deref(written)?;
        if !self.tree(target).is_mapping(target.node) {
            return None;
        }
        let crossed = target != written;
        let index = match self.out.index.get(&target) {
            Some(index) => *index,
            None => self.create(target, pending, crossed, root, written),
        };
        let node = self.out.nodes.get_mut(index as usize)?;
        node.in_composition |= matches!(pending.step, Some(Step::Composition(..)));
        let slot = node.first_use.get_mut(usage.index())?;
        if slot.is_some() {
            return None;
        }
        *slot = Some(root);
        Some(index)
    }

    fn create(
        &mut self,
        target: At,
        pending: &Pending,
        crossed: bool,
        root: u32,
        written: At,
    ) -> u32 {
        let index = to_u32(self.out.nodes.len());
        let inline_parent = if crossed { None } else { pending.parent };
        let group = inline_parent
            .and_then(|p| self.out.node(p))
            .map_or(index, |p| p.group);
        let own_root = if inline_parent.is_some() {
            None
        } else if crossed {
            Some(self.ref_root(target, written, root))
        } else {
            Some(root)
        };
        self.out.nodes.push(SchemaNode {
            at: target,
            parent: inline_parent,
            step: if crossed { None } else { pending.step.clone() },
            group,
            root: own_root,
            in_composition: false,
            first_use: [None; 3],
        });
        self.out.index.insert(target, index);
        index
    }

    /// A root for a `$ref` target that is not a named schema: it is labelled
    /// after the reference and reported at the target's key.
    fn ref_root(&mut self, target: At, written: At, walk_root: u32) -> u32 {
        let usage = self
            .out
            .root(walk_root)
            .map_or(Usage::Component, |r| r.usage);
        let text = self
            .docs
            .ref_of(written)
            .map(|site| site.text.clone())
            .unwrap_or_default();
        let name = text
            .rsplit(['/', '#'])
            .find(|part| !part.is_empty())
            .unwrap_or("schema")
            .to_owned();
        let fragment = text.find('#').and_then(|i| text.get(i..)).unwrap_or("");
        let span = self
            .tree(target)
            .locate(fragment)
            .filter(|l| l.node == target.node)
            .map_or_else(|| self.docs.span(target), |l| l.primary());
        self.add_root(usage, format!("schema \"{name}\""), target, span, None)
    }

    fn push_children(&self, at: At, index: u32, stack: &mut Vec<Pending>) {
        let tree = self.tree(at);
        let mut push = |node: NodeId, step: Step| {
            stack.push(Pending {
                written: At::new(at.file, node),
                parent: Some(index),
                step: Some(step),
            });
        };
        for entry in tree.members(at.node).rev() {
            let Some(keyword) = tree.str(entry.key) else {
                continue;
            };
            let value = entry.value;
            match keyword {
                "properties" => {
                    for property in tree.members(value).rev() {
                        if let Some(name) = tree.text(property.key) {
                            let step = Step::Property {
                                name: name.to_owned(),
                                key: At::new(at.file, property.key),
                            };
                            push(property.value, step);
                        }
                    }
                }
                "items" if matches!(tree.value(value), Value::Sequence(_)) => {
                    for item in tree.items(value).iter().rev() {
                        push(*item, Step::Items);
                    }
                }
                "items" => push(value, Step::Items),
                "additionalProperties" => push(value, Step::AdditionalProperties),
                "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                    let keyword = composition_keyword(keyword);
                    for (i, item) in tree.items(value).iter().enumerate().rev() {
                        let step = match keyword {
                            Some(k) => Step::Composition(k, i),
                            None => Step::PrefixItem(i),
                        };
                        push(*item, step);
                    }
                }
                "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                    for member in tree.members(value).rev() {
                        let name = tree.text(member.key).unwrap_or_default();
                        push(member.value, Step::Other(format!("{keyword}.{name}")));
                    }
                }
                "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "additionalItems"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema" => push(value, Step::Other(keyword.to_owned())),
                _ => {}
            }
        }
    }
}

fn composition_keyword(keyword: &str) -> Option<&'static str> {
    match keyword {
        "allOf" => Some("allOf"),
        "oneOf" => Some("oneOf"),
        "anyOf" => Some("anyOf"),
        _ => None,
    }
}

/// Whether a number literal is a whole number (`3`, `3.0`, `1e3`).
pub fn is_integral(number: &str) -> bool {
    number.parse::<i128>().is_ok()
        || number
            .parse::<f64>()
            .is_ok_and(|f| f.is_finite() && f.fract() == 0.0)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The JSON types a schema admits, as written: `type` (a string or, in 3.1,
/// a list), with 3.0 `nullable: true` and 2.0 `x-nullable: true` adding
/// `null`. Without `type`, `properties` means an object and `items` an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Types(u8);

impl Types {
    /// `string`.
    pub const STRING: Types = Types(1);
    /// `integer`.
    pub const INTEGER: Types = Types(2);
    /// `number`.
    pub const NUMBER: Types = Types(4);
    /// `boolean`.
    pub const BOOLEAN: Types = Types(8);
    /// `object`.
    pub const OBJECT: Types = Types(16);
    /// `array`.
    pub const ARRAY: Types = Types(32);
    /// `null`.
    pub const NULL: Types = Types(64);
    /// 2.0 `file`.
    pub const FILE: Types = Types(128);

    /// The types of a schema node.
    pub fn of(tree: &Tree<'_>, schema: NodeId) -> Types {
        let mut types = Types::default();
        if let Some(value) = tree.get_value(schema, "type") {
            match tree.value(value) {
                Value::Sequence(_) => {
                    for item in tree.items(value) {
                        types.0 |= Types::named(tree.str(*item).unwrap_or_default()).0;
                    }
                }
                _ => types = Types::named(tree.str(value).unwrap_or_default()),
            }
        } else if tree.get_value(schema, "properties").is_some() {
            types = Types::OBJECT;
        } else if tree.get_value(schema, "items").is_some() {
            types = Types::ARRAY;
        }
        let nullable = ["nullable", "x-nullable"].iter().any(|key| {
            tree.get_value(schema, key)
                .is_some_and(|v| matches!(tree.value(v), Value::Bool(true)))
        });
        if nullable {
            types.0 |= Types::NULL.0;
        }
        types
    }

    /// The type a `type` string names (none for an unknown name).
    pub fn named(name: &str) -> Types {
        match name {
            "string" => Types::STRING,
            "integer" => Types::INTEGER,
            "number" => Types::NUMBER,
            "boolean" => Types::BOOLEAN,
            "object" => Types::OBJECT,
            "array" => Types::ARRAY,
            "null" => Types::NULL,
            "file" => Types::FILE,
            _ => Types::default(),
        }
    }

    /// Whether a literal value is of one of these types (an integral number
    /// counts as an `integer`; an alias is given the benefit of the doubt).
    pub fn admit(self, value: &Value<'_>) -> bool {
        match value {
            Value::Null => self.contains(Types::NULL),
            Value::Bool(_) => self.contains(Types::BOOLEAN),
            Value::Number(n) => {
                self.contains(Types::NUMBER) || (self.contains(Types::INTEGER) && is_integral(n))
            }
            Value::String(_) => self.contains(Types::STRING),
            Value::Mapping(_) => self.contains(Types::OBJECT),
            Value::Sequence(_) => self.contains(Types::ARRAY),
            Value::Alias(_) => true,
        }
    }

    /// Whether every type of `other` is admitted.
    pub fn contains(self, other: Types) -> bool {
        other.0 != 0 && self.0 & other.0 == other.0
    }

    /// Whether no type is written.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The types without `null`.
    pub fn non_null(self) -> Types {
        Types(self.0 & !Types::NULL.0)
    }

    /// The type names, joined with `/`: `string/null`.
    pub fn describe(self) -> String {
        let names = [
            (Types::STRING, "string"),
            (Types::INTEGER, "integer"),
            (Types::NUMBER, "number"),
            (Types::BOOLEAN, "boolean"),
            (Types::OBJECT, "object"),
            (Types::ARRAY, "array"),
            (Types::NULL, "null"),
            (Types::FILE, "file"),
        ];
        let written: Vec<&str> = names
            .iter()
            .filter(|(t, _)| self.0 & t.0 != 0)
            .map(|(_, n)| *n)
            .collect();
        written.join("/")
    }

    /// Whether exactly one non-null type is written and it is `only`.
    pub fn is_only(self, only: Types) -> bool {
        self.non_null() == only
    }
}

/// Whether a schema mapping has `key: true`.
pub fn is_true(tree: &Tree<'_>, schema: NodeId, key: &str) -> bool {
    tree.get_value(schema, key)
        .is_some_and(|v| matches!(tree.value(v), Value::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use backend_check_core::{CommentStyle, SourceFile};

    use crate::load::{parse, Format};

    fn walk(text: &str, check: impl FnOnce(&Docs<'_>, &Schemas)) {
        let file = Arc::new(SourceFile::new("spec", "spec", text, CommentStyle::Hash));
        let tree = parse(file.text(), Format::Yaml).unwrap();
        let docs = Docs::load(&file, &tree, std::path::Path::new("."));
        let api = Api::build(&docs);
        check(&docs, api.schemas(&docs));
    }

    /// `(group label, path, usages)` of each schema.
    fn summary(schemas: &Schemas) -> Vec<(String, String, String)> {
        schemas
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let label = schemas.group_root(n).map(|r| r.label.clone()).unwrap();
                let usages: String = [
                    (Usage::Component, 'c'),
                    (Usage::Request, 'q'),
                    (Usage::Response, 's'),
                ]
                .iter()
                .filter(|(u, _)| n.used_as(*u))
                .map(|(_, c)| *c)
                .collect();
                (label, schemas.path(u32::try_from(i).unwrap()), usages)
            })
            .collect()
    }

    const SPEC_30: &str = "\
openapi: 3.0.3
paths:
  /pets:
    post:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200':
          description: ok
          headers:
            X-Rate: {schema: {type: integer}}
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string}}
        parent: {$ref: '#/components/schemas/Pet'}
        kind: {allOf: [{$ref: '#/components/schemas/Kind'}]}
    Kind: {type: string, enum: [a, b]}
";

    #[test]
    fn schemas_are_walked_once_per_usage_with_groups() {
        walk(SPEC_30, |_, schemas| {
            let mut all = summary(schemas);
            all.sort();
            let expected: Vec<(String, String, String)> = [
                ("200 response of operation POST /pets", "", "s"),
                (
                    "header \"X-Rate\" of the 200 response of operation POST /pets",
                    "",
                    "s",
                ),
                ("query parameter \"limit\" of operation POST /pets", "", "q"),
                ("schema \"Kind\"", "", "cqs"),
                ("schema \"Pet\"", "", "cqs"),
                ("schema \"Pet\"", "kind", "cqs"),
                ("schema \"Pet\"", "name", "cqs"),
                ("schema \"Pet\"", "tags", "cqs"),
                ("schema \"Pet\"", "tags[]", "cqs"),
            ]
            .iter()
            .map(|(a, b, c)| ((*a).to_owned(), (*b).to_owned(), (*c).to_owned()))
            .collect();
            assert_eq!(all, expected);
        });
    }

    #[test]
    fn first_use_names_the_operation() {
        walk(SPEC_30, |docs, schemas| {
            let pet = schemas
                .nodes
                .iter()
                .find(|n| schemas.group_root(n).unwrap().label == "schema \"Pet\"")
                .unwrap();
            let first = schemas
                .root(pet.first_use(Usage::Request).unwrap())
                .unwrap();
            assert_eq!(first.label, "request body of operation POST /pets");
            assert_eq!(docs.source(first.at.file).slice(first.span), "requestBody");
        });
    }

    #[test]
    fn swagger_parameters_are_schemas() {
        let text = "\
swagger: '2.0'
paths:
  /pets:
    post:
      parameters:
        - {name: ids, in: query, type: array, items: {type: integer}}
        - {name: body, in: body, schema: {$ref: '#/definitions/Pet'}}
        - {name: file, in: formData, type: file}
      responses:
        '200': {description: ok, schema: {type: object}}
definitions:
  Pet: {type: object, properties: {id: {type: integer}}}
";
        walk(text, |_, schemas| {
            let mut all = summary(schemas);
            all.sort();
            let labels: Vec<_> = all.iter().map(|(l, p, u)| format!("{l}|{p}|{u}")).collect();
            assert_eq!(
                labels,
                [
                    "200 response of operation POST /pets||s",
                    "formData parameter \"file\" of operation POST /pets||q",
                    "query parameter \"ids\" of operation POST /pets||q",
                    "query parameter \"ids\" of operation POST /pets|[]|q",
                    "schema \"Pet\"||cq",
                    "schema \"Pet\"|id|cq",
                ]
            );
        });
    }

    #[test]
    fn types_read_nullable_and_lists() {
        let tree = parse(
            "a: {type: string, nullable: true}\nb: {type: [integer, 'null']}\nc: {properties: {}}\n",
            Format::Yaml,
        )
        .unwrap();
        let root = tree.root().unwrap();
        let of = |k| Types::of(&tree, tree.get_value(root, k).unwrap());
        assert!(of("a").contains(Types::NULL) && of("a").is_only(Types::STRING));
        assert!(of("b").is_only(Types::INTEGER) && of("b").contains(Types::NULL));
        assert!(of("c").is_only(Types::OBJECT));
    }
}
