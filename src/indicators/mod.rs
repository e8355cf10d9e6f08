//! Indicators (docs/SPEC.md §4): each `queries/<id>.sql` runs over the enriched views, grouped by
//! quarter and by level. The engine injects the grouping — a query never names a
//! quarter, region or level — and assembles the long table
//! `quarter, level, key, name, indicator, numerator, denominator, value, unit`.

pub mod metadata;
pub mod plan;

use std::collections::HashMap;

use polars::prelude::*;

pub use metadata::{Better, ChartKind, Indicator, Kind};

use crate::enrich::Enriched;
use crate::error::{Error, PolarsContext, Result};
use crate::regions::Regions;

/// Aggregation levels (docs/SPEC.md §4).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    City,
    Region,
    /// 乡镇/街道 below the district: the 9-digit code; cases at the district itself
    /// (no township, or a 12-digit code ending 000000) under `<district>000` (区县本级).
    Township,
    Department,
    Matter,
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::Region => "region",
            Level::Township => "township",
            Level::Department => "department",
            Level::Matter => "matter",
        }
    }
    /// The level a table's `level` cell names.
    pub fn parse(text: &str) -> Option<Level> {
        use clap::ValueEnum;
        Level::value_variants()
            .iter()
            .copied()
            .find(|l| l.name() == text)
    }
    /// The level its siblings are compared within: a district's city, a city's province.
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::Region => Some(Level::City),
            Level::City => Some(Level::Province),
            _ => None,
        }
    }
    fn key_column(self) -> String {
        format!("{}_key", self.name())
    }
}

/// Adds `quarter` and the level key to the SELECT list and groups by them. The body is
/// one SELECT (`plan::shape` has checked it), perhaps after comments.
pub fn grouped_sql(sql: &str, level: Level) -> String {
    let mut body = sql.trim_start();
    loop {
        if let Some(rest) = body.strip_prefix("--") {
            body = rest.split_once('\n').map_or("", |(_, r)| r).trim_start();
        } else if let Some(rest) = body.strip_prefix("/*") {
            body = rest.split_once("*/").map_or("", |(_, r)| r).trim_start();
        } else {
            break;
        }
    }
    let rest = match body.get(..6) {
        Some(word) if word.eq_ignore_ascii_case("select") => &body[6..],
        _ => body,
    };
    let key = level.key_column();
    format!("SELECT quarter, {key} AS key, {rest}\nGROUP BY quarter, {key}")
}

/// Runs each query at every level over the views of empty tables. What only running
/// finds (a SUM over a text column, a date compared with a number) is then reported
/// with the file, before any data is read: `file: message` per broken query.
pub fn check_types(indicators: &[&Indicator]) -> Result<Vec<String>> {
    use clap::ValueEnum;
    if indicators.is_empty() {
        return Ok(vec![]);
    }
    let tables = crate::schema::Table::ALL
        .into_iter()
        .map(|t| (t, crate::ingest::empty_table(t)))
        .collect();
    let calendar = crate::calendar::Calendar::load(None, false)?;
    let enriched = crate::enrich::enrich(&tables, &calendar, &Default::default())?;
    let mut ctx = enriched.sql_context();
    let mut problems = Vec::new();
    for ind in indicators {
        let failed = Level::value_variants().iter().find_map(|level| {
            ctx.execute(&grouped_sql(&ind.sql, *level))
                .and_then(|lf| {
                    lf.select([
                        col("numerator").cast(DataType::Float64),
                        col("denominator").cast(DataType::Float64),
                    ])
                    .collect()
                })
                .err()
        });
        if let Some(e) = failed {
            let e = e.to_string();
            let first = e.lines().next().unwrap_or_default();
            problems.push(format!(
                "{}: the query does not run on the views: {first}\n    hint: a SUM or AVG over a text column, or a time compared with a number? `pingjia query DATA \"SELECT * FROM <view> LIMIT 5\"` shows each column and its type",
                ind.file.display()
            ));
        }
    }
    Ok(problems)
}

/// The columns of the long indicator table (docs/SPEC.md §4), in order.
pub const COLUMNS: [&str; 9] = [
    "quarter",
    "level",
    "key",
    "name",
    "indicator",
    "numerator",
    "denominator",
    "value",
    "unit",
];

/// A precomputed indicator table — one Parquet file, or a folder of part files as Spark
/// writes it — with the columns of [`COLUMNS`] typed and rows in the engine's order.
pub fn read_table(path: &std::path::Path) -> Result<DataFrame> {
    let files: Vec<std::path::PathBuf> = if path.is_dir() {
        let mut f: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| crate::Error::io(path, e))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        f.sort();
        f
    } else {
        vec![path.to_owned()]
    };
    if files.is_empty() {
        return Err(crate::Error::input(
            path,
            "no .parquet files in this folder",
        ));
    }
    let mut parts = Vec::new();
    for f in &files {
        let file = std::fs::File::open(f).map_err(|e| crate::Error::io(f, e))?;
        let df = ParquetReader::new(file)
            .finish()
            .map_err(|e| crate::Error::input(f, format!("not a readable Parquet file: {e}")))?;
        let missing: Vec<&str> = COLUMNS
            .iter()
            .filter(|c| df.column(c).is_err())
            .copied()
            .collect();
        if !missing.is_empty() {
            return Err(crate::Error::input(
                f,
                format!(
                    "not an indicator table: missing column {}\nhint: expected {}",
                    missing.join(", "),
                    COLUMNS.join(", ")
                ),
            ));
        }
        parts.push(df.lazy().select([
            col("quarter").cast(DataType::String),
            col("level").cast(DataType::String),
            col("key").cast(DataType::String),
            col("name").cast(DataType::String),
            col("indicator").cast(DataType::String),
            col("numerator").cast(DataType::Float64),
            col("denominator").cast(DataType::Float64),
            col("value").cast(DataType::Float64),
            col("unit").cast(DataType::String),
        ]));
    }
    concat(parts, UnionArgs::default())
        .context("reading the indicator table")?
        .sort_by_exprs(
            [col("quarter"), col("level"), col("key"), col("indicator")],
            SortMultipleOptions::default(),
        )
        .collect()
        .context("reading the indicator table")
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
    assemble(results, quarters, names)
}

/// The long table (docs/SPEC.md §4) from each indicator's numerators and denominators per level;
/// `quarters` filters it (empty = all).
pub fn assemble(results: Results<'_>, quarters: &[String], names: &Names) -> Result<DataFrame> {
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
    out.select(COLUMNS.map(col))
        .sort_by_exprs(
            [col("quarter"), col("level"), col("key"), col("indicator")],
            SortMultipleOptions::default(),
        )
        .collect()
        .context("assembling indicators")
}

/// Per indicator and level: `quarter, key, numerator, denominator`.
pub type Results<'a> = Vec<(DataFrame, (&'a Indicator, Level))>;

/// The key of a level from the grain's columns (docs/SPEC.md §4: department and matter keys are
/// scoped to their region).
fn level_key(level: Level) -> Expr {
    let prefix = |n: i64, pad: &str| {
        concat_str(
            [col("region_code").str().slice(lit(0), lit(n)), lit(pad)],
            "",
            false,
        )
    };
    let scoped = |c: &str| concat_str([col("region_code"), lit("/"), col(c)], "", false);
    match level {
        Level::Province => prefix(2, "0000"),
        Level::City => prefix(4, "00"),
        Level::Region => col("region_code"),
        Level::Township => coalesce(&[
            col("township_code"),
            concat_str([col("region_code"), lit("000")], "", false),
        ]),
        Level::Department => scoped("department"),
        Level::Matter => scoped("matter_code"),
    }
}

/// One aggregation of the merged plan: every indicator reading `view` with `filter`,
/// summed at the grain in one `SELECT … GROUP BY`. Also what `pingjia spark-job` emits,
/// so Spark runs the same SQL text.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Aggregation {
    pub view: String,
    pub filter: Option<String>,
    pub sql: String,
    /// Indices into the indicator list, with where each finds its two parts.
    pub members: Vec<Member>,
}

/// Where an indicator's numerator and denominator come from in its aggregation.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Member {
    pub index: usize,
    pub numerator: Pick,
    pub denominator: Pick,
}

#[derive(Debug, Clone, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Pick {
    /// A summed column of the aggregation (summed again to roll up a level).
    Column(String),
    /// The same number at every level (`1 AS denominator`).
    Constant(f64),
}

/// The grain every view is aggregated to before levels are summed.
pub const GRAIN: [&str; 5] = [
    "quarter",
    "region_code",
    "township_code",
    "department",
    "matter_code",
];

/// Groups indicators by (view, filter) and writes one SQL statement per group.
pub fn aggregations(indicators: &[Indicator]) -> Vec<Aggregation> {
    let mut groups: Vec<Aggregation> = Vec::new();
    for (i, ind) in indicators.iter().enumerate() {
        let (view, filter) = (&ind.shape.view, &ind.shape.filter);
        let at = match groups
            .iter()
            .position(|g| &g.view == view && &g.filter == filter)
        {
            Some(at) => at,
            None => {
                groups.push(Aggregation {
                    view: view.clone(),
                    filter: filter.clone(),
                    sql: String::new(),
                    members: vec![],
                });
                groups.len() - 1
            }
        };
        let pick = |part: &plan::Part, tag: &str| match part {
            plan::Part::Sum(_) => Pick::Column(format!("{tag}_{i}")),
            plan::Part::Constant(c) => Pick::Constant(*c),
        };
        groups[at].members.push(Member {
            index: i,
            numerator: pick(&ind.shape.numerator, "n"),
            denominator: pick(&ind.shape.denominator, "d"),
        });
    }
    for g in &mut groups {
        let mut aggregates = vec!["COUNT(*) AS rows_in_group".to_owned()];
        for m in &g.members {
            let shape = &indicators[m.index].shape;
            for (part, pick) in [
                (&shape.numerator, &m.numerator),
                (&shape.denominator, &m.denominator),
            ] {
                if let (plan::Part::Sum(e), Pick::Column(c)) = (part, pick) {
                    aggregates.push(format!("{e} AS {c}"));
                }
            }
        }
        let grain = GRAIN.join(", ");
        let filter = g
            .filter
            .as_ref()
            .map(|f| format!(" WHERE {f}"))
            .unwrap_or_default();
        g.sql = format!(
            "SELECT {grain}, {} FROM {}{filter} GROUP BY {grain}",
            aggregates.join(", "),
            g.view
        );
    }
    groups
}

fn merged<'a>(
    enriched: &Enriched,
    indicators: &'a [Indicator],
    levels: &[Level],
) -> Result<Results<'a>> {
    // Indicators reading the same view with the same filter share one aggregation.
    let groups = aggregations(indicators);
    let views: Vec<(&str, LazyFrame)> = enriched
        .views
        .iter()
        .map(|(n, df)| (*n, df.clone().lazy()))
        .collect();
    let grains = grain_sums(&views, &groups, indicators)?
        .into_iter()
        .map(|g| g.expect("every view is given"))
        .collect::<Vec<_>>();
    roll_up(&groups, &grains, indicators, levels)
}

/// Runs the aggregations over whichever views are given (a whole table, or one chunk of
/// it when streaming): per aggregation, its sums at [`GRAIN`], or `None` when its view is
/// not among `views`.
pub fn grain_sums(
    views: &[(&str, LazyFrame)],
    groups: &[Aggregation],
    indicators: &[Indicator],
) -> Result<Vec<Option<DataFrame>>> {
    let mut ctx = polars::sql::SQLContext::new();
    for (name, df) in views {
        ctx.register(name, df.clone());
    }
    let mut plans = Vec::new();
    let mut at = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if !views.iter().any(|(name, _)| *name == g.view) {
            continue;
        }
        let ids: Vec<&str> = g
            .members
            .iter()
            .map(|m| indicators[m.index].id.as_str())
            .collect();
        let lf = ctx.execute(&g.sql).map_err(|e| {
            Error::Usage(format!(
                "indicators {} failed on view {}: {e}\nSQL:\n{}",
                ids.join(", "),
                g.view,
                g.sql
            ))
        })?;
        // Sums as exact floats (integers below 2^53), so partial sums add up exactly.
        let sums: Vec<Expr> = sum_columns(&g.members)
            .into_iter()
            .map(|c| col(c.as_str()).cast(DataType::Float64))
            .collect();
        plans.push(lf.with_columns(sums).logical_plan);
        at.push(i);
    }
    let computed =
        LazyFrame::collect_all_with_engine(plans, Engine::Streaming, OptFlags::default())
            .context("computing indicators")?;
    let mut out: Vec<Option<DataFrame>> = vec![None; groups.len()];
    for (i, df) in at.into_iter().zip(computed) {
        out[i] = Some(df);
    }
    Ok(out)
}

/// The summed columns of an aggregation: `rows_in_group` and every `n_i` / `d_i`.
fn sum_columns(members: &[Member]) -> Vec<String> {
    let mut cols = vec!["rows_in_group".to_owned()];
    for m in members {
        for p in [&m.numerator, &m.denominator] {
            if let Pick::Column(c) = p {
                cols.push(c.clone());
            }
        }
    }
    cols
}

/// Adds up partial sums of one aggregation (from chunks) into its sums at [`GRAIN`].
pub fn combine(group: &Aggregation, parts: Vec<DataFrame>) -> Result<DataFrame> {
    let sums: Vec<Expr> = sum_columns(&group.members)
        .into_iter()
        .map(|c| col(c.as_str()).sum())
        .collect();
    concat(
        parts.into_iter().map(IntoLazy::lazy).collect::<Vec<_>>(),
        UnionArgs::default(),
    )
    .and_then(|lf| lf.group_by(GRAIN.map(col)).agg(sums).collect())
    .context("adding partial sums")
}

/// Every indicator at every level, from the sums of each aggregation at [`GRAIN`].
pub fn roll_up<'a>(
    groups: &[Aggregation],
    grains: &[DataFrame],
    indicators: &'a [Indicator],
    levels: &[Level],
) -> Result<Results<'a>> {
    let mut out = Vec::new();
    for (g, grain) in groups.iter().zip(grains) {
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
            for m in &g.members {
                let pick = |p: &Pick, name: &str| match p {
                    Pick::Column(c) => col(c.as_str()).alias(name),
                    Pick::Constant(c) => lit(*c).alias(name),
                };
                let df = rolled
                    .clone()
                    .lazy()
                    .select([
                        col("quarter"),
                        col("key"),
                        pick(&m.numerator, "numerator"),
                        pick(&m.denominator, "denominator"),
                    ])
                    .collect()
                    .context("picking indicator")?;
                out.push((df, (&indicators[m.index], level)));
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
    /// 乡镇/街道 names as the data writes them, by 9-digit code.
    pub townships: HashMap<String, String>,
}

impl Names {
    /// The name of a township key: as the data writes it, else 「<district>本级」 for the
    /// district itself, else the code.
    pub fn township_name(&self, key: &str) -> String {
        if let Some(n) = self.townships.get(key) {
            return n.clone();
        }
        match key.strip_suffix("000") {
            Some(district) if district.len() == 6 => {
                format!("{}本级", self.regions.name(district).unwrap_or(district))
            }
            _ => key.to_owned(),
        }
    }

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
                Level::Township => self.township_name(k),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouping_goes_after_the_select_even_behind_comments() {
        let grouped =
            "SELECT quarter, region_key AS key,  1 AS numerator\nGROUP BY quarter, region_key";
        for sql in [
            "SELECT 1 AS numerator",
            "  select 1 AS numerator",
            "/* 说明：到期差评 */ SELECT 1 AS numerator",
            "/* 一 */ -- 二\n  Select 1 AS numerator",
        ] {
            assert_eq!(grouped_sql(sql, Level::Region), grouped, "{sql}");
        }
    }
}
