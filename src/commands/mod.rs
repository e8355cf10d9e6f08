//! One module per command; each turns its arguments into settings and runs the stages.

mod audit;
mod charts;
mod check;
mod compare;
mod export;
mod indicators;
mod query;
mod report;
mod sample;
mod spark;

use crate::cli::{Cli, Command};
use crate::error::Result;

pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Sample(args) => sample::run(&args),
        Command::Indicators(args) => indicators::run(&args),
        Command::Query(args) => query::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Charts(args) => charts::run(&args),
        Command::Report(args) => report::run(&args),
        Command::ExportCanonical(args) => export::run(&args),
        Command::SparkJob(args) => spark::run(&args),
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
    defs: &[crate::indicators::Indicator],
) -> Result<Prepared> {
    if data.is_empty() {
        return Err(crate::Error::Usage(
            "no input given\nhint: pingjia <command> DATA … where DATA are the folders or files of the exports (try sample-data)".into(),
        ));
    }
    let timer = Timer::start();
    let settings = crate::settings::Settings::load(&read.options())?;
    let ingested = crate::ingest::load(data, &settings)?;
    let mut summary = crate::output::run::RunSummary::new(&ingested, &settings.regions)?;
    summary.count_indicator_unknowns(defs);
    let mut rules = read.rules();
    rules.as_of = rules
        .as_of
        .or(crate::enrich::latest_timestamp(&ingested.tables)?);
    summary.as_of = rules.as_of.map(crate::output::run::timestamp_text);
    if let Some(out) = out {
        crate::output::run::write(out, &ingested, &summary)?;
    }
    ingested.check_not_empty()?;
    timer.lap("ingest");
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

/// An indicator table computed by streaming the data (`stream`), with what the run read.
pub(crate) struct StreamedTable {
    /// Every quarter of the data, at the given levels.
    pub table: polars::prelude::DataFrame,
    pub summary: crate::output::run::RunSummary,
    pub quarters: Vec<String>,
    pub last_day: Option<i32>,
    pub as_of: Option<i64>,
    /// The catalogue (small: read whole even when streaming).
    pub matters: polars::prelude::DataFrame,
}

/// Streams the data chunk by chunk into the indicator table; writes quarantine and
/// run.json to `out`. Prints stage timings to stderr.
pub(crate) fn stream_indicators(
    input: &crate::cli::InputArgs,
    out: &std::path::Path,
    defs: &[crate::indicators::Indicator],
    levels: &[crate::indicators::Level],
    chunk_rows: usize,
) -> Result<StreamedTable> {
    if input.data.is_empty() {
        return Err(crate::Error::Usage(
            "no input given\nhint: pingjia <command> DATA … where DATA are the folders or files of the exports (try sample-data)".into(),
        ));
    }
    let timer = Timer::start();
    let settings = crate::settings::Settings::load(&input.read.options())?;
    let rules = input.read.rules();
    let groups = crate::indicators::aggregations(defs);
    let mut s = crate::stream::run(&input.data, &settings, &rules, &groups, defs, chunk_rows)?;
    s.summary.count_indicator_unknowns(defs);
    s.summary.as_of = s.as_of.map(crate::output::run::timestamp_text);
    crate::output::run::write(out, &s.ingested, &s.summary)?;
    s.ingested.check_not_empty()?;
    timer.lap("stream");
    let names = crate::indicators::Names {
        regions: settings.regions.clone(),
        matters: indicators::matter_names(s.ingested.table(crate::schema::Table::Matters))?,
        townships: s.township_names.clone(),
    };
    let results = crate::indicators::roll_up(&groups, &s.grains, defs, levels)?;
    let table = crate::indicators::assemble(results, &[], &names)?;
    timer.lap("indicators");
    Ok(StreamedTable {
        table,
        summary: s.summary,
        quarters: s.quarters,
        last_day: s.last_day,
        as_of: s.as_of,
        matters: s.ingested.table(crate::schema::Table::Matters).clone(),
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

/// The indicator definitions: the bundled ones plus the user's folder.
pub(crate) fn load_indicators(
    extra: Option<&std::path::Path>,
) -> Result<Vec<crate::indicators::Indicator>> {
    let dirs: Vec<_> = extra.map(std::path::Path::to_owned).into_iter().collect();
    crate::indicators::metadata::load(&dirs)
}

/// The indicator long table of every quarter at the given levels.
pub(crate) fn indicator_table(
    p: &Prepared,
    defs: &[crate::indicators::Indicator],
    levels: &[crate::indicators::Level],
    quarters: &[String],
    plan: crate::indicators::Plan,
) -> Result<polars::prelude::DataFrame> {
    let timer = Timer::start();
    let names = crate::indicators::Names {
        regions: p.settings.regions.clone(),
        matters: indicators::matter_names(p.ingested.table(crate::schema::Table::Matters))?,
        townships: p.enriched.township_names.clone(),
    };
    let table = crate::indicators::compute(&p.enriched, defs, levels, quarters, &names, plan)?;
    timer.lap("indicators");
    Ok(table)
}

/// The latest quarter the data covers to its end (within a week, for holidays).
pub(crate) fn latest_complete_quarter(p: &Prepared) -> Result<String> {
    latest_complete(&p.enriched.quarters, p.enriched.last_day)
}

pub(crate) fn latest_complete(quarters: &[String], last_day: Option<i32>) -> Result<String> {
    let complete = quarters.iter().rev().find(|q| {
        crate::enrich::quarter_bounds(q)
            .is_some_and(|(_, end)| last_day.is_some_and(|d| d >= end - 7))
    });
    complete.or(quarters.last()).cloned().ok_or_else(|| {
        crate::Error::Usage(
            "the data has no dated cases or ratings, so there is no quarter to report".into(),
        )
    })
}
