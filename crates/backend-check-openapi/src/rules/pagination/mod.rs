//! `api.pagination`: collections take bounded paging parameters.

pub mod unbounded_page_size;
pub mod unpaginated_collection;

/// A parameter name folded for comparison: `per_page`, `perPage`, `Per-Page` → `perpage`.
pub(crate) fn folded(name: &str) -> String {
    name.trim_start_matches('$')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Parameters that set how many items a page holds.
pub(crate) const SIZE_NAMES: &[&str] = &[
    "limit",
    "perpage",
    "pagesize",
    "size",
    "count",
    "maxresults",
    "top",
    "first",
    "last",
    "take",
    "maxitems",
    "pagelimit",
    "maxpagesize",
];

/// Parameters that pick a page or a position.
const POSITION_NAMES: &[&str] = &[
    "page",
    "pagenumber",
    "pagetoken",
    "cursor",
    "after",
    "before",
    "offset",
    "skip",
    "start",
    "startingafter",
    "endingbefore",
    "nexttoken",
    "continuationtoken",
    "continue",
    "marker",
    "since",
    "skiptoken",
    "pagekey",
];

/// Whether a parameter name is about paging.
pub(crate) fn is_paging(name: &str) -> bool {
    let name = folded(name);
    SIZE_NAMES.contains(&name.as_str()) || POSITION_NAMES.contains(&name.as_str())
}
