//! Real exports as they come: variants of `sample-data/` written the ways provincial
//! platforms, vendor systems, Excel, WPS and LibreOffice write the same facts — every
//! spreadsheet format, a 说明 sheet first, title and export-info rows, a merged two-row
//! header and a 合计 row, Excel's `sep=` line, 9/12-digit and named regions, vendor
//! spellings, locale timestamps. Each must give exactly sample-data's indicator table
//! (every numerator and denominator); damaged ids quarantine exactly their rows.
//!
//! The variants are built here from the committed CSV files. XLS (BIFF8) and ODS are
//! converted by LibreOffice (`.ci/run` installs it); XLSB, which no free tool writes, by a
//! small writer below whose output LibreOffice reads back as a check.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::OnceLock;

use super::*;

/// A sample table as text cells.
#[derive(Clone)]
struct Sheet {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn sample(table: &str) -> Sheet {
        let text = std::fs::read_to_string(root().join("sample-data").join(format!("{table}.csv")))
            .unwrap();
        let mut lines = text.trim_start_matches('\u{feff}').lines();
        let split = |l: &str| l.split(',').map(str::to_owned).collect::<Vec<_>>();
        let headers = split(lines.next().unwrap());
        Sheet {
            headers,
            rows: lines.map(split).collect(),
        }
    }

    fn col(&self, header: &str) -> usize {
        self.headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header}"))
    }

    /// Rewrites every cell of a column: `f(row index, cell)`.
    fn map(&mut self, header: &str, f: impl Fn(usize, &str) -> String) {
        let c = self.col(header);
        for (i, row) in self.rows.iter_mut().enumerate() {
            row[c] = f(i, &row[c]);
        }
    }

    fn rename(&mut self, from: &str, to: &str) {
        let c = self.col(from);
        self.headers[c] = to.to_owned();
    }

    fn csv(&self) -> String {
        let mut s = self.headers.join(",") + "\n";
        for r in &self.rows {
            s.push_str(&r.join(","));
            s.push('\n');
        }
        s
    }

    /// Header row then data rows, as optional cells.
    fn grid(&self) -> Vec<Vec<Option<String>>> {
        std::iter::once(&self.headers)
            .chain(&self.rows)
            .map(|r| {
                r.iter()
                    .map(|c| (!c.is_empty()).then(|| c.clone()))
                    .collect()
            })
            .collect()
    }
}

const TABLES: [&str; 3] = ["matters", "cases", "ratings"];

/// (quarter, level, key, indicator) → (numerator, denominator).
type Indicators = BTreeMap<(String, String, String, String), (String, String)>;

fn indicators(data: &Path, extra: &[&str]) -> (Indicators, serde_json::Value) {
    let out = tempfile::tempdir().unwrap();
    let mut args = vec![
        "indicators",
        data.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = pingjia(&args);
    assert!(
        o.status.success(),
        "pingjia indicators {}: {}",
        data.display(),
        text(&o.stderr)
    );
    let csv = std::fs::read_to_string(out.path().join("indicators.csv")).unwrap();
    let table = csv
        .trim_start_matches('\u{feff}')
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                (f[0].into(), f[1].into(), f[2].into(), f[4].into()),
                (f[5].into(), f[6].into()),
            )
        })
        .collect();
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("run.json")).unwrap())
            .unwrap();
    (table, run)
}

/// The indicator table of the committed sample data.
fn baseline() -> &'static Indicators {
    static BASELINE: OnceLock<Indicators> = OnceLock::new();
    BASELINE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        for t in TABLES {
            std::fs::copy(
                root().join("sample-data").join(format!("{t}.csv")),
                dir.path().join(format!("{t}.csv")),
            )
            .unwrap();
        }
        indicators(dir.path(), &[]).0
    })
}

/// Requires a variant folder to give the sample's indicator table, and no unknown cell
/// or quarantined row; returns its run.json.
fn assert_same_as_sample(dir: &Path, what: &str) -> serde_json::Value {
    let (table, run) = indicators(dir, &[]);
    let base = baseline();
    let differ: Vec<String> = base
        .iter()
        .filter(|(k, v)| table.get(*k) != Some(v))
        .take(8)
        .map(|(k, v)| format!("{k:?}: sample {v:?}, {what} {:?}", table.get(k)))
        .collect();
    assert!(
        differ.is_empty() && table.len() == base.len(),
        "{what}: {} rows vs {}; first differences:\n{}",
        table.len(),
        base.len(),
        differ.join("\n")
    );
    for t in TABLES {
        assert_eq!(
            run["tables"][t]["quarantined"], 0,
            "{what}: {t} quarantined {}",
            run["quarantine_reasons"]
        );
        assert_eq!(
            run["tables"][t]["unknown_cells"], 0,
            "{what}: {t} unknown cells {}",
            run["unknown_cells"]
        );
    }
    run
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

/// The sample tables after `change`, written as CSV (UTF-8 with BOM) into a new folder.
fn csv_variant(change: impl Fn(&str, &mut Sheet)) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for t in TABLES {
        let mut s = Sheet::sample(t);
        change(t, &mut s);
        write(
            dir.path(),
            &format!("{t}.csv"),
            format!("\u{feff}{}", s.csv()),
        );
    }
    dir
}

#[test]
fn vendor_spellings_give_the_same_indicators() {
    let alternate = |i: usize, a: &str, b: &str| {
        if i.is_multiple_of(2) {
            a.to_owned()
        } else {
            b.to_owned()
        }
    };
    let dir = csv_variant(|t, s| match t {
        "matters" => {
            s.map("网上办理深度", |i, v| match v {
                "四级" => alternate(i, "全程网办（Ⅳ级）", "全程网办"),
                "三级" => alternate(i, "在线申办（三级）", "Ⅲ级"),
                "二级" => alternate(i, "Ⅱ级", "在线预审"),
                "一级" => "事项公开（一级）".into(),
                other => other.into(),
            });
            s.map("是否即办件", |_, v| {
                if v == "是" {
                    "√".into()
                } else {
                    "×".into()
                }
            });
            s.map("事项类型", |i, v| match v {
                "行政许可" => alternate(i, "01", "许可"),
                "行政确认" => "07".into(),
                "行政给付" => "05".into(),
                "公共服务" => "20".into(),
                "行政处罚" => "02".into(),
                other => other.into(),
            });
            s.map("最多跑动次数", |_, v| format!("{v}次"));
            s.map("承诺办结时限", |i, v| match v {
                "即办" => alternate(i, "即办件", "当场办结"),
                n => alternate(i, &format!("{n}个工作日"), n),
            });
            s.map("法定办结时限单位", |_, v| {
                if v == "工作日" {
                    "个工作日".into()
                } else {
                    v.into()
                }
            });
        }
        "cases" => {
            s.map("办件状态", |i, v| match v {
                "办结" => alternate(i, "正常办结", "已办结"),
                "在办" => alternate(i, "审批中", "办理中"),
                "撤件" => alternate(i, "申请人撤回", "撤销申请"),
                "不予受理" => alternate(i, "不予受理", "不受理"),
                other => other.into(),
            });
            s.map("申办渠道", |i, v| match v {
                "窗口" => alternate(i, "大厅窗口", "现场办理"),
                "网上办理" => alternate(i, "网上申报", "PC端"),
                "移动端" => alternate(i, "APP", "掌上办"),
                "自助终端" => "自助机".into(),
                "邮寄" => "快递申请".into(),
                other => other.into(),
            });
            s.map("办件类型", |i, v| match v {
                "即办件" => alternate(i, "1", "即办"),
                other => other.into(),
            });
        }
        "ratings" => {
            s.map("评价结果", |i, v| match v {
                "非常满意" => alternate(i, "很满意", "★★★★★"),
                "满意" => alternate(i, "★★★★☆", "满意"),
                "基本满意" => "一般".into(),
                "非常不满意" => "很不满意".into(),
                other => other.into(),
            });
            s.map("评价渠道", |_, v| match v {
                "评价器" => "政务大厅平板电脑".into(),
                "移动端" => "移动服务端".into(),
                "二维码" => "扫码评价".into(),
                "网站" => "PC端".into(),
                "12345热线" => "12345".into(),
                other => other.into(),
            });
            s.map("是否实名", |_, v| {
                if v == "是" {
                    "√".into()
                } else {
                    "×".into()
                }
            });
            s.map("是否上传", |_, v| {
                if v == "是" {
                    "已上传".into()
                } else {
                    "未上传".into()
                }
            });
            s.map("回访是否满意", |_, v| match v {
                "是" => "满意".into(),
                "否" => "不满意".into(),
                other => other.into(),
            });
        }
        _ => unreachable!(),
    });
    assert_same_as_sample(dir.path(), "vendor spellings");
}

/// `2024-01-15 10:49:00` written the ways Chinese-locale spreadsheets write it.
fn locale(i: usize, v: &str) -> String {
    if v.is_empty() {
        return String::new();
    }
    let (date, time) = v.split_once(' ').unwrap();
    let d: Vec<u32> = date.split('-').map(|x| x.parse().unwrap()).collect();
    let t: Vec<u32> = time.split(':').map(|x| x.parse().unwrap()).collect();
    let (y, mo, da, h, mi, se) = (d[0], d[1], d[2], t[0], t[1], t[2]);
    match i % 5 {
        0 => {
            let (half, h12) = match h {
                0 => ("上午", 12),
                1..=11 => ("上午", h),
                12 => ("下午", 12),
                _ => ("下午", h - 12),
            };
            format!("{y}/{mo}/{da} {half} {h12}:{mi:02}:{se:02}")
        }
        1 => format!("{y}年{mo}月{da}日 {h}时{mi}分"),
        2 => v
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap(),
                '-' => '－',
                ':' => '：',
                ' ' => '\u{3000}',
                c => c,
            })
            .collect(),
        3 => {
            // An Excel serial number written as text (1900 date system).
            let days = chrono::NaiveDate::from_ymd_opt(y as i32, mo, da)
                .unwrap()
                .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1899, 12, 30).unwrap())
                .num_days();
            let fraction = f64::from(h * 3600 + mi * 60 + se) / 86_400.0;
            format!("{:.10}", days as f64 + fraction)
        }
        _ => format!("{y}.{mo:02}.{da:02} {h:02}:{mi:02}"),
    }
}

#[test]
fn locale_timestamps_give_the_same_indicators() {
    let dir = csv_variant(|t, s| match t {
        "cases" => {
            s.map("受理时间", locale);
            s.map("办结时间", |i, v| locale(i + 1, v));
        }
        "ratings" => {
            s.map("评价时间", |i, v| locale(i + 2, v));
            s.map("整改时间", |i, v| locale(i + 3, v));
            s.map("回访时间", locale);
        }
        _ => {}
    });
    assert_same_as_sample(dir.path(), "locale timestamps");
}

#[test]
fn region_names_instead_of_codes_give_the_same_indicators() {
    let names = Regions::load(None).unwrap();
    let dir = csv_variant(|t, s| {
        s.map("行政区划代码", |i, code| {
            let district = names.name(code).unwrap().to_owned();
            match i % 3 {
                0 => district,
                1 => format!("淄博市{district}"),
                _ => format!("山东省淄博市{district}"),
            }
        });
        let header = if t == "cases" {
            "所属区县"
        } else {
            "行政区划名称"
        };
        s.rename("行政区划代码", header);
    });
    assert_same_as_sample(dir.path(), "region names");
}

use pingjia::regions::Regions;

/// Region codes of 12 digits (统计用区划代码) everywhere, and some cases and ratings at
/// townships (9 or 12 digits).
fn township_variant() -> tempfile::TempDir {
    csv_variant(|t, s| {
        s.map("行政区划代码", |i, code| match (t, i % 4) {
            ("matters", _) => format!("{code}000000"),
            (_, 0) => format!("{code}000000"),
            (_, 1) => format!("{code}001000"),
            (_, 2) => format!("{code}002"),
            _ => code.to_owned(),
        })
    })
}

#[test]
fn twelve_and_nine_digit_codes_give_the_same_indicators() {
    let dir = township_variant();
    assert_same_as_sample(dir.path(), "9/12-digit codes");
}

#[test]
fn township_rows_sum_to_their_district() {
    let dir = township_variant();
    let (t, _) = indicators(dir.path(), &["--level", "township"]);
    let num = |s: &str| s.parse::<f64>().unwrap();
    let mut sums: BTreeMap<(String, String, String), (f64, f64, usize)> = BTreeMap::new();
    let mut townships = std::collections::BTreeSet::new();
    for ((q, level, key, ind), (n, d)) in &t {
        if level == "township" {
            assert_eq!(key.len(), 9, "township keys are 9-digit codes: {key}");
            townships.insert(key.clone());
            let e = sums
                .entry((q.clone(), key[..6].to_owned(), ind.clone()))
                .or_default();
            e.0 += num(n);
            e.1 += num(d);
            e.2 += 1;
        }
    }
    // 8 districts × (001, 002, 本级 000).
    assert_eq!(townships.len(), 24, "{townships:?}");
    let mut checked = 0;
    for ((q, level, key, ind), (n, d)) in &t {
        if level != "region" {
            continue;
        }
        let Some((sn, sd, rows)) = sums.get(&(q.clone(), key.clone(), ind.clone())) else {
            continue;
        };
        assert_eq!(*sn, num(n), "{q} {key} {ind}: township numerators");
        // Counts have denominator 1 on every row, so only rates' denominators add up.
        if !(num(d) == 1.0 && *sd == *rows as f64) {
            assert_eq!(*sd, num(d), "{q} {key} {ind}: township denominators");
        }
        checked += 1;
    }
    assert!(checked > 1000, "{checked} district rows checked");
}

/// A workbook cell.
#[derive(Clone)]
enum Cell {
    Text(String),
    Number(f64),
    Date(String),
}

/// The sample table as workbook cells: ids and codes as text (as a careful export
/// writes them), counts as numbers, timestamps as Excel dates.
fn cells(table: &str) -> Vec<Vec<Option<Cell>>> {
    let s = Sheet::sample(table);
    let numbers = [
        "法定办结时限",
        "最多跑动次数",
        "特别程序时长",
        "跑动次数",
        "承诺时限",
    ];
    let dates = ["受理时间", "办结时间", "评价时间", "整改时间", "回访时间"];
    let mut out = vec![s
        .headers
        .iter()
        .map(|h| Some(Cell::Text(h.clone())))
        .collect::<Vec<_>>()];
    for row in &s.rows {
        out.push(
            row.iter()
                .zip(&s.headers)
                .map(|(v, h)| {
                    if v.is_empty() {
                        None
                    } else if numbers.contains(&h.as_str()) {
                        Some(Cell::Number(v.parse().unwrap()))
                    } else if dates.contains(&h.as_str()) {
                        Some(Cell::Date(v.clone()))
                    } else {
                        Some(Cell::Text(v.clone()))
                    }
                })
                .collect(),
        );
    }
    out
}

fn write_cells(ws: &mut rust_xlsxwriter::Worksheet, top: u32, rows: &[Vec<Option<Cell>>]) {
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (top + r as u32, c as u16);
            match cell {
                None => {}
                Some(Cell::Text(t)) => {
                    ws.write_string(r, c, t).unwrap();
                }
                Some(Cell::Number(n)) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                Some(Cell::Date(d)) => {
                    let dt = rust_xlsxwriter::ExcelDateTime::parse_from_str(d).unwrap();
                    ws.write_datetime_with_format(r, c, &dt, &date).unwrap();
                }
            }
        }
    }
}

fn xlsx(path: &Path, table: &str) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    write_cells(wb.add_worksheet(), 0, &cells(table));
    wb.save(path).unwrap();
}

/// An XLSX workbook with the macro-enabled content type: what Excel saves as `.xlsm`.
fn xlsm(path: &Path, table: &str) {
    let plain = path.with_extension("tmp.xlsx");
    xlsx(&plain, table);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if entry.name() == "[Content_Types].xml" {
            let t = String::from_utf8(bytes).unwrap().replace(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            );
            assert!(t.contains("macroEnabled"));
            bytes = t.into_bytes();
        }
        out.start_file(entry.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
    std::fs::remove_file(plain).unwrap();
}

/// A minimal XLSB (MS-XLSB: BIFF12 records in a zip): one sheet, inline strings
/// (BrtCellSt) and numbers (BrtCellReal). Checked below by LibreOffice reading it back.
fn xlsb(path: &Path, rows: &[Vec<Option<String>>]) {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        if typ < 0x80 {
            out.push(typ as u8);
        } else {
            out.push((typ & 0x7F) as u8 | 0x80);
            out.push((typ >> 7) as u8);
        }
        let mut len = data.len();
        loop {
            let b = (len & 0x7F) as u8;
            len >>= 7;
            if len == 0 {
                out.push(b);
                break;
            }
            out.push(b | 0x80);
        }
        out.extend_from_slice(data);
    }
    fn wide(s: &str) -> Vec<u8> {
        let units: Vec<u16> = s.encode_utf16().collect();
        let mut v = (units.len() as u32).to_le_bytes().to_vec();
        v.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        v
    }
    let width = rows.iter().map(Vec::len).max().unwrap_or(1) as u32;
    let mut sheet = Vec::new();
    record(&mut sheet, 0x0081, &[]); // BrtBeginSheet
    let mut dim = Vec::new();
    for v in [0u32, rows.len() as u32 - 1, 0, width - 1] {
        dim.extend(v.to_le_bytes());
    }
    record(&mut sheet, 0x0094, &dim); // BrtWsDim
    record(&mut sheet, 0x0091, &[]); // BrtBeginSheetData
    for (r, row) in rows.iter().enumerate() {
        let mut hdr = (r as u32).to_le_bytes().to_vec(); // rw
        hdr.extend(0u32.to_le_bytes()); // ixfe
        hdr.extend(300u16.to_le_bytes()); // miyRw: 15 pt
        hdr.extend([0u8, 0, 0]); // flags
        hdr.extend(1u32.to_le_bytes()); // ccolspan
        hdr.extend(0u32.to_le_bytes());
        hdr.extend((width - 1).to_le_bytes());
        record(&mut sheet, 0x0000, &hdr); // BrtRowHdr
        for (c, cell) in row.iter().enumerate() {
            let Some(v) = cell else { continue };
            let mut data = (c as u32).to_le_bytes().to_vec();
            data.extend(0u32.to_le_bytes()); // style
            match v.parse::<f64>() {
                Ok(n) if v.len() < 10 && !v.starts_with('0') => {
                    data.extend(n.to_le_bytes());
                    record(&mut sheet, 0x0005, &data); // BrtCellReal
                }
                _ => {
                    data.extend(wide(v));
                    record(&mut sheet, 0x0006, &data); // BrtCellSt
                }
            }
        }
    }
    record(&mut sheet, 0x0092, &[]); // BrtEndSheetData
    record(&mut sheet, 0x0082, &[]); // BrtEndSheet
    let mut book = Vec::new();
    record(&mut book, 0x0083, &[]); // BrtBeginBook
    record(&mut book, 0x008F, &[]); // BrtBeginBundleShs
    let mut sh = 0u32.to_le_bytes().to_vec(); // hsState: visible
    sh.extend(1u32.to_le_bytes()); // iTabID
    sh.extend(wide("rId1"));
    sh.extend(wide("好差评"));
    record(&mut book, 0x009C, &sh); // BrtBundleSh
    record(&mut book, 0x0090, &[]); // BrtEndBundleShs
    record(&mut book, 0x0084, &[]); // BrtEndBook
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    let files: [(&str, Vec<u8>); 5] = [
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Override PartName="/xl/worksheets/sheet1.bin" ContentType="application/vnd.ms-excel.worksheet"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"#.to_vec()),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#.to_vec()),
        ("xl/_rels/workbook.bin.rels", br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#.to_vec()),
        ("xl/workbook.bin", book),
        ("xl/worksheets/sheet1.bin", sheet),
    ];
    for (name, bytes) in files {
        z.start_file(name, options).unwrap();
        z.write_all(&bytes).unwrap();
    }
    z.finish().unwrap();
}

/// An HTML table in GBK with its charset in a `<meta>`, named `.xls`: what Java web
/// systems send as "Excel". A title row spans the table.
fn html_xls(path: &Path, table: &str) {
    let s = Sheet::sample(table);
    let mut page = String::from(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\"><style>td{mso-number-format:\"\\@\";}</style></head><body>\n<table border=\"1\">\n",
    );
    page.push_str(&format!(
        "<tr><td colspan=\"{}\" align=\"center\">淄博市{}导出</td></tr>\n",
        s.headers.len(),
        table
    ));
    page.push_str("<tr>");
    for h in &s.headers {
        page.push_str(&format!("<th>{h}</th>"));
    }
    page.push_str("</tr>\n");
    for r in &s.rows {
        page.push_str("<tr>");
        for v in r {
            page.push_str(&format!(
                "<td>{}</td>",
                if v.is_empty() { "&nbsp;" } else { v }
            ));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</table></body></html>\n");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&page);
    assert!(!unmappable);
    std::fs::write(path, gbk).unwrap();
}

/// SpreadsheetML 2003 (`<?mso-application progid="Excel.Sheet"?>`) named `.xls`.
fn spreadsheet_ml(path: &Path, table: &str) {
    let s = Sheet::sample(table);
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\" xmlns:ss=\"urn:schemas-microsoft-com:office:spreadsheet\">\n<Worksheet ss:Name=\"Sheet1\"><Table>\n",
    );
    for (i, r) in std::iter::once(&s.headers).chain(&s.rows).enumerate() {
        x.push_str("<Row>");
        let mut skipped = false;
        for (c, v) in r.iter().enumerate() {
            if v.is_empty() {
                skipped = true;
                continue;
            }
            let index = if skipped {
                format!(" ss:Index=\"{}\"", c + 1)
            } else {
                String::new()
            };
            skipped = false;
            let number = i > 0 && v.parse::<f64>().is_ok() && v.len() < 6;
            x.push_str(&format!(
                "<Cell{index}><Data ss:Type=\"{}\">{v}</Data></Cell>",
                if number { "Number" } else { "String" }
            ));
        }
        x.push_str("</Row>\n");
    }
    x.push_str("</Table></Worksheet></Workbook>\n");
    std::fs::write(path, x).unwrap();
}

#[test]
fn every_spreadsheet_format_gives_the_same_indicators() {
    // XLSX, XLSM and XLSB.
    let a = tempfile::tempdir().unwrap();
    xlsx(&a.path().join("matters.xlsx"), "matters");
    xlsm(&a.path().join("cases.xlsm"), "cases");
    xlsb(
        &a.path().join("ratings.xlsb"),
        &Sheet::sample("ratings").grid(),
    );
    let run = assert_same_as_sample(a.path(), "XLSX / XLSM / XLSB");
    let formats: Vec<&str> = run["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["XLSX", "XLSX", "XLSB"]);
    // The two fake .xls of web systems: an HTML table in GBK and SpreadsheetML.
    let b = tempfile::tempdir().unwrap();
    html_xls(&b.path().join("cases.xls"), "cases");
    spreadsheet_ml(&b.path().join("ratings.xls"), "ratings");
    std::fs::copy(
        root().join("sample-data/matters.csv"),
        b.path().join("matters.csv"),
    )
    .unwrap();
    let run = assert_same_as_sample(b.path(), "HTML / SpreadsheetML .xls");
    let formats: Vec<&str> = run["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["HTML table", "CSV", "SpreadsheetML 2003"]);
    // Legacy XLS (BIFF8) and ODS, written by LibreOffice.
    let Some(soffice) = soffice() else { return };
    let c = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    for (t, ext, filter) in [
        ("matters", "ods", "ods"),
        ("cases", "xls", "xls:MS Excel 97"),
        ("ratings", "ods", "ods"),
    ] {
        let from = work.path().join(format!("{t}.xlsx"));
        xlsx(&from, t);
        convert(soffice, &from, &c.path().join(format!("{t}.{ext}")), filter);
    }
    let run = assert_same_as_sample(c.path(), "XLS (BIFF8) / ODS");
    let formats: Vec<&str> = run["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["XLS (BIFF8)", "ODS", "ODS"]);
}

#[test]
fn the_xlsb_writer_makes_files_libreoffice_reads() {
    let Some(soffice) = soffice() else { return };
    let dir = tempfile::tempdir().unwrap();
    let rows = vec![
        vec![Some("评价编号".to_owned()), Some("满意度".to_owned())],
        vec![Some("PJ1".to_owned()), Some("1".to_owned())],
        vec![Some("PJ2".to_owned()), None],
    ];
    let from = dir.path().join("t.xlsb");
    xlsb(&from, &rows);
    let to = dir.path().join("t.csv");
    convert(
        soffice,
        &from,
        &to,
        "csv:Text - txt - csv (StarCalc):44,34,76",
    );
    assert_eq!(
        std::fs::read_to_string(&to)
            .unwrap()
            .trim_start_matches('\u{feff}')
            .replace("\r\n", "\n"),
        "评价编号,满意度\nPJ1,1\nPJ2,\n"
    );
}

#[test]
fn a_readme_sheet_first_titles_a_two_row_header_and_a_total_row_give_the_same_indicators() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("sample-data/matters.csv"),
        dir.path().join("matters.csv"),
    )
    .unwrap();
    std::fs::copy(
        root().join("sample-data/ratings.csv"),
        dir.path().join("ratings.csv"),
    )
    .unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let readme = wb.add_worksheet().set_name("填报说明").unwrap();
    readme.write_string(0, 0, "填报说明").unwrap();
    readme
        .write_string(1, 0, "1. 办件编号须与好差评一致")
        .unwrap();
    readme
        .write_string(2, 0, "2. 时间格式为 yyyy-mm-dd hh:mm:ss")
        .unwrap();
    let ws = wb.add_worksheet().set_name("办件明细").unwrap();
    let mut rows = cells("cases");
    let header: Vec<String> = rows
        .remove(0)
        .into_iter()
        .map(|c| match c {
            Some(Cell::Text(t)) => t,
            _ => unreachable!(),
        })
        .collect();
    let plain = rust_xlsxwriter::Format::new();
    let n = header.len() as u16;
    ws.merge_range(0, 0, 0, n - 1, "淄博市2024—2025年办件明细表", &plain)
        .unwrap();
    ws.write_string(1, 0, "导出时间：2026-01-05 08:30").unwrap();
    ws.write_string(1, 3, "导出人：系统管理员").unwrap();
    // Two header rows: 办件编号 and 事项编码 merged down, the rest under group headers.
    ws.merge_range(2, 0, 3, 0, &header[0], &plain).unwrap();
    ws.merge_range(2, 1, 3, 1, &header[1], &plain).unwrap();
    ws.merge_range(2, 2, 2, 5, "受理信息", &plain).unwrap();
    ws.merge_range(2, 6, 2, n - 1, "办理信息", &plain).unwrap();
    for (c, h) in header.iter().enumerate().skip(2) {
        ws.write_string(3, c as u16, h).unwrap();
    }
    write_cells(ws, 4, &rows);
    let last = 4 + rows.len() as u32;
    ws.write_string(last, 0, "合计").unwrap();
    ws.write_number(last, 10, 123.0).unwrap();
    wb.save(dir.path().join("办件.xlsx")).unwrap();
    let run = assert_same_as_sample(dir.path(), "说明 sheet, titles, two-row header, 合计");
    let f = run["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("办件.xlsx"))
        .unwrap();
    assert_eq!(f["sheet"], "办件明细");
    assert_eq!(
        f["total_rows"],
        serde_json::json!([last + 1]),
        "the 合计 row is skipped and named"
    );
    assert_eq!(
        f["rows_read"].as_u64().unwrap(),
        f["valid"].as_u64().unwrap() + 1
    );
}

#[test]
fn excel_sep_line_and_empty_trailing_columns_give_the_same_indicators() {
    let dir = tempfile::tempdir().unwrap();
    for t in TABLES {
        let s = Sheet::sample(t);
        let mut text = String::from("sep=,\r\n");
        for line in s.csv().lines() {
            text.push_str(line);
            text.push_str(",,,\r\n");
        }
        write(dir.path(), &format!("{t}.csv"), text);
    }
    assert_same_as_sample(dir.path(), "sep= line, empty columns");
}

/// The cases at these data rows (0-based) and the ratings at these get a case id
/// damaged as Excel shows a 19-digit number: `3.70302E+18`.
const DAMAGED_CASES: [usize; 3] = [100, 5000, 20000];
const DAMAGED_RATINGS: [usize; 2] = [7, 4000];

fn damaged(id: &str) -> String {
    let f: f64 = id.parse().unwrap();
    format!("{f:.5E}").replace("E", "E+")
}

#[test]
fn damaged_ids_quarantine_exactly_their_rows_and_link_no_rating() {
    let dir = csv_variant(|t, s| match t {
        "cases" => s.map("办件编号", |i, v| {
            if DAMAGED_CASES.contains(&i) {
                damaged(v)
            } else {
                v.into()
            }
        }),
        "ratings" => s.map("办件编号", |i, v| {
            if DAMAGED_RATINGS.contains(&i) && !v.is_empty() {
                damaged(v)
            } else {
                v.into()
            }
        }),
        _ => {}
    });
    let cases = std::fs::read_to_string(dir.path().join("cases.csv")).unwrap();
    assert!(cases.contains("E+18"), "ids damaged like 3.70302E+18");
    // The same data without those rows, computed independently of the damage.
    let without = csv_variant(|t, s| {
        let drop: &[usize] = match t {
            "cases" => &DAMAGED_CASES,
            "ratings" => &DAMAGED_RATINGS,
            _ => &[],
        };
        s.rows = s
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| !drop.contains(i))
            .map(|(_, r)| r.clone())
            .collect();
    });
    let (got, run) = indicators(dir.path(), &[]);
    let (want, _) = indicators(without.path(), &[]);
    assert_eq!(
        got, want,
        "damaged rows count nowhere, and no rating links through them"
    );
    assert_eq!(run["tables"]["cases"]["quarantined"], 3);
    assert_eq!(run["tables"]["ratings"]["quarantined"], 2);
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "check",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let q = std::fs::read_to_string(out.path().join("quarantine/cases.csv")).unwrap();
    let rows: Vec<&str> = q
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    // Spreadsheet rows: the header is row 1, data row i is row i + 2.
    assert_eq!(rows, DAMAGED_CASES.map(|i| (i + 2).to_string()));
    assert!(
        q.contains("表格软件") && q.contains("export the column as text"),
        "{q}"
    );
}

#[test]
fn an_unreadable_file_is_named_and_a_fake_xls_is_read() {
    let dir = tempfile::tempdir().unwrap();
    for t in ["matters", "ratings"] {
        std::fs::copy(
            root().join(format!("sample-data/{t}.csv")),
            dir.path().join(format!("{t}.csv")),
        )
        .unwrap();
    }
    html_xls(&dir.path().join("办件导出.xls"), "cases");
    // A Word 97 document among the exports (an OLE file with a WordDocument stream).
    let mut doc = cfb::create(dir.path().join("情况说明.doc")).unwrap();
    doc.create_stream("/WordDocument")
        .unwrap()
        .write_all(b"\xEC\xA5")
        .unwrap();
    doc.flush().unwrap();
    drop(doc);
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "indicators",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("情况说明.doc") && err.contains("a Word document (.doc)"),
        "{err}"
    );
    assert!(err.contains("--ignore '*.doc'"), "{err}");
    assert!(
        !err.contains("办件导出.xls"),
        "the fake .xls is readable: {err}"
    );
    let o = pingjia(&[
        "indicators",
        dir.path().to_str().unwrap(),
        "--ignore",
        "*.doc",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(run["tables"]["cases"]["valid"], 25684);
    assert_eq!(run["ignored_files"][0][1], "--ignore");
    assert!(run["ignored_files"][0][0]
        .as_str()
        .unwrap()
        .ends_with("情况说明.doc"));
}

#[test]
fn a_table_whose_rows_all_fail_stops_the_run() {
    let dir = csv_variant(|t, s| {
        if t == "cases" {
            s.map("行政区划代码", |_, _| "3703".into());
        }
    });
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "indicators",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("none of the 25684 rows of the 办件 table"),
        "{err}"
    );
    assert!(
        err.contains("region code must be 6, 9 or 12 digits"),
        "{err}"
    );
    assert!(
        out.path().join("quarantine/cases.csv").exists(),
        "the quarantine is written first"
    );
}

#[test]
fn one_row_of_gbk_bytes_and_one_typo_year_cost_only_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("sample-data/matters.csv"),
        dir.path().join("matters.csv"),
    )
    .unwrap();
    // UTF-8 with BOM, row 50 holding GBK bytes.
    let s = Sheet::sample("cases");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    let department = s.col("受理部门");
    for (i, line) in s.csv().lines().enumerate() {
        if i == 49 {
            // Spreadsheet row 50: its department pasted in from a GBK file.
            for (c, cell) in line.split(',').enumerate() {
                if c > 0 {
                    bytes.push(b',');
                }
                if c == department {
                    bytes.extend(encoding_rs::GBK.encode("民政局").0.iter());
                } else {
                    bytes.extend(cell.as_bytes());
                }
            }
        } else {
            bytes.extend(line.as_bytes());
        }
        bytes.push(b'\n');
    }
    write(dir.path(), "cases.csv", &bytes);
    // One rating rated in 2091.
    let mut r = Sheet::sample("ratings");
    r.map("评价时间", |i, v| {
        if i == 10 {
            v.replacen("2024", "2091", 1).replacen("2025", "2091", 1)
        } else {
            v.into()
        }
    });
    write(dir.path(), "ratings.csv", r.csv());
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "check",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let run: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("run.json")).unwrap())
            .unwrap();
    assert_eq!(run["tables"]["cases"]["quarantined"], 1);
    assert_eq!(run["tables"]["cases"]["valid"], 25683);
    assert_eq!(run["tables"]["ratings"]["quarantined"], 1);
    assert_eq!(run["tables"]["ratings"]["valid"], 5318);
    let q = std::fs::read_to_string(out.path().join("quarantine/cases.csv")).unwrap();
    assert!(
        q.contains(",50,") && q.contains("bytes invalid in UTF-8"),
        "{q}"
    );
    let q = std::fs::read_to_string(out.path().join("quarantine/ratings.csv")).unwrap();
    assert!(
        q.contains(",12,") && q.contains("after today or before 2000"),
        "{q}"
    );
}

#[test]
fn suggested_mapping_filled_in_makes_the_run_clean() {
    let dir = csv_variant(|t, s| match t {
        "cases" => {
            s.map("申办渠道", |i, v| {
                if v == "自助终端" {
                    "大厅自助一体机".into()
                } else if v == "邮寄" && i % 2 == 0 {
                    "EMS寄递".into()
                } else {
                    v.into()
                }
            });
            s.map("办件状态", |_, v| {
                if v == "撤件" {
                    "群众主动放弃".into()
                } else {
                    v.into()
                }
            });
        }
        "ratings" => s.map("评价渠道", |_, v| {
            if v == "短信" {
                "手机短消息".into()
            } else {
                v.into()
            }
        }),
        _ => {}
    });
    let out = tempfile::tempdir().unwrap();
    let mapping = out.path().join("mapping.toml");
    let o = pingjia(&[
        "check",
        dir.path().to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
        "--suggest-mapping",
        mapping.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    assert!(
        stdout.contains("'大厅自助一体机'") && stdout.contains("'群众主动放弃'"),
        "{stdout}"
    );
    let suggested = std::fs::read_to_string(&mapping).unwrap();
    for section in [
        "[values.cases.channel]",
        "[values.cases.status]",
        "[values.ratings.channel]",
    ] {
        assert!(suggested.contains(section), "{suggested}");
    }
    // The analyst fills it in.
    let filled = suggested
        .replace(
            "\"大厅自助一体机\" = \"\"",
            "\"大厅自助一体机\" = \"自助终端\"",
        )
        .replace("\"EMS寄递\" = \"\"", "\"EMS寄递\" = \"mail\"")
        .replace("\"群众主动放弃\" = \"\"", "\"群众主动放弃\" = \"撤件\"")
        .replace("\"手机短消息\" = \"\"", "\"手机短消息\" = \"sms\"");
    assert!(!filled.contains("= \"\""), "every value filled:\n{filled}");
    std::fs::write(&mapping, filled).unwrap();
    let (table, run) = indicators(dir.path(), &["--mapping", mapping.to_str().unwrap()]);
    for t in TABLES {
        assert_eq!(
            run["tables"][t]["unknown_cells"], 0,
            "{t}: {}",
            run["unknown_cells"]
        );
    }
    assert_eq!(&table, baseline());
}

#[test]
fn three_hundred_one_byte_mutants_never_refuse_the_file() {
    use pingjia::settings::Settings;
    let settings = Settings::load(&Default::default()).unwrap();
    let s = Sheet::sample("cases");
    let mut base = b"\xEF\xBB\xBF".to_vec();
    base.extend(s.headers.join(",").as_bytes());
    base.push(b'\n');
    let header_len = base.len();
    for r in s.rows.iter().take(1500) {
        base.extend(r.join(",").as_bytes());
        base.push(b'\n');
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("sample-data/matters.csv"),
        dir.path().join("matters.csv"),
    )
    .unwrap();
    let path = dir.path().join("cases.csv");
    // A deterministic walk over positions and byte values (SplitMix64).
    let mut state: u64 = 20251231;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut calendar_stops = 0;
    for _ in 0..300 {
        let mut bytes = base.clone();
        let at = header_len + (next() as usize) % (base.len() - header_len);
        bytes[at] = next() as u8;
        std::fs::write(&path, &bytes).unwrap();
        match pingjia::ingest::load(&[dir.path().to_owned()], &settings) {
            Ok(ingested) => {
                let f = ingested
                    .files
                    .iter()
                    .find(|f| f.path.ends_with("cases.csv"))
                    .unwrap();
                assert_eq!(f.rows_read, f.valid + f.quarantined + f.total_rows.len());
                assert!(
                    f.valid >= 1497,
                    "one mutated byte cost {} rows",
                    1500 - f.valid
                );
            }
            // A plausible year outside 2019–2026 stops the run by design (docs/SPEC.md §3.1).
            Err(e) if e.to_string().contains("outside the holiday schedule") => calendar_stops += 1,
            Err(e) => panic!("byte {at} set to {:#04x}: {e}", bytes[at]),
        }
    }
    assert!(
        calendar_stops < 30,
        "{calendar_stops} of 300 mutants stopped on the calendar"
    );
}

/// A district's draft compares its 乡镇/街道 on the 红黑榜 when the data names them; the
/// district's own cases (区县本级) are no township and are not ranked.
#[test]
fn a_districts_report_ranks_its_townships_when_the_data_has_them() {
    let dir = township_variant();
    let (out, _) = run_in_temp(&[
        "report",
        dir.path().to_str().unwrap(),
        "--region",
        "370303",
        "--format",
        "md",
    ]);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    let boards = md
        .split("## ")
        .find(|s| s.contains("红黑榜（"))
        .unwrap_or_else(|| panic!("no 红黑榜 table:\n{md}"));
    assert!(boards.contains("及乡镇（街道）"), "{boards}");
    let row = boards
        .lines()
        .find(|l| l.starts_with("| 按期办结率 | 乡镇（街道） |"))
        .unwrap_or_else(|| panic!("no township row:\n{boards}"));
    assert!(!row.contains("本级"), "{row}");
    let csv = std::fs::read_to_string(out.path().join("tables/boards.csv")).unwrap();
    let townships: std::collections::BTreeSet<&str> = csv
        .lines()
        .filter(|l| l.contains(",township,") && l.contains(",region,370303,"))
        .filter_map(|l| l.split(',').nth(5))
        .collect();
    assert_eq!(
        townships.into_iter().collect::<Vec<_>>(),
        ["370303001", "370303002"]
    );
}
