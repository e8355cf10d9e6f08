//! `pingjia audit`: every docs/SPEC.md §5 audit on a fixture with one trigger each, the stories
//! planted in sample-data, and the two lists.

use super::*;

fn run_audit(data: &Path) -> (tempfile::TempDir, std::collections::HashMap<String, u64>) {
    let (out, _) = run_in_temp(&["audit", data.to_str().unwrap(), "--ignore", "README.md"]);
    let summary = std::fs::read_to_string(out.path().join("audit_summary.csv")).unwrap();
    let counts = summary
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("quarantined"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_owned(), f[3].parse().unwrap())
        })
        .collect();
    (out, counts)
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(str::to_owned)
        .collect()
}

/// Expected counts worked out in tests/fixtures/audits/README.md.
#[test]
fn every_audit_finds_its_trigger_and_nothing_else() {
    let (out, counts) = run_audit(&root().join("tests/fixtures/audits"));
    let expected = [
        ("promised_exceeds_legal", 1),
        ("instant_flag_mismatch", 1),
        ("case_type_mismatch", 1),
        ("level4_with_visits", 1),
        ("mixed_units", 1),
        ("legal_days_outlier", 1),
        ("low_compression", 2),
        ("declared_online_unused", 1),
        ("completed_before_accepted", 1),
        ("completed_without_time", 1),
        ("case_without_promised_days", 2),
        ("duplicate_case_id", 2),
        ("duplicate_rating_id", 2),
        ("rating_without_case", 1),
        ("region_outside_city", 1),
    ];
    for (id, n) in expected {
        assert_eq!(counts.get(id), Some(&n), "{id}: {counts:?}");
    }
    assert_eq!(
        counts.len(),
        expected.len(),
        "every audit is listed in the summary"
    );
    let outlier = lines(&out.path().join("audits/legal_days_outlier.csv"));
    assert!(
        outlier[0].starts_with("370305,A1,取水许可,水利局,880,40"),
        "{outlier:?}"
    );
    let unused = lines(&out.path().join("audits/declared_online_unused.csv"));
    assert!(
        unused[0].starts_with("370303,D1,") && unused[0].ends_with(",20,0.25"),
        "{unused:?}"
    );
}

#[test]
fn sample_data_stories_are_found() {
    let (out, counts) = run_audit(&root().join("sample-data"));
    let read = |id: &str| lines(&out.path().join(format!("audits/{id}.csv")));
    assert!(
        read("legal_days_outlier")
            .iter()
            .any(|l| l.starts_with("370323,370000001001,取水许可,水利局,880,")),
        "沂源县's 880-day 取水许可"
    );
    let unused = read("declared_online_unused");
    assert!(
        unused.iter().all(|l| l.starts_with("370322,")),
        "only 高青县 declares unused 全程网办: {unused:?}"
    );
    assert!(
        unused.iter().any(|l| l.contains("食品经营许可")),
        "{unused:?}"
    );
    assert!(read("promised_exceeds_legal")
        .iter()
        .any(|l| l.starts_with("370305,") && l.contains("烟草专卖零售许可")));
    assert!(read("instant_flag_mismatch")
        .iter()
        .any(|l| l.starts_with("370321,") && l.contains("建设项目环境影响报告表审批")));
    assert!(
        counts["case_type_mismatch"] > 0,
        "桓台县's cases of the 22-day matter typed 即办件"
    );
    assert!(read("level4_with_visits")
        .iter()
        .any(|l| l.starts_with("370302,") && l.contains("食品经营许可")));
    assert_eq!(
        counts["mixed_units"], 8,
        "民办学校设立审批 in each district"
    );
    assert!(
        read("low_compression").iter().any(|l| l.contains("公安局")),
        "公安局's uncompressed matters"
    );
}

/// The two indicator stories: 周村区's 即办件率 jumps in 2025Q3; 博山区's 差评按时整改 slips
/// in 2025Q2.
#[test]
fn sample_data_indicator_stories() {
    let (out, _) = run_in_temp(&["indicators", "sample-data"]);
    let rows = lines(&out.path().join("indicators.csv"));
    let value = |q: &str, key: &str, id: &str| -> Option<f64> {
        let prefix = format!("{q},region,{key},");
        let row = rows
            .iter()
            .find(|l| l.starts_with(&prefix) && l.split(',').nth(4) == Some(id))
            .unwrap();
        row.split(',').nth(7).unwrap().parse().ok()
    };
    let before = value("2025Q2", "370306", "instant_case_rate").unwrap();
    let after = value("2025Q3", "370306", "instant_case_rate").unwrap();
    assert!(after - before > 0.2, "周村区 jumps: {before} → {after}");
    let slipping = value("2025Q2", "370304", "timely_rectification_rate").unwrap();
    assert!(slipping < 0.5, "博山区 2025Q2: {slipping}");
}

#[test]
fn overdue_list_and_bad_rating_ledger() {
    let (out, _) = run_audit(&root().join("tests/fixtures/indicators-by-hand"));
    // Completed late: C1, C3, C5; open past the deadline at 2024-12-31: C7.
    let overdue = lines(&out.path().join("overdue_cases.csv"));
    let ids: Vec<&str> = overdue
        .iter()
        .map(|l| l.split(',').nth(2).unwrap())
        .collect();
    assert_eq!(ids, ["C1", "C3", "C5", "C7"], "{overdue:?}");
    assert!(
        overdue[3].starts_with("超期未办结,2024年第四季度,C7,370303,张店区"),
        "{}",
        overdue[3]
    );
    assert!(
        overdue[3].ends_with(",21,18"),
        "21 working days used, 18 over: {}",
        overdue[3]
    );
    // R2: rectified on working day 16, revisited and satisfied; R4: anonymous, in time.
    let ledger = lines(&out.path().join("bad_ratings.csv"));
    assert_eq!(ledger.len(), 2);
    assert!(
        ledger[0].contains(",R2,")
            && ledger[0].contains(",16,超期整改")
            && ledger[0].ends_with("已回访，满意"),
        "{}",
        ledger[0]
    );
    assert!(
        ledger[1].contains(",R4,")
            && ledger[1].contains("已按时整改")
            && ledger[1].ends_with("匿名，不要求回访"),
        "{}",
        ledger[1]
    );
}
