//! Finding the files to check: a `.gitignore`-aware walk that classifies
//! OpenAPI documents (by content), SQL files and Rust sources.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::Config;
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
    /// OpenAPI documents.
    pub openapi: Vec<PathBuf>,
    /// `.sql` files (the SQL analyzer finds the migration sets among them).
    pub sql: Vec<PathBuf>,
    /// Rust sources.
    pub rust: Vec<PathBuf>,
    /// Files named on the command line.
    pub explicit: Vec<PathBuf>,
    /// When files were named on the command line, findings are reported in
    /// those files only (their neighbours are read for context).
    pub report_only: Option<BTreeSet<PathBuf>>,
    /// The configuration file was among the named paths, so the whole
    /// project was discovered, as with no paths.
    pub whole_project: bool,
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
            DiscoverError::NotFound(p) => {
                write!(f, "path not found: {}", p.display())?;
                match mistyped_subcommand(p) {
                    Some(command) => write!(
                        f,
                        " (did you mean the subcommand `{command}`? `cargo backend-check {command} …`)"
                    ),
                    None => Ok(()),
                }
            }
            DiscoverError::BadGlob(e) => f.write_str(e),
        }
    }
}

/// The subcommand a missing path most likely meant: a bare word (no folder,
/// no extension) close to the name of one of the CLI's subcommands (`rule`,
/// `explian`).
fn mistyped_subcommand(path: &Path) -> Option<String> {
    let word = path.to_str()?;
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let command = <crate::cli::Cli as clap::CommandFactory>::command();
    let names: Vec<&str> = command
        .get_subcommands()
        .map(clap::Command::get_name)
        .collect();
    backend_check_core::suggest::closest(word, names).map(str::to_owned)
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Rust,
    Sql,
    MaybeOpenApi,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "rs" => Some(Kind::Rust),
        "sql" => Some(Kind::Sql),
        "yaml" | "yml" | "json" => {
            let name = path.file_name()?.to_str()?;
            let skip = matches!(
                name,
                "package.json"
                    | "package-lock.json"
                    | "composer.json"
                    | "composer.lock"
                    | "pnpm-lock.yaml"
                    | ".pre-commit-config.yaml"
                    | ".pre-commit-hooks.yaml"
            ) || name.starts_with("tsconfig");
            (!skip).then_some(Kind::MaybeOpenApi)
        }
        _ => None,
    }
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

/// Walks `dir` and returns every file of a known kind.
fn walk(dir: &Path, excludes: &Excludes) -> Vec<(PathBuf, Kind)> {
    let mut found = Vec::new();
    let folder_excludes = excludes.clone();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .parents(true)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            let skipped = entry
                .file_name()
                .to_str()
                .is_some_and(|n| SKIPPED_DIRS.contains(&n));
            // The folder the walk starts from is walked even when it matches: it was named.
            !(is_dir && entry.depth() > 0 && (skipped || folder_excludes.is_excluded(entry.path())))
        })
        .build();
    for entry in walker.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        if excludes.is_excluded(&path) {
            continue;
        }
        if let Some(kind) = kind_of(&path) {
            found.push((path, kind));
        }
    }
    found
}

fn is_openapi(path: &Path) -> bool {
    let small_enough = std::fs::metadata(path).is_ok_and(|m| m.len() <= MAX_SNIFF_BYTES);
    small_enough
        && std::fs::read(path).is_ok_and(|bytes| {
            backend_check_openapi::is_openapi_document(&backend_check_core::decode_text(bytes).0)
        })
}

/// The folder holding the migration set a `.sql` file belongs to: its parent,
/// or for diesel (`<version>_<name>/up.sql`) its grandparent.
fn migration_set_dir(file: &Path) -> Option<&Path> {
    let parent = file.parent()?;
    let name = file.file_name()?.to_str()?;
    if matches!(name, "up.sql" | "down.sql") {
        parent.parent()
    } else {
        Some(parent)
    }
}

/// The `src/` folder of the crate a Rust file belongs to. A file whose nearest
/// `Cargo.toml` is a virtual workspace manifest (no `[package]`) belongs to no
/// crate, so it gets no context: walking the whole workspace for it would be
/// slow and would mix unrelated code into its model.
fn crate_src_dir(file: &Path) -> Option<PathBuf> {
    let mut dir = file.parent();
    while let Some(d) = dir {
        let manifest = d.join("Cargo.toml");
        if manifest.is_file() {
            if !declares_package(&manifest) {
                return None;
            }
            let src = d.join("src");
            return Some(if src.is_dir() { src } else { d.to_path_buf() });
        }
        dir = d.parent();
    }
    None
}

/// Whether a manifest has a `[package]` table (an unreadable one counts as a package).
fn declares_package(manifest: &Path) -> bool {
    std::fs::read_to_string(manifest).map_or(true, |text| {
        text.lines()
            .any(|line| line.trim_start().starts_with("[package]"))
    })
}

/// Whether `path` is the configuration of this run: `backend-check.toml`, or a
/// `Cargo.toml` with a `backend-check` metadata table, in the configuration's folder.
fn is_config_file(path: &Path, base: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let in_base = || {
        let folder = path.parent().unwrap_or(Path::new("."));
        match (folder.canonicalize(), base.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    };
    match name {
        backend_check_core::CONFIG_FILE_NAME => path.is_file() && in_base(),
        "Cargo.toml" => {
            path.is_file()
                && in_base()
                && std::fs::read_to_string(path).is_ok_and(|t| t.contains("metadata.backend-check"))
        }
        _ => false,
    }
}

/// Discovers the files to check. `roots` are absolute; `explicit` ones are
/// files the user named.
pub fn discover(
    cwd: &Path,
    args: &[PathBuf],
    config: &Config,
    base: &Path,
) -> Result<Discovered, DiscoverError> {
    let excludes = Excludes::new(base, config)?;
    let mut found: Vec<(PathBuf, Kind)> = Vec::new();
    let mut explicit = Vec::new();
    let mut context_dirs: Vec<(PathBuf, Kind)> = Vec::new();

    // A changed configuration changes what every file is checked for: when
    // pre-commit names the configuration file among the staged files, the
    // whole project is checked, as with no paths at all.
    let config_named = args.iter().any(|arg| is_config_file(&cwd.join(arg), base));
    let args: &[PathBuf] = if config_named { &[] } else { args };
    if args.is_empty() {
        found.extend(configured_or_walk(cwd, config, base, &excludes));
    }
    for arg in args {
        let path = cwd.join(arg);
        if path.is_dir() {
            found.extend(walk(&path, &excludes));
        } else if path.is_file() {
            let Some(kind) = kind_of(&path) else {
                continue;
            };
            explicit.push(path.clone());
            match kind {
                Kind::Sql => {
                    if let Some(dir) = migration_set_dir(&path) {
                        context_dirs.push((dir.to_path_buf(), Kind::Sql));
                    }
                }
                Kind::Rust => {
                    if let Some(src) = crate_src_dir(&path) {
                        context_dirs.push((src, Kind::Rust));
                    }
                }
                Kind::MaybeOpenApi => {}
            }
            found.push((path, kind));
        } else {
            return Err(DiscoverError::NotFound(arg.clone()));
        }
    }
    for (dir, kind) in context_dirs {
        found.extend(
            walk(&dir, &excludes)
                .into_iter()
                .filter(|(_, k)| *k == kind),
        );
    }

    found.sort();
    found.dedup();
    let (candidates, rest): (Vec<_>, Vec<_>) = found
        .into_iter()
        .partition(|(_, kind)| *kind == Kind::MaybeOpenApi);
    let openapi: Vec<PathBuf> = candidates
        .into_par_iter()
        .map(|(path, _)| path)
        .filter(|path| is_openapi(path))
        .collect();
    let mut discovered = Discovered {
        openapi,
        report_only: if explicit.is_empty() {
            None
        } else {
            Some(explicit.iter().cloned().collect())
        },
        explicit,
        whole_project: config_named,
        ..Discovered::default()
    };
    for (path, kind) in rest {
        match kind {
            Kind::Rust => discovered.rust.push(path),
            Kind::Sql => discovered.sql.push(path),
            Kind::MaybeOpenApi => {}
        }
    }
    Ok(discovered)
}

/// With no paths on the command line: the configured paths per analyzer, or a
/// walk of the current folder.
fn configured_or_walk(
    cwd: &Path,
    config: &Config,
    base: &Path,
    excludes: &Excludes,
) -> Vec<(PathBuf, Kind)> {
    let configured = |paths: &[Spanned<String>], kind: Kind| -> Vec<(PathBuf, Kind)> {
        paths
            .iter()
            .flat_map(|p| {
                let path = base.join(p.get_ref());
                if path.is_file() {
                    vec![(path, kind)]
                } else {
                    walk(&path, excludes)
                }
            })
            .filter(|(_, k)| *k == kind)
            .collect()
    };
    let any_configured = !config.openapi.paths.is_empty()
        || !config.sql.migrations.is_empty()
        || !config.rust.paths.is_empty();
    let walked = if any_configured {
        Vec::new()
    } else {
        walk(cwd, excludes)
    };
    let pick = |configured_paths: &[Spanned<String>], kind: Kind| -> Vec<(PathBuf, Kind)> {
        if configured_paths.is_empty() {
            if any_configured {
                walk(cwd, excludes)
                    .into_iter()
                    .filter(|(_, k)| *k == kind)
                    .collect()
            } else {
                walked.iter().filter(|(_, k)| *k == kind).cloned().collect()
            }
        } else {
            configured(configured_paths, kind)
        }
    };
    let mut all = pick(&config.openapi.paths, Kind::MaybeOpenApi);
    all.extend(pick(&config.sql.migrations, Kind::Sql));
    all.extend(pick(&config.rust.paths, Kind::Rust));
    all
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
        let found = crate_src_dir(&dir.path().join("svc/src/routes/mod.rs"));
        assert_eq!(found, Some(dir.path().join("svc/src")));
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
        let found: Vec<PathBuf> = walk(dir.path(), &excludes)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, vec![dir.path().join("src/main.rs")]);
        let named: Vec<PathBuf> = walk(&dir.path().join("vendor"), &excludes)
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(named, vec![dir.path().join("vendor/picky/src/lib.rs")]);
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
        assert_eq!(crate_src_dir(&dir.path().join("scripts/gen.rs")), None);
    }
}
