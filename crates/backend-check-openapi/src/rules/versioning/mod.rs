//! `api.versioning`: a version in the path or server URL, one way, and a
//! semantic `info.version`; with the version names read from paths and URLs.

pub mod info_version_not_semantic;
pub mod mixed_versions;
pub mod no_version;

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
}
