//! The OpenAPI analyzer as the engine sees it.

use std::path::Path;

use backend_check_core::{
    AnalysisOutput, Analyzer, AnalyzerInput, AnalyzerKind, Claim, Config, RuleMeta, Spanned,
};

/// OpenAPI and Swagger documents, in YAML or JSON.
pub struct OpenApiAnalyzer;

/// JSON and YAML files that are never API descriptions: package manifests,
/// lock files and tool configuration.
fn is_known_other_file(name: &str) -> bool {
    matches!(
        name,
        "package.json"
            | "package-lock.json"
            | "composer.json"
            | "composer.lock"
            | "pnpm-lock.yaml"
            | ".pre-commit-config.yaml"
            | ".pre-commit-hooks.yaml"
    ) || name.starts_with("tsconfig")
}

impl Analyzer for OpenApiAnalyzer {
    fn kind(&self) -> AnalyzerKind {
        AnalyzerKind::OpenApi
    }

    fn rules(&self) -> &'static [&'static RuleMeta] {
        crate::RULES
    }

    fn claims(&self, path: &Path) -> Claim {
        let (Some(ext), Some(name)) = (
            path.extension().and_then(|e| e.to_str()),
            path.file_name().and_then(|n| n.to_str()),
        ) else {
            return Claim::No;
        };
        let data = matches!(ext.to_ascii_lowercase().as_str(), "yaml" | "yml" | "json");
        if data && !is_known_other_file(name) {
            Claim::ByContent
        } else {
            Claim::No
        }
    }

    fn configured_claim(&self) -> Claim {
        Claim::ByContent
    }

    fn claims_content(&self, text: &str) -> bool {
        crate::is_openapi_document(text)
    }

    fn configured_paths<'c>(&self, config: &'c Config) -> &'c [Spanned<String>] {
        &config.openapi.paths
    }

    fn analyze(&self, input: &AnalyzerInput<'_>) -> AnalysisOutput {
        crate::analyze(input)
    }
}
