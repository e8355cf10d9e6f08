//! `pingjia compare DATA --quarter 2025Q4 --out DIR`: the district comparison table.

use crate::cli::CompareArgs;
use crate::compare::{self, Comparison, IndicatorRow, Scheme};
use crate::error::Result;
use crate::indicators::{Indicator, Level, Plan};

/// What compare computes and charts and reports draw from.
pub(crate) struct Compared {
    /// The data, when the table was computed from it (None with `--indicators`).
    pub prepared: Option<super::Prepared>,
    /// What the run read, when the table was computed by streaming the data.
    pub streamed: Option<crate::output::run::RunSummary>,
    pub settings: crate::settings::Settings,
    pub rules: crate::enrich::Rules,
    /// 统计截止时间 (ms), when computed from the data.
    pub as_of: Option<i64>,
    pub indicators: Vec<Indicator>,
    pub scheme: Scheme,
    pub quarter: String,
    /// The indicator long table (city, region, department and matter levels, every
    /// quarter; a precomputed table holds what it holds).
    pub table: polars::prelude::DataFrame,
    /// Matter key (`370303/<code>`) → (事项名称, 实施部门), from the catalogue.
    pub catalogue: std::collections::HashMap<String, (String, String)>,
    pub rows: Vec<IndicatorRow>,
    pub comparison: Vec<Comparison>,
}

/// The levels a comparison and its report draw on: districts and the city to compare,
/// departments and matters to name in 存在的问题.
const LEVELS: [Level; 4] = [Level::City, Level::Region, Level::Department, Level::Matter];

/// Matter key → (事项名称, 实施部门) of a catalogue table.
fn catalogue_of(
    matters: &polars::prelude::DataFrame,
) -> Result<std::collections::HashMap<String, (String, String)>> {
    use crate::error::PolarsContext;
    let text = |c: &str| -> Result<polars::prelude::StringChunked> {
        Ok(matters
            .column(c)
            .context("catalogue")?
            .str()
            .context("catalogue")?
            .clone())
    };
    let (r, m, n, d) = (
        text("region_code")?,
        text("matter_code")?,
        text("matter_name")?,
        text("department")?,
    );
    Ok(r.iter()
        .zip(m.iter())
        .zip(n.iter().zip(d.iter()))
        .filter_map(|((r, m), (n, d))| {
            let key = format!("{}/{}", r?, m?);
            Some((
                key,
                (n.unwrap_or(m?).to_owned(), d.unwrap_or("").to_owned()),
            ))
        })
        .collect())
}

pub(crate) fn compute(args: &CompareArgs) -> Result<Compared> {
    let indicators = super::load_indicators(args.queries.as_deref())?;
    let scheme = Scheme::load(args.scheme.as_deref())?;
    let rules = args.input.read.rules();
    let mut streamed = None;
    let mut last_day = None;
    let mut as_of = None;
    let mut catalogue = std::collections::HashMap::new();
    let (prepared, settings, table, found) = match &args.indicators {
        None if args.streaming => {
            let settings = crate::settings::Settings::load(&args.input.read.options())?;
            let s = super::stream_indicators(
                &args.input,
                &args.out,
                &indicators,
                &LEVELS,
                args.chunk_rows,
            )?;
            last_day = s.last_day;
            as_of = s.as_of;
            catalogue = catalogue_of(&s.matters)?;
            streamed = Some(s.summary);
            (None, settings, s.table, s.quarters)
        }
        Some(path) => {
            if !args.input.data.is_empty() {
                return Err(crate::Error::Usage(
                    "give either DATA or --indicators TABLE, not both".into(),
                ));
            }
            let settings = crate::settings::Settings::load(&args.input.read.options())?;
            let table = load_table(path)?;
            let found = quarters_in(&table)?;
            (None, settings, table, found)
        }
        None => {
            let prepared = super::prepare(
                &args.input.data,
                &args.input.read,
                Some(&args.out),
                &indicators,
            )?;
            let table = super::indicator_table(&prepared, &indicators, &LEVELS, &[], Plan::Merged)?;
            let settings = prepared.settings.clone();
            let found = prepared.enriched.quarters.clone();
            catalogue = catalogue_of(prepared.ingested.table(crate::schema::Table::Matters))?;
            as_of = prepared.enriched.as_of;
            (Some(prepared), settings, table, found)
        }
    };
    let quarter = match (&args.quarter, &prepared) {
        (Some(q), _) => q.clone(),
        (None, Some(p)) => super::latest_complete_quarter(p)?,
        (None, None) if streamed.is_some() => super::latest_complete(&found, last_day)?,
        // A precomputed table does not say whether its last quarter is complete.
        (None, None) => found
            .last()
            .cloned()
            .ok_or_else(|| crate::Error::Usage("the indicator table has no rows".into()))?,
    };
    let rows = compare::rows_from_frame(&table)?;
    let comparison = compare::compare(&rows, &indicators, &scheme, &quarter);
    if comparison.is_empty() {
        return Err(crate::Error::Usage(format!(
            "no indicator values for {quarter}; the data has {}",
            found.join(" ")
        )));
    }
    Ok(Compared {
        prepared,
        streamed,
        settings,
        rules,
        as_of,
        indicators,
        scheme,
        quarter,
        table,
        catalogue,
        rows,
        comparison,
    })
}

/// The city and region rows of a precomputed indicator table.
fn load_table(path: &std::path::Path) -> Result<polars::prelude::DataFrame> {
    use crate::error::PolarsContext;
    use polars::prelude::*;
    crate::indicators::read_table(path)?
        .lazy()
        .filter(
            col("level").is_in(
                lit(Series::new(
                    "l".into(),
                    ["city", "region", "department", "matter"],
                ))
                .implode(false),
                false,
            ),
        )
        .collect()
        .context("reading the indicator table")
}

fn quarters_in(table: &polars::prelude::DataFrame) -> Result<Vec<String>> {
    use crate::error::PolarsContext;
    let q = table
        .column("quarter")
        .context("quarters")?
        .str()
        .context("quarters")?;
    let set: std::collections::BTreeSet<String> = q.iter().flatten().map(str::to_owned).collect();
    Ok(set.into_iter().collect())
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
