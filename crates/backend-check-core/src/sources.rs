//! Where the analyzers read files from: the file system, or anything that can
//! stand in for it (unsaved editor buffers over the disk, a git tree at a
//! commit). Every read of a run goes through one [`Sources`], so the paths,
//! spans and fingerprints of a finding do not depend on where the bytes came
//! from.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// Which folders a walk leaves out (besides hidden and ignored ones).
pub type SkipDir = Arc<dyn Fn(&Path) -> bool + Send + Sync>;

/// What a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    /// A file.
    File,
    /// A folder.
    Dir,
}

/// A read-only tree of files addressed by path.
///
/// Paths are the ones the run works with (absolute, or relative to the
/// working folder); a provider that is not the file system maps them onto its
/// own storage. Implementations must be cheap to share across threads.
pub trait Sources: Send + Sync + fmt::Debug {
    /// The bytes of a file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;

    /// What `path` names (following symbolic links), if anything.
    fn kind(&self, path: &Path) -> Option<EntryKind>;

    /// The size of a file in bytes.
    fn len(&self, path: &Path) -> Option<u64>;

    /// The canonical form of an existing path (absolute, no `.` or `..`,
    /// links resolved where the provider has them): two paths name the same
    /// file when their canonical forms are equal.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;

    /// The files below `dir` (recursively, in no particular order), as a
    /// project walk sees them: hidden entries (`.name`) and what the
    /// repository ignores (`.gitignore`, `.git/info/exclude`) are left out,
    /// and so are the folders below `dir` for which `skip_dir` says yes.
    fn walk(&self, dir: &Path, skip_dir: SkipDir) -> Vec<PathBuf>;

    /// Whether `path` is a file.
    fn is_file(&self, path: &Path) -> bool {
        self.kind(path) == Some(EntryKind::File)
    }

    /// Whether `path` is a folder.
    fn is_dir(&self, path: &Path) -> bool {
        self.kind(path) == Some(EntryKind::Dir)
    }

    /// Whether `path` names anything.
    fn exists(&self, path: &Path) -> bool {
        self.kind(path).is_some()
    }

    /// A file's text, which must be UTF-8.
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        String::from_utf8(self.read(path)?)
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// The file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct FileSystem;

impl Sources for FileSystem {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn kind(&self, path: &Path) -> Option<EntryKind> {
        let meta = std::fs::metadata(path).ok()?;
        if meta.is_dir() {
            Some(EntryKind::Dir)
        } else if meta.is_file() {
            Some(EntryKind::File)
        } else {
            None
        }
    }

    fn len(&self, path: &Path) -> Option<u64> {
        std::fs::metadata(path).ok().map(|m| m.len())
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn walk(&self, dir: &Path, skip_dir: SkipDir) -> Vec<PathBuf> {
        ignore::WalkBuilder::new(dir)
            .hidden(true)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .require_git(false)
            .parents(true)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                // The folder the walk starts from is walked even when refused: it was named.
                !(is_dir && entry.depth() > 0 && skip_dir(entry.path()))
            })
            .build()
            .flatten()
            .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
            .map(ignore::DirEntry::into_path)
            .collect()
    }
}

/// Files held in memory (unsaved editor buffers, generated text) laid over
/// another provider: a path the overlay holds reads from the overlay, any
/// other path from the provider beneath.
#[derive(Debug, Clone)]
pub struct Overlay {
    base: Arc<dyn Sources>,
    files: BTreeMap<PathBuf, Arc<[u8]>>,
}

impl Overlay {
    /// An empty overlay over `base`.
    pub fn new(base: Arc<dyn Sources>) -> Overlay {
        Overlay {
            base,
            files: BTreeMap::new(),
        }
    }

    /// Holds `bytes` as the content of `path` (added, or in place of the
    /// file beneath). The path is taken as given: use the path the run will
    /// name it by (absolute, or below the working folder).
    pub fn insert(&mut self, path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) {
        self.files
            .insert(normalize(&path.into()), Arc::from(bytes.into()));
    }

    fn held(&self, path: &Path) -> Option<&Arc<[u8]>> {
        self.files.get(&normalize(path))
    }

    fn holds_below(&self, dir: &Path) -> bool {
        let dir = normalize(dir);
        self.files.keys().any(|p| p.starts_with(&dir) && *p != dir)
    }
}

impl Sources for Overlay {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.held(path) {
            Some(bytes) => Ok(bytes.to_vec()),
            None => self.base.read(path),
        }
    }

    fn kind(&self, path: &Path) -> Option<EntryKind> {
        if self.held(path).is_some() {
            Some(EntryKind::File)
        } else if let Some(kind) = self.base.kind(path) {
            Some(kind)
        } else if self.holds_below(path) {
            Some(EntryKind::Dir)
        } else {
            None
        }
    }

    fn len(&self, path: &Path) -> Option<u64> {
        match self.held(path) {
            Some(bytes) => Some(bytes.len() as u64),
            None => self.base.len(path),
        }
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        if let Ok(canonical) = self.base.canonicalize(path) {
            return Ok(canonical);
        }
        if self.kind(path).is_none() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such file"));
        }
        // Held only in memory: the canonical form of the nearest folder that
        // exists beneath, followed by the rest of the path.
        let path = normalize(path);
        let mut existing = path.as_path();
        let mut rest = Vec::new();
        while let Some(parent) = existing.parent() {
            rest.push(existing.file_name().unwrap_or_default().to_owned());
            existing = parent;
            if let Ok(mut canonical) = self.base.canonicalize(existing) {
                for part in rest.iter().rev() {
                    canonical.push(part);
                }
                return Ok(canonical);
            }
        }
        Ok(path)
    }

    fn walk(&self, dir: &Path, skip_dir: SkipDir) -> Vec<PathBuf> {
        let mut files = self.base.walk(dir, skip_dir.clone());
        let start = normalize(dir);
        for held in self.files.keys() {
            let Ok(below) = held.strip_prefix(&start) else {
                continue;
            };
            let hidden_or_skipped = below.parent().is_some_and(|parent| {
                let mut folder = start.clone();
                parent.components().any(|c| {
                    folder.push(c);
                    is_hidden(c) || skip_dir(&folder)
                })
            });
            let hidden = below
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'));
            if hidden || hidden_or_skipped {
                continue;
            }
            let path = dir.join(below);
            if !files.iter().any(|f| normalize(f) == *held) {
                files.push(path);
            }
        }
        files
    }
}

fn is_hidden(component: Component<'_>) -> bool {
    matches!(component, Component::Normal(name) if name.to_string_lossy().starts_with('.'))
}

/// `path` without `.` components and with `..` applied, lexically.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("api/.hidden")).unwrap();
        std::fs::create_dir_all(dir.path().join("target")).unwrap();
        std::fs::write(dir.path().join("api/a.yaml"), "a").unwrap();
        std::fs::write(dir.path().join("api/.hidden/b.yaml"), "b").unwrap();
        std::fs::write(dir.path().join("target/c.yaml"), "c").unwrap();
        dir
    }

    fn sorted(mut files: Vec<PathBuf>, root: &Path) -> Vec<String> {
        files.sort();
        files
            .iter()
            .map(|f| {
                f.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn the_file_system_walk_skips_hidden_and_refused_folders() {
        let dir = tree();
        let skip: SkipDir = Arc::new(|p: &Path| p.ends_with("target"));
        assert_eq!(
            sorted(FileSystem.walk(dir.path(), skip), dir.path()),
            ["api/a.yaml"]
        );
        assert!(FileSystem.is_dir(&dir.path().join("api")));
        assert!(FileSystem.is_file(&dir.path().join("api/a.yaml")));
        assert_eq!(FileSystem.len(&dir.path().join("api/a.yaml")), Some(1));
        assert!(!FileSystem.exists(&dir.path().join("nothing")));
    }

    #[test]
    fn an_overlay_replaces_and_adds_files_and_folders() {
        let dir = tree();
        let mut overlay = Overlay::new(Arc::new(FileSystem));
        overlay.insert(dir.path().join("api/a.yaml"), "edited");
        overlay.insert(dir.path().join("new/./d.yaml"), "new");
        overlay.insert(dir.path().join("api/.hidden/e.yaml"), "hidden");
        overlay.insert(dir.path().join("target/f.yaml"), "skipped");
        let skip: SkipDir = Arc::new(|p: &Path| p.ends_with("target"));
        assert_eq!(
            sorted(overlay.walk(dir.path(), skip), dir.path()),
            ["api/a.yaml", "new/d.yaml"]
        );
        assert_eq!(
            overlay.read(&dir.path().join("api/a.yaml")).unwrap(),
            b"edited"
        );
        assert_eq!(
            overlay
                .read_to_string(&dir.path().join("new/d.yaml"))
                .unwrap(),
            "new"
        );
        assert_eq!(overlay.len(&dir.path().join("api/a.yaml")), Some(6));
        assert!(overlay.is_dir(&dir.path().join("new")));
        assert!(!overlay.exists(&dir.path().join("newer")));
        let canonical = overlay
            .canonicalize(&dir.path().join("api/../new/d.yaml"))
            .unwrap();
        assert_eq!(
            canonical,
            std::fs::canonicalize(dir.path())
                .unwrap()
                .join("new/d.yaml")
        );
        assert!(overlay
            .canonicalize(&dir.path().join("new/none.yaml"))
            .is_err());
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("../a")), Path::new("../a"));
    }
}
