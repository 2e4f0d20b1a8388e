//! The analyzer's pipeline: read, parse and check each document in parallel.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{
    guard, Allow, AnalysisOutput, AnalyzerInput, CommentStyle, Diagnostic, Sink, SourceFile,
    Sources, Span,
};
use rayon::prelude::*;

use crate::inventory::{Document, OpenApiModel};

use crate::load::{self, Docs, Format, Tree, Value};
use crate::model::Api;
use crate::rules::{self, Context, ParseError};

/// Checks every document of `input.paths`, in parallel. A document that
/// another checked document references is linted only through that reference.
pub fn analyze(input: &AnalyzerInput<'_>) -> AnalysisOutput {
    let checked: Vec<Checked> = input
        .paths
        .par_iter()
        .map(|path| analyze_path(input, path))
        .collect();
    let referenced: HashSet<PathBuf> = checked
        .iter()
        .flat_map(|c| c.referenced.iter().cloned())
        .collect();
    let mut all = AnalysisOutput::default();
    let mut model = OpenApiModel::default();
    for one in checked {
        let is_part = one
            .canonical
            .as_ref()
            .is_some_and(|own| referenced.contains(own) && !one.referenced.contains(own));
        if !is_part {
            all.extend(one.output);
            model.documents.extend(one.document);
        }
    }
    dedup_shared_files(&mut all);
    if input.build_model {
        all.model = Some(std::sync::Arc::new(model));
    }
    all
}

/// Files referenced by several documents are read and checked once per
/// document; keep one copy of each file, finding and allow.
fn dedup_shared_files(all: &mut AnalysisOutput) {
    let mut seen = HashSet::new();
    all.files.retain(|f| seen.insert(f.path().to_path_buf()));
    let mut seen = HashSet::new();
    all.diagnostics.retain(|d| {
        seen.insert((
            d.file.path().to_path_buf(),
            d.span,
            d.rule.code,
            d.message.clone(),
        ))
    });
    let mut seen = HashSet::new();
    all.allows
        .retain(|a| seen.insert((a.file.path().to_path_buf(), a.span)));
}

/// One document's output, with the canonical paths of its own file and of those it references.
pub(crate) struct Checked {
    output: AnalysisOutput,
    document: Option<Document>,
    canonical: Option<PathBuf>,
    referenced: Vec<PathBuf>,
}

fn comment_style(format: Format) -> CommentStyle {
    match format {
        Format::Yaml => CommentStyle::Hash,
        Format::Json => CommentStyle::None,
    }
}

fn analyze_path(input: &AnalyzerInput<'_>, path: &Path) -> Checked {
    let format = Format::of_path(path);
    let style = comment_style(format);
    let display = input.display_path(path);
    let mut sink = Sink::new(input.selection);
    let mut output = AnalysisOutput::default();
    let mut referenced = Vec::new();
    let mut document = None;
    let file = match SourceFile::read_from(input.sources, path, display.clone(), style) {
        Ok(loaded) => {
            let file = Arc::new(loaded.file);
            match loaded.invalid_utf8_at {
                Some(offset) => sink.push(ParseError::not_utf8(&file, offset)),
                None => match guard(&file, || {
                    let check = Check {
                        sources: input.sources,
                        root: input.root,
                        build_model: input.build_model,
                    };
                    check_file_from(&check, &file, format, &mut sink)
                }) {
                    Ok(found) => {
                        output.allows = found.allows;
                        output.files.extend(found.files);
                        output.diagnostics.extend(found.internal_errors);
                        referenced = found.referenced;
                        document = found.document;
                    }
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
    Checked {
        output,
        document,
        canonical: input.sources.canonicalize(path).ok(),
        referenced,
    }
}

/// What checking one document found besides its diagnostics.
#[derive(Default)]
pub(crate) struct Found {
    /// The allows of the document and its referenced files.
    pub allows: Vec<Allow>,
    /// The referenced files that were read.
    pub files: Vec<Arc<SourceFile>>,
    /// Their canonical paths.
    pub referenced: Vec<PathBuf>,
    /// The rules that panicked, as internal errors.
    pub internal_errors: Vec<Diagnostic>,
    /// The document's public model.
    pub document: Option<Document>,
}

/// Parses one document, loads the files it references below `root` from disk, and runs the rules.
#[cfg(test)]
pub(crate) fn check_file(
    file: &Arc<SourceFile>,
    format: Format,
    root: &Path,
    sink: &mut Sink<'_>,
) -> Found {
    let check = Check {
        sources: &backend_check_core::FileSystem,
        root,
        build_model: false,
    };
    check_file_from(&check, file, format, sink)
}

/// How one document is checked: where its references are read from, the
/// folder they must stay below, and whether its public model is wanted.
pub(crate) struct Check<'a> {
    sources: &'a dyn Sources,
    root: &'a Path,
    build_model: bool,
}

/// Parses one document, loads the files it references below `root` from
/// `sources`, and runs the rules.
pub(crate) fn check_file_from(
    check: &Check<'_>,
    file: &Arc<SourceFile>,
    format: Format,
    sink: &mut Sink<'_>,
) -> Found {
    let sources = check.sources;
    let root = check.root;
    let tree = match load::parse(file.text(), format) {
        Ok(tree) => tree,
        Err(error) => {
            sink.push(ParseError::syntax(file, &error));
            return Found::default();
        }
    };
    if let Some(diagnostic) = root_problem(file, &tree) {
        sink.push(diagnostic);
        return Found::default();
    }
    let docs = Docs::load_from(sources, file, &tree, root);
    for (broken, error) in &docs.broken_files {
        sink.push(ParseError::syntax(broken, error));
    }
    let mut found = Found::default();
    for (_, doc) in docs.files() {
        found
            .allows
            .extend(crate::allow::collect(&doc.source, doc.tree()));
    }
    for doc in docs.referenced() {
        found.files.push(Arc::clone(&doc.source));
        found.referenced.extend(doc.canonical().cloned());
    }
    for (broken, _) in &docs.broken_files {
        found.files.push(Arc::clone(broken));
        found
            .referenced
            .extend(sources.canonicalize(broken.path()).ok());
    }
    let api = Api::build(&docs);
    let cx = Context {
        docs: &docs,
        api: &api,
    };
    found.internal_errors = rules::check_all(&cx, sink);
    if check.build_model {
        found.document = Some(Document::of(&docs, &api));
    }
    found
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
