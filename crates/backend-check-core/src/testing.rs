//! Running one analyzer the way the engine does, for tests and benchmarks:
//! the files, a selection of rules, a configuration, and where files are read
//! from, with the defaults of a plain run for whatever is not given.

use std::path::{Path, PathBuf};

use crate::{
    AnalysisOutput, AnalyzerInput, Config, FileSystem, RuleMeta, RuleSelection, Selector, Sources,
};

/// One analyzer run to set up: `TestRun::new(RULES, root, &paths).select(&["SQL014"]).run(analyze)`.
pub struct TestRun<'a> {
    root: &'a Path,
    paths: &'a [PathBuf],
    explicit: &'a [PathBuf],
    default_config: Config,
    config: Option<&'a Config>,
    selection: RuleSelection,
    rules: &'a [&'static RuleMeta],
    sources: &'a dyn Sources,
}

impl<'a> TestRun<'a> {
    /// A run of the default selection of `rules` over `paths`, shown relative
    /// to `root`, with the default configuration, read from disk.
    pub fn new(rules: &'a [&'static RuleMeta], root: &'a Path, paths: &'a [PathBuf]) -> Self {
        TestRun {
            root,
            paths,
            explicit: &[],
            default_config: Config::default(),
            config: None,
            selection: RuleSelection::defaults(rules),
            rules,
            sources: &FileSystem,
        }
    }

    /// Runs these rules (codes, names, groups or checklist items, as
    /// `--select` takes them) instead of the default selection.
    ///
    /// # Panics
    /// On a selector that names nothing: a test's typo should fail the test.
    pub fn select(mut self, selectors: &[&str]) -> Self {
        let selectors: Vec<Selector> = selectors.iter().map(|s| Selector::cli(*s)).collect();
        self.selection = match RuleSelection::resolve(self.rules, Some(&selectors), &[]) {
            Ok(selection) => selection,
            // A test helper: a typo in a test's selector must fail that test.
            #[allow(clippy::panic)]
            Err(unknown) => panic!("unknown selector in a test: {unknown:?}"),
        };
        self
    }

    /// Uses this configuration.
    pub fn config(mut self, config: &'a Config) -> Self {
        self.config = Some(config);
        self
    }

    /// Treats these files as named on the command line.
    pub fn explicit(mut self, explicit: &'a [PathBuf]) -> Self {
        self.explicit = explicit;
        self
    }

    /// Reads the files from `sources` instead of the disk.
    pub fn sources(mut self, sources: &'a dyn Sources) -> Self {
        self.sources = sources;
        self
    }

    /// Runs `analyze` (an analyzer's entry point) on the set-up input.
    pub fn run(
        &self,
        analyze: impl FnOnce(&AnalyzerInput<'_>) -> AnalysisOutput,
    ) -> AnalysisOutput {
        analyze(&AnalyzerInput {
            root: self.root,
            paths: self.paths,
            explicit: self.explicit,
            config: self.config.unwrap_or(&self.default_config),
            selection: &self.selection,
            sources: self.sources,
            build_model: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::TOOL_RULES;

    #[test]
    fn a_run_hands_the_analyzer_what_was_set_up() {
        let paths = vec![PathBuf::from("a.sql")];
        let explicit = paths.clone();
        let run = TestRun::new(TOOL_RULES, Path::new("/r"), &paths)
            .select(&["BC001"])
            .explicit(&explicit);
        let seen = run.run(|input| {
            assert_eq!(input.root, Path::new("/r"));
            assert_eq!(input.paths, paths.as_slice());
            assert_eq!(input.explicit, explicit.as_slice());
            let enabled: Vec<&str> = TOOL_RULES
                .iter()
                .filter(|r| input.selection.is_enabled(r))
                .map(|r| r.code)
                .collect();
            assert_eq!(enabled, ["BC001"]);
            AnalysisOutput::default()
        });
        assert!(seen.diagnostics.is_empty());
    }

    #[test]
    #[should_panic(expected = "unknown selector")]
    fn an_unknown_selector_fails_the_test() {
        let _ = TestRun::new(TOOL_RULES, Path::new("."), &[]).select(&["NOPE999"]);
    }
}
