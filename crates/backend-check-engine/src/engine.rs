//! One run of the checks: configuration, discovery, the analyzers side by
//! side, suppressions, sorting.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use backend_check_core::{
    apply_allows, comment_allows, Allow, AnalysisOutput, Analyzer, AnalyzerInput, AnalyzerKind,
    Config, ConfigError, Diagnostic, FailOn, FileSystem, LoadedConfig, Model, RuleMeta,
    RuleSelection, Selector, Sink, SourceFile, Sources, CONFIG_FILE_NAME,
};
use rayon::prelude::*;

use crate::discover::{discover, DiscoverError, Discovered};
use crate::session::Session;
use crate::{all_rules, ANALYZERS};

/// Why a run could not do its job (exit code 2).
#[derive(Debug)]
pub enum ToolError {
    /// The configuration (file or command line) is invalid.
    Config(ConfigError),
    /// A path is missing or a glob invalid.
    Discover(DiscoverError),
    /// Anything else (thread pool, …).
    Other(String),
}

impl From<ConfigError> for ToolError {
    fn from(e: ConfigError) -> ToolError {
        ToolError::Config(e)
    }
}

/// How many files each analyzer read.
#[derive(Debug, Default, Clone)]
pub struct FileCounts {
    counts: BTreeMap<AnalyzerKind, usize>,
}

impl FileCounts {
    /// The files one analyzer read.
    pub fn of(&self, analyzer: AnalyzerKind) -> usize {
        self.counts.get(&analyzer).copied().unwrap_or(0)
    }

    /// All files.
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// Whether an analyzer read any file (for the tool's own rules: always;
    /// for checks across artifacts: whether any analyzer did).
    pub fn has(&self, analyzer: AnalyzerKind) -> bool {
        match analyzer {
            AnalyzerKind::Cross => self.total() > 0,
            AnalyzerKind::Tool => true,
            _ => self.of(analyzer) > 0,
        }
    }
}

/// What the analyzers learned of the project beside their findings, by
/// analyzer: the inputs of checks that hold one artifact against another.
#[derive(Clone, Default)]
pub struct Models {
    by_kind: BTreeMap<AnalyzerKind, Model>,
}

impl Models {
    /// The model of one analyzer, as its own type (`None` when that analyzer
    /// did not run, built none, or builds another type).
    pub fn get<T: std::any::Any>(&self, kind: AnalyzerKind) -> Option<&T> {
        self.by_kind.get(&kind)?.downcast_ref::<T>()
    }

    /// The OpenAPI documents and their operations.
    pub fn openapi(&self) -> Option<&backend_check_openapi::OpenApiModel> {
        self.get(AnalyzerKind::OpenApi)
    }

    /// The migration sets and the schema each builds.
    pub fn sql(&self) -> Option<&backend_check_sql::SqlModel> {
        self.get(AnalyzerKind::Sql)
    }

    /// The routes of the Rust code and the queries it sends.
    pub fn rust(&self) -> Option<&backend_check_rust::RustModel> {
        self.get(AnalyzerKind::Rust)
    }
}

impl std::fmt::Debug for Models {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.by_kind.keys()).finish()
    }
}

/// The result of a run.
pub struct Report {
    /// What each analyzer learned of the project (empty unless the session
    /// asked for models).
    pub models: Models,
    /// Findings, sorted by path, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Files read per analyzer.
    pub files: FileCounts,
    /// Every rule known to the tool.
    pub rules: Vec<&'static RuleMeta>,
    /// The rules that ran.
    pub selection: RuleSelection,
    /// Wall time of the run.
    pub elapsed: Duration,
    /// The threshold for the exit code.
    pub fail_on: FailOn,
    /// The folder paths are shown relative to.
    pub root: PathBuf,
    /// The paths that were checked, as the user gave them (`.` for none).
    pub targets: Vec<PathBuf>,
}

impl Report {
    /// Whether any finding is at or above `fail_on`.
    pub fn fails(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| self.fail_on.fails(d.severity))
    }

    /// The rules that ran, in code order.
    pub fn enabled_rules(&self) -> Vec<&'static RuleMeta> {
        self.rules
            .iter()
            .copied()
            .filter(|r| self.selection.is_enabled(r))
            .collect()
    }
}

/// Finds the configuration: `--config`, else the first folder from `start`
/// upwards that has one (stopping at a repository root).
pub fn load_config(start: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, ConfigError> {
    load_config_in(&FileSystem, start, explicit)
}

/// [`load_config`], reading from `sources`.
pub fn load_config_in(
    sources: &dyn Sources,
    start: &Path,
    explicit: Option<&Path>,
) -> Result<LoadedConfig, ConfigError> {
    if let Some(path) = explicit {
        let loaded = LoadedConfig::from_file_in(sources, path)?;
        loaded.check_paths_in(sources)?;
        return Ok(loaded);
    }
    let mut dir = Some(start);
    while let Some(d) = dir {
        let loaded = LoadedConfig::discover_in(sources, d)?;
        if loaded.source.is_some() {
            loaded.check_paths_in(sources)?;
            return Ok(loaded);
        }
        if sources.exists(&d.join(".git")) || sources.exists(&d.join(CONFIG_FILE_NAME)) {
            break;
        }
        dir = d.parent();
    }
    Ok(LoadedConfig::default())
}

fn spanned_selectors(list: &[toml::Spanned<String>]) -> Vec<Selector> {
    list.iter()
        .map(|s| Selector {
            text: s.get_ref().clone(),
            span: Some(s.span()),
        })
        .collect()
}

fn unknown_selector_error(
    loaded: &LoadedConfig,
    unknown: backend_check_core::UnknownSelector,
) -> ConfigError {
    let message = format!("unknown rule selector `{}`", unknown.selector.text);
    let error = match unknown.selector.span {
        Some(span) => loaded.error_at(span, message),
        None => ConfigError::plain(message),
    };
    match unknown.suggestion {
        Some(s) => error.with_help(format!("did you mean `{s}`? `cargo backend-check rules` lists every rule")),
        None => error.with_help("a selector is a rule code (SQL001), a code prefix (SQL), a rule name, a checklist id (db.migration-safety) or area (db), a group (correctness, suspicious, pedantic, nursery), or ALL"),
    }
}

/// Resolves the rule selection from the configuration and the command line.
fn build_selection(
    rules: &[&'static RuleMeta],
    loaded: &LoadedConfig,
    args: &Session,
) -> Result<RuleSelection, ConfigError> {
    let config = &loaded.config;
    let select: Option<Vec<Selector>> = match &args.select {
        Some(list) => Some(list.iter().map(Selector::cli).collect()),
        None => config.select.as_deref().map(spanned_selectors),
    };
    let mut ignore = spanned_selectors(&config.ignore);
    ignore.extend(args.ignore.iter().map(Selector::cli));
    let mut selection = RuleSelection::resolve(rules, select.as_deref(), &ignore)
        .map_err(|u| unknown_selector_error(loaded, u))?;
    // A `--select` on the command line replaces the configured selection,
    // `extend-select` included.
    let mut extend = match &args.select {
        Some(_) => Vec::new(),
        None => spanned_selectors(&config.extend_select),
    };
    extend.extend(args.extend_select.iter().map(Selector::cli));
    selection
        .extend(rules, &extend, &ignore)
        .map_err(|u| unknown_selector_error(loaded, u))?;
    for (rule, severity) in &config.severity {
        let selector = Selector {
            text: rule.clone(),
            span: Some(severity.span()),
        };
        selection
            .override_severity(rules, &selector, *severity.get_ref())
            .map_err(|u| unknown_selector_error(loaded, u))?;
    }
    for (glob, list) in &config.per_path_ignores {
        let selectors = spanned_selectors(list);
        selection
            .ignore_under(rules, glob, &selectors)
            .map_err(|message| match list.first() {
                Some(first) => loaded.error_at(first.span(), message),
                None => ConfigError::plain(message),
            })?;
    }
    Ok(selection)
}

fn fail_on(session: &Session, config: &Config) -> FailOn {
    session
        .fail_on
        .unwrap_or_else(|| config.fail_on.unwrap_or_default())
}

/// The stack of each worker thread. Parsers and tree walks recurse; a deep input must
/// never overflow a stack (that aborts the whole run), and the analyzers guard their own
/// deepest cases, but a margin over Rust's 2 MiB default costs only address space.
const WORKER_STACK: usize = 16 << 20;

/// Runs the checks: a list of analyzers, side by side.
pub struct Engine {
    analyzers: &'static [&'static dyn Analyzer],
}

impl Default for Engine {
    fn default() -> Engine {
        Engine::new()
    }
}

impl Engine {
    /// An engine with every analyzer of [`ANALYZERS`].
    pub fn new() -> Engine {
        Engine {
            analyzers: ANALYZERS,
        }
    }

    /// The analyzers it runs.
    pub fn analyzers(&self) -> &'static [&'static dyn Analyzer] {
        self.analyzers
    }

    /// One run: configuration, discovery, analysis, suppressions, sorting.
    pub fn check(&self, session: &Session) -> Result<Report, ToolError> {
        let started = Instant::now();
        let cwd = session.cwd.as_path();
        let sources = session.sources.as_ref();
        let rules = all_rules();
        let config_start = match session.paths.as_slice() {
            [single] if sources.is_dir(&cwd.join(single)) => cwd.join(single),
            _ => cwd.to_path_buf(),
        };
        let explicit_config = session.config.as_ref().map(|p| cwd.join(p));
        let loaded = load_config_in(sources, &config_start, explicit_config.as_deref())?;
        let selection = build_selection(&rules, &loaded, session)?;
        let base = loaded
            .source
            .as_ref()
            .map_or_else(|| cwd.to_path_buf(), |s| s.base.clone());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(session.threads.unwrap_or(0))
            .stack_size(WORKER_STACK)
            .build()
            .map_err(|e| ToolError::Other(format!("cannot start worker threads: {e}")))?;
        let (diagnostics, files, models, whole_project) =
            pool.install(|| -> Result<_, ToolError> {
                let discovered = discover(
                    sources,
                    cwd,
                    &session.paths,
                    &loaded.config,
                    &base,
                    self.analyzers,
                )
                .map_err(ToolError::Discover)?;
                let (diagnostics, files, models) = self.analyze(
                    session,
                    &discovered,
                    &loaded.config,
                    &selection,
                    &rules,
                    cwd,
                );
                Ok((diagnostics, files, models, discovered.whole_project))
            })?;
        Ok(Report {
            models,
            diagnostics,
            files,
            rules,
            selection,
            elapsed: started.elapsed(),
            fail_on: fail_on(session, &loaded.config),
            root: cwd.to_path_buf(),
            // A named configuration file makes the run a whole-project one.
            targets: if session.paths.is_empty() || whole_project {
                vec![PathBuf::from(".")]
            } else {
                session.paths.clone()
            },
        })
    }

    /// Runs the analyzers side by side, then applies allows and sorts.
    fn analyze(
        &self,
        session: &Session,
        discovered: &Discovered,
        config: &Config,
        selection: &RuleSelection,
        rules: &[&'static RuleMeta],
        root: &Path,
    ) -> (Vec<Diagnostic>, FileCounts, Models) {
        let sources = session.sources.as_ref();
        let build_models = session.models;
        let outputs: Vec<(AnalyzerKind, AnalysisOutput)> = self
            .analyzers
            .par_iter()
            .zip(discovered.files.par_iter())
            .map(|(analyzer, paths)| {
                let kind = analyzer.kind();
                let output = if !paths.is_empty() && selection.any_enabled_in(rules, kind) {
                    analyzer.analyze(&AnalyzerInput {
                        root,
                        paths,
                        explicit: &discovered.explicit,
                        config,
                        selection,
                        sources,
                        build_model: build_models,
                    })
                } else {
                    AnalysisOutput::default()
                };
                (kind, output)
            })
            .collect();
        let mut files = FileCounts::default();
        let mut all = AnalysisOutput::default();
        let mut models = Models::default();
        for (kind, mut output) in outputs {
            *files.counts.entry(kind).or_default() += output.files.len();
            if let Some(model) = output.model.take() {
                models.by_kind.insert(kind, model);
            }
            all.extend(output);
        }
        let mut diagnostics = all.diagnostics;
        let allows = collect_allows(&all.files, all.allows);
        let mut sink = Sink::new(selection);
        for unused in apply_allows(&mut diagnostics, &allows, rules, selection) {
            sink.push(unused);
        }
        diagnostics.extend(sink.into_diagnostics());
        if let Some(only) = &discovered.report_only {
            diagnostics.retain(|d| reported(only, d.file.path()));
        }
        diagnostics.par_sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        (diagnostics, files, models)
    }
}

fn reported(only: &BTreeSet<PathBuf>, path: &Path) -> bool {
    only.contains(path)
}

/// The comment allows of every file read (each file once), plus the allows an
/// analyzer found itself.
fn collect_allows(files: &[Arc<SourceFile>], mut allows: Vec<Allow>) -> Vec<Allow> {
    let mut seen = BTreeSet::new();
    let unique: Vec<&Arc<SourceFile>> = files
        .iter()
        .filter(|f| seen.insert(f.path().to_path_buf()))
        .collect();
    allows.par_extend(unique.par_iter().flat_map_iter(|f| comment_allows(f)));
    allows
}
