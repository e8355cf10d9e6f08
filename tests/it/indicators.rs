//! `pingjia indicators`: every number checked against a hand calculation on a tiny
//! fixture (tests/fixtures/indicators-by-hand/), and invariants on sample-data.

use std::collections::HashMap;

use super::*;

/// (quarter, level, key, indicator) → (numerator, denominator, value).
type Table = HashMap<(String, String, String, String), (f64, f64, Option<f64>)>;

fn run_indicators(data: &Path, extra: &[&str]) -> Table {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![
        "indicators",
        data.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        // The fixture's README (the hand calculation) sits beside its tables.
        "--ignore",
        "README.md",
    ];
    args.extend_from_slice(extra);
    let o = pingjia(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = std::fs::read_to_string(out.path().join("indicators.csv")).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next().unwrap(),
        "quarter,level,key,name,indicator,numerator,denominator,value,unit"
    );
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let num = |s: &str| s.parse::<f64>().unwrap();
            (
                (f[0].into(), f[1].into(), f[2].into(), f[4].into()),
                (num(f[5]), num(f[6]), (!f[7].is_empty()).then(|| num(f[7]))),
            )
        })
        .collect()
}

fn fixture() -> PathBuf {
    root().join("tests/fixtures/indicators-by-hand")
}

/// Worked out by hand in tests/fixtures/indicators-by-hand/README.md.
#[test]
fn every_indicator_matches_the_hand_calculation() {
    let t = run_indicators(&fixture(), &[]);
    let expect = |q: &str, id: &str, num: f64, den: f64| {
        let got = t
            .get(&(q.into(), "region".into(), "370303".into(), id.into()))
            .unwrap_or_else(|| panic!("no row for {q} {id}"));
        assert_eq!((got.0, got.1), (num, den), "{q} {id}");
        if den == 0.0 {
            assert_eq!(got.2, None, "{q} {id}: denominator 0 gives an empty value");
        } else {
            assert!((got.2.unwrap() - num / den).abs() < 1e-12, "{q} {id}");
        }
        let city = t
            .get(&(q.into(), "city".into(), "370300".into(), id.into()))
            .unwrap();
        assert_eq!(
            (city.0, city.1),
            (num, den),
            "{q} {id}: one district, so the city equals it"
        );
    };
    let q = "2024Q4";
    expect(q, "case_volume", 8.0, 1.0);
    expect(q, "on_time_rate", 4.0, 7.0);
    expect(q, "avg_net_days", 27.0, 7.0);
    expect(q, "overdue_open", 1.0, 1.0);
    expect(q, "instant_case_rate", 2.0, 8.0);
    expect(q, "online_case_rate", 2.0, 8.0);
    expect(q, "instant_matter_rate", 1.0, 3.0);
    expect(q, "online_level_1_rate", 3.0, 3.0);
    expect(q, "online_level_2_rate", 3.0, 3.0);
    expect(q, "online_level_3_rate", 2.0, 3.0);
    expect(q, "online_level_4_rate", 1.0, 3.0);
    expect(q, "time_compression_rate", 22.0, 35.0);
    expect(q, "avg_max_visits", 3.0, 3.0);
    expect(q, "at_most_one_visit_rate", 2.0, 3.0);
    expect(q, "zero_visit_rate", 1.0, 3.0);
    expect(q, "rating_volume", 5.0, 1.0);
    expect(q, "rating_rate", 4.0, 7.0);
    expect(q, "satisfaction_rate", 3.0, 5.0);
    expect(q, "good_rating_rate", 2.0, 5.0);
    expect(q, "bad_rating_count", 2.0, 1.0);
    expect(q, "rectification_rate", 2.0, 2.0);
    expect(q, "timely_rectification_rate", 1.0, 2.0);
    expect(q, "revisit_rate", 1.0, 1.0);
    expect(q, "revisit_satisfaction_rate", 1.0, 1.0);
    expect(q, "upload_rate", 4.0, 5.0);
    // 2024Q3: C2 accepted on 09-30, open at the quarter end but not overdue; one rating,
    // no bad rating — so no rectification or revisit row (their view, the bad ratings,
    // is empty there).
    expect("2024Q3", "case_volume", 1.0, 1.0);
    expect("2024Q3", "overdue_open", 0.0, 1.0);
    for id in ["rectification_rate", "revisit_rate"] {
        assert!(!t.contains_key(&("2024Q3".into(), "region".into(), "370303".into(), id.into())));
    }
}

/// Numerator and denominator of an indicator for 张店区 (370303) in 2025Q4.
fn zhangdian_2025q4(t: &Table, id: &str) -> (f64, f64) {
    let r = t
        .get(&("2025Q4".into(), "region".into(), "370303".into(), id.into()))
        .unwrap_or_else(|| panic!("no {id}"));
    (r.0, r.1)
}

/// tests/fixtures/pending-rectification/README.md, worked by hand: a 差评 rated two
/// working days before the as-of time is pending, not a failure.
#[test]
fn pending_bad_ratings_are_not_counted_as_failures() {
    let data = root().join("tests/fixtures/pending-rectification");
    let at = zhangdian_2025q4;
    let t = run_indicators(&data, &[]);
    assert_eq!(at(&t, "bad_rating_count"), (5.0, 1.0));
    assert_eq!(at(&t, "pending_rectification_count"), (1.0, 1.0));
    assert_eq!(at(&t, "rectification_rate"), (2.0, 4.0));
    assert_eq!(at(&t, "timely_rectification_rate"), (1.0, 4.0));
    assert_eq!(
        at(&t, "revisit_rate"),
        (2.0, 4.0),
        "a pending 差评 is owed no revisit"
    );
    let t = run_indicators(&data, &["--as-of", "2026-01-31"]);
    assert_eq!(at(&t, "pending_rectification_count"), (0.0, 1.0));
    assert_eq!(at(&t, "rectification_rate"), (2.0, 5.0));
    assert_eq!(at(&t, "timely_rectification_rate"), (1.0, 5.0));
    assert_eq!(at(&t, "revisit_rate"), (2.0, 5.0));
    // A Saturday after a Friday deadline is past it; a rating after the as-of time is
    // neither due nor pending.
    let t = run_indicators(&data, &["--as-of", "2025-12-27"]);
    assert_eq!(at(&t, "pending_rectification_count"), (0.0, 1.0));
    assert_eq!(at(&t, "rectification_rate"), (2.0, 4.0));
    let t = run_indicators(&data, &["--as-of", "2025-12-26"]);
    assert_eq!(at(&t, "pending_rectification_count"), (1.0, 1.0));
    assert_eq!(at(&t, "rectification_rate"), (2.0, 3.0));
    // The ledger: each 差评's deadline and state at the as-of time.
    let (out, _) = run_in_temp(&["audit", data.to_str().unwrap(), "--ignore", "README.md"]);
    let ledger = std::fs::read_to_string(out.path().join("bad_ratings.csv")).unwrap();
    for (id, deadline, state) in [
        ("R1", "2025-12-22", "已按时整改"),
        ("R2", "2025-11-24", "超期未整改"),
        ("R3", "2026-01-20", "整改中（未到期）"),
        ("R4", "2025-12-01", "超期整改（>15个工作日）"),
        ("R6", "2025-12-26", "超期未整改"),
    ] {
        let line = ledger
            .lines()
            .find(|l| l.contains(&format!(",{id},")))
            .unwrap_or_else(|| panic!("{id} not in the ledger:\n{ledger}"));
        assert!(
            line.contains(deadline) && line.contains(state),
            "{id}: {line}"
        );
    }
}

#[test]
fn rectification_limit_is_a_setting() {
    // R2 was rectified on working day 16: timely under a 16-day rule.
    let t = run_indicators(&fixture(), &["--rectification-days", "16"]);
    let got = t[&(
        "2024Q4".into(),
        "region".into(),
        "370303".into(),
        "timely_rectification_rate".into(),
    )];
    assert_eq!((got.0, got.1), (2.0, 2.0));
}

#[test]
fn sample_data_invariants() {
    let t = run_indicators(&root().join("sample-data"), &[]);
    let quarters = [
        "2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4",
    ];
    let districts = [
        "370302", "370303", "370304", "370305", "370306", "370321", "370322", "370323",
    ];
    let ids: std::collections::BTreeSet<&str> = t.keys().map(|k| k.3.as_str()).collect();
    assert_eq!(
        ids.len(),
        35,
        "30 docs/SPEC.md §4 indicators and the five rating-level counts: {ids:?}"
    );
    for q in quarters {
        for id in &ids {
            let city = t
                .get(&(q.into(), "city".into(), "370300".into(), id.to_string()))
                .unwrap_or_else(|| panic!("{q} {id} city"));
            let (mut num, mut den) = (0.0, 0.0);
            for d in districts {
                // These read the bad ratings, which a district may not have in a
                // quarter: no row there, as 0 / 0.
                let from_bad_ratings = [
                    "rectification_rate",
                    "timely_rectification_rate",
                    "pending_rectification_count",
                    "revisit_rate",
                ]
                .contains(id);
                let r = match t.get(&(q.into(), "region".into(), d.into(), id.to_string())) {
                    Some(r) => *r,
                    None if from_bad_ratings => (0.0, 0.0, None),
                    None => panic!("{q} {id} {d}"),
                };
                num += r.0;
                den += if id.ends_with("_count")
                    || *id == "case_volume"
                    || *id == "rating_volume"
                    || *id == "overdue_open"
                {
                    0.0
                } else {
                    r.1
                };
            }
            assert!(
                (city.0 - num).abs() < 1e-9,
                "{q} {id}: city numerator = Σ districts"
            );
            if den > 0.0 {
                assert!(
                    (city.1 - den).abs() < 1e-9,
                    "{q} {id}: city denominator = Σ districts"
                );
            }
        }
        for key in districts.iter().chain(&["370300"]) {
            let level = if *key == "370300" { "city" } else { "region" };
            let v = |k: u8| {
                t[&(
                    q.into(),
                    level.into(),
                    key.to_string(),
                    format!("online_level_{k}_rate"),
                )]
                    .2
                    .unwrap()
            };
            assert!(
                v(1) >= v(2) && v(2) >= v(3) && v(3) >= v(4),
                "{q} {key}: levels never increase"
            );
        }
    }
}

/// For every group at every level — city, districts, departments, matters — the online
/// level rates never increase with the level.
#[test]
fn online_levels_never_increase_in_any_group() {
    let t = run_indicators(
        &root().join("sample-data"),
        &["--level", "department,matter"],
    );
    let mut groups = 0;
    for ((q, level, key, id), _) in t.iter().filter(|(k, _)| k.3 == "online_level_1_rate") {
        let v = |k: u8| {
            t[&(
                q.clone(),
                level.clone(),
                key.clone(),
                id.replace('1', &k.to_string()),
            )]
                .2
        };
        let values: Vec<f64> = (1..=4).map(|k| v(k).unwrap()).collect();
        assert!(
            values.windows(2).all(|w| w[0] >= w[1]),
            "{q} {level} {key}: {values:?}"
        );
        groups += 1;
    }
    let levels: std::collections::BTreeSet<&str> = t.keys().map(|k| k.1.as_str()).collect();
    assert_eq!(
        levels.into_iter().collect::<Vec<_>>(),
        ["city", "department", "matter", "region"]
    );
    assert!(groups > 1000, "{groups} groups checked");
}

#[test]
fn ad_hoc_query_over_enriched_views() {
    let o = pingjia(&[
        "query",
        "tests/fixtures/indicators-by-hand",
        "SELECT case_id, net_days, on_time FROM completed_cases WHERE NOT on_time ORDER BY case_id",
        "--ignore",
        "README.md",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("shape: (3, 3)"), "C1, C3, C5 are late:\n{out}");
    for id in ["C1", "C3", "C5"] {
        assert!(out.contains(id), "{out}");
    }
    let bad = pingjia(&[
        "query",
        "tests/fixtures/indicators-by-hand",
        "SELECT nope FROM cases_that_do_not_exist",
        "--ignore",
        "README.md",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("accepted_cases"),
        "the error names the tables: {}",
        text(&bad.stderr)
    );
}

#[test]
fn a_dropped_in_sql_file_adds_an_indicator_without_rebuilding() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("window_case_rate.sql"),
        "-- id: window_case_rate\n-- name: 窗口办件率\n-- unit: %\n-- kind: rate\n-- better: lower\n-- 口径: 本季度受理办件中经窗口申办的比例。\nSELECT SUM(CASE WHEN channel = 'window' THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator\nFROM accepted_cases\n",
    )
    .unwrap();
    let t = run_indicators(&fixture(), &["--queries", dir.path().to_str().unwrap()]);
    let got = t[&(
        "2024Q4".into(),
        "region".into(),
        "370303".into(),
        "window_case_rate".into(),
    )];
    // By hand from the fixture: accepted in 2024Q4 are C1 and C3–C9 (C2 was accepted on
    // 09-30); of them C4–C9 came through the 窗口, C1 online and C3 by 移动端.
    assert_eq!((got.0, got.1), (6.0, 8.0));
}

/// The bundled indicators are inside the binary: run from a folder that holds a broken
/// `queries/` of its own (as a user's working folder may), pingjia neither fails nor picks
/// it up, and writes the same table as from the repository.
#[test]
fn bundled_queries_travel_with_the_binary() {
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::create_dir(elsewhere.path().join("queries")).unwrap();
    std::fs::write(
        elsewhere.path().join("queries/on_time_rate.sql"),
        "-- id: on_time_rate\nSELECT nonsense FROM nowhere\n",
    )
    .unwrap();
    let (here, _) = run_in_temp(&["indicators", "sample-data", "--quarter", "2025Q4"]);
    let out = elsewhere.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_pingjia"))
        .args(["indicators", root().join("sample-data").to_str().unwrap()])
        .args(["--quarter", "2025Q4", "--out", out.to_str().unwrap()])
        .current_dir(elsewhere.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = |dir: &Path| std::fs::read(dir.join("indicators.csv")).unwrap();
    assert!(table(&out) == table(here.path()), "same indicator table");
}

/// The enriched views as `src/views.rs` declares them are the views `src/enrich.rs`
/// builds: the list indicator SQL is checked against is the real one.
#[test]
fn declared_views_are_the_views_enrichment_builds() {
    let settings = pingjia::settings::Settings::load(&Default::default()).unwrap();
    let ingested = pingjia::ingest::load(&[root().join("sample-data")], &settings).unwrap();
    let enriched =
        pingjia::enrich::enrich(&ingested.tables, &settings.calendar, &Default::default()).unwrap();
    assert_eq!(enriched.views.len(), pingjia::views::VIEWS.len());
    for (name, df) in &enriched.views {
        let view = pingjia::views::View::named(name).unwrap();
        let mut built: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let mut declared: Vec<String> = view.columns().iter().map(|c| c.to_string()).collect();
        built.sort();
        declared.sort();
        assert_eq!(declared, built, "view {name}");
    }
}

/// A query that names only real columns but cannot run (a SUM over the text column
/// 办件类型, a time compared with a number) is the user's error: exit 2 naming the file,
/// before any data is read, in the whole-table and the streaming path alike.
#[test]
fn a_type_error_in_a_user_query_is_named_before_any_data_is_read() {
    let queries = tempfile::tempdir().unwrap();
    std::fs::write(
        queries.path().join("sum_of_text.sql"),
        "-- id: sum_of_text\n-- name: 文本求和\n-- unit: 件\n-- kind: count\n-- better: none\n-- 口径: 测试。\n\
         SELECT SUM(case_type) AS numerator, COUNT(*) AS denominator FROM accepted_cases\n",
    )
    .unwrap();
    std::fs::write(
        queries.path().join("fine.sql"),
        "-- id: fine\n-- name: 受理量\n-- unit: 件\n-- kind: count\n-- better: none\n-- 口径: 测试。\n\
         SELECT COUNT(*) AS numerator, 1 AS denominator FROM accepted_cases\n",
    )
    .unwrap();
    for said in refused_before_reading(queries.path()) {
        assert!(
            said.contains("sum_of_text.sql: the query does not run on the views"),
            "{said}"
        );
        assert!(!said.contains("fine.sql"), "{said}");
    }
}

/// A typo in a user's query is found before any data is read, with file, line and the
/// name meant, for every file at once — in the whole-table and the streaming path alike.
#[test]
fn a_typo_in_a_user_query_is_named_before_any_data_is_read() {
    let queries = tempfile::tempdir().unwrap();
    std::fs::write(
        queries.path().join("my_rate.sql"),
        "-- id: my_rate\n-- name: 我的指标\n-- unit: %\n-- kind: rate\n-- better: higher\n-- 口径: 测试。\n\
         SELECT SUM(CASE WHEN rectifed THEN 1 ELSE 0 END) AS numerator,\n       COUNT(*) AS denominator\nFROM bad_ratings\n",
    )
    .unwrap();
    std::fs::write(
        queries.path().join("my_count.sql"),
        "-- id: my_count\n-- name: 我的计数\n-- unit: 条\n-- kind: count\n-- better: none\n-- 口径: 测试。\n\
         SELECT COUNT(*) AS numerator, 1 AS denominator FROM rating\n",
    )
    .unwrap();
    for said in refused_before_reading(queries.path()) {
        assert!(
            said.contains("my_rate.sql:7:22: view bad_ratings has no column 'rectifed', did you mean 'rectified'?"),
            "{said}"
        );
        assert!(
            said.contains("my_count.sql:7:53: no view 'rating', did you mean 'ratings'?"),
            "{said}"
        );
        assert!(!said.contains("panicked"), "{said}");
    }
}

/// Runs `report sample-data --queries DIR`, whole and streamed: each must exit 2 before
/// reading any data (no run.json written). Returns what each said on stderr.
fn refused_before_reading(queries: &Path) -> Vec<String> {
    let q = queries.to_str().unwrap();
    [&[][..], &["--streaming"][..]]
        .into_iter()
        .map(|extra| {
            let out = tempfile::tempdir().unwrap();
            let mut args = vec!["report", "sample-data", "--queries", q];
            args.extend(extra);
            args.extend(["--out", out.path().to_str().unwrap()]);
            let o = pingjia(&args);
            let said = text(&o.stderr);
            assert_eq!(o.status.code(), Some(2), "{said}");
            assert!(!out.path().join("run.json").exists(), "no data was read");
            said
        })
        .collect()
}

/// tests/fixtures/rating-details/README.md, worked by hand: 默认评价 are left out of
/// satisfaction (unless the run counts them), an upheld appeal makes a 差评 no 差评, and
/// 评价覆盖率 counts the matters with cases that were rated.
#[test]
fn default_ratings_and_upheld_appeals_change_satisfaction_and_bad_counts() {
    let data = root().join("tests/fixtures/rating-details");
    let at = zhangdian_2025q4;
    let t = run_indicators(&data, &[]);
    assert_eq!(at(&t, "rating_volume"), (7.0, 1.0));
    assert_eq!(at(&t, "bad_rating_count"), (1.0, 1.0));
    assert_eq!(at(&t, "satisfaction_rate"), (4.0, 5.0));
    assert_eq!(at(&t, "good_rating_rate"), (3.0, 5.0));
    assert_eq!(at(&t, "active_rating_rate"), (5.0, 7.0));
    assert_eq!(at(&t, "bad_rating_rate"), (1.0, 7.0));
    assert_eq!(at(&t, "appealed_bad_rating_count"), (1.0, 1.0));
    assert_eq!(at(&t, "rating_coverage_rate"), (1.0, 2.0));
    assert_eq!(at(&t, "rectification_rate"), (1.0, 1.0));
    let t = run_indicators(&data, &["--count-default-ratings"]);
    assert_eq!(at(&t, "satisfaction_rate"), (6.0, 7.0));
    assert_eq!(at(&t, "good_rating_rate"), (4.0, 7.0));
    assert_eq!(at(&t, "bad_rating_count"), (1.0, 1.0));
    // The ledger lists the upheld appeal apart from the 差评.
    let (out, _) = run_in_temp(&["audit", data.to_str().unwrap(), "--ignore", "README.md"]);
    let ledger = std::fs::read_to_string(out.path().join("bad_ratings.csv")).unwrap();
    for (id, state) in [("R4", "申诉成立（不计差评）"), ("R5", "已按时整改")] {
        let line = ledger
            .lines()
            .find(|l| l.contains(&format!(",{id},")))
            .unwrap_or_else(|| panic!("{id} not in the ledger:\n{ledger}"));
        assert!(line.contains(state), "{id}: {line}");
    }
    assert_eq!(ledger.lines().count(), 3, "R4 and R5 only:\n{ledger}");
}
