//! Configuration: `backend-check.toml`, or `[workspace.metadata.backend-check]`
//! / `[package.metadata.backend-check]` in `Cargo.toml`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use miette::{LabeledSpan, NamedSource};
use serde::{Deserialize, Deserializer};
use toml::Spanned;

use crate::{FailOn, Severity, Sources};

/// The name of the dedicated configuration file.
pub const CONFIG_FILE_NAME: &str = "backend-check.toml";

/// The SQL dialect of a migration set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SqlDialect {
    /// PostgreSQL (the default).
    #[default]
    Postgres,
    /// MySQL / MariaDB.
    MySql,
    /// SQLite.
    Sqlite,
}

impl SqlDialect {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            SqlDialect::Postgres => "postgres",
            SqlDialect::MySql => "mysql",
            SqlDialect::Sqlite => "sqlite",
        }
    }
}

impl FromStr for SqlDialect {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(SqlDialect::Postgres),
            "mysql" | "mariadb" => Ok(SqlDialect::MySql),
            "sqlite" | "sqlite3" => Ok(SqlDialect::Sqlite),
            other => Err(format!(
                "unknown SQL dialect `{other}`, expected `postgres`, `mysql` or `sqlite`"
            )),
        }
    }
}

macro_rules! deserialize_from_str {
    ($($ty:ty),*) => {$(
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

/// How a project applies its migrations (`sql.deploy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum DeployMode {
    /// Read from the project's own migrations (the default): online, unless a
    /// long history never uses an online technique (`CONCURRENTLY`, `NOT
    /// VALID`, `lock_timeout`, MySQL's `ALGORITHM`/`LOCK`), in which case the
    /// lock rules that ask for one are counted in a summary, not listed.
    #[default]
    Auto,
    /// Migrations run while the previous release keeps serving: locks, table
    /// rewrites and renames matter, whatever the history shows.
    Online,
    /// The application is stopped, migrated and started again: nothing runs
    /// beside a migration, so the zero-downtime rules do not apply.
    Offline,
}

impl DeployMode {
    /// The canonical name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeployMode::Auto => "auto",
            DeployMode::Online => "online",
            DeployMode::Offline => "offline",
        }
    }
}

impl FromStr for DeployMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(DeployMode::Auto),
            "online" => Ok(DeployMode::Online),
            "offline" => Ok(DeployMode::Offline),
            other => Err(format!(
                "unknown deploy mode `{other}`, expected `auto` (read from the migrations; the default), `online` (migrations run while the previous release serves) or `offline` (stop, migrate, start)"
            )),
        }
    }
}

deserialize_from_str!(Severity, FailOn, SqlDialect, DeployMode);

/// The default number of newest migrations per set whose lock, rewrite and
/// rollback findings are listed (`sql.recent`).
pub const DEFAULT_RECENT_MIGRATIONS: usize = 10;

/// OpenAPI settings.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct OpenApiConfig {
    /// Documents to check; when empty, documents are found by content.
    pub paths: Vec<Spanned<String>>,
}

/// SQL migration settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct SqlConfig {
    /// Migration folders; when empty, migration sets are found by layout.
    pub migrations: Vec<Spanned<String>>,
    /// The dialect of every migration set; inferred when absent.
    pub dialect: Option<SqlDialect>,
    /// The oldest PostgreSQL major version the migrations must run on (e.g. `10`);
    /// when absent, a current version (PostgreSQL 12 or later) is assumed.
    pub postgres_version: Option<u32>,
    /// The columns every table must have for auditing (`sec.audit`).
    pub audit_columns: Vec<String>,
    /// How migrations are applied: `auto` (the default: online unless a long
    /// history never uses an online technique), `online`, or `offline`, which
    /// turns off the rules that only matter while the previous release runs.
    pub deploy: DeployMode,
    /// The oldest migration version not yet applied everywhere: migrations
    /// before it have run, so their lock, rewrite and rollback findings are
    /// dropped (strong_migrations' `start_after`).
    pub since: Option<String>,
    /// Without `since`: how many of the newest migrations of a set get lock,
    /// rewrite and rollback findings; those of older migrations are counted in
    /// one summary per set (SQL080). `0` lists every finding.
    pub recent: usize,
}

impl Default for SqlConfig {
    fn default() -> Self {
        SqlConfig {
            migrations: Vec::new(),
            dialect: None,
            postgres_version: None,
            audit_columns: strings(&["created_at", "updated_at"]),
            deploy: DeployMode::Auto,
            since: None,
            recent: DEFAULT_RECENT_MIGRATIONS,
        }
    }
}

/// Rust source settings. Name patterns are `Prefix*`, `*Suffix`, `*part*` or
/// exact names, matched ignoring ASCII case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct RustConfig {
    /// Source folders or files; when empty, every `.rs` file is read.
    pub paths: Vec<Spanned<String>>,
    /// Extractor types that authenticate the caller (`AuthUser`, `Claims`).
    pub auth_extractors: Vec<String>,
    /// Identifiers in `layer(…)` / `route_layer(…)` / `wrap(…)` arguments that
    /// make a router branch authenticated.
    pub auth_middleware: Vec<String>,
    /// Extractor wrappers that validate their content (`Validated*`).
    pub validating_wrappers: Vec<String>,
    /// Types of database handles (`PgPool`, `DatabaseConnection`).
    pub db_handles: Vec<String>,
    /// Identifiers of rate-limiting middleware (`GovernorLayer`).
    pub rate_limiters: Vec<String>,
    /// Route paths that are public by design (`/health*`, `*login*`).
    pub public_paths: Vec<String>,
    /// Module names (any segment of a module path) that make up a data-access
    /// layer (`*repo*`, `db`, `*service*`).
    pub repository_modules: Vec<String>,
    /// The most branches (`if`, `else if`, `match` and its deciding arms, loops,
    /// `&&`/`||`) a handler may have before it counts as business logic.
    pub max_handler_branches: usize,
    /// The most statements a handler body may have (nested blocks included).
    pub max_handler_statements: usize,
    /// The deepest nesting of `if`/`match`/loop blocks a handler may have.
    pub max_handler_nesting: usize,
    /// The most arithmetic operations (`+ - * / %` and their compound
    /// assignments) a handler may compute inline.
    pub max_handler_arithmetic: usize,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

impl Default for RustConfig {
    fn default() -> Self {
        RustConfig {
            paths: Vec::new(),
            auth_extractors: strings(&[
                "Auth*",
                "*Auth",
                "*User",
                "Claims",
                "*Claims",
                "Session",
                "*Session",
                "*Session*",
                "*Token",
                "Identity",
                "ApiKey",
                "BearerAuth",
                "BasicAuth",
                "Jwt*",
                "*Jwt",
                "*UserId",
                "*UserView",
                "AdminToken",
                "*Guard",
                "*Headers*",
            ]),
            auth_middleware: strings(&["*auth*", "*jwt*", "*session*", "*login*", "*bearer*"]),
            validating_wrappers: strings(&["Valid*", "Validated*", "Garde"]),
            db_handles: strings(&[
                "PgPool",
                "MySqlPool",
                "SqlitePool",
                "AnyPool",
                "Pool",
                "DbPool",
                "DbConn",
                "DatabaseConnection",
                "Connection",
                "PgConnection",
                "*Pool",
            ]),
            rate_limiters: strings(&[
                "Governor*",
                "*governor*",
                "*ratelimit*",
                "*RateLimit*",
                "*rate_limit*",
                "*Throttle*",
                "*limiter*",
            ]),
            public_paths: strings(&[
                "/",
                "*health*",
                "*metrics*",
                "*login*",
                "*signin*",
                "*sign_in*",
                "*signup*",
                "*sign_up*",
                "*register*",
                "*webhook*",
                "*inbox*",
                "*status*",
                "*ping*",
                "*version*",
                "*/public/*",
                "*static*",
                "*docs*",
                "*openapi*",
                "*swagger*",
                "*callback*",
                "*token*",
                "*password/reset*",
                "*verify*",
                "*confirm*",
            ]),
            repository_modules: strings(&[
                "*repo",
                "*repos",
                "*repository",
                "*repositories",
                "*dao",
                "*store",
                "*storage",
                "*persistence",
                "db",
                "db_*",
                "*_db",
                "*_db_*",
                "database",
                "*_database",
                "*queries",
                "*service",
                "*services",
            ]),
            max_handler_branches: 15,
            max_handler_statements: 60,
            max_handler_nesting: 4,
            max_handler_arithmetic: 8,
        }
    }
}

/// The whole configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case", default)]
pub struct Config {
    /// Rules to run: codes, code prefixes, names, checklist ids or areas, groups.
    pub select: Option<Vec<Spanned<String>>>,
    /// Rules to run besides the selected (or default) ones.
    pub extend_select: Vec<Spanned<String>>,
    /// Rules not to run.
    pub ignore: Vec<Spanned<String>>,
    /// Severity per rule (code or name).
    pub severity: BTreeMap<String, Spanned<Severity>>,
    /// The lowest severity that fails the run.
    pub fail_on: Option<FailOn>,
    /// Globs of paths not to check.
    pub exclude: Vec<Spanned<String>>,
    /// Rules ignored under given globs.
    pub per_path_ignores: BTreeMap<String, Vec<Spanned<String>>>,
    /// OpenAPI settings.
    pub openapi: OpenApiConfig,
    /// SQL settings.
    pub sql: SqlConfig,
    /// Rust settings.
    pub rust: RustConfig,
}

#[derive(Deserialize, Default)]
struct Manifest {
    #[serde(default)]
    workspace: Option<MetadataHolder>,
    #[serde(default)]
    package: Option<MetadataHolder>,
}

#[derive(Deserialize, Default)]
struct MetadataHolder {
    #[serde(default)]
    metadata: Option<Metadata>,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(default, rename = "backend-check")]
    backend_check: Option<Config>,
}

/// A configuration and the file it came from.
#[derive(Debug, Default)]
pub struct LoadedConfig {
    /// The configuration.
    pub config: Config,
    /// The file it was read from, if any.
    pub source: Option<ConfigSource>,
}

/// The text of a configuration file, kept to render errors at their span.
#[derive(Debug, Clone)]
pub struct ConfigSource {
    /// The path as shown to the user.
    pub display: String,
    /// The folder paths and globs are relative to.
    pub base: PathBuf,
    /// The text.
    pub text: Arc<String>,
}

impl LoadedConfig {
    /// Finds the configuration for `root`: `backend-check.toml`, else the
    /// `backend-check` metadata table of `Cargo.toml`, else the defaults.
    pub fn discover(root: &Path) -> Result<LoadedConfig, ConfigError> {
        LoadedConfig::discover_in(&crate::FileSystem, root)
    }

    /// [`LoadedConfig::discover`], reading from `sources`.
    pub fn discover_in(sources: &dyn Sources, root: &Path) -> Result<LoadedConfig, ConfigError> {
        let dedicated = root.join(CONFIG_FILE_NAME);
        if sources.is_file(&dedicated) {
            return LoadedConfig::from_file_in(sources, &dedicated);
        }
        let manifest = root.join("Cargo.toml");
        if sources.is_file(&manifest) {
            let text = read(sources, &manifest)?;
            if text.contains("backend-check") {
                return LoadedConfig::from_manifest_text(&manifest, text);
            }
        }
        Ok(LoadedConfig::default())
    }

    /// Reads a configuration file named explicitly (`--config`). A file called
    /// `Cargo.toml` is read for its metadata table.
    pub fn from_file(path: &Path) -> Result<LoadedConfig, ConfigError> {
        LoadedConfig::from_file_in(&crate::FileSystem, path)
    }

    /// [`LoadedConfig::from_file`], reading from `sources`.
    pub fn from_file_in(sources: &dyn Sources, path: &Path) -> Result<LoadedConfig, ConfigError> {
        let text = read(sources, path)?;
        if path.file_name().is_some_and(|n| n == "Cargo.toml") {
            return LoadedConfig::from_manifest_text(path, text);
        }
        let source = ConfigSource::new(path, text);
        let config = source.parse::<Config>()?;
        Ok(LoadedConfig {
            config,
            source: Some(source),
        })
    }

    fn from_manifest_text(path: &Path, text: String) -> Result<LoadedConfig, ConfigError> {
        let source = ConfigSource::new(path, text);
        let manifest = source.parse::<Manifest>()?;
        let config = manifest
            .workspace
            .and_then(|w| w.metadata)
            .and_then(|m| m.backend_check)
            .or_else(|| {
                manifest
                    .package
                    .and_then(|p| p.metadata)
                    .and_then(|m| m.backend_check)
            });
        Ok(match config {
            Some(config) => LoadedConfig {
                config,
                source: Some(source),
            },
            None => LoadedConfig::default(),
        })
    }

    /// Checks that every configured path (`openapi.paths`, `sql.migrations`, `rust.paths`)
    /// exists, relative to the configuration file's folder; the first one that does not is
    /// an error at its span. A typo there would otherwise silently check nothing.
    pub fn check_paths(&self) -> Result<(), ConfigError> {
        self.check_paths_in(&crate::FileSystem)
    }

    /// [`LoadedConfig::check_paths`], looking in `sources`.
    pub fn check_paths_in(&self, sources: &dyn Sources) -> Result<(), ConfigError> {
        let Some(source) = &self.source else {
            return Ok(());
        };
        let configured = [
            ("openapi.paths", &self.config.openapi.paths),
            ("sql.migrations", &self.config.sql.migrations),
            ("rust.paths", &self.config.rust.paths),
        ];
        for (key, paths) in configured {
            for path in paths {
                let full = source.base.join(path.get_ref());
                if !sources.exists(&full) {
                    return Err(self
                        .error_at(
                            path.span(),
                            format!("`{key}` names `{}`, which does not exist", path.get_ref()),
                        )
                        .with_help(format!(
                            "paths are relative to the folder of {} ({})",
                            source.display,
                            crate::display_path(&source.base)
                        )));
                }
            }
        }
        Ok(())
    }

    /// An error at the span of a configuration value.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: String) -> ConfigError {
        ConfigError::new(message, self.source.clone(), Some(span), None)
    }
}

fn read(sources: &dyn Sources, path: &Path) -> Result<String, ConfigError> {
    sources.read_to_string(path).map_err(|e| {
        ConfigError::new(
            format!("cannot read configuration file {}: {e}", path.display()),
            None,
            None,
            None,
        )
    })
}

impl ConfigSource {
    fn new(path: &Path, text: String) -> ConfigSource {
        ConfigSource {
            display: crate::display_path(path),
            base: path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
            text: Arc::new(text),
        }
    }

    /// Deserializes the file, reporting every mistake rather than the first:
    /// after each error, the line it points at (a whole table, for a table
    /// header) is blanked with spaces, so later spans stay exact, and the file
    /// is read again, as long as what remains is still valid TOML.
    fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ConfigError> {
        const MOST: usize = 20;
        let mut text = self.text.as_str().to_owned();
        let mut errors: Vec<ConfigError> = Vec::new();
        let mut seen: Vec<std::ops::Range<usize>> = Vec::new();
        // A syntax error leaves nothing to read on from; every blanked text
        // below is checked before it is read again.
        let valid_toml = text.parse::<toml::Table>().is_ok();
        loop {
            let error = match toml::from_str::<T>(&text) {
                Ok(value) if errors.is_empty() => return Ok(value),
                Ok(_) => break,
                Err(error) => error,
            };
            let span = error.span();
            errors.push(self.toml_error(&error));
            let Some(span) = span else { break };
            if !valid_toml || errors.len() >= MOST || seen.contains(&span) {
                break;
            }
            seen.push(span.clone());
            let masked = blank_entry(&text, span.start);
            if masked == text || masked.parse::<toml::Table>().is_err() {
                break;
            }
            text = masked;
        }
        // In the order they appear in the file.
        errors.sort_by_key(|e| e.0.span.as_ref().map_or(usize::MAX, |s| s.start));
        let mut first = errors.remove(0);
        first.0.also = errors;
        Err(first)
    }

    fn toml_error(&self, error: &toml::de::Error) -> ConfigError {
        let message = error.message().trim_end();
        let help = unknown_key_suggestion(message).map_or_else(
            || "see the README for the configuration keys (select, extend-select, ignore, severity, fail-on, exclude, per-path-ignores, openapi, sql, rust)".to_owned(),
            |key| format!("did you mean `{key}`?"),
        );
        ConfigError::new(
            format!("invalid configuration: {message}"),
            Some(self.clone()),
            error.span(),
            Some(help),
        )
    }
}

/// `text` with the entry at byte `at` replaced by spaces: its line, or, when
/// that line is a table header (`[sqll]`), the whole table up to the next
/// header. Line breaks stay, so every other byte keeps its offset.
fn blank_entry(text: &str, at: usize) -> String {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut end = line_end(line_start);
    if text[line_start..end].trim_start().starts_with('[') {
        while end < text.len() {
            let next = end + 1;
            let next_end = line_end(next);
            if text[next..next_end].trim_start().starts_with('[') {
                break;
            }
            end = next_end;
        }
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..line_start]);
    out.extend(
        text[line_start..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' }),
    );
    out.push_str(&text[end..]);
    out
}

/// For serde's "unknown field `deploy-mode`, expected one of `since`, `deploy`,
/// …": the expected key the mistyped one most likely meant, by spelling or
/// because one starts with the other (`deploy-mode` → `deploy`).
fn unknown_key_suggestion(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (key, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|k| !k.is_empty())
        .collect();
    crate::suggest::closest(key, expected.iter().copied())
        .or_else(|| {
            expected
                .iter()
                .copied()
                .filter(|k| k.len() >= 4 && (key.starts_with(k) || k.starts_with(key)))
                .max_by_key(|k| k.len())
        })
        .map(str::to_owned)
}

/// A configuration that cannot be used; rendered by miette at its TOML span.
#[derive(Debug)]
pub struct ConfigError(Box<ConfigErrorInner>);

#[derive(Debug)]
struct ConfigErrorInner {
    message: String,
    source: Option<ConfigSource>,
    span: Option<std::ops::Range<usize>>,
    help: Option<String>,
    /// Further mistakes in the same file, in the order they were found.
    also: Vec<ConfigError>,
}

impl ConfigError {
    fn new(
        message: String,
        source: Option<ConfigSource>,
        span: Option<std::ops::Range<usize>>,
        help: Option<String>,
    ) -> ConfigError {
        ConfigError(Box::new(ConfigErrorInner {
            message,
            source,
            span,
            help,
            also: Vec::new(),
        }))
    }
}

impl ConfigError {
    /// An error that is not tied to a configuration file (a command-line value).
    pub fn plain(message: impl Into<String>) -> ConfigError {
        ConfigError::new(message.into(), None, None, None)
    }

    /// Adds a help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> ConfigError {
        self.0.help = Some(help.into());
        self
    }

    /// The miette report of this error (its source attached).
    pub fn report(&self) -> miette::Report {
        let this = &self.0;
        let mut labels = Vec::new();
        if let Some(span) = &this.span {
            labels.push(LabeledSpan::new_primary_with_span(
                Some("here".to_owned()),
                span.clone(),
            ));
        }
        let mut diagnostic = miette::MietteDiagnostic::new(this.message.clone())
            .with_code("backend-check::config")
            .with_labels(labels);
        if let Some(help) = &this.help {
            diagnostic = diagnostic.with_help(help.clone());
        }
        let report = miette::Report::new(diagnostic);
        match &this.source {
            Some(source) => report.with_source_code(NamedSource::new(
                source.display.clone(),
                source.text.as_str().to_owned(),
            )),
            None => report,
        }
    }

    /// The reports of this error and of the further mistakes found in the
    /// same file, in order.
    pub fn reports(&self) -> Vec<miette::Report> {
        std::iter::once(self.report())
            .chain(self.0.also.iter().map(ConfigError::report))
            .collect()
    }

    /// How many mistakes this error reports (itself and the further ones).
    pub fn count(&self) -> usize {
        1 + self.0.also.len()
    }

    /// The 1-based line and column of the error, when it has a span.
    pub fn location(&self) -> Option<(String, usize, usize)> {
        let source = self.0.source.as_ref()?;
        let span = self.0.span.as_ref()?;
        let file = crate::SourceFile::new(
            &source.display,
            source.display.clone(),
            source.text.as_str(),
            crate::CommentStyle::Hash,
        );
        let at = file.line_col(span.start);
        Some((source.display.clone(), at.line, at.column))
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn every_mistake_of_a_file_is_reported_in_file_order() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[sqll]\nsince = \"1\"\n[sql]\ndeploy-mode = \"offline\"\nrecent = \"x\"\n[openapi]\npaths = 3\n";
        write(dir.path(), CONFIG_FILE_NAME, text);
        let error = LoadedConfig::discover(dir.path()).unwrap_err();
        assert_eq!(error.count(), 4);
        let all: Vec<&ConfigError> = std::iter::once(&error).chain(error.0.also.iter()).collect();
        let lines: Vec<usize> = all.iter().map(|e| e.location().unwrap().1).collect();
        assert_eq!(lines, [1, 4, 5, 7]);
        assert!(
            all[0].to_string().contains("unknown field `sqll`"),
            "{}",
            all[0]
        );
        assert!(
            all[1].to_string().contains("unknown field `deploy-mode`"),
            "{}",
            all[1]
        );
        assert!(all[2].to_string().contains("expected usize"), "{}", all[2]);
        assert!(
            all[3].to_string().contains("expected a sequence"),
            "{}",
            all[3]
        );
        assert_eq!(error.reports().len(), 4);
    }

    #[test]
    fn a_syntax_error_is_reported_alone() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE_NAME, "[sql\nrecnt = 5\n");
        let error = LoadedConfig::discover(dir.path()).unwrap_err();
        assert_eq!(error.count(), 1);
    }

    #[test]
    fn reads_the_dedicated_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE_NAME,
            "select = [\"SQL\"]\nfail-on = \"warning\"\n[sql]\ndialect = \"mysql\"\n[severity]\nSQL001 = \"info\"\n",
        );
        let loaded = LoadedConfig::discover(dir.path()).unwrap();
        assert_eq!(loaded.config.fail_on, Some(FailOn::Warning));
        assert_eq!(loaded.config.sql.dialect, Some(SqlDialect::MySql));
        assert_eq!(*loaded.config.severity["SQL001"].get_ref(), Severity::Info);
        assert_eq!(loaded.config.select.unwrap()[0].get_ref(), "SQL");
    }

    #[test]
    fn reads_workspace_metadata() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "Cargo.toml",
            "[workspace]\nmembers = []\n[workspace.metadata.backend-check]\nignore = [\"RS001\"]\n",
        );
        let loaded = LoadedConfig::discover(dir.path()).unwrap();
        assert_eq!(loaded.config.ignore[0].get_ref(), "RS001");
    }

    #[test]
    fn unknown_key_is_an_error_at_its_span() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE_NAME, "selcet = [\"SQL\"]\n");
        let err = LoadedConfig::discover(dir.path()).unwrap_err();
        assert!(err.to_string().contains("selcet"), "{err}");
        let (_, line, column) = err.location().unwrap();
        assert_eq!((line, column), (1, 1));
    }

    #[test]
    fn reads_the_migration_history_settings() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE_NAME,
            "[sql]\ndeploy = \"offline\"\nsince = \"20240101000000\"\nrecent = 3\n",
        );
        let sql = LoadedConfig::discover(dir.path()).unwrap().config.sql;
        assert_eq!(sql.deploy, DeployMode::Offline);
        assert_eq!(sql.since.as_deref(), Some("20240101000000"));
        assert_eq!(sql.recent, 3);
        let defaults = SqlConfig::default();
        assert_eq!(defaults.deploy, DeployMode::Auto);
        assert_eq!(defaults.recent, DEFAULT_RECENT_MIGRATIONS);
    }

    #[test]
    fn bad_deploy_mode_is_an_error_at_the_value() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE_NAME,
            "[sql]\ndeploy = \"blue-green\"\n",
        );
        let err = LoadedConfig::discover(dir.path()).unwrap_err();
        assert!(err.to_string().contains("blue-green"), "{err}");
        let (_, line, column) = err.location().unwrap();
        assert_eq!((line, column), (2, 10));
    }

    #[test]
    fn unknown_sql_key_is_an_error_at_its_span() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            CONFIG_FILE_NAME,
            "[sql]\nsince = \"1\"\ndeploy-mode = \"offline\"\n",
        );
        let err = LoadedConfig::discover(dir.path()).unwrap_err();
        assert!(err.to_string().contains("deploy-mode"), "{err}");
        let (_, line, column) = err.location().unwrap();
        assert_eq!((line, column), (3, 1));
        assert_eq!(err.0.help.as_deref(), Some("did you mean `deploy`?"));
    }

    #[test]
    fn unknown_keys_get_the_closest_known_one_or_the_list() {
        let suggest = |m: &str| unknown_key_suggestion(m);
        assert_eq!(
            suggest("unknown field `fail_on`, expected one of `select`, `fail-on`, `exclude`")
                .as_deref(),
            Some("fail-on")
        );
        assert_eq!(
            suggest("unknown field `extra`, expected one of `paths`, `auth-extractors`").as_deref(),
            None
        );
        assert_eq!(
            suggest("invalid type: integer `1`, expected a string"),
            None
        );
    }

    #[test]
    fn bad_value_is_an_error_at_the_value() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), CONFIG_FILE_NAME, "\nfail-on = \"sometimes\"\n");
        let err = LoadedConfig::discover(dir.path()).unwrap_err();
        assert!(err.to_string().contains("sometimes"), "{err}");
        let (_, line, column) = err.location().unwrap();
        assert_eq!((line, column), (2, 11));
    }
}
