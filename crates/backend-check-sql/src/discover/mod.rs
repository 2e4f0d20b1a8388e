//! Migration sets: which `.sql` files are migrations, how they group into
//! sets, in which order they run, and which up and down scripts belong together.
//!
//! Discovery works in two steps. [`classify`] looks at names only and decides
//! which paths are migration files (so files of no layout are never read);
//! [`build_sets`] then groups the loaded files into [`MigrationSet`]s, each
//! layout in its own file under [`layouts`]. It needs the text only to
//! recognise dbmate files by their `-- migrate:up` marker.

mod cargo_features;
mod content;
mod dialect;
pub(crate) mod layouts;
mod name;
pub mod transaction;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{FileSystem, SourceFile, Sources, SqlDialect};

/// Re-exported for callers that read a set's dialect source and transaction modes.
pub use crate::model::{DialectSource, Transaction};
pub use dialect::Target;
pub(crate) use name::NameShape;

use crate::model::{Layout, MigrationSet};
use name::Form;

/// What discovery needs besides the files.
#[derive(Debug, Clone)]
pub struct DiscoverOptions<'s> {
    /// Where files beside the migrations (`Cargo.toml`, diesel's
    /// `metadata.toml`) are read from.
    pub sources: &'s dyn Sources,
    /// The repository root; dialects are inferred from paths below it.
    pub root: PathBuf,
    /// The configured dialect of every set (`sql.dialect`).
    pub dialect: Option<SqlDialect>,
    /// Configured migration folders (`sql.migrations`), relative to the root.
    pub migration_dirs: Vec<PathBuf>,
    /// Files the user named explicitly.
    pub explicit: Vec<PathBuf>,
    /// The oldest PostgreSQL major version the migrations must run on.
    pub postgres_version: Option<u32>,
    /// The columns every table must have for auditing.
    pub audit_columns: Vec<String>,
}

impl Default for DiscoverOptions<'static> {
    /// No configuration, reading from disk.
    fn default() -> DiscoverOptions<'static> {
        DiscoverOptions {
            sources: &FileSystem,
            root: PathBuf::new(),
            dialect: None,
            migration_dirs: Vec::new(),
            explicit: Vec::new(),
            postgres_version: None,
            audit_columns: Vec::new(),
        }
    }
}

impl DiscoverOptions<'_> {
    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// Whether the user named this file.
    pub fn is_explicit(&self, path: &Path) -> bool {
        self.explicit
            .iter()
            .any(|e| e == path || same_file(self.sources, e, path))
    }

    /// Whether a folder may hold `<version>_<name>.sql` migrations: its path
    /// mentions migrations, or it is configured as a migration folder.
    fn is_migration_dir(&self, dir: &Path) -> bool {
        let relative = self.relative(dir);
        let named = relative.components().any(|c| {
            c.as_os_str()
                .to_str()
                .is_some_and(|s| s.to_ascii_lowercase().contains("migrat"))
        });
        named
            || self
                .migration_dirs
                .iter()
                .any(|d| relative.starts_with(self.relative(d)) || dir.starts_with(d))
    }
}

fn same_file(sources: &dyn Sources, a: &Path, b: &Path) -> bool {
    a.file_name() == b.file_name()
        && matches!((sources.canonicalize(a), sources.canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// A path that discovery keeps, with its name shape (`None`: a loose file the
/// user named).
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The path.
    pub path: PathBuf,
    pub(crate) shape: Option<NameShape>,
}

/// Picks the migration files among `paths` by name. Files of no layout are
/// dropped unless named explicitly; `<version>_<name>.sql` files count only in
/// a folder whose path mentions migrations (or a configured one), so that
/// `queries/1_users.sql` is not taken for a migration.
pub fn classify(paths: &[PathBuf], options: &DiscoverOptions) -> Vec<Candidate> {
    paths
        .iter()
        .filter_map(|path| {
            let explicit = options.is_explicit(path);
            let shape = name::classify(path).filter(|shape| {
                shape.form != Form::Plain
                    || explicit
                    || path.parent().is_some_and(|d| options.is_migration_dir(d))
            });
            (shape.is_some() || explicit).then(|| Candidate {
                path: path.clone(),
                shape,
            })
        })
        .collect()
}

/// A candidate with its text loaded.
#[derive(Debug, Clone)]
pub struct LoadedCandidate {
    /// The classified path.
    pub candidate: Candidate,
    /// Its text.
    pub file: Arc<SourceFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Family {
    Numbered,
    Diesel,
    Flyway,
    Loose(PathBuf),
}

/// Groups loaded migration files into ordered sets with paired scripts.
pub fn build_sets(files: Vec<LoadedCandidate>, options: &DiscoverOptions) -> Vec<MigrationSet> {
    let mut groups: BTreeMap<(PathBuf, Family), Vec<LoadedCandidate>> = BTreeMap::new();
    for loaded in files {
        let key = group_key(&loaded.candidate);
        groups.entry(key).or_default().push(loaded);
    }
    let mut sets = Vec::new();
    for ((dir, family), members) in groups {
        match family {
            Family::Numbered => sets.extend(layouts::numbered::sets(&dir, members, options)),
            Family::Diesel => sets.push(layouts::diesel::set(dir, members, options)),
            Family::Flyway => sets.push(layouts::flyway::set(dir, members, options)),
            Family::Loose(_) => {
                sets.extend(members.into_iter().map(|m| layouts::loose::set(m, options)));
            }
        }
    }
    for set in &mut sets {
        if set.layout == Layout::Diesel {
            set.migrations.sort_by(|a, b| {
                (layouts::diesel::order(&a.version), a.kind, &a.name).cmp(&(
                    layouts::diesel::order(&b.version),
                    b.kind,
                    &b.name,
                ))
            });
        } else {
            set.migrations
                .sort_by(|a, b| (&a.version, a.kind, &a.name).cmp(&(&b.version, b.kind, &b.name)));
        }
    }
    refine_defaults(options.sources, &mut sets);
    assign_transactions(options.sources, &mut sets);
    for set in &mut sets {
        set.postgres_version = options.postgres_version;
        set.audit_columns.clone_from(&options.audit_columns);
    }
    sets
}

/// Sets each script's transaction mode from its layout, markers and metadata
/// (dbmate and goose sections got theirs when split).
fn assign_transactions(sources: &dyn Sources, sets: &mut [MigrationSet]) {
    let mut cargo = cargo_features::CargoLookup::new(sources);
    for set in sets.iter_mut() {
        if set.layout == Layout::Flyway && cargo.depends_on(&set.dir, "refinery") {
            set.layout = Layout::Refinery;
        }
        // `<n>_<name>.up.sql` with short versions is golang-migrate's naming, and
        // sqlx's too: in a crate that depends on sqlx (quickwit's metastore,
        // `sqlx::migrate!("migrations/postgresql")`), sqlx runs them, each in a
        // transaction.
        if set.layout == Layout::GolangMigrate && cargo.depends_on(&set.dir, "sqlx") {
            set.layout = Layout::Sqlx;
        }
        let layout = set.layout;
        for migration in &mut set.migrations {
            let metadata = migration.diesel_metadata.clone();
            for script in migration.scripts_mut() {
                if matches!(layout, Layout::Dbmate | Layout::Goose) {
                    continue;
                }
                script.transaction = transaction::initial(
                    layout,
                    script.text(),
                    script.autocommit,
                    metadata.as_deref(),
                    sources,
                );
            }
        }
    }
}

fn group_key(candidate: &Candidate) -> (PathBuf, Family) {
    let parent = candidate
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    match candidate.shape.as_ref().map(|s| &s.form) {
        None => (parent, Family::Loose(candidate.path.clone())),
        Some(Form::Diesel { .. }) => (
            parent.parent().map(Path::to_path_buf).unwrap_or_default(),
            Family::Diesel,
        ),
        Some(Form::Flyway { .. }) => (parent, Family::Flyway),
        Some(Form::Plain | Form::Reversible { .. }) => (parent, Family::Numbered),
    }
}

/// A target and why it was chosen.
type Chosen = (Target, DialectSource);

/// The target of a set by configuration, then the folder path, then a hint
/// (a pop tag or a file name), else PostgreSQL by default (which
/// [`refine_defaults`] may still replace).
fn target_for(dir: &Path, hint: Option<Target>, options: &DiscoverOptions) -> Chosen {
    if let Some(dialect) = options.dialect {
        return (Target::dialect(dialect), DialectSource::Config);
    }
    match dialect::target_of_dir(options.relative(dir)).or(hint) {
        Some(target) => (target, DialectSource::Path),
        None => default_target(),
    }
}

fn default_target() -> Chosen {
    (
        Target::dialect(SqlDialect::Postgres),
        DialectSource::Default,
    )
}

/// Sets whose dialect nothing named get it from the backend features in the
/// nearest `Cargo.toml`, else from syntax in their files.
fn refine_defaults(sources: &dyn Sources, sets: &mut [MigrationSet]) {
    let mut cargo = cargo_features::CargoLookup::new(sources);
    for set in sets
        .iter_mut()
        .filter(|s| s.dialect_source == DialectSource::Default)
    {
        let found = cargo
            .dialect_of(&set.dir)
            .map(|d| (d, DialectSource::CargoFeatures))
            .or_else(|| content_dialect(set).map(|d| (d, DialectSource::Content)));
        if let Some((dialect, source)) = found {
            set.dialect = dialect;
            set.engine = None;
            set.dialect_source = source;
        }
    }
    let sibling_targets: Vec<Option<Target>> =
        sets.iter().map(|s| sibling_target(s, sets)).collect();
    for (set, target) in sets.iter_mut().zip(sibling_targets) {
        if let Some(target) = target {
            set.dialect = target.dialect;
            set.engine = target.engine;
            set.dialect_source = DialectSource::Siblings;
        }
    }
}

/// For a set whose dialect nothing named: the target every other set in the
/// same parent folder has, when they agree and at least one of them shows it
/// in its content (or its crate's features); none when a sibling's folder name
/// names a database.
fn sibling_target(set: &MigrationSet, sets: &[MigrationSet]) -> Option<Target> {
    if set.dialect_source != DialectSource::Default {
        return None;
    }
    let parent = set.dir.parent()?;
    let siblings: Vec<&MigrationSet> = sets
        .iter()
        .filter(|s| s.dir != set.dir && s.dir.parent() == Some(parent))
        .collect();
    // Only what the siblings' own text or the crate says counts: folders
    // named per database (`migrations_mysql/` beside `migrations/`) mean the
    // unnamed one is for another database.
    let named: Vec<Target> = siblings
        .iter()
        .filter(|s| {
            matches!(
                s.dialect_source,
                DialectSource::Content | DialectSource::CargoFeatures
            )
        })
        .map(|s| Target {
            dialect: s.dialect,
            engine: s.engine,
        })
        .collect();
    let first = *named.first()?;
    let agree = siblings.iter().all(|s| {
        s.dialect_source == DialectSource::Default && s.dialect == SqlDialect::Postgres
            || (s.dialect == first.dialect && s.engine == first.engine)
    });
    (agree && named.iter().all(|t| *t == first)).then_some(first)
}

fn content_dialect(set: &MigrationSet) -> Option<SqlDialect> {
    let mut markers = content::Markers::default();
    for file in set.files() {
        markers.add(content::Markers::scan(file.text()));
    }
    markers.dialect()
}

fn file_name_hint(members: &[LoadedCandidate]) -> Option<Target> {
    members.iter().find_map(|m| {
        let name = m.candidate.path.file_name()?.to_str()?;
        dialect::target_of_file_name(name)
    })
}

#[cfg(test)]
mod tests;
