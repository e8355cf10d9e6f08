//! Indicators (SPEC §4): each `queries/<id>.sql` runs over the enriched views, grouped by
//! quarter and by level. The engine injects the grouping — a query never names a
//! quarter, region or level — and assembles the long table
//! `quarter, level, key, name, indicator, numerator, denominator, value, unit`.

pub mod metadata;
pub mod plan;

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

/// How indicator queries are executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Plan {
    /// One aggregation per view at the finest grain, levels summed from it (default).
    #[default]
    Merged,
    /// Each indicator × level as its own grouped query (for comparison and debugging).
    PerIndicator,
}

/// Computes every indicator at every level; `quarters` filters the output (empty = all).
pub fn compute(
    enriched: &Enriched,
    indicators: &[Indicator],
    levels: &[Level],
    quarters: &[String],
    names: &Names,
    plan: Plan,
) -> Result<DataFrame> {
    let results = match plan {
        Plan::Merged => merged(enriched, indicators, levels)?,
        Plan::PerIndicator => per_indicator(enriched, indicators, levels)?,
    };
    let mut parts = Vec::new();
    for (df, (ind, level)) in results {
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

/// Per indicator and level: `quarter, key, numerator, denominator`.
type Results<'a> = Vec<(DataFrame, (&'a Indicator, Level))>;

/// The grain every view is aggregated to before levels are summed.
const GRAIN: [&str; 4] = ["quarter", "region_key", "department_key", "matter_key"];

fn level_key(level: Level) -> Expr {
    let prefix = |n: i64, pad: &str| {
        concat_str(
            [col("region_key").str().slice(lit(0), lit(n)), lit(pad)],
            "",
            false,
        )
    };
    match level {
        Level::Province => prefix(2, "0000"),
        Level::City => prefix(4, "00"),
        Level::Region => col("region_key"),
        Level::Department => col("department_key"),
        Level::Matter => col("matter_key"),
    }
}

fn merged<'a>(
    enriched: &Enriched,
    indicators: &'a [Indicator],
    levels: &[Level],
) -> Result<Results<'a>> {
    // Indicators reading the same view with the same filter share one aggregation.
    let mut groups: Vec<((&str, Option<&str>), Vec<usize>)> = Vec::new();
    for (i, ind) in indicators.iter().enumerate() {
        let k = (ind.shape.view.as_str(), ind.shape.filter.as_deref());
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(i),
            None => groups.push((k, vec![i])),
        }
    }
    let mut ctx = enriched.sql_context();
    let mut plans = Vec::new();
    for ((view, filter), members) in &groups {
        let mut aggregates = vec!["COUNT(*) AS rows_in_group".to_owned()];
        for &i in members {
            let shape = &indicators[i].shape;
            for (part, tag) in [(&shape.numerator, "n"), (&shape.denominator, "d")] {
                if let plan::Part::Sum(e) = part {
                    aggregates.push(format!("{e} AS {tag}_{i}"));
                }
            }
        }
        let grain = GRAIN.join(", ");
        let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
        let sql = format!(
            "SELECT {grain}, {} FROM {view}{filter} GROUP BY {grain}",
            aggregates.join(", ")
        );
        let ids: Vec<&str> = members.iter().map(|&i| indicators[i].id.as_str()).collect();
        let lf = ctx.execute(&sql).map_err(|e| {
            Error::Usage(format!(
                "indicators {} failed on view {view}: {e}\nSQL:\n{sql}",
                ids.join(", ")
            ))
        })?;
        plans.push(lf.logical_plan);
    }
    let grains = LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default())
        .context("computing indicators")?;

    let mut out = Vec::new();
    for (((_, _), members), grain) in groups.iter().zip(grains) {
        for &level in levels {
            let sums: Vec<Expr> = grain
                .get_column_names()
                .into_iter()
                .filter(|c| c.starts_with("n_") || c.starts_with("d_"))
                .map(|c| col(c.clone()).cast(DataType::Float64).sum())
                .collect();
            let rolled = grain
                .clone()
                .lazy()
                .group_by([col("quarter"), level_key(level).alias("key")])
                .agg(sums)
                .collect()
                .context("summing levels")?;
            for &i in members {
                let shape = &indicators[i].shape;
                let pick = |part: &plan::Part, tag: &str, name: &str| match part {
                    plan::Part::Sum(_) => col(format!("{tag}_{i}")).alias(name),
                    plan::Part::Constant(c) => lit(*c).alias(name),
                };
                let df = rolled
                    .clone()
                    .lazy()
                    .select([
                        col("quarter"),
                        col("key"),
                        pick(&shape.numerator, "n", "numerator"),
                        pick(&shape.denominator, "d", "denominator"),
                    ])
                    .collect()
                    .context("picking indicator")?;
                out.push((df, (&indicators[i], level)));
            }
        }
    }
    Ok(out)
}

fn per_indicator<'a>(
    enriched: &Enriched,
    indicators: &'a [Indicator],
    levels: &[Level],
) -> Result<Results<'a>> {
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
            plans.push(
                lf.select([
                    col("quarter"),
                    col("key"),
                    col("numerator").cast(DataType::Float64),
                    col("denominator").cast(DataType::Float64),
                ])
                .logical_plan,
            );
            labels.push((ind, *level));
        }
    }
    let frames = LazyFrame::collect_all_with_engine(plans, Engine::Auto, OptFlags::default())
        .context("computing indicators")?;
    Ok(frames.into_iter().zip(labels).collect())
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
