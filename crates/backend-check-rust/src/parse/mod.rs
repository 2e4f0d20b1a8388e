//! The parse phase: read every file, parse it with syn and keep its facts.
//!
//! Files are parsed in parallel. proc-macro2 keeps the text of every parsed
//! file in a thread-local map that only grows, so each worker clears it after
//! a file, once every span has been turned into a byte span.

mod attrs;
mod body;
mod complexity;
mod config;
mod depth;
mod extract;
mod flows;
mod macros;
mod params;
mod routing;
mod secrets;
mod spans;
mod sql;
mod types;
mod uses;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{guard, CommentStyle, Diagnostic, SourceFile, Sources, Span};
use rayon::prelude::*;

use crate::model::FileFacts;

pub(crate) use config::redact as redact_url;
pub(crate) use spans::SpanMap;

/// A file that was read, with what became of it.
pub struct LoadedFile {
    /// The file (empty when it could not be read).
    pub file: Arc<SourceFile>,
    /// Its facts, or why there are none.
    pub outcome: Outcome,
}

/// What reading and parsing a file gave.
pub enum Outcome {
    /// The file parsed.
    Parsed(FileFacts),
    /// The file could not be read.
    Unreadable(String),
    /// The file is not UTF-8 from this byte offset on.
    NotUtf8(usize),
    /// syn rejected the file.
    Syntax {
        /// Where syn reported the error.
        span: Span,
        /// syn's message.
        message: String,
    },
    /// The file nests too deeply to be parsed safely.
    TooDeep {
        /// Where the nesting passed [`MAX_DEPTH`].
        span: Span,
        /// How deep it goes.
        depth: usize,
    },
    /// The file is larger than [`MAX_FILE_BYTES`]: generated code, not parsed.
    TooLarge {
        /// Its size.
        bytes: usize,
    },
    /// The analysis of the file panicked.
    Internal(Diagnostic),
}

/// The largest Rust file that is parsed. syn's tree takes about 140 times a file's
/// size in memory (a 24 MB file needs 3.3 GB and 14 s), and files this large are
/// generated (bindings, tables, embedded data), not the handlers and configuration
/// the rules read; the largest hand-written files of real services are a few
/// hundred kilobytes.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The deepest nesting (open delimiters plus chained operators, see `depth.rs`) that is
/// parsed; a deeper file is reported instead. Real code stays far below: a router with a
/// few hundred `.route()` calls measures a few hundred.
pub const MAX_DEPTH: usize = 3_000;

/// Files that measure at most this are parsed on the calling thread; deeper ones on a
/// thread of their own with [`DEEP_STACK`] bytes of stack. A debug build survives 64
/// nested blocks on a 2 MiB stack (Rust's default for a spawned thread) and not 150.
const INLINE_DEPTH: usize = 40;

/// The stack of the thread that parses a deep file: enough for [`MAX_DEPTH`] levels of
/// syn's recursion in a debug build, with room to spare. Only touched pages are used.
const DEEP_STACK: usize = 1 << 30;

/// Reads and parses `paths` in parallel.
pub fn load_all(
    sources: &dyn Sources,
    paths: &[PathBuf],
    display: &(dyn Fn(&Path) -> String + Sync),
) -> Vec<LoadedFile> {
    paths
        .par_iter()
        .map(|path| load_one(sources, path, display(path)))
        .collect()
}

fn load_one(sources: &dyn Sources, path: &Path, display: String) -> LoadedFile {
    match SourceFile::read_from(sources, path, display.clone(), CommentStyle::DoubleSlash) {
        Err(err) => LoadedFile {
            file: Arc::new(SourceFile::new(
                path,
                display,
                "",
                CommentStyle::DoubleSlash,
            )),
            outcome: Outcome::Unreadable(err.to_string()),
        },
        Ok(loaded) => {
            let file = Arc::new(loaded.file);
            let outcome = match loaded.invalid_utf8_at {
                Some(at) => Outcome::NotUtf8(at),
                None => parse_guarded(&file),
            };
            LoadedFile { file, outcome }
        }
    }
}

fn parse_guarded(file: &Arc<SourceFile>) -> Outcome {
    if file.text().len() > MAX_FILE_BYTES {
        return Outcome::TooLarge {
            bytes: file.text().len(),
        };
    }
    let depth = depth::measure(file.text(), MAX_DEPTH);
    if let Some(at) = depth.exceeded_at {
        return Outcome::TooDeep {
            span: Span::at(at),
            depth: depth.max,
        };
    }
    if depth.max <= INLINE_DEPTH {
        return parse_on_this_thread(file);
    }
    let spawned = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("backend-check-deep-file".to_owned())
            .stack_size(DEEP_STACK)
            .spawn_scoped(scope, || parse_on_this_thread(file))
            .map(|handle| handle.join())
    });
    match spawned {
        Ok(Ok(outcome)) => outcome,
        // `guard` catches panics inside the thread, so a failed join is a panic outside it.
        Ok(Err(_)) => Outcome::Internal(internal(file, "the parsing thread panicked")),
        Err(err) => Outcome::Internal(internal(
            file,
            &format!("cannot start a thread to parse this deeply nested file: {err}"),
        )),
    }
}

fn parse_on_this_thread(file: &Arc<SourceFile>) -> Outcome {
    let outcome = guard(file, || parse_source(file)).unwrap_or_else(Outcome::Internal);
    proc_macro2::extra::invalidate_current_thread_spans();
    outcome
}

fn internal(file: &Arc<SourceFile>, reason: &str) -> Diagnostic {
    Diagnostic::new(
        &backend_check_core::rules::InternalError::META,
        file,
        Span::at(0),
        format!("internal error while analysing this file: {reason}"),
    )
    .with_help("please report this as a bug; the rest of the run went on")
}

/// Parses one file's text into its facts. The caller clears proc-macro2's span map afterwards.
pub fn parse_source(file: &SourceFile) -> Outcome {
    let text = file.text();
    let first_line_shift = usize::from(text.starts_with('\u{feff}'));
    let spans = SpanMap::new(file, first_line_shift);
    match syn::parse_file(text) {
        Ok(ast) => {
            let mut facts = extract::extract(&ast, &spans);
            facts.secrets = secrets::find(&ast, &spans);
            facts.config_consts = config::consts(&ast, &spans);
            facts.structs = types::structs(&ast, &spans);
            Outcome::Parsed(facts)
        }
        Err(err) => syntax_error(file, &spans, &err),
    }
}

fn syntax_error(file: &SourceFile, spans: &SpanMap<'_>, err: &syn::Error) -> Outcome {
    let message = err.to_string();
    let span = if message.contains("end of input") {
        Span::at(file.text().trim_end().len())
    } else {
        spans.span(err.span())
    };
    Outcome::Syntax { span, message }
}
