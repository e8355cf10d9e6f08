//! 预警 (docs/SPEC.md §10): what the 电子监察 systems of seed 003 show every day. At the
//! as-of time, every open case — accepted by then, not completed by then, not rejected
//! or withdrawn — with its deadline (the acceptance day plus the effective promised
//! days and the suspension, in the case's own unit), the days it has left and a light:
//! 红 overdue, 黄 within the warning window, 绿 otherwise.
//!
//! Red is exactly `overdue_open` computed at the as-of day: days used is
//! `W(as-of) − W(accepted) − suspended` (or calendar days), red when it exceeds the
//! promised days.
//!
//! ```text
//! enriched cases → candidates (chunk by chunk: open, or completed after a given as-of)
//!                → lights (once the as-of time is known) → counts per level
//! ```

use polars::prelude::*;

use crate::calendar::Calendar;
use crate::error::{Error, PolarsContext, Result};

/// When a case still inside its limit turns 黄.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Window {
    /// At most this many days left (default 1: the deadline day and the day before).
    DaysLeft(i32),
    /// At least this share of the promised days used (恩施: 0.5).
    ShareUsed(f64),
}

impl Default for Window {
    fn default() -> Self {
        Window::DaysLeft(1)
    }
}

impl Window {
    /// How the report states the setting.
    pub fn describe(self) -> String {
        match self {
            Window::DaysLeft(n) => format!(
                "红灯为已超过承诺时限，黄灯为剩余{n}个工作日及以内（按自然日计时限的事项按自然日），其余为绿灯"
            ),
            Window::ShareUsed(s) => format!(
                "红灯为已超过承诺时限，黄灯为已用承诺时限的{}及以上，其余为绿灯",
                crate::format::percent(s)
            ),
        }
    }
}

/// The lights, most urgent first.
pub const LIGHTS: [&str; 3] = ["红", "黄", "绿"];

/// Columns of enriched cases the watch list needs.
pub const INPUTS: [&str; 14] = [
    "case_id",
    "region_code",
    "township_code",
    "department",
    "matter_code",
    "matter_name",
    "accepted_at",
    "accepted_date",
    "completed_at",
    "status",
    "time_unit",
    "w_accepted_date",
    "suspended_days",
    "effective_promised_days",
];

/// The enriched cases (of a chunk) that may be open at the as-of time: not rejected or
/// withdrawn, and not completed — or, when the as-of time is given, completed after it.
/// Without a given as-of time it is the data's latest timestamp, which no completion
/// comes after.
pub fn candidates(cases: &DataFrame, as_of: Option<i64>) -> Result<DataFrame> {
    let not_completed = match as_of {
        Some(t) => col("completed_at")
            .is_null()
            .or(col("completed_at").cast(DataType::Int64).gt(lit(t))),
        None => col("completed_at").is_null(),
    };
    cases
        .clone()
        .lazy()
        .filter(
            col("status")
                .is_in(
                    lit(Series::new("s".into(), ["rejected", "withdrawn"])).implode(false),
                    false,
                )
                .not()
                .fill_null(lit(true))
                .and(not_completed),
        )
        .select(INPUTS.map(col))
        .collect()
        .context("open cases")
}

/// Every case open at `as_of` (ms, China time) with its `deadline`, `days_used`,
/// `days_left` and `light`, most urgent first (fewest days left; cases without promised
/// days last).
pub fn lights(
    candidates: &DataFrame,
    as_of: i64,
    calendar: &Calendar,
    window: Window,
) -> Result<DataFrame> {
    let day = as_of.div_euclid(86_400_000) as i32;
    let w_day = calendar.w(day).map_err(|e| {
        Error::Usage(format!(
            "the as-of date {} is outside the holiday schedule ({}–{})\nhint: add that year with --calendar FILE",
            e.date, e.first, e.last
        ))
    })?;
    let open = candidates
        .clone()
        .lazy()
        .filter(col("accepted_at").cast(DataType::Int64).lt_eq(lit(as_of)))
        .with_column(
            (when(col("time_unit").eq(lit("calendar")))
                .then(lit(day) - col("accepted_date").cast(DataType::Int32))
                .otherwise(lit(w_day) - col("w_accepted_date"))
                - col("suspended_days"))
            .alias("days_used"),
        )
        .with_column((col("effective_promised_days") - col("days_used")).alias("days_left"))
        .collect()
        .context("open cases at the as-of time")?;
    // Deadlines: the working day on which W reaches W(accepted) + promised + suspended,
    // or that many calendar days after acceptance.
    let column = |name: &str| -> Result<Int32Chunked> {
        Ok(open
            .column(name)
            .context("deadlines")?
            .cast(&DataType::Int32)
            .context("deadlines")?
            .i32()
            .context("deadlines")?
            .clone())
    };
    let (w_a, a, promised, suspended) = (
        column("w_accepted_date")?,
        column("accepted_date")?,
        column("effective_promised_days")?,
        column("suspended_days")?,
    );
    let units = open
        .column("time_unit")
        .context("deadlines")?
        .str()
        .context("deadlines")?;
    let deadline: Int32Chunked = (0..open.height())
        .map(|i| {
            let p = promised.get(i)? + suspended.get(i).unwrap_or(0);
            if units.get(i) == Some("calendar") {
                Some(a.get(i)? + p)
            } else {
                // Never before acceptance: a 即办 case accepted on a Saturday is due that
                // day, not on the Friday whose W the Saturday shares.
                let accepted = a.get(i)?;
                calendar
                    .day_with_w(w_a.get(i)? + p)
                    .map(|d| d.max(accepted))
            }
        })
        .collect();
    let yellow = match window {
        Window::DaysLeft(n) => col("days_left").lt_eq(lit(n)),
        Window::ShareUsed(s) => col("effective_promised_days")
            .eq(lit(0))
            .or(col("days_used")
                .cast(DataType::Float64)
                .gt_eq(col("effective_promised_days").cast(DataType::Float64) * lit(s))),
    };
    let mut open = open;
    open.with_column(
        deadline
            .into_series()
            .cast(&DataType::Date)
            .context("deadlines")?
            .with_name("deadline".into())
            .into_column(),
    )
    .context("deadlines")?;
    open.lazy()
        .with_column(
            when(col("days_left").lt(lit(0)))
                .then(lit(LIGHTS[0]))
                .when(yellow.fill_null(lit(false)))
                .then(lit(LIGHTS[1]))
                .otherwise(lit(LIGHTS[2]))
                .alias("light"),
        )
        .sort_by_exprs(
            [col("days_left"), col("accepted_at"), col("case_id")],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .select(
            [
                "case_id",
                "region_code",
                "township_code",
                "department",
                "matter_code",
                "matter_name",
                "accepted_at",
                "effective_promised_days",
                "time_unit",
                "suspended_days",
                "deadline",
                "days_used",
                "days_left",
                "light",
            ]
            .map(col),
        )
        .collect()
        .context("预警")
}

/// Cases per light at each level: district (`region`), 乡镇/街道 (`township`, the
/// district's own cases under `<district>000`) and department (scoped to its district,
/// `370303/市场监管局`), with the total; columns level, key, 红, 黄, 绿, 合计.
pub fn counts(lights: &DataFrame) -> Result<DataFrame> {
    let keyed = |level: &str, key: Expr| {
        lights
            .clone()
            .lazy()
            .with_columns([lit(level).alias("level"), key.alias("key")])
    };
    let township = coalesce(&[
        col("township_code"),
        concat_str([col("region_code"), lit("000")], "", true),
    ]);
    let department = concat_str(
        [
            col("region_code"),
            lit("/"),
            col("department").fill_null(lit("（未注明部门）")),
        ],
        "",
        true,
    );
    let mut aggs: Vec<Expr> = LIGHTS
        .iter()
        .map(|l| {
            col("light")
                .eq(lit(*l))
                .cast(DataType::UInt32)
                .sum()
                .alias(*l)
        })
        .collect();
    aggs.push(len().cast(DataType::UInt32).alias("合计"));
    let parts: Vec<LazyFrame> = [
        keyed("region", col("region_code")),
        keyed("township", township),
        keyed("department", department),
    ]
    .into_iter()
    .map(|lf| {
        lf.group_by([col("level"), col("key")])
            .agg(aggs.clone())
            .sort(["key"], SortMultipleOptions::default())
    })
    .collect();
    concat(parts, UnionArgs::default())
        .context("预警 counts")?
        .collect()
        .context("预警 counts")
}
