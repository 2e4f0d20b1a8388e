use backend_check_core::{declare_rule, Sink};

use crate::load::At;
use crate::model::Types;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds a `format` from the OpenAPI format registry written on a schema
    /// whose single `type` it does not describe: `type: string, format: int32`,
    /// `type: integer, format: date-time`, `type: boolean, format: uuid`.
    /// Formats the registry does not know (custom ones such as `currency`)
    /// are left alone, and so is `type: string, format: int64` (and `uint64`),
    /// the usual way to carry 64-bit integers past JavaScript's number range.
    /// Schemas with several types (3.1 type lists) are not checked.
    ///
    /// ## Why is this bad?
    /// A format refines one type. On another type validators ignore it, and
    /// code generators either ignore it or pick the wrong language type (an
    /// `int` field for a value that is really text), so the mismatch usually
    /// means the `type` or the `format` is a slip.
    ///
    /// ## Example
    /// ```yaml
    /// created_at:
    ///   type: integer
    ///   format: date-time
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// created_at:
    ///   type: string
    ///   format: date-time
    /// ```
    ///
    /// ## Options
    /// None.
    pub TypeFormatMismatch {
        code: "OAS081",
        name: "type-format-mismatch",
        checklist: ApiContract,
        group: Suspicious,
        severity: Warning,
        summary: "a known `format` on a schema of a type it does not describe",
    }
}

impl TypeFormatMismatch {
    /// Reports each schema whose known format does not fit its type.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for node in &cx.api.schemas(cx.docs).nodes {
            let tree = cx.docs.tree(node.at.file);
            if tree.get_value(node.at.node, "type").is_none() {
                continue;
            }
            let Some(format_node) = tree.get_value(node.at.node, "format") else {
                continue;
            };
            let Some(format) = tree.str(format_node) else {
                continue;
            };
            let types = Types::of(tree, node.at.node).non_null();
            let Some(type_name) = single_type(types) else {
                continue;
            };
            if fits(type_name, format) != Some(false) {
                continue;
            }
            let at = At::new(node.at.file, format_node);
            let diagnostic = cx
                .diagnostic(&Self::META, at, message(format, type_name))
                .with_help(help(format));
            sink.push(diagnostic);
        }
    }
}

fn single_type(types: Types) -> Option<&'static str> {
    [
        (Types::STRING, "string"),
        (Types::INTEGER, "integer"),
        (Types::NUMBER, "number"),
        (Types::BOOLEAN, "boolean"),
        (Types::OBJECT, "object"),
        (Types::ARRAY, "array"),
    ]
    .into_iter()
    .find(|(t, _)| types == *t)
    .map(|(_, name)| name)
}

/// The type a registry format describes; `None` for formats it does not know.
fn format_type(format: &str) -> Option<&'static str> {
    Some(match format {
        "int32" | "int64" => "integer",
        "float" | "double" => "number",
        "date"
        | "date-time"
        | "time"
        | "duration"
        | "email"
        | "idn-email"
        | "hostname"
        | "idn-hostname"
        | "ipv4"
        | "ipv6"
        | "uri"
        | "uri-reference"
        | "iri"
        | "iri-reference"
        | "uri-template"
        | "uuid"
        | "json-pointer"
        | "relative-json-pointer"
        | "regex"
        | "byte"
        | "binary"
        | "password"
        | "base64url" => "string",
        _ => return None,
    })
}

/// Whether a known format fits a type; `None` for an unknown format.
fn fits(type_name: &str, format: &str) -> Option<bool> {
    let described = format_type(format)?;
    Some(match (type_name, described) {
        (t, d) if t == d => true,
        ("number", "integer") => true,
        ("string", "integer") => format == "int64",
        _ => false,
    })
}

fn message(format: &str, type_name: &str) -> String {
    format!("format \"{format}\" does not apply to type \"{type_name}\"")
}

fn help(format: &str) -> String {
    let described = format_type(format).unwrap_or("string");
    format!("use `type: {described}` with this format, or a format of the schema's type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats_fit_their_types() {
        assert_eq!(fits("string", "int32"), Some(false));
        assert_eq!(fits("string", "int64"), Some(true));
        assert_eq!(fits("number", "int64"), Some(true));
        assert_eq!(fits("integer", "date-time"), Some(false));
        assert_eq!(fits("integer", "double"), Some(false));
        assert_eq!(fits("string", "currency"), None);
    }
}
