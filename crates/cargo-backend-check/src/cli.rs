//! Command-line arguments.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use backend_check_core::FailOn;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Static checks for backend services: OpenAPI specs, SQL migrations and Rust
/// handlers, held against the API, database and security checklists.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-backend-check",
    bin_name = "cargo backend-check",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Exit status: 0 no finding at or above --fail-on, 1 findings that fail, 2 the tool could not do its job."
)]
pub struct Cli {
    /// What to do (default: check).
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Options of the default `check` command.
    #[command(flatten)]
    pub check: CheckArgs,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check files (the default when no subcommand is given).
    Check(CheckArgs),
    /// List every rule: code, name, checklist id, group, default severity, summary.
    Rules(RulesArgs),
    /// List the migration sets: layout, dialect and why, order, up/down pairs, transaction modes.
    Migrations(MigrationsArgs),
    /// Print the documentation of a rule.
    Explain {
        /// A rule code (`SQL001`) or name (`create-index-without-concurrently`).
        rule: String,
    },
}

/// Options of `rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
    /// Write the Markdown docs (one page per rule and the index) into this folder.
    #[arg(long, value_name = "DIR")]
    pub write_docs: Option<PathBuf>,
}

/// Options of `migrations`.
#[derive(Debug, Args)]
pub struct MigrationsArgs {
    /// Files or folders to look in (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MigrationsFormat::Text)]
    pub format: MigrationsFormat,
    /// Configuration file (default: backend-check.toml, or the backend-check table of Cargo.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Formats of `migrations`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MigrationsFormat {
    /// A few lines per set.
    Text,
    /// JSON, with every migration and script.
    Json,
}

/// Formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Text,
    /// JSON.
    Json,
    /// The Markdown index of `rules/README.md`.
    Markdown,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// miette reports with snippets (default on a terminal).
    Human,
    /// `path:line:col: severity[CODE] message` (default otherwise).
    Concise,
    /// One JSON object.
    Json,
    /// SARIF 2.1.0 for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands.
    Github,
    /// A Markdown checklist for a pull-request comment.
    Checklist,
}

impl From<Format> for crate::render::Format {
    fn from(format: Format) -> crate::render::Format {
        use crate::render::Format as Out;
        match format {
            Format::Human => Out::Human,
            Format::Concise => Out::Concise,
            Format::Json => Out::Json,
            Format::Sarif => Out::Sarif,
            Format::Github => Out::Github,
            Format::Checklist => Out::Checklist,
        }
    }
}

impl CheckArgs {
    /// The engine's session for these arguments, run in `cwd`.
    pub fn session(&self, cwd: &Path) -> backend_check_engine::Session {
        backend_check_engine::Session {
            cwd: cwd.to_path_buf(),
            paths: self.paths.clone(),
            config: self.config.clone(),
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            fail_on: self.fail_on.map(|f| match f {
                FailOnArg::Error => FailOn::Error,
                FailOnArg::Warning => FailOn::Warning,
                FailOnArg::Info => FailOn::Info,
                FailOnArg::Never => FailOn::Never,
            }),
            threads: self.threads,
            ..backend_check_engine::Session::default()
        }
    }
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal (honours CARGO_TERM_COLOR, NO_COLOR, CLICOLOR_FORCE).
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Severity threshold for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Fail on errors.
    Error,
    /// Fail on warnings and errors.
    Warning,
    /// Fail on any finding.
    Info,
    /// Never fail because of findings.
    Never,
}

/// Options of `check`.
#[derive(Debug, Args, Default, Clone)]
pub struct CheckArgs {
    /// Files or folders to check (default: the current folder).
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Rules to run: codes, code prefixes, names, checklist ids or areas, groups (correctness, suspicious, pedantic, nursery), or ALL (comma-separated; replaces the configured selection and the default groups).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Rules to run besides the selected ones, e.g. `pedantic` on top of the default groups (comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules not to run (comma-separated; added to the configured ones).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// The lowest severity that makes the run fail.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOnArg>,
    /// Configuration file (default: backend-check.toml, or the backend-check table of Cargo.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Worker threads (default: one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print findings only: no summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the number of findings per rule instead of the findings.
    #[arg(long)]
    pub statistics: bool,
}

/// Parses the arguments, dropping the `backend-check` that Cargo inserts when
/// run as `cargo backend-check`.
pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if args.get(1).is_some_and(|a| a == "backend-check") {
        args.remove(1);
    }
    Cli::try_parse_from(args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_subcommand_name_is_dropped() {
        let cli = parse_args(["cargo-backend-check", "backend-check", "src"]).unwrap();
        assert_eq!(cli.check.paths, [PathBuf::from("src")]);
        let cli = parse_args(["cargo-backend-check", "src"]).unwrap();
        assert_eq!(cli.check.paths, [PathBuf::from("src")]);
    }

    #[test]
    fn subcommands_and_lists_parse() {
        let cli = parse_args(["x", "backend-check", "explain", "SQL001"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Explain { rule }) if rule == "SQL001"));
        let cli = parse_args(["x", "--select", "SQL,OAS001", "--ignore", "RS", "."]).unwrap();
        assert_eq!(cli.check.select.unwrap(), ["SQL", "OAS001"]);
        assert_eq!(cli.check.ignore, ["RS"]);
    }
}
