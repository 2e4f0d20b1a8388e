//! Helpers for the unit tests: a temporary repository and a run over it.

use std::path::{Path, PathBuf};

use backend_check_core::{
    AnalysisOutput, AnalyzerInput, Config, RuleSelection, Selector, SqlDialect,
};

/// `(code, file relative path, line, column)` of a finding.
pub(crate) type Finding = (String, String, usize, usize);

/// A temporary repository.
pub(crate) struct Repo {
    pub dir: tempfile::TempDir,
}

impl Repo {
    pub fn new() -> Repo {
        Repo {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Writes a file (creating folders) and returns its path.
    pub fn write(&self, relative: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Every `.sql` file, sorted, as the walk would find them.
    pub fn sql_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        walk(self.dir.path(), &mut out);
        out.sort();
        out
    }

    /// Runs the analyzer over every `.sql` file, with `explicit` named files,
    /// with every rule of the default and pedantic groups (`ALL`), so that a
    /// rule's tests hold whichever of those groups it is in.
    pub fn run(&self, explicit: &[PathBuf], dialect: Option<SqlDialect>) -> AnalysisOutput {
        let mut config = Config::default();
        config.sql.dialect = dialect;
        let selection = RuleSelection::resolve(crate::RULES, Some(&[Selector::cli("ALL")]), &[])
            .unwrap_or_else(|_| RuleSelection::defaults(crate::RULES));
        self.analyze(explicit, &config, &selection)
    }

    pub fn analyze(
        &self,
        explicit: &[PathBuf],
        config: &Config,
        selection: &RuleSelection,
    ) -> AnalysisOutput {
        let paths = self.sql_files();
        let input = AnalyzerInput {
            root: self.dir.path(),
            paths: &paths,
            explicit,
            config,
            selection,
            sources: &backend_check_core::FileSystem,
            build_model: false,
        };
        crate::analyze(&input)
    }

    /// `(code, file relative path, line, column)` of every finding, sorted.
    pub fn findings(&self, explicit: &[PathBuf], dialect: Option<SqlDialect>) -> Vec<Finding> {
        self.tuples(&self.run(explicit, dialect), |_| true)
    }

    /// The findings of the default rules and of `extra` (rules off by
    /// default that a test needs beside them), sorted.
    pub fn findings_with(&self, extra: &[&str], dialect: Option<SqlDialect>) -> Vec<Finding> {
        let mut config = Config::default();
        config.sql.dialect = dialect;
        let selectors: Vec<Selector> = crate::RULES
            .iter()
            .filter(|r| r.default_enabled() || extra.contains(&r.code))
            .map(|r| Selector::cli(r.code))
            .collect();
        let selection = RuleSelection::resolve(crate::RULES, Some(&selectors), &[]).unwrap();
        self.tuples(&self.analyze(&[], &config, &selection), |_| true)
    }

    /// The findings of the rules named by `codes` (on by default or not),
    /// run alone with `config`.
    pub fn selected(&self, codes: &[&str], config: &Config) -> Vec<Finding> {
        let selectors: Vec<Selector> = codes.iter().map(|c| Selector::cli(*c)).collect();
        let selection = RuleSelection::resolve(crate::RULES, Some(&selectors), &[]).unwrap();
        let output = self.analyze(&[], config, &selection);
        self.tuples(&output, |code| codes.contains(&code))
    }

    /// The findings of one rule (on by default or not), with the default config.
    pub fn only(&self, code: &str) -> Vec<Finding> {
        self.selected(&[code], &Config::default())
    }

    fn tuples(&self, output: &AnalysisOutput, keep: impl Fn(&str) -> bool) -> Vec<Finding> {
        let mut found: Vec<Finding> = output
            .diagnostics
            .iter()
            .filter(|d| keep(d.rule.code))
            .map(|d| {
                let at = d.start();
                let relative = d
                    .file
                    .path()
                    .strip_prefix(self.dir.path())
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                (d.rule.code.to_owned(), relative, at.line, at.column)
            })
            .collect();
        found.sort();
        found
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
}

/// A finding tuple, for terse assertions.
pub(crate) fn at(
    code: &str,
    file: &str,
    line: usize,
    column: usize,
) -> (String, String, usize, usize) {
    (code.to_owned(), file.to_owned(), line, column)
}
