//! Helpers for the unit tests: a temporary repository and a run over it.

use std::path::{Path, PathBuf};

use backend_check_core::{AnalysisOutput, AnalyzerInput, Config, RuleSelection, SqlDialect};

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

    /// Runs the analyzer over every `.sql` file, with `explicit` named files.
    pub fn run(&self, explicit: &[PathBuf], dialect: Option<SqlDialect>) -> AnalysisOutput {
        let paths = self.sql_files();
        let mut config = Config::default();
        config.sql.dialect = dialect;
        let selection = RuleSelection::defaults(crate::RULES);
        let input = AnalyzerInput {
            root: self.dir.path(),
            paths: &paths,
            explicit,
            config: &config,
            selection: &selection,
        };
        crate::analyze(&input)
    }

    /// `(code, file relative path, line, column)` of every finding, sorted.
    pub fn findings(
        &self,
        explicit: &[PathBuf],
        dialect: Option<SqlDialect>,
    ) -> Vec<(String, String, usize, usize)> {
        let output = self.run(explicit, dialect);
        let mut found: Vec<_> = output
            .diagnostics
            .iter()
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
