use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, SourceFile, Span};

use crate::load::SyntaxError;

declare_rule! {
    /// ## What it does
    /// Reports an OpenAPI document that cannot be read as a document at all: a
    /// YAML or JSON syntax error, bytes that are not UTF-8, a file that cannot be
    /// read, or a document whose top level is not a mapping. The finding points at
    /// the exact place where parsing stopped. Nothing else is checked in such a file.
    ///
    /// ## Why is this bad?
    /// A spec that does not parse is no contract: code generators, gateways, mock
    /// servers and documentation sites reject it or, worse, some of them read it
    /// differently than others. Every other check is blind to it, so a clean run
    /// would mean nothing.
    ///
    /// ## Example
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Pets
    ///   version: 1.0.0
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         '200': {description: ok
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// openapi: 3.0.3
    /// info:
    ///   title: Pets
    ///   version: 1.0.0
    /// paths:
    ///   /pets:
    ///     get:
    ///       responses:
    ///         '200': {description: ok}
    /// ```
    ///
    /// ## Options
    /// None. JSON documents are read as strict JSON: comments and trailing commas
    /// are syntax errors, as they are for most tools that consume a spec.
    pub ParseError {
        code: "OAS000",
        name: "parse-error",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "an OpenAPI document that is not valid YAML or JSON, or whose root is not a mapping",
    }
}

impl ParseError {
    /// A YAML or JSON syntax error.
    pub fn syntax(file: &Arc<SourceFile>, error: &SyntaxError) -> Diagnostic {
        Diagnostic::new(&Self::META, file, error.span, error.message.clone())
            .with_help("fix the syntax here; no other rule can check this document until it parses")
    }

    /// A file whose bytes are not UTF-8.
    pub fn not_utf8(file: &Arc<SourceFile>, offset: usize) -> Diagnostic {
        Diagnostic::new(
            &Self::META,
            file,
            Span::at(offset),
            not_utf8_message(offset),
        )
        .with_help("save the document as UTF-8, as YAML and JSON require")
    }

    /// A file that could not be read.
    pub fn unreadable(file: &Arc<SourceFile>, error: &std::io::Error) -> Diagnostic {
        Diagnostic::new(&Self::META, file, Span::at(0), unreadable_message(error)).with_help(
            "check that the file exists and is readable, or remove it from `openapi.paths`",
        )
    }

    /// A document whose root is a scalar, a sequence or nothing.
    pub fn root_not_mapping(file: &Arc<SourceFile>, span: Span, kind: &str) -> Diagnostic {
        Diagnostic::new(&Self::META, file, span, root_message(kind)).with_help(
            "an OpenAPI document is a mapping with `openapi` (or `swagger`), `info` and `paths` at its top level",
        )
    }
}

fn not_utf8_message(offset: usize) -> String {
    format!("document is not valid UTF-8 (first invalid byte at offset {offset})")
}

fn unreadable_message(error: &std::io::Error) -> String {
    format!("cannot read the document: {error}")
}

fn root_message(kind: &str) -> String {
    if kind == "empty" {
        "document is empty, expected a mapping at its root".to_owned()
    } else {
        format!("document root is a {kind}, expected a mapping")
    }
}
