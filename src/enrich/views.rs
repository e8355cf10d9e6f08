//! The views that need more than one row per case: 差评 with their due state at the
//! as-of time, the open cases at each quarter end, and each quarter's catalogue.

use polars::prelude::*;

use crate::error::{PolarsContext, Result};

use super::*;
use crate::calendar::Calendar;

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
/// `columns` limits the columns kept (empty: all); only those are filtered.
pub fn open_candidates(cases: &DataFrame, columns: &[PlSmallStr]) -> Result<DataFrame> {
    let open = cases.clone().lazy().filter(
        col("completed_quarter")
            .is_null()
            .or(col("completed_quarter").neq(col("accepted_quarter")))
            .fill_null(lit(true)),
    );
    match columns {
        [] => open,
        _ => open.select(columns.iter().cloned().map(col).collect::<Vec<_>>()),
    }
    .collect()
    .context("open case candidates")
}

/// Rows of a chunk kept aside until the end (open-case candidates, 差评) with their text
/// copied out: a filtered text column still points into the whole chunk's text, which
/// would otherwise stay in memory for every chunk — 0.4 GB at 10M cases.
pub fn kept_aside(df: DataFrame) -> DataFrame {
    let columns = df
        .into_columns()
        .into_iter()
        .map(|c| match c.str() {
            Ok(text) => StringChunked::from_chunk_iter(
                c.name().clone(),
                text.downcast_iter().map(|a| a.clone().gc()),
            )
            .into_column(),
            Err(_) => c,
        })
        .collect();
    DataFrame::new_infer_height(columns).expect("the same columns")
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
    /// The matters (quarter, district, matter code) that had cases accepted, and those
    /// that received ratings, in a quarter: rating_coverage_rate's two populations.
    pub matters_with_cases: MatterQuarters,
    pub matters_rated: MatterQuarters,
}

/// A set of (quarter, catalogue matter) — the matter as its row of the catalogue
/// lookup (`matter_index`), so that a chunk is added with integer work only; rows whose
/// matter is not in the catalogue are left out (coverage counts catalogue matters).
#[derive(Debug, Default, Clone)]
pub struct MatterQuarters(std::collections::HashMap<String, Vec<u64>>);

impl MatterQuarters {
    /// Adds the rows of `df`, in the quarter of their day in `date_col` — per day of the
    /// chunk's range, not per row: no text is compared or made per row.
    fn add(&mut self, df: &DataFrame, date_col: &str) -> Result<()> {
        let days = day_numbers(df, date_col)?;
        let m = df
            .column("matter_index")
            .context("matters seen")?
            .idx()
            .context("matters seen")?;
        let (Some(lo), Some(hi)) = (days.min(), days.max()) else {
            return Ok(());
        };
        // The chunk's quarters, and for each day of its range (unless it spans millennia)
        // the index of its quarter.
        let mut quarters: Vec<(crate::time::Quarter, Vec<u64>)> = Vec::new();
        let mut quarter_of: Vec<u32> = Vec::new();
        let by_day = i64::from(hi) - i64::from(lo) < 1 << 20;
        if by_day {
            for d in lo..=hi {
                let q = crate::time::Quarter::of_day(d);
                if quarters.last().is_none_or(|(last, _)| *last != q) {
                    quarters.push((q, vec![]));
                }
                quarter_of.push((quarters.len() - 1) as u32);
            }
        }
        for (d, m) in days.iter().zip(m.iter()) {
            let (Some(d), Some(m)) = (d, m) else { continue };
            let at = if by_day {
                quarter_of[(d - lo) as usize] as usize
            } else {
                let q = crate::time::Quarter::of_day(d);
                match quarters.iter().position(|(x, _)| *x == q) {
                    Some(at) => at,
                    None => {
                        quarters.push((q, vec![]));
                        quarters.len() - 1
                    }
                }
            };
            let bits = &mut quarters[at].1;
            let (word, bit) = (m as usize / 64, m as usize % 64);
            if bits.len() <= word {
                bits.resize(word + 1, 0);
            }
            bits[word] |= 1 << bit;
        }
        for (q, bits) in quarters.into_iter().filter(|(_, b)| !b.is_empty()) {
            let into = self.0.entry(q.to_string()).or_default();
            if into.len() < bits.len() {
                into.resize(bits.len(), 0);
            }
            for (w, b) in into.iter_mut().zip(bits) {
                *w |= b;
            }
        }
        Ok(())
    }

    fn contains(&self, quarter: &str, matter: IdxSize) -> bool {
        let (word, bit) = (matter as usize / 64, matter as usize % 64);
        self.0
            .get(quarter)
            .and_then(|bits| bits.get(word))
            .is_some_and(|w| w & (1 << bit) != 0)
    }

    /// Whether each row of `df` (columns quarter, and the lookup row of its matter in
    /// `rows`) is in the set.
    fn flags(&self, df: &DataFrame, rows: &IdxCa, name: &str) -> Result<Column> {
        let q = df
            .column("quarter")
            .context("matters seen")?
            .str()
            .context("matters seen")?;
        let flags: BooleanChunked = q
            .iter()
            .zip(rows.iter())
            .map(|(q, m)| Some(matches!((q, m), (Some(q), Some(m)) if self.contains(q, m))))
            .collect();
        Ok(flags.with_name(name.into()).into_column())
    }
}

impl Found {
    pub fn add_cases(&mut self, cases: &DataFrame) -> Result<()> {
        self.add_townships(cases)?;
        self.matters_with_cases.add(cases, "accepted_date")?;
        self.add_latest(cases, &["accepted_at", "completed_at"])?;
        self.add(cases, &["accepted_date", "completed_date"])
    }
    pub fn add_ratings(&mut self, ratings: &DataFrame) -> Result<()> {
        self.add_townships(ratings)?;
        self.matters_rated.add(ratings, "rated_date")?;
        self.add_latest(ratings, &["rated_at", "rectified_at", "revisited_at"])?;
        self.add(ratings, &["rated_date"])
    }
    pub(super) fn add_latest(&mut self, df: &DataFrame, columns: &[&str]) -> Result<()> {
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
            let days = distinct_days(&day_numbers(df, c)?);
            self.quarters.extend(distinct_quarters(&days));
            self.last_day = self.last_day.max(days.last().copied());
        }
        Ok(())
    }
    /// Quarters found, sorted.
    pub fn quarters(&self) -> Vec<String> {
        self.quarters.iter().cloned().collect()
    }
}

/// The distinct days of a column of day numbers, ascending. A chunk spans a few years of
/// days: one flag per day of its range, no hashing per row.
pub fn distinct_days(days: &Int32Chunked) -> Vec<i32> {
    let (Some(lo), Some(hi)) = (days.min(), days.max()) else {
        return vec![];
    };
    let span = i64::from(hi) - i64::from(lo) + 1;
    if span > 1 << 20 {
        let mut all: Vec<i32> = days.iter().flatten().collect();
        all.sort_unstable();
        all.dedup();
        return all;
    }
    let mut present = vec![false; span as usize];
    for arr in days.downcast_iter() {
        match arr.validity() {
            None => arr
                .values()
                .iter()
                .for_each(|d| present[(d - lo) as usize] = true),
            Some(_) => arr
                .iter()
                .flatten()
                .for_each(|d| present[(d - lo) as usize] = true),
        }
    }
    (lo..=hi).filter(|d| present[(d - lo) as usize]).collect()
}

/// The quarter labels of ascending days, each once.
pub fn distinct_quarters(days: &[i32]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut last: Option<crate::time::Quarter> = None;
    for d in days {
        let q = crate::time::Quarter::of_day(*d);
        if last != Some(q) {
            out.push(q.to_string());
            last = Some(q);
        }
    }
    out
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
/// `has_cases` and `has_ratings`: whether the matter had cases accepted, and received
/// ratings, in the quarter (as `found` saw them).
pub fn matters_by_quarter(
    matters: &DataFrame,
    quarters: &[String],
    found: &Found,
    lookup: &DataFrame,
) -> Result<DataFrame> {
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
    let mut df = with_keys(
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
    .context("matters by quarter")?;
    let rows = super::joins::lookup_rows(&df, lookup)?;
    let with_cases = found.matters_with_cases.flags(&df, &rows, "has_cases")?;
    let rated = found.matters_rated.flags(&df, &rows, "has_ratings")?;
    df.with_column(with_cases).context("matters by quarter")?;
    df.with_column(rated).context("matters by quarter")?;
    Ok(df)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The distinct days and their quarters, against a sorted set, whether the days
        /// span a few years (a flag per day) or more than a million days (sorted).
        #[test]
        fn distinct_days_are_the_set_of_days(
            days in proptest::collection::vec(proptest::option::of(-800_000i32..800_000), 0..400),
            near in proptest::bool::ANY,
        ) {
            let days: Vec<Option<i32>> = days
                .into_iter()
                .map(|d| d.map(|d| if near { 20_000 + d % 3_000 } else { d }))
                .collect();
            let column = Int32Chunked::from_iter_options("d".into(), days.iter().copied());
            let set: std::collections::BTreeSet<i32> = days.iter().flatten().copied().collect();
            let found = distinct_days(&column);
            proptest::prop_assert_eq!(&found, &set.iter().copied().collect::<Vec<_>>());
            let quarters: std::collections::BTreeSet<String> =
                set.iter().map(|d| quarter_of_day(*d)).collect();
            let each = distinct_quarters(&found);
            proptest::prop_assert_eq!(each.len(), quarters.len(), "each quarter once");
            proptest::prop_assert_eq!(each.into_iter().collect::<std::collections::BTreeSet<_>>(), quarters);
        }
    }

    #[test]
    fn rows_kept_aside_hold_only_their_own_text() {
        let long = |i: usize| format!("{i:0>40}");
        let df = polars::df!(
            "id" => (0..10_000).map(long).collect::<Vec<_>>(),
            "n" => (0..10_000).collect::<Vec<i32>>(),
        )
        .unwrap();
        let kept = df.lazy().filter(col("n").lt(lit(10))).collect().unwrap();
        let buffers = |df: &DataFrame| -> usize {
            df.column("id")
                .unwrap()
                .str()
                .unwrap()
                .downcast_iter()
                .map(|a| a.total_buffer_len())
                .sum()
        };
        // The filter's ten rows still point into the whole column's 400 KB of text.
        assert!(buffers(&kept) >= 400_000, "{}", buffers(&kept));
        let aside = kept_aside(kept.clone());
        assert!(aside.equals_missing(&kept));
        assert_eq!(buffers(&aside), 400);
    }
}
