//! `pingjia indicators DATA --out DIR`: ingest → enrich → indicators → the long table.

use std::collections::HashMap;

use polars::prelude::*;

use crate::cli::IndicatorsArgs;
use crate::enrich;
use crate::error::{Error, PolarsContext, Result};
use crate::indicators::{Level, Plan};
use crate::output;
use crate::schema::Table;

pub fn run(args: &IndicatorsArgs) -> Result<()> {
    let plan = super::RunPlan::new(&args.input.read, args.queries.as_deref())?;
    let mut levels = vec![Level::City, Level::Region];
    for l in &args.level {
        if !levels.contains(l) {
            levels.push(*l);
        }
    }
    let (mut table, summary) = match args.plan {
        Plan::Merged => streamed(args, &plan, &levels)?,
        Plan::PerIndicator => {
            let p = super::prepare(&args.input.data, &plan, Some(&args.out))?;
            let quarters = select_quarters(&p.enriched.quarters, args)?;
            let table = super::indicator_table(&p, &plan, &levels, &quarters, args.plan)?;
            (table, p.summary)
        }
    };
    let timer = super::Timer::start();
    let written = output::write_table(&args.out, "indicators", &mut table)?;
    timer.lap("write");
    for t in Table::ALL {
        let c = &summary.tables[t.name()];
        eprintln!(
            "{} {}: {} read = {} valid + {} quarantined",
            t.name(),
            t.chinese(),
            c.rows_read,
            c.valid,
            c.quarantined
        );
    }
    eprintln!(
        "{} indicators × {} levels → {} rows",
        plan.indicators.len(),
        levels.len(),
        table.height()
    );
    for w in written {
        eprintln!("wrote {}", w.display());
    }
    Ok(())
}

/// The merged plan, streamed chunk by chunk (`stream`): the indicator table and the run
/// summary, quarantine and run.json written to `--out`.
fn streamed(
    args: &IndicatorsArgs,
    plan: &super::RunPlan,
    levels: &[Level],
) -> Result<(DataFrame, output::run::RunSummary)> {
    let s = super::stream_indicators(&args.input.data, plan, &args.out, levels, args.chunk_rows)?;
    let quarters = select_quarters(&s.quarters, args)?;
    let table = s
        .table
        .lazy()
        .filter(col("quarter").is_in(lit(Series::new("q".into(), quarters)).implode(false), false))
        .collect()
        .context("selecting quarters")?;
    Ok((table, s.summary))
}

pub(crate) fn matter_names(matters: &DataFrame) -> Result<HashMap<String, String>> {
    let r = matters
        .column("region_code")
        .context("matters")?
        .str()
        .context("matters")?
        .clone();
    let c = matters
        .column("matter_code")
        .context("matters")?
        .str()
        .context("matters")?
        .clone();
    let n = matters
        .column("matter_name")
        .context("matters")?
        .str()
        .context("matters")?
        .clone();
    Ok(r.iter()
        .zip(c.iter())
        .zip(n.iter())
        .filter_map(|((r, c), n)| Some((format!("{}/{}", r?, c?), n?.to_owned())))
        .collect())
}

/// The quarters asked for (all when none is given), checked against the data.
fn select_quarters(found: &[String], args: &IndicatorsArgs) -> Result<Vec<String>> {
    let check = |q: &str| -> Result<String> {
        enrich::quarter_bounds(q)
            .map(|_| q.to_owned())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "'{q}' is not a quarter\nhint: write quarters like 2025Q4"
                ))
            })
    };
    if let Some(q) = &args.quarter {
        let q = check(q)?;
        if !found.contains(&q) {
            return Err(Error::Usage(format!(
                "no data for {q}; the data has {}",
                found.join(" ")
            )));
        }
        return Ok(vec![q]);
    }
    let from = args.from.as_deref().map(check).transpose()?;
    let to = args.to.as_deref().map(check).transpose()?;
    Ok(found
        .iter()
        .filter(|q| from.as_ref().is_none_or(|f| *q >= f) && to.as_ref().is_none_or(|t| *q <= t))
        .cloned()
        .collect())
}
