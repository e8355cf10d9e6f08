//! `pingjia compare DATA --quarter 2025Q4 --out DIR`: the district comparison table.

use crate::cli::CompareArgs;
use crate::compare::{self, Comparison, IndicatorRow, Scheme};
use crate::error::Result;
use crate::indicators::{Indicator, Level, Plan};

/// What compare computes and charts and reports draw from.
pub(crate) struct Compared {
    pub prepared: super::Prepared,
    pub indicators: Vec<Indicator>,
    pub scheme: Scheme,
    pub quarter: String,
    /// The indicator long table (city and region levels, every quarter).
    pub table: polars::prelude::DataFrame,
    pub rows: Vec<IndicatorRow>,
    pub comparison: Vec<Comparison>,
}

pub(crate) fn compute(args: &CompareArgs) -> Result<Compared> {
    let indicators = super::load_indicators(args.queries.as_deref())?;
    let scheme = Scheme::load(args.scheme.as_deref())?;
    let prepared = super::prepare(&args.input.data, &args.input.read, Some(&args.out))?;
    let quarter = match &args.quarter {
        Some(q) => q.clone(),
        None => super::latest_complete_quarter(&prepared)?,
    };
    let table = super::indicator_table(
        &prepared,
        &indicators,
        &[Level::City, Level::Region],
        &[],
        Plan::Merged,
    )?;
    let rows = compare::rows_from_frame(&table)?;
    let comparison = compare::compare(&rows, &indicators, &scheme, &quarter);
    if comparison.is_empty() {
        return Err(crate::Error::Usage(format!(
            "no indicator values for {quarter}; the data has {}",
            prepared.enriched.quarters.join(" ")
        )));
    }
    Ok(Compared {
        prepared,
        indicators,
        scheme,
        quarter,
        table,
        rows,
        comparison,
    })
}

pub fn run(args: &CompareArgs) -> Result<()> {
    let c = compute(args)?;
    let mut df = compare::to_frame(&c.comparison)?;
    let written = crate::output::write_table(&args.out, "comparison", &mut df)?;
    eprintln!(
        "{} rows for {} ({})",
        df.height(),
        crate::format::quarter(&c.quarter),
        c.scheme.name
    );
    for w in written {
        eprintln!("wrote {}", w.display());
    }
    Ok(())
}
