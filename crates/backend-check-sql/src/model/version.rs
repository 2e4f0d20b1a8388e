//! Migration versions and their order.

use std::cmp::Ordering;
use std::fmt;

/// A migration version as written in its file or folder name, ordered by the
/// numeric value of its digit groups (`2` before `10`, `1.2` before `1.10`).
///
/// A diesel timestamp with separators (`2019-03-22-170700`) is ordered as the
/// plain timestamp `20190322170700`, so both styles interleave correctly in one
/// folder, as they do in diesel itself. A repeatable (versionless) migration has
/// an empty version and sorts after every versioned one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Version {
    text: String,
    key: Vec<String>,
}

impl Version {
    /// Parses the version text of a file or folder name.
    pub fn new(text: &str) -> Version {
        Version {
            text: text.to_owned(),
            key: order_key(text),
        }
    }

    /// The empty version of a repeatable or loose migration.
    pub fn none() -> Version {
        Version::new("")
    }

    /// The version as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether two versions denote the same number (`001` and `1`), as the
    /// tools that parse versions as integers see them.
    pub fn same_number(&self, other: &Version) -> bool {
        !self.is_none() && compare_keys(&self.key, &other.key) == Ordering::Equal
    }

    /// Whether the migration has no version.
    pub fn is_none(&self) -> bool {
        self.key.is_empty()
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        match (self.is_none(), other.is_none()) {
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            _ => compare_keys(&self.key, &other.key).then_with(|| self.text.cmp(&other.text)),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

fn compare_keys(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = x.len().cmp(&y.len()).then_with(|| x.cmp(y));
        if order != Ordering::Equal {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// The digit groups with leading zeros removed; a leading date-time written
/// with separators (`YYYY-MM-DD-HHMMSS` or `YYYY-MM-DD_HHMMSS`) becomes one group.
fn order_key(text: &str) -> Vec<String> {
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let date_parts = date_time_prefix(&groups);
    let mut key = Vec::with_capacity(groups.len());
    if date_parts > 0 {
        key.push(strip_zeros(&groups[..date_parts].concat()));
    }
    key.extend(groups.iter().skip(date_parts).map(|g| strip_zeros(g)));
    key
}

/// How many leading groups form a separated date (and time): 4-2-2[-4..6].
fn date_time_prefix(groups: &[&str]) -> usize {
    let lens: Vec<usize> = groups.iter().take(4).map(|g| g.len()).collect();
    match lens.as_slice() {
        [4, 2, 2, t, ..] if (4..=6).contains(t) => 4,
        [4, 2, 2, ..] => 3,
        _ => 0,
    }
}

fn strip_zeros(group: &str) -> String {
    let trimmed = group.trim_start_matches('0');
    if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(texts: &[&str]) -> Vec<String> {
        let mut versions: Vec<Version> = texts.iter().map(|t| Version::new(t)).collect();
        versions.sort();
        versions.iter().map(|v| v.as_str().to_owned()).collect()
    }

    #[test]
    fn numbers_sort_numerically_not_as_text() {
        assert_eq!(sorted(&["10", "2", "1"]), ["1", "2", "10"]);
    }

    #[test]
    fn flyway_groups_compare_one_by_one() {
        assert_eq!(
            sorted(&["1_20_3", "1.2", "1_3", "1_20_10", "1"]),
            ["1", "1.2", "1_3", "1_20_3", "1_20_10"]
        );
    }

    #[test]
    fn diesel_dates_interleave_with_plain_timestamps() {
        assert_eq!(
            sorted(&[
                "2019-03-22-170700",
                "20161115111853",
                "00000000000000",
                "2026-06-26-100902-0000",
                "2017-01-01-000000"
            ]),
            [
                "00000000000000",
                "20161115111853",
                "2017-01-01-000000",
                "2019-03-22-170700",
                "2026-06-26-100902-0000"
            ]
        );
    }

    #[test]
    fn twenty_digit_versions_do_not_overflow() {
        assert_eq!(
            sorted(&["20191100000001000002", "20150100000001000000", "9"]),
            ["9", "20150100000001000000", "20191100000001000002"]
        );
    }

    #[test]
    fn leading_zeros_do_not_matter() {
        assert_eq!(
            Version::new("0002").cmp(&Version::new("10")),
            Ordering::Less
        );
        assert_eq!(sorted(&["", "3"]), ["3", ""]);
    }
}
