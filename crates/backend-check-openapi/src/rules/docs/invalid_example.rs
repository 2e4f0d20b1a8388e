use std::collections::HashSet;

use backend_check_core::{declare_rule, Sink};

use crate::load::{At, Docs, Value};
use crate::model::{child, SpecVersion};
use crate::rules::example_validator::{Failure, Validator};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Validates every example against the schema it illustrates: `example`
    /// and 3.1 `examples` on schemas; `example` and `examples.*.value` on 3.x
    /// parameters, headers and JSON or form media types; and the 2.0 response
    /// `examples` map. The checks are `type` (with `nullable` and 3.1 type
    /// lists), `enum`, `const`, `required`, `properties`,
    /// `additionalProperties`, `items`, `minimum`/`maximum` (and their
    /// exclusive forms), `minLength`/`maxLength`, `minItems`/`maxItems`, the
    /// `date`, `date-time`, `uuid` and `email` formats, every member of
    /// `allOf` and one of `oneOf`/`anyOf`. A required property marked
    /// `readOnly` or `writeOnly` may be left out. The finding points at the
    /// offending value inside the example and names its path. `pattern`,
    /// `not`, other formats, `externalValue` examples and XML or text media
    /// types are not checked.
    ///
    /// ## Why is this bad?
    /// Examples are what readers copy, what mock servers return and what
    /// documentation shows first. An example that breaks its schema either
    /// documents data the API rejects, or shows that the schema no longer
    /// describes what the API really sends: one of the two is wrong, and
    /// clients built from the example fail.
    ///
    /// ## Example
    /// ```yaml
    /// Order:
    ///   type: object
    ///   required: [id, total]
    ///   properties:
    ///     id: {type: integer}
    ///     total: {type: number, minimum: 0}
    ///   example:
    ///     id: "A-1001"
    ///     total: 12.5
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// Order:
    ///   type: object
    ///   required: [id, total]
    ///   properties:
    ///     id: {type: integer}
    ///     total: {type: number, minimum: 0}
    ///   example:
    ///     id: 1001
    ///     total: 12.5
    /// ```
    ///
    /// ## Options
    /// None.
    pub InvalidExample {
        code: "OAS080",
        name: "invalid-example",
        checklist: ApiDocs,
        group: Correctness,
        severity: Warning,
        summary: "an example that does not validate against its schema",
    }
}

impl InvalidExample {
    /// Validates every example of the document once against its schema.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let mut run = Run {
            cx,
            validator: Validator::new(cx.docs),
            owners: HashSet::new(),
            checked: HashSet::new(),
            failures: Vec::new(),
        };
        run.schemas();
        run.operations();
        run.components();
        for failure in run.failures {
            let diagnostic = cx
                .diagnostic(&Self::META, failure.node, message(&failure))
                .with_help("fix the example, or the schema if it no longer describes the data");
            sink.push(diagnostic);
        }
    }
}

fn message(failure: &Failure) -> String {
    if failure.path.is_empty() {
        format!("example {}", failure.reason)
    } else {
        format!("example value at `{}` {}", failure.path, failure.reason)
    }
}

struct Run<'r, 'c> {
    cx: &'r Context<'c>,
    validator: Validator<'r, 'c>,
    owners: HashSet<At>,
    checked: HashSet<(At, At)>,
    failures: Vec<Failure>,
}

impl Run<'_, '_> {
    fn is_swagger(&self) -> bool {
        self.cx.api.version == SpecVersion::Swagger2
    }

    fn validate(&mut self, schema: At, value: At, key: Option<At>) {
        if !self.checked.insert((schema, value)) {
            return;
        }
        if let Some(failure) = self.validator.check(schema, value, key) {
            self.failures.push(failure);
        }
    }

    /// `example` (and 3.1 `examples`) written on each schema.
    fn schemas(&mut self) {
        let cx = self.cx;
        let list_examples =
            cx.api.version != SpecVersion::Swagger2 && cx.api.version != SpecVersion::OpenApi30;
        for node in &cx.api.schemas(cx.docs).nodes {
            let tree = cx.docs.tree(node.at.file);
            if let Some(example) = tree.get(node.at.node, "example") {
                let key = At::new(node.at.file, example.key);
                self.validate(node.at, At::new(node.at.file, example.value), Some(key));
            }
            if !list_examples {
                continue;
            }
            if let Some(examples) = tree.get_value(node.at.node, "examples") {
                for item in tree.items(examples) {
                    self.validate(node.at, At::new(node.at.file, *item), None);
                }
            }
        }
    }

    fn operations(&mut self) {
        let cx = self.cx;
        for operation in &cx.api.operations {
            for parameter in &operation.parameters {
                self.parameter_or_header(parameter.node);
            }
            if !self.is_swagger() {
                if let Some(body) = operation.request_body {
                    self.content(body);
                }
            }
            for response in &operation.responses {
                self.response(response.node);
            }
        }
    }

    fn components(&mut self) {
        let cx = self.cx;
        let root = cx.api.root;
        if self.is_swagger() {
            for response in self.members(child(cx.docs, root, "responses")) {
                self.response(response);
            }
            return;
        }
        let Some(components) = child(cx.docs, root, "components") else {
            return;
        };
        for parameter in self.members(child(cx.docs, components, "parameters")) {
            self.parameter_or_header(parameter);
        }
        for header in self.members(child(cx.docs, components, "headers")) {
            self.parameter_or_header(header);
        }
        for body in self.members(child(cx.docs, components, "requestBodies")) {
            self.content(body);
        }
        for response in self.members(child(cx.docs, components, "responses")) {
            self.response(response);
        }
    }

    /// The values of a mapping's non-extension members, `$ref`s followed.
    fn members(&self, map: Option<At>) -> Vec<At> {
        let Some(map) = map else {
            return Vec::new();
        };
        let docs = self.cx.docs;
        let tree = docs.tree(map.file);
        tree.members(map.node)
            .filter(|e| tree.text(e.key).is_some_and(|k| !k.starts_with("x-")))
            .map(|e| docs.follow(At::new(map.file, e.value)))
            .collect()
    }

    fn first_visit(&mut self, owner: At) -> bool {
        self.owners.insert(owner)
    }

    /// A 3.x parameter or header: examples against `schema`, or its `content`.
    fn parameter_or_header(&mut self, owner: At) {
        if self.is_swagger() || !self.first_visit(owner) {
            return;
        }
        if let Some(schema) = child(self.cx.docs, owner, "schema") {
            self.examples_of(owner, schema);
        }
        self.content(owner);
    }

    fn response(&mut self, response: At) {
        if !self.first_visit(response) {
            return;
        }
        let docs = self.cx.docs;
        if self.is_swagger() {
            self.swagger_examples(response);
            return;
        }
        self.content(response);
        let headers = child(docs, response, "headers").map(|h| docs.follow(h));
        for header in self.members(headers) {
            self.parameter_or_header(header);
        }
    }

    /// 2.0 `examples: {mime: value}` against the response's `schema`.
    fn swagger_examples(&mut self, response: At) {
        let docs = self.cx.docs;
        let (Some(schema), Some(examples)) = (
            child(docs, response, "schema"),
            child(docs, response, "examples"),
        ) else {
            return;
        };
        let tree = docs.tree(examples.file);
        let values: Vec<(At, At)> = tree
            .members(examples.node)
            .filter(|e| tree.text(e.key).is_some_and(is_checked_media_type))
            .map(|e| {
                (
                    At::new(examples.file, e.key),
                    At::new(examples.file, e.value),
                )
            })
            .collect();
        for (key, value) in values {
            self.validate(schema, value, Some(key));
        }
    }

    /// The media types of a 3.x `content` map.
    fn content(&mut self, owner: At) {
        let docs = self.cx.docs;
        let Some(content) = child(docs, owner, "content").map(|c| docs.follow(c)) else {
            return;
        };
        let tree = docs.tree(content.file);
        let media: Vec<At> = tree
            .members(content.node)
            .filter(|e| tree.text(e.key).is_some_and(is_checked_media_type))
            .map(|e| docs.follow(At::new(content.file, e.value)))
            .collect();
        for media in media {
            if !self.first_visit(media) {
                continue;
            }
            if let Some(schema) = child(docs, media, "schema") {
                self.examples_of(media, schema);
            }
        }
    }

    /// `example` and each `examples.*.value` of a parameter, header or media type.
    fn examples_of(&mut self, owner: At, schema: At) {
        let docs = self.cx.docs;
        if let Some((key, example)) = entry(docs, owner, "example") {
            self.validate(schema, example, Some(key));
        }
        let Some(examples) = child(docs, owner, "examples") else {
            return;
        };
        let tree = docs.tree(examples.file);
        if !matches!(tree.value(examples.node), Value::Mapping(_)) {
            return;
        }
        for object in self.members(Some(examples)) {
            if child(docs, object, "externalValue").is_some() {
                continue;
            }
            if let Some((key, value)) = entry(docs, object, "value") {
                self.validate(schema, value, Some(key));
            }
        }
    }
}

/// The key and value of a member.
fn entry(docs: &Docs<'_>, at: At, key: &str) -> Option<(At, At)> {
    let entry = docs.tree(at.file).get(at.node, key)?;
    Some((At::new(at.file, entry.key), At::new(at.file, entry.value)))
}

/// JSON, form and wildcard media types: XML and text examples are serialized strings.
fn is_checked_media_type(media: &str) -> bool {
    let media = media.to_ascii_lowercase();
    let essence = media.split(';').next().unwrap_or("").trim();
    essence.contains("json")
        || essence == "application/x-www-form-urlencoded"
        || essence == "multipart/form-data"
        || essence == "*/*"
}
