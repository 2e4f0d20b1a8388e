//! Words in names and messages: the words of a name, and a counted noun.

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
    fn counts() {
        assert_eq!(count(1, "operation"), "1 operation");
        assert_eq!(count(2, "operation"), "2 operations");
    }
}
