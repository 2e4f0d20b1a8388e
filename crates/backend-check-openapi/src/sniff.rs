//! A cheap content sniff: is this YAML or JSON file an OpenAPI or Swagger document?

const SPEC_KEYS: [&str; 2] = ["openapi", "swagger"];

/// Whether a document has a top-level `openapi` or `swagger` key. It reads no
/// further than it must and parses nothing: YAML is scanned line by line for
/// such a key at column 0; JSON (text starting with `{`) is scanned for such a
/// member of the outermost object, nested keys being ignored.
pub fn is_openapi_document(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().starts_with('{') {
        json_has_spec_key(text.as_bytes())
    } else {
        text.lines().any(is_yaml_spec_key_line)
    }
}

fn is_yaml_spec_key_line(line: &str) -> bool {
    SPEC_KEYS.iter().any(|key| {
        ["", "\"", "'"]
            .iter()
            .filter_map(|quote| yaml_key_rest(line, key, quote))
            .any(|(quoted, rest)| {
                let after = rest.trim_start_matches([' ', '\t']);
                match after.strip_prefix(':') {
                    Some(value) => quoted || value.is_empty() || value.starts_with([' ', '\t']),
                    None => false,
                }
            })
    })
}

/// What follows `key` (in the given quotes) at the start of a line.
fn yaml_key_rest<'l>(line: &'l str, key: &str, quote: &str) -> Option<(bool, &'l str)> {
    let rest = line
        .strip_prefix(quote)?
        .strip_prefix(key)?
        .strip_prefix(quote)?;
    Some((!quote.is_empty(), rest))
}

/// Scans the outermost JSON object for an `"openapi"` or `"swagger"` member,
/// skipping strings and tracking nesting by bytes.
fn json_has_spec_key(bytes: &[u8]) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let end = string_end(bytes, i + 1);
                if depth == 1 && is_spec_key(bytes, i + 1, end) {
                    return true;
                }
                i = end + 1;
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return false;
                }
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The index of the closing quote of a string whose content starts at `from`.
fn string_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether the string at `start..end` is a spec key followed by `:`.
fn is_spec_key(bytes: &[u8], start: usize, end: usize) -> bool {
    let Some(content) = bytes.get(start..end) else {
        return false;
    };
    if !SPEC_KEYS.iter().any(|k| k.as_bytes() == content) {
        return false;
    }
    bytes
        .get(end + 1..)
        .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
        == Some(&b':')
}

#[cfg(test)]
mod tests {
    use super::is_openapi_document as sniff;

    #[test]
    fn yaml_specs_are_recognised() {
        assert!(sniff("openapi: 3.0.3\ninfo:\n  title: x\n"));
        assert!(sniff("# comment\n---\nswagger: \"2.0\"\n"));
        assert!(sniff("info:\n  title: x\n\"openapi\": 3.1.0\n"));
        assert!(sniff("'swagger' : '2.0'\r\npaths: {}\r\n"));
        assert!(sniff("\u{feff}openapi: 3.1.0\n"));
        assert!(sniff("openapi:\n  3.0.0\n"));
    }

    #[test]
    fn json_specs_are_recognised() {
        assert!(sniff(r#"{"openapi": "3.0.0", "info": {}}"#));
        assert!(sniff(
            "{\n  \"components\": {\"x\": {\"openapi\": 1}},\n  \"swagger\" : \"2.0\"\n}"
        ));
        assert!(sniff(
            r#"{"info": {"title": "a \"quoted\" {brace"}, "openapi": "3.1.0"}"#
        ));
    }

    #[test]
    fn other_files_are_not() {
        let package_json = r#"{"name": "app", "version": "1.0.0", "scripts": {"openapi": "gen"}}"#;
        let compose = "version: '3.8'\nservices:\n  api:\n    image: swagger-ui\n    environment:\n      openapi: x\n";
        let k8s = "apiVersion: v1\nkind: ConfigMap\ndata:\n  openapi: |\n    x\n";
        let schema = r#"{"$schema": "https://json-schema.org/draft/2020-12/schema",
            "properties": {"openapi": {"type": "string"}, "swagger": {"type": "string"}}}"#;
        let values_list = r#"[{"openapi": "3.0.0"}]"#;
        for text in [
            package_json,
            compose,
            k8s,
            schema,
            values_list,
            "",
            "openapi_version: 3\n",
            "openapis: x\n",
        ] {
            assert!(!sniff(text), "{text}");
        }
    }

    #[test]
    fn a_value_named_openapi_is_not_a_key() {
        assert!(!sniff(r#"{"title": "openapi", "x": ["swagger"]}"#));
        assert!(!sniff("title: openapi\nlist:\n- swagger: 2\n"));
    }
}
