//! Rust source checks for cargo-backend-check.
//!
//! A run has three phases:
//! 1. **parse** ([`parse`]): every `.rs` file is read and parsed with syn in
//!    parallel; what the rules need (functions, `use` aliases, router
//!    registrations, calls in bodies) is kept as facts with byte spans;
//! 2. **model** ([`model`], [`framework`]): the files are placed in their
//!    crates' module trees, and handlers (route attributes, router
//!    registrations) are resolved to function definitions;
//! 3. **rules** ([`rules`]): each rule reads the model once.

mod analyzer;
pub mod framework;
pub mod inventory;
pub mod model;
pub mod names;
pub mod parse;
pub mod rules;

pub use analyzer::RustAnalyzer;
pub use inventory::{Query, Route, RustModel};
use std::path::PathBuf;

use backend_check_core::{AnalysisOutput, AnalyzerInput, RuleMeta, Sink, SourceFile, Sources};

pub use framework::{FnId, Framework, Handler, Method};
use model::{CrateModel, ParsedFile};
use parse::{LoadedFile, Outcome};
use rules::ParseError;

/// Every rule of the Rust analyzer.
pub const RULES: &[&RuleMeta] = rules::RULES;

/// Checks the Rust files of `input.paths`.
pub fn analyze(input: &AnalyzerInput<'_>) -> AnalysisOutput {
    let mut sink = Sink::new(input.selection);
    let loaded = parse::load_all(input.sources, input.paths, &|path| input.display_path(path));
    let mut output = AnalysisOutput::default();
    let parsed = split_outcomes(input.sources, loaded, &mut output, &mut sink);
    let model = CrateModel::build_in(input.sources, parsed);
    let (handlers, errors) = framework::build_handlers(&model);
    output.diagnostics.extend(errors);
    let context = rules::Context::new(&model, &handlers, &input.config.rust);
    let errors = rules::check_all(&context, &mut sink);
    output.diagnostics.extend(errors);
    output.diagnostics.extend(sink.into_diagnostics());
    if input.build_model {
        output.model = Some(std::sync::Arc::new(RustModel::of(&context)));
    }
    output
}

/// Keeps every file in the output, reports those that did not parse, and returns those that did.
fn split_outcomes(
    sources: &dyn Sources,
    loaded: Vec<LoadedFile>,
    output: &mut AnalysisOutput,
    sink: &mut Sink<'_>,
) -> Vec<ParsedFile> {
    let mut parsed = Vec::with_capacity(loaded.len());
    let mut layout = model::Layout::new(sources);
    for LoadedFile { file, outcome } in loaded {
        output.files.push(file.clone());
        match outcome {
            Outcome::Parsed(facts) => parsed.push(ParsedFile { file, facts }),
            Outcome::Syntax { .. } if !is_checked_source(&mut layout, &file) => {}
            other => output
                .diagnostics
                .extend(ParseError::report(&file, other, sink)),
        }
    }
    parsed
}

/// Whether a syntax error in the file is worth reporting: the file is code of
/// an application, not a test, example or data file (compile-fail test
/// cases, syntax samples under `assets/` are broken on purpose).
fn is_checked_source(layout: &mut model::Layout<'_>, file: &SourceFile) -> bool {
    let location = layout.locate(file.path());
    location.compiled && !location.exempt
}

/// Parses `paths` and returns the crate model and its handlers, for callers
/// that need the routes of the code (cross-artifact checks, tests). Files that
/// do not parse are left out.
pub fn load_model(paths: &[PathBuf]) -> (CrateModel, Vec<Handler>) {
    let loaded = parse::load_all(&backend_check_core::FileSystem, paths, &|path| {
        backend_check_core::display_path(path)
    });
    let parsed = loaded
        .into_iter()
        .filter_map(|l| match l.outcome {
            Outcome::Parsed(facts) => Some(ParsedFile {
                file: l.file,
                facts,
            }),
            _ => None,
        })
        .collect();
    let model = CrateModel::build(parsed);
    let (handlers, _) = framework::build_handlers(&model);
    (model, handlers)
}

#[cfg(test)]
mod tests;
