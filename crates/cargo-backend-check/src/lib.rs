//! `cargo backend-check`: the command line. It parses arguments into a
//! [`backend_check_engine::Session`], has the engine run the checks, renders
//! the report for the terminal or a machine, and sets the exit code.

pub mod cli;
pub mod docs;
pub mod migrations;
pub mod render;

use std::io::{IsTerminal, Write};
use std::path::Path;

use backend_check_core::RuleMeta;
use backend_check_engine::{all_rules, DiscoverError, Engine, ToolError};

use cli::{CheckArgs, ColorChoice, Command, Format, RulesArgs, RulesFormat};
use render::HumanOptions;

/// Exit code: nothing at or above `--fail-on`.
pub const EXIT_OK: i32 = 0;
/// Exit code: findings that fail the run.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the tool could not do its job.
pub const EXIT_TOOL_ERROR: i32 = 2;

/// What the binary knows about where its output goes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Terminal {
    /// Standard output is a terminal.
    pub is_tty: bool,
    /// The terminal's width in columns, when known.
    pub columns: Option<usize>,
}

impl Terminal {
    /// The terminal of this process: whether stdout is one, and `COLUMNS`.
    pub fn detect() -> Terminal {
        let is_tty = std::io::stdout().is_terminal();
        Terminal {
            is_tty,
            columns: is_tty
                .then(|| std::env::var("COLUMNS").ok()?.parse().ok())
                .flatten(),
        }
    }
}

/// Whether to colour output, from `--color`, then `CARGO_TERM_COLOR`,
/// `NO_COLOR`, `CLICOLOR_FORCE`, then whether stdout is a terminal.
pub fn use_color(choice: ColorChoice, env: impl Fn(&str) -> Option<String>, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => return true,
        ColorChoice::Never => return false,
        ColorChoice::Auto => {}
    }
    match env("CARGO_TERM_COLOR").as_deref() {
        Some("always") => return true,
        Some("never") => return false,
        _ => {}
    }
    if env("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if env("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0") {
        return true;
    }
    is_tty
}

fn find_rule<'a>(rules: &[&'a RuleMeta], text: &str) -> Option<&'a RuleMeta> {
    rules
        .iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(text) || r.name.eq_ignore_ascii_case(text))
}

/// Runs the command line `args` in `cwd` for `terminal`, writing to `out` and
/// `err`; returns the exit code.
pub fn run_cli(
    args: Vec<std::ffi::OsString>,
    cwd: &Path,
    terminal: Terminal,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let cli = match cli::parse_args(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_TOOL_ERROR
            } else {
                EXIT_OK
            };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                write!(err, "{text}")
            } else {
                write!(out, "{text}")
            };
            return code;
        }
    };
    match cli.command {
        None => check_command(&cli.check, cwd, terminal, out, err),
        Some(Command::Check(args)) => check_command(&args, cwd, terminal, out, err),
        Some(Command::Rules(args)) => rules_command(&args, cwd, out, err),
        Some(Command::Migrations(args)) => migrations::command(&args, cwd, out, err),
        Some(Command::Explain { rule }) => {
            let rules = all_rules();
            match find_rule(&rules, &rule) {
                Some(meta) => {
                    let _ = write!(out, "{}", docs::rule_page(meta));
                    EXIT_OK
                }
                None => {
                    let _ = writeln!(
                        err,
                        "error: no rule `{rule}`; `cargo backend-check rules` lists them"
                    );
                    EXIT_TOOL_ERROR
                }
            }
        }
    }
}

fn rules_command(args: &RulesArgs, cwd: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let rules = all_rules();
    if let Some(dir) = &args.write_docs {
        return match docs::write_docs(&cwd.join(dir), &rules) {
            Ok(n) => {
                let _ = writeln!(out, "wrote {n} files to {}", dir.display());
                EXIT_OK
            }
            Err(e) => {
                let _ = writeln!(err, "error: cannot write docs to {}: {e}", dir.display());
                EXIT_TOOL_ERROR
            }
        };
    }
    let text = match args.format {
        RulesFormat::Text => docs::rules_table(&rules),
        RulesFormat::Json => docs::rules_json(&rules),
        RulesFormat::Markdown => docs::readme(&rules, &docs::peer_mappings()),
    };
    let _ = write!(out, "{text}");
    EXIT_OK
}

/// What went wrong in discovery, with a hint when a missing path looks like
/// a mistyped subcommand.
pub(crate) fn discover_error_text(error: &DiscoverError) -> String {
    match error {
        DiscoverError::NotFound(path) => match mistyped_subcommand(path) {
            Some(command) => format!(
                "{error} (did you mean the subcommand `{command}`? `cargo backend-check {command} …`)"
            ),
            None => error.to_string(),
        },
        DiscoverError::BadGlob(_) => error.to_string(),
    }
}

/// The subcommand a missing path most likely meant: a bare word (no folder,
/// no extension) close to the name of one of the CLI's subcommands (`rule`,
/// `explian`).
fn mistyped_subcommand(path: &Path) -> Option<String> {
    let word = path.to_str()?;
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let command = <cli::Cli as clap::CommandFactory>::command();
    let names: Vec<&str> = command
        .get_subcommands()
        .map(clap::Command::get_name)
        .collect();
    backend_check_core::suggest::closest(word, names).map(str::to_owned)
}

fn report_tool_error(error: &ToolError, err: &mut dyn Write) {
    match error {
        ToolError::Config(e) => {
            for report in e.reports() {
                let _ = writeln!(err, "{report:?}");
            }
            if e.count() > 1 {
                let _ = writeln!(err, "{} mistakes in the configuration", e.count());
            }
        }
        ToolError::Discover(e) => {
            let _ = writeln!(err, "error: {}", discover_error_text(e));
        }
        ToolError::Other(e) => {
            let _ = writeln!(err, "error: {e}");
        }
    }
}

fn check_command(
    args: &CheckArgs,
    cwd: &Path,
    terminal: Terminal,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let is_tty = terminal.is_tty;
    let report = match Engine::new().check(&args.session(cwd)) {
        Ok(report) => report,
        Err(error) => {
            report_tool_error(&error, err);
            return EXIT_TOOL_ERROR;
        }
    };
    let format = args
        .format
        .unwrap_or(if is_tty {
            Format::Human
        } else {
            Format::Concise
        })
        .into();
    let color = use_color(args.color, |k| std::env::var(k).ok(), is_tty);
    let human = HumanOptions {
        color,
        width: terminal.columns.unwrap_or(100),
        quiet: args.quiet,
    };
    let text = if args.statistics {
        let mut text = render::statistics(&report);
        if !args.quiet {
            text.push_str(&render::summary_line(&report));
            text.push('\n');
        }
        text
    } else {
        render::render(&report, format, &human)
    };
    let _ = out.write_all(text.as_bytes());
    if report.files.total() == 0 && !args.quiet {
        // A note, not output: always on stderr, whatever the format, so what is
        // piped from stdout is only the report.
        let _ = writeln!(err, "{}", render::nothing_found_line(&report));
    }
    if report.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn color_precedence() {
        assert!(use_color(
            ColorChoice::Always,
            env(&[("NO_COLOR", "1")]),
            false
        ));
        assert!(!use_color(ColorChoice::Never, env(&[]), true));
        assert!(use_color(
            ColorChoice::Auto,
            env(&[("CARGO_TERM_COLOR", "always"), ("NO_COLOR", "1")]),
            false
        ));
        assert!(!use_color(
            ColorChoice::Auto,
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]),
            true
        ));
        assert!(use_color(
            ColorChoice::Auto,
            env(&[("CLICOLOR_FORCE", "1")]),
            false
        ));
        assert!(use_color(ColorChoice::Auto, env(&[]), true));
        assert!(!use_color(
            ColorChoice::Auto,
            env(&[("CLICOLOR_FORCE", "0")]),
            false
        ));
    }
}
