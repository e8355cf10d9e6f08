//! 红黑榜: one district's departments, ranked by the test itself from `pingjia query` sums
//! and compared with what `pingjia compare` writes.

use super::*;

/// (department, numerator, denominator) of 张店区 in 2025Q4, from `pingjia query`.
fn sums(numerator: &str, denominator: &str, view: &str) -> Vec<(String, f64, f64)> {
    let sql = format!(
        "SELECT department, {numerator} AS n, {denominator} AS d FROM {view} \
         WHERE region_key = '370303' AND quarter = '2025Q4' GROUP BY department"
    );
    let o = pingjia(&["query", "sample-data", &sql]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    let rows: Vec<(String, f64, f64)> = table
        .lines()
        .filter(|l| l.starts_with('│') && !l.contains("---") && !l.contains("department"))
        .filter_map(|l| {
            let f: Vec<String> = l
                .trim_matches('│')
                .split('┆')
                .map(|c| c.trim().to_owned())
                .collect();
            Some((f[0].clone(), f[1].parse().ok()?, f[2].parse().ok()?))
        })
        .collect();
    assert!(rows.len() >= 10, "{table}");
    rows
}

/// The boards by the rule (docs/SPEC.md §6): ranked with 30 cases or more; competition
/// ranks; 红榜 the first N ranks, 黑榜 the last N from the bottom, a unit within N of both
/// ends on the nearer one, N = 5 or half the ranked units if fewer than 10. Returns
/// (红榜, 黑榜, 样本不足, N), sorted.
fn by_rule(sums: &[(String, f64, f64)]) -> (Vec<String>, Vec<String>, Vec<String>, usize) {
    let ranked: Vec<&(String, f64, f64)> = sums.iter().filter(|s| s.2 >= 30.0).collect();
    let rate = |s: &(String, f64, f64)| s.1 / s.2;
    let rank = |s: &(String, f64, f64)| 1 + ranked.iter().filter(|o| rate(o) > rate(s)).count();
    let from_bottom =
        |s: &(String, f64, f64)| 1 + ranked.iter().filter(|o| rate(o) < rate(s)).count();
    let n = 5.min(ranked.len() / 2).max(1);
    let names = |keep: &dyn Fn(&(String, f64, f64)) -> bool| {
        let mut v: Vec<String> = sums
            .iter()
            .filter(|s| keep(s))
            .map(|s| s.0.clone())
            .collect();
        v.sort();
        v
    };
    (
        names(&|s| s.2 >= 30.0 && rank(s) <= n && rank(s) < from_bottom(s)),
        names(&|s| s.2 >= 30.0 && from_bottom(s) <= n && from_bottom(s) < rank(s)),
        names(&|s| s.2 < 30.0),
        n,
    )
}

#[test]
fn a_districts_red_and_black_boards_follow_its_departments_sums() {
    let on_time = sums(
        "SUM(CASE WHEN on_time THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN on_time IS NOT NULL THEN 1 ELSE 0 END)",
        "completed_cases",
    );
    let instant = sums(
        "SUM(CASE WHEN instant THEN 1 ELSE 0 END)",
        "COUNT(*)",
        "accepted_cases",
    );
    // By hand from the queries: on time, 交通运输局 32/32, 人社局 103/103, 住建局 48/48,
    // 医保局 54/54 and 卫健局 43/43 share first place, 市场监管局 328/330 is 6th, 民政局 61/62
    // 7th; seven ranked, so three ranks each way: five on the 红榜, two on the 黑榜.
    // 即办件率: 医保局 100%, 人社局, 民政局 first three; 住建局, 卫健局 and 交通运输局 0% share
    // the last place — the 黑榜, not the fifth place of a 红榜 of five.
    let expected = [
        ("on_time_rate", by_rule(&on_time)),
        ("instant_case_rate", by_rule(&instant)),
    ];
    assert_eq!(expected[0].1 .3, 3);
    assert_eq!((expected[0].1 .0.len(), expected[0].1 .1.len()), (5, 2));
    assert_eq!(expected[1].1 .1, ["交通运输局", "住建局", "卫健局"]);

    let (out, _) = run_in_temp(&["compare", "sample-data"]);
    let csv = std::fs::read_to_string(out.path().join("boards.csv")).unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let got = |indicator: &str, board: &str| -> Vec<String> {
        let mut v: Vec<String> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| {
                f[at("quarter")] == "2025Q4"
                    && f[at("within")] == "region"
                    && f[at("within_key")] == "370303"
                    && f[at("level")] == "department"
                    && f[at("indicator")] == indicator
                    && f[at("board")] == board
            })
            .map(|f| f[at("key")].trim_start_matches("370303/").to_owned())
            .collect();
        v.sort();
        v
    };
    for (indicator, (red, black, too_few, _)) in &expected {
        assert_eq!(&got(indicator, "红榜"), red, "{indicator} 红榜");
        assert_eq!(&got(indicator, "黑榜"), black, "{indicator} 黑榜");
        assert_eq!(&got(indicator, "样本不足"), too_few, "{indicator} 样本不足");
    }
}
