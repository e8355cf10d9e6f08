//! The `pingjia` binary: parse arguments, run, map errors to exit codes
//! (0 ok · 2 bad input or usage · 3 internal failure).

use clap::Parser;

fn main() {
    let cli = pingjia::cli::Cli::parse();
    match pingjia::commands::run(cli) {
        Ok(()) => {}
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
