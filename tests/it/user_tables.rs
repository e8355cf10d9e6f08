//! Property tests over what a user hands pingjia already typed: indicator tables given
//! with `--indicators` (any key, level, quarter or number) and Parquet exports whose
//! timestamp columns are integers, floats, dates or timestamps of any value. None may
//! panic: pingjia either works or names the file and exits 2, and no row is lost.

use std::path::Path;

use pingjia::ingest::{self, read};
use pingjia::settings::Settings;
use polars::prelude::*;
use proptest::prelude::*;

use super::{pingjia, text};

/// Any text, weighted towards what breaks byte slicing and code parsing.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("370303".to_owned()),
        Just("370300".to_owned()),
        Just("370000".to_owned()),
        Just("370303/370000000101".to_owned()),
        Just("淄博市张店区".to_owned()),
        Just("3".to_owned()),
        Just(String::new()),
        "[0-9]{0,13}",
        "\\PC{0,8}",
    ]
}

fn one_of(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(words).prop_map(str::to_owned),
        1 => "\\PC{0,6}",
    ]
}

fn number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        4 => (0.0..2000.0f64).prop_map(Some),
        1 => Just(None),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 0.0, 1e300])
            .prop_map(Some),
        1 => any::<f64>().prop_map(Some),
    ]
}

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    String,
);

fn row() -> impl Strategy<Value = Row> {
    (
        one_of(&["2025Q4", "2025Q3", "2024Q4", "2025-Q4", "2025年第四季度"]),
        one_of(&[
            "city",
            "region",
            "department",
            "matter",
            "province",
            "township",
        ]),
        key(),
        "\\PC{0,6}",
        one_of(&[
            "on_time_rate",
            "immediate_rate",
            "satisfaction_rate",
            "rectification_rate",
            "online_level1_rate",
            "commitment_compression",
        ]),
        number(),
        number(),
        number(),
        one_of(&["%", "件", "倍", ""]),
    )
}

fn write_table(path: &Path, rows: &[Row]) {
    let texts = |f: fn(&Row) -> &String| rows.iter().map(|r| f(r).clone()).collect::<Vec<_>>();
    let numbers = |f: fn(&Row) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    let mut df = df!(
        "quarter" => texts(|r| &r.0),
        "level" => texts(|r| &r.1),
        "key" => texts(|r| &r.2),
        "name" => texts(|r| &r.3),
        "indicator" => texts(|r| &r.4),
        "numerator" => numbers(|r| r.5),
        "denominator" => numbers(|r| r.6),
        "value" => numbers(|r| r.7),
        "unit" => texts(|r| &r.8),
    )
    .unwrap();
    ParquetWriter::new(std::fs::File::create(path).unwrap())
        .finish(&mut df)
        .unwrap();
}

/// A timestamp column as a platform may type it.
#[derive(Debug, Clone)]
enum Stamps {
    Integers(Vec<Option<i64>>),
    Floats(Vec<Option<f64>>),
    Millis(Vec<Option<i64>>),
    Days(Vec<Option<i32>>),
}

fn integer_stamp() -> impl Strategy<Value = Option<i64>> {
    prop_oneof![
        Just(None),
        // Within the bundled holiday schedule (2019–2026), as …
        (20_190_101i64..20_261_231).prop_map(Some), // yyyymmdd
        (20_190_101_000_000i64..20_261_231_235_959).prop_map(Some), // yyyymmddhhmmss
        (43_466i64..46_387).prop_map(Some),         // Excel serial
        (1_546_300_800i64..1_798_761_599).prop_map(Some), // Unix seconds
        (1_546_300_800_000i64..1_798_761_599_000).prop_map(Some), // Unix milliseconds
        // … and anything at all.
        any::<i64>().prop_map(Some),
        prop::sample::select(vec![0, -1, i64::MIN, i64::MAX]).prop_map(Some),
    ]
}

fn stamps(n: usize) -> impl Strategy<Value = Stamps> {
    prop_oneof![
        prop::collection::vec(integer_stamp(), n).prop_map(Stamps::Integers),
        prop::collection::vec(
            prop_oneof![
                Just(None),
                (43_466.0..46_387.0f64).prop_map(Some),
                any::<f64>().prop_map(Some)
            ],
            n
        )
        .prop_map(Stamps::Floats),
        prop::collection::vec(
            prop_oneof![
                Just(None),
                (1_546_300_800_000i64..1_798_761_599_000).prop_map(Some),
                any::<i64>().prop_map(Some)
            ],
            n
        )
        .prop_map(Stamps::Millis),
        prop::collection::vec(
            prop_oneof![
                Just(None),
                (17_897i32..20_818).prop_map(Some),
                any::<i32>().prop_map(Some)
            ],
            n
        )
        .prop_map(Stamps::Days),
    ]
}

fn stamp_column(name: &str, s: &Stamps) -> Column {
    let name: PlSmallStr = name.into();
    match s {
        Stamps::Integers(v) => Column::new(name, v),
        Stamps::Floats(v) => Column::new(name, v),
        Stamps::Millis(v) => Column::new(name, v)
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .unwrap(),
        Stamps::Days(v) => Column::new(name, v).cast(&DataType::Date).unwrap(),
    }
}

fn settings() -> &'static Settings {
    static S: std::sync::OnceLock<Settings> = std::sync::OnceLock::new();
    S.get_or_init(|| Settings::load(&Default::default()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `report --indicators` over any table either writes the report or refuses with
    /// exit 2 naming the file; it never panics (exit 101) or fails internally (exit 3).
    #[test]
    fn any_indicator_table_reports_or_is_refused_by_name(
        rows in prop::collection::vec(row(), 0..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let table = dir.path().join("表.parquet");
        write_table(&table, &rows);
        let out = dir.path().join("out");
        for command in ["report", "compare", "charts"] {
            let o = pingjia(&[
                command,
                "--indicators",
                table.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ]);
            let err = text(&o.stderr);
            match o.status.code() {
                Some(0) => {}
                Some(2) => prop_assert!(err.contains("表.parquet"), "{command}: {err}"),
                code => prop_assert!(false, "{command} exited {code:?}: {err}"),
            }
        }
    }

    /// Typed timestamp columns of a Parquet export, whatever their values: every row is
    /// kept or quarantined (or the file is refused by row and column, for a day outside the
    /// holiday schedule), and every kept 受理时间 is a plausible day (2000 to today),
    /// read as what the number means (yyyymmdd, Excel serial, Unix s or ms), not as
    /// milliseconds of 1970.
    #[test]
    fn typed_timestamps_are_read_as_what_they_mean_or_quarantined(
        (accepted, finished) in (1usize..30).prop_flat_map(|n| (stamps(n), stamps(n))),
    ) {
        let n = match &accepted {
            Stamps::Integers(v) | Stamps::Millis(v) => v.len(),
            Stamps::Floats(v) => v.len(),
            Stamps::Days(v) => v.len(),
        };
        let df = DataFrame::new(n, vec![
            Column::new("办件编号".into(), (0..n).map(|i| format!("C{i}")).collect::<Vec<_>>()),
            Column::new("事项编码".into(), vec!["370000000101"; n]),
            Column::new("行政区划代码".into(), vec!["370303"; n]),
            Column::new("办件类型".into(), vec!["承诺件"; n]),
            Column::new("办件状态".into(), vec!["办结"; n]),
            stamp_column("受理时间", &accepted),
            stamp_column("办结时间", &finished),
        ])
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.parquet");
        let mut written = df.clone();
        ParquetWriter::new(std::fs::File::create(&path).unwrap()).finish(&mut written).unwrap();
        let s = settings();
        let is_header = |h: &str| ingest::is_known_header(h, s);
        let fits = |_: &[String]| true;
        let known = read::Known { is_header: &is_header, fits: &fits };
        let raw = read::read(&path, read::Format::Parquet, None, &known).unwrap();
        let v = match ingest::validate_file(raw, true, s) {
            Ok(v) => v.expect("a case table").1,
            // A day outside the holiday schedule stops the file, by row and column.
            Err(e @ pingjia::Error::Input { .. }) => {
                let e = e.to_string();
                prop_assert!(e.contains("cases.parquet: row ") && e.contains("时间"), "{e}");
                prop_assert!(e.contains("outside the holiday schedule"), "{e}");
                return Ok(());
            }
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        };
        prop_assert_eq!(v.frame.height() + v.quarantine.len(), n);
        let today = pingjia::time::today();
        let day = |ms: i64| ms.div_euclid(86_400_000) as i32;
        let kept = v.frame.column("accepted_at").unwrap().cast(&DataType::Int64).unwrap();
        for ms in kept.i64().unwrap().iter().flatten() {
            prop_assert!((10_957..=today).contains(&day(ms)), "kept 受理时间 {ms} ms");
        }
        // Where a value is a plain yyyymmdd, it is that day.
        if let Stamps::Integers(values) = &accepted {
            let ids = v.frame.column("case_id").unwrap().str().unwrap().clone();
            for (id, ms) in ids.iter().zip(kept.i64().unwrap().iter()) {
                let i: usize = id.unwrap()[1..].parse().unwrap();
                if let (Some(x @ 20_000_101..=20_301_231), Some(ms)) = (values[i], ms) {
                    let (y, m, d) = ((x / 10_000) as i32, (x / 100 % 100) as u32, (x % 100) as u32);
                    let expected = chrono::NaiveDate::from_ymd_opt(y, m, d)
                        .map(|date| (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days());
                    prop_assert_eq!(Some(i64::from(day(ms))), expected, "{}", x);
                }
            }
        }
    }
}
