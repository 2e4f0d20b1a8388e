//! The migration model: sets of ordered migrations, each with its up and
//! down scripts and their parsed statements. [`crate::discover`] builds it,
//! [`crate::parse`] fills in the statements, and the rules read it.

mod transaction;
mod version;

use std::path::PathBuf;
use std::sync::Arc;

use backend_check_core::{SourceFile, Span, SqlDialect};

pub use transaction::Transaction;
pub use version::Version;

use crate::parse::{CoverageCounts, Statement};

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
    /// The statements, in order; empty until [`Script::parse`] ran.
    pub statements: Vec<Statement>,
}

impl Script {
    pub(crate) fn whole(file: Arc<SourceFile>, direction: Direction, autocommit: bool) -> Script {
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

    /// Splits the script into statements and parses each one.
    pub fn parse(&self, dialect: SqlDialect) -> Vec<Statement> {
        crate::parse::parse_section(&self.file, self.section, dialect)
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
    pub(crate) fn new(version: Version, name: String, kind: MigrationKind) -> Migration {
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

    pub(crate) fn slot(&mut self, direction: Direction) -> &mut Option<Script> {
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

/// popx versions: a 14-digit timestamp and a 6-digit part number.
pub(crate) const POPX_VERSION_LEN: usize = 20;

/// Why a set has its dialect, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DialectSource {
    /// `sql.dialect` in the configuration.
    Config,
    /// A folder or file name of the set (`migrations/sqlite`, `…__MYSQL.sql`, a pop tag).
    Path,
    /// The sqlx or diesel backend features in the nearest `Cargo.toml`.
    CargoFeatures,
    /// Syntax in the set's files that only one database has (`AUTOINCREMENT`, `ENGINE=`, `JSONB`).
    Content,
    /// Nothing in the set itself, but every other migration folder beside it
    /// (same parent folder, e.g. one crate's `migrations/` and
    /// `record-migrations/`) has this dialect.
    Siblings,
    /// Nothing pointed anywhere: PostgreSQL.
    Default,
}

impl DialectSource {
    /// A short lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            DialectSource::Config => "config",
            DialectSource::Path => "path",
            DialectSource::CargoFeatures => "cargo-features",
            DialectSource::Content => "content",
            DialectSource::Siblings => "siblings",
            DialectSource::Default => "default",
        }
    }
}

impl CoverageCounts {
    /// Counts the statements of every script of `set`.
    pub fn of_set(set: &MigrationSet) -> CoverageCounts {
        let mut counts = CoverageCounts::default();
        for script in set.migrations.iter().flat_map(|m| m.scripts()) {
            counts += CoverageCounts::of_statements(&script.file, &script.statements);
        }
        counts
    }
}
