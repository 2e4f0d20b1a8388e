//! Rule metadata and the macro that declares a rule.

use crate::{Checklist, Group, Severity};

/// Where the docs of every rule live; a rule's page is `<base>/<analyzer>/<CODE>-<name>.md`.
pub const DOCS_BASE_URL: &str =
    "https://github.com/cargo-backend-check/cargo-backend-check/blob/main/rules";

/// The headings every rule doc carries, in order.
pub const DOC_HEADINGS: &[&str] = &[
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Options",
];

/// The part of the tool a rule belongs to, derived from its code prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AnalyzerKind {
    /// `OAS…`: OpenAPI documents.
    OpenApi,
    /// `SQL…`: SQL migrations.
    Sql,
    /// `RS…`: Rust source.
    Rust,
    /// `X…`: checks across artifacts.
    Cross,
    /// `BC…`: the tool itself (suppressions, internal errors).
    Tool,
}

impl AnalyzerKind {
    /// The analyzer a rule code belongs to.
    pub const fn from_code(code: &str) -> AnalyzerKind {
        let b = code.as_bytes();
        if b.len() >= 3 && b[0] == b'O' && b[1] == b'A' && b[2] == b'S' {
            AnalyzerKind::OpenApi
        } else if b.len() >= 3 && b[0] == b'S' && b[1] == b'Q' && b[2] == b'L' {
            AnalyzerKind::Sql
        } else if b.len() >= 2 && b[0] == b'R' && b[1] == b'S' {
            AnalyzerKind::Rust
        } else if !b.is_empty() && b[0] == b'X' {
            AnalyzerKind::Cross
        } else {
            AnalyzerKind::Tool
        }
    }

    /// The folder of `rules/` that holds the docs of this analyzer's rules.
    pub fn dir(self) -> &'static str {
        match self {
            AnalyzerKind::OpenApi => "openapi",
            AnalyzerKind::Sql => "sql",
            AnalyzerKind::Rust => "rust",
            AnalyzerKind::Cross => "cross",
            AnalyzerKind::Tool => "tool",
        }
    }

    /// A human title.
    pub fn title(self) -> &'static str {
        match self {
            AnalyzerKind::OpenApi => "OpenAPI",
            AnalyzerKind::Sql => "SQL migrations",
            AnalyzerKind::Rust => "Rust source",
            AnalyzerKind::Cross => "Across artifacts",
            AnalyzerKind::Tool => "Tool",
        }
    }
}

/// Everything known about a rule besides its check.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code such as `SQL001`; never reused.
    pub code: &'static str,
    /// Kebab-case name such as `create-index-without-concurrently`.
    pub name: &'static str,
    /// The checklist item the rule serves; `None` only for the tool's own rules.
    pub checklist: Option<Checklist>,
    /// Severity unless configured otherwise.
    pub severity: Severity,
    /// One line saying what the rule finds.
    pub summary: &'static str,
    /// The raw doc comment (each line still carries the space after `///`).
    pub doc: &'static str,
    /// Whether the rule offers an automatic fix.
    pub fixable: bool,
    /// The confidence group; it alone decides whether the rule is on by default.
    pub group: Group,
}

impl RuleMeta {
    /// Whether the rule runs when nothing is selected explicitly (its group is a default one).
    pub const fn default_enabled(&self) -> bool {
        self.group.is_default()
    }

    /// The analyzer the rule belongs to.
    pub fn analyzer(&self) -> AnalyzerKind {
        AnalyzerKind::from_code(self.code)
    }

    /// The path of the rule's doc page, relative to `rules/`.
    pub fn doc_path(&self) -> String {
        format!("{}/{}-{}.md", self.analyzer().dir(), self.code, self.name)
    }

    /// The URL of the rule's doc page.
    pub fn url(&self) -> String {
        format!("{DOCS_BASE_URL}/{}", self.doc_path())
    }

    /// The checklist id, or an empty string for the tool's own rules.
    pub fn checklist_id(&self) -> &'static str {
        self.checklist.map_or("", Checklist::id)
    }

    /// The doc comment as Markdown (the leading space of each line removed).
    pub fn doc_markdown(&self) -> String {
        let mut out = String::with_capacity(self.doc.len());
        for line in self.doc.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push('\n');
        out
    }

    /// The headings of [`DOC_HEADINGS`] that the doc lacks.
    pub fn missing_doc_headings(&self) -> Vec<&'static str> {
        let doc = self.doc_markdown();
        DOC_HEADINGS
            .iter()
            .copied()
            .filter(|h| !doc.lines().any(|l| l.trim() == format!("## {h}")))
            .collect()
    }
}

/// Declares a rule: a unit struct with its [`RuleMeta`] as `META`, documented
/// by its doc comment (the one source of `explain`, SARIF and `rules/`).
///
/// ```
/// use backend_check_core::declare_rule;
/// declare_rule! {
///     /// ## What it does
///     /// Finds things.
///     pub FindsThings {
///         code: "RS999",
///         name: "finds-things",
///         checklist: ApErrorHandling,
///         group: Suspicious,
///         severity: Warning,
///         summary: "finds things",
///     }
/// }
/// assert_eq!(FindsThings::META.code, "RS999");
/// assert!(FindsThings::META.default_enabled());
/// ```
///
/// The group is required: a rule without one does not compile.
///
/// ```compile_fail
/// use backend_check_core::declare_rule;
/// declare_rule! {
///     /// ## What it does
///     pub NoGroup {
///         code: "RS998",
///         name: "no-group",
///         checklist: ApErrorHandling,
///         severity: Warning,
///         summary: "has no group",
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $ty:ident {
            code: $code:literal,
            name: $name:literal,
            checklist: $checklist:ident,
            group: $group:ident,
            severity: $severity:ident,
            summary: $summary:literal
            $(, fixable: $fixable:literal)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $ty;

        impl $ty {
            /// The rule's metadata.
            pub const META: $crate::RuleMeta = $crate::RuleMeta {
                code: $code,
                name: $name,
                checklist: Some($crate::Checklist::$checklist),
                severity: $crate::Severity::$severity,
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
                fixable: $crate::declare_rule!(@or $($fixable)? false),
                group: $crate::Group::$group,
            };
        }
    };
    (@or $value:literal $default:literal) => { $value };
    (@or $default:literal) => { $default };
}
