//! The SQL migration analyzer of cargo-backend-check.
//!
//! The flow: [`discover`] picks migration files by name and groups them into
//! ordered [`MigrationSet`]s ([`model`]) with paired up and down scripts;
//! [`parse`] splits each script into statements with exact spans and parses
//! them with the set's dialect; [`schema`] derives what migrations do to the
//! schema; the engine walks each set and hands all that to the [`rules`].

mod analyzer;
pub mod discover;
pub(crate) mod engine;
pub mod model;
pub mod parse;
pub mod rules;
pub mod schema;

#[cfg(test)]
mod test_support;

pub use analyzer::SqlAnalyzer;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{
    guard, AnalysisOutput, AnalyzerInput, CommentStyle, Diagnostic, RuleMeta, Sink, SourceFile,
    Span,
};
use rayon::prelude::*;

use discover::{Candidate, DiscoverOptions, LoadedCandidate};
pub use model::{Direction, Layout, Migration, MigrationKind, MigrationSet, Script, Version};
pub use parse::{Coverage, CoverageCounts};
use rules::ParseError;

/// Every rule of the SQL analyzer (the parse-error rule included).
pub const RULES: &[&RuleMeta] = rules::RULES;

/// How Squawk's default-on rules map to ours (Markdown).
pub const PEERS: &str = include_str!("../PEERS.md");

/// The migration sets of a run, discovered and parsed, with every file read.
#[derive(Debug, Default)]
pub struct LoadedSets {
    /// The sets, each with its migrations in order and its scripts parsed.
    pub sets: Vec<MigrationSet>,
    /// Every file read (unreadable ones included).
    pub files: Vec<Arc<SourceFile>>,
    /// Parse-error (SQL000) findings of files that could not be read or are
    /// not UTF-8; they are in no set.
    pub unreadable: Vec<Diagnostic>,
    /// Internal errors raised while parsing a script.
    pub internal: Vec<Diagnostic>,
}

impl LoadedSets {
    /// How the statements of every set were read (a file in several sets,
    /// such as an untagged pop file, counts once per set).
    pub fn coverage(&self) -> CoverageCounts {
        let mut counts = CoverageCounts::default();
        for set in &self.sets {
            counts += CoverageCounts::of_set(set);
        }
        counts
    }
}

/// Finds the migration sets among `input.paths`, reads their files in
/// parallel, orders and pairs the migrations, settles each script's
/// transaction mode and parses every script: everything [`analyze`] does
/// before the rules run.
pub fn load_sets(input: &AnalyzerInput<'_>) -> LoadedSets {
    let options = discover_options(input);
    let candidates = discover::classify(input.paths, &options);
    let loads: Vec<Load> = candidates
        .into_par_iter()
        .map(|candidate| load(input, candidate))
        .collect();
    let mut loaded_sets = LoadedSets::default();
    let mut loaded = Vec::with_capacity(loads.len());
    for item in loads {
        loaded_sets.files.push(Arc::clone(&item.file));
        match item.problem {
            Some(diagnostic) => loaded_sets.unreadable.push(diagnostic),
            None => loaded.push(LoadedCandidate {
                candidate: item.candidate,
                file: item.file,
            }),
        }
    }
    let (sets, internal) = sets_of(loaded, &options);
    loaded_sets.sets = sets;
    loaded_sets.internal = internal;
    loaded_sets
}

/// Finds the migration sets among `input.paths`, parses them and runs the rules.
pub fn analyze(input: &AnalyzerInput<'_>) -> AnalysisOutput {
    let loaded = load_sets(input);
    let mut output = AnalysisOutput {
        files: loaded.files,
        diagnostics: loaded.internal,
        ..AnalysisOutput::default()
    };
    let mut sink = Sink::new(input.selection);
    for diagnostic in loaded.unreadable {
        sink.push(diagnostic);
    }
    let history = engine::history::History::of_run(&input.config.sql, &loaded.sets);
    let findings: Vec<(Vec<Diagnostic>, Vec<Diagnostic>, Option<schema::Catalog>)> = loaded
        .sets
        .par_iter()
        .map(|set| {
            let mut set_sink = Sink::new(input.selection);
            let (internal, catalog) = engine::check_set(set, &mut set_sink);
            let mut summary_sink = Sink::new(input.selection);
            let mut found = engine::history::settle(
                set,
                &history,
                set_sink.into_diagnostics(),
                &mut summary_sink,
            );
            found.extend(summary_sink.into_diagnostics());
            (found, internal, catalog)
        })
        .collect();
    let mut diagnostics = sink.into_diagnostics();
    let mut model = SqlModel::default();
    for ((found, internal, catalog), set) in findings.into_iter().zip(loaded.sets) {
        diagnostics.extend(found);
        output.diagnostics.extend(internal);
        model.sets.push(SetModel { set, catalog });
    }
    output.diagnostics.extend(dedupe(diagnostics));
    if input.build_model {
        output.model = Some(Arc::new(model));
    }
    output
}

/// What the SQL analyzer tells the rest of the tool: every migration set it
/// found, with its scripts (statements parsed, transaction modes decided),
/// and the schema the set builds, replayed once with no database.
#[derive(Debug, Default)]
pub struct SqlModel {
    /// The sets, in path order.
    pub sets: Vec<SetModel>,
}

/// One migration set and the schema it builds.
#[derive(Debug)]
pub struct SetModel {
    /// The set: folder, layout, dialect, and its migrations in run order,
    /// each with its up and down scripts.
    pub set: MigrationSet,
    /// The catalog after every up script (tables, columns, types,
    /// nullability, defaults, keys, indexes, views, grants), each object with
    /// the migration and statement that defined it; `None` when no SQL rule ran.
    pub catalog: Option<schema::Catalog>,
}

impl SetModel {
    /// The catalog after each migration's up script, in run order: a second
    /// replay, made only when asked for (the rules' one replay keeps only
    /// the final schema).
    pub fn catalogs_by_migration(&self) -> Vec<schema::Catalog> {
        let mut each = Vec::with_capacity(self.set.migrations.len());
        schema::replay_each(&self.set, |_, catalog| each.push(catalog.clone()));
        each
    }
}

/// Discovers and parses the sets; a panic while parsing a script becomes an
/// internal error on its file.
fn sets_of(
    loaded: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> (Vec<MigrationSet>, Vec<Diagnostic>) {
    let mut sets = discover::build_sets(loaded, options);
    let failures: Vec<Diagnostic> = sets
        .par_iter_mut()
        .flat_map_iter(|set| {
            let dialect = set.dialect;
            let failed = parse_scripts(set, dialect);
            discover::transaction::settle_flyway(set);
            failed
        })
        .collect();
    (sets, failures)
}

fn parse_scripts(
    set: &mut MigrationSet,
    dialect: backend_check_core::SqlDialect,
) -> Vec<Diagnostic> {
    set.migrations
        .iter_mut()
        .flat_map(Migration::scripts_mut)
        .filter_map(move |script| {
            let file = Arc::clone(&script.file);
            match guard(&file, || script.parse(dialect)) {
                Ok(statements) => {
                    script.statements = statements;
                    None
                }
                Err(internal) => Some(internal),
            }
        })
        .collect::<Vec<_>>()
}

fn discover_options<'a>(input: &AnalyzerInput<'a>) -> DiscoverOptions<'a> {
    DiscoverOptions {
        sources: input.sources,
        root: input.root.to_path_buf(),
        dialect: input.config.sql.dialect,
        migration_dirs: input
            .config
            .sql
            .migrations
            .iter()
            .map(|d| input.root.join(d.get_ref()))
            .collect(),
        explicit: input.explicit.to_vec(),
        postgres_version: input.config.sql.postgres_version,
        audit_columns: input.config.sql.audit_columns.clone(),
    }
}

/// A read file, with the parse-error diagnostic when it cannot be analysed.
struct Load {
    candidate: Candidate,
    file: Arc<SourceFile>,
    problem: Option<Diagnostic>,
}

fn load(input: &AnalyzerInput<'_>, candidate: Candidate) -> Load {
    let path: &Path = &candidate.path;
    let display = input.display_path(path);
    match SourceFile::read_from(
        input.sources,
        path,
        display.clone(),
        CommentStyle::DoubleDash,
    ) {
        Ok(source) => {
            let file = Arc::new(source.file);
            let problem = source.invalid_utf8_at.map(|at| {
                Diagnostic::new(
                    &ParseError::META,
                    &file,
                    Span::at(at),
                    rules::migration_safety::parse_error::invalid_utf8_message(at),
                )
                .with_help(rules::migration_safety::parse_error::invalid_utf8_help())
            });
            Load {
                candidate,
                file,
                problem,
            }
        }
        Err(error) => {
            let file = Arc::new(SourceFile::new(path, display, "", CommentStyle::DoubleDash));
            let problem = Diagnostic::new(
                &ParseError::META,
                &file,
                Span::at(0),
                rules::migration_safety::parse_error::unreadable_message(&error),
            )
            .with_help(rules::migration_safety::parse_error::unreadable_help());
            Load {
                candidate,
                file,
                problem: Some(problem),
            }
        }
    }
}

/// A file shared by several sets (an untagged pop file is in the set of every
/// dialect) may be reported once per set: keep one finding per place and
/// message, and one parse-error finding per file.
fn dedupe(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen: HashSet<(PathBuf, &'static str, usize, usize, String)> = HashSet::new();
    let mut parse_errors: HashSet<PathBuf> = HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| {
            let path = d.file.path().to_path_buf();
            if d.rule.code == ParseError::META.code {
                return parse_errors.insert(path);
            }
            seen.insert((
                path,
                d.rule.code,
                d.span.start,
                d.span.end,
                d.message.clone(),
            ))
        })
        .collect()
}
