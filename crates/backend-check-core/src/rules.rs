//! The tool's own rules: problems with suppressions and with the tool itself.

use crate::{Group, RuleMeta, Severity};

/// An allow comment that suppresses nothing, or names no rule.
pub struct UnusedAllow;

impl UnusedAllow {
    /// The rule's metadata.
    pub const META: RuleMeta = RuleMeta {
        code: "BC001",
        name: "unused-allow",
        checklist: None,
        severity: Severity::Warning,
        summary: "an allow comment or `x-backend-check-allow` entry that suppresses nothing",
        doc: " ## What it does
 Reports an allow (`// backend-check: allow(RS001) reason`, `-- backend-check: allow(…)`,
 `# backend-check: allow(…)` or an `x-backend-check-allow` list in OpenAPI) that suppresses
 no finding, or that names something that is not a rule.

 ## Why is this bad?
 Allows outlive the code they were written for. A stale allow hides the next real finding on
 that line, and one with a typo in the code never worked at all.

 ## Example
 ```sql
 -- backend-check: allow(SQL001) table is small
 CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
 ```

 ## Use instead
 ```sql
 CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
 ```

 ## Options
 None. An allow that names a rule which is not enabled in this run is not reported.
",
        fixable: false,
        group: Group::Correctness,
    };
}

/// The analysis of one file failed inside the tool.
pub struct InternalError;

impl InternalError {
    /// The rule's metadata.
    pub const META: RuleMeta = RuleMeta {
        code: "BC002",
        name: "internal-error",
        checklist: None,
        severity: Severity::Error,
        summary: "the analysis of a file failed inside cargo-backend-check",
        doc: " ## What it does
 Reports a file whose analysis stopped because of a bug in cargo-backend-check. The rest of
 the run goes on; only this file's findings may be missing.

 ## Why is this bad?
 The file was not fully checked, so a clean result for it means nothing.

 ## Example
 Any file that triggers a bug in an analyzer.

 ## Use instead
 Please report the message and, if you can, the file to the issue tracker. To unblock a
 pipeline, exclude the file with `exclude` in `backend-check.toml` until it is fixed.

 ## Options
 None.
",
        fixable: false,
        group: Group::Correctness,
    };
}

/// The tool's own rules.
pub const TOOL_RULES: &[&RuleMeta] = &[&UnusedAllow::META, &InternalError::META];
