use std::sync::Arc;

use backend_check_core::{declare_rule, Diagnostic, Severity, Sink, SourceFile, Span};

use crate::parse::Outcome;

declare_rule! {
    /// ## What it does
    /// Reports a Rust source file that cannot be analysed: syn cannot parse it, it is not
    /// valid UTF-8, it cannot be read, or it nests so deeply (thousands of nested blocks,
    /// brackets or chained operators, as generated code can) that parsing it could exhaust
    /// the stack. The finding points at the place syn gave up, or where the nesting passed
    /// the limit; the other files of the run are analysed as usual. A file larger than
    /// 8 MiB is generated code (bindings, tables): it is not parsed, and a warning says so.
    ///
    /// ## Why is this bad?
    /// Every other Rust rule works on the parsed file. A file that does not parse is
    /// skipped, so its handlers and routes are unchecked and the code cannot compile either.
    ///
    /// ## Example
    /// ```rust
    /// async fn get_user(Path(id): Path<u64>) -> Json<User> {
    ///     let user = load(id).await?
    ///     Json(user)
    /// }
    /// ```
    ///
    /// ## Use instead
    /// ```rust
    /// async fn get_user(Path(id): Path<u64>) -> Result<Json<User>, AppError> {
    ///     let user = load(id).await?;
    ///     Ok(Json(user))
    /// }
    /// ```
    ///
    /// ## Options
    /// None. Files that are not meant to be checked (generated code, templates with a `.rs`
    /// extension) can be left out with `exclude` in `backend-check.toml`.
    pub ParseError {
        code: "RS000",
        name: "parse-error",
        checklist: ApiContract,
        group: Correctness,
        severity: Error,
        summary: "a Rust source file that cannot be read or parsed",
    }
}

impl ParseError {
    /// Reports a file that was read but not parsed; does nothing for a parsed file.
    /// An internal error is returned instead of being pushed, so it is never filtered.
    pub fn report(
        file: &Arc<SourceFile>,
        outcome: Outcome,
        sink: &mut Sink<'_>,
    ) -> Option<Diagnostic> {
        let diagnostic = match outcome {
            Outcome::Parsed(_) => return None,
            Outcome::Internal(diagnostic) => return Some(diagnostic),
            Outcome::Unreadable(error) => Self::diagnostic(file, Span::at(0), unreadable(&error)),
            Outcome::NotUtf8(at) => Self::diagnostic(file, Span::at(at), not_utf8()),
            Outcome::Syntax { span, message } => Self::diagnostic(file, span, syntax(&message)),
            Outcome::TooDeep { span, depth } => Self::diagnostic(file, span, too_deep(depth))
                .with_help(
                    "split the nested code into functions or statements; a generated file can be \
                     left out with `exclude` in backend-check.toml",
                ),
            Outcome::TooLarge { bytes } => Self::diagnostic(file, Span::at(0), too_large(bytes))
                .with_severity(Severity::Warning)
                .with_help("a generated file can be left out with `exclude` in backend-check.toml"),
        };
        if sink.enabled(&Self::META) {
            sink.push(diagnostic);
        }
        None
    }

    fn diagnostic(file: &Arc<SourceFile>, span: Span, message: String) -> Diagnostic {
        Diagnostic::new(&Self::META, file, span, message).with_help(
            "fix the file so that it compiles, or exclude it with `exclude` in backend-check.toml",
        )
    }
}

fn unreadable(error: &str) -> String {
    format!("cannot read Rust source file: {error}")
}

fn not_utf8() -> String {
    "file is not valid UTF-8".to_owned()
}

fn too_deep(depth: usize) -> String {
    format!(
        "file nests {depth} levels deep (blocks, brackets and chained operators); files deeper \
         than {} are not analysed",
        crate::parse::MAX_DEPTH
    )
}

fn too_large(bytes: usize) -> String {
    format!(
        "file is {:.1} MiB; Rust files larger than {} MiB are generated code and not analysed",
        bytes as f64 / (1024.0 * 1024.0),
        crate::parse::MAX_FILE_BYTES / (1024 * 1024)
    )
}

fn syntax(message: &str) -> String {
    format!("cannot parse Rust source: {message}")
}
