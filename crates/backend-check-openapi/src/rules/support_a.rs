//! Small helpers shared by the status-code, restful, naming, versioning,
//! docs, rate-limit, errors and authz rules.

use backend_check_core::{RuleMeta, Sink};

use crate::load::At;
use crate::model::{Operation, OperationKind, Response};
use crate::rules::Context;

/// The `openapi` (or `swagger`) key: where a finding about the whole document goes.
pub(crate) fn document_key(cx: &Context<'_>) -> At {
    let tree = cx.docs.tree(cx.api.root.file);
    ["openapi", "swagger"]
        .iter()
        .find_map(|k| tree.get(cx.api.root.node, k))
        .map_or(cx.api.root, |e| At::new(cx.api.root.file, e.key))
}

/// Where a finding about an operation's responses goes: its `responses` key, else the method.
pub(crate) fn responses_at(operation: &Operation) -> At {
    operation.responses_key.unwrap_or(operation.method_key)
}

/// The operations under `paths` (webhooks answer the API, they are not served by it).
pub(crate) fn path_operations<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a Operation> {
    cx.api
        .operations
        .iter()
        .filter(|o| o.kind == OperationKind::Path)
}

/// What a missing-status-code rule found: whether any operation writes the
/// code at all, and the operations that should and do not.
pub(crate) struct MissingCode<'a> {
    pub used: bool,
    pub offending: Vec<&'a Operation>,
}

impl MissingCode<'_> {
    /// Reports the offending operations: one finding on the document when no
    /// operation writes the code and several lack it, else one per operation.
    pub(crate) fn report(
        self,
        cx: &Context<'_>,
        sink: &mut Sink<'_>,
        rule: &'static RuleMeta,
        document_message: impl FnOnce(usize) -> String,
        message: impl Fn(&Operation) -> String,
        help: &str,
    ) {
        if !self.used && self.offending.len() > 1 {
            let text = document_message(self.offending.len());
            sink.push(cx.diagnostic(rule, document_key(cx), text).with_help(help));
            return;
        }
        for operation in self.offending {
            sink.push(
                cx.diagnostic(rule, responses_at(operation), message(operation))
                    .with_help(help),
            );
        }
    }
}

/// Whether a status key is a 4xx code or the `4XX` range.
pub(crate) fn is_client_error(status: &str) -> bool {
    status.len() == 3 && status.starts_with('4')
}

/// Whether a status key is a 4xx or 5xx code, a range of them, or `default`.
pub(crate) fn is_error(response: &Response) -> bool {
    let s = response.status.as_str();
    s == "default" || (s.len() == 3 && (s.starts_with('4') || s.starts_with('5')))
}

/// Whether an operation lists any client error (a 4xx code or `4XX`).
pub(crate) fn lists_client_errors(operation: &Operation) -> bool {
    operation
        .responses
        .iter()
        .any(|r| is_client_error(&r.status))
}

/// Whether a status key is a 2xx code or the `2XX` range.
pub(crate) fn is_success(status: &str) -> bool {
    status.len() == 3 && status.starts_with('2')
}

/// `1 operation`, `3 operations`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The words of a name, lower-case: `getOrders` → `get`, `orders`;
/// `line-items` → `line`, `items`; `HTTPServer` → `httpserver`.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            words.push(std::mem::take(&mut current));
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        current.extend(c.to_lowercase());
    }
    words.push(current);
    words.retain(|w| !w.is_empty());
    words
}

/// The text of a string child of a node, when present.
pub(crate) fn text_of(cx: &Context<'_>, at: At, key: &str) -> Option<String> {
    crate::model::child(cx.docs, at, key).and_then(|v| crate::model::text_at(cx.docs, v))
}

/// Whether a node has a non-blank string child `key`.
pub(crate) fn has_text(cx: &Context<'_>, at: At, key: &str) -> bool {
    text_of(cx, at, key).is_some_and(|t| !t.trim().is_empty())
}

/// The key of the entry `key` of a mapping, when written.
pub(crate) fn key_of(cx: &Context<'_>, at: At, key: &str) -> Option<At> {
    cx.docs
        .tree(at.file)
        .get(at.node, key)
        .map(|e| At::new(at.file, e.key))
}

/// The tags an operation lists, each with its node.
pub(crate) fn operation_tags(cx: &Context<'_>, operation: &Operation) -> Vec<(String, At)> {
    let Some(list) = crate::model::child(cx.docs, operation.node, "tags") else {
        return Vec::new();
    };
    let tree = cx.docs.tree(list.file);
    tree.items(list.node)
        .iter()
        .filter_map(|item| Some((tree.text(*item)?.to_owned(), At::new(list.file, *item))))
        .collect()
}

/// Where a declared tag's name is written (its `name` value, else the tag object).
pub(crate) fn tag_name_at(cx: &Context<'_>, tag: At) -> At {
    crate::model::child(cx.docs, tag, "name").unwrap_or(tag)
}

/// The API version a path segment names: `v2`, `v1.33`, `v1beta1`, `2.0`,
/// `rest_v1` (as `v1`), `2024-01-01`; lower-cased.
pub(crate) fn version_in_segment(segment: &str) -> Option<String> {
    let lower = segment.to_ascii_lowercase();
    let tail = lower
        .rsplit(['_', '-'])
        .next()
        .filter(|t| t.starts_with('v') && lower.len() > t.len())
        .unwrap_or(&lower);
    if let Some(rest) = tail.strip_prefix('v') {
        let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
        let numbered = rest.len() > digits.len() && rest.starts_with(|c: char| c.is_ascii_digit());
        let suffix_ok = digits.is_empty()
            || ["alpha", "beta", "rc"].iter().any(|p| {
                digits
                    .strip_prefix(p)
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
            });
        return (numbered && suffix_ok).then(|| tail.to_owned());
    }
    let dotted = lower.contains('.')
        && !lower.starts_with('.')
        && !lower.ends_with('.')
        && lower.chars().all(|c| c.is_ascii_digit() || c == '.');
    let date = lower.len() == 10
        && lower.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    (dotted || date).then_some(lower)
}

/// The first version named in the path of a URL or path template.
pub(crate) fn version_in_url(url: &str) -> Option<String> {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or(""),
        None => url,
    };
    path.split(['/', '?', '#']).find_map(version_in_segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_styles() {
        assert_eq!(words("getOrders"), ["get", "orders"]);
        assert_eq!(words("line-items"), ["line", "items"]);
        assert_eq!(words("user_id"), ["user", "id"]);
        assert_eq!(words("X-Request-ID"), ["x", "request", "id"]);
        assert_eq!(words("v2"), ["v2"]);
    }

    #[test]
    fn versions() {
        for (segment, version) in [
            ("v2", "v2"),
            ("V1.33", "v1.33"),
            ("v1beta1", "v1beta1"),
            ("2.0", "2.0"),
            ("rest_v1", "v1"),
            ("2024-01-01", "2024-01-01"),
        ] {
            assert_eq!(
                version_in_segment(segment).as_deref(),
                Some(version),
                "{segment}"
            );
        }
        for segment in ["vendors", "v", "2", "video", "info.0.json", "values", "vx1"] {
            assert_eq!(version_in_segment(segment), None, "{segment}");
        }
        assert_eq!(
            version_in_url("https://api.shop.io/v1/").as_deref(),
            Some("v1")
        );
        assert_eq!(version_in_url("https://v2.shop.io/api").as_deref(), None);
        assert_eq!(version_in_url("/api/v3/orders").as_deref(), Some("v3"));
    }

    #[test]
    fn counts() {
        assert_eq!(count(1, "operation"), "1 operation");
        assert_eq!(count(2, "operation"), "2 operations");
    }
}
