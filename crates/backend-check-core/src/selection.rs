//! Which rules run, at which severity, on which paths.

use std::collections::{HashMap, HashSet};

use globset::{Glob, GlobMatcher};

use crate::{AnalyzerKind, Checklist, ChecklistArea, Group, RuleMeta, Severity};

/// A rule selector as written by the user, with where it was written.
#[derive(Debug, Clone)]
pub struct Selector {
    /// The text: a code, a code prefix, a rule name, a checklist id or area
    /// (`db`), a group (`pedantic`), or `ALL`.
    pub text: String,
    /// The byte range in the configuration file, when it came from one.
    pub span: Option<std::ops::Range<usize>>,
}

impl Selector {
    /// A selector given on the command line.
    pub fn cli(text: impl Into<String>) -> Selector {
        Selector {
            text: text.into(),
            span: None,
        }
    }

    /// Whether the selector names `rule` (what `ignore`, `[severity]` and
    /// `per-path-ignores` act on).
    pub fn matches(&self, rule: &RuleMeta) -> bool {
        selector_matches(self.text.trim(), rule)
    }

    /// Whether selecting with this selector turns `rule` on: every rule it
    /// names, whatever its group, except that a [`Group::Nursery`] rule is
    /// selected only by its own code or name, or by `nursery` (as Ruff's
    /// preview rules are not selected by a prefix or `ALL`).
    pub fn selects(&self, rule: &RuleMeta) -> bool {
        let text = self.text.trim();
        self.matches(rule)
            && (rule.group != Group::Nursery
                || text.eq_ignore_ascii_case(rule.code)
                || text.eq_ignore_ascii_case(rule.name)
                || Group::from_id(text) == Some(Group::Nursery))
    }
}

fn selector_matches(text: &str, rule: &RuleMeta) -> bool {
    if text.eq_ignore_ascii_case("all") {
        return true;
    }
    if text.eq_ignore_ascii_case(rule.name) {
        return true;
    }
    if Group::from_id(text) == Some(rule.group) {
        return true;
    }
    if let Some(checklist) = rule.checklist {
        if text == checklist.id() || text == checklist.area().prefix() {
            return true;
        }
    }
    let upper = text.to_ascii_uppercase();
    !upper.is_empty()
        && upper
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
        && rule.code.starts_with(&upper)
        && upper.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether a selector is meaningful even though it matches no rule yet
/// (a checklist id that no rule serves, an analyzer prefix with no rules, a
/// group with no rules).
fn selector_is_known(text: &str) -> bool {
    let text = text.trim();
    if Checklist::from_id(text).is_some() || Group::from_id(text).is_some() {
        return true;
    }
    if ChecklistArea::ALL.iter().any(|a| a.prefix() == text) {
        return true;
    }
    matches!(
        text.to_ascii_uppercase().as_str(),
        "OAS" | "SQL" | "RS" | "X" | "BC"
    )
}

/// An unknown rule selector.
#[derive(Debug, Clone)]
pub struct UnknownSelector {
    /// The selector.
    pub selector: Selector,
    /// A rule whose code or name is close, if any.
    pub suggestion: Option<&'static str>,
}

/// The resolved selection: enabled rules, severity overrides, per-path ignores.
#[derive(Debug, Clone, Default)]
pub struct RuleSelection {
    enabled: HashSet<&'static str>,
    severities: HashMap<&'static str, Severity>,
    per_path: Vec<(GlobMatcher, HashSet<&'static str>)>,
}

impl RuleSelection {
    /// Every rule of a default group, at its default severity.
    pub fn defaults(rules: &[&'static RuleMeta]) -> RuleSelection {
        RuleSelection {
            enabled: rules
                .iter()
                .filter(|r| r.default_enabled())
                .map(|r| r.code)
                .collect(),
            ..RuleSelection::default()
        }
    }

    /// Resolves `select` (none = the defaults) and `ignore` against `rules`.
    /// An explicit selector turns on every rule it names, on by default or
    /// not (see [`Selector::selects`] for the one exception, nursery rules).
    pub fn resolve(
        rules: &[&'static RuleMeta],
        select: Option<&[Selector]>,
        ignore: &[Selector],
    ) -> Result<RuleSelection, UnknownSelector> {
        for selector in select.unwrap_or_default().iter().chain(ignore) {
            check_known(rules, selector)?;
        }
        let enabled = rules
            .iter()
            .filter(|rule| match select {
                None => rule.default_enabled(),
                Some(selectors) => selectors.iter().any(|s| s.selects(rule)),
            })
            .filter(|rule| !ignore.iter().any(|s| s.matches(rule)))
            .map(|rule| rule.code)
            .collect();
        Ok(RuleSelection {
            enabled,
            ..RuleSelection::default()
        })
    }

    /// Also turns on the rules `extend` selects (Ruff's `extend-select`: added
    /// to the selection instead of replacing it), except those `ignore` names.
    pub fn extend(
        &mut self,
        rules: &[&'static RuleMeta],
        extend: &[Selector],
        ignore: &[Selector],
    ) -> Result<(), UnknownSelector> {
        for selector in extend {
            check_known(rules, selector)?;
        }
        self.enabled.extend(
            rules
                .iter()
                .filter(|rule| extend.iter().any(|s| s.selects(rule)))
                .filter(|rule| !ignore.iter().any(|s| s.matches(rule)))
                .map(|rule| rule.code),
        );
        Ok(())
    }

    /// Sets the severity of every rule the selector names.
    pub fn override_severity(
        &mut self,
        rules: &[&'static RuleMeta],
        selector: &Selector,
        severity: Severity,
    ) -> Result<(), UnknownSelector> {
        check_known(rules, selector)?;
        for rule in rules.iter().filter(|r| selector.matches(r)) {
            self.severities.insert(rule.code, severity);
        }
        Ok(())
    }

    /// Ignores the rules the selectors name in files matching `glob`.
    pub fn ignore_under(
        &mut self,
        rules: &[&'static RuleMeta],
        glob: &str,
        selectors: &[Selector],
    ) -> Result<(), String> {
        let matcher = Glob::new(glob)
            .map_err(|e| format!("invalid glob `{glob}`: {e}"))?
            .compile_matcher();
        let mut codes = HashSet::new();
        for selector in selectors {
            check_known(rules, selector)
                .map_err(|u| format!("unknown rule selector `{}`", u.selector.text))?;
            codes.extend(rules.iter().filter(|r| selector.matches(r)).map(|r| r.code));
        }
        self.per_path.push((matcher, codes));
        Ok(())
    }

    /// Whether the rule runs at all.
    pub fn is_enabled(&self, rule: &RuleMeta) -> bool {
        self.enabled.contains(rule.code)
    }

    /// The configured severity of the rule, if the configuration overrides it.
    pub fn severity_override(&self, rule: &RuleMeta) -> Option<Severity> {
        self.severities.get(rule.code).copied()
    }

    /// Whether the rule is ignored for a file at this path (relative to the root).
    pub fn is_ignored_at(&self, rule: &RuleMeta, path: &str) -> bool {
        self.per_path
            .iter()
            .any(|(glob, codes)| codes.contains(rule.code) && glob.is_match(path))
    }

    /// Whether any rule of the analyzer runs.
    pub fn any_enabled_in(&self, rules: &[&'static RuleMeta], analyzer: AnalyzerKind) -> bool {
        rules
            .iter()
            .any(|r| r.analyzer() == analyzer && self.is_enabled(r))
    }
}

fn check_known(rules: &[&'static RuleMeta], selector: &Selector) -> Result<(), UnknownSelector> {
    if rules.iter().any(|r| selector.matches(r)) || selector_is_known(&selector.text) {
        return Ok(());
    }
    Err(UnknownSelector {
        selector: selector.clone(),
        suggestion: closest(rules, &selector.text),
    })
}

fn closest(rules: &[&'static RuleMeta], text: &str) -> Option<&'static str> {
    crate::suggest::closest(text, rules.iter().flat_map(|r| [r.code, r.name]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::declare_rule;

    declare_rule! {
        /// doc
        pub A { code: "SQL001", name: "create-index-without-concurrently", checklist: DbMigrationSafety, group: Suspicious, severity: Error, summary: "a" }
    }
    declare_rule! {
        /// doc
        pub B { code: "OAS001", name: "no-success-response", checklist: ApiStatusCodes, group: Correctness, severity: Error, summary: "b" }
    }
    declare_rule! {
        /// doc
        pub C { code: "SQL090", name: "audit-columns", checklist: SecAudit, group: Pedantic, severity: Info, summary: "c" }
    }
    declare_rule! {
        /// doc
        pub D { code: "SQL091", name: "misfires", checklist: DbIntegrity, group: Nursery, severity: Info, summary: "d" }
    }

    fn rules() -> Vec<&'static RuleMeta> {
        vec![&A::META, &B::META, &C::META, &D::META]
    }

    fn sel(list: &[&str]) -> Vec<Selector> {
        list.iter().map(|s| Selector::cli(*s)).collect()
    }

    #[test]
    fn defaults_leave_off_by_default_rules_off() {
        let s = RuleSelection::resolve(&rules(), None, &[]).unwrap();
        assert!(s.is_enabled(&A::META) && s.is_enabled(&B::META));
        assert!(!s.is_enabled(&C::META));
    }

    #[test]
    fn select_by_prefix_name_and_checklist() {
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["SQL"])), &[]).unwrap();
        assert!(s.is_enabled(&A::META) && s.is_enabled(&C::META) && !s.is_enabled(&B::META));
        let s =
            RuleSelection::resolve(&rules(), Some(&sel(&["no-success-response"])), &[]).unwrap();
        assert!(s.is_enabled(&B::META) && !s.is_enabled(&A::META));
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["db"])), &sel(&["sql001"])).unwrap();
        assert!(!s.is_enabled(&A::META) && !s.is_enabled(&C::META) && !s.is_enabled(&B::META));
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["sec.audit"])), &[]).unwrap();
        assert!(s.is_enabled(&C::META) && !s.is_enabled(&A::META));
    }

    #[test]
    fn groups_select_their_rules_and_only_nursery_needs_naming() {
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["pedantic"])), &[]).unwrap();
        assert!(s.is_enabled(&C::META));
        assert!(!s.is_enabled(&A::META) && !s.is_enabled(&B::META) && !s.is_enabled(&D::META));
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["Correctness", "suspicious"])), &[])
            .unwrap();
        assert_eq!(
            rules().iter().map(|r| s.is_enabled(r)).collect::<Vec<_>>(),
            rules()
                .iter()
                .map(|r| r.default_enabled())
                .collect::<Vec<_>>()
        );
        // A broad selector takes opt-in rules too, but not nursery ones.
        for broad in ["ALL", "SQL", "SQL09", "db"] {
            let s = RuleSelection::resolve(&rules(), Some(&sel(&[broad])), &[]).unwrap();
            assert!(!s.is_enabled(&D::META), "{broad}");
        }
        for exact in ["SQL091", "misfires", "nursery"] {
            let s = RuleSelection::resolve(&rules(), Some(&sel(&[exact])), &[]).unwrap();
            assert!(s.is_enabled(&D::META), "{exact}");
        }
        // Ignoring a group ignores its rules.
        let s =
            RuleSelection::resolve(&rules(), Some(&sel(&["ALL"])), &sel(&["suspicious"])).unwrap();
        assert!(!s.is_enabled(&A::META) && s.is_enabled(&B::META) && s.is_enabled(&C::META));
    }

    #[test]
    fn extend_adds_to_the_defaults() {
        let mut s = RuleSelection::resolve(&rules(), None, &[]).unwrap();
        s.extend(&rules(), &sel(&["pedantic", "nursery"]), &sel(&["SQL091"]))
            .unwrap();
        assert!(s.is_enabled(&A::META) && s.is_enabled(&B::META) && s.is_enabled(&C::META));
        assert!(!s.is_enabled(&D::META));
        assert!(s.extend(&rules(), &sel(&["stlye"]), &[]).is_err());
    }

    #[test]
    fn a_prefix_must_end_on_a_code_boundary_only_by_text() {
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["SQL0"])), &[]).unwrap();
        assert!(s.is_enabled(&A::META) && s.is_enabled(&C::META));
        let s = RuleSelection::resolve(&rules(), Some(&sel(&["SQL00"])), &[]).unwrap();
        assert!(s.is_enabled(&A::META) && !s.is_enabled(&C::META));
    }

    #[test]
    fn unknown_selector_suggests_a_close_rule() {
        let err = RuleSelection::resolve(&rules(), Some(&sel(&["SQL002"])), &[]).unwrap_err();
        assert_eq!(err.selector.text, "SQL002");
        assert_eq!(err.suggestion, Some("SQL001"));
        // A checklist id no rule serves yet is accepted.
        assert!(RuleSelection::resolve(&rules(), Some(&sel(&["db.rollback"])), &[]).is_ok());
    }

    #[test]
    fn severity_overrides_and_per_path_ignores() {
        let mut s = RuleSelection::defaults(&rules());
        s.override_severity(&rules(), &Selector::cli("SQL001"), Severity::Warning)
            .unwrap();
        assert_eq!(s.severity_override(&A::META), Some(Severity::Warning));
        assert_eq!(s.severity_override(&B::META), None);
        s.ignore_under(&rules(), "legacy/**", &sel(&["SQL001"]))
            .unwrap();
        assert!(s.is_ignored_at(&A::META, "legacy/migrations/1_a.sql"));
        assert!(!s.is_ignored_at(&A::META, "migrations/1_a.sql"));
    }
}
