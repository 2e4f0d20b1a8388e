//! Configurable name patterns: `Auth*` (prefix), `*User` (suffix), `*auth*`
//! (substring) or an exact name; matching ignores ASCII case.

/// Whether `name` matches `pattern`.
pub fn matches(name: &str, pattern: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let pattern = pattern.to_ascii_lowercase();
    match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
        (Some(rest), _) if rest.ends_with('*') => name.contains(rest.trim_end_matches('*')),
        (Some(suffix), _) => name.ends_with(suffix),
        (None, Some(prefix)) => name.starts_with(prefix),
        (None, None) => name == pattern,
    }
}

/// Whether `name` matches one of `patterns`.
pub fn matches_any(name: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| matches(name, p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_prefix_suffix_substring_and_exact() {
        assert!(matches("AuthUser", "Auth*"));
        assert!(matches("CurrentUser", "*User"));
        assert!(matches("require_auth_layer", "*auth*"));
        assert!(matches("Claims", "claims"));
        assert!(!matches("Author", "*User"));
        assert!(!matches("ClaimsX", "Claims"));
    }
}
