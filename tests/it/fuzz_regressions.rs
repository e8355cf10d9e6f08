//! Replays inputs kept from the fuzzing campaigns (tests/fuzz-regressions/<target>/, see
//! docs/RELIABILITY.md) through the same functions the fuzz targets call: none may panic,
//! and every read file keeps rows read = valid + quarantined.

use std::path::Path;

use pingjia::ingest::{self, read};
use pingjia::settings::Settings;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let dir = super::root().join("tests/fuzz-regressions").join(target);
    let files = super::files_under(&dir);
    assert!(!files.is_empty(), "{}", dir.display());
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

fn settings() -> Settings {
    Settings::load(&Default::default()).unwrap()
}

fn check_rows(raw: read::RawTable, s: &Settings) {
    let rows = raw.height();
    if let Ok(Some((_, v))) = ingest::validate_file(raw, true, s) {
        assert_eq!(
            v.frame.height() + v.quarantine.len() + v.report.total_rows.len(),
            rows
        );
    }
}

#[test]
fn csv_and_xlsx_inputs_replay() {
    let s = settings();
    let is_header = |h: &str| ingest::is_known_header(h, &s);
    for data in inputs("csv_reader") {
        let rest = data.get(1..).unwrap_or_default().to_vec();
        for name in ["matters.csv", "cases.csv", "ratings.csv"] {
            if let Ok(raw) = read::read_csv(Path::new(name), rest.clone(), &is_header) {
                check_rows(raw, &s);
            }
        }
    }
    let fits = |_: &[String]| true;
    let known = read::Known {
        is_header: &is_header,
        fits: &fits,
    };
    for data in inputs("xlsx_reader") {
        if let Ok(raw) = read::read_xlsx(Path::new("cases.xlsx"), data, None, &known) {
            check_rows(raw, &s);
        }
    }
}

#[test]
fn value_and_query_inputs_replay() {
    use pingjia::ingest::values::*;
    for data in inputs("values") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let _ = (
            parse_date(text),
            parse_timestamp(text),
            parse_promised_days(text),
        );
        let place = Place::bundled("online_depth");
        if let Ok(d) = parse_online_depth(place, text) {
            assert!((0..=4).contains(&d));
        }
        for scale in [ScoreScale::Gbt39046, ScoreScale::Stars] {
            if let Ok(c) = parse_satisfaction(place, text, scale) {
                assert!((1..=5).contains(&c));
            }
        }
    }
    for data in inputs("query_metadata") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let _ = pingjia::indicators::metadata::parse(text, Path::new("fuzz.sql"));
    }
}
