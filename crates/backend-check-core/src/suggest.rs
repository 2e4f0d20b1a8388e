//! "Did you mean …?": the closest of some names to a mistyped one.

/// The candidate closest to `text` (ignoring case), if it is within two edits,
/// or a quarter of the candidate's length for long names.
pub fn closest<'a>(text: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let text = text.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            (
                edit_distance(&text, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(d, c)| *d <= 2.max(c.len() / 4))
        .min()
        .map(|(_, c)| c)
}

/// The Levenshtein distance between two strings, in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let value = (previous[j] + cost)
                .min(previous[j + 1] + 1)
                .min(current[j] + 1);
            current.push(value);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(edit_distance("explian", "explain"), 2);
        assert_eq!(
            closest("explian", ["check", "explain", "rules"]),
            Some("explain")
        );
        assert_eq!(closest("RULE", ["rules", "migrations"]), Some("rules"));
        assert_eq!(closest("services", ["rules", "migrations"]), None);
        assert_eq!(
            closest("deploy-mode", ["since", "deploy", "recent"]),
            None,
            "five edits away from `deploy`: too far for a six-letter name"
        );
    }
}
