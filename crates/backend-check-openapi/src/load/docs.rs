//! A document and the files its `$ref`s reach: loading, and following
//! references across them. Remote (`http(s)://`) references are never
//! fetched, and files outside the repository root are never read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{CommentStyle, SourceFile, Sources, Span};

use super::{parse, EntryKind, Format, NodeId, SyntaxError, Tree};

/// The index of a file in a [`Docs`] set; the document itself is [`FileId::ROOT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(u16);

impl FileId {
    /// The document being checked.
    pub const ROOT: FileId = FileId(0);

    fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A node of some file of the set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At {
    /// The file.
    pub file: FileId,
    /// The node in that file's tree.
    pub node: NodeId,
}

impl At {
    /// A node of the given file.
    pub fn new(file: FileId, node: NodeId) -> At {
        At { file, node }
    }
}

enum OwnedOrBorrowed<'c> {
    Borrowed(&'c Tree<'c>),
    Owned(Box<Tree<'static>>),
}

/// One file of the set.
pub struct DocFile<'c> {
    /// The file, as diagnostics name it.
    pub source: Arc<SourceFile>,
    tree: OwnedOrBorrowed<'c>,
    canonical: Option<PathBuf>,
}

impl<'c> DocFile<'c> {
    /// The file's canonical path, when it has one.
    pub fn canonical(&self) -> Option<&PathBuf> {
        self.canonical.as_ref()
    }

    /// The file's span tree.
    pub fn tree(&self) -> &Tree<'c> {
        match &self.tree {
            OwnedOrBorrowed::Borrowed(tree) => tree,
            OwnedOrBorrowed::Owned(tree) => tree,
        }
    }
}

/// Where the file part of a reference leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileTarget {
    /// A file of the set.
    Loaded(FileId),
    /// An `http(s)://` (or other absolute URI) reference, not fetched.
    Remote,
    /// A file that does not exist or cannot be read (the reason).
    Missing(String),
    /// A file outside the repository root, refused.
    OutsideRoot,
    /// A file that was read but does not parse (its own parse error is reported).
    Unparsable,
}

/// A `$ref` written in some file of the set.
#[derive(Debug, Clone)]
pub struct RefSite {
    /// The mapping holding the `$ref`.
    pub holder: At,
    /// The `$ref` key.
    pub key: At,
    /// The reference string's node.
    pub value: At,
    /// The reference as written.
    pub text: String,
    /// Where its file part leads (`Loaded(file)` itself for local `#/…` refs).
    pub target: FileTarget,
}

/// What following a `$ref` ends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deref {
    /// A node that is not itself a reference.
    Node(At),
    /// A reference that cannot be followed (unresolved, remote, refused, or a cycle).
    Broken,
}

/// A document and every file reached through its references.
pub struct Docs<'c> {
    document: DocFile<'c>,
    others: Vec<DocFile<'c>>,
    /// Every `$ref` of every file, in file order.
    pub refs: Vec<RefSite>,
    /// Syntax errors of referenced files (the file and the error).
    pub broken_files: Vec<(Arc<SourceFile>, SyntaxError)>,
    refs_by_holder: HashMap<At, usize>,
}

const MAX_FILES: usize = 4096;
const MAX_HOPS: usize = 64;

impl<'c> Docs<'c> {
    /// Loads the files the document's references reach, below `root`, from disk.
    pub fn load(source: &Arc<SourceFile>, tree: &'c Tree<'c>, root: &Path) -> Docs<'c> {
        Docs::load_from(&backend_check_core::FileSystem, source, tree, root)
    }

    /// Loads the files the document's references reach, below `root`, from `sources`.
    pub fn load_from(
        sources: &dyn Sources,
        source: &Arc<SourceFile>,
        tree: &'c Tree<'c>,
        root: &Path,
    ) -> Docs<'c> {
        let mut docs = Docs {
            document: DocFile {
                source: Arc::clone(source),
                tree: OwnedOrBorrowed::Borrowed(tree),
                canonical: sources.canonicalize(source.path()).ok(),
            },
            others: Vec::new(),
            refs: Vec::new(),
            broken_files: Vec::new(),
            refs_by_holder: HashMap::new(),
        };
        let mut roots: Vec<PathBuf> = sources.canonicalize(root).into_iter().collect();
        roots.extend(std::path::absolute(root).ok());
        let mut loader = Loader {
            sources,
            roots,
            by_path: HashMap::new(),
        };
        let mut next = 0;
        while next <= docs.others.len() {
            let id = FileId(u16::try_from(next).unwrap_or(u16::MAX));
            docs.scan_refs(id, &mut loader);
            next += 1;
        }
        docs
    }

    /// The files of the set with their ids; the first is the document itself.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &DocFile<'c>)> {
        std::iter::once(&self.document)
            .chain(&self.others)
            .enumerate()
            .map(|(i, f)| (FileId(u16::try_from(i).unwrap_or(u16::MAX)), f))
    }

    /// The referenced files (the document itself excluded).
    pub fn referenced(&self) -> &[DocFile<'c>] {
        &self.others
    }

    /// The file with this id (the document itself for an unknown id).
    pub fn file(&self, id: FileId) -> &DocFile<'c> {
        match id.index().checked_sub(1) {
            Some(i) => self.others.get(i).unwrap_or(&self.document),
            None => &self.document,
        }
    }

    /// The span tree of a file.
    pub fn tree(&self, id: FileId) -> &Tree<'c> {
        self.file(id).tree()
    }

    /// The source of a file, for diagnostics.
    pub fn source(&self, id: FileId) -> &Arc<SourceFile> {
        &self.file(id).source
    }

    /// The span of a node.
    pub fn span(&self, at: At) -> Span {
        self.tree(at.file).span(at.node)
    }

    /// The `$ref` site of a mapping, when it holds one.
    pub fn ref_of(&self, holder: At) -> Option<&RefSite> {
        let holder = At::new(holder.file, self.tree(holder.file).resolve(holder.node));
        self.refs_by_holder
            .get(&holder)
            .and_then(|i| self.refs.get(*i))
    }

    /// Follows `$ref`s from a node until a node that is not a reference.
    pub fn deref(&self, at: At) -> Deref {
        let mut here = at;
        for _ in 0..MAX_HOPS {
            let Some(site) = self.ref_of(here) else {
                let node = self.tree(here.file).resolve(here.node);
                return Deref::Node(At::new(here.file, node));
            };
            match self.target_of(site) {
                Some(next) => here = next,
                None => return Deref::Broken,
            }
        }
        Deref::Broken
    }

    /// The node a node stands for: its `$ref` target, or itself when it is no
    /// reference or the reference is broken.
    pub fn follow(&self, at: At) -> At {
        match self.deref(at) {
            Deref::Node(node) => node,
            Deref::Broken => at,
        }
    }

    /// The node one reference names (one hop), when it resolves.
    pub fn target_of(&self, site: &RefSite) -> Option<At> {
        let FileTarget::Loaded(file) = site.target else {
            return None;
        };
        let fragment = site.text.find('#').and_then(|i| site.text.get(i..));
        let node = self.tree(file).lookup(fragment.unwrap_or(""))?;
        Some(At::new(file, node))
    }

    /// The ref sites met when following a chain of references from `site`,
    /// when that chain loops back on itself.
    pub fn cycle_from(&self, site: &RefSite) -> Option<Vec<At>> {
        let mut seen = vec![site.holder];
        let mut here = self.target_of(site)?;
        for _ in 0..MAX_HOPS {
            let here_site = self.ref_of(here)?;
            if seen.contains(&here_site.holder) {
                return (here_site.holder == site.holder).then_some(seen);
            }
            seen.push(here_site.holder);
            here = self.target_of(here_site)?;
        }
        None
    }

    fn scan_refs(&mut self, id: FileId, loader: &mut Loader<'_>) {
        let mut found = Vec::new();
        {
            let tree = self.tree(id);
            for holder in tree.node_ids() {
                if !matches!(tree.raw_value(holder), super::Value::Mapping(_)) {
                    continue;
                }
                let Some(entry) = tree
                    .entries(holder)
                    .iter()
                    .rev()
                    .find(|e| e.kind == EntryKind::Own && tree.str(e.key) == Some("$ref"))
                else {
                    continue;
                };
                let Some(text) = tree.str(entry.value) else {
                    continue;
                };
                found.push((holder, entry.key, entry.value, text.to_owned()));
            }
        }
        for (holder, key, value, text) in found {
            let target = self.file_target(id, &text, loader);
            self.refs_by_holder
                .insert(At::new(id, holder), self.refs.len());
            self.refs.push(RefSite {
                holder: At::new(id, holder),
                key: At::new(id, key),
                value: At::new(id, value),
                text,
                target,
            });
        }
    }

    fn file_target(&mut self, from: FileId, text: &str, loader: &mut Loader<'_>) -> FileTarget {
        let file_part = text.split_once('#').map_or(text, |(file, _)| file);
        if file_part.is_empty() {
            return FileTarget::Loaded(from);
        }
        if is_absolute_uri(file_part) {
            return FileTarget::Remote;
        }
        let base = self
            .file(from)
            .source
            .path()
            .parent()
            .map(Path::to_path_buf);
        let joined = base.unwrap_or_default().join(percent_decoded(file_part));
        if escapes(&joined, &loader.roots) {
            return FileTarget::OutsideRoot;
        }
        let canonical = match loader.sources.canonicalize(&joined) {
            Ok(path) => path,
            Err(error) => return FileTarget::Missing(io_reason(&error)),
        };
        if !loader.roots.iter().any(|r| canonical.starts_with(r)) {
            return FileTarget::OutsideRoot;
        }
        if let Some(found) = loader.by_path.get(&canonical) {
            return found.clone();
        }
        if self.file(FileId::ROOT).canonical.as_ref() == Some(&canonical) {
            return FileTarget::Loaded(FileId::ROOT);
        }
        let target = self.load_file(loader.sources, &joined, &canonical);
        loader.by_path.insert(canonical, target.clone());
        target
    }

    fn load_file(&mut self, sources: &dyn Sources, path: &Path, canonical: &Path) -> FileTarget {
        if self.others.len() >= MAX_FILES {
            return FileTarget::Missing("too many referenced files".to_owned());
        }
        let format = Format::of_path(path);
        let style = match format {
            Format::Yaml => CommentStyle::Hash,
            Format::Json => CommentStyle::None,
        };
        let display = self.display_of(path);
        let loaded = match SourceFile::read_from(sources, path, display, style) {
            Ok(loaded) => loaded,
            Err(error) => return FileTarget::Missing(error.to_string()),
        };
        if loaded.invalid_utf8_at.is_some() {
            return FileTarget::Missing("the file is not valid UTF-8".to_owned());
        }
        let source = Arc::new(loaded.file);
        let tree = match parse(source.text(), format) {
            Ok(tree) => tree.into_owned(),
            Err(error) => {
                self.broken_files.push((source, error));
                return FileTarget::Unparsable;
            }
        };
        let id = FileId(u16::try_from(self.others.len() + 1).unwrap_or(u16::MAX));
        self.others.push(DocFile {
            source,
            tree: OwnedOrBorrowed::Owned(Box::new(tree)),
            canonical: Some(canonical.to_path_buf()),
        });
        FileTarget::Loaded(id)
    }

    /// The display path of a referenced file: the document's display folder joined with the
    /// path relative to the document's folder, normalized.
    fn display_of(&self, path: &Path) -> String {
        let root = self.file(FileId::ROOT);
        let doc_dir = root.source.path().parent().unwrap_or(Path::new(""));
        let display_dir = Path::new(root.source.display_path())
            .parent()
            .unwrap_or(Path::new(""));
        let relative = path.strip_prefix(doc_dir).unwrap_or(path);
        normalize(&display_dir.join(relative))
    }
}

struct Loader<'s> {
    sources: &'s dyn Sources,
    roots: Vec<PathBuf>,
    by_path: HashMap<PathBuf, FileTarget>,
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        _ => error.to_string(),
    }
}

/// `http://…`, `https://…`, `urn:…`: a scheme before any `/`.
fn is_absolute_uri(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    scheme.len() > 1
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn percent_decoded(text: &str) -> String {
    super::pointer::percent_decode(text).into_owned()
}

/// Whether a path, made absolute and normalized lexically, lies outside `root`
/// (checked before the file is touched, so a missing file outside is refused too).
fn escapes(path: &Path, roots: &[PathBuf]) -> bool {
    let absolute = match std::path::absolute(path) {
        Ok(p) => p,
        Err(_) => return false,
    };
    let mut normal = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    !roots.iter().any(|root| normal.starts_with(root))
}

/// Removes `.` and resolves `..` lexically, with `/` separators.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else {
                    parts.push("..".to_owned());
                }
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_uris() {
        assert!(is_absolute_uri("https://example.com/a.yaml"));
        assert!(is_absolute_uri("urn:x:y"));
        assert!(!is_absolute_uri("schemas/pet.yaml"));
        assert!(!is_absolute_uri("C:x"));
    }

    #[test]
    fn normalized_display_paths() {
        assert_eq!(
            normalize(Path::new("api/./schemas/../pet.yaml")),
            "api/pet.yaml"
        );
        assert_eq!(normalize(Path::new("../x.yaml")), "../x.yaml");
    }
}
