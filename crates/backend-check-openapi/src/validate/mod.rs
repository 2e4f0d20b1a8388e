//! Structural validity: a walk of the document along the tables of
//! [`tables`], and a scan for duplicate mapping keys. Both run in one pass
//! over the nodes they visit and allocate only for what they report.

pub mod tables;

use std::collections::HashMap;

use backend_check_core::Span;

use crate::load::{EntryKind, NodeId, Tree, Value};
use crate::model::SpecVersion;
use tables::{object, Keys, Kind, Shape, Versions, V2, V30, V31};

/// A structural problem: where it is and what to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The node the finding is about (its span is `span`).
    pub node: NodeId,
    /// Where to report it.
    pub span: Span,
    /// The message.
    pub message: String,
    /// The help line.
    pub help: String,
}

/// The versions bit of a spec version; `None` for versions the tables do not describe.
pub fn version_bit(version: SpecVersion) -> Option<Versions> {
    match version {
        SpecVersion::Swagger2 => Some(V2),
        SpecVersion::OpenApi30 => Some(V30),
        SpecVersion::OpenApi31 => Some(V31),
        SpecVersion::OpenApi32 | SpecVersion::Unknown => None,
    }
}

/// Checks a whole document against its version's tables.
pub fn check_document(tree: &Tree<'_>, version: SpecVersion) -> Vec<Problem> {
    let (Some(root), Some(version)) = (tree.root(), version_bit(version)) else {
        return Vec::new();
    };
    let mut walker = Walker {
        tree,
        version,
        path: Vec::new(),
        out: Vec::new(),
        budget: tree.len().saturating_mul(4).max(1024),
    };
    if tree.is_mapping(root) {
        walker.object(Kind::Root, root, None);
    }
    walker.out
}

#[derive(Debug, Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Walker<'a, 't> {
    tree: &'a Tree<'t>,
    version: Versions,
    path: Vec<Seg<'a>>,
    out: Vec<Problem>,
    budget: usize,
}

const MAX_DEPTH: usize = 256;

impl<'a> Walker<'a, '_> {
    fn object(&mut self, kind: Kind, node: NodeId, key: Option<NodeId>) {
        if self.budget == 0 || self.path.len() > MAX_DEPTH {
            return;
        }
        self.budget -= 1;
        let def = object(kind);
        let tree = self.tree;
        let v = self.version;
        if def.reference & v != 0 {
            if let Some(reference) = tree.get_value(node, "$ref") {
                self.reference(reference, kind);
                return;
            }
        }
        let owner_depth = self.path.len();
        for entry in tree.members(node) {
            let Some(name) = tree.text(entry.key) else {
                continue;
            };
            self.path.push(Seg::Key(name));
            self.member(kind, owner_depth, name, entry.key, entry.value);
            self.path.pop();
        }
        self.required(kind, node, key, owner_depth);
    }

    fn member(&mut self, kind: Kind, owner_depth: usize, name: &str, key: NodeId, value: NodeId) {
        let def = object(kind);
        let v = self.version;
        if let Some(field) = def
            .fields
            .iter()
            .find(|f| f.key == name && f.versions & v != 0)
        {
            if field.shape == Shape::Ref {
                self.reference(value, kind);
            } else {
                self.value(field.shape, value, key);
            }
            return;
        }
        if name.starts_with("x-") && def.extensions & v != 0 {
            return;
        }
        match def.keys {
            Keys::PathTemplates if name.starts_with('/') => {
                self.value(Shape::Obj(Kind::PathItem), value, key);
            }
            Keys::StatusCodes => self.value(Shape::Obj(Kind::Response), value, key),
            Keys::Expressions => self.value(Shape::Obj(Kind::PathItem), value, key),
            _ if def.open & v != 0 => {}
            _ => {
                let message = unknown_key_message(&self.label(kind, owner_depth), name, kind, v);
                self.report(key, message, unknown_key_help(kind, name, v));
            }
        }
    }

    fn required(&mut self, kind: Kind, node: NodeId, key: Option<NodeId>, owner_depth: usize) {
        let def = object(kind);
        let v = self.version;
        for field in def.fields.iter().filter(|f| f.required & v != 0) {
            if self.tree.get(node, field.key).is_none() {
                self.missing(kind, node, key, owner_depth, field.key);
            }
        }
        if kind == Kind::Example && self.tree.get(node, "value").is_some() {
            if let Some(external) = self.tree.get(node, "externalValue") {
                let message = both_values_message(&self.label(kind, owner_depth));
                self.report(external.key, message, both_values_help().to_string());
            }
        }
        for extra in conditional_required(self.tree, kind, node, v) {
            if self.tree.get(node, extra).is_none() {
                self.missing(kind, node, key, owner_depth, extra);
            }
        }
    }

    fn missing(
        &mut self,
        kind: Kind,
        node: NodeId,
        key: Option<NodeId>,
        owner_depth: usize,
        field: &str,
    ) {
        let at = key
            .or_else(|| self.tree.members(node).next().map(|e| e.key))
            .unwrap_or(node);
        let message = missing_message(&self.label(kind, owner_depth), field);
        self.report(at, message, missing_help(object(kind).name, field));
    }

    fn value(&mut self, shape: Shape, node: NodeId, key: NodeId) {
        let tree = self.tree;
        let v = self.version;
        let value = tree.value(node);
        let ok = match (shape, value) {
            (Shape::Any, _)
            | (Shape::Str, Value::String(_))
            | (Shape::Bool, Value::Bool(_))
            | (Shape::Num, Value::Number(_))
            | (Shape::AnySeq, Value::Sequence(_))
            | (Shape::AnyMap, Value::Mapping(_)) => true,
            (Shape::StrSeq, Value::Sequence(_)) => {
                self.items(node, Shape::Str);
                true
            }
            (Shape::StrMap, Value::Mapping(_)) => {
                self.map_values(node, Shape::Str, true);
                true
            }
            (Shape::Security, Value::Sequence(_)) => {
                self.items(node, Shape::Requirement);
                true
            }
            (Shape::Requirement, Value::Mapping(_)) => {
                self.map_values(node, Shape::StrSeq, false);
                true
            }
            (Shape::Obj(kind), Value::Mapping(_)) => {
                self.object(kind, node, Some(key));
                true
            }
            // `schemas: {$ref: ./schemas/_index.yaml}`: the whole map lives in
            // another file, as bundlers (Redocly, swagger-cli) resolve it.
            (Shape::Map(_), Value::Mapping(_)) if only_ref(tree, node) => true,
            (Shape::Map(kind), Value::Mapping(_)) => {
                self.map_values(node, element_shape(kind), false);
                true
            }
            (Shape::Seq(kind), Value::Sequence(_)) => {
                self.items(node, element_shape(kind));
                true
            }
            (Shape::Schema | Shape::BoolOrSchema | Shape::Items, Value::Mapping(_)) => {
                self.object(Kind::Schema, node, Some(key));
                true
            }
            (Shape::Schema, Value::Bool(_)) => v == V31,
            (Shape::BoolOrSchema, Value::Bool(_)) => true,
            (Shape::Items, Value::Sequence(_)) if v == V2 => {
                self.items(node, Shape::Schema);
                true
            }
            (Shape::Items, Value::Bool(_)) => v == V31,
            (Shape::Type, Value::String(_)) => true,
            (Shape::Type, Value::Sequence(_)) if v != V30 => {
                self.items(node, Shape::Str);
                true
            }
            (Shape::Exclusive, Value::Bool(_)) => v != V31,
            (Shape::Exclusive, Value::Number(_)) => v == V31,
            (Shape::Discriminator, Value::String(_)) => v == V2,
            (Shape::Discriminator, Value::Mapping(_)) if v != V2 => {
                self.object(Kind::Discriminator, node, Some(key));
                true
            }
            _ => false,
        };
        if !ok {
            let message = wrong_type_message(&self.pointer(), expected(shape, v), value);
            let at = match value {
                Value::Mapping(_) | Value::Sequence(_) => key,
                _ => node,
            };
            self.report(at, message, wrong_type_help(shape, v));
        }
    }

    fn items(&mut self, node: NodeId, shape: Shape) {
        let tree = self.tree;
        for (index, &item) in tree.items(node).iter().enumerate() {
            self.path.push(Seg::Index(index));
            self.value(shape, item, item);
            self.path.pop();
        }
    }

    fn map_values(&mut self, node: NodeId, shape: Shape, skip_extensions: bool) {
        let tree = self.tree;
        for entry in tree.members(node) {
            let Some(name) = tree.text(entry.key) else {
                continue;
            };
            if skip_extensions && name.starts_with("x-") {
                continue;
            }
            self.path.push(Seg::Key(name));
            self.value(shape, entry.value, entry.key);
            self.path.pop();
        }
    }

    fn reference(&mut self, node: NodeId, kind: Kind) {
        let in_open_schema = kind == Kind::Schema && self.version == V31;
        let problem = match self.tree.value(node) {
            Value::String(text) => ref_syntax_problem(text, !in_open_schema),
            _ => Some("is not a string"),
        };
        if let Some(reason) = problem {
            let text = self.tree.text(node).unwrap_or_default();
            self.report(node, ref_message(text, reason), ref_help().to_string());
        }
    }

    fn report(&mut self, node: NodeId, message: String, help: String) {
        self.out.push(Problem {
            node,
            span: self.tree.span(node),
            message,
            help,
        });
    }

    fn pointer(&self) -> String {
        pointer_of(&self.path)
    }

    fn label(&self, kind: Kind, depth: usize) -> String {
        let path = self.path.get(..depth).unwrap_or(&self.path);
        match (kind, path) {
            (Kind::Root, _) => "the document".to_string(),
            (Kind::Operation, [Seg::Key("paths"), Seg::Key(route), Seg::Key(method)]) => {
                format!("operation {} {route}", method.to_ascii_uppercase())
            }
            _ => format!("{} `{}`", object(kind).name, pointer_of(path)),
        }
    }
}

fn element_shape(kind: Kind) -> Shape {
    match kind {
        Kind::Schema => Shape::Schema,
        other => Shape::Obj(other),
    }
}

/// Fields required only for some values of another field (security schemes, 2.0 parameters).
fn conditional_required(
    tree: &Tree<'_>,
    kind: Kind,
    node: NodeId,
    v: Versions,
) -> &'static [&'static str] {
    let text = |key| tree.get_value(node, key).and_then(|n| tree.str(n));
    match kind {
        Kind::SecurityScheme => match (text("type"), v == V2) {
            (Some("apiKey"), _) => &["name", "in"],
            (Some("http"), false) => &["scheme"],
            (Some("oauth2"), false) => &["flows"],
            (Some("openIdConnect"), false) => &["openIdConnectUrl"],
            (Some("oauth2"), true) => match text("flow") {
                Some("implicit") => &["authorizationUrl", "scopes"],
                Some("password" | "application") => &["tokenUrl", "scopes"],
                Some("accessCode") => &["authorizationUrl", "tokenUrl", "scopes"],
                _ => &["flow", "scopes"],
            },
            _ => &[],
        },
        Kind::Parameter if v == V2 => match text("in") {
            Some("body") => &["schema"],
            Some(_) => &["type"],
            None => &[],
        },
        _ => &[],
    }
}

/// Why a `$ref` string is malformed, if it is.
pub fn ref_syntax_problem(text: &str, fragment_must_be_pointer: bool) -> Option<&'static str> {
    if text.trim().is_empty() {
        return Some("is empty");
    }
    if text.chars().any(char::is_whitespace) {
        return Some("contains whitespace");
    }
    let fragment = text.split_once('#').map(|(_, f)| f);
    match fragment {
        Some(f) if fragment_must_be_pointer && !f.is_empty() && !f.starts_with('/') => {
            Some("has a fragment that is not a JSON pointer")
        }
        _ => None,
    }
}

fn pointer_of(path: &[Seg<'_>]) -> String {
    let mut out = String::from("#");
    for seg in path {
        out.push('/');
        match seg {
            Seg::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn version_name(v: Versions) -> &'static str {
    match v {
        V2 => "Swagger 2.0",
        V30 => "OpenAPI 3.0",
        _ => "OpenAPI 3.1",
    }
}

fn unknown_key_message(owner: &str, key: &str, kind: Kind, v: Versions) -> String {
    if object(kind).fields.iter().any(|f| f.key == key) {
        format!(
            "{owner} has key \"{key}\", which {} does not define",
            version_name(v)
        )
    } else {
        format!("{owner} has unknown key \"{key}\"")
    }
}

fn unknown_key_help(kind: Kind, key: &str, v: Versions) -> String {
    match suggestion(kind, key, v) {
        Some(close) => format!("did you mean `{close}`? custom data goes under an `x-` key"),
        None => format!(
            "remove the key, or rename it to an `x-` extension; see the {} object of {}",
            object(kind).name,
            version_name(v)
        ),
    }
}

fn suggestion(kind: Kind, key: &str, v: Versions) -> Option<&'static str> {
    object(kind)
        .fields
        .iter()
        .filter(|f| f.versions & v != 0)
        .map(|f| (f.key, edit_distance(key, f.key)))
        .filter(|&(name, d)| d <= 2.min(name.len() / 3).max(1))
        .min_by_key(|&(_, d)| d)
        .map(|(name, _)| name)
}

/// Levenshtein distance, ASCII case ignored.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().map(|c| c.to_ascii_lowercase()).enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let cost = usize::from(ca != *cb);
            let best = (diagonal + cost)
                .min(above.saturating_add(1))
                .min(left.saturating_add(1));
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

fn both_values_message(owner: &str) -> String {
    format!("{owner} has both \"value\" and \"externalValue\"")
}

fn both_values_help() -> &'static str {
    "keep one: `value` embeds the example, `externalValue` points to it"
}

fn missing_message(owner: &str, field: &str) -> String {
    format!("{owner} is missing required key \"{field}\"")
}

fn missing_help(object: &str, field: &str) -> String {
    format!("add `{field}`: every {object} of this kind must have it")
}

fn wrong_type_message(pointer: &str, expected: &str, found: &Value<'_>) -> String {
    format!(
        "`{pointer}` is {}, expected {expected}",
        with_article(found.kind_name())
    )
}

fn wrong_type_help(shape: Shape, v: Versions) -> String {
    match shape {
        Shape::Str => "quote the value so it is read as a string".to_string(),
        _ => format!("write {} here", expected(shape, v)),
    }
}

fn with_article(kind: &str) -> String {
    match kind {
        "null" => "null".to_string(),
        "alias" | "number" | "boolean" | "string" | "mapping" | "sequence" => {
            let article = if kind == "alias" { "an" } else { "a" };
            format!("{article} {kind}")
        }
        other => other.to_string(),
    }
}

fn expected(shape: Shape, v: Versions) -> &'static str {
    match shape {
        Shape::Any => "any value",
        Shape::Str | Shape::Ref => "a string",
        Shape::Bool => "a boolean",
        Shape::Num => "a number",
        Shape::StrSeq => "a sequence of strings",
        Shape::StrMap => "a mapping of strings",
        Shape::Security => "a sequence of security requirements",
        Shape::Requirement => "a mapping of scheme names to scopes",
        Shape::AnySeq | Shape::Seq(_) => "a sequence",
        Shape::AnyMap | Shape::Obj(_) | Shape::Map(_) => "a mapping",
        Shape::Schema if v == V31 => "a schema (a mapping or a boolean)",
        Shape::Schema => "a schema (a mapping)",
        Shape::Type if v == V30 => "a string",
        Shape::Type => "a string or a sequence of strings",
        Shape::Items if v == V2 => "a schema or a sequence of schemas",
        Shape::Items => "a schema (a mapping)",
        Shape::Exclusive if v == V31 => "a number",
        Shape::Exclusive => "a boolean",
        Shape::BoolOrSchema => "a boolean or a schema",
        Shape::Discriminator if v == V2 => "a string (the property name)",
        Shape::Discriminator => "a discriminator mapping with `propertyName`",
    }
}

fn ref_message(text: &str, reason: &str) -> String {
    format!("`$ref` \"{text}\" is not a valid reference: it {reason}")
}

fn ref_help() -> &'static str {
    "write a URI reference such as `#/components/schemas/Pet` or `common.yaml#/Pet`; percent-encode spaces"
}

/// Pairs of (first, repeated) keys written twice in the same mapping.
pub fn duplicate_keys(tree: &Tree<'_>) -> Vec<(NodeId, NodeId)> {
    let mut out = Vec::new();
    let mut seen: HashMap<&str, NodeId> = HashMap::new();
    for id in tree.node_ids() {
        if !matches!(tree.raw_value(id), Value::Mapping(_)) {
            continue;
        }
        let entries = tree.entries(id);
        let own = || entries.iter().filter(|e| e.kind == EntryKind::Own);
        if entries.len() <= 12 {
            for (i, a) in own().enumerate() {
                let Some(name) = tree.text(a.key) else {
                    continue;
                };
                if let Some(first) = own().take(i).find(|b| tree.text(b.key) == Some(name)) {
                    out.push((first.key, a.key));
                }
            }
        } else {
            seen.clear();
            for entry in own() {
                let Some(name) = tree.text(entry.key) else {
                    continue;
                };
                if let Some(&first) = seen.get(name) {
                    out.push((first, entry.key));
                } else {
                    seen.insert(name, entry.key);
                }
            }
        }
    }
    out
}

/// Whether a mapping holds nothing but a `$ref`.
fn only_ref(tree: &crate::load::Tree<'_>, node: NodeId) -> bool {
    let mut members = tree.members(node);
    matches!(
        (members.next(), members.next()),
        (Some(entry), None) if tree.text(entry.key) == Some("$ref")
    )
}

#[cfg(test)]
mod tests;
