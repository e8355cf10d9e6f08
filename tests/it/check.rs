//! `pingjia check`: counts, quarantine, errors and personal data.

use super::*;

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap()
}

#[test]
fn sample_data_is_clean() {
    let (out, o) = run_in_temp(&["check", "sample-data"]);
    let run = run_json(out.path());
    for t in ["matters", "cases", "ratings"] {
        let c = &run["tables"][t];
        assert_eq!(c["files"], 1, "{t}");
        assert!(c["rows_read"].as_u64().unwrap() > 0, "{t}");
        assert_eq!(c["quarantined"], 0, "{t}");
        assert_eq!(c["rows_read"], c["valid"], "{t}");
    }
    let quarters: Vec<&str> = run["quarters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    assert_eq!(
        quarters,
        ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    );
    let stdout = text(&o.stdout);
    for name in DISTRICTS {
        assert!(stdout.contains(name), "{name} missing from\n{stdout}");
    }
}

/// The dirty folder: every row whose id, region, matter code, required timestamp or
/// score is missing or wrong is quarantined with its reason; every other bad cell keeps
/// its row and is listed in quarantine/cells.csv; the 合计 row is skipped and named.
#[test]
fn dirty_rows_are_quarantined_and_bad_cells_listed() {
    let (out, o) = run_in_temp(&["check", "sample-data/dirty"]);
    let run = run_json(out.path());
    // Written into sample-data/dirty by hand (src/sample.rs write_dirty):
    // (table, quarantined, valid, unknown cells, summary rows).
    for (t, broken, valid, unknown, totals) in [
        ("matters", 2, 10, 7, 0),
        ("cases", 7, 9, 5, 1),
        ("ratings", 7, 5, 2, 0),
    ] {
        let c = &run["tables"][t];
        assert_eq!(c["quarantined"], broken, "{t}");
        assert_eq!(c["valid"], valid, "{t}");
        assert_eq!(c["unknown_cells"], unknown, "{t}: {}", run["unknown_cells"]);
        assert_eq!(c["total_rows"], totals, "{t}");
        assert_eq!(
            c["rows_read"].as_u64().unwrap(),
            c["valid"].as_u64().unwrap()
                + c["quarantined"].as_u64().unwrap()
                + c["total_rows"].as_u64().unwrap()
        );
        let q = std::fs::read_to_string(out.path().join("quarantine").join(format!("{t}.csv")))
            .unwrap();
        assert!(
            q.starts_with('\u{feff}'),
            "quarantine CSV opens in Excel: BOM"
        );
        assert_eq!(
            q.lines().count(),
            1 + broken as usize,
            "{t}: header + one line per row"
        );
    }
    let cells = std::fs::read_to_string(out.path().join("quarantine/cells.csv")).unwrap();
    assert_eq!(cells.lines().count(), 1 + 7 + 5 + 2, "{cells}");
    for f in run["files"].as_array().unwrap() {
        assert_eq!(
            f["rows_read"].as_u64().unwrap(),
            f["valid"].as_u64().unwrap()
                + f["quarantined"].as_u64().unwrap()
                + f["total_rows"].as_array().unwrap().len() as u64
        );
    }
    let stdout = text(&o.stdout);
    for expected in [
        "row 4: 受理时间 (accepted_at) — 无法识别的日期 unparseable date '2025-13-45 10:00:00'",
        "row 5: 受理时间 (accepted_at) — 必填项为空",
        "row 6: 行政区划代码 (region_code) — 未知的行政区划代码 unknown region code '370399'",
        "row 14: 办件编号 (case_id) — 编号 '3.70303202504E+18' 是科学计数法",
        "row 15: 受理时间 (accepted_at) — 日期不合理 date '2091-10-10 10:00:00' is after today",
        "row 17: 整行 whole row — 含有不是UTF-8编码的字节",
        "row 4: 满意度代码 (satisfaction) — 满意度超出范围 satisfaction 7 out of range 1–5",
        "row 12: 办件编号 (case_id) — 编号 '3.70303202504E+18' 是科学计数法",
        "summary rows skipped 已跳过合计行: row 18",
        "申办渠道 (channel): 1 cells, counted 按非网上办件计",
        "1 × '飞鸽传书'",
        "网上办理深度 (online_depth): 1 cells",
    ] {
        assert!(
            stdout.contains(expected),
            "missing «{expected}» in\n{stdout}"
        );
    }
}

#[test]
fn missing_required_column_names_file_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("办件.csv");
    std::fs::write(
        &f,
        "办件编号,事项编码,行政区划代码,办结时间\nA1,M1,370303,2025-01-02\n",
    )
    .unwrap();
    let o = pingjia(&[
        "check",
        f.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains(f.to_str().unwrap()), "{err}");
    assert!(
        err.contains("受理时间") && err.contains("accepted_at"),
        "{err}"
    );
}

#[test]
fn empty_folder_is_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = pingjia(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no input files"),
        "{}",
        text(&o.stderr)
    );
}

/// Raw personal data from the inputs never appears in any file pingjia writes, nor on
/// its stdout or stderr.
#[test]
fn personal_data_never_reaches_an_output() {
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "check",
        "sample-data/dirty",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let raw_values = [
        "370303199001011234",
        "370303198502023456",
        "13812345678",
        "13987654321",
        "张三",
        "李四",
    ];
    let mut seen = text(&o.stdout) + &text(&o.stderr);
    let files = files_under(out.path());
    assert!(files.len() >= 4, "quarantine files and run.json: {files:?}");
    for f in files {
        seen.push_str(&String::from_utf8_lossy(&std::fs::read(f).unwrap()));
    }
    for v in raw_values {
        assert!(!seen.contains(v), "raw personal value {v} leaked");
    }
    assert!(
        seen.contains("370***********7890"),
        "the masked ID of quarantined row 4 is shown"
    );
    assert!(seen.contains("身份证号"), "the dropped column is named");
}

#[test]
fn help_explains_every_command() {
    let o = pingjia(&["--help"]);
    assert!(o.status.success());
    let h = text(&o.stdout);
    assert!(
        h.contains("check") && h.contains("sample") && h.contains("好差评"),
        "{h}"
    );
    for (cmd, words) in [
        ("check", ["DATA", "--mapping", "--score-scale", "GBK"]),
        (
            "sample",
            ["--seed", "--scale", "--format", "byte-identical"],
        ),
    ] {
        let o = pingjia(&[cmd, "--help"]);
        assert!(o.status.success());
        let h = text(&o.stdout);
        for w in words {
            assert!(h.contains(w), "{cmd} --help lacks {w}:\n{h}");
        }
    }
}

/// A cell whose text holds "; " — the separator the quarantine file joins a row's reasons
/// with — does not change the counts: reasons are kept as kinds, never split from text.
/// By hand: C2 has one unreadable 受理时间, C3 an empty 行政区划代码 and an unreadable
/// 受理时间, so 2 rows, 1 empty value, 2 unparseable dates.
#[test]
fn a_reason_quoting_a_semicolon_is_counted_once() {
    let data = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(data.path().join(name), text).unwrap();
    write(
        "cases.csv",
        "办件编号,事项编码,行政区划代码,申办渠道,受理时间,办结时间,办件状态\n\
         C1,M1,370303,窗口,2025-01-02 10:00:00,2025-01-02 11:00:00,办结\n\
         C2,M1,370303,窗口,\"2025-01-02; 10:00\",,在办\n\
         C3,M1,,窗口,\"x; y; z\",,在办\n",
    );
    write(
        "matters.csv",
        "行政区划代码,事项编码,事项名称,实施部门,事项类型,法定办结时限,承诺办结时限\n370303,M1,测试,局,行政许可,5,3\n",
    );
    write(
        "ratings.csv",
        "评价编号,办件编号,行政区划代码,评价结果,评价时间\n",
    );
    let (out, _) = run_in_temp(&["check", data.path().to_str().unwrap()]);
    let run = run_json(out.path());
    assert_eq!(run["tables"]["cases"]["quarantined"], 2);
    let reasons = &run["quarantine_reasons"]["cases"];
    assert_eq!(
        reasons,
        &serde_json::json!({
            "必填项为空 required value is empty": 1,
            "无法识别的日期 unparseable date": 2,
        }),
        "{reasons}"
    );
}
