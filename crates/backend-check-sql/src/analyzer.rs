//! The SQL migration analyzer as the engine sees it.

use std::path::{Path, PathBuf};

use backend_check_core::{
    AnalysisOutput, Analyzer, AnalyzerInput, AnalyzerKind, Claim, Config, RuleMeta, Sources,
    Spanned,
};

/// SQL migration sets.
pub struct SqlAnalyzer;

impl Analyzer for SqlAnalyzer {
    fn kind(&self) -> AnalyzerKind {
        AnalyzerKind::Sql
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        crate::RULES
    }

    fn claims(&self, path: &Path) -> Claim {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("sql") => Claim::Yes,
            _ => Claim::No,
        }
    }

    fn configured_paths<'c>(&self, config: &'c Config) -> &'c [Spanned<String>] {
        &config.sql.migrations
    }

    /// The folder holding the migration set a `.sql` file belongs to: its
    /// parent, or for diesel (`<version>_<name>/up.sql`) its grandparent.
    fn context_of(&self, file: &Path, _sources: &dyn Sources) -> Option<PathBuf> {
        let parent = file.parent()?;
        let name = file.file_name()?.to_str()?;
        if matches!(name, "up.sql" | "down.sql") {
            parent.parent().map(Path::to_path_buf)
        } else {
            Some(parent.to_path_buf())
        }
    }

    fn analyze(&self, input: &AnalyzerInput<'_>) -> AnalysisOutput {
        crate::analyze(input)
    }
}
