//! What an analyzer receives and returns.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{
    Allow, AnalyzerKind, Config, Diagnostic, RuleMeta, RuleSelection, SourceFile, Sources, Span,
    Spanned,
};

/// Whether an analyzer takes a file discovery found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Claim {
    /// Not one of its inputs.
    No,
    /// One of its inputs, by its name alone (`.sql`, `.rs`).
    Yes,
    /// Perhaps: its content decides ([`Analyzer::claims_content`]), as for a
    /// `.yaml` file that may or may not be an OpenAPI document.
    ByContent,
}

/// One analyzer: the files it claims, the context a file named on the command
/// line needs, its rules, and the analysis itself. The engine runs every
/// analyzer of its list side by side; adding an analyzer means adding it to
/// that list (`backend_check_engine::ANALYZERS`).
pub trait Analyzer: Send + Sync {
    /// Which analyzer this is (its rules' code prefix).
    fn kind(&self) -> AnalyzerKind;

    /// Its rules, in code order.
    fn rules(&self) -> &'static [&'static RuleMeta];

    /// Whether a file discovery found, by its path, is one of its inputs.
    fn claims(&self, path: &Path) -> Claim;

    /// For a [`Claim::ByContent`] file: whether its text is one of its inputs.
    fn claims_content(&self, _text: &str) -> bool {
        true
    }

    /// The claim on a file the configuration names for this analyzer, whatever
    /// its name: taken as it is, or (for documents recognised by content) still
    /// to be confirmed by its content.
    fn configured_claim(&self) -> Claim {
        Claim::Yes
    }

    /// The paths the configuration gives this analyzer (files or folders,
    /// relative to the configuration's folder); empty when none are configured.
    fn configured_paths<'c>(&self, config: &'c Config) -> &'c [Spanned<String>];

    /// The folder whose files of this analyzer are read as context when `file`
    /// is named on the command line (the migration set of a `.sql` file, the
    /// crate of a `.rs` file), if any.
    fn context_of(&self, _file: &Path, _sources: &dyn Sources) -> Option<PathBuf> {
        None
    }

    /// Analyzes the files discovery gave it.
    fn analyze(&self, input: &AnalyzerInput<'_>) -> AnalysisOutput;
}

/// The input every analyzer gets.
pub struct AnalyzerInput<'a> {
    /// The folder paths in output are shown relative to (the working folder of the run).
    pub root: &'a Path,
    /// The files this analyzer should look at, as discovery classified them.
    pub paths: &'a [PathBuf],
    /// The files the user named on the command line (as pre-commit does); empty
    /// when the tree was walked. A file named explicitly is checked even when it
    /// does not follow a known layout.
    pub explicit: &'a [PathBuf],
    /// The configuration.
    pub config: &'a Config,
    /// Which rules run.
    pub selection: &'a RuleSelection,
    /// Where files are read from: every read of the analysis goes through it.
    pub sources: &'a dyn Sources,
    /// Whether to return the analyzer's model ([`AnalysisOutput::model`]):
    /// only checks that read across artifacts need it, and building it is
    /// not free (the Rust routes' authentication, for one).
    pub build_model: bool,
}

impl AnalyzerInput<'_> {
    /// The path shown to the user for a file: relative to [`AnalyzerInput::root`]
    /// when below it, with `/` separators.
    pub fn display_path(&self, path: &Path) -> String {
        crate::relative_display_path(path, self.root)
    }
}

/// What an analyzer learned of the project beside its findings (the
/// operations of a spec, the routes of a crate, the schema migrations build),
/// for checks that hold one artifact against another. Each analyzer documents
/// its own type (`backend_check_openapi::OpenApiModel`, …); the engine hands
/// them out by analyzer.
pub type Model = Arc<dyn std::any::Any + Send + Sync>;

/// What an analyzer returns.
#[derive(Default)]
pub struct AnalysisOutput {
    /// Every file it read (for the file count and for allow comments).
    pub files: Vec<Arc<SourceFile>>,
    /// Its findings, unsorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Allows it found that comments cannot express (`x-backend-check-allow`).
    pub allows: Vec<Allow>,
    /// Its model of what it read, when it builds one.
    pub model: Option<Model>,
}

impl AnalysisOutput {
    /// Appends another output's files, findings and allows (models are the
    /// analyzer's to merge: `extend` leaves `self.model` as it is).
    pub fn extend(&mut self, other: AnalysisOutput) {
        self.files.extend(other.files);
        self.diagnostics.extend(other.diagnostics);
        self.allows.extend(other.allows);
    }
}

/// Collects the findings of rules, dropping those of disabled rules and
/// applying severity overrides and per-path ignores.
pub struct Sink<'a> {
    selection: &'a RuleSelection,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Sink<'a> {
    /// An empty sink for a selection.
    pub fn new(selection: &'a RuleSelection) -> Sink<'a> {
        Sink {
            selection,
            diagnostics: Vec::new(),
        }
    }

    /// Whether a rule runs (rules check this before doing any work).
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        self.selection.is_enabled(rule)
    }

    /// Adds a finding, unless its rule is disabled or ignored for its path.
    pub fn push(&mut self, mut diagnostic: Diagnostic) {
        let rule = diagnostic.rule;
        if !self.selection.is_enabled(rule)
            || self
                .selection
                .is_ignored_at(rule, diagnostic.file.display_path())
        {
            return;
        }
        if let Some(severity) = self.selection.severity_override(rule) {
            diagnostic.severity = severity;
        }
        self.diagnostics.push(diagnostic);
    }

    /// The findings collected.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }
}

thread_local! {
    /// How many [`guard`] calls are running on this thread.
    static GUARDS: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Whether the current thread runs inside [`guard`], where a panic becomes a
/// finding: a panic hook can stay quiet there and speak up everywhere else.
pub fn inside_guard() -> bool {
    GUARDS.with(|g| g.get() > 0)
}

/// Runs `work` for one file, turning a panic into an internal-error diagnostic
/// on that file so the run can go on.
pub fn guard<T>(file: &Arc<SourceFile>, work: impl FnOnce() -> T) -> Result<T, Diagnostic> {
    GUARDS.with(|g| g.set(g.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(work));
    GUARDS.with(|g| g.set(g.get().saturating_sub(1)));
    result.map_err(|payload| {
        let reason = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_owned());
        Diagnostic::new(
            &crate::rules::InternalError::META,
            file,
            Span::at(0),
            format!("internal error while analysing this file: {reason}"),
        )
        .with_help("please report this as a bug; the rest of the run went on")
    })
}
