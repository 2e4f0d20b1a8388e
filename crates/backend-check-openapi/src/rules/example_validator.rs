//! A small JSON Schema validator over the span tree, for examples: `type`
//! (with 3.0 `nullable` and 3.1 type lists), `enum`, `const`, `required`,
//! `properties`, `additionalProperties`, `items`, the numeric, length and
//! size bounds, and the `date`, `date-time`, `uuid` and `email` formats.
//! `allOf` needs every member, `oneOf`/`anyOf` any one. What it cannot
//! decide (`pattern`, `not`, broken `$ref`s, YAML aliases to incomplete
//! anchors, a spent work budget) counts as valid.

use std::collections::HashMap;
use std::rc::Rc;

use crate::load::{At, Docs, NodeId, Tree, Value};
use crate::model::{is_integral, is_true, Types};

/// Work allowed per example, in schema/value pairs visited.
const BUDGET: u32 = 20_000;
/// Deepest nesting of schemas and values followed.
const MAX_DEPTH: u32 = 64;

/// The keywords of one schema, read once: big examples visit the same
/// schema thousands of times, and objects with many properties would
/// otherwise be searched once per member.
struct Kw {
    found: Vec<(&'static str, NodeId)>,
    properties: HashMap<String, NodeId>,
    types: Types,
}

const KEYWORDS: &[&str] = &[
    "$ref",
    "type",
    "enum",
    "const",
    "required",
    "properties",
    "additionalProperties",
    "patternProperties",
    "items",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "format",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "allOf",
    "oneOf",
    "anyOf",
];

impl Kw {
    fn read(tree: &Tree<'_>, schema: NodeId) -> Kw {
        let mut found = Vec::new();
        let mut properties = HashMap::new();
        for entry in tree.members(schema) {
            let Some(key) = tree.text(entry.key) else {
                continue;
            };
            let Some(keyword) = KEYWORDS.iter().find(|k| **k == key) else {
                continue;
            };
            found.retain(|(k, _)| k != keyword);
            found.push((*keyword, entry.value));
            if *keyword == "properties" {
                properties.clear();
                for property in tree.members(entry.value) {
                    if let Some(name) = tree.text(property.key) {
                        properties.insert(name.to_owned(), property.value);
                    }
                }
            }
        }
        Kw {
            found,
            properties,
            types: Types::of(tree, schema),
        }
    }

    fn get(&self, keyword: &str) -> Option<NodeId> {
        self.found
            .iter()
            .find(|(k, _)| *k == keyword)
            .map(|(_, v)| *v)
    }
}

/// Why an example value does not validate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// The offending node of the example (a value, or a key for an unexpected property).
    pub node: At,
    /// Where it sits in the example: `items[0].id`; empty for the example itself.
    pub path: String,
    /// What failed: `is a string, the schema expects an integer`.
    pub reason: String,
}

/// Validates example values against schemas, following `$ref`s once per reference.
pub(crate) struct Validator<'v, 'c> {
    docs: &'v Docs<'c>,
    followed: HashMap<At, At>,
    keywords: HashMap<At, Rc<Kw>>,
    budget: u32,
    spent: bool,
}

impl<'v, 'c> Validator<'v, 'c> {
    /// A validator over a document and the files its references reach.
    pub fn new(docs: &'v Docs<'c>) -> Self {
        Validator {
            docs,
            followed: HashMap::new(),
            keywords: HashMap::new(),
            budget: BUDGET,
            spent: false,
        }
    }

    /// The first reason `value` does not validate against `schema`, if any.
    /// A failure about a whole mapping or sequence is reported at `key`
    /// (where the example is named), since a block collection starts on its
    /// first member's line.
    pub fn check(&mut self, schema: At, value: At, key: Option<At>) -> Option<Failure> {
        self.budget = BUDGET;
        self.spent = false;
        let failure = self.validate(schema, value, &mut String::new(), 0);
        let failure = failure.map(|mut f| {
            if let Some(key) = key.filter(|_| f.node == value && self.is_collection(value)) {
                f.node = key;
            }
            f
        });
        if self.spent {
            None
        } else {
            failure
        }
    }

    fn follow(&mut self, at: At) -> At {
        if let Some(target) = self.followed.get(&at) {
            return *target;
        }
        let target = self.docs.follow(at);
        self.followed.insert(at, target);
        target
    }

    fn keywords(&mut self, schema: At) -> Rc<Kw> {
        if let Some(kw) = self.keywords.get(&schema) {
            return Rc::clone(kw);
        }
        let kw = Rc::new(Kw::read(self.docs.tree(schema.file), schema.node));
        self.keywords.insert(schema, Rc::clone(&kw));
        kw
    }

    fn validate(
        &mut self,
        schema: At,
        value: At,
        path: &mut String,
        depth: u32,
    ) -> Option<Failure> {
        if self.budget == 0 || depth > MAX_DEPTH {
            self.spent = true;
            return None;
        }
        self.budget -= 1;
        let schema = self.follow(schema);
        let docs = self.docs;
        let st = docs.tree(schema.file);
        if !st.is_mapping(schema.node) {
            return None;
        }
        let kw = self.keywords(schema);
        if kw.get("$ref").is_some() {
            return None;
        }
        let vt = docs.tree(value.file);
        let value = At::new(value.file, vt.resolve(value.node));
        let v = vt.value(value.node);
        if matches!(v, Value::Alias(_)) {
            return None;
        }
        let fail = |reason: String, path: &String| {
            Some(Failure {
                node: value,
                path: path.clone(),
                reason,
            })
        };
        let types = kw.types;
        let typed = kw.get("type").is_some();
        if matches!(v, Value::Null) && types.contains(Types::NULL) {
            return None;
        }
        if typed && !types.contains(Types::FILE) && !types.admit(v) {
            return fail(type_reason(v, types), path);
        }
        if let Some(reason) = scalar_reason(st, &kw, v) {
            return fail(reason, path);
        }
        match v {
            Value::Mapping(_) => {
                if let Some(failure) = self.object(schema, &kw, value, path, depth) {
                    return Some(failure);
                }
            }
            Value::Sequence(_) => {
                if let Some(failure) = self.array(schema, &kw, value, path, depth) {
                    return Some(failure);
                }
            }
            _ => {}
        }
        self.compositions(schema, &kw, value, path, depth)
    }

    fn object(
        &mut self,
        schema: At,
        kw: &Kw,
        value: At,
        path: &mut String,
        depth: u32,
    ) -> Option<Failure> {
        let docs = self.docs;
        let st = docs.tree(schema.file);
        let vt = docs.tree(value.file);
        if let Some(required) = kw.get("required") {
            for name in st.items(required) {
                let Some(name) = st.str(*name) else { continue };
                if vt.get(value.node, name).is_some() {
                    continue;
                }
                let declared = kw.properties.get(name).copied();
                if declared.is_some_and(|d| self.is_read_or_write_only(At::new(schema.file, d))) {
                    continue;
                }
                return Some(Failure {
                    node: value,
                    path: path.clone(),
                    reason: format!("lacks the required property \"{name}\""),
                });
            }
        }
        let additional = kw.get("additionalProperties");
        let closed = additional.is_some_and(|a| matches!(st.value(a), Value::Bool(false)))
            && kw.get("patternProperties").is_none();
        let extra_schema = additional.filter(|a| st.is_mapping(*a));
        for entry in vt.members(value.node) {
            let Some(name) = vt.text(entry.key) else {
                continue;
            };
            let declared = kw.properties.get(name).copied();
            let mark = path.len();
            push_property(path, name);
            let failure = match (declared, extra_schema) {
                (Some(property), _) => self.validate(
                    At::new(schema.file, property),
                    At::new(value.file, entry.value),
                    path,
                    depth + 1,
                ),
                (None, Some(extra)) => self.validate(
                    At::new(schema.file, extra),
                    At::new(value.file, entry.value),
                    path,
                    depth + 1,
                ),
                (None, None) if closed => Some(Failure {
                    node: At::new(value.file, entry.key),
                    path: path.clone(),
                    reason: "is not a declared property and the schema has `additionalProperties: false`".to_owned(),
                }),
                (None, None) => None,
            };
            path.truncate(mark);
            if let Some(mut failure) = failure {
                let value_node = At::new(value.file, vt.resolve(entry.value));
                if failure.node == value_node && self.is_collection(value_node) {
                    failure.node = At::new(value.file, entry.key);
                }
                return Some(failure);
            }
        }
        None
    }

    fn array(
        &mut self,
        schema: At,
        kw: &Kw,
        value: At,
        path: &mut String,
        depth: u32,
    ) -> Option<Failure> {
        let docs = self.docs;
        let st = docs.tree(schema.file);
        let vt = docs.tree(value.file);
        let items = vt.items(value.node);
        let count = items.len();
        if let Some(min) = bound(st, kw, "minItems") {
            if (count as f64) < min {
                return Some(Failure {
                    node: value,
                    path: path.clone(),
                    reason: format!("has {count} items, fewer than `minItems: {min}`"),
                });
            }
        }
        if let Some(max) = bound(st, kw, "maxItems") {
            if (count as f64) > max {
                return Some(Failure {
                    node: value,
                    path: path.clone(),
                    reason: format!("has {count} items, more than `maxItems: {max}`"),
                });
            }
        }
        let item_schema = kw.get("items").filter(|i| st.is_mapping(*i))?;
        for (i, item) in items.iter().enumerate() {
            let mark = path.len();
            path.push_str(&format!("[{i}]"));
            let failure = self.validate(
                At::new(schema.file, item_schema),
                At::new(value.file, *item),
                path,
                depth + 1,
            );
            path.truncate(mark);
            if failure.is_some() {
                return failure;
            }
        }
        None
    }

    fn compositions(
        &mut self,
        schema: At,
        kw: &Kw,
        value: At,
        path: &mut String,
        depth: u32,
    ) -> Option<Failure> {
        let docs = self.docs;
        let st = docs.tree(schema.file);
        if let Some(all) = kw.get("allOf") {
            for member in st.items(all) {
                let failure = self.validate(At::new(schema.file, *member), value, path, depth + 1);
                if failure.is_some() {
                    return failure;
                }
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            let Some(list) = kw.get(keyword) else {
                continue;
            };
            let members = st.items(list);
            if members.is_empty() {
                continue;
            }
            let mut failures = Vec::new();
            for member in members {
                match self.validate(At::new(schema.file, *member), value, path, depth + 1) {
                    None => {
                        failures.clear();
                        break;
                    }
                    Some(failure) => failures.push(failure),
                }
            }
            if failures.is_empty() {
                continue;
            }
            return Some(closest(failures, value, path, keyword));
        }
        None
    }

    fn is_collection(&self, at: At) -> bool {
        matches!(
            self.docs.tree(at.file).value(at.node),
            Value::Mapping(_) | Value::Sequence(_)
        )
    }

    fn is_read_or_write_only(&mut self, property: At) -> bool {
        let property = self.follow(property);
        let tree = self.docs.tree(property.file);
        is_true(tree, property.node, "readOnly") || is_true(tree, property.node, "writeOnly")
    }
}

/// The failure to report when no branch of a `oneOf`/`anyOf` validates: a
/// single branch's own failure, or the one failure that got past the
/// example's type (the branch the author meant), else the composition itself.
fn closest(mut failures: Vec<Failure>, value: At, path: &str, keyword: &str) -> Failure {
    let count = failures.len();
    let deeper: Vec<usize> = failures
        .iter()
        .enumerate()
        .filter(|(_, f)| f.path.len() > path.len() || f.node != value)
        .map(|(i, _)| i)
        .collect();
    if count == 1 || deeper.len() == 1 {
        let index = if count == 1 {
            0
        } else {
            deeper.first().copied().unwrap_or(0)
        };
        if index < failures.len() {
            return failures.swap_remove(index);
        }
    }
    Failure {
        node: value,
        path: path.to_owned(),
        reason: format!("matches none of the {count} `{keyword}` schemas"),
    }
}

fn push_property(path: &mut String, name: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
}

fn kind_of(value: &Value<'_>) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if is_integral(n) => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Mapping(_) => "an object",
        Value::Sequence(_) => "an array",
        Value::Alias(_) => "an alias",
    }
}

fn type_reason(value: &Value<'_>, types: Types) -> String {
    let expected = types.describe();
    let article = if expected.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!(
        "is {}, the schema expects {article} {expected}",
        kind_of(value)
    )
}

/// A numeric keyword's value.
fn bound(tree: &Tree<'_>, kw: &Kw, keyword: &str) -> Option<f64> {
    let node = kw.get(keyword)?;
    match tree.value(node) {
        Value::Number(n) => n.parse::<f64>().ok(),
        _ => None,
    }
}

/// `enum`, `const`, bounds and format: the checks on one value, not its members.
fn scalar_reason(tree: &Tree<'_>, kw: &Kw, value: &Value<'_>) -> Option<String> {
    if let Some(list) = kw.get("enum") {
        let listed = tree.items(list);
        let comparable = listed.iter().all(|i| is_scalar(tree.value(*i)));
        if comparable
            && is_scalar(value)
            && !listed.is_empty()
            && !listed.iter().any(|i| same(tree.value(*i), value))
        {
            return Some(format!(
                "{} is not one of the schema's `enum` values",
                shown(value)
            ));
        }
    }
    if let Some(constant) = kw.get("const") {
        let constant = tree.value(constant);
        if is_scalar(constant) && is_scalar(value) && !same(constant, value) {
            return Some(format!(
                "{} is not the schema's `const` value",
                shown(value)
            ));
        }
    }
    match value {
        Value::String(s) => string_reason(tree, kw, s),
        Value::Number(n) => n
            .parse::<f64>()
            .ok()
            .and_then(|n| number_reason(tree, kw, n)),
        _ => None,
    }
}

fn is_scalar(value: &Value<'_>) -> bool {
    matches!(
        value,
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_)
    )
}

fn same(a: &Value<'_>, b: &Value<'_>) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y
                || x.parse::<f64>()
                    .ok()
                    .zip(y.parse::<f64>().ok())
                    .is_some_and(|(x, y)| x == y)
        }
        _ => a == b,
    }
}

fn shown(value: &Value<'_>) -> String {
    match value {
        Value::String(s) if s.chars().count() > 40 => {
            let head: String = s.chars().take(37).collect();
            format!("\"{head}...\"")
        }
        Value::String(s) => format!("\"{s}\""),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => other.kind_name().to_owned(),
    }
}

fn string_reason(tree: &Tree<'_>, kw: &Kw, text: &str) -> Option<String> {
    let length = text.chars().count();
    if let Some(min) = bound(tree, kw, "minLength") {
        if (length as f64) < min {
            return Some(format!(
                "is {length} characters long, shorter than `minLength: {min}`"
            ));
        }
    }
    if let Some(max) = bound(tree, kw, "maxLength") {
        if (length as f64) > max {
            return Some(format!(
                "is {length} characters long, longer than `maxLength: {max}`"
            ));
        }
    }
    let format = kw.get("format").and_then(|f| tree.str(f))?;
    let valid = match format {
        "date" => is_date(text),
        "date-time" => is_date_time(text),
        "uuid" => is_uuid(text),
        "email" => is_email(text),
        _ => true,
    };
    (!valid).then(|| {
        format!(
            "{} is not a valid `{format}`",
            shown(&Value::String(text.into()))
        )
    })
}

fn number_reason(tree: &Tree<'_>, kw: &Kw, n: f64) -> Option<String> {
    let exclusive = |key: &str| kw.get(key).map(|v| tree.value(v).clone());
    if let Some(min) = bound(tree, kw, "minimum") {
        let strict = matches!(exclusive("exclusiveMinimum"), Some(Value::Bool(true)));
        if n < min || (strict && n == min) {
            let op = if strict { "exclusive " } else { "" };
            return Some(format!("is below the {op}`minimum: {min}`"));
        }
    }
    if let Some(max) = bound(tree, kw, "maximum") {
        let strict = matches!(exclusive("exclusiveMaximum"), Some(Value::Bool(true)));
        if n > max || (strict && n == max) {
            let op = if strict { "exclusive " } else { "" };
            return Some(format!("is above the {op}`maximum: {max}`"));
        }
    }
    if let Some(min) = bound(tree, kw, "exclusiveMinimum") {
        if n <= min {
            return Some(format!("is not above `exclusiveMinimum: {min}`"));
        }
    }
    if let Some(max) = bound(tree, kw, "exclusiveMaximum") {
        if n >= max {
            return Some(format!("is not below `exclusiveMaximum: {max}`"));
        }
    }
    None
}

fn digits(text: &str, count: usize) -> Option<u32> {
    (text.len() == count && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD` with a real month and day.
fn is_date(text: &str) -> bool {
    let mut parts = text.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// RFC 3339 `date-time`: a date, `T`, `hh:mm:ss[.frac]` and `Z` or `±hh:mm`.
fn is_date_time(text: &str) -> bool {
    let Some(split) = text.find(['T', 't', ' ']) else {
        return false;
    };
    let (Some(date), Some(rest)) = (text.get(..split), text.get(split + 1..)) else {
        return false;
    };
    if !is_date(date) || text.get(split..=split) == Some(" ") {
        return false;
    }
    let (time, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
        None => return false,
    };
    is_time(time) && is_offset(offset)
}

fn is_time(text: &str) -> bool {
    let (clock, fraction) = match text.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (text, None),
    };
    if fraction.is_some_and(|f| f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    let mut parts = clock.split(':');
    let (Some(h), Some(m), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    matches!(
        (digits(h, 2), digits(m, 2), digits(s, 2)),
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s <= 60
    )
}

fn is_offset(text: &str) -> bool {
    if text.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(rest) = text.strip_prefix(['+', '-']) else {
        return false;
    };
    let Some((h, m)) = rest.split_once(':') else {
        return false;
    };
    matches!((digits(h, 2), digits(m, 2)), (Some(h), Some(m)) if h < 24 && m < 60)
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(is_date("2024-02-29") && !is_date("2023-02-29") && !is_date("2024-1-01"));
        assert!(is_date_time("2024-05-01T12:30:00Z"));
        assert!(is_date_time("2024-05-01T12:30:00.123+02:00"));
        assert!(!is_date_time("2024-05-01T12:30:00"));
        assert!(!is_date_time("2024-05-01"));
        assert!(!is_date_time("2024-05-01 12:30:00Z"));
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000") && !is_uuid("123"));
        assert!(is_email("a@b.io") && !is_email("ab.io") && !is_email("a b@c.io"));
    }
}
