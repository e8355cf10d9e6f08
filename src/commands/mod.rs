//! One module per command; each turns its arguments into settings and runs the stages.

mod audit;
mod charts;
mod check;
mod compare;
mod dashboard;
mod export;
mod indicators;
mod query;
mod report;
mod sample;
mod spark;
mod watch;

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
        Command::Dashboard(args) => dashboard::run(&args),
        Command::Report(args) => report::run(&args),
        Command::ExportCanonical(args) => export::run(&args),
        Command::SparkJob(args) => spark::run(&args),
        Command::Watch(args) => watch::run(&args),
    }
}

/// What a command needs before it reads any data, made once from its arguments: the
/// settings (mapping, vocabulary, calendar, regions), the rules of the definitions and the
/// indicators (checked). Every stage is handed it; none goes back to the arguments.
pub(crate) struct RunPlan {
    pub settings: crate::settings::Settings,
    pub rules: crate::enrich::Rules,
    pub indicators: Vec<crate::indicators::Indicator>,
}

impl RunPlan {
    /// For a command that computes indicators: the bundled ones and `--queries`.
    pub fn new(read: &crate::cli::ReadArgs, queries: Option<&std::path::Path>) -> Result<Self> {
        let dirs: Vec<_> = queries.map(std::path::Path::to_owned).into_iter().collect();
        let indicators = crate::indicators::metadata::load(&dirs)?;
        Ok(RunPlan {
            indicators,
            ..RunPlan::reading(read)?
        })
    }

    /// For a command that only reads the data (check, audit, query, export).
    pub fn reading(read: &crate::cli::ReadArgs) -> Result<Self> {
        Ok(RunPlan {
            settings: crate::settings::Settings::load(&read.options())?,
            rules: read.rules(),
            indicators: vec![],
        })
    }
}

/// What every data command starts with: ingest (quarantine and run.json written to
/// `out`), enrich. Prints stage timings to stderr.
pub(crate) struct Prepared {
    pub ingested: crate::ingest::Ingested,
    pub summary: crate::output::run::RunSummary,
    pub enriched: crate::enrich::Enriched,
    /// The plan's rules, with the as-of time the data gives when none was set.
    pub rules: crate::enrich::Rules,
}

pub(crate) fn prepare(
    data: &[std::path::PathBuf],
    plan: &RunPlan,
    out: Option<&std::path::Path>,
) -> Result<Prepared> {
    if data.is_empty() {
        return Err(crate::Error::Usage(
            "no input given\nhint: pingjia <command> DATA … where DATA are the folders or files of the exports (try sample-data)".into(),
        ));
    }
    let timer = Timer::start();
    let settings = &plan.settings;
    let ingested = crate::ingest::load(data, settings)?;
    let mut summary = crate::output::run::RunSummary::new(&ingested, &settings.regions)?;
    summary.count_indicator_unknowns(&plan.indicators);
    let mut rules = plan.rules.clone();
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
    data: &[std::path::PathBuf],
    plan: &RunPlan,
    out: &std::path::Path,
    levels: &[crate::indicators::Level],
    chunk_rows: usize,
) -> Result<StreamedTable> {
    if data.is_empty() {
        return Err(crate::Error::Usage(
            "no input given\nhint: pingjia <command> DATA … where DATA are the folders or files of the exports (try sample-data)".into(),
        ));
    }
    let timer = Timer::start();
    let (settings, defs) = (&plan.settings, plan.indicators.as_slice());
    let groups = crate::indicators::aggregations(defs);
    let mut s = crate::stream::run(
        data,
        settings,
        &plan.rules,
        &groups,
        defs,
        chunk_rows,
        false,
    )?;
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

/// The indicator long table of every quarter at the given levels.
pub(crate) fn indicator_table(
    p: &Prepared,
    plan: &RunPlan,
    levels: &[crate::indicators::Level],
    quarters: &[String],
    how: crate::indicators::Plan,
) -> Result<polars::prelude::DataFrame> {
    let timer = Timer::start();
    let names = crate::indicators::Names {
        regions: plan.settings.regions.clone(),
        matters: indicators::matter_names(p.ingested.table(crate::schema::Table::Matters))?,
        townships: p.enriched.township_names.clone(),
    };
    let table =
        crate::indicators::compute(&p.enriched, &plan.indicators, levels, quarters, &names, how)?;
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
