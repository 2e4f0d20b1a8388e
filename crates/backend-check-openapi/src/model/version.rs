//! Which OpenAPI (or Swagger) version a document declares.

use crate::load::Tree;

/// The specification version a document declares at its root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpecVersion {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.0.x`.
    OpenApi30,
    /// `openapi: 3.1.x`.
    OpenApi31,
    /// `openapi: 3.2.x`.
    OpenApi32,
    /// No `openapi`/`swagger` key, or a version this tool does not know.
    Unknown,
}

impl SpecVersion {
    /// Reads the version from the root's `openapi` or `swagger` value.
    pub fn detect(tree: &Tree<'_>) -> SpecVersion {
        let Some(root) = tree.root() else {
            return SpecVersion::Unknown;
        };
        if let Some(text) = tree.get_value(root, "openapi").and_then(|v| tree.text(v)) {
            return SpecVersion::from_openapi(text);
        }
        match tree.get_value(root, "swagger").and_then(|v| tree.text(v)) {
            Some(text) if is_minor(text.trim(), "2.0") => SpecVersion::Swagger2,
            _ => SpecVersion::Unknown,
        }
    }

    /// The version an `openapi` field names (`3.0.3`, `3.1.0`, …).
    pub fn from_openapi(text: &str) -> SpecVersion {
        let text = text.trim();
        [
            ("3.0", SpecVersion::OpenApi30),
            ("3.1", SpecVersion::OpenApi31),
            ("3.2", SpecVersion::OpenApi32),
        ]
        .into_iter()
        .find(|(minor, _)| is_minor(text, minor))
        .map_or(SpecVersion::Unknown, |(_, version)| version)
    }

    /// Whether the version has top-level `webhooks` (3.1 and later).
    pub fn has_webhooks(self) -> bool {
        matches!(self, SpecVersion::OpenApi31 | SpecVersion::OpenApi32)
    }

    /// Whether the version has the `query` HTTP method on path items (3.2).
    pub fn has_query_method(self) -> bool {
        self == SpecVersion::OpenApi32
    }

    /// A label such as `OpenAPI 3.1`.
    pub fn label(self) -> &'static str {
        match self {
            SpecVersion::Swagger2 => "Swagger 2.0",
            SpecVersion::OpenApi30 => "OpenAPI 3.0",
            SpecVersion::OpenApi31 => "OpenAPI 3.1",
            SpecVersion::OpenApi32 => "OpenAPI 3.2",
            SpecVersion::Unknown => "an unknown OpenAPI version",
        }
    }
}

/// `3.1` matches `3.1` and `3.1.<anything>`.
fn is_minor(text: &str, minor: &str) -> bool {
    text.strip_prefix(minor)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{parse, Format};

    fn detect(text: &str, format: Format) -> SpecVersion {
        SpecVersion::detect(&parse(text, format).unwrap())
    }

    #[test]
    fn versions_are_detected() {
        assert_eq!(
            detect("swagger: \"2.0\"\n", Format::Yaml),
            SpecVersion::Swagger2
        );
        assert_eq!(
            detect("swagger: 2.0\n", Format::Yaml),
            SpecVersion::Swagger2
        );
        assert_eq!(
            detect("openapi: 3.0.3\n", Format::Yaml),
            SpecVersion::OpenApi30
        );
        assert_eq!(
            detect("openapi: '3.1.0'\n", Format::Yaml),
            SpecVersion::OpenApi31
        );
        assert_eq!(
            detect("openapi: 3.2.0\n", Format::Yaml),
            SpecVersion::OpenApi32
        );
        assert_eq!(
            detect(r#"{"openapi": "3.0.0"}"#, Format::Json),
            SpecVersion::OpenApi30
        );
        assert_eq!(
            detect(r#"{"swagger": "2.0"}"#, Format::Json),
            SpecVersion::Swagger2
        );
    }

    #[test]
    fn unknown_versions_are_unknown() {
        assert_eq!(
            detect("openapi: 3.10.0\n", Format::Yaml),
            SpecVersion::Unknown
        );
        assert_eq!(
            detect("swagger: '1.2'\n", Format::Yaml),
            SpecVersion::Unknown
        );
        assert_eq!(detect("info: {}\n", Format::Yaml), SpecVersion::Unknown);
    }
}
