//! Enrich (docs/SPEC.md §3): the derived columns every indicator reads, computed once per table,
//! and the views the indicator SQL queries. Each view has a `quarter` column — the
//! quarter its indicators are attributed to — and one key column per level
//! (`province_key`, `city_key`, `region_key`, `department_key`, `matter_key`).
//!
//! | view | rows | quarter of |
//! |---|---|---|
//! | `accepted_cases` | every case | acceptance |
//! | `completed_cases` | status 办结 with a 办结时间 | completion |
//! | `open_cases_at_quarter_end` | per quarter end e: cases accepted by e, not rejected or withdrawn, not completed by e | e |
//! | `ratings` | every rating | rating time |
//! | `matters` | 依申请 matters of each quarter's catalogue | the quarter |

use polars::prelude::*;

use crate::calendar::Calendar;
use crate::error::{Error, PolarsContext, Result};
use crate::schema::Table;
use crate::time::{civil_from_days, quarter_of_day};

mod joins;
mod rated;
mod views;

pub use joins::matter_lookup;
use joins::with_matter;
pub use rated::RatedCases;
pub use views::*;

/// GB/T 39046 A.1 categories that are 依申请 (on application).
pub const ON_APPLICATION_CATEGORIES: [&str; 6] = ["01", "05", "07", "08", "09", "10"];

/// Settings of the definitions that provinces set differently.
#[derive(Debug, Clone)]
pub struct Rules {
    /// 差评整改 limit in working days (default 15).
    pub rectification_days: i32,
    /// 统计截止时间 (ms, China time) given by the user; else the data's latest timestamp.
    pub as_of: Option<i64>,
    /// Whether ratings the system filled in (默认评价) count in satisfaction_rate and
    /// good_rating_rate (default: no — a default is no person's opinion).
    pub count_default_ratings: bool,
    /// When an open case's light turns 黄 (预警, docs/SPEC.md §10).
    pub warning: crate::watch::Window,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            rectification_days: 15,
            as_of: None,
            count_default_ratings: false,
            warning: crate::watch::Window::default(),
        }
    }
}

/// The enriched views, by name.
pub struct Enriched {
    pub views: Vec<(&'static str, DataFrame)>,
    /// Quarters found in the case and rating data, sorted.
    pub quarters: Vec<String>,
    /// The latest acceptance, completion or rating day in the data (days since 1970).
    pub last_day: Option<i32>,
    /// 乡镇/街道 names the data gives, by code.
    pub township_names: std::collections::HashMap<String, String>,
    /// 统计截止时间 (ms, China time): the user's, else the latest timestamp in the data.
    pub as_of: Option<i64>,
}

impl Enriched {
    pub fn view(&self, name: &str) -> Option<&DataFrame> {
        self.views
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, df)| df)
    }

    /// A SQL context with every view registered under its name.
    pub fn sql_context(&self) -> polars::sql::SQLContext {
        let ctx = polars::sql::SQLContext::new();
        for (name, df) in &self.views {
            ctx.register(name, df.clone().lazy());
        }
        ctx
    }
}

/// `2025Q4` of a date expression.
pub fn quarter_of(e: Expr) -> Expr {
    concat_str(
        [
            e.clone().dt().year().cast(DataType::String),
            lit("Q"),
            e.dt().quarter().cast(DataType::String),
        ],
        "",
        false,
    )
}

/// A Date column as day numbers (days since 1970), nulls kept.
fn day_numbers(df: &DataFrame, date_col: &str) -> Result<Int32Chunked> {
    let what = || format!("day numbers of {date_col}");
    Ok(df
        .column(date_col)
        .context(what())?
        .cast(&DataType::Int32)
        .context(what())?
        .i32()
        .context(what())?
        .clone())
}

/// `2025Q4` of a Date column, as a column named `name`: each day of the column's range
/// labelled once, then looked up (a date expression per row costs a calendar conversion
/// and a string concatenation per row).
pub fn quarter_labels(df: &DataFrame, date_col: &str, name: &str) -> Result<Column> {
    let days = day_numbers(df, date_col)?;
    let labels = match (days.min(), days.max()) {
        // One label per day of the range, taken by day: no string made per row.
        (Some(lo), Some(hi)) if hi - lo < 100_000 => {
            let labels =
                StringChunked::from_iter_values(name.into(), (lo..=hi).map(quarter_of_day));
            let at: IdxCa = days
                .iter()
                .map(|d| d.map(|d| (d - lo) as IdxSize))
                .collect();
            labels.take(&at).context("quarter labels")?
        }
        _ => StringChunked::from_iter_options(
            name.into(),
            days.iter().map(|d| d.map(quarter_of_day)),
        ),
    };
    Ok(labels.into_series().into())
}

/// Level keys from region_code (and department / matter_code), for ad-hoc SQL
/// (`pingjia query`) and the audits. Streaming leaves them out: indicators are summed at
/// the grain of the raw columns and keyed per level afterwards, on a few thousand rows.
fn with_keys(lf: LazyFrame) -> LazyFrame {
    lf.with_columns([
        concat_str(
            [col("region_code").str().slice(lit(0), lit(2)), lit("0000")],
            "",
            false,
        )
        .alias("province_key"),
        concat_str(
            [col("region_code").str().slice(lit(0), lit(4)), lit("00")],
            "",
            false,
        )
        .alias("city_key"),
        col("region_code").alias("region_key"),
        coalesce(&[
            col("township_code"),
            concat_str([col("region_code"), lit("000")], "", false),
        ])
        .alias("township_key"),
        concat_str([col("region_code"), lit("/"), col("department")], "", false)
            .alias("department_key"),
        concat_str(
            [col("region_code"), lit("/"), col("matter_code")],
            "",
            false,
        )
        .alias("matter_key"),
    ])
}

/// `W(d)` of a Date column (days since 1970), null where the date is null.
fn workday_index(
    df: &DataFrame,
    date_col: &str,
    calendar: &Calendar,
    table: &str,
) -> Result<Series> {
    let days = day_numbers(df, date_col)?;
    let mut out = Vec::with_capacity(days.len());
    for d in days.iter() {
        out.push(match d {
            None => None,
            Some(d) => Some(calendar.w(d).map_err(|e| {
                Error::Usage(format!(
                    "{table}: {date_col} {} is outside the holiday schedule ({}–{})\nhint: add that year with --calendar FILE, or count weekdays only with --weekday-only-outside-calendar",
                    e.date, e.first, e.last
                ))
            })?),
        });
    }
    Ok(
        Int32Chunked::from_iter_options(format!("w_{date_col}").into(), out.into_iter())
            .into_series(),
    )
}

fn add_w(mut df: DataFrame, cols: &[&str], calendar: &Calendar, table: &str) -> Result<DataFrame> {
    for c in cols {
        let w = workday_index(&df, c, calendar, table)?;
        df.with_column(w.into_column()).context("adding W")?;
    }
    Ok(df)
}

pub fn enrich(
    tables: &std::collections::BTreeMap<Table, DataFrame>,
    calendar: &Calendar,
    rules: &Rules,
) -> Result<Enriched> {
    let matters = &tables[&Table::Matters];
    let lookup = matter_lookup(matters)?;
    let mut rated = RatedCases::default();
    rated.add(&tables[&Table::Ratings])?;
    let cases = enrich_cases(&tables[&Table::Cases], &lookup, &rated, calendar)?;
    let ratings = enrich_ratings(&tables[&Table::Ratings], &lookup, calendar, rules)?;
    let mut found = Found::default();
    found.add_cases(&cases)?;
    found.add_ratings(&ratings)?;
    let quarters = found.quarters();
    // Level keys once per table; the views below carry them.
    let keyed = |df: DataFrame| with_keys(df.lazy()).collect().context("level keys");
    let cases = keyed(cases)?;
    let (accepted_cases, completed_cases) = case_views(&cases);
    let open = open_at_quarter_ends(&open_candidates(&cases, &[])?, &quarters, calendar)?;
    let matters_q = matters_by_quarter(matters, &quarters, &found, &lookup)?;
    let as_of = rules.as_of.or(found.last_timestamp);
    let ratings = keyed(ratings)?;
    let bad = bad_ratings(&bad_rating_candidates(&ratings)?, calendar, rules, as_of)?;
    Ok(Enriched {
        views: vec![
            (
                "accepted_cases",
                accepted_cases.collect().context("accepted_cases")?,
            ),
            (
                "completed_cases",
                completed_cases.collect().context("completed_cases")?,
            ),
            ("open_cases_at_quarter_end", open),
            ("ratings", ratings),
            ("bad_ratings", bad),
            ("matters", matters_q),
        ],
        quarters,
        last_day: found.last_day,
        township_names: found.township_names,
        as_of,
    })
}

/// The latest timestamp of an acceptance, completion, rating, rectification or revisit
/// in the canonical tables: the default as-of time.
pub fn latest_timestamp(
    tables: &std::collections::BTreeMap<Table, DataFrame>,
) -> Result<Option<i64>> {
    let mut found = Found::default();
    found.add_latest(&tables[&Table::Cases], &["accepted_at", "completed_at"])?;
    found.add_latest(
        &tables[&Table::Ratings],
        &["rated_at", "rectified_at", "revisited_at"],
    )?;
    Ok(found.last_timestamp)
}

/// Cases with the matter joined, W indexes, quarters, durations and flags (docs/SPEC.md §3). Row by
/// row: enriching a table in chunks gives the chunks of the enriched table.
pub fn enrich_cases(
    cases: &DataFrame,
    lookup: &DataFrame,
    rated: &RatedCases,
    calendar: &Calendar,
) -> Result<DataFrame> {
    derive_cases(join_cases(cases, lookup, rated)?, calendar)
}

/// The first half of [`enrich_cases`]: the matter's catalogue columns and whether a
/// rating names the case — row-wise probes of hash tables, no Polars plan, so streaming
/// runs it on the reader thread beside the rest.
pub fn join_cases(cases: &DataFrame, lookup: &DataFrame, rated: &RatedCases) -> Result<DataFrame> {
    let mut cases = with_matter(cases, lookup, &[])?;
    let flags = rated.flags(cases.column("case_id").context("cases")?)?;
    cases.with_column(flags).context("rated")?;
    Ok(cases)
}

/// The second half of [`enrich_cases`]: W indexes, quarters, durations and flags of
/// joined cases ([`join_cases`]).
pub fn derive_cases(cases: DataFrame, calendar: &Calendar) -> Result<DataFrame> {
    // `a`, else `b` where `a` is null — a column taken as it is when it has no nulls (a
    // text coalesce rebuilds every row's text).
    let or_else = |a: &str, b: Expr| -> Expr {
        match cases.column(a) {
            Ok(c) if c.null_count() == 0 => col(a),
            _ => coalesce(&[col(a), b]),
        }
    };
    let department = or_else("department", col("matter_department"));
    let promised_days = or_else("promised_days", col("matter_promised_days"));
    let time_unit = or_else("time_unit", lit("workday"));
    let base = cases
        .lazy()
        .with_columns([
            department.alias("department"),
            promised_days.alias("effective_promised_days"),
            time_unit.alias("time_unit"),
            col("accepted_at")
                .cast(DataType::Date)
                .alias("accepted_date"),
            col("completed_at")
                .cast(DataType::Date)
                .alias("completed_date"),
            col("suspend_start")
                .cast(DataType::Date)
                .alias("suspend_start_date"),
            col("suspend_end")
                .cast(DataType::Date)
                .alias("suspend_end_date"),
        ])
        .collect()
        .context("joining cases to matters")?;
    let mut base = add_w(
        base,
        &[
            "accepted_date",
            "completed_date",
            "suspend_start_date",
            "suspend_end_date",
        ],
        calendar,
        "cases",
    )?;
    for (date, quarter) in [
        ("accepted_date", "accepted_quarter"),
        ("completed_date", "completed_quarter"),
    ] {
        let q = quarter_labels(&base, date, quarter)?;
        base.with_column(q).context("quarters")?;
    }
    let calendar_unit = col("time_unit").eq(lit("calendar"));
    let day_diff = |a: &str, b: &str| col(b).cast(DataType::Int32) - col(a).cast(DataType::Int32);
    base.lazy()
        .with_columns([
            // Suspension: the days given, else W(end) − W(start) in the case's unit.
            when(col("suspended_days").gt(lit(0)))
                .then(col("suspended_days"))
                .when(
                    col("suspend_start_date")
                        .is_not_null()
                        .and(col("suspend_end_date").is_not_null()),
                )
                .then(
                    when(calendar_unit.clone())
                        .then(day_diff("suspend_start_date", "suspend_end_date"))
                        .otherwise(col("w_suspend_end_date") - col("w_suspend_start_date")),
                )
                .otherwise(lit(0))
                .alias("suspended_days"),
            when(calendar_unit.clone())
                .then(day_diff("accepted_date", "completed_date"))
                .otherwise(col("w_completed_date") - col("w_accepted_date"))
                .alias("elapsed_days"),
            col("effective_promised_days")
                .eq(lit(0))
                .fill_null(lit(false))
                .alias("instant"),
            col("channel")
                .is_in(
                    lit(Series::new("c".into(), ["online", "app"])).implode(false),
                    false,
                )
                .fill_null(lit(false))
                .alias("online"),
        ])
        .with_columns([when(col("elapsed_days").is_null())
            .then(lit(NULL).cast(DataType::Int32))
            .when(col("elapsed_days").lt(col("suspended_days")))
            .then(lit(0))
            .otherwise(col("elapsed_days") - col("suspended_days"))
            .alias("net_days")])
        .with_columns([when(
            col("status")
                .eq(lit("completed"))
                .and(col("net_days").is_not_null()),
        )
        .then(col("net_days").lt_eq(col("effective_promised_days")))
        .otherwise(lit(NULL).cast(DataType::Boolean))
        .alias("on_time")])
        .collect()
        .context("enriching cases")
}

/// Ratings with the matter's department, W indexes, quarter and flags.
pub fn enrich_ratings(
    ratings: &DataFrame,
    lookup: &DataFrame,
    calendar: &Calendar,
    rules: &Rules,
) -> Result<DataFrame> {
    add_w(
        with_matter(ratings, lookup, &["matter_department"])?
            .lazy()
            .with_columns([
                coalesce(&[col("department"), col("matter_department")]).alias("department"),
                col("rated_at").cast(DataType::Date).alias("rated_date"),
                col("rectified_at")
                    .cast(DataType::Date)
                    .alias("rectified_date"),
            ])
            .collect()
            .context("joining ratings")?,
        &["rated_date", "rectified_date"],
        calendar,
        "ratings",
    )
    .and_then(|mut df| {
        let q = quarter_labels(&df, "rated_date", "quarter")?;
        df.with_column(q).context("quarters")?;
        Ok(df)
    })?
    .lazy()
    .with_columns([
        // An upheld appeal (申诉成立) makes a 差评 no 差评 anywhere (docs/SPEC.md §2.3).
        col("satisfaction")
            .gt_eq(lit(4))
            .and(col("appeal_upheld").not())
            .alias("bad"),
        col("satisfaction").lt_eq(lit(2)).alias("good"),
        if rules.count_default_ratings {
            lit(true)
        } else {
            col("is_default").not()
        }
        .alias("in_satisfaction"),
        (col("rectified_at").is_not_null().and(
            (col("w_rectified_date") - col("w_rated_date")).lt_eq(lit(rules.rectification_days)),
        ))
        .fill_null(lit(false))
        .alias("rectified_in_time"),
    ])
    .collect()
    .context("enriching ratings")
}
