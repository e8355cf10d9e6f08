//! README "When input is wrong": one test per row. Each asserts the message names the
//! file (and row/column where there is one), the exit code, the quarantine, and for the
//! big inputs a bound on peak memory.

use super::*;

/// A folder holding the given files.
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// `pingjia COMMAND DIR --out DIR/out [extra]`, measured.
fn run(command: &str, dir: &Path, extra: &[&str]) -> Measured {
    let out = dir.join("out");
    let mut args = vec![
        command,
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend(extra);
    pingjia_measured(&args)
}

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("out/run.json")).unwrap()).unwrap()
}

fn matters() -> String {
    sample_lines("matters", 240)
}

const CASES_HEADER: &str = "办件编号,事项编码,行政区划代码,受理部门,申办渠道,办件类型,受理时间,办结时间,办件状态,承诺时限,特别程序时长,跑动次数\n";

#[test]
fn wrong_encoding_names_the_row() {
    // A whole file in Windows-1252 (Latin-1): 'é' is byte E9, neither UTF-8 nor GBK here.
    let mut bytes = b"case_id,matter_code,region_code,accepted_at\n".to_vec();
    bytes.extend(b"A1,370000000101,370303,2025-01-02 09:00:00\n");
    for i in 0..30 {
        bytes.extend(
            format!("Caf\u{e9}{i},370000000101,370303,2025-01-02 09:00:00\n")
                .chars()
                .map(|c| c as u8),
        );
    }
    let dir = folder(&[("cases.csv", &bytes), ("matters.csv", matters().as_bytes())]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains("cases.csv: row 3 (byte 90)"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("UTF-8 or GBK"), "{}", r.stderr);
}

#[test]
fn one_row_in_another_encoding_is_quarantined_not_the_file() {
    let mut bytes = b"case_id,matter_code,region_code,accepted_at\n".to_vec();
    bytes.extend(b"A1,370000000101,370303,2025-01-02 09:00:00\n");
    bytes.extend(b"Caf\xE9,370000000101,370303,2025-01-02 09:00:00\n");
    bytes.extend(b"A3,370000000101,370303,2025-01-02 09:00:00\n");
    let dir = folder(&[("cases.csv", &bytes), ("matters.csv", matters().as_bytes())]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json = run_json(dir.path());
    assert_eq!(json["tables"]["cases"]["valid"], 2);
    assert_eq!(json["tables"]["cases"]["quarantined"], 1);
    assert!(
        r.stdout.contains("row 3: 整行 whole row — 含有不是"),
        "{}",
        r.stdout
    );
}

#[test]
fn utf16_without_byte_order_mark_is_detected() {
    let text = sample_lines("cases", 5);
    let utf16: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let dir = folder(&[("cases.csv", &utf16), ("matters.csv", matters().as_bytes())]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json = run_json(dir.path());
    assert_eq!(json["tables"]["cases"]["valid"], 5);
}

#[test]
fn duplicate_headers_name_both_columns() {
    let mut text = CASES_HEADER.trim_end().to_owned() + ",受理时间\n";
    for line in sample_lines("cases", 3).lines().skip(1) {
        text += &format!("{line},2025-01-01 00:00:00\n");
    }
    let dir = folder(&[("cases.csv", text.as_bytes())]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(
            "cases.csv: columns G '受理时间' and M '受理时间' both mean 受理时间 (accepted_at)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn empty_file_is_an_error() {
    let dir = folder(&[("cases.csv", b""), ("matters.csv", matters().as_bytes())]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("cases.csv: the file is empty"),
        "{}",
        r.stderr
    );
}

#[test]
fn header_only_is_an_empty_table() {
    let dir = folder(&[
        ("cases.csv", CASES_HEADER.as_bytes()),
        ("matters.csv", matters().as_bytes()),
    ]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let json = run_json(dir.path());
    assert_eq!(json["tables"]["cases"]["rows_read"], 0);
    assert_eq!(json["tables"]["matters"]["valid"], 240);
    // Catalogue indicators still come out (online levels are per matter).
    let r = run("indicators", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn a_100_mb_single_line_is_refused_in_bounded_memory() {
    let dir = tempfile::tempdir().unwrap();
    let line = "办件编号,".repeat(100 * 1024 * 1024 / "办件编号,".len());
    std::fs::write(dir.path().join("cases.csv"), &line).unwrap();
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "cases.csv: row 1 is {} bytes long with no line break",
            line.len()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.peak_mib < 400,
        "peak {} MiB for a 100 MB file",
        r.peak_mib
    );
}

#[test]
fn a_100_mb_cell_is_quarantined_not_kept() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample_lines("cases", 2);
    let mut lines = sample.lines();
    let mut text = format!("{}\n{}\n", lines.next().unwrap(), lines.next().unwrap());
    let good = lines.next().unwrap();
    let (_, rest) = good.split_once(',').unwrap();
    text += &format!("{},{rest}\n", "A".repeat(100 * 1024 * 1024));
    std::fs::write(dir.path().join("cases.csv"), &text).unwrap();
    std::fs::write(dir.path().join("matters.csv"), matters()).unwrap();
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout
            .contains("row 3: 办件编号 (case_id) — 单元格过长 value of 104857600 bytes"),
        "{}",
        r.stdout
    );
    let q = std::fs::metadata(dir.path().join("out/quarantine/cases.csv"))
        .unwrap()
        .len();
    assert!(
        q < 4096,
        "quarantine shows the start of the value only: {q} bytes"
    );
    let json = run_json(dir.path());
    assert_eq!(json["tables"]["cases"]["valid"], 1);
    assert_eq!(json["tables"]["cases"]["quarantined"], 1);
    assert!(
        r.peak_mib < 1200,
        "peak {} MiB for a 100 MB cell",
        r.peak_mib
    );
}

/// A small real workbook of sample cases.
fn workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, line) in sample_lines("cases", 20).lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

#[test]
fn truncated_xlsx_is_a_clear_error() {
    let full = workbook();
    let dir = folder(&[("cases.xlsx", &full[..full.len() / 2])]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("cases.xlsx: not a readable workbook (truncated or damaged?"),
        "{}",
        r.stderr
    );
    // The whole workbook reads.
    let dir = folder(&[("cases.xlsx", &full), ("matters.csv", matters().as_bytes())]);
    assert_eq!(run("check", dir.path(), &[]).code, Some(0));
}

#[test]
fn password_protected_xlsx_is_a_clear_error() {
    let bytes =
        std::fs::read(root().join("tests/fixtures/bad-input/password-protected.xlsx")).unwrap();
    let dir = folder(&[("cases.xlsx", &bytes)]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("cases.xlsx: the workbook is password-protected"),
        "{}",
        r.stderr
    );
}

#[test]
fn zip_bomb_disguised_as_xlsx_is_refused_before_expanding() {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file("[Content_Types].xml", deflate).unwrap();
    zip.write_all(br#"<?xml version="1.0"?><Types/>"#).unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", deflate).unwrap();
    let block = vec![b' '; 1 << 20];
    for _ in 0..512 {
        zip.write_all(&block).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(
        bytes.len() < 2 << 20,
        "512 MiB packed into {} bytes",
        bytes.len()
    );
    let dir = folder(&[("cases.xlsx", &bytes)]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("cases.xlsx: refused: 'xl/worksheets/sheet1.xml' would expand"),
        "{}",
        r.stderr
    );
    assert!(r.peak_mib < 200, "peak {} MiB", r.peak_mib);
}

#[test]
fn dates_outside_the_calendar_name_row_and_column() {
    let sample = sample_lines("cases", 3);
    let text: String = sample
        .lines()
        .enumerate()
        .map(|(i, l)| if i == 3 { l.replace("2024-", "2016-") } else { l.to_owned() } + "\n")
        .collect();
    let dir = folder(&[
        ("cases.csv", text.as_bytes()),
        ("matters.csv", matters().as_bytes()),
    ]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("cases.csv: row 4, column 受理时间 (accepted_at): date 2016-")
            && r.stderr
                .contains("outside the holiday schedule (2019–2026)")
            && r.stderr.contains("--weekday-only-outside-calendar"),
        "{}",
        r.stderr
    );
    let r = run(
        "indicators",
        dir.path(),
        &["--weekday-only-outside-calendar"],
    );
    assert_eq!(r.code, Some(0), "opting in runs: {}", r.stderr);
}

#[test]
fn scores_out_of_range_are_quarantined() {
    let text = "评价编号,办件编号,行政区划代码,事项编码,评价时间,满意度代码\n\
                R1,C1,370303,370000000101,2025-03-03 10:00:00,1\n\
                R2,C2,370303,370000000101,2025-03-03 10:00:00,7\n\
                R3,C3,370303,370000000101,2025-03-03 10:00:00,0\n";
    let dir = folder(&[("ratings.csv", text.as_bytes())]);
    let r = run("check", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "row 3: 满意度代码 (satisfaction) — 满意度超出范围 satisfaction 7 out of range 1–5"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("row 4: 满意度代码 (satisfaction) — 满意度超出范围"),
        "{}",
        r.stdout
    );
    let json = run_json(dir.path());
    assert_eq!(json["tables"]["ratings"]["valid"], 1);
    assert_eq!(json["tables"]["ratings"]["quarantined"], 2);
}

/// Indicator rows of one key, as indicator → (numerator, denominator).
fn indicator_rows(
    dir: &Path,
    quarter: &str,
    key: &str,
) -> std::collections::HashMap<String, (f64, f64)> {
    let text = std::fs::read_to_string(dir.join("out/indicators.csv")).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[0] == quarter && f[2] == key)
        .map(|f| {
            (
                f[4].to_owned(),
                (f[5].parse().unwrap(), f[6].parse().unwrap()),
            )
        })
        .collect()
}

#[test]
fn mixed_working_and_calendar_days_count_each_in_its_own_unit() {
    let matters = "行政区划代码,事项编码,事项名称,实施部门,事项类型,法定办结时限,法定办结时限单位,承诺办结时限,承诺办结时限单位,是否即办件,网上办理深度,最多跑动次数\n\
                   370303,N1,自然日事项,市场监管局,行政许可,10,自然日,2,自然日,否,三级,1\n\
                   370303,W1,工作日事项,市场监管局,行政许可,10,工作日,2,工作日,否,三级,1\n\
                   370303,M1,混用单位事项,市场监管局,行政许可,20,自然日,5,工作日,否,三级,1\n";
    // Friday 2025-03-07 → Monday 2025-03-10: 3 calendar days (late for N1's 2), 1
    // working day (on time for W1's 2).
    let cases = format!(
        "{CASES_HEADER}C1,N1,370303,市场监管局,窗口,承诺件,2025-03-07 09:00:00,2025-03-10 10:00:00,办结,,0,1\n\
         C2,W1,370303,市场监管局,窗口,承诺件,2025-03-07 09:00:00,2025-03-10 10:00:00,办结,,0,1\n"
    );
    let dir = folder(&[
        ("matters.csv", matters.as_bytes()),
        ("cases.csv", cases.as_bytes()),
    ]);
    let r = run("indicators", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows = indicator_rows(dir.path(), "2025Q1", "370303");
    assert_eq!(rows["on_time_rate"], (1.0, 2.0), "{rows:?}");
    let r = run("audit", dir.path(), &[]);
    assert_eq!(r.code, Some(0));
    let mixed = std::fs::read_to_string(dir.path().join("out/audits/mixed_units.csv")).unwrap();
    assert_eq!(mixed.lines().count(), 2, "header + M1: {mixed}");
    assert!(mixed.contains("M1"));
}

#[test]
fn duplicate_ids_are_kept_and_listed() {
    let sample = sample_lines("cases", 5);
    let dup = sample.lines().nth(2).unwrap().to_owned();
    let text = sample + &dup + "\n";
    let dir = folder(&[
        ("cases.csv", text.as_bytes()),
        ("matters.csv", matters().as_bytes()),
    ]);
    let r = run("audit", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows =
        std::fs::read_to_string(dir.path().join("out/audits/duplicate_case_id.csv")).unwrap();
    assert_eq!(rows.lines().count(), 3, "header + both copies: {rows}");
    assert_eq!(run_json(dir.path())["tables"]["cases"]["valid"], 6);
}

#[test]
fn a_region_outside_the_city_is_listed() {
    let sample = sample_lines("cases", 20);
    let stray = sample
        .lines()
        .nth(1)
        .unwrap()
        .replacen(",370302,", ",110101,", 1);
    let text = sample + &stray + "\n";
    let dir = folder(&[
        ("cases.csv", text.as_bytes()),
        ("matters.csv", matters().as_bytes()),
    ]);
    let r = run("audit", dir.path(), &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let rows =
        std::fs::read_to_string(dir.path().join("out/audits/region_outside_city.csv")).unwrap();
    assert_eq!(rows.lines().count(), 2, "{rows}");
    assert!(rows.contains(",110101,"), "{rows}");
}

/// An output that cannot be written is not bad input: exit 1, naming the path.
#[test]
fn an_unwritable_output_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out = file.join("out");
    let o = pingjia(&[
        "indicators",
        "sample-data",
        "--quarter",
        "2025Q4",
        "--out",
        out.to_str().unwrap(),
    ]);
    let said = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(
        said.contains("a-file") && said.contains("cannot write"),
        "{said}"
    );
}
