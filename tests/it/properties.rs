//! Property tests (proptest) on generated tables, run in process through the library:
//! no row lost or invented, rates in [0, 1], online levels non-increasing, the city value
//! between its districts, and the indicator table unchanged by shuffling rows, splitting
//! a table across files or changing its format (CSV, GBK CSV, Parquet, XLSX). Also the
//! working-day index: never negative, additive, one step per working day.

use std::path::Path;

use pingjia::indicators::{self, Level, Plan};
use pingjia::schema::Table;
use pingjia::settings::Settings;
use polars::prelude::*;
use proptest::prelude::*;

const REGIONS: [&str; 3] = ["370302", "370303", "370304"];
const MATTERS_HEADER: &str = "行政区划代码,事项编码,事项名称,实施部门,事项类型,法定办结时限,法定办结时限单位,承诺办结时限,承诺办结时限单位,是否即办件,网上办理深度,最多跑动次数";
const CASES_HEADER: &str = "办件编号,事项编码,行政区划代码,受理部门,申办渠道,办件类型,受理时间,办结时间,办件状态,承诺时限,特别程序时长,跑动次数";
const RATINGS_HEADER: &str = "评价编号,办件编号,行政区划代码,事项编码,评价渠道,满意度代码,评价时间,是否实名,整改时间,回访时间,回访是否满意,是否上传";

/// One generated dataset: header + rows of text cells per table.
#[derive(Debug, Clone)]
struct Data {
    matters: Vec<Vec<String>>,
    cases: Vec<Vec<String>>,
    ratings: Vec<Vec<String>>,
}

fn day(offset: u32, hour: u32) -> String {
    let d = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(offset as u64);
    format!("{d} {hour:02}:00:00")
}

fn matter() -> impl Strategy<Value = Vec<String>> {
    (
        0..REGIONS.len(),
        0..6u32,
        1..30i32,
        0..20i32,
        prop::bool::ANY,
        0..5usize,
        0..3i32,
        prop::sample::select(vec!["工作日", "自然日"]),
    )
        .prop_map(|(r, m, legal, promised, unit_same, depth, visits, unit)| {
            let promised = promised.min(legal);
            vec![
                REGIONS[r].into(),
                format!("M{m}"),
                format!("事项{m}"),
                ["市场监管局", "人社局"][m as usize % 2].into(),
                "行政许可".into(),
                legal.to_string(),
                unit.into(),
                if promised == 0 {
                    "即办".into()
                } else {
                    promised.to_string()
                },
                if unit_same {
                    unit.into()
                } else {
                    "工作日".into()
                },
                if promised == 0 { "是" } else { "否" }.into(),
                ["", "一级", "二级", "三级", "四级"][depth].into(),
                visits.to_string(),
            ]
        })
}

fn case() -> impl Strategy<Value = Vec<String>> {
    (
        0..REGIONS.len(),
        0..7u32,
        prop::sample::select(vec!["窗口", "网上办理", "移动端", "传真"]),
        0..360u32,
        prop::option::of(0..25u32),
        0..3i32,
        0..3i32,
        prop::sample::select(vec!["", "办结", "在办", "不予受理"]),
        prop::bool::weighted(0.05),
    )
        .prop_map(
            |(r, m, channel, accepted, took, suspended, visits, status, bad_date)| {
                vec![
                    String::new(), // case id, numbered later
                    format!("M{m}"),
                    REGIONS[r].into(),
                    String::new(),
                    channel.into(),
                    String::new(),
                    if bad_date {
                        "2025-13-45 09:00:00".into()
                    } else {
                        day(accepted, 9)
                    },
                    took.map_or(String::new(), |t| day(accepted + t, 16)),
                    status.into(),
                    String::new(),
                    suspended.to_string(),
                    visits.to_string(),
                ]
            },
        )
}

fn rating() -> impl Strategy<Value = (usize, Vec<String>)> {
    (
        any::<prop::sample::Index>().prop_map(|i| i.index(1000)),
        0..8i32,
        0..360u32,
        prop::option::of(0..30u32),
        prop::bool::ANY,
    )
        .prop_map(|(case, score, rated, rectified, uploaded)| {
            (
                case,
                vec![
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "评价器".into(),
                    score.to_string(),
                    day(rated, 10),
                    "是".into(),
                    rectified.map_or(String::new(), |t| day(rated + t, 11)),
                    String::new(),
                    String::new(),
                    if uploaded { "是" } else { "否" }.into(),
                ],
            )
        })
}

fn data() -> impl Strategy<Value = Data> {
    (
        prop::collection::vec(matter(), 1..10),
        prop::collection::vec(case(), 0..60),
        prop::collection::vec(rating(), 0..25),
    )
        .prop_map(|(mut matters, mut cases, ratings)| {
            // One catalogue row per region + matter code.
            matters.sort_by(|a, b| (&a[0], &a[1]).cmp(&(&b[0], &b[1])));
            matters.dedup_by(|a, b| a[0] == b[0] && a[1] == b[1]);
            for (i, c) in cases.iter_mut().enumerate() {
                c[0] = format!("C{i:03}");
            }
            let ratings = ratings
                .into_iter()
                .enumerate()
                .map(|(i, (case, mut r))| {
                    r[0] = format!("R{i:03}");
                    match cases.get(case % cases.len().max(1)) {
                        Some(c) => {
                            r[1] = c[0].clone();
                            r[2] = c[2].clone();
                            r[3] = c[1].clone();
                        }
                        None => {
                            r[1] = "GHOST".into();
                            r[2] = REGIONS[0].into();
                            r[3] = "M0".into();
                        }
                    }
                    r
                })
                .collect();
            Data {
                matters,
                cases,
                ratings,
            }
        })
}

fn header(t: Table) -> &'static str {
    match t {
        Table::Matters => MATTERS_HEADER,
        Table::Cases => CASES_HEADER,
        Table::Ratings => RATINGS_HEADER,
    }
}

impl Data {
    fn rows(&self, t: Table) -> &[Vec<String>] {
        match t {
            Table::Matters => &self.matters,
            Table::Cases => &self.cases,
            Table::Ratings => &self.ratings,
        }
    }
}

fn csv(t: Table, rows: &[Vec<String>]) -> String {
    let mut s = format!("{}\n", header(t));
    for r in rows {
        s += &r.join(",");
        s.push('\n');
    }
    s
}

#[derive(Clone, Copy, Debug)]
enum Format {
    Csv,
    Gbk,
    Parquet,
    Xlsx,
}

fn write(dir: &Path, name: &str, t: Table, rows: &[Vec<String>], format: Format) {
    match format {
        Format::Csv => std::fs::write(dir.join(format!("{name}.csv")), csv(t, rows)).unwrap(),
        Format::Gbk => {
            let text = csv(t, rows);
            let (bytes, _, _) = encoding_rs::GBK.encode(&text);
            std::fs::write(dir.join(format!("{name}.csv")), bytes).unwrap()
        }
        Format::Parquet => {
            let columns: Vec<Column> = header(t)
                .split(',')
                .enumerate()
                .map(|(i, h)| {
                    let v: Vec<Option<&str>> = rows
                        .iter()
                        .map(|r| Some(r[i].as_str()).filter(|s| !s.is_empty()))
                        .collect();
                    Series::new(h.into(), v).into()
                })
                .collect();
            let mut df = DataFrame::new(rows.len(), columns).unwrap();
            let f = std::fs::File::create(dir.join(format!("{name}.parquet"))).unwrap();
            ParquetWriter::new(f).finish(&mut df).unwrap();
        }
        Format::Xlsx => {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for (c, h) in header(t).split(',').enumerate() {
                ws.write_string(0, c as u16, h).unwrap();
            }
            for (r, row) in rows.iter().enumerate() {
                for (c, cell) in row.iter().enumerate() {
                    if !cell.is_empty() {
                        ws.write_string(r as u32 + 1, c as u16, cell).unwrap();
                    }
                }
            }
            wb.save(dir.join(format!("{name}.xlsx"))).unwrap();
        }
    }
}

/// How the generated tables are laid out on disk.
#[derive(Clone, Copy, Debug)]
struct Layout {
    format: Format,
    /// Cases split into two files at this row.
    split: Option<usize>,
    /// Rows written in reverse order.
    reversed: bool,
}

const PLAIN: Layout = Layout {
    format: Format::Csv,
    split: None,
    reversed: false,
};

struct Run {
    ingested: pingjia::ingest::Ingested,
    enriched: pingjia::enrich::Enriched,
    table: DataFrame,
}

fn settings() -> &'static Settings {
    static S: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
    S.get_or_init(|| Settings::load(&Default::default()).unwrap())
}

fn run(data: &Data, layout: Layout) -> Run {
    let dir = tempfile::tempdir().unwrap();
    for t in Table::ALL {
        let mut rows = data.rows(t).to_vec();
        if layout.reversed {
            rows.reverse();
        }
        match (t, layout.split) {
            (Table::Cases, Some(at)) => {
                let at = at.min(rows.len());
                write(dir.path(), "cases_a", t, &rows[..at], layout.format);
                write(dir.path(), "cases_b", t, &rows[at..], layout.format);
            }
            _ => write(dir.path(), t.name(), t, &rows, layout.format),
        }
    }
    let ingested = pingjia::ingest::load(&[dir.path().to_owned()], settings()).unwrap();
    let enriched =
        pingjia::enrich::enrich(&ingested.tables, &settings().calendar, &Default::default())
            .unwrap();
    let defs = indicators::metadata::load(&[]).unwrap();
    let names = indicators::Names {
        regions: settings().regions.clone(),
        matters: Default::default(),
        townships: Default::default(),
    };
    let table = indicators::compute(
        &enriched,
        &defs,
        &[Level::City, Level::Region, Level::Department, Level::Matter],
        &enriched.quarters.clone(),
        &names,
        Plan::Merged,
    )
    .unwrap();
    let table = table
        .sort(["quarter", "level", "key", "indicator"], Default::default())
        .unwrap();
    Run {
        ingested,
        enriched,
        table,
    }
}

/// Rows of the indicator table: (quarter, level, key, indicator) → (num, den, value).
type Rows = std::collections::BTreeMap<(String, String, String, String), (f64, f64, Option<f64>)>;

fn rows(df: &DataFrame) -> Rows {
    let s = |c: &str| df.column(c).unwrap().str().unwrap().clone();
    let f = |c: &str| {
        df.column(c)
            .unwrap()
            .cast(&DataType::Float64)
            .unwrap()
            .f64()
            .unwrap()
            .clone()
    };
    let (q, l, k, i) = (s("quarter"), s("level"), s("key"), s("indicator"));
    let (n, d, v) = (f("numerator"), f("denominator"), f("value"));
    (0..df.height())
        .map(|r| {
            (
                (
                    q.get(r).unwrap().to_owned(),
                    l.get(r).unwrap().to_owned(),
                    k.get(r).unwrap().to_owned(),
                    i.get(r).unwrap().to_owned(),
                ),
                (n.get(r).unwrap_or(0.0), d.get(r).unwrap_or(0.0), v.get(r)),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn no_row_lost_rates_bounded_levels_ordered_city_between_districts(data in data()) {
        let r = run(&data, PLAIN);
        // rows read = valid + quarantined, per file and per table.
        for f in &r.ingested.files {
            prop_assert_eq!(f.rows_read, f.valid + f.quarantined, "{}", f.path);
        }
        for t in Table::ALL {
            let valid = r.ingested.table(t).height();
            let quarantined = r.ingested.quarantine[&t].len();
            prop_assert_eq!(valid + quarantined, data.rows(t).len(), "{:?}", t);
        }
        // Net working days are never negative.
        let cases = r.enriched.view("accepted_cases").unwrap();
        let net = cases.column("net_days").unwrap().cast(&DataType::Int64).unwrap();
        prop_assert!(net.i64().unwrap().iter().flatten().all(|d| d >= 0));

        let rows = rows(&r.table);
        for ((q, l, k, i), (n, d, v)) in &rows {
            if let Some(v) = v {
                if i.ends_with("_rate") {
                    prop_assert!((0.0..=1.0).contains(v), "{q} {l} {k} {i} = {v}");
                    prop_assert!(*n <= *d, "{q} {l} {k} {i}: {n}/{d}");
                }
            }
        }
        // Online levels: level 1 ≥ 2 ≥ 3 ≥ 4 in every group.
        for ((q, l, k, i), (_, _, v)) in &rows {
            if let Some(level) = i.strip_prefix("online_level_").and_then(|s| s.strip_suffix("_rate")) {
                let level: u32 = level.parse().unwrap();
                if level < 4 {
                    let next = format!("online_level_{}_rate", level + 1);
                    let lower = rows.get(&(q.clone(), l.clone(), k.clone(), next)).and_then(|r| r.2);
                    if let (Some(v), Some(lower)) = (v, lower) {
                        prop_assert!(*v >= lower, "{q} {k}: level {level} {v} < {lower}");
                    }
                }
            }
        }
        // A pooled ratio (rate or mean, not a count) of the city lies between its
        // districts' minimum and maximum.
        for ((q, l, k, i), (_, _, v)) in &rows {
            let (true, Some(city)) = (l == "city", v) else { continue };
            if !(i.ends_with("_rate") || i.starts_with("avg_")) { continue; }
            let districts: Vec<f64> = rows
                .iter()
                .filter(|((q2, l2, k2, i2), _)| q2 == q && l2 == "region" && i2 == i && k2[..4] == k[..4])
                .filter_map(|(_, (_, d, v))| v.filter(|_| *d > 0.0))
                .collect();
            if districts.is_empty() { continue; }
            let (min, max) = districts.iter().fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(*x), b.max(*x)));
            prop_assert!(*city >= min - 1e-12 && *city <= max + 1e-12,
                "{q} {i}: city {city} outside [{min}, {max}]");
        }
    }

    #[test]
    fn layout_and_format_never_change_the_indicators(
        data in data(),
        split in 0..60usize,
    ) {
        let plain = run(&data, PLAIN).table;
        for layout in [
            Layout { reversed: true, ..PLAIN },
            Layout { split: Some(split), ..PLAIN },
            Layout { format: Format::Gbk, ..PLAIN },
            Layout { format: Format::Parquet, ..PLAIN },
            Layout { format: Format::Xlsx, split: Some(split), reversed: true },
        ] {
            let other = run(&data, layout).table;
            prop_assert!(plain.equals_missing(&other), "{:?}:\n{}\nvs\n{}", layout, plain, other);
        }
    }

    #[test]
    fn working_days_never_run_backwards_or_faster_than_days(
        a in 0..2900i32, span in 0..200i32,
    ) {
        // Days since 1970: 17897 is 2019-01-01, the first day of the bundled schedule.
        let cal = &settings().calendar;
        let (a, c) = (17897 + a, (17897 + a + span).min(20818));
        let worked = cal.w(c).unwrap() - cal.w(a).unwrap();
        prop_assert!((0..=c - a).contains(&worked), "{} working days in {} days", worked, c - a);
        // At most 9 days off in a row (the longest run of holidays and weekends), so a
        // fortnight always holds a working day.
        if c - a >= 14 {
            prop_assert!(worked > 0);
        }
    }

    #[test]
    fn working_days_follow_the_state_councils_2025_schedule(
        a in 0..365i32, span in 0..120i32, cut in 0..120i32,
    ) {
        // Days since 1970: 20089 is 2025-01-01. The truth is the 国务院办公厅 notice
        // (国办发明电〔2024〕12号) typed in by hand, not the bundled calendar.
        let cal = &settings().calendar;
        let (a, c) = (20089 + a, (20089 + a + span).min(20089 + 364));
        let b = a + cut.min(c - a);
        let w = |x: i32| cal.w(x).unwrap();
        for x in a..=c {
            prop_assert_eq!(cal.is_working_day(x).unwrap(), official_2025(x), "day {}", x);
        }
        // W(c) − W(a) counts the working days in (a, c], one by one.
        let counted = (a + 1..=c).filter(|x| official_2025(*x)).count() as i32;
        prop_assert_eq!(w(c) - w(a), counted);
        prop_assert_eq!((w(b) - w(a)) + (w(c) - w(b)), counted);
    }
}

/// Whether a day of 2025 is a working day by the 2025 holiday notice: Monday to Friday
/// unless a holiday, plus the five 调休 weekend working days.
fn official_2025(day: i32) -> bool {
    use chrono::{Datelike, NaiveDate, Weekday};
    let date = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(day.into());
    assert_eq!(date.year(), 2025);
    let md = (date.month(), date.day());
    // 元旦 1/1; 春节 1/28–2/4; 清明 4/4–4/6; 劳动节 5/1–5/5; 端午 5/31–6/2; 国庆中秋 10/1–10/8.
    let holiday = matches!(
        md,
        (1, 1)
            | (1, 28..=31)
            | (2, 1..=4)
            | (4, 4..=6)
            | (5, 1..=5)
            | (5, 31)
            | (6, 1..=2)
            | (10, 1..=8)
    );
    let makeup = matches!(md, (1, 26) | (2, 8) | (4, 27) | (9, 28) | (10, 11));
    let weekday = !matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
    makeup || (weekday && !holiday)
}

/// 2025 had 248 working days (365 days, 261 weekdays, 18 holidays on weekdays, 5 调休 days).
#[test]
fn a_year_of_working_days_is_the_official_count() {
    let cal = &settings().calendar;
    // 20088 is 2024-12-31, 20453 is 2025-12-31.
    assert_eq!(cal.w(20453).unwrap() - cal.w(20088).unwrap(), 248);
}
