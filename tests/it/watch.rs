//! `pingjia watch`: 预警 of the open cases at an as-of time, checked against the hand
//! calculation of tests/fixtures/watch/README.md, and 红 against overdue_open.

use std::collections::HashMap;

use super::*;

/// The rows of a CSV pingjia wrote, as header → value maps.
fn rows(path: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_owned))
                .collect()
        })
        .collect()
}

fn watch(extra: &[&str]) -> (tempfile::TempDir, Vec<HashMap<String, String>>) {
    let data = root().join("tests/fixtures/watch");
    let mut args = vec![
        "watch",
        data.to_str().unwrap(),
        "--ignore",
        "README.md",
        "--as-of",
        "2026-01-05 17:00",
    ];
    args.extend_from_slice(extra);
    let (out, _) = run_in_temp(&args);
    let list = rows(&out.path().join("watch.csv"));
    (out, list)
}

#[test]
fn every_open_case_gets_its_deadline_and_light_across_the_new_year_and_a_suspension() {
    let (out, list) = watch(&[]);
    let order: Vec<&str> = list.iter().map(|r| r["case_id"].as_str()).collect();
    assert_eq!(
        order,
        ["K", "B", "F", "N", "H", "E", "C", "A", "M", "D", "L"]
    );
    let expected = [
        ("A", "2026-01-06", "1", "黄"),
        ("B", "2025-12-29", "-4", "红"),
        ("C", "2026-01-06", "1", "黄"),
        ("D", "2026-01-08", "3", "绿"),
        ("E", "2026-01-05", "0", "黄"),
        ("F", "2026-01-02", "-3", "红"),
        ("H", "2026-01-05", "0", "黄"),
        ("K", "2025-12-15", "-14", "红"),
        ("L", "2026-01-08", "3", "绿"),
        ("M", "2026-01-07", "2", "绿"),
        ("N", "2026-01-03", "-2", "红"),
    ];
    for (id, deadline, left, light) in expected {
        let r = list.iter().find(|r| r["case_id"] == id).unwrap();
        assert_eq!(
            (
                r["deadline"].as_str(),
                r["days_left"].as_str(),
                r["light"].as_str()
            ),
            (deadline, left, light),
            "case {id}"
        );
    }
    let counts = rows(&out.path().join("watch_counts.csv"));
    let at = |level: &str, key: &str| {
        let r = counts
            .iter()
            .find(|r| r["level"] == level && r["key"] == key)
            .unwrap_or_else(|| panic!("no {level} {key}"));
        (
            r["红"].clone(),
            r["黄"].clone(),
            r["绿"].clone(),
            r["合计"].clone(),
        )
    };
    let n = |a: &str, b: &str, c: &str, d: &str| (a.into(), b.into(), c.into(), d.into());
    assert_eq!(at("region", "370303"), n("4", "4", "2", "10"));
    assert_eq!(at("region", "370302"), n("0", "0", "1", "1"));
    assert_eq!(at("department", "370303/市场监管局"), n("1", "3", "2", "6"));
    assert!(out.path().join("watch.xlsx").exists());
    assert!(out.path().join("watch.parquet").exists());

    // By the share of the promised days used: M (3 of 5) turns 黄, D (2 of 5) stays 绿.
    let (_, list) = watch(&["--warn-share", "0.5"]);
    let light = |id: &str| list.iter().find(|r| r["case_id"] == id).unwrap()["light"].clone();
    for (id, l) in [
        ("A", "黄"),
        ("C", "黄"),
        ("E", "黄"),
        ("H", "黄"),
        ("M", "黄"),
        ("D", "绿"),
        ("L", "绿"),
        ("B", "红"),
    ] {
        assert_eq!(light(id), l, "case {id} with --warn-share 0.5");
    }
    // One district.
    let (_, list) = watch(&["--region", "370302"]);
    assert_eq!(list.len(), 1);
}

/// 红 at a quarter's last moment is overdue_open of that quarter, district by district.
#[test]
fn red_at_the_quarter_end_is_overdue_open() {
    let as_of = "2025-12-31 23:59:59";
    let (out, _) = run_in_temp(&["watch", "sample-data", "--as-of", as_of]);
    let list = rows(&out.path().join("watch.csv"));
    let (ind, _) = run_in_temp(&["indicators", "sample-data", "--as-of", as_of]);
    let table = rows(&ind.path().join("indicators.csv"));
    let mut compared = 0;
    for r in table.iter().filter(|r| {
        r["quarter"] == "2025Q4" && r["level"] == "region" && r["indicator"] == "overdue_open"
    }) {
        let red = list
            .iter()
            .filter(|c| c["region_code"] == r["key"] && c["light"] == "红")
            .count();
        let overdue: f64 = r["numerator"].parse().unwrap();
        assert_eq!(red as f64, overdue, "district {}", r["key"]);
        compared += usize::from(red > 0);
    }
    assert!(
        compared >= 3,
        "the sample has overdue open cases in several districts"
    );
}
