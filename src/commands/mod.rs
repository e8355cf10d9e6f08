//! One module per command; each turns its arguments into settings and runs the stages.

mod audit;
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
        Command::Audit(args) => audit::run(&args),
    }
}

/// What every data command starts with: settings, ingest (quarantine and run.json
/// written to `out`), enrich. Prints stage timings to stderr.
pub(crate) struct Prepared {
    pub settings: crate::settings::Settings,
    pub ingested: crate::ingest::Ingested,
    pub summary: crate::output::run::RunSummary,
    pub enriched: crate::enrich::Enriched,
    pub rules: crate::enrich::Rules,
}

pub(crate) fn prepare(
    data: &[std::path::PathBuf],
    read: &crate::cli::ReadArgs,
    out: Option<&std::path::Path>,
) -> Result<Prepared> {
    let timer = Timer::start();
    let settings = crate::settings::Settings::load(&read.options())?;
    let ingested = crate::ingest::load(data, &settings)?;
    let summary = crate::output::run::RunSummary::new(&ingested, &settings.regions)?;
    if let Some(out) = out {
        crate::output::run::write(out, &ingested, &summary)?;
    }
    timer.lap("ingest");
    let rules = crate::enrich::Rules {
        rectification_days: read.rectification_days,
    };
    let enriched = crate::enrich::enrich(&ingested.tables, &settings.calendar, &rules)?;
    timer.lap("enrich");
    Ok(Prepared {
        settings,
        ingested,
        summary,
        enriched,
        rules,
    })
}

/// Wall time per stage, on stderr.
pub(crate) struct Timer(std::cell::Cell<std::time::Instant>);

impl Timer {
    pub fn start() -> Self {
        Timer(std::cell::Cell::new(std::time::Instant::now()))
    }
    pub fn lap(&self, stage: &str) {
        let now = std::time::Instant::now();
        eprintln!("{stage:<12} {:>8.3} s", (now - self.0.get()).as_secs_f64());
        self.0.set(now);
    }
}
