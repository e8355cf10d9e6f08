//! One module per command; each turns its arguments into settings and runs the stages.

mod check;
mod indicators;
mod query;
mod sample;

use crate::cli::{Cli, Command};
use crate::error::Result;

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Sample(args) => sample::run(&args),
        Command::Indicators(args) => indicators::run(&args),
        Command::Query(args) => query::run(&args),
    }
}
