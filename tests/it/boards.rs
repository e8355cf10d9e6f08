//! 红黑榜: one district's departments on 按期办结率, ranked by the test itself from
//! `pingjia query` sums and compared with what `pingjia compare` writes.

use super::*;

#[test]
fn a_districts_red_and_black_boards_follow_its_departments_sums() {
    // 张店区, 2025Q4: on-time and completed-with-a-limit cases per department.
    let o = pingjia(&[
        "query",
        "sample-data",
        "SELECT department, SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS n, \
         SUM(CASE WHEN on_time IS NOT NULL THEN 1 ELSE 0 END) AS d FROM completed_cases \
         WHERE region_key = '370303' AND quarter = '2025Q4' GROUP BY department",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let table = text(&o.stdout);
    let sums: Vec<(String, f64, f64)> = table
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
    assert!(sums.len() >= 10, "{table}");
    // The rule (README, docs/SPEC.md §6): ranked with 30 cases or more; competition ranks;
    // 红榜 the first N ranks, 黑榜 the last N, N = 5 or half the ranked units if fewer.
    let ranked: Vec<&(String, f64, f64)> = sums.iter().filter(|s| s.2 >= 30.0).collect();
    let rate = |s: &(String, f64, f64)| s.1 / s.2;
    let rank = |s: &(String, f64, f64)| 1 + ranked.iter().filter(|o| rate(o) > rate(s)).count();
    let from_bottom =
        |s: &(String, f64, f64)| 1 + ranked.iter().filter(|o| rate(o) < rate(s)).count();
    let n = 5.min(ranked.len() / 2).max(1);
    let mut red: Vec<String> = ranked
        .iter()
        .filter(|s| rank(s) <= n)
        .map(|s| s.0.clone())
        .collect();
    let mut black: Vec<String> = ranked
        .iter()
        .filter(|s| rank(s) > n && from_bottom(s) <= n)
        .map(|s| s.0.clone())
        .collect();
    let mut too_few: Vec<String> = sums
        .iter()
        .filter(|s| s.2 < 30.0)
        .map(|s| s.0.clone())
        .collect();
    // By hand from the query: 交通运输局 32/32, 人社局 103/103, 住建局 48/48, 医保局 54/54,
    // 卫健局 43/43 share first place; 市场监管局 328/330 is 6th, 民政局 61/62 7th; seven
    // ranked, so three ranks each way.
    assert_eq!(n, 3);
    assert_eq!(red.len(), 5);
    assert_eq!(black.len(), 2);

    let (out, _) = run_in_temp(&["compare", "sample-data"]);
    let csv = std::fs::read_to_string(out.path().join("boards.csv")).unwrap();
    let mut lines = csv.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let got = |board: &str| -> Vec<String> {
        let mut v: Vec<String> = csv
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| {
                f[at("quarter")] == "2025Q4"
                    && f[at("within")] == "region"
                    && f[at("within_key")] == "370303"
                    && f[at("level")] == "department"
                    && f[at("indicator")] == "on_time_rate"
                    && f[at("board")] == board
            })
            .map(|f| f[at("key")].trim_start_matches("370303/").to_owned())
            .collect();
        v.sort();
        v
    };
    for (board, want) in [
        ("红榜", &mut red),
        ("黑榜", &mut black),
        ("样本不足", &mut too_few),
    ] {
        want.sort();
        assert_eq!(&got(board), want, "{board}");
    }
}
