//! The `cargo-backend-check` binary.

use std::io::Write;

fn main() {
    // Panics inside an analyzer are caught per file and reported as findings;
    // keep the default hook's backtrace noise off the output.
    std::panic::set_hook(Box::new(|_| {}));
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(e) => {
            eprintln!("error: cannot read the current folder: {e}");
            std::process::exit(cargo_backend_check::EXIT_TOOL_ERROR);
        }
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut out = stdout.lock();
    let mut err = stderr.lock();
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
