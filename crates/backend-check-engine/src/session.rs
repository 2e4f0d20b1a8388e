//! What one run is asked to do.

use std::path::PathBuf;
use std::sync::Arc;

use backend_check_core::{FailOn, FileSystem, Sources};

/// One run's request: where, what, and which rules. Everything the command
/// line can say about a check, and nothing about how its output looks.
#[derive(Debug, Clone)]
pub struct Session {
    /// The working folder: relative paths are resolved against it, and paths
    /// in findings are shown relative to it.
    pub cwd: PathBuf,
    /// Files or folders to check; empty for the whole project.
    pub paths: Vec<PathBuf>,
    /// A configuration file to use instead of the one discovery would find.
    pub config: Option<PathBuf>,
    /// Rules to run, replacing the configured selection (`--select`).
    pub select: Option<Vec<String>>,
    /// Rules to run besides the selected ones (`--extend-select`).
    pub extend_select: Vec<String>,
    /// Rules not to run, added to the configured ones (`--ignore`).
    pub ignore: Vec<String>,
    /// The lowest severity that fails the run, overriding the configuration.
    pub fail_on: Option<FailOn>,
    /// Worker threads; `None` for one per core.
    pub threads: Option<usize>,
    /// Where every file of the run is read from: the file system by default,
    /// or an [`backend_check_core::Overlay`] of unsaved buffers, or a git tree
    /// ([`crate::GitTree`]). Paths stay the ones the run names (below `cwd`).
    pub sources: Arc<dyn Sources>,
    /// Whether the report carries the analyzers' models ([`crate::Report::models`]);
    /// off for a plain check, which does not read them.
    pub models: bool,
}

impl Default for Session {
    fn default() -> Session {
        Session {
            cwd: PathBuf::new(),
            paths: Vec::new(),
            config: None,
            select: None,
            extend_select: Vec::new(),
            ignore: Vec::new(),
            fail_on: None,
            threads: None,
            sources: Arc::new(FileSystem),
            models: false,
        }
    }
}

impl Session {
    /// A session for the whole project in `cwd`, with the configured rules.
    pub fn new(cwd: impl Into<PathBuf>) -> Session {
        Session {
            cwd: cwd.into(),
            ..Session::default()
        }
    }
}
