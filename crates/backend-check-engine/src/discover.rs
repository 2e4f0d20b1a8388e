//! Finding the files to check: a `.gitignore`-aware walk that hands each file
//! to the analyzers that claim it (by name, or by content for OpenAPI
//! documents among the YAML and JSON files).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{Analyzer, AnalyzerKind, Claim, Config, SkipDir, Sources};
use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use toml::Spanned;

/// Folders never walked into: build output, installed packages, and vendored
/// third-party code (`vendor/`, `third_party/`), whose findings belong to its
/// upstream, not to the project that copied it. Name such a folder on the
/// command line to check it anyway.
const SKIPPED_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "vendor",
    "third_party",
    "third-party",
];

/// Files larger than this are not sniffed for an OpenAPI key.
const MAX_SNIFF_BYTES: u64 = 256 * 1024 * 1024;

/// The files each analyzer gets.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Per analyzer, in the order of the engine's list, the files it claimed
    /// (sorted). The SQL analyzer finds the migration sets among its `.sql` files.
    pub files: Vec<Vec<PathBuf>>,
    /// Which analyzer each entry of `files` is for.
    pub kinds: Vec<AnalyzerKind>,
    /// Files named on the command line.
    pub explicit: Vec<PathBuf>,
    /// When files were named on the command line, findings are reported in
    /// those files only (their neighbours are read for context).
    pub report_only: Option<BTreeSet<PathBuf>>,
    /// The configuration file was among the named paths, so the whole
    /// project was discovered, as with no paths.
    pub whole_project: bool,
}

impl Discovered {
    /// The files one analyzer claimed (none when it is not in the list).
    pub fn of(&self, kind: AnalyzerKind) -> &[PathBuf] {
        self.kinds
            .iter()
            .position(|k| *k == kind)
            .map_or(&[], |i| self.files[i].as_slice())
    }
}

/// A problem that stops discovery.
#[derive(Debug)]
pub enum DiscoverError {
    /// A path named on the command line does not exist.
    NotFound(PathBuf),
    /// An `exclude` glob is invalid.
    BadGlob(String),
}

impl std::fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiscoverError::NotFound(p) => write!(f, "path not found: {}", p.display()),
            DiscoverError::BadGlob(e) => f.write_str(e),
        }
    }
}

/// A file and the analyzer (its index in the engine's list) that claims it,
/// and whether its content still has to confirm the claim.
type Found = (PathBuf, usize, Claim);

/// Every analyzer's claim on a path.
fn claims(path: &Path, analyzers: &[&dyn Analyzer]) -> Vec<(usize, Claim)> {
    analyzers
        .iter()
        .enumerate()
        .map(|(i, a)| (i, a.claims(path)))
        .filter(|(_, claim)| *claim != Claim::No)
        .collect()
}

/// Exclusion globs, matched against the path relative to the base folder and
/// against the file's name; a folder that matches (by its relative path or its
/// name, as in `exclude = ["migrations"]`) is not walked into at all.
#[derive(Clone)]
pub struct Excludes {
    base: Arc<PathBuf>,
    set: Arc<GlobSet>,
}

impl Excludes {
    /// Compiles the configured `exclude` globs.
    pub fn new(base: &Path, config: &Config) -> Result<Excludes, DiscoverError> {
        let mut builder = GlobSetBuilder::new();
        for glob in &config.exclude {
            // `legacy/` means the folder `legacy`.
            let pattern = glob.get_ref().trim_end_matches('/');
            let glob = Glob::new(pattern).map_err(|e| {
                DiscoverError::BadGlob(format!("invalid exclude glob `{}`: {e}", glob.get_ref()))
            })?;
            builder.add(glob);
        }
        let set = builder
            .build()
            .map_err(|e| DiscoverError::BadGlob(e.to_string()))?;
        Ok(Excludes {
            base: Arc::new(base.to_path_buf()),
            set: Arc::new(set),
        })
    }

    fn is_excluded(&self, path: &Path) -> bool {
        if self.set.is_empty() {
            return false;
        }
        let relative = path.strip_prefix(self.base.as_path()).unwrap_or(path);
        self.set.is_match(relative)
            || path
                .file_name()
                .is_some_and(|name| self.set.is_match(Path::new(name)))
    }
}

/// Walks `dir` and returns every file an analyzer claims.
fn walk(
    sources: &dyn Sources,
    dir: &Path,
    excludes: &Excludes,
    analyzers: &[&dyn Analyzer],
) -> Vec<Found> {
    let folder_excludes = excludes.clone();
    let skip_dir: SkipDir = Arc::new(move |folder: &Path| {
        let skipped = folder
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| SKIPPED_DIRS.contains(&n));
        skipped || folder_excludes.is_excluded(folder)
    });
    let mut found = Vec::new();
    for path in sources.walk(dir, skip_dir) {
        if excludes.is_excluded(&path) {
            continue;
        }
        for (analyzer, claim) in claims(&path, analyzers) {
            found.push((path.clone(), analyzer, claim));
        }
    }
    found
}

/// Whether the content of a file an analyzer claims by content confirms the claim.
fn content_confirms(sources: &dyn Sources, path: &Path, analyzer: &dyn Analyzer) -> bool {
    let small_enough = sources.len(path).is_some_and(|len| len <= MAX_SNIFF_BYTES);
    small_enough
        && sources
            .read(path)
            .is_ok_and(|bytes| analyzer.claims_content(&backend_check_core::decode_text(bytes).0))
}

/// Whether `path` is the configuration of this run: `backend-check.toml`, or a
/// `Cargo.toml` with a `backend-check` metadata table, in the configuration's folder.
fn is_config_file(sources: &dyn Sources, path: &Path, base: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let in_base = || {
        let folder = path.parent().unwrap_or(Path::new("."));
        match (sources.canonicalize(folder), sources.canonicalize(base)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    };
    match name {
        backend_check_core::CONFIG_FILE_NAME => sources.is_file(path) && in_base(),
        "Cargo.toml" => {
            sources.is_file(path)
                && in_base()
                && sources
                    .read_to_string(path)
                    .is_ok_and(|t| t.contains("metadata.backend-check"))
        }
        _ => false,
    }
}

/// Discovers the files to check for each of `analyzers`. `args` are the
/// paths the user named, relative to `cwd`.
pub fn discover(
    sources: &dyn Sources,
    cwd: &Path,
    args: &[PathBuf],
    config: &Config,
    base: &Path,
    analyzers: &[&dyn Analyzer],
) -> Result<Discovered, DiscoverError> {
    let excludes = Excludes::new(base, config)?;
    let mut found: Vec<Found> = Vec::new();
    let mut explicit = Vec::new();
    let mut context_dirs: Vec<(PathBuf, usize)> = Vec::new();

    // A changed configuration changes what every file is checked for: when
    // pre-commit names the configuration file among the staged files, the
    // whole project is checked, as with no paths at all.
    let config_named = args
        .iter()
        .any(|arg| is_config_file(sources, &cwd.join(arg), base));
    let args: &[PathBuf] = if config_named { &[] } else { args };
    if args.is_empty() {
        found.extend(configured_or_walk(
            sources, cwd, config, base, &excludes, analyzers,
        ));
    }
    for arg in args {
        let path = cwd.join(arg);
        if sources.is_dir(&path) {
            found.extend(walk(sources, &path, &excludes, analyzers));
        } else if sources.is_file(&path) {
            let claimed = claims(&path, analyzers);
            if claimed.is_empty() {
                continue;
            }
            explicit.push(path.clone());
            for (analyzer, claim) in claimed {
                if let Some(dir) = analyzers[analyzer].context_of(&path, sources) {
                    context_dirs.push((dir, analyzer));
                }
                found.push((path.clone(), analyzer, claim));
            }
        } else {
            return Err(DiscoverError::NotFound(arg.clone()));
        }
    }
    for (dir, analyzer) in context_dirs {
        found.extend(
            walk(sources, &dir, &excludes, analyzers)
                .into_iter()
                .filter(|(_, a, _)| *a == analyzer),
        );
    }

    found.sort();
    found.dedup();
    let confirmed: Vec<(PathBuf, usize)> = found
        .into_par_iter()
        .filter(|(path, analyzer, claim)| {
            *claim != Claim::ByContent || content_confirms(sources, path, analyzers[*analyzer])
        })
        .map(|(path, analyzer, _)| (path, analyzer))
        .collect();
    let mut files = vec![Vec::new(); analyzers.len()];
    for (path, analyzer) in confirmed {
        files[analyzer].push(path);
    }
    Ok(Discovered {
        files,
        kinds: analyzers.iter().map(|a| a.kind()).collect(),
        report_only: if explicit.is_empty() {
            None
        } else {
            Some(explicit.iter().cloned().collect())
        },
        explicit,
        whole_project: config_named,
    })
}

/// With no paths on the command line: the configured paths per analyzer, or a
/// walk of the current folder.
fn configured_or_walk(
    sources: &dyn Sources,
    cwd: &Path,
    config: &Config,
    base: &Path,
    excludes: &Excludes,
    analyzers: &[&dyn Analyzer],
) -> Vec<Found> {
    let configured = |paths: &[Spanned<String>], index: usize| -> Vec<Found> {
        let analyzer = analyzers[index];
        paths
            .iter()
            .flat_map(|p| {
                let path = base.join(p.get_ref());
                if sources.is_file(&path) {
                    vec![(path, index, analyzer.configured_claim())]
                } else {
                    walk(sources, &path, excludes, analyzers)
                }
            })
            .filter(|(_, a, _)| *a == index)
            .collect()
    };
    let any_configured = analyzers
        .iter()
        .any(|a| !a.configured_paths(config).is_empty());
    let walked = if any_configured {
        Vec::new()
    } else {
        walk(sources, cwd, excludes, analyzers)
    };
    let mut all = Vec::new();
    for (index, analyzer) in analyzers.iter().enumerate() {
        let configured_paths = analyzer.configured_paths(config);
        if !configured_paths.is_empty() {
            all.extend(configured(configured_paths, index));
        } else if any_configured {
            all.extend(
                walk(sources, cwd, excludes, analyzers)
                    .into_iter()
                    .filter(|(_, a, _)| *a == index),
            );
        } else {
            all.extend(walked.iter().filter(|(_, a, _)| *a == index).cloned());
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use backend_check_core::FileSystem;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn vendored_folders_are_skipped_unless_named() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "src/main.rs", "fn main() {}\n");
        for folder in ["vendor", "third_party", "third-party"] {
            write(dir.path(), &format!("{folder}/picky/src/lib.rs"), "");
        }
        let config = Config::default();
        let excludes = Excludes::new(dir.path(), &config).unwrap();
        let found: Vec<PathBuf> = walk(&FileSystem, dir.path(), &excludes, crate::ANALYZERS)
            .into_iter()
            .map(|(p, _, _)| p)
            .collect();
        assert_eq!(found, vec![dir.path().join("src/main.rs")]);
        let named: Vec<PathBuf> = walk(
            &FileSystem,
            &dir.path().join("vendor"),
            &excludes,
            crate::ANALYZERS,
        )
        .into_iter()
        .map(|(p, _, _)| p)
        .collect();
        assert_eq!(named, vec![dir.path().join("vendor/picky/src/lib.rs")]);
    }

    #[test]
    fn each_analyzer_gets_the_files_it_claims() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "src/main.rs", "fn main() {}\n");
        write(
            dir.path(),
            "migrations/1_init.sql",
            "CREATE TABLE t (id int);\n",
        );
        write(
            dir.path(),
            "openapi.yaml",
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
        );
        write(dir.path(), "docker-compose.yaml", "services: {}\n");
        write(dir.path(), "package.json", "{\"openapi\": \"3.0.0\"}\n");
        let config = Config::default();
        let found = discover(
            &FileSystem,
            dir.path(),
            &[],
            &config,
            dir.path(),
            crate::ANALYZERS,
        )
        .unwrap();
        let names: Vec<Vec<String>> = found
            .files
            .iter()
            .map(|files| {
                files
                    .iter()
                    .map(|p| backend_check_core::relative_display_path(p, dir.path()))
                    .collect()
            })
            .collect();
        assert_eq!(
            names,
            [
                vec!["openapi.yaml".to_owned()],
                vec!["migrations/1_init.sql".to_owned()],
                vec!["src/main.rs".to_owned()],
            ]
        );
    }
}
