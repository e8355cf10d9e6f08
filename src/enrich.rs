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

/// GB/T 39046 A.1 categories that are 依申请 (on application).
pub const ON_APPLICATION_CATEGORIES: [&str; 6] = ["01", "05", "07", "08", "09", "10"];

/// Settings of the definitions that provinces set differently.
#[derive(Debug, Clone)]
pub struct Rules {
    /// 差评整改 limit in working days (default 15).
    pub rectification_days: i32,
    /// 统计截止时间 (ms, China time) given by the user; else the data's latest timestamp.
    pub as_of: Option<i64>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            rectification_days: 15,
            as_of: None,
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

/// The latest catalogue row per region + matter (for joining cases and ratings).
fn latest_matters(matters: &DataFrame) -> LazyFrame {
    matters
        .clone()
        .lazy()
        .sort(
            ["as_of"],
            SortMultipleOptions::default().with_nulls_last(false),
        )
        .unique_stable(
            Some(cols(["region_code", "matter_code"])),
            UniqueKeepStrategy::Last,
        )
}

/// The catalogue columns cases and ratings are joined to: the latest row per region +
/// matter.
pub fn matter_lookup(matters: &DataFrame) -> Result<DataFrame> {
    latest_matters(matters)
        .select([
            col("region_code"),
            col("matter_code"),
            col("department").alias("matter_department"),
            col("matter_name"),
            col("promised_days").alias("matter_promised_days"),
            col("time_unit"),
            col("category"),
        ])
        .collect()
        .context("latest catalogue rows")
}

/// `df` with the catalogue columns of its matter (`lookup` is one row per region +
/// matter): a left join, done as one hash probe per row and a gather of the small
/// lookup, so the rows of `df` are not copied. `only` limits the columns (empty = all).
fn with_matter(df: &DataFrame, lookup: &DataFrame, only: &[&str]) -> Result<DataFrame> {
    let text = |d: &DataFrame, c: &str| -> Result<StringChunked> {
        Ok(d.column(c)
            .context("matter lookup")?
            .str()
            .context("matter lookup")?
            .clone())
    };
    let (lr, lm) = (text(lookup, "region_code")?, text(lookup, "matter_code")?);
    let mut at: PlHashMap<(&str, &str), IdxSize> = PlHashMap::with_capacity(lookup.height());
    for (i, (r, m)) in lr.iter().zip(lm.iter()).enumerate() {
        if let (Some(r), Some(m)) = (r, m) {
            at.insert((r, m), i as IdxSize);
        }
    }
    let (r, m) = (text(df, "region_code")?, text(df, "matter_code")?);
    let idx = IdxCa::from_iter_options(
        "idx".into(),
        r.iter()
            .zip(m.iter())
            .map(|(r, m)| at.get(&(r?, m?)).copied()),
    );
    let columns: Vec<PlSmallStr> = lookup
        .get_column_names()
        .into_iter()
        .filter(|c| *c != "region_code" && *c != "matter_code")
        .filter(|c| only.is_empty() || only.contains(&c.as_str()))
        .cloned()
        .collect();
    let gathered = lookup
        .select(columns)
        .context("matter lookup")?
        .take(&idx)
        .context("matter lookup")?;
    let mut out = df.clone();
    out.hstack_mut(gathered.columns())
        .context("matter lookup")?;
    Ok(out)
}

/// The case ids ratings name, gathered chunk by chunk and probed by every chunk of cases.
/// Ids that are numbers (up to 19 digits, no leading zero: most platforms' 办件编号) are
/// kept as `u64` — 8 bytes, nothing to compare byte by byte —, any other id as text.
#[derive(Debug, Default)]
pub struct RatedCases {
    numbers: NumberSet,
    texts: PlHashSet<String>,
}

impl RatedCases {
    /// Adds the case ids of (a chunk of) the ratings table.
    pub fn add(&mut self, ratings: &DataFrame) -> Result<()> {
        let ids = ratings.column("case_id").context("ratings")?;
        for id in ids.str().context("ratings")?.iter().flatten() {
            match id_number(id) {
                Some(n) => {
                    self.numbers.insert(n);
                }
                None if !self.texts.contains(id) => {
                    self.texts.insert(id.to_owned());
                }
                None => {}
            }
        }
        Ok(())
    }

    /// Whether a rating names each case. At province scale the set outgrows the caches
    /// and each probe waits on memory: numeric ids are probed in batches whose slots are
    /// fetched ahead, so the waits overlap.
    fn flags(&self, case_ids: &Column) -> Result<Column> {
        let ids = case_ids.str().context("case ids")?;
        let mut flags = Vec::with_capacity(ids.len());
        let mut batch: Vec<Option<&str>> = Vec::with_capacity(PROBE_BATCH);
        let mut numbers = [None; PROBE_BATCH];
        for id in ids.iter() {
            batch.push(id);
            if batch.len() == PROBE_BATCH {
                self.probe(&batch, &mut numbers, &mut flags);
                batch.clear();
            }
        }
        self.probe(&batch, &mut numbers, &mut flags);
        Ok(BooleanChunked::from_slice("rated".into(), &flags)
            .into_series()
            .into())
    }

    fn probe(&self, batch: &[Option<&str>], numbers: &mut [Option<u64>], flags: &mut Vec<bool>) {
        for (id, n) in batch.iter().zip(numbers.iter_mut()) {
            *n = id.and_then(id_number);
            if let Some(n) = n {
                self.numbers.prefetch(*n);
            }
        }
        for (id, n) in batch.iter().zip(numbers.iter()) {
            flags.push(match (id, n) {
                (_, Some(n)) => self.numbers.contains(*n),
                (Some(id), None) => self.texts.contains(*id),
                (None, None) => false,
            });
        }
    }
}

/// Ids probed together (their slots fetched ahead).
const PROBE_BATCH: usize = 16;

/// A set of non-zero `u64`s: open addressing with linear probing in one array (0 marks
/// an empty slot), at most 3/4 full — a slot can be fetched ahead of the probe.
#[derive(Debug, Default)]
struct NumberSet {
    slots: Vec<u64>,
    len: usize,
}

impl NumberSet {
    fn slot(&self, n: u64) -> usize {
        // Fibonacci hashing: the top bits of n × 2^64/φ.
        let bits = self.slots.len().trailing_zeros();
        (n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    fn insert(&mut self, n: u64) {
        debug_assert!(n != 0);
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            let size = (self.slots.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![0; size]);
            self.len = 0;
            for m in old.into_iter().filter(|m| *m != 0) {
                self.insert(m);
            }
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(n);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = n;
                    self.len += 1;
                    return;
                }
                m if m == n => return,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn contains(&self, n: u64) -> bool {
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot(n);
        loop {
            match self.slots[i] {
                0 => return false,
                m if m == n => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Asks the CPU to bring `n`'s slot into cache (a hint; nothing else happens).
    fn prefetch(&self, n: u64) {
        if self.slots.is_empty() {
            return;
        }
        #[cfg(target_arch = "x86_64")]
        // SAFETY: prefetching is a hint and cannot fault; the address is inside `slots`.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(self.slots.as_ptr().add(self.slot(n)).cast());
        }
    }
}

/// An id of 1–19 digits without a leading zero as the number it writes (so that two ids
/// are equal exactly when their numbers are); `None` for any other id.
fn id_number(id: &str) -> Option<u64> {
    let b = id.as_bytes();
    if b.is_empty() || b.len() > 19 || b[0] == b'0' {
        return None;
    }
    b.iter().try_fold(0u64, |n, &c| {
        let d = c.wrapping_sub(b'0');
        // 19 digits stay below 10^19 < 2^64.
        (d < 10).then(|| n * 10 + u64::from(d))
    })
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
    let open = open_at_quarter_ends(&open_candidates(&cases)?, &quarters, calendar)?;
    let matters_q = matters_by_quarter(matters, &quarters)?;
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

/// The 差评 of (a chunk of) enriched ratings: kept aside while streaming, since whether
/// each is due depends on the as-of time, known once all the data has been read.
pub fn bad_rating_candidates(ratings: &DataFrame) -> Result<DataFrame> {
    ratings
        .clone()
        .lazy()
        .filter(col("bad").fill_null(lit(false)))
        .collect()
        .context("bad ratings")
}

/// The `bad_ratings` view (docs/SPEC.md §4): every 差评 with, at the as-of time, whether it was
/// `rectified` (by then), its `rectification_deadline` (the limit's last working day
/// after rating), whether it is `due` — rectified, or its deadline is behind the as-of
/// day (a Saturday after a Friday deadline is past it, though W has not moved) — or
/// `pending` (rated by the as-of time, not rectified, deadline not passed). A 差评 rated
/// after the as-of time is neither. `rectified_in_time` comes from the ratings view.
/// Without an as-of time (no data) every 差评 is due.
pub fn bad_ratings(
    bad: &DataFrame,
    calendar: &Calendar,
    rules: &Rules,
    as_of: Option<i64>,
) -> Result<DataFrame> {
    let limit = rules.rectification_days;
    let as_of_day = as_of.map(|ms| ms.div_euclid(86_400_000) as i32);
    if let Some(d) = as_of_day {
        calendar.w(d).map_err(|e| {
            Error::Usage(format!(
                "the as-of date {} is outside the holiday schedule ({}–{})\nhint: add that year with --calendar FILE",
                e.date, e.first, e.last
            ))
        })?;
    }
    // Deadlines: the limit-th working day after each distinct rating day.
    let w_rated = bad
        .column("w_rated_date")
        .context("bad ratings")?
        .i32()
        .context("bad ratings")?;
    let deadline: Int32Chunked = w_rated
        .iter()
        .map(|w| w.and_then(|w| calendar.day_with_w(w + limit)))
        .collect();
    let mut df = bad.clone();
    df.with_column(
        deadline
            .into_series()
            .cast(&DataType::Date)
            .context("deadlines")?
            .with_name("rectification_deadline".into())
            .into_column(),
    )
    .context("deadlines")?;
    let rectified = match as_of {
        Some(t) => col("rectified_at")
            .is_not_null()
            .and(col("rectified_at").cast(DataType::Int64).lt_eq(lit(t))),
        None => col("rectified_at").is_not_null(),
    };
    let (expired, rated_by_then) = match (as_of_day, as_of) {
        (Some(day), Some(t)) => (
            col("rectification_deadline")
                .cast(DataType::Int32)
                .lt(lit(day))
                .fill_null(lit(false)),
            col("rated_at").cast(DataType::Int64).lt_eq(lit(t)),
        ),
        _ => (lit(true), lit(true)),
    };
    df.lazy()
        .with_columns([rectified.alias("rectified")])
        .with_columns([
            col("rectified").or(expired.clone()).alias("due"),
            col("rectified")
                .not()
                .and(expired.not())
                .and(rated_by_then)
                .alias("pending"),
        ])
        .collect()
        .context("bad ratings")
}

/// Cases with the matter joined, W indexes, quarters, durations and flags (docs/SPEC.md §3). Row by
/// row: enriching a table in chunks gives the chunks of the enriched table.
pub fn enrich_cases(
    cases: &DataFrame,
    lookup: &DataFrame,
    rated: &RatedCases,
    calendar: &Calendar,
) -> Result<DataFrame> {
    let mut cases = with_matter(cases, lookup, &[])?;
    let flags = rated.flags(cases.column("case_id").context("cases")?)?;
    cases.with_column(flags).context("rated")?;
    let base = cases
        .lazy()
        .with_columns([
            coalesce(&[col("department"), col("matter_department")]).alias("department"),
            coalesce(&[col("promised_days"), col("matter_promised_days")])
                .alias("effective_promised_days"),
            col("time_unit")
                .fill_null(lit("workday"))
                .alias("time_unit"),
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
        col("satisfaction").gt_eq(lit(4)).alias("bad"),
        col("satisfaction").lt_eq(lit(2)).alias("good"),
        (col("rectified_at").is_not_null().and(
            (col("w_rectified_date") - col("w_rated_date")).lt_eq(lit(rules.rectification_days)),
        ))
        .fill_null(lit(false))
        .alias("rectified_in_time"),
    ])
    .collect()
    .context("enriching ratings")
}

/// `accepted_cases` and `completed_cases` of enriched cases.
/// Lazy, so that a query over a view filters and copies only the columns it reads.
pub fn case_views(cases: &DataFrame) -> (LazyFrame, LazyFrame) {
    let accepted_cases = cases
        .clone()
        .lazy()
        .with_column(col("accepted_quarter").alias("quarter"));
    let completed_cases = cases
        .clone()
        .lazy()
        .filter(
            col("status")
                .eq(lit("completed"))
                .and(col("completed_at").is_not_null()),
        )
        .with_column(col("completed_quarter").alias("quarter"));
    (accepted_cases, completed_cases)
}

/// Columns of enriched cases that `open_at_quarter_ends` and the grain need.
pub const OPEN_VIEW_INPUTS: [&str; 11] = [
    "region_code",
    "township_code",
    "department",
    "matter_code",
    "accepted_date",
    "completed_date",
    "status",
    "time_unit",
    "w_accepted_date",
    "suspended_days",
    "effective_promised_days",
];

/// The enriched cases that can be open at some quarter's end: not completed, or
/// completed in another quarter than accepted. A case accepted and completed within one
/// quarter is open at no quarter end, so streaming keeps only these rows for the
/// `open_cases_at_quarter_end` view, computed once every quarter of the data is known.
pub fn open_candidates(cases: &DataFrame) -> Result<DataFrame> {
    cases
        .clone()
        .lazy()
        .filter(
            col("completed_quarter")
                .is_null()
                .or(col("completed_quarter").neq(col("accepted_quarter")))
                .fill_null(lit(true)),
        )
        .collect()
        .context("open case candidates")
}

/// Quarters, the last day and timestamp and the township names seen in enriched cases
/// and ratings, gathered chunk by chunk.
#[derive(Debug, Default)]
pub struct Found {
    quarters: std::collections::BTreeSet<String>,
    /// The latest acceptance, completion or rating day (days since 1970).
    pub last_day: Option<i32>,
    /// The latest timestamp of an acceptance, completion, rating, rectification or
    /// revisit (ms, China time): the moment of the export, the default as-of time.
    pub last_timestamp: Option<i64>,
    /// 乡镇/街道 names the data gives, by 9-digit code (the first name seen).
    pub township_names: std::collections::HashMap<String, String>,
}

impl Found {
    pub fn add_cases(&mut self, cases: &DataFrame) -> Result<()> {
        self.add_townships(cases)?;
        self.add_latest(cases, &["accepted_at", "completed_at"])?;
        self.add(cases, &["accepted_date", "completed_date"])
    }
    pub fn add_ratings(&mut self, ratings: &DataFrame) -> Result<()> {
        self.add_townships(ratings)?;
        self.add_latest(ratings, &["rated_at", "rectified_at", "revisited_at"])?;
        self.add(ratings, &["rated_date"])
    }
    fn add_latest(&mut self, df: &DataFrame, columns: &[&str]) -> Result<()> {
        for c in columns {
            let ms = df
                .column(c)
                .context("latest timestamp")?
                .cast(&DataType::Int64)
                .context("latest timestamp")?;
            let latest = ms.i64().context("latest timestamp")?.max();
            self.last_timestamp = self.last_timestamp.max(latest);
        }
        Ok(())
    }
    fn add_townships(&mut self, df: &DataFrame) -> Result<()> {
        let code = df.column("township_code").context("townships")?;
        if code.null_count() == code.len() {
            return Ok(());
        }
        let name = df.column("township_name").context("townships")?;
        let (code, name) = (
            code.str().context("townships")?,
            name.str().context("townships")?,
        );
        for (c, n) in code.iter().zip(name.iter()) {
            if let (Some(c), Some(n)) = (c, n) {
                if !self.township_names.contains_key(c) {
                    self.township_names.insert(c.to_owned(), n.to_owned());
                }
            }
        }
        Ok(())
    }
    /// The quarters of the distinct days of each date column, and the latest day.
    fn add(&mut self, df: &DataFrame, dates: &[&str]) -> Result<()> {
        for c in dates {
            let days = day_numbers(df, c)?.unique().context("quarters")?;
            self.quarters
                .extend(days.iter().flatten().map(quarter_of_day));
            self.last_day = self.last_day.max(days.max());
        }
        Ok(())
    }
    /// Quarters found, sorted.
    pub fn quarters(&self) -> Vec<String> {
        self.quarters.iter().cloned().collect()
    }
}

/// First and last day (days since 1970) of a quarter label (`2025Q4`).
pub fn quarter_bounds(q: &str) -> Option<(i32, i32)> {
    crate::time::Quarter::parse(q)?.bounds()
}

/// Cases still open at each quarter's end, with whether they were overdue then.
pub fn open_at_quarter_ends(
    cases: &DataFrame,
    quarters: &[String],
    calendar: &Calendar,
) -> Result<DataFrame> {
    let mut parts = Vec::new();
    for q in quarters {
        let (_, end) = quarter_bounds(q).ok_or_else(|| Error::Usage(format!("bad quarter {q}")))?;
        let w_end = calendar.w(end).map_err(|e| Error::Usage(e.to_string()))?;
        let end_date = lit(civil_from_days(end)).cast(DataType::Date);
        let lf = cases
            .clone()
            .lazy()
            .filter(
                col("accepted_date")
                    .lt_eq(end_date.clone())
                    .and(
                        col("status")
                            .is_in(
                                lit(Series::new("s".into(), ["rejected", "withdrawn"]))
                                    .implode(false),
                                false,
                            )
                            .not(),
                    )
                    .and(
                        col("completed_date")
                            .is_null()
                            .or(col("completed_date").gt(end_date.clone())),
                    ),
            )
            .with_columns([
                lit(q.as_str()).alias("quarter"),
                (when(col("time_unit").eq(lit("calendar")))
                    .then(lit(end) - col("accepted_date").cast(DataType::Int32))
                    .otherwise(lit(w_end) - col("w_accepted_date"))
                    - col("suspended_days"))
                .alias("days_open_at_end"),
            ])
            .with_column(
                col("days_open_at_end")
                    .gt(col("effective_promised_days"))
                    .fill_null(lit(false))
                    .alias("overdue"),
            );
        parts.push(lf);
    }
    if parts.is_empty() {
        return cases
            .clone()
            .lazy()
            .limit(0)
            .with_columns([
                lit("").alias("quarter"),
                lit(0).alias("days_open_at_end"),
                lit(false).alias("overdue"),
            ])
            .collect()
            .context("open cases");
    }
    concat(parts, UnionArgs::default())
        .and_then(|lf| lf.collect())
        .context("open cases at quarter end")
}

/// 依申请 matters per quarter: the snapshot whose as_of falls in the quarter (the latest
/// one there), or — when the catalogue has no snapshot dates — the one catalogue, applied
/// to every quarter of the case and rating data. A matter without 事项类型 counts as 依申请.
pub fn matters_by_quarter(matters: &DataFrame, quarters: &[String]) -> Result<DataFrame> {
    let on_application = col("category").is_null().or(col("category").is_in(
        lit(Series::new("c".into(), ON_APPLICATION_CATEGORIES)).implode(false),
        false,
    ));
    let base = matters.clone().lazy().filter(on_application);
    let snapshots = matters.column("as_of").context("as_of")?.null_count() < matters.height();
    let lf = if snapshots {
        base.filter(col("as_of").is_not_null())
            .with_column(quarter_of(col("as_of")).alias("quarter"))
            .with_column(
                col("as_of")
                    .max()
                    .over([col("region_code"), col("quarter")])
                    .context("latest snapshot")?
                    .alias("latest_as_of"),
            )
            .filter(col("as_of").eq(col("latest_as_of")))
    } else {
        let q = DataFrame::new(
            quarters.len(),
            vec![Series::new("quarter".into(), quarters).into_column()],
        )
        .context("quarters")?;
        base.cross_join(q.lazy(), None)
    };
    with_keys(
        lf.with_columns([
            // A catalogue row belongs to its district, not to a township.
            lit(NULL).cast(DataType::String).alias("township_code"),
            col("promised_days")
                .eq(lit(0))
                .fill_null(lit(false))
                .alias("instant_matter"),
            col("online_depth").fill_null(lit(0)).alias("online_depth"),
            col("legal_unit").eq(col("time_unit")).alias("same_unit"),
        ]),
    )
    .collect()
    .context("matters by quarter")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rated_case_ids_match_as_text_whether_kept_as_numbers_or_not() {
        let rated_ids = [
            "3703022024010000000",
            "0123",
            "A-77",
            "9999999999999999999",
            "12",
        ];
        let ratings = df!("case_id" => [Some(rated_ids[0]), None, Some(rated_ids[1]), Some(rated_ids[2]), Some(rated_ids[3]), Some(rated_ids[4]), Some(rated_ids[4])]).unwrap();
        let mut rated = RatedCases::default();
        rated.add(&ratings).unwrap();
        assert_eq!(
            rated.numbers.len, 3,
            "19 digits, and no leading zero, are numbers"
        );
        assert_eq!(rated.texts.len(), 2);
        let cases = Column::new(
            "case_id".into(),
            [
                Some("3703022024010000000"),
                Some("123"), // not "0123"
                Some("0123"),
                Some("A-77"),
                Some("a-77"),
                Some("9999999999999999999"),
                Some("99999999999999999990"), // 20 digits: text, not rated
                Some("012"),
                None,
            ],
        );
        let flags = rated.flags(&cases).unwrap();
        let got: Vec<bool> = flags.bool().unwrap().iter().map(|v| v.unwrap()).collect();
        assert_eq!(
            got,
            [true, false, true, true, false, true, false, false, false]
        );
        assert_eq!(
            id_number("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        assert_eq!(id_number("1x"), None);
    }

    proptest::proptest! {
        /// The slot table answers like a hash set, across growth and collisions.
        #[test]
        fn number_set_is_a_set(
            inserted in proptest::collection::vec(1u64..5000, 0..3000),
            asked in proptest::collection::vec(1u64..6000, 0..500),
        ) {
            let mut set = NumberSet::default();
            let mut oracle = std::collections::HashSet::new();
            for n in &inserted {
                set.insert(*n);
                oracle.insert(*n);
            }
            proptest::prop_assert_eq!(set.len, oracle.len());
            for n in asked.iter().chain(&inserted) {
                proptest::prop_assert_eq!(set.contains(*n), oracle.contains(n));
            }
        }
    }
}
