//! The `cargo-backend-check` binary.

use std::io::Write;

fn main() {
    // Panics inside an analyzer are caught per file and reported as findings,
    // so they stay quiet; any other panic is a bug that must not end the run
    // silently with exit code 101.
    std::panic::set_hook(Box::new(|info| {
        if !backend_check_core::inside_guard() {
            eprintln!(
                "error: internal error: {info}\nhelp: please report this as a bug at https://github.com/cargo-backend-check/cargo-backend-check/issues"
            );
        }
    }));
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("error: cannot read the current folder: {e}");
            std::process::exit(cargo_backend_check::EXIT_TOOL_ERROR);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    // Not locked for the whole run: the panic hook writes to it from any thread.
    let mut err = std::io::stderr();
    let code = cargo_backend_check::run_cli(
        std::env::args_os().collect(),
        &cwd,
        cargo_backend_check::Terminal::detect(),
        &mut out,
        &mut err,
    );
    let _ = out.flush();
    std::process::exit(code);
}
