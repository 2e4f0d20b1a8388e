//! The Rust source analyzer as the engine sees it.

use std::path::{Path, PathBuf};

use backend_check_core::{
    AnalysisOutput, Analyzer, AnalyzerInput, AnalyzerKind, Claim, Config, RuleMeta, Sources,
    Spanned,
};

/// Rust crates: their routers, handlers and the code they call.
pub struct RustAnalyzer;

/// Whether a manifest has a `[package]` table (an unreadable one counts as a package).
fn declares_package(sources: &dyn Sources, manifest: &Path) -> bool {
    sources.read_to_string(manifest).map_or(true, |text| {
        text.lines()
            .any(|line| line.trim_start().starts_with("[package]"))
    })
}

impl Analyzer for RustAnalyzer {
    fn kind(&self) -> AnalyzerKind {
        AnalyzerKind::Rust
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        crate::RULES
    }

    fn claims(&self, path: &Path) -> Claim {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("rs") => Claim::Yes,
            _ => Claim::No,
        }
    }

    fn configured_paths<'c>(&self, config: &'c Config) -> &'c [Spanned<String>] {
        &config.rust.paths
    }

    /// The `src/` folder of the crate a Rust file belongs to. A file whose
    /// nearest `Cargo.toml` is a virtual workspace manifest (no `[package]`)
    /// belongs to no crate, so it gets no context: walking the whole workspace
    /// for it would be slow and would mix unrelated code into its model.
    fn context_of(&self, file: &Path, sources: &dyn Sources) -> Option<PathBuf> {
        let mut dir = file.parent();
        while let Some(d) = dir {
            let manifest = d.join("Cargo.toml");
            if sources.is_file(&manifest) {
                if !declares_package(sources, &manifest) {
                    return None;
                }
                let src = d.join("src");
                return Some(if sources.is_dir(&src) {
                    src
                } else {
                    d.to_path_buf()
                });
            }
            dir = d.parent();
        }
        None
    }

    fn analyze(&self, input: &AnalyzerInput<'_>) -> AnalysisOutput {
        crate::analyze(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_file_in_a_package_gets_its_src_folder_as_context() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[workspace]\nmembers = [\"svc\"]\n",
        );
        write(dir.path(), "svc/Cargo.toml", "[package]\nname = \"svc\"\n");
        write(dir.path(), "svc/src/routes/mod.rs", "");
        let found = RustAnalyzer.context_of(
            &dir.path().join("svc/src/routes/mod.rs"),
            &backend_check_core::FileSystem,
        );
        assert_eq!(found, Some(dir.path().join("svc/src")));
    }

    #[test]
    fn a_file_under_a_virtual_manifest_gets_no_context() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[workspace]\nmembers = [\"svc\"]\n",
        );
        write(dir.path(), "scripts/gen.rs", "fn main() {}\n");
        assert_eq!(
            RustAnalyzer.context_of(
                &dir.path().join("scripts/gen.rs"),
                &backend_check_core::FileSystem
            ),
            None
        );
    }
}
