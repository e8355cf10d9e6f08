//! Several cities in one run (docs/SPEC.md §6): the province's report ranks its cities and
//! names each city's districts within that city, `--region <city>` gives that city's
//! comparison of its districts, `--all-cities` writes every city's, and a city whose
//! exports stop a quarter early is named, not ranked.
//!
//! The data are `pingjia sample --cities 2`: 淄博市 and 济南市 (the first other city of 山东省
//! in code order), with their real district codes.

use std::collections::BTreeMap;
use std::path::Path;

use super::csv_rows;
use super::{pingjia, run_in_temp, text};

/// The districts of 淄博市 (the sample's) and of 济南市 (GB/T 2260), as the reports name them.
const ZIBO: [&str; 8] = super::DISTRICTS;
const JINAN: [&str; 12] = [
    "历下区",
    "市中区",
    "槐荫区",
    "天桥区",
    "历城区",
    "长清区",
    "章丘区",
    "济阳区",
    "莱芜区",
    "钢城区",
    "平阴县",
    "商河县",
];

/// `pingjia sample --no-dirty ARGS` into a fresh folder.
fn sample(args: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut all = vec![
        "sample",
        "--no-dirty",
        "--out",
        dir.path().to_str().unwrap(),
    ];
    all.extend(args);
    let o = pingjia(&all);
    assert!(o.status.success(), "{}", text(&o.stderr));
    dir
}

/// Two cities' sample data in a fresh folder.
fn two_cities() -> tempfile::TempDir {
    sample(&["--cities", "2"])
}

/// The comparison row of a key for an indicator in 2025Q4.
fn row<'a>(
    rows: &'a [BTreeMap<String, String>],
    key: &str,
    id: &str,
) -> Option<&'a BTreeMap<String, String>> {
    rows.iter()
        .find(|r| r["quarter"] == "2025Q4" && r["key"] == key && r["indicator"] == id)
}

fn num(r: &BTreeMap<String, String>, c: &str) -> f64 {
    r[c].parse().unwrap_or_else(|_| panic!("{c}: '{}'", r[c]))
}

/// A rate as the reports write it: `100%`, `99.60%` (two decimals unless whole).
fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round())
    } else {
        format!("{p:.2}%")
    }
}

/// Cases accepted in 2025Q4 per city (first four digits of 行政区划代码), counted from the
/// raw export.
fn accepted_in_q4(data: &Path) -> BTreeMap<String, usize> {
    let mut n = BTreeMap::new();
    for r in csv_rows(&data.join("cases.csv")) {
        let t = &r["受理时间"];
        if t.as_str() >= "2025-10-01" && t.as_str() < "2026-01-01" {
            *n.entry(r["行政区划代码"][..4].to_owned()).or_insert(0) += 1;
        }
    }
    n
}

#[test]
fn a_province_report_ranks_its_cities_and_names_each_citys_districts_within_it() {
    let data = two_cities();
    let d = data.path().to_str().unwrap();
    let (out, _) = run_in_temp(&["report", d, "--all-cities", "--format", "md,html"]);
    let report = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        report.starts_with("# 山东省2025年第四季度政务服务评估各市对比报告\n"),
        "{}",
        &report[..200]
    );

    // The pooled values, against the cities' numerators and denominators; the ranks.
    let comparison = csv_rows(&out.path().join("tables/comparison.csv"));
    for id in ["on_time_rate", "online_case_rate", "satisfaction_rate"] {
        let zibo = row(&comparison, "370300", id).unwrap();
        let jinan = row(&comparison, "370100", id).unwrap();
        let province = (num(zibo, "numerator") + num(jinan, "numerator"))
            / (num(zibo, "denominator") + num(jinan, "denominator"));
        for city in [zibo, jinan] {
            assert!((num(city, "parent_value") - province).abs() < 1e-12, "{id}");
            assert_eq!(city["rank_of"], "2", "{id}");
        }
        // The province itself has its value, and no rank (nothing to rank it among).
        let own = row(&comparison, "370000", id).unwrap();
        assert!((num(own, "value") - province).abs() < 1e-12, "{id}");
        assert_eq!(own["rank"], "", "{id}");
        let (best, worst) = if num(zibo, "value") > num(jinan, "value") {
            (zibo, jinan)
        } else {
            (jinan, zibo)
        };
        assert_eq!((best["rank"].as_str(), worst["rank"].as_str()), ("1", "2"));
        let name = &best["indicator_name"];
        let sentence = format!("山东省{name}为{}", percent(province));
        assert!(report.contains(&sentence), "{sentence}");
        let ranked = format!(
            "各市中{}最高（{}），{}最低（{}）",
            best["name"],
            percent(num(best, "value")),
            worst["name"],
            percent(num(worst, "value"))
        );
        assert!(report.contains(&ranked), "{ranked}");
    }
    // Case volumes, counted from the export itself.
    let counted = accepted_in_q4(data.path());
    for (city, key) in [("3703", "370300"), ("3701", "370100")] {
        let r = row(&comparison, key, "case_volume").unwrap();
        assert_eq!(num(r, "numerator") as usize, counted[city], "{key}");
    }
    let all: usize = counted.values().sum();
    assert!(report.contains(&format!(
        "山东省各市共受理政务服务事项办件{}件",
        thousands(all)
    )));

    // Districts are named only in their own city's paragraph, never across cities.
    for p in report.lines().filter(|l| !l.is_empty()) {
        let (zibo, jinan) = (
            ZIBO.iter().any(|d| p.contains(d)),
            JINAN.iter().any(|d| p.contains(d)),
        );
        if p.starts_with("淄博市各区县中，") {
            assert!(zibo && !jinan, "{p}");
        } else if p.starts_with("济南市各区县中，") {
            assert!(jinan && !zibo, "{p}");
        } else if p.contains("各区县中") {
            panic!("a province's sentence compares districts outside their city: {p}");
        }
        // Wherever a district is named, its city is named just before it.
        for (city, districts) in [("淄博市", &ZIBO[..]), ("济南市", &JINAN[..])] {
            for d in districts {
                if p.contains(d)
                    && !p.starts_with(&format!("{city}各区县中，"))
                    && !p.starts_with('|')
                {
                    assert!(p.contains(&format!("{city}{d}")), "{d} without {city}: {p}");
                }
            }
        }
    }
    assert!(report.contains("淄博市各区县中，") && report.contains("济南市各区县中，"));

    // --all-cities wrote each city's report; --region <city> writes the same one.
    for city in ["淄博市", "济南市"] {
        let md = std::fs::read_to_string(out.path().join(city).join("report.md")).unwrap();
        assert!(
            md.starts_with(&format!("# {city}2025年第四季度政务服务评估区县对比报告\n")),
            "{city}"
        );
        assert!(out.path().join(city).join("report.html").exists());
        let (own, other) = if city == "淄博市" {
            (&ZIBO[..], &JINAN[..])
        } else {
            (&JINAN[..], &ZIBO[..])
        };
        assert!(own.iter().all(|d| md.contains(d)), "{city}");
        // Nor in its charts (the HTML carries them as SVG text) or its tables.
        let html = std::fs::read_to_string(out.path().join(city).join("report.html")).unwrap();
        for text in [&md, &html] {
            assert!(
                !other.iter().any(|d| text.contains(d)),
                "{city} names another city's district"
            );
        }
        let theirs = if city == "淄博市" { "3701" } else { "3703" };
        for table in ["comparison", "indicators", "boards"] {
            let rows = csv_rows(&out.path().join(city).join(format!("tables/{table}.csv")));
            assert!(!rows.is_empty(), "{city} {table}");
            let key = if table == "boards" {
                "within_key"
            } else {
                "key"
            };
            assert!(
                rows.iter().all(|r| !r[key].starts_with(theirs)),
                "{city}'s {table} holds another city's rows"
            );
        }
    }
    let (zibo, _) = run_in_temp(&["report", d, "--region", "370300", "--format", "md"]);
    let alone = std::fs::read_to_string(zibo.path().join("report.md")).unwrap();
    let within = std::fs::read_to_string(out.path().join("淄博市/report.md")).unwrap();
    assert_eq!(alone, within);
    // The city's sentences rank it among the province's cities.
    let r = row(&comparison, "370300", "on_time_rate").unwrap();
    assert!(
        alone.contains(&format!("淄博市按期办结率为{}", percent(num(r, "value"))))
            && alone.contains(&format!("居全省第{}位", r["rank"])),
        "{alone}"
    );
}

fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn a_city_lacking_the_quarter_is_named_and_not_ranked() {
    let full = two_cities();
    // 济南市's exports stop at the end of 2025Q3: its cases and ratings of 2025Q4 go.
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(
        full.path().join("matters.csv"),
        data.path().join("matters.csv"),
    )
    .unwrap();
    for (table, day) in [("cases", "受理时间"), ("ratings", "评价时间")] {
        let body = std::fs::read_to_string(full.path().join(format!("{table}.csv"))).unwrap();
        let mut lines = body.lines();
        let header = lines.next().unwrap();
        let columns: Vec<&str> = header.trim_start_matches('\u{feff}').split(',').collect();
        let (code, at) = (
            columns.iter().position(|c| *c == "行政区划代码").unwrap(),
            columns.iter().position(|c| *c == day).unwrap(),
        );
        let mut kept = format!("{header}\n");
        for l in lines {
            let f: Vec<&str> = l.split(',').collect();
            if !(f[code].starts_with("3701") && f[at] >= "2025-10-01") {
                kept.push_str(l);
                kept.push('\n');
            }
        }
        std::fs::write(data.path().join(format!("{table}.csv")), kept).unwrap();
    }
    let d = data.path().to_str().unwrap();
    let (out, _) = run_in_temp(&["report", d, "--all-cities", "--format", "md"]);
    let report = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(report.starts_with("# 山东省2025年第四季度政务服务评估各市对比报告\n"));
    assert!(
        report.contains("济南市（数据截至2025年第三季度）本季度无受理办件数据，未参与各市排名。"),
        "{report}"
    );
    assert!(report.contains("| 济南市（本季度无数据） | — |"));
    // Not ranked: no rank for it in the comparison, none of the sentences ranks it.
    let comparison = csv_rows(&out.path().join("tables/comparison.csv"));
    assert!(comparison
        .iter()
        .filter(|r| r["quarter"] == "2025Q4" && r["key"] == "370100")
        .all(|r| r["rank"].is_empty()));
    let zibo = row(&comparison, "370300", "on_time_rate").unwrap();
    assert_eq!(zibo["rank_of"], "1");
    let main = report
        .split("## 二、主要指标完成情况")
        .nth(1)
        .unwrap()
        .split("## 三")
        .next()
        .unwrap();
    assert!(!main.contains("济南"), "{main}");
    assert!(!main.contains("各市中"), "{main}");
    // 淄博市's report of the quarter does not rank it among cities either: it is alone.
    let zibo = std::fs::read_to_string(out.path().join("淄博市/report.md")).unwrap();
    assert!(zibo.starts_with("# 淄博市2025年第四季度"));
    assert!(!zibo.contains("居全省"), "{zibo}");
    // 济南市's own report is of its own latest quarter.
    let jinan = std::fs::read_to_string(out.path().join("济南市/report.md")).unwrap();
    assert!(
        jinan.starts_with("# 济南市2025年第三季度政务服务评估区县对比报告\n"),
        "{}",
        &jinan[..120]
    );
}

#[test]
fn sample_cities_are_real_districts_of_shandong() {
    let dir = sample(&["--cities", "16", "--scale", "20000"]);
    // The codes of 山东省's districts today (GB/T 2260, development zones xxxx7x aside),
    // read from the bundled table the test does not share code with.
    let table = std::fs::read_to_string(super::root().join("data/regions/gbt2260.csv")).unwrap();
    let shandong: std::collections::BTreeSet<&str> = table
        .lines()
        .filter_map(|l| l.split_once(',').map(|(c, _)| c))
        .filter(|c| c.len() == 6 && c.starts_with("37") && !c.ends_with("00"))
        .filter(|c| c.as_bytes()[4] != b'7')
        .collect();
    let matters = csv_rows(&dir.path().join("matters.csv"));
    let used: std::collections::BTreeSet<String> =
        matters.iter().map(|r| r["行政区划代码"].clone()).collect();
    let cities: std::collections::BTreeSet<&str> = used.iter().map(|c| &c[..4]).collect();
    assert_eq!(cities.len(), 16);
    assert_eq!(
        used.iter()
            .map(String::as_str)
            .collect::<std::collections::BTreeSet<_>>(),
        shandong
    );
    let o = pingjia(&[
        "sample",
        "--cities",
        "17",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("16 cities"), "{}", text(&o.stderr));
}
