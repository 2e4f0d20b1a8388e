//! `--format checklist`: the checklists as Markdown, each item ticked or not.

use std::collections::HashMap;
use std::fmt::Write;

use backend_check_core::{Checklist, ChecklistArea, RuleMeta, Severity, NOT_STATIC};

use backend_check_engine::Report;

/// The groups of the rules that serve `item` (none of which ran).
fn opt_in_groups(rules: &[&RuleMeta], item: Checklist) -> Vec<&'static str> {
    let mut groups: Vec<_> = rules
        .iter()
        .filter(|r| r.checklist == Some(item))
        .map(|r| r.group)
        .collect();
    groups.sort();
    groups.dedup();
    groups.into_iter().map(|g| g.id()).collect()
}

/// Renders every checklist item: `- [ ]` with its findings, `- [x]` when the
/// rules that serve it ran on files and found nothing, and a note when no
/// rule could check it.
pub fn render(report: &Report, quiet: bool) -> String {
    let mut findings: HashMap<Checklist, (usize, usize, usize)> = HashMap::new();
    for d in &report.diagnostics {
        if let Some(item) = d.rule.checklist {
            let entry = findings.entry(item).or_default();
            match d.severity {
                Severity::Error => entry.0 += 1,
                Severity::Warning => entry.1 += 1,
                Severity::Info => entry.2 += 1,
            }
        }
    }
    let enabled = report.enabled_rules();
    let mut out = String::from("## Backend checklist (cargo-backend-check)\n");
    for area in ChecklistArea::ALL {
        let _ = write!(out, "\n### {}\n\n", area.title());
        for item in Checklist::ALL.iter().filter(|c| c.area() == area) {
            let rules: Vec<_> = enabled
                .iter()
                .filter(|r| r.checklist == Some(*item))
                .collect();
            let ran = rules.iter().any(|r| report.files.has(r.analyzer()));
            let label = format!("**{}** (`{}`)", item.title(), item.id());
            let line = match findings.get(item) {
                Some(&(e, w, i)) => {
                    let total = e + w + i;
                    let mut parts = Vec::new();
                    for (n, word) in [(e, "error"), (w, "warning"), (i, "info")] {
                        if n > 0 {
                            parts.push(format!("{n} {word}{}", if n == 1 { "" } else { "s" }));
                        }
                    }
                    format!(
                        "- [ ] {label}: {total} finding{} ({})",
                        if total == 1 { "" } else { "s" },
                        parts.join(", ")
                    )
                }
                None if ran => format!(
                    "- [x] {label}: checked by {} rule{}, no findings",
                    rules.len(),
                    if rules.len() == 1 { "" } else { "s" }
                ),
                None if rules.is_empty() => {
                    let groups = opt_in_groups(&report.rules, *item);
                    if groups.is_empty() {
                        format!("- [ ] {label}: not checked statically (no rule serves it yet)")
                    } else {
                        format!(
                            "- [ ] {label}: not checked (its rules are opt-in: `--extend-select {}`)",
                            groups.join(",")
                        )
                    }
                }
                None => format!(
                    "- [ ] {label}: not checked statically (no files for its rules were found)"
                ),
            };
            out.push_str(&line);
            out.push('\n');
        }
        for (_, title) in NOT_STATIC.iter().filter(|(g, _)| *g == area) {
            let _ = writeln!(out, "- [ ] **{title}**: not checked statically");
        }
    }
    if !quiet {
        // The counts and the timing: a pull-request comment built with `--quiet`
        // stays the same from run to run.
        let _ = write!(out, "\n{}\n", super::summary_line(report));
    }
    out
}
