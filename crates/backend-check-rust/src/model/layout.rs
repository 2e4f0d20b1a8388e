//! Where a file sits in its crate: the crate root (the nearest ancestor
//! folder with a `Cargo.toml`), its module path, and whether it is test code
//! by location (`tests/`, `benches/`, `examples/` directly below the crate root).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// A file's place in its crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLocation {
    /// Identifies the module tree the file belongs to: `<package>/src` for a
    /// library or main binary, `<package>/src/bin/<name>` for another binary,
    /// or the file itself when it is not below a `src/` folder of a package.
    pub crate_key: PathBuf,
    /// The module path of the file within that tree (`["handlers", "users"]`).
    pub module: Vec<String>,
    /// Whether the file is below `tests/`, `benches/` or `examples/` of its package.
    pub exempt: bool,
}

/// Locates files, caching which folders hold a `Cargo.toml`.
#[derive(Default)]
pub struct Layout {
    manifest_dirs: HashMap<PathBuf, Option<PathBuf>>,
}

impl Layout {
    /// The location of `path`.
    pub fn locate(&mut self, path: &Path) -> FileLocation {
        let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let standalone = FileLocation {
            crate_key: absolute.clone(),
            module: Vec::new(),
            exempt: false,
        };
        let Some(root) = absolute.parent().and_then(|dir| self.package_root(dir)) else {
            return standalone;
        };
        let Ok(relative) = absolute.strip_prefix(&root) else {
            return standalone;
        };
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        let exempt = matches!(
            parts.first().map(String::as_str),
            Some("tests" | "benches" | "examples")
        );
        match parts.split_first() {
            Some((src, rest)) if src == "src" => {
                let (crate_key, module) = module_of(&root.join("src"), rest);
                FileLocation {
                    crate_key,
                    module,
                    exempt,
                }
            }
            _ => FileLocation {
                exempt,
                ..standalone
            },
        }
    }

    /// The nearest folder at or above `dir` that holds a `Cargo.toml`.
    fn package_root(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.manifest_dirs.get(dir) {
            return found.clone();
        }
        let found = if dir.join("Cargo.toml").is_file() {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|parent| self.package_root(parent))
        };
        self.manifest_dirs.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// The crate key and module path of a file at `rest` below `src`.
fn module_of(src: &Path, rest: &[String]) -> (PathBuf, Vec<String>) {
    if let Some((bin, after)) = rest.split_first().filter(|(first, _)| *first == "bin") {
        if let Some((name, inner)) = after.split_first() {
            let binary = name.strip_suffix(".rs").unwrap_or(name);
            let key = src.join(bin).join(binary);
            return (key, module_path(inner));
        }
    }
    (src.to_path_buf(), module_path(rest))
}

/// `a/b.rs` and `a/b/mod.rs` give `a::b`; `lib.rs` / `main.rs` at the top give the root.
fn module_path(parts: &[String]) -> Vec<String> {
    let Some((last, dirs)) = parts.split_last() else {
        return Vec::new();
    };
    let mut module: Vec<String> = dirs.to_vec();
    let stem = last.strip_suffix(".rs").unwrap_or(last);
    let is_root_file = dirs.is_empty() && (stem == "lib" || stem == "main");
    if stem != "mod" && !is_root_file {
        module.push(stem.to_owned());
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn module_paths_follow_the_file_layout() {
        assert_eq!(module_path(&strings(&["lib.rs"])), Vec::<String>::new());
        assert_eq!(module_path(&strings(&["main.rs"])), Vec::<String>::new());
        assert_eq!(module_path(&strings(&["a", "b.rs"])), strings(&["a", "b"]));
        assert_eq!(
            module_path(&strings(&["a", "b", "mod.rs"])),
            strings(&["a", "b"])
        );
        assert_eq!(
            module_path(&strings(&["a", "main.rs"])),
            strings(&["a", "main"])
        );
    }

    #[test]
    fn test_folders_count_only_below_the_crate_root() {
        let dir = tempfile::tempdir().unwrap();
        let outer = dir.path().join("tests").join("project");
        std::fs::create_dir_all(outer.join("src")).unwrap();
        std::fs::create_dir_all(outer.join("tests")).unwrap();
        std::fs::write(outer.join("Cargo.toml"), "[package]\nname = \"p\"\n").unwrap();
        std::fs::write(outer.join("src/main.rs"), "").unwrap();
        std::fs::write(outer.join("tests/api.rs"), "").unwrap();
        let mut layout = Layout::default();
        let main = layout.locate(&outer.join("src/main.rs"));
        assert!(!main.exempt);
        assert!(main.module.is_empty());
        assert!(layout.locate(&outer.join("tests/api.rs")).exempt);
    }
}
