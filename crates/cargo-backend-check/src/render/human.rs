//! `--format human`: a miette graphical report per finding, then a summary line.

use miette::{GraphicalReportHandler, GraphicalTheme};
use rayon::prelude::*;

use crate::run::Report;

/// Options of the human renderer.
#[derive(Debug, Clone)]
pub struct HumanOptions {
    /// Use colour.
    pub color: bool,
    /// Line width to wrap at.
    pub width: usize,
    /// Leave out the summary line.
    pub quiet: bool,
}

impl Default for HumanOptions {
    fn default() -> HumanOptions {
        HumanOptions {
            color: false,
            width: 100,
            quiet: false,
        }
    }
}

/// Renders every finding (in parallel, written in order) and the summary.
pub fn render(report: &Report, options: &HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
        .with_context_lines(1);
    let rendered: Vec<String> = report
        .diagnostics
        .par_iter()
        .map(|d| {
            let mut out = String::new();
            if handler.render_report(&mut out, d).is_err() {
                out = format!("{}\n", d.concise());
            }
            out
        })
        .collect();
    let mut out = rendered.join("\n");
    if !options.quiet {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&super::summary_line(report));
        out.push('\n');
    }
    out
}
