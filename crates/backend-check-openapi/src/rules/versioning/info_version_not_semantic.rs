use backend_check_core::{declare_rule, Sink};

use crate::model::child;
use crate::rules::lookup::text_of;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Checks that `info.version`, the version of the document, is a semantic
    /// version (`1.4.0`, `2.0.0-beta.1`), a `MAJOR.MINOR` pair (`2.1`) or a
    /// release date (`2024-06-01`). A bare number (`1`, `70`), a `v` prefix
    /// (`v3`) or a word (`master`, `latest`, `unversioned`) is reported.
    ///
    /// ## Why is this bad?
    /// `info.version` is how consumers, changelogs, SDK generators and
    /// breaking-change checks tell two revisions of the contract apart and
    /// order them. A branch name never changes and a bare number cannot say
    /// whether a change is compatible.
    ///
    /// ## Example
    /// ```yaml
    /// info:
    ///   title: Shop
    ///   version: '1'
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// info:
    ///   title: Shop
    ///   version: 1.3.0
    /// ```
    ///
    /// ## Options
    /// None.
    pub InfoVersionNotSemantic {
        code: "OAS029",
        name: "info-version-not-semantic",
        checklist: ApiVersioning,
        group: Pedantic,
        severity: Warning,
        summary: "an `info.version` that is not a semantic version or a date",
    }
}

impl InfoVersionNotSemantic {
    /// Reports a non-semantic `info.version`.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        let Some(info) = child(cx.docs, cx.api.root, "info") else {
            return;
        };
        let Some(at) = child(cx.docs, info, "version") else {
            return;
        };
        let Some(version) = text_of(cx, info, "version") else {
            return;
        };
        if !is_semantic(version.trim()) {
            sink.push(
                cx.diagnostic(&Self::META, at, message(&version))
                    .with_help(help()),
            );
        }
    }
}

fn is_number(part: &str) -> bool {
    !part.is_empty() && part.chars().all(|c| c.is_ascii_digit())
}

/// `MAJOR.MINOR[.PATCH][-pre][+build]`, or `YYYY-MM-DD`.
fn is_semantic(version: &str) -> bool {
    let date = version.len() == 10
        && version.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<&str> = core.split('.').collect();
    date || ((2..=3).contains(&parts.len()) && parts.iter().all(|p| is_number(p)))
}

fn message(version: &str) -> String {
    format!("info.version \"{version}\" is not a semantic version")
}

fn help() -> &'static str {
    "version the document as MAJOR.MINOR.PATCH (e.g. `1.4.0`) and bump MAJOR on breaking changes"
}

#[cfg(test)]
mod tests {
    use super::is_semantic;

    #[test]
    fn versions() {
        for v in [
            "1.0.0",
            "2.1",
            "23.0.2",
            "2.0.0-beta.1",
            "1.0.0+build.5",
            "2024-06-01",
            "0.0.0",
        ] {
            assert!(is_semantic(v), "{v}");
        }
        for v in [
            "1",
            "70",
            "v3",
            "master",
            "unversioned",
            "1.x",
            "1.2.3.4",
            "",
            "Wed Oct 15 2025",
        ] {
            assert!(!is_semantic(v), "{v}");
        }
    }
}
