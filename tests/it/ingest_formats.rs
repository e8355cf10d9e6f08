//! The same table in another encoding or format ingests identically.

use std::path::PathBuf;

use pingjia::schema::Table;
use pingjia::settings::Settings;

use super::sample_lines;

fn settings() -> Settings {
    Settings::load(&Default::default()).unwrap()
}

fn load(path: PathBuf) -> pingjia::ingest::Ingested {
    pingjia::ingest::load(&[path], &settings()).unwrap()
}

#[test]
fn gbk_csv_with_chinese_headers_equals_its_utf8_twin() {
    let dir = tempfile::tempdir().unwrap();
    let utf8 = sample_lines("cases", 300);
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&utf8);
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "really GBK bytes, not UTF-8"
    );
    let a = dir.path().join("办件-utf8.csv");
    let b = dir.path().join("export.csv"); // no hint in the name: recognised by headers
    std::fs::write(&a, &utf8).unwrap();
    std::fs::write(&b, &gbk).unwrap();
    let (a, b) = (load(a), load(b));
    assert_eq!(a.table(Table::Cases).height(), 300);
    assert!(a.table(Table::Cases).equals_missing(b.table(Table::Cases)));
    assert_eq!(format!("{:?}", b.files[0].encoding), "Gb18030");
}

#[test]
fn xlsx_copy_equals_the_csv() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let csv_text = sample_lines("cases", 200);
    let csv = dir.path().join("cases.csv");
    std::fs::write(&csv, &csv_text).unwrap();

    // The same rows in a workbook, under a title row, with real Excel dates and numbers.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date_format = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    ws.write_string(0, 0, "淄博市办件明细").unwrap();
    for (r, line) in csv_text.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            let row = r as u32 + 1;
            let col = c as u16;
            if r > 0 && (c == 6 || c == 7) && !cell.is_empty() {
                let dt = ExcelDateTime::parse_from_str(cell).unwrap();
                ws.write_datetime_with_format(row, col, &dt, &date_format)
                    .unwrap();
            } else if r > 0 && c == 2 {
                ws.write_number(row, col, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else if !cell.is_empty() {
                ws.write_string(row, col, cell).unwrap();
            }
        }
    }
    let xlsx = dir.path().join("cases.xlsx");
    wb.save(&xlsx).unwrap();

    let a = load(csv);
    let b = load(xlsx);
    assert_eq!(b.files[0].rows_read, 200);
    assert!(a.table(Table::Cases).equals_missing(b.table(Table::Cases)));
}

#[test]
fn ndjson_and_english_headers() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ratings.ndjson");
    std::fs::write(
        &f,
        r#"{"rating_id":"R1","case_id":"C1","region_code":370303,"satisfaction":"5","rated_at":"2025-10-09T10:00:00+08:00","real_name":"Y","uploaded":true}
{"rating_id":"R2","case_id":null,"region_code":370303,"satisfaction":"very satisfied","rated_at":"20251010","real_name":"N","uploaded":false}
"#,
    )
    .unwrap();
    let r = load(f);
    let t = r.table(Table::Ratings);
    assert_eq!(t.height(), 2);
    let s: Vec<Option<i32>> = t
        .column("satisfaction")
        .unwrap()
        .i32()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(
        s,
        [Some(5), Some(1)],
        "A.8 code 5 = 非常不满意 stays 5; 'very satisfied' = 1"
    );
}
