//! Migration sets: which `.sql` files are migrations, how they group into
//! sets, in which order they run, and which up and down scripts belong together.
//!
//! Discovery works in two steps. [`classify`] looks at names only and decides
//! which paths are migration files (so files of no layout are never read);
//! [`build_sets`] then groups the loaded files into [`MigrationSet`]s. It needs
//! the text only to recognise dbmate files by their `-- migrate:up` marker.

mod cargo_features;
mod content;
mod dbmate;
mod dialect;
mod name;
pub mod transaction;
mod version;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use backend_check_core::{SourceFile, Span, SqlDialect};

pub use dialect::{DialectSource, Target};
pub(crate) use name::NameShape;
pub use transaction::Transaction;
pub use version::Version;

use crate::parse::Statement;
use name::Form;

/// The naming convention of a migration set, which is also the tool that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layout {
    /// sqlx: `<version>_<name>.sql` (up only) or `<version>_<name>.{up,down}.sql`.
    Sqlx,
    /// diesel: `<version>_<name>/{up,down}.sql`, version like `2019-03-22-170700`.
    Diesel,
    /// Flyway: `V<version>__<name>.sql`, undo `U…`, baseline `B…`, repeatable `R__…`.
    Flyway,
    /// refinery: Flyway's names in a crate that depends on `refinery`.
    Refinery,
    /// goose: `<version>_<name>.sql` holding `-- +goose Up` and `-- +goose Down` sections.
    Goose,
    /// golang-migrate: `<version>_<name>.{up,down}.sql` with short sequential versions.
    GolangMigrate,
    /// dbmate: `<version>_<name>.sql` holding `-- migrate:up` and `-- migrate:down` sections.
    Dbmate,
    /// gobuffalo pop: `<version>_<name>[.<dialect>][.autocommit].{up,down}.sql`
    /// (recognised by a dialect tag, `.autocommit`, or popx's 20-digit versions).
    Pop,
    /// A file of no known layout that the user named explicitly: one up migration.
    Loose,
}

impl Layout {
    /// A short lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Sqlx => "sqlx",
            Layout::Diesel => "diesel",
            Layout::Flyway => "flyway",
            Layout::Refinery => "refinery",
            Layout::Goose => "goose",
            Layout::GolangMigrate => "golang-migrate",
            Layout::Dbmate => "dbmate",
            Layout::Pop => "pop",
            Layout::Loose => "loose",
        }
    }
}

/// Whether a script applies a migration or reverts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    /// Applies the migration.
    Up,
    /// Reverts it.
    Down,
}

/// What kind of step a migration is in its set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MigrationKind {
    /// An ordinary versioned migration.
    Versioned,
    /// A Flyway baseline (`B…`): the whole schema as of its version, run on an
    /// empty database instead of the versioned migrations up to that version.
    Baseline,
    /// A Flyway repeatable migration (`R__…`): no version, re-run when changed.
    Repeatable,
}

/// One script of a migration: a whole file, or a section of a dbmate file.
#[derive(Debug)]
pub struct Script {
    /// The file that holds the script.
    pub file: Arc<SourceFile>,
    /// The bytes of the file that form the script (the whole file except for dbmate).
    pub section: Span,
    /// Up or down.
    pub direction: Direction,
    /// Whether the file is a pop `.autocommit` file.
    pub autocommit: bool,
    /// Whether the migration tool wraps the script in a transaction.
    pub transaction: Transaction,
    /// The statements, in order; empty until [`crate::parse::parse_set`] ran.
    pub statements: Vec<Statement>,
}

impl Script {
    fn whole(file: Arc<SourceFile>, direction: Direction, autocommit: bool) -> Script {
        let section = Span::new(0, file.text().len());
        Script {
            file,
            section,
            direction,
            autocommit,
            transaction: Transaction::Wrapped,
            statements: Vec::new(),
        }
    }

    /// The text of the script.
    pub fn text(&self) -> &str {
        self.file.slice(self.section)
    }
}

/// One migration: its version, name and up and down scripts.
#[derive(Debug)]
pub struct Migration {
    /// The version; empty for repeatable and loose migrations.
    pub version: Version,
    /// The name (description) from the file or folder name.
    pub name: String,
    /// Versioned, baseline or repeatable.
    pub kind: MigrationKind,
    /// The script that applies the migration.
    pub up: Option<Script>,
    /// The script that reverts it.
    pub down: Option<Script>,
    /// diesel's `metadata.toml` beside `up.sql`, when there is one (it can turn
    /// off the transaction around the migration).
    pub diesel_metadata: Option<PathBuf>,
}

impl Migration {
    fn new(version: Version, name: String, kind: MigrationKind) -> Migration {
        Migration {
            version,
            name,
            kind,
            up: None,
            down: None,
            diesel_metadata: None,
        }
    }

    /// The up and down scripts that exist.
    pub fn scripts(&self) -> impl Iterator<Item = &Script> {
        self.up.iter().chain(self.down.iter())
    }

    /// The up and down scripts that exist, mutably.
    pub fn scripts_mut(&mut self) -> impl Iterator<Item = &mut Script> {
        self.up.iter_mut().chain(self.down.iter_mut())
    }

    /// The script of a direction.
    pub fn script(&self, direction: Direction) -> Option<&Script> {
        match direction {
            Direction::Up => self.up.as_ref(),
            Direction::Down => self.down.as_ref(),
        }
    }

    fn slot(&mut self, direction: Direction) -> &mut Option<Script> {
        match direction {
            Direction::Up => &mut self.up,
            Direction::Down => &mut self.down,
        }
    }
}

/// The migrations of one folder (diesel: the folder holding the version
/// folders), in the order the tool applies them.
#[derive(Debug)]
pub struct MigrationSet {
    /// The folder.
    pub dir: PathBuf,
    /// The naming convention.
    pub layout: Layout,
    /// The dialect the set is parsed with.
    pub dialect: SqlDialect,
    /// Another database engine the set targets while being parsed as `dialect`
    /// (`cockroachdb`, `h2`, `mssql`); `None` for the dialect's own database.
    pub engine: Option<&'static str>,
    /// Why the set has its dialect.
    pub dialect_source: DialectSource,
    /// The oldest PostgreSQL major version the set must run on (`sql.postgres-version`).
    pub postgres_version: Option<u32>,
    /// The columns every table must have for auditing (`sql.audit-columns`).
    pub audit_columns: Vec<String>,
    /// The migrations, ordered by version.
    pub migrations: Vec<Migration>,
}

impl MigrationSet {
    /// Whether the set runs on PostgreSQL itself (not CockroachDB or H2),
    /// where PostgreSQL's locking rules hold.
    pub fn is_postgres(&self) -> bool {
        self.dialect == SqlDialect::Postgres && self.engine.is_none()
    }

    /// Whether the set runs on PostgreSQL older than `major` (only when the
    /// oldest supported version is configured).
    pub fn postgres_before(&self, major: u32) -> bool {
        self.postgres_version.is_some_and(|v| v < major)
    }

    /// Whether migrations `a` and `b` are parts of one change. popx (pop as ory
    /// uses it) splits one change into several migrations whose 20-digit
    /// versions share the 14-digit timestamp and whose names are equal; they
    /// run back to back, so a table one part creates is still new in the next.
    pub fn same_change(&self, a: usize, b: usize) -> bool {
        if self.layout != Layout::Pop {
            return a == b;
        }
        match (self.migrations.get(a), self.migrations.get(b)) {
            (Some(x), Some(y)) => {
                x.name == y.name
                    && x.version.as_str().len() == POPX_VERSION_LEN
                    && y.version.as_str().len() == POPX_VERSION_LEN
                    && x.version.as_str().get(..14) == y.version.as_str().get(..14)
            }
            _ => false,
        }
    }

    /// Every file of the set, once each.
    pub fn files(&self) -> Vec<&Arc<SourceFile>> {
        let mut seen = std::collections::HashSet::new();
        self.migrations
            .iter()
            .flat_map(Migration::scripts)
            .map(|script| &script.file)
            .filter(|file| seen.insert(Arc::as_ptr(file)))
            .collect()
    }
}

/// What discovery needs besides the files.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
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

impl DiscoverOptions {
    fn relative<'a>(&self, path: &'a Path) -> &'a Path {
        path.strip_prefix(&self.root).unwrap_or(path)
    }

    /// Whether the user named this file.
    pub fn is_explicit(&self, path: &Path) -> bool {
        self.explicit
            .iter()
            .any(|e| e == path || same_file(e, path))
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

fn same_file(a: &Path, b: &Path) -> bool {
    a.file_name() == b.file_name()
        && matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
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
            Family::Numbered => sets.extend(numbered_sets(&dir, members, options)),
            Family::Diesel => sets.push(diesel_set(dir, members, options)),
            Family::Flyway => sets.push(flyway_set(dir, members, options)),
            Family::Loose(_) => sets.extend(members.into_iter().map(|m| loose_set(m, options))),
        }
    }
    for set in &mut sets {
        if set.layout == Layout::Diesel {
            set.migrations.sort_by(|a, b| {
                (diesel_order(&a.version), a.kind, &a.name).cmp(&(
                    diesel_order(&b.version),
                    b.kind,
                    &b.name,
                ))
            });
        } else {
            set.migrations
                .sort_by(|a, b| (&a.version, a.kind, &a.name).cmp(&(&b.version, b.kind, &b.name)));
        }
    }
    refine_defaults(&mut sets);
    assign_transactions(&mut sets);
    for set in &mut sets {
        set.postgres_version = options.postgres_version;
        set.audit_columns.clone_from(&options.audit_columns);
    }
    sets
}

/// diesel orders migrations by the text of their version with the dashes
/// removed (`2024-03-13` is `20240313`, after `20240312093000` and before
/// `20240313170000`), not by number.
fn diesel_order(version: &Version) -> String {
    version.as_str().replace('-', "")
}

/// Sets each script's transaction mode from its layout, markers and metadata
/// (dbmate and goose sections got theirs when split).
fn assign_transactions(sets: &mut [MigrationSet]) {
    let mut cargo = cargo_features::CargoLookup::default();
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
fn refine_defaults(sets: &mut [MigrationSet]) {
    let mut cargo = cargo_features::CargoLookup::default();
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

fn new_set(dir: PathBuf, layout: Layout, (target, source): Chosen) -> MigrationSet {
    MigrationSet {
        dir,
        layout,
        dialect: target.dialect,
        engine: target.engine,
        dialect_source: source,
        postgres_version: None,
        audit_columns: Vec::new(),
        migrations: Vec::new(),
    }
}

fn shape(loaded: &LoadedCandidate) -> Option<&NameShape> {
    loaded.candidate.shape.as_ref()
}

fn numbered_sets(
    dir: &Path,
    members: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> Vec<MigrationSet> {
    let (plain, reversible): (Vec<_>, Vec<_>) = members
        .into_iter()
        .partition(|m| shape(m).is_some_and(|s| s.form == Form::Plain));
    let is_pop = reversible.iter().any(|m| {
        matches!(shape(m).map(|s| &s.form), Some(Form::Reversible { tag, autocommit, .. }) if tag.is_some() || *autocommit)
    }) || (!reversible.is_empty()
        && reversible
            .iter()
            .filter_map(shape)
            .all(|s| s.version.as_str().len() == POPX_VERSION_LEN));
    let is_dbmate = plain.iter().any(|m| dbmate::has_markers(m.file.text()));
    let is_goose = !is_dbmate
        && plain
            .iter()
            .any(|m| dbmate::has_goose_markers(m.file.text()));
    let mut sets = Vec::new();
    if is_pop {
        sets.extend(pop_sets(dir, reversible, options));
        if !plain.is_empty() {
            sets.push(plain_set(
                dir,
                plain,
                sectioned(is_dbmate, is_goose),
                options,
            ));
        }
        return sets;
    }
    let reversible_layout = if !plain.is_empty() && !is_dbmate && !is_goose {
        Layout::Sqlx
    } else {
        reversible_layout(&reversible)
    };
    let sections = sectioned(is_dbmate, is_goose);
    let mut plain_set = (!plain.is_empty()).then(|| plain_set(dir, plain, sections, options));
    if !reversible.is_empty() {
        match plain_set.as_mut().filter(|s| s.layout == reversible_layout) {
            Some(set) => add_reversible(&mut set.migrations, reversible),
            None => {
                let target = target_for(dir, file_name_hint(&reversible), options);
                let mut set = new_set(dir.to_path_buf(), reversible_layout, target);
                add_reversible(&mut set.migrations, reversible);
                sets.push(set);
            }
        }
    }
    sets.extend(plain_set);
    sets
}

/// popx versions: a 14-digit timestamp and a 6-digit part number.
const POPX_VERSION_LEN: usize = 20;

/// sqlx-cli names reversible migrations with a 14-digit timestamp;
/// golang-migrate with short sequence numbers (or Unix times).
fn reversible_layout(reversible: &[LoadedCandidate]) -> Layout {
    let timestamped = reversible
        .iter()
        .filter_map(shape)
        .all(|s| s.version.as_str().len() == 14);
    if timestamped {
        Layout::Sqlx
    } else {
        Layout::GolangMigrate
    }
}

/// How plain files split into up and down sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sectioned {
    /// One up script per file (sqlx).
    Whole,
    /// dbmate markers.
    Dbmate,
    /// goose markers.
    Goose,
}

fn sectioned(is_dbmate: bool, is_goose: bool) -> Sectioned {
    if is_dbmate {
        Sectioned::Dbmate
    } else if is_goose {
        Sectioned::Goose
    } else {
        Sectioned::Whole
    }
}

fn plain_set(
    dir: &Path,
    plain: Vec<LoadedCandidate>,
    sections: Sectioned,
    options: &DiscoverOptions,
) -> MigrationSet {
    let layout = match sections {
        Sectioned::Dbmate => Layout::Dbmate,
        Sectioned::Goose => Layout::Goose,
        Sectioned::Whole => Layout::Sqlx,
    };
    let target = target_for(dir, file_name_hint(&plain), options);
    let mut set = new_set(dir.to_path_buf(), layout, target);
    for loaded in plain {
        let Some(shape) = loaded.candidate.shape else {
            continue;
        };
        let mut migration = Migration::new(shape.version, shape.name, MigrationKind::Versioned);
        match sections {
            Sectioned::Whole => {
                migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
            }
            Sectioned::Dbmate | Sectioned::Goose => {
                add_sections(&mut migration, loaded.file, sections == Sectioned::Goose);
            }
        }
        set.migrations.push(migration);
    }
    set
}

/// Splits a dbmate or goose file into its up and down scripts, each with the
/// transaction mode its markers give.
fn add_sections(migration: &mut Migration, file: Arc<SourceFile>, goose: bool) {
    let split = if goose {
        dbmate::split_goose(file.text())
    } else {
        dbmate::split(file.text())
    };
    let Some(sections) = split else {
        migration.up = Some(Script::whole(file, Direction::Up, false));
        return;
    };
    let goose_out = goose && transaction::goose_opts_out(file.text());
    let script = |section: Span, direction, opts_out: bool| Script {
        file: Arc::clone(&file),
        section,
        direction,
        autocommit: false,
        transaction: match (opts_out, goose) {
            (false, _) => Transaction::Wrapped,
            (true, true) => Transaction::OptedOut {
                why: "the file has `-- +goose NO TRANSACTION`",
            },
            (true, false) => Transaction::OptedOut {
                why: "its `-- migrate:` marker says `transaction:false`",
            },
        },
        statements: Vec::new(),
    };
    migration.up = sections
        .up
        .map(|s| script(s, Direction::Up, sections.up_opts_out || goose_out));
    migration.down = sections
        .down
        .map(|s| script(s, Direction::Down, sections.down_opts_out || goose_out));
}

fn reversible_parts(loaded: &LoadedCandidate) -> Option<(Direction, Option<&str>, bool)> {
    match &shape(loaded)?.form {
        Form::Reversible {
            direction,
            tag,
            autocommit,
        } => Some((*direction, tag.as_deref(), *autocommit)),
        _ => None,
    }
}

/// Pairs `.up.sql` and `.down.sql` files by version and name.
fn add_reversible(migrations: &mut Vec<Migration>, files: Vec<LoadedCandidate>) {
    for loaded in files {
        let Some((direction, _, autocommit)) = reversible_parts(&loaded) else {
            continue;
        };
        let Some(shape) = loaded.candidate.shape.clone() else {
            continue;
        };
        let migration = find_or_add(migrations, &shape.version, &shape.name, |m| {
            m.script(direction).is_none()
        });
        *migration.slot(direction) = Some(Script::whole(loaded.file, direction, autocommit));
    }
}

/// The migration with this version and name whose slot is free, or a new one.
fn find_or_add<'a>(
    migrations: &'a mut Vec<Migration>,
    version: &Version,
    name: &str,
    free: impl Fn(&Migration) -> bool,
) -> &'a mut Migration {
    let found = migrations
        .iter()
        .position(|m| &m.version == version && m.name == name && free(m));
    let index = found.unwrap_or_else(|| {
        migrations.push(Migration::new(
            version.clone(),
            name.to_owned(),
            MigrationKind::Versioned,
        ));
        migrations.len() - 1
    });
    &mut migrations[index]
}

fn normalized_tag(tag: &str) -> &str {
    if tag == "sqlite" {
        "sqlite3"
    } else {
        tag
    }
}

/// pop: one set per dialect tag present, each with the tagged files of that
/// dialect plus the untagged ones, a tagged file replacing the untagged file
/// of the same migration. With a configured dialect only its set is built.
fn pop_sets(
    dir: &Path,
    files: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> Vec<MigrationSet> {
    let mut tags: Vec<&str> = files
        .iter()
        .filter_map(|f| reversible_parts(f).and_then(|(_, tag, _)| tag.map(normalized_tag)))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    if let Some(dialect) = options.dialect {
        tags.retain(|t| {
            dialect::target_of_word(t).is_some_and(|x| x.dialect == dialect && x.engine.is_none())
        });
    }
    let wanted: Vec<Option<&str>> = if tags.is_empty() {
        vec![None]
    } else {
        tags.into_iter().map(Some).collect()
    };
    wanted
        .into_iter()
        .map(|tag| pop_set(dir, &files, tag, options))
        .collect()
}

fn pop_set(
    dir: &Path,
    files: &[LoadedCandidate],
    tag: Option<&str>,
    options: &DiscoverOptions,
) -> MigrationSet {
    let hint = tag.and_then(dialect::target_of_word);
    let target = match (options.dialect, hint) {
        (None, Some(hint)) => (hint, DialectSource::Path),
        _ => target_for(dir, hint, options),
    };
    let mut set = new_set(dir.to_path_buf(), Layout::Pop, target);
    let mut chosen: BTreeMap<(Version, String, Direction), (bool, &LoadedCandidate)> =
        BTreeMap::new();
    for loaded in files {
        let (Some(shape), Some((direction, file_tag, _))) =
            (shape(loaded), reversible_parts(loaded))
        else {
            continue;
        };
        let specific = match file_tag.map(normalized_tag) {
            None => false,
            Some(t) if Some(t) == tag => true,
            Some(_) => continue,
        };
        let key = (shape.version.clone(), shape.name.clone(), direction);
        match chosen.get(&key) {
            Some((true, _)) if !specific => {}
            _ => {
                chosen.insert(key, (specific, loaded));
            }
        }
    }
    let picked: Vec<LoadedCandidate> = chosen.into_values().map(|(_, l)| l.clone()).collect();
    add_reversible(&mut set.migrations, picked);
    set
}

fn diesel_set(
    dir: PathBuf,
    members: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> MigrationSet {
    let target = target_for(&dir, None, options);
    let mut set = new_set(dir, Layout::Diesel, target);
    for loaded in members {
        let Some(shape) = loaded.candidate.shape.clone() else {
            continue;
        };
        let Form::Diesel { direction } = shape.form else {
            continue;
        };
        let metadata = loaded
            .candidate
            .path
            .parent()
            .map(|p| p.join("metadata.toml"))
            .filter(|p| p.is_file());
        let migration = find_or_add(&mut set.migrations, &shape.version, &shape.name, |m| {
            m.script(direction).is_none()
        });
        migration.diesel_metadata = migration.diesel_metadata.take().or(metadata);
        *migration.slot(direction) = Some(Script::whole(loaded.file, direction, false));
    }
    set
}

fn flyway_prefix(loaded: &LoadedCandidate) -> Option<char> {
    match shape(loaded)?.form {
        Form::Flyway { prefix } => Some(prefix),
        _ => None,
    }
}

/// Flyway: `V`, `B` and `R` files are migrations; a `U` file undoes the `V`
/// migration of its version, or, with no such `V`, is a refinery unversioned
/// migration (an up script).
fn flyway_set(
    dir: PathBuf,
    members: Vec<LoadedCandidate>,
    options: &DiscoverOptions,
) -> MigrationSet {
    let target = target_for(&dir, file_name_hint(&members), options);
    let mut set = new_set(dir, Layout::Flyway, target);
    let (undo, apply): (Vec<_>, Vec<_>) = members
        .into_iter()
        .partition(|m| flyway_prefix(m) == Some('U'));
    for loaded in apply {
        let (Some(prefix), Some(shape)) = (flyway_prefix(&loaded), loaded.candidate.shape.clone())
        else {
            continue;
        };
        let kind = match prefix {
            'B' => MigrationKind::Baseline,
            'R' => MigrationKind::Repeatable,
            _ => MigrationKind::Versioned,
        };
        let mut migration = Migration::new(shape.version, shape.name, kind);
        migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
        set.migrations.push(migration);
    }
    for loaded in undo {
        let Some(shape) = loaded.candidate.shape.clone() else {
            continue;
        };
        let target = set.migrations.iter_mut().find(|m| {
            m.kind == MigrationKind::Versioned && m.version == shape.version && m.down.is_none()
        });
        match target {
            Some(migration) => {
                migration.down = Some(Script::whole(loaded.file, Direction::Down, false));
            }
            None => {
                let mut migration =
                    Migration::new(shape.version, shape.name, MigrationKind::Versioned);
                migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
                set.migrations.push(migration);
            }
        }
    }
    set
}

fn loose_set(loaded: LoadedCandidate, options: &DiscoverOptions) -> MigrationSet {
    let path = &loaded.candidate.path;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let hint = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(dialect::target_of_file_name);
    let target = match options.dialect {
        Some(dialect) => (Target::dialect(dialect), DialectSource::Config),
        None => hint
            .or_else(|| dialect::target_of_dir(options.relative(&dir)))
            .map_or_else(default_target, |t| (t, DialectSource::Path)),
    };
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut set = new_set(dir, Layout::Loose, target);
    let mut migration = Migration::new(Version::none(), name, MigrationKind::Versioned);
    migration.up = Some(Script::whole(loaded.file, Direction::Up, false));
    set.migrations.push(migration);
    set
}

#[cfg(test)]
mod tests;
