//! Where a file sits in its crate: the crate root (the nearest ancestor
//! folder with a `Cargo.toml`), its module path, and whether it is test code
//! by location (`tests/`, `benches/`, `examples/` directly below the crate root,
//! a package of its own below such a folder of an enclosing package, or the
//! source of a web framework itself).

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use backend_check_core::{FileSystem, Sources};

/// A file's place in its crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLocation {
    /// Identifies the module tree the file belongs to: `<package>/src` for a
    /// library or main binary, `<package>/src/bin/<name>` for another binary,
    /// or the file itself when it is not below a `src/` folder of a package.
    pub crate_key: PathBuf,
    /// The module path of the file within that tree (`["handlers", "users"]`).
    pub module: Vec<String>,
    /// Whether the file is not application code: below `tests/`, `benches/`
    /// or `examples/` of its package, in a package of its own below such a
    /// folder (`examples/todo/src/main.rs`, `tests/crates/broken/src/lib.rs`),
    /// in the package of a web framework (the framework's own repository), or in a
    /// test-support package (`*-testkit`, `test-utils`, `*-tester`).
    pub exempt: bool,
    /// Whether the file is Rust code of its package: false for `.rs` files
    /// kept as data below an `assets/`, `static/`, `templates/` or
    /// `resources/` folder of the package (syntax samples, templates).
    pub compiled: bool,
}

/// Folders of a package that hold code other than the application.
const NON_APPLICATION_DIRS: &[&str] = &["tests", "benches", "examples"];

/// Folders of a package whose `.rs` files are data, not code.
const NON_CODE_DIRS: &[&str] = &["assets", "static", "templates", "resources"];

/// Packages that are web frameworks: their source is not an application.
const FRAMEWORK_PACKAGES: &[&str] = &[
    "axum",
    "axum-core",
    "axum-extra",
    "actix-web",
    "actix-web-codegen",
    "rocket",
    "rocket_codegen",
    "rocket_http",
    "warp",
    "poem",
    "salvo",
    "tide",
    "aide",
];

/// Locates files, caching which folders hold a `Cargo.toml` and which packages are exempt.
pub struct Layout<'s> {
    sources: &'s dyn Sources,
    manifest_dirs: HashMap<PathBuf, Option<PathBuf>>,
    exempt_packages: HashMap<PathBuf, bool>,
    /// Per package root, the folders and files of its test, bench and example targets.
    target_paths: HashMap<PathBuf, Vec<PathBuf>>,
}

impl Default for Layout<'static> {
    /// A layout read from disk.
    fn default() -> Layout<'static> {
        Layout::new(&FileSystem)
    }
}

impl<'s> Layout<'s> {
    /// A layout whose manifests are read from `sources`.
    pub fn new(sources: &'s dyn Sources) -> Layout<'s> {
        Layout {
            sources,
            manifest_dirs: HashMap::new(),
            exempt_packages: HashMap::new(),
            target_paths: HashMap::new(),
        }
    }

    /// The location of `path`.
    pub fn locate(&mut self, path: &Path) -> FileLocation {
        let absolute = self
            .sources
            .canonicalize(path)
            .unwrap_or_else(|_| path.to_path_buf());
        let standalone = FileLocation {
            crate_key: absolute.clone(),
            module: Vec::new(),
            exempt: false,
            compiled: true,
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
        ) || self.is_exempt_package(&root)
            || self.in_non_application_target(&root, relative);
        let compiled = !parts
            .iter()
            .any(|part| NON_CODE_DIRS.contains(&part.as_str()));
        match parts.split_first() {
            Some((src, rest)) if src == "src" => {
                let (crate_key, module) = module_of(&root.join("src"), rest);
                FileLocation {
                    crate_key,
                    module,
                    exempt,
                    compiled,
                }
            }
            _ => FileLocation {
                exempt,
                compiled,
                ..standalone
            },
        }
    }

    /// Whether the package at `root` is not application code: it sits below a
    /// `tests/`, `examples/`… folder of an enclosing package (at any depth: a
    /// workspace kept as a test resource), or it is a web framework.
    fn is_exempt_package(&mut self, root: &Path) -> bool {
        if let Some(&known) = self.exempt_packages.get(root) {
            return known;
        }
        let outer = root.parent().and_then(|dir| self.package_root(dir));
        let nested = outer.as_ref().is_some_and(|outer| {
            root.strip_prefix(outer)
                .is_ok_and(|rel| rel.components().any(|c| is_non_application_dir(&c)))
                || self.is_exempt_package(outer) && !is_framework_package(self.sources, outer)
        });
        let exempt = nested || is_framework_package(self.sources, root);
        self.exempt_packages.insert(root.to_path_buf(), exempt);
        exempt
    }

    /// Whether `relative` (below the package at `root`) belongs to a
    /// `[[test]]`, `[[bench]]` or `[[example]]` target the manifest declares
    /// with a `path` elsewhere than `tests/`…: the target's file, and for a
    /// `mod.rs`, `main.rs` or `lib.rs` target the whole folder it roots
    /// (`path = "src/tests/mod.rs"` makes `src/tests/` test code).
    fn in_non_application_target(&mut self, root: &Path, relative: &Path) -> bool {
        let sources = self.sources;
        let paths = self
            .target_paths
            .entry(root.to_path_buf())
            .or_insert_with(|| {
                sources
                    .read_to_string(&root.join("Cargo.toml"))
                    .map(|manifest| non_application_targets(&manifest))
                    .unwrap_or_default()
            });
        paths.iter().any(|target| relative.starts_with(target))
    }

    /// The nearest folder at or above `dir` that holds a `Cargo.toml`.
    fn package_root(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(found) = self.manifest_dirs.get(dir) {
            return found.clone();
        }
        let found = if self.sources.is_file(&dir.join("Cargo.toml")) {
            Some(dir.to_path_buf())
        } else {
            dir.parent().and_then(|parent| self.package_root(parent))
        };
        self.manifest_dirs.insert(dir.to_path_buf(), found.clone());
        found
    }
}

fn is_non_application_dir(component: &Component<'_>) -> bool {
    matches!(component, Component::Normal(s) if NON_APPLICATION_DIRS.iter().any(|d| s == d))
}

/// Whether the `Cargo.toml` at `root` declares a package named like a web
/// framework or a test-support package.
fn is_framework_package(sources: &dyn Sources, root: &Path) -> bool {
    let Ok(manifest) = sources.read_to_string(&root.join("Cargo.toml")) else {
        return false;
    };
    package_name(&manifest)
        .is_some_and(|name| FRAMEWORK_PACKAGES.contains(&name) || is_test_support_name(name))
}

/// Whether a package name says it supports tests (`kanidmd_testkit`,
/// `test-utils`, `oauth2-tester`): its servers and credentials are for test runs.
fn is_test_support_name(name: &str) -> bool {
    name.to_ascii_lowercase().split(['-', '_']).any(|word| {
        matches!(
            word,
            "testkit" | "tester" | "testing" | "tests" | "test" | "fixtures" | "mock" | "mocks"
        )
    }) || name.ends_with("testkit")
}

/// The `name` of the `[package]` table of a manifest, read line by line.
fn package_name(manifest: &str) -> Option<&str> {
    let mut in_package = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some(value) = line.strip_prefix("name").map(str::trim_start) {
            if let Some(value) = value.strip_prefix('=') {
                return Some(value.trim().trim_matches(|c| c == '"' || c == '\''));
            }
        }
    }
    None
}

/// The `path`s of a manifest's `[[test]]`, `[[bench]]` and `[[example]]`
/// tables, read line by line: a `mod.rs`, `main.rs` or `lib.rs` target gives
/// its folder (its modules sit there), another file gives itself.
fn non_application_targets(manifest: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut in_target = false;
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            in_target = matches!(line, "[[test]]" | "[[bench]]" | "[[example]]");
            continue;
        }
        if !in_target {
            continue;
        }
        let Some(value) = line
            .strip_prefix("path")
            .map(str::trim_start)
            .and_then(|v| v.strip_prefix('='))
        else {
            continue;
        };
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
        let path = Path::new(value);
        if path.is_absolute() || value.is_empty() || value.contains("..") {
            continue;
        }
        let roots_folder = path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "main.rs" || n == "lib.rs");
        match path.parent() {
            Some(dir) if roots_folder && !dir.as_os_str().is_empty() && dir != Path::new("src") => {
                out.push(dir.to_path_buf());
            }
            _ => out.push(path.to_path_buf()),
        }
    }
    out
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

    #[test]
    fn example_packages_and_framework_sources_are_not_applications() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[workspace]\nmembers = [\"app\", \"examples/todo\"]\n",
        );
        write("app/Cargo.toml", "[package]\nname = \"app\"\n");
        write("app/src/main.rs", "");
        write("examples/todo/Cargo.toml", "[package]\nname = \"todo\"\n");
        write("examples/todo/src/main.rs", "");
        write(
            "warp/Cargo.toml",
            "[package]\nname = \"warp\"\nversion = \"0.3\"\n",
        );
        write("warp/src/lib.rs", "");
        let mut layout = Layout::default();
        assert!(!layout.locate(&root.join("app/src/main.rs")).exempt);
        assert!(
            layout
                .locate(&root.join("examples/todo/src/main.rs"))
                .exempt
        );
        assert!(layout.locate(&root.join("warp/src/lib.rs")).exempt);
    }

    #[test]
    fn test_targets_declared_below_src_are_test_code() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "Cargo.toml",
            "[package]\nname = \"registry\"\n\n[[test]]\nname = \"integration\"\npath = \"src/tests/mod.rs\"\n\n[[bench]]\nname = \"b\"\npath = \"src/bench_main.rs\"\n",
        );
        write("src/lib.rs", "");
        write("src/tests/mod.rs", "");
        write("src/tests/secret_scanning.rs", "");
        write("src/bench_main.rs", "");
        write("src/routes.rs", "");
        let mut layout = Layout::default();
        assert!(
            layout
                .locate(&root.join("src/tests/secret_scanning.rs"))
                .exempt
        );
        assert!(layout.locate(&root.join("src/bench_main.rs")).exempt);
        assert!(!layout.locate(&root.join("src/routes.rs")).exempt);
        assert!(!layout.locate(&root.join("src/lib.rs")).exempt);
        assert_eq!(
            non_application_targets(
                "[[bin]]\npath = \"src/tool/main.rs\"\n[[test]]\npath = \"src/main.rs\"\n"
            ),
            vec![PathBuf::from("src/main.rs")]
        );
    }

    #[test]
    fn package_names_come_from_the_package_table() {
        assert_eq!(
            package_name("[dependencies]\nname = \"x\"\n[package]\nname = \"axum\"\n"),
            Some("axum")
        );
        assert_eq!(package_name("[workspace]\n"), None);
    }
}
