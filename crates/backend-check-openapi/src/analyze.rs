//! The analyzer's pipeline: read, parse and check each document in parallel.

use std::path::Path;
use std::sync::Arc;

use backend_check_core::{
    guard, Allow, AnalysisOutput, AnalyzerInput, CommentStyle, Diagnostic, Sink, SourceFile, Span,
};
use rayon::prelude::*;

use crate::load::{self, Format, Tree, Value};
use crate::model::Api;
use crate::rules::{self, Context, ParseError};

/// Checks every document of `input.paths`, in parallel.
pub fn analyze(input: &AnalyzerInput<'_>) -> AnalysisOutput {
    input
        .paths
        .par_iter()
        .map(|path| analyze_path(input, path))
        .reduce(AnalysisOutput::default, |mut all, one| {
            all.extend(one);
            all
        })
}

fn comment_style(format: Format) -> CommentStyle {
    match format {
        Format::Yaml => CommentStyle::Hash,
        Format::Json => CommentStyle::None,
    }
}

fn analyze_path(input: &AnalyzerInput<'_>, path: &Path) -> AnalysisOutput {
    let format = Format::of_path(path);
    let style = comment_style(format);
    let display = input.display_path(path);
    let mut sink = Sink::new(input.selection);
    let mut output = AnalysisOutput::default();
    let file = match SourceFile::read(path, display.clone(), style) {
        Ok(loaded) => {
            let file = Arc::new(loaded.file);
            match loaded.invalid_utf8_at {
                Some(offset) => sink.push(ParseError::not_utf8(&file, offset)),
                None => match guard(&file, || check_file(&file, format, &mut sink)) {
                    Ok(allows) => output.allows = allows,
                    Err(internal) => output.diagnostics.push(internal),
                },
            }
            file
        }
        Err(error) => {
            let file = Arc::new(SourceFile::new(path, display, "", style));
            sink.push(ParseError::unreadable(&file, &error));
            file
        }
    };
    output.diagnostics.extend(sink.into_diagnostics());
    output.files.push(file);
    output
}

/// Parses one document and runs the rules on it; returns its allows.
pub(crate) fn check_file(
    file: &Arc<SourceFile>,
    format: Format,
    sink: &mut Sink<'_>,
) -> Vec<Allow> {
    let tree = match load::parse(file.text(), format) {
        Ok(tree) => tree,
        Err(error) => {
            sink.push(ParseError::syntax(file, &error));
            return Vec::new();
        }
    };
    if let Some(diagnostic) = root_problem(file, &tree) {
        sink.push(diagnostic);
        return Vec::new();
    }
    let allows = crate::allow::collect(file, &tree);
    let api = Api::build(&tree);
    let cx = Context {
        file,
        tree: &tree,
        api: &api,
    };
    rules::check_all(&cx, sink);
    allows
}

fn root_problem(file: &Arc<SourceFile>, tree: &Tree<'_>) -> Option<Diagnostic> {
    let Some(root) = tree.root() else {
        return Some(ParseError::root_not_mapping(file, Span::at(0), "empty"));
    };
    match tree.value(root) {
        Value::Mapping(_) => None,
        Value::Null => Some(ParseError::root_not_mapping(file, tree.span(root), "empty")),
        other => Some(ParseError::root_not_mapping(
            file,
            tree.span(root),
            other.kind_name(),
        )),
    }
}
