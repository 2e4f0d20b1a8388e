//! Attributes that mark test code.

use syn::punctuated::Punctuated;
use syn::{Attribute, Meta, Token};

/// Whether the attributes make an item test code: `#[cfg(test)]`, or a test
/// attribute such as `#[test]`, `#[tokio::test]`, `#[sqlx::test]`,
/// `#[actix_web::test]` or `#[rocket::async_test]`.
pub fn is_test_item(attrs: &[Attribute]) -> bool {
    is_cfg_test(attrs) || attrs.iter().any(is_test_attribute)
}

fn is_test_attribute(attr: &Attribute) -> bool {
    let Some(last) = attr.path().segments.last() else {
        return false;
    };
    matches!(
        last.ident.to_string().as_str(),
        "test" | "async_test" | "rstest" | "test_case" | "quickcheck" | "proptest"
    )
}

/// Whether one of the attributes is a `cfg` that only holds in test or
/// development builds: `test`, `debug_assertions`, or a feature named for
/// tests or development (`feature = "integration-tests"`, `"dev"`, `"mock"`).
pub fn is_cfg_test(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| a.parse_args::<Meta>().ok())
        .any(|meta| cfg_implies_test(&meta))
}

/// Whether a statement's attributes leave it out of a normal build: a test or
/// development `cfg` ([`is_cfg_test`]), or `cfg(not(feature = "default"))`,
/// code for builds made with `--no-default-features` only.
pub fn is_cfg_off_by_default(attrs: &[Attribute]) -> bool {
    is_cfg_test(attrs)
        || attrs
            .iter()
            .filter(|a| a.path().is_ident("cfg"))
            .filter_map(|a| a.parse_args::<Meta>().ok())
            .any(|meta| match meta {
                Meta::List(list) if list.path.is_ident("not") => list
                    .parse_args::<Meta>()
                    .ok()
                    .is_some_and(|inner| match inner {
                        Meta::NameValue(pair) => {
                            pair.path.is_ident("feature")
                                && matches!(&pair.value, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) if s.value() == "default")
                        }
                        _ => false,
                    }),
                _ => false,
            })
}

fn cfg_implies_test(meta: &Meta) -> bool {
    match meta {
        Meta::Path(path) => path.is_ident("test") || path.is_ident("debug_assertions"),
        Meta::List(list) => {
            let Ok(nested) = list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            else {
                return false;
            };
            if list.path.is_ident("all") {
                nested.iter().any(cfg_implies_test)
            } else if list.path.is_ident("any") {
                !nested.is_empty() && nested.iter().all(cfg_implies_test)
            } else {
                false
            }
        }
        Meta::NameValue(pair) => pair.path.is_ident("feature") && is_dev_feature(&pair.value),
    }
}

/// Feature-name words that mark test or development builds.
const DEV_FEATURE_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "dev",
    "develop",
    "development",
    "mock",
    "mocks",
    "fake",
    "fakes",
    "stub",
    "stubs",
    "integration",
    "e2e",
    "debug",
    "testkit",
    "fixtures",
];

/// Whether a feature name (`"integration-tests"`, `"test-utils"`, `"dev"`) is a test or development feature.
fn is_dev_feature(value: &syn::Expr) -> bool {
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    }) = value
    else {
        return false;
    };
    name.value()
        .to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| DEV_FEATURE_WORDS.contains(&word))
}

/// The segments of a path, generic arguments dropped; a leading `::` gives an empty first segment.
pub fn path_segments(path: &syn::Path) -> Vec<String> {
    let mut out = Vec::with_capacity(path.segments.len() + 1);
    if path.leading_colon.is_some() {
        out.push(String::new());
    }
    out.extend(path.segments.iter().map(|s| s.ident.to_string()));
    out
}
