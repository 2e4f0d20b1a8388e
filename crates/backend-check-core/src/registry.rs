//! An analyzer's list of rules, written once: [`declare_rules!`](crate::declare_rules).

use std::sync::Arc;

use crate::{guard, Diagnostic, RuleMeta, Sink, SourceFile};

/// The context the rules of one analyzer read, as [`declare_rules!`](crate::declare_rules)
/// runs them.
pub trait RuleContext {
    /// The file a panic inside a rule is reported on: each rule then runs under
    /// [`guard`], and a panic becomes an internal-error finding on that file
    /// while the other rules still run. `None` runs the rules unguarded, for an
    /// analyzer whose rules guard their own work file by file.
    fn guard_file(&self) -> Option<&Arc<SourceFile>>;
}

/// What a rule's `check` returns: nothing, or the internal errors its own
/// guards caught (which are not subject to the selection).
pub trait CheckOutput {
    /// The internal errors.
    fn into_internal_errors(self) -> Vec<Diagnostic>;
}

impl CheckOutput for () {
    fn into_internal_errors(self) -> Vec<Diagnostic> {
        Vec::new()
    }
}

impl CheckOutput for Vec<Diagnostic> {
    fn into_internal_errors(self) -> Vec<Diagnostic> {
        self
    }
}

/// Runs one rule of a [`declare_rules!`](crate::declare_rules) list: nothing
/// when `rule` is disabled, else `check` (under [`guard`] when the context
/// names a file), adding the internal errors to `errors`.
#[doc(hidden)]
pub fn run_rule<Cx, O>(
    cx: &Cx,
    sink: &mut Sink<'_>,
    rule: &RuleMeta,
    errors: &mut Vec<Diagnostic>,
    check: impl FnOnce(&Cx, &mut Sink<'_>) -> O,
) where
    Cx: RuleContext + ?Sized,
    O: CheckOutput,
{
    if !sink.enabled(rule) {
        return;
    }
    match cx.guard_file() {
        Some(file) => match guard(file, || check(cx, sink)) {
            Ok(output) => errors.extend(output.into_internal_errors()),
            Err(internal) => errors.push(internal),
        },
        None => errors.extend(check(cx, sink).into_internal_errors()),
    }
}

/// Declares the rules of an analyzer from one list, one line per rule: the
/// path of its type from the module holding the list (`folder::file::Type`).
/// It expands to
///
/// - a `pub use` of every rule type;
/// - `pub const RULES: &[&RuleMeta]`, every rule's `META` in list order: the
///   order `rules` lists them and their docs are generated in;
/// - `pub fn check_all(cx: &Context, sink: &mut Sink) -> Vec<Diagnostic>`,
///   which runs each rule in list order, only when the selection enables it,
///   and returns the internal errors. Each rule runs under [`guard`] when the
///   context names a file for it ([`RuleContext::guard_file`]).
///
/// A rule is a type with an associated `META: RuleMeta` (as
/// [`declare_rule!`](crate::declare_rule) makes) and a
/// `fn check(cx: &Context, sink: &mut Sink)` returning `()` or the internal
/// errors it caught itself (`Vec<Diagnostic>`, see [`CheckOutput`]); `check`
/// does not test whether its rule is enabled. A rule that runs elsewhere (a
/// parse error, reported while reading) is marked `#[no_dispatch]`: it is in
/// `RULES` but `check_all` leaves it out, and it needs no `check`.
///
/// ```
/// mod rules {
///     use backend_check_core::{declare_rules, RuleContext, SourceFile};
///     use std::sync::Arc;
///
///     pub struct Context;
///     impl RuleContext for Context {
///         fn guard_file(&self) -> Option<&Arc<SourceFile>> {
///             None
///         }
///     }
///
///     pub mod style {
///         pub mod finds_things {
///             backend_check_core::declare_rule! {
///                 /// ## What it does
///                 pub FindsThings {
///                     code: "RS998",
///                     name: "finds-things",
///                     checklist: ApErrorHandling,
///                     group: Pedantic,
///                     severity: Warning,
///                     summary: "finds things",
///                 }
///             }
///             impl FindsThings {
///                 pub fn check(_cx: &super::super::Context, _sink: &mut backend_check_core::Sink<'_>) {}
///             }
///         }
///         pub mod read_error {
///             backend_check_core::declare_rule! {
///                 /// ## What it does
///                 pub ReadError {
///                     code: "RS999",
///                     name: "read-error",
///                     checklist: ApErrorHandling,
///                     group: Correctness,
///                     severity: Error,
///                     summary: "a file that cannot be read",
///                 }
///             }
///         }
///     }
///
///     declare_rules! {
///         context: Context;
///         #[no_dispatch] style::read_error::ReadError,
///         style::finds_things::FindsThings,
///     }
/// }
///
/// assert_eq!(rules::RULES.len(), 2);
/// assert_eq!(rules::RULES[0].code, rules::ReadError::META.code);
/// ```
#[macro_export]
macro_rules! declare_rules {
    (@dispatch [] $cx:ident, $sink:ident, $errors:ident, $($segment:ident)::+) => {
        $crate::run_rule(
            $cx,
            $sink,
            &$($segment)::+::META,
            &mut $errors,
            $($segment)::+::check,
        );
    };
    (@dispatch [no_dispatch] $cx:ident, $sink:ident, $errors:ident, $($segment:ident)::+) => {};
    (
        context: $context:ty;
        $( $(#[$marker:ident])? $($segment:ident)::+ ),+ $(,)?
    ) => {
        $( pub use $($segment)::+; )+

        /// Every rule of the analyzer, in the order `rules` lists them and
        /// their docs are generated in.
        pub const RULES: &[&$crate::RuleMeta] = &[ $( &$($segment)::+::META ),+ ];

        /// Runs every enabled rule of [`RULES`] in that order, but those that
        /// run elsewhere (`#[no_dispatch]`); returns the internal errors.
        pub fn check_all(
            cx: &$context,
            sink: &mut $crate::Sink<'_>,
        ) -> ::std::vec::Vec<$crate::Diagnostic> {
            let mut errors = ::std::vec::Vec::new();
            $( $crate::declare_rules!(@dispatch [$($marker)?] cx, sink, errors, $($segment)::+); )+
            errors
        }
    };
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)] // test code

    use std::sync::Arc;

    use crate::{CommentStyle, RuleSelection, Selector, Sink, SourceFile};

    use super::RuleContext;

    struct Cx {
        file: Option<Arc<SourceFile>>,
    }

    impl RuleContext for Cx {
        fn guard_file(&self) -> Option<&Arc<SourceFile>> {
            self.file.as_ref()
        }
    }

    #[allow(unused_imports)] // the `pub use`s of the list
    mod list {
        use super::Cx;

        pub mod one {
            use crate::{Diagnostic, Sink, Span};

            crate::declare_rule! {
                /// ## What it does
                pub Quiet {
                    code: "RS990",
                    name: "quiet",
                    checklist: ApErrorHandling,
                    group: Correctness,
                    severity: Warning,
                    summary: "reports one finding",
                }
            }
            impl Quiet {
                pub fn check(cx: &super::Cx, sink: &mut Sink<'_>) {
                    let file = cx.file.as_ref().unwrap();
                    sink.push(Diagnostic::new(&Self::META, file, Span::at(0), "one"));
                }
            }

            crate::declare_rule! {
                /// ## What it does
                pub Panics {
                    code: "RS991",
                    name: "panics",
                    checklist: ApErrorHandling,
                    group: Correctness,
                    severity: Warning,
                    summary: "panics",
                }
            }
            impl Panics {
                pub fn check(_cx: &super::Cx, _sink: &mut Sink<'_>) -> Vec<Diagnostic> {
                    panic!("boom")
                }
            }

            crate::declare_rule! {
                /// ## What it does
                pub Elsewhere {
                    code: "RS992",
                    name: "elsewhere",
                    checklist: ApErrorHandling,
                    group: Correctness,
                    severity: Warning,
                    summary: "runs elsewhere",
                }
            }
        }

        crate::declare_rules! {
            context: Cx;
            #[no_dispatch] one::Elsewhere,
            one::Panics,
            one::Quiet,
        }
    }

    fn file() -> Arc<SourceFile> {
        Arc::new(SourceFile::new(
            "a.rs",
            "a.rs",
            "fn a() {}\n",
            CommentStyle::DoubleSlash,
        ))
    }

    fn selection(codes: &[&str]) -> RuleSelection {
        let selectors: Vec<Selector> = codes.iter().map(|c| Selector::cli(*c)).collect();
        RuleSelection::resolve(list::RULES, Some(&selectors), &[]).unwrap()
    }

    #[test]
    fn rules_are_listed_in_order_with_the_no_dispatch_ones() {
        let codes: Vec<&str> = list::RULES.iter().map(|r| r.code).collect();
        assert_eq!(codes, ["RS992", "RS991", "RS990"]);
        assert_eq!(list::Quiet::META.code, "RS990");
    }

    #[test]
    fn a_panicking_rule_is_an_internal_error_and_the_others_run() {
        let cx = Cx { file: Some(file()) };
        let selection = selection(&["RS990", "RS991", "RS992"]);
        let mut sink = Sink::new(&selection);
        let errors = list::check_all(&cx, &mut sink);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].rule.code, "BC002");
        assert_eq!(
            errors[0].message,
            "internal error while analysing this file: boom"
        );
        let found: Vec<&str> = sink
            .into_diagnostics()
            .iter()
            .map(|d| d.rule.code)
            .collect();
        assert_eq!(found, ["RS990"]);
    }

    #[test]
    fn disabled_rules_do_not_run() {
        let cx = Cx { file: Some(file()) };
        let selection = selection(&["RS990"]);
        let mut sink = Sink::new(&selection);
        assert!(list::check_all(&cx, &mut sink).is_empty());
        assert_eq!(sink.into_diagnostics().len(), 1);
    }
}
