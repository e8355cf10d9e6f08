//! `pingjia report`: the main job end to end.

use super::*;

const DISTRICTS: [&str; 8] = [
    "淄川区",
    "张店区",
    "博山区",
    "临淄区",
    "周村区",
    "桓台县",
    "高青县",
    "沂源县",
];

#[test]
fn city_report_writes_every_part() {
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "report",
        "sample-data",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    for part in [
        "report.html",
        "report.md",
        "run.json",
        "charts/heatmap.png",
        "charts/heatmap.svg",
        "tables/indicators.csv",
        "tables/comparison.csv",
        "tables/overdue_cases.csv",
        "tables/bad_ratings.csv",
        "tables/audit_summary.csv",
        "quarantine/cases.csv",
    ] {
        assert!(out.path().join(part).is_file(), "{part} missing");
    }
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("<title>淄博市2025年第四季度政务服务评估区县对比报告</title>"),
        "default quarter is the latest complete one"
    );
    for d in DISTRICTS {
        assert!(html.contains(d), "{d}");
    }
    // Self-contained: nothing to fetch, no scripts.
    for forbidden in ["<script", "<link", "src=", "url(", "@import", "https://"] {
        assert!(
            !html.contains(forbidden),
            "report.html contains {forbidden}"
        );
    }
    assert_eq!(html.matches("<svg").count(), 15, "every chart inlined");
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    for heading in [
        "## 一、总体情况",
        "## 二、主要指标完成情况",
        "## 三、存在的问题",
        "## 四、下一步工作",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(
        md.contains("各区县中"),
        "the city report compares its districts"
    );
}

#[test]
fn district_report_states_its_rank_among_eight() {
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        md.starts_with("# 张店区行政审批服务局关于2025年第四季度政务服务评估工作的自查报告"),
        "{}",
        &md[..200]
    );
    // The sentence structure of SPEC §7, with the comparison's own rank and change.
    let line = md
        .lines()
        .find(|l| l.starts_with("张店区按期办结率为"))
        .unwrap();
    assert!(
        line.contains("较上季度") && line.contains("居全市第") && line.ends_with('。'),
        "{line}"
    );
    assert!(
        md.contains("居全市8个区县第"),
        "composite rank among the 8 districts"
    );
}

#[test]
fn report_on_an_empty_folder_is_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "report",
        dir.path().to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("no input files") && !err.contains("panicked"),
        "{err}"
    );
}
