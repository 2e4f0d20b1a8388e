//! The dialect a crate's `Cargo.toml` names through the backend features of
//! its sqlx or diesel dependency.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{Sources, SqlDialect};
use toml::{Table, Value};

/// How many folders above a set's folder are searched for a `Cargo.toml`
/// (and above that crate for its workspace root).
const MAX_ANCESTORS: usize = 4;

/// Dependencies whose features name the database backend.
const DATABASE_CRATES: &[&str] = &[
    "sqlx",
    "sqlx-core",
    "sqlx-macros",
    "diesel",
    "diesel_migrations",
    "diesel-async",
];

/// Reads `Cargo.toml` files, each folder at most once.
#[derive(Debug)]
pub(crate) struct CargoLookup<'s> {
    sources: &'s dyn Sources,
    manifests: HashMap<PathBuf, Option<Arc<Table>>>,
}

impl Default for CargoLookup<'static> {
    fn default() -> CargoLookup<'static> {
        CargoLookup::new(&backend_check_core::FileSystem)
    }
}

impl<'s> CargoLookup<'s> {
    /// A lookup reading manifests from `sources`.
    pub(crate) fn new(sources: &'s dyn Sources) -> CargoLookup<'s> {
        CargoLookup {
            sources,
            manifests: HashMap::new(),
        }
    }

    /// The one dialect named by the features of the crate holding `dir`;
    /// `None` when there is no manifest, no database dependency, or several dialects.
    pub(crate) fn dialect_of(&mut self, dir: &Path) -> Option<SqlDialect> {
        let (crate_dir, manifest) = self.nearest(dir)?;
        let mut found = Vec::new();
        let inherits = collect_crate(&manifest, &mut found);
        if let Some(workspace) = workspace_table(&manifest) {
            collect_workspace(workspace, &mut found);
        } else if inherits {
            if let Some(root) = crate_dir.parent().and_then(|p| self.workspace_root(p)) {
                if let Some(workspace) = workspace_table(&root) {
                    collect_workspace_inherited(workspace, &inherits_of(&manifest), &mut found);
                }
            }
        }
        single(found)
    }

    /// Whether the crate holding `dir` (or its workspace) depends on `name`.
    pub(crate) fn depends_on(&mut self, dir: &Path, name: &str) -> bool {
        let Some((crate_dir, manifest)) = self.nearest(dir) else {
            return false;
        };
        let own = dependency_tables(&manifest)
            .iter()
            .any(|t| t.contains_key(name));
        own || crate_dir
            .parent()
            .and_then(|p| self.workspace_root(p))
            .and_then(|root| {
                let deps = workspace_table(&root)?.get("dependencies")?.as_table()?;
                Some(deps.contains_key(name))
            })
            .unwrap_or(false)
    }

    /// The nearest folder at or above `dir` that holds a readable manifest.
    fn nearest(&mut self, dir: &Path) -> Option<(PathBuf, Arc<Table>)> {
        dir.ancestors()
            .take(MAX_ANCESTORS + 1)
            .find_map(|d| self.manifest(d).map(|m| (d.to_path_buf(), m)))
    }

    fn workspace_root(&mut self, dir: &Path) -> Option<Arc<Table>> {
        dir.ancestors()
            .take(MAX_ANCESTORS)
            .find_map(|d| self.manifest(d).filter(|m| workspace_table(m).is_some()))
    }

    /// The parsed `Cargo.toml` of a folder; a missing or broken one is `None`.
    fn manifest(&mut self, dir: &Path) -> Option<Arc<Table>> {
        if let Some(cached) = self.manifests.get(dir) {
            return cached.clone();
        }
        let parsed = self
            .sources
            .read_to_string(&dir.join("Cargo.toml"))
            .ok()
            .and_then(|text| text.parse::<Table>().ok())
            .map(Arc::new);
        self.manifests.insert(dir.to_path_buf(), parsed.clone());
        parsed
    }
}

fn workspace_table(manifest: &Table) -> Option<&Table> {
    manifest.get("workspace")?.as_table()
}

/// The dependency tables of a crate: plain, dev, build and per-target ones.
fn dependency_tables(manifest: &Table) -> Vec<&Table> {
    const KINDS: [&str; 3] = ["dependencies", "dev-dependencies", "build-dependencies"];
    let own = KINDS.iter().filter_map(|k| manifest.get(*k)?.as_table());
    let targets = manifest
        .get("target")
        .and_then(Value::as_table)
        .into_iter()
        .flat_map(|t| t.values())
        .filter_map(Value::as_table)
        .flat_map(|t| KINDS.iter().filter_map(|k| t.get(*k)?.as_table()));
    own.chain(targets).collect()
}

/// The database dependencies of a table, by the crate they name.
fn database_deps(table: &Table) -> impl Iterator<Item = (&str, &Value)> {
    table.iter().filter_map(|(key, value)| {
        let package = value
            .get("package")
            .and_then(Value::as_str)
            .unwrap_or(key.as_str());
        is_database_crate(package).then_some((package, value))
    })
}

fn is_database_crate(name: &str) -> bool {
    DATABASE_CRATES.contains(&name) || dialect_of_crate_name(name).is_some()
}

/// `sqlx-postgres`, `sqlx-sqlite`, `sqlx-mysql`: a backend crate of its own.
fn dialect_of_crate_name(name: &str) -> Option<SqlDialect> {
    name.strip_prefix("sqlx-").and_then(dialect_of_feature)
}

/// Adds the dialects a crate's own dependencies and `[features]` name;
/// returns whether a database dependency is inherited from the workspace.
fn collect_crate(manifest: &Table, found: &mut Vec<SqlDialect>) -> bool {
    let mut inherits = false;
    for table in dependency_tables(manifest) {
        for (name, value) in database_deps(table) {
            inherits |= value.get("workspace").and_then(Value::as_bool) == Some(true);
            collect_dep(name, value, found);
        }
    }
    if let Some(features) = manifest.get("features").and_then(Value::as_table) {
        let enabled = features
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(Value::as_str);
        found.extend(enabled.filter_map(dialect_of_feature_reference));
    }
    inherits
}

/// The names of the database dependencies a crate inherits from its workspace.
fn inherits_of(manifest: &Table) -> Vec<String> {
    dependency_tables(manifest)
        .into_iter()
        .flat_map(|t| t.iter())
        .filter(|(_, v)| v.get("workspace").and_then(Value::as_bool) == Some(true))
        .map(|(k, _)| k.clone())
        .collect()
}

fn collect_workspace(workspace: &Table, found: &mut Vec<SqlDialect>) {
    if let Some(deps) = workspace.get("dependencies").and_then(Value::as_table) {
        for (name, value) in database_deps(deps) {
            collect_dep(name, value, found);
        }
    }
}

fn collect_workspace_inherited(workspace: &Table, names: &[String], found: &mut Vec<SqlDialect>) {
    let Some(deps) = workspace.get("dependencies").and_then(Value::as_table) else {
        return;
    };
    for name in names {
        if let Some(value) = deps.get(name) {
            let package = value
                .get("package")
                .and_then(Value::as_str)
                .unwrap_or(name.as_str());
            if is_database_crate(package) {
                collect_dep(package, value, found);
            }
        }
    }
}

fn collect_dep(name: &str, value: &Value, found: &mut Vec<SqlDialect>) {
    found.extend(dialect_of_crate_name(name));
    let features = value
        .get("features")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str);
    found.extend(features.filter_map(dialect_of_feature));
}

/// A `[features]` entry such as `sqlx/postgres`, `sqlx?/sqlite` or `dep:sqlx-mysql`.
fn dialect_of_feature_reference(reference: &str) -> Option<SqlDialect> {
    if let Some(dep) = reference.strip_prefix("dep:") {
        return dialect_of_crate_name(dep);
    }
    let (dep, feature) = reference.split_once('/')?;
    is_database_crate(dep.trim_end_matches('?'))
        .then(|| dialect_of_feature(feature))
        .flatten()
}

/// `postgres`, `sqlite-unbundled`, `mysql_backend`, `sqlx-postgres`, …
fn dialect_of_feature(feature: &str) -> Option<SqlDialect> {
    feature
        .split(['-', '_'])
        .find_map(|part| match part.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Some(SqlDialect::Postgres),
            "mysql" | "mariadb" => Some(SqlDialect::MySql),
            "sqlite" | "sqlite3" => Some(SqlDialect::Sqlite),
            _ => None,
        })
}

fn single(mut found: Vec<SqlDialect>) -> Option<SqlDialect> {
    found.dedup();
    let first = *found.first()?;
    found.iter().all(|d| *d == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn lookup(root: &Path, dir: &str) -> Option<SqlDialect> {
        CargoLookup::default().dialect_of(&root.join(dir))
    }

    #[test]
    fn an_inline_sqlite_feature_picks_sqlite() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "app/Cargo.toml",
            "[package]\nname = \"app\"\n[dependencies]\nsqlx = { version = \"0.8\", features = [\"runtime-tokio\", \"sqlite\"] }\n",
        );
        assert_eq!(
            lookup(tmp.path(), "app/migrations"),
            Some(SqlDialect::Sqlite)
        );
    }

    #[test]
    fn a_dependency_table_and_diesel_features_count() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "Cargo.toml",
            "[package]\nname = \"app\"\n[dependencies.diesel]\nversion = \"2\"\nfeatures = [\"mysql\", \"chrono\"]\n",
        );
        assert_eq!(lookup(tmp.path(), "migrations"), Some(SqlDialect::MySql));
    }

    #[test]
    fn workspace_inherited_features_are_merged() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/*\"]\n[workspace.dependencies]\nsqlx = { version = \"0.8\", features = [\"sqlite\", \"macros\"] }\n",
        );
        write(
            tmp.path(),
            "crates/store/Cargo.toml",
            "[package]\nname = \"store\"\n[dependencies]\nsqlx = { workspace = true, features = [\"chrono\"] }\n",
        );
        assert_eq!(
            lookup(tmp.path(), "crates/store/migrations"),
            Some(SqlDialect::Sqlite)
        );
    }

    #[test]
    fn a_backend_crate_and_feature_references_count() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "Cargo.toml",
            "[package]\nname = \"a\"\n[dependencies]\nsqlx-postgres = \"0.8\"\n",
        );
        assert_eq!(lookup(tmp.path(), "migrations"), Some(SqlDialect::Postgres));
        write(
            tmp.path(),
            "b/Cargo.toml",
            "[package]\nname = \"b\"\n[dependencies]\nsqlx = { version = \"0.8\", optional = true }\n[features]\ndefault = [\"sqlx?/mysql\"]\n",
        );
        assert_eq!(lookup(tmp.path(), "b/migrations"), Some(SqlDialect::MySql));
    }

    #[test]
    fn several_backends_or_none_leave_it_undecided() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "Cargo.toml",
            "[package]\nname = \"a\"\n[dependencies]\nsqlx = { version = \"0.8\", features = [\"postgres\", \"sqlite\"] }\n",
        );
        assert_eq!(lookup(tmp.path(), "migrations"), None);
        write(
            tmp.path(),
            "b/Cargo.toml",
            "[package]\nname = \"b\"\n[dependencies]\nserde = \"1\"\n",
        );
        assert_eq!(lookup(tmp.path(), "b/migrations"), None);
    }

    #[test]
    fn a_broken_manifest_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "Cargo.toml", "[package\nname = ");
        assert_eq!(lookup(tmp.path(), "migrations"), None);
    }

    #[test]
    fn manifests_are_read_once_per_folder() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "Cargo.toml",
            "[dependencies]\nsqlx = { version = \"0.8\", features = [\"sqlite\"] }\n",
        );
        let mut cargo = CargoLookup::default();
        assert_eq!(
            cargo.dialect_of(&tmp.path().join("migrations")),
            Some(SqlDialect::Sqlite)
        );
        std::fs::remove_file(tmp.path().join("Cargo.toml")).unwrap();
        assert_eq!(
            cargo.dialect_of(&tmp.path().join("migrations")),
            Some(SqlDialect::Sqlite)
        );
    }
}
