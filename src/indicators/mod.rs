//! Indicators (SPEC §4): each `queries/<id>.sql` runs over the enriched views, grouped by
//! quarter and by level. The engine injects the grouping — a query never names a
//! quarter, region or level — and assembles the long table
//! `quarter, level, key, name, indicator, numerator, denominator, value, unit`.

pub mod metadata;

use std::collections::HashMap;

use polars::prelude::*;

pub use metadata::{Better, Indicator};

use crate::enrich::Enriched;
use crate::error::{Error, PolarsContext, Result};
use crate::regions::Regions;

/// Aggregation levels (SPEC §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    City,
    Region,
    Department,
    Matter,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::Region => "region",
            Level::Department => "department",
            Level::Matter => "matter",
        }
    }
    fn key_column(self) -> String {
        format!("{}_key", self.name())
    }
}

/// Adds `quarter` and the level key to the SELECT list and groups by them.
pub fn grouped_sql(sql: &str, level: Level) -> String {
    let body = sql.trim_start();
    let rest = &body["select".len()..];
    let key = level.key_column();
    format!("SELECT quarter, {key} AS key, {rest}\nGROUP BY quarter, {key}")
}

/// Computes every indicator at every level; `quarters` filters the output (empty = all).
pub fn compute(
    enriched: &Enriched,
    indicators: &[Indicator],
    levels: &[Level],
    quarters: &[String],
    names: &Names,
) -> Result<DataFrame> {
    let mut ctx = enriched.sql_context();
    let mut plans = Vec::new();
    let mut labels = Vec::new();
    for ind in indicators {
        for level in levels {
            let sql = grouped_sql(&ind.sql, *level);
            let lf = ctx.execute(&sql).map_err(|e| {
                Error::Usage(format!(
                    "indicator {} ({}) failed: {e}\nSQL:\n{sql}",
                    ind.id,
                    ind.file.display()
                ))
            })?;
            plans.push(lf.select([
                col("quarter"),
                col("key"),
                col("numerator").cast(DataType::Float64),
                col("denominator").cast(DataType::Float64),
            ]));
            labels.push((ind, *level));
        }
    }
    // One multi-sink plan: Polars optimises the indicator plans together.
    let plans: Vec<DslPlan> = plans.into_iter().map(|lf| lf.logical_plan).collect();
    let frames = LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default())
        .context("computing indicators")?;
    let mut parts = Vec::new();
    for (df, (ind, level)) in frames.into_iter().zip(labels) {
        let key_names = names.for_level(level, &df)?;
        let lf = df
            .lazy()
            .filter(col("key").is_not_null().and(col("quarter").is_not_null()))
            .with_columns([
                lit(level.name()).alias("level"),
                lit(ind.id.as_str()).alias("indicator"),
                lit(ind.unit.as_str()).alias("unit"),
                col("numerator").fill_null(lit(0.0)),
                col("denominator").fill_null(lit(0.0)),
            ])
            .join(
                key_names.lazy(),
                [col("key")],
                [col("key")],
                JoinArgs::new(JoinType::Left),
            )
            .with_column(
                when(col("denominator").eq(lit(0.0)))
                    .then(lit(NULL).cast(DataType::Float64))
                    .otherwise(col("numerator") / col("denominator"))
                    .alias("value"),
            );
        parts.push(lf);
    }
    let mut out = concat(parts, UnionArgs::default()).context("assembling indicators")?;
    if !quarters.is_empty() {
        out = out.filter(
            col("quarter").is_in(lit(Series::new("q".into(), quarters)).implode(false), false),
        );
    }
    out.select(
        [
            "quarter",
            "level",
            "key",
            "name",
            "indicator",
            "numerator",
            "denominator",
            "value",
            "unit",
        ]
        .map(col),
    )
    .sort_by_exprs(
        [col("quarter"), col("level"), col("key"), col("indicator")],
        SortMultipleOptions::default(),
    )
    .collect()
    .context("assembling indicators")
}

/// Display names of keys: regions from GB/T 2260, departments from their key, matters
/// from the catalogue.
pub struct Names {
    pub regions: Regions,
    pub matters: HashMap<String, String>,
}

impl Names {
    fn for_level(&self, level: Level, df: &DataFrame) -> Result<DataFrame> {
        let keys = df.column("key").context("keys")?.unique().context("keys")?;
        let keys: Vec<String> = keys
            .str()
            .context("keys")?
            .iter()
            .flatten()
            .map(str::to_owned)
            .collect();
        let names: Vec<String> = keys
            .iter()
            .map(|k| match level {
                Level::Province | Level::City | Level::Region => {
                    self.regions.name(k).unwrap_or(k).to_owned()
                }
                Level::Department => k.split_once('/').map_or(k.as_str(), |(_, d)| d).to_owned(),
                Level::Matter => self.matters.get(k).cloned().unwrap_or_else(|| k.clone()),
            })
            .collect();
        DataFrame::new(
            keys.len(),
            vec![
                Series::new("key".into(), keys).into(),
                Series::new("name".into(), names).into(),
            ],
        )
        .context("names")
    }
}
