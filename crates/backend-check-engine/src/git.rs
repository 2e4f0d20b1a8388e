//! A git tree at a commit as the sources of a run: what the project looked
//! like at that commit, read from the object database without a checkout (the
//! base branch of a pull request, while the work tree holds its head).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use backend_check_core::{normalize_path, EntryKind, SkipDir, Sources};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;

/// Why a git tree could not be opened.
#[derive(Debug)]
pub struct GitError(String);

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GitError {}

fn git_error(what: impl fmt::Display) -> impl FnOnce(&dyn fmt::Display) -> GitError {
    move |e| GitError(format!("{what}: {e}"))
}

/// The files of a commit, mounted at a folder: the path `<mount>/<entry>`
/// names the tree entry `<entry>`, so a run over the tree sees the same paths
/// (and so the same findings, spans and fingerprints) as a run over a
/// checkout of that commit at `<mount>`.
///
/// Regular and executable files are files; symbolic links and submodules are
/// left out. A walk leaves out what the tree's own `.gitignore` files and the
/// repository's `info/exclude` ignore, as a walk of the checkout does.
pub struct GitTree {
    repo: gix::ThreadSafeRepository,
    commit: gix::ObjectId,
    mount: PathBuf,
    canonical_mount: Option<PathBuf>,
    files: BTreeMap<PathBuf, gix::ObjectId>,
    dirs: BTreeSet<PathBuf>,
    /// Per folder (relative to the mount) that has a `.gitignore`, its rules;
    /// the root's entry also holds `info/exclude`.
    ignores: BTreeMap<PathBuf, Gitignore>,
}

impl fmt::Debug for GitTree {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GitTree")
            .field("commit", &self.commit)
            .field("mount", &self.mount)
            .field("files", &self.files.len())
            .finish()
    }
}

impl GitTree {
    /// The tree of `rev` (a commit id, a branch, `HEAD~1`, anything `git
    /// rev-parse` takes) in the repository at or above `repo`, mounted at the
    /// repository's work tree (or, for a bare repository, at `repo`).
    pub fn open(repo: &Path, rev: &str) -> Result<GitTree, GitError> {
        let opened = gix::discover(repo).map_err(|e| git_error("not a git repository")(&e))?;
        let mount = opened
            .workdir()
            .map_or_else(|| repo.to_path_buf(), Path::to_path_buf);
        GitTree::from_repository(opened, rev, &mount)
    }

    /// The tree of `rev` in the repository at or above `repo`, mounted at `mount`.
    pub fn open_at(repo: &Path, rev: &str, mount: &Path) -> Result<GitTree, GitError> {
        let opened = gix::discover(repo).map_err(|e| git_error("not a git repository")(&e))?;
        GitTree::from_repository(opened, rev, mount)
    }

    fn from_repository(
        repo: gix::Repository,
        rev: &str,
        mount: &Path,
    ) -> Result<GitTree, GitError> {
        let id = repo
            .rev_parse_single(rev)
            .map_err(|e| git_error(format!("cannot resolve `{rev}`"))(&e))?;
        let object = id
            .object()
            .map_err(|e| git_error(format!("cannot read `{rev}`"))(&e))?;
        let commit = object
            .peel_to_commit()
            .map_err(|e| git_error(format!("`{rev}` is not a commit"))(&e))?;
        let tree = commit
            .tree()
            .map_err(|e| git_error(format!("cannot read the tree of `{rev}`"))(&e))?;
        let mut recorder = gix::traverse::tree::Recorder::default();
        tree.traverse()
            .breadthfirst(&mut recorder)
            .map_err(|e| git_error(format!("cannot walk the tree of `{rev}`"))(&e))?;
        let mut files = BTreeMap::new();
        let mut dirs = BTreeSet::new();
        for entry in recorder.records {
            let path = PathBuf::from(entry.filepath.to_string());
            if entry.mode.is_tree() {
                dirs.insert(path);
            } else if entry.mode.is_blob() {
                files.insert(path, entry.oid);
            }
        }
        let mount = normalize_path(mount);
        let mut tree = GitTree {
            commit: commit.id,
            canonical_mount: std::fs::canonicalize(&mount).ok(),
            repo: repo.clone().into_sync(),
            mount,
            files,
            dirs,
            ignores: BTreeMap::new(),
        };
        tree.ignores = tree.read_ignores(&repo);
        Ok(tree)
    }

    /// The commit the tree belongs to.
    pub fn commit(&self) -> gix::ObjectId {
        self.commit
    }

    /// The folder the tree is mounted at.
    pub fn mount(&self) -> &Path {
        &self.mount
    }

    fn read_ignores(&self, repo: &gix::Repository) -> BTreeMap<PathBuf, Gitignore> {
        let mut ignores = BTreeMap::new();
        let mut folders: Vec<PathBuf> = vec![PathBuf::new()];
        folders.extend(self.dirs.iter().cloned());
        for folder in folders {
            let mut builder = GitignoreBuilder::new(self.mount.join(&folder));
            let mut any = false;
            if let Some(text) = self.blob_text(&folder.join(".gitignore")) {
                for line in text.lines() {
                    any |= builder.add_line(None, line).is_ok();
                }
            }
            if folder.as_os_str().is_empty() {
                let exclude = repo.git_dir().join("info").join("exclude");
                if let Ok(text) = std::fs::read_to_string(exclude) {
                    for line in text.lines() {
                        any |= builder.add_line(None, line).is_ok();
                    }
                }
            }
            if any {
                if let Ok(matcher) = builder.build() {
                    ignores.insert(folder, matcher);
                }
            }
        }
        ignores
    }

    fn blob_text(&self, relative: &Path) -> Option<String> {
        let id = self.files.get(relative)?;
        let bytes = self.blob(*id).ok()?;
        String::from_utf8(bytes).ok()
    }

    fn blob(&self, id: gix::ObjectId) -> io::Result<Vec<u8>> {
        let repo = self.repo.to_thread_local();
        let object = repo
            .find_object(id)
            .map_err(|e| io::Error::other(format!("cannot read object {id}: {e}")))?;
        Ok(object.detach().data)
    }

    /// `path` relative to the mount, if it lies below it.
    fn relative(&self, path: &Path) -> Option<PathBuf> {
        let path = normalize_path(path);
        let below = path.strip_prefix(&self.mount).ok().or_else(|| {
            self.canonical_mount
                .as_ref()
                .and_then(|c| path.strip_prefix(c).ok())
        })?;
        Some(below.to_path_buf())
    }

    /// Whether the tree's ignore rules leave out `relative` (a file or folder).
    fn ignored(&self, relative: &Path, is_dir: bool) -> bool {
        let absolute = self.mount.join(relative);
        // The deepest `.gitignore` that has a say decides, as git does.
        for (folder, matcher) in self.ignores.iter().rev() {
            if !relative.starts_with(folder) || relative == folder.as_path() {
                continue;
            }
            match matcher.matched_path_or_any_parents(&absolute, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{} is not in the git tree", path.display()),
    )
}

impl Sources for GitTree {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let relative = self.relative(path).ok_or_else(|| not_found(path))?;
        let id = self.files.get(&relative).ok_or_else(|| not_found(path))?;
        self.blob(*id)
    }

    fn kind(&self, path: &Path) -> Option<EntryKind> {
        let relative = self.relative(path)?;
        if relative.as_os_str().is_empty() || self.dirs.contains(&relative) {
            Some(EntryKind::Dir)
        } else if self.files.contains_key(&relative) {
            Some(EntryKind::File)
        } else if relative == Path::new(".git") {
            // The repository itself: where the search for a configuration stops.
            Some(EntryKind::Dir)
        } else {
            None
        }
    }

    fn len(&self, path: &Path) -> Option<u64> {
        let relative = self.relative(path)?;
        let id = self.files.get(&relative)?;
        let repo = self.repo.to_thread_local();
        let header = repo.find_header(*id).ok()?;
        Some(header.size())
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        let relative = self.relative(path).ok_or_else(|| not_found(path))?;
        if self.kind(path).is_none() {
            return Err(not_found(path));
        }
        let base = self.canonical_mount.as_ref().unwrap_or(&self.mount);
        Ok(if relative.as_os_str().is_empty() {
            base.clone()
        } else {
            base.join(relative)
        })
    }

    fn walk(&self, dir: &Path, skip_dir: SkipDir) -> Vec<PathBuf> {
        let Some(start) = self.relative(dir) else {
            return Vec::new();
        };
        let mut refused: BTreeSet<&Path> = BTreeSet::new();
        let mut files = Vec::new();
        'files: for relative in self.files.keys() {
            let Ok(below) = relative.strip_prefix(&start) else {
                continue;
            };
            if below.as_os_str().is_empty() {
                continue;
            }
            // Every folder between the walk's start and the file.
            let mut folder = start.clone();
            let parts: Vec<_> = below.components().collect();
            for (i, part) in parts.iter().enumerate() {
                let last = i + 1 == parts.len();
                let hidden = part.as_os_str().to_string_lossy().starts_with('.');
                folder.push(part);
                if hidden {
                    continue 'files;
                }
                if last {
                    break;
                }
                if refused.contains(folder.as_path()) {
                    continue 'files;
                }
                let absolute = dir.join(folder.strip_prefix(&start).unwrap_or(&folder));
                if self.ignored(&folder, true) || skip_dir(&absolute) {
                    if let Some(known) = self.dirs.get(&folder) {
                        refused.insert(known.as_path());
                    }
                    continue 'files;
                }
            }
            if self.ignored(relative, false) {
                continue;
            }
            files.push(dir.join(below));
        }
        files
    }
}
