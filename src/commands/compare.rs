//! `pingjia compare DATA --quarter 2025Q4 --out DIR`: the district comparison table.

use crate::cli::CompareArgs;
use crate::compare::{self, Comparison, IndicatorRow, Scheme};
use crate::error::Result;
use crate::indicators::{Level, Plan};

/// Where the indicator table came from.
// One per run: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Source {
    /// The data, read whole: its rows are there to audit and list.
    Whole(super::Prepared),
    /// The data, streamed chunk by chunk (`--streaming`): what the run read, no rows.
    Streamed(crate::output::run::RunSummary),
    /// A table computed before (`--indicators TABLE`): no data was read.
    Precomputed(std::path::PathBuf),
}

impl Source {
    /// The data read whole, if it was.
    pub fn whole(&self) -> Option<&super::Prepared> {
        match self {
            Source::Whole(p) => Some(p),
            _ => None,
        }
    }
    /// What the run read, if it read data.
    pub fn summary(&self) -> Option<&crate::output::run::RunSummary> {
        match self {
            Source::Whole(p) => Some(&p.summary),
            Source::Streamed(s) => Some(s),
            Source::Precomputed(_) => None,
        }
    }
}

/// What compare computes and charts and reports draw from.
pub(crate) struct Compared {
    pub source: Source,
    pub plan: super::RunPlan,
    /// 统计截止时间 (ms), when computed from the data.
    pub as_of: Option<i64>,
    pub scheme: Scheme,
    pub quarter: String,
    /// The indicator long table (city, region, department and matter levels, every
    /// quarter; a precomputed table holds what it holds).
    pub table: polars::prelude::DataFrame,
    /// Matter key (`370303/<code>`) → (事项名称, 实施部门), from the catalogue.
    pub catalogue: std::collections::HashMap<String, (String, String)>,
    pub rows: Vec<IndicatorRow>,
    /// The rows of the province, city and district levels (what charts, trends and the
    /// comparison read).
    pub areas: Vec<IndicatorRow>,
    /// Cities left out of the comparison of cities of `quarter` (see `focus`).
    pub unranked: Vec<String>,
    pub comparison: Vec<Comparison>,
    /// 红黑榜 of the quarter, and its settings.
    pub boards: Vec<compare::boards::Entry>,
    pub board_rules: compare::boards::BoardRules,
}

/// The levels a comparison and its report draw on: cities and the province, districts and
/// the city to compare,
/// departments and matters to name in 存在的问题 and rank on the 红黑榜, with 乡镇/街道.
const LEVELS: [Level; 6] = [
    Level::Province,
    Level::City,
    Level::Region,
    Level::Township,
    Level::Department,
    Level::Matter,
];

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
    let plan = super::RunPlan::new(&args.input.read, args.queries.as_deref())?;
    let scheme = Scheme::load(args.scheme.as_deref())?;
    let mut catalogue = std::collections::HashMap::new();
    // The table, the quarters in it, and the quarter to compare unless --quarter names one.
    let (source, table, found, as_of, latest) = match &args.indicators {
        Some(path) => {
            if !args.input.data.is_empty() {
                return Err(crate::Error::Usage(
                    "give either DATA or --indicators TABLE, not both".into(),
                ));
            }
            let table = load_table(path)?;
            let found = quarters_in(&table)?;
            // A precomputed table does not say whether its last quarter is complete.
            let latest = found.last().cloned().ok_or_else(|| {
                crate::Error::input(
                    path,
                    "the indicator table has no city, district, department or matter rows\nhint: write it with pingjia indicators or spark-job",
                )
            });
            (
                Source::Precomputed(path.clone()),
                table,
                found,
                None,
                latest,
            )
        }
        None if args.streaming => {
            let s = super::stream_indicators(
                &args.input.data,
                &plan,
                &args.out,
                &LEVELS,
                args.chunk_rows,
            )?;
            catalogue = catalogue_of(&s.matters)?;
            let latest = super::latest_complete(&s.quarters, s.last_day);
            (
                Source::Streamed(s.summary),
                s.table,
                s.quarters,
                s.as_of,
                latest,
            )
        }
        None => {
            let prepared = super::prepare(&args.input.data, &plan, Some(&args.out))?;
            let table = super::indicator_table(&prepared, &plan, &LEVELS, &[], Plan::Merged)?;
            let found = prepared.enriched.quarters.clone();
            catalogue = catalogue_of(prepared.ingested.table(crate::schema::Table::Matters))?;
            let as_of = prepared.enriched.as_of;
            let latest = super::latest_complete_quarter(&prepared);
            (Source::Whole(prepared), table, found, as_of, latest)
        }
    };
    let quarter = match &args.quarter {
        Some(q) => q.clone(),
        None => latest?,
    };
    let rows = compare::rows_from_frame(&table)?;
    let comparison = compare::compare(&rows, &plan.indicators, &scheme, &quarter);
    if comparison.is_empty() {
        let message = format!(
            "no city or district indicator values for {quarter}; the data has {}",
            found.join(" ")
        );
        return Err(match &args.indicators {
            Some(path) => crate::Error::input(path, message),
            None => crate::Error::Usage(message),
        });
    }
    let board_rules = args.board_rules();
    let boards = compare::boards::boards(
        &rows,
        &plan.indicators,
        &quarter,
        &board_rules,
        &plan.settings.regions,
    );
    let areas = rows
        .iter()
        .filter(|r| matches!(r.level, Level::Province | Level::City | Level::Region))
        .cloned()
        .collect();
    Ok(Compared {
        areas,
        unranked: Vec::new(),
        source,
        plan,
        as_of,
        scheme,
        quarter,
        table,
        catalogue,
        rows,
        comparison,
        boards,
        board_rules,
    })
}

impl Compared {
    /// Compares another quarter (a city's report whose data stop before the province's),
    /// leaving out of the comparison of cities those `unranked` (cities with no cases in
    /// it, whose completions of earlier cases would rank them on almost nothing).
    pub fn focus(&mut self, quarter: &str, unranked: &[String]) {
        if quarter == self.quarter && unranked == self.unranked.as_slice() {
            return;
        }
        self.quarter = quarter.to_owned();
        self.unranked = unranked.to_vec();
        self.comparison = self.comparison_in(quarter, unranked);
        self.boards = compare::boards::boards(
            &self.rows,
            &self.plan.indicators,
            quarter,
            &self.board_rules,
            &self.plan.settings.regions,
        );
    }

    /// The comparison of `quarter`, leaving `unranked` cities out of the comparison of
    /// cities.
    pub fn comparison_in(&self, quarter: &str, unranked: &[String]) -> Vec<Comparison> {
        // The comparison reads the levels that have siblings, the areas' rows only.
        let rows: Vec<IndicatorRow> = self
            .areas
            .iter()
            .filter(|r| {
                !(r.quarter == quarter && r.level == Level::City && unranked.contains(&r.key))
            })
            .cloned()
            .collect();
        compare::compare(&rows, &self.plan.indicators, &self.scheme, quarter)
    }

    /// The quarters an area (a city, a district, by code) has cases in, in order.
    pub fn quarters_of(&self, area: &str) -> Vec<String> {
        let level = if area.ends_with("00") {
            Level::City
        } else {
            Level::Region
        };
        let mut found: Vec<String> = self
            .areas
            .iter()
            .filter(|r| {
                r.level == level
                    && r.key == area
                    && r.indicator == "case_volume"
                    && r.numerator > 0.0
            })
            .map(|r| r.quarter.clone())
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// The cities of the data (those with city rows, and those of district rows), by
    /// code; keys of a user's table that are no region codes are none.
    pub fn cities(&self) -> std::collections::BTreeSet<String> {
        let code = |k: &str| k.len() == 6 && k.bytes().all(|b| b.is_ascii_digit());
        self.areas
            .iter()
            .filter(|r| code(&r.key))
            .filter_map(|r| match r.level {
                Level::City if r.key.ends_with("00") && !r.key.ends_with("0000") => {
                    Some(r.key.clone())
                }
                Level::Region if !r.key.ends_with("00") => Some(crate::regions::city_of(&r.key)),
                _ => None,
            })
            .collect()
    }

    /// A usage error, naming the indicator table when the run read one.
    pub fn refusal(&self, message: String) -> crate::Error {
        match &self.source {
            Source::Precomputed(path) => crate::Error::input(path, message),
            _ => crate::Error::Usage(message),
        }
    }
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
                    [
                        "province",
                        "city",
                        "region",
                        "township",
                        "department",
                        "matter",
                    ],
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
    let mut written = crate::output::write_table(&args.out, "comparison", &mut df)?;
    let mut boards =
        compare::boards::to_frame(&c.boards, &c.plan.indicators, &c.plan.settings.regions)?;
    written.extend(crate::output::write_table(
        &args.out,
        "boards",
        &mut boards,
    )?);
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
