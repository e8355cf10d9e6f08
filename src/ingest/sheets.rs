//! Spreadsheets as grids of text: every worksheet of an XLSX/XLSM, XLSB, legacy XLS
//! (BIFF8) or ODS workbook (calamine), every `<table>` of an HTML page and every
//! `Worksheet` of a SpreadsheetML 2003 file (the two fake `.xls` that web systems send).
//! A vertically merged cell (a 区县 merged over its rows, `rowspan`, `ss:MergeDown`) gives
//! its value to every row it covers; a horizontally merged one stays in its first column.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};

use crate::error::{Error, Result};

/// One sheet (or HTML table) as rows of cells; `None` is an empty cell.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub name: String,
    pub rows: Vec<Vec<Option<String>>>,
    /// Spreadsheet row number (1-based) of `rows[0]`.
    pub top: usize,
}

/// The kinds of workbook calamine reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workbook {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
}

/// Every worksheet of a workbook held in `bytes`.
pub fn workbook_grids(path: &Path, bytes: Vec<u8>, kind: Workbook) -> Result<Vec<Grid>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::input(
            path,
            format!(
                "not a readable {} workbook ({e})\nhint: open it in Excel or WPS and save it again, or export the data again",
                match kind {
                    Workbook::Xlsx => "XLSX",
                    Workbook::Xlsb => "XLSB",
                    Workbook::Xls => "XLS",
                    Workbook::Ods => "ODS",
                }
            ),
        )
    };
    let cursor = Cursor::new(bytes);
    let mut book: calamine::Sheets<Cursor<Vec<u8>>> = match kind {
        Workbook::Xlsx => calamine::Sheets::Xlsx(
            calamine::open_workbook_from_rs(cursor).map_err(|e| unreadable(&e))?,
        ),
        Workbook::Xlsb => calamine::Sheets::Xlsb(
            calamine::open_workbook_from_rs(cursor).map_err(|e| unreadable(&e))?,
        ),
        Workbook::Xls => calamine::Sheets::Xls(
            calamine::open_workbook_from_rs(cursor).map_err(|e| unreadable(&e))?,
        ),
        Workbook::Ods => calamine::Sheets::Ods(
            calamine::open_workbook_from_rs(cursor).map_err(|e| unreadable(&e))?,
        ),
    };
    let names: Vec<String> = book
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| s.name.clone())
        .collect();
    let mut grids = Vec::new();
    for name in names {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| Error::input(path, format!("sheet '{name}' is not readable: {e}")))?;
        let merged = match &mut book {
            calamine::Sheets::Xlsx(x) => x
                .worksheet_merge_cells(&name)
                .and_then(|m| m.ok())
                .unwrap_or_default(),
            calamine::Sheets::Xls(x) => x.worksheet_merge_cells(&name).unwrap_or_default(),
            _ => vec![],
        };
        let (top, left) = range
            .start()
            .map_or((0, 0), |(r, c)| (r as usize, c as usize));
        let mut rows: Vec<Vec<Option<String>>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        for m in merged {
            let (r0, c0) = (m.start.0 as usize, m.start.1 as usize);
            let (r1, c1) = (m.end.0 as usize, m.end.1 as usize);
            if r1 > r0 && r0 >= top && c0 >= left {
                fill_down(&mut rows, r0 - top, r1 - top, c0 - left);
            }
            let _ = c1;
        }
        trim_blank_tail(&mut rows);
        grids.push(Grid {
            name,
            rows,
            // calamine starts the range at its first non-empty row.
            top: top + 1,
        });
    }
    Ok(grids)
}

/// Copies the value of `(first, col)` into the rows below it down to `last`.
fn fill_down(rows: &mut [Vec<Option<String>>], first: usize, last: usize, col: usize) {
    let Some(value) = rows.get(first).and_then(|r| r.get(col)).cloned().flatten() else {
        return;
    };
    for row in rows.iter_mut().take(last + 1).skip(first + 1) {
        if row.len() <= col {
            row.resize(col + 1, None);
        }
        if row[col].is_none() {
            row[col] = Some(value.clone());
        }
    }
}

/// Drops empty rows at the end (formatted but empty rows of a sheet).
fn trim_blank_tail(rows: &mut Vec<Vec<Option<String>>>) {
    while rows.last().is_some_and(|r| {
        r.iter()
            .all(|c| c.as_deref().is_none_or(|t| t.trim().is_empty()))
    }) {
        rows.pop();
    }
}

/// A calamine cell as text. Whole numbers below 2^53 are written without `.0`; larger
/// ones in scientific notation (`3.70302202401E18`), as Excel shows them — a 19-digit
/// 办件编号 stored as a number has lost its last digits, and must look damaged, not exact.
pub fn cell_text(value: &Data) -> Option<String> {
    match value {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Float(f) => Some(format_number(*f)),
        Data::Int(i) => Some(i.to_string()),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(dt) => Some(match dt.as_datetime() {
            Some(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
            None => format_number(dt.as_f64()),
        }),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(format!("#{e:?}")),
    }
}

/// Largest integer a double holds exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

/// Integral floats without a trailing `.0` (Excel stores 370303 as 370303.0); integers a
/// double cannot hold exactly in scientific notation (`3.703022024010000E18`).
pub fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < EXACT {
        format!("{}", f as i64)
    } else if f.fract() == 0.0 && f.is_finite() {
        format!("{f:E}")
    } else {
        format!("{f}")
    }
}

/// Every `<table>` of an HTML page (the "Excel" a Java web system exports), decoded by
/// the charset its `<meta>` names, else by its bytes (UTF-8, else GB18030).
pub fn html_grids(path: &Path, bytes: &[u8]) -> Result<(Vec<Grid>, Vec<String>)> {
    let (text, warnings) = decode_markup(bytes, b"charset=");
    let document = scraper::Html::parse_document(&text);
    let tables = scraper::Selector::parse("table").expect("a valid selector");
    let mut grids = Vec::new();
    for (t, table) in document.select(&tables).enumerate() {
        let mut rows: Vec<Vec<Option<String>>> = Vec::new();
        // Rows still covered by a cell with rowspan above: column → (rows left, text).
        let mut pending: Vec<Option<(usize, Option<String>)>> = Vec::new();
        for tr in table_rows(table) {
            let mut row: Vec<Option<String>> = Vec::new();
            let mut col = 0;
            for cell in tr
                .children()
                .filter_map(scraper::ElementRef::wrap)
                .filter(|e| matches!(e.value().name(), "td" | "th"))
            {
                take_pending(&mut row, &mut pending, &mut col);
                let text: String = cell.text().collect::<String>().replace('\u{a0}', " ");
                let text = text.trim();
                let value = (!text.is_empty()).then(|| text.to_owned());
                let span = |name: &str| {
                    cell.value()
                        .attr(name)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 1000)
                };
                let (rowspan, colspan) = (span("rowspan"), span("colspan"));
                for k in 0..colspan {
                    let v = if k == 0 { value.clone() } else { None };
                    row.push(v.clone());
                    if rowspan > 1 {
                        if pending.len() <= col {
                            pending.resize(col + 1, None);
                        }
                        pending[col] = Some((rowspan - 1, v));
                    }
                    col += 1;
                }
            }
            take_pending(&mut row, &mut pending, &mut col);
            rows.push(row);
        }
        trim_blank_tail(&mut rows);
        if !rows.is_empty() {
            grids.push(Grid {
                name: format!("表格{}", t + 1),
                rows,
                top: 1,
            });
        }
    }
    if grids.is_empty() {
        return Err(Error::input(path, "the page has no table with rows"));
    }
    Ok((grids, warnings))
}

/// The rows of a table, not of tables nested in it.
fn table_rows(table: scraper::ElementRef<'_>) -> Vec<scraper::ElementRef<'_>> {
    let mut out = Vec::new();
    for child in table.children().filter_map(scraper::ElementRef::wrap) {
        match child.value().name() {
            "tr" => out.push(child),
            "thead" | "tbody" | "tfoot" => out.extend(
                child
                    .children()
                    .filter_map(scraper::ElementRef::wrap)
                    .filter(|e| e.value().name() == "tr"),
            ),
            _ => {}
        }
    }
    out
}

/// Markup bytes as text: the encoding declared after `marker` (`charset=` in HTML,
/// `encoding=` in XML) in the first 4 KB, else a byte-order mark, else UTF-8 when the
/// bytes are UTF-8, else GB18030. Undecodable bytes become U+FFFD, with a warning.
fn decode_markup(bytes: &[u8], marker: &[u8]) -> (String, Vec<String>) {
    let head: Vec<u8> = bytes
        .iter()
        .take(4096)
        .map(u8::to_ascii_lowercase)
        .collect();
    let declared = head
        .windows(marker.len())
        .position(|w| w == marker)
        .and_then(|at| {
            let rest = &head[at + marker.len()..];
            let rest: Vec<u8> = rest
                .iter()
                .copied()
                .skip_while(|b| *b == b'"' || *b == b'\'' || *b == b' ')
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                .collect();
            encoding_rs::Encoding::for_label(&rest)
        });
    let encoding = match (encoding_rs::Encoding::for_bom(bytes), declared) {
        (Some((e, _)), _) => e,
        (None, Some(e)) if e != encoding_rs::UTF_8 || std::str::from_utf8(bytes).is_ok() => e,
        _ if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        _ => encoding_rs::GB18030,
    };
    let (text, _, had_errors) = encoding.decode(bytes);
    let warnings = if had_errors {
        vec![format!(
            "some bytes are not valid {}: they show as �",
            encoding.name()
        )]
    } else {
        vec![]
    };
    (text.into_owned(), warnings)
}

/// Every `Worksheet` of a SpreadsheetML 2003 file (`<?mso-application progid="Excel.Sheet"?>`).
pub fn spreadsheet_ml_grids(path: &Path, bytes: &[u8]) -> Result<(Vec<Grid>, Vec<String>)> {
    use quick_xml::events::Event;
    let (text, warnings) = decode_markup(bytes, b"encoding=");
    let mut reader = quick_xml::Reader::from_str(&text);
    let mut grids = Vec::new();
    let mut grid: Option<Grid> = None;
    let mut row: Option<Vec<Option<String>>> = None;
    let mut cell: Option<(usize, usize)> = None; // (column, rows merged below)
    let mut in_data = false;
    let mut data = String::new();
    // Cells merged down from rows above: column → (rows left, text).
    let mut pending: Vec<Option<(usize, Option<String>)>> = Vec::new();
    let decoder = reader.decoder();
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &[u8]| -> Option<String> {
        e.attributes().flatten().find_map(|a| {
            let key = a.key.local_name();
            (key.as_ref() == name)
                .then(|| {
                    a.decode_and_unescape_value(decoder)
                        .ok()
                        .map(|v| v.into_owned())
                })
                .flatten()
        })
    };
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| {
            Error::input(
                path,
                format!(
                    "not readable SpreadsheetML (XML error near byte {at}: {e})\nhint: open it in Excel or WPS and save it as .xlsx"
                ),
            )
        })?;
        let (element, self_closing) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = element {
            match e.local_name().as_ref() {
                b"Worksheet" => {
                    grid = Some(Grid {
                        name: attr(&e, b"Name").unwrap_or_default(),
                        rows: vec![],
                        top: 1,
                    });
                    pending.clear();
                }
                b"Row" => {
                    if let Some(g) = grid.as_mut() {
                        if let Some(index) =
                            attr(&e, b"Index").and_then(|v| v.parse::<usize>().ok())
                        {
                            while g.rows.len() + 1 < index.min(g.rows.len() + 1_000_000) {
                                g.rows.push(vec![]);
                            }
                        }
                        if self_closing {
                            g.rows.push(vec![]);
                        } else {
                            row = Some(vec![]);
                        }
                    }
                }
                b"Cell" => {
                    if let Some(r) = row.as_mut() {
                        let mut col = r.len();
                        take_pending(r, &mut pending, &mut col);
                        if let Some(index) =
                            attr(&e, b"Index").and_then(|v| v.parse::<usize>().ok())
                        {
                            while r.len() + 1 < index.min(r.len() + 10_000) {
                                r.push(None);
                                let mut col = r.len();
                                take_pending(r, &mut pending, &mut col);
                            }
                        }
                        let across: usize = attr(&e, b"MergeAcross")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0)
                            .min(1000);
                        let down: usize = attr(&e, b"MergeDown")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(0)
                            .min(1_000_000);
                        let col = r.len();
                        r.resize(col + 1 + across, None);
                        cell = (!self_closing).then_some((col, down));
                    }
                }
                b"Data" if !self_closing => {
                    in_data = true;
                    data.clear();
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Text(t) if in_data => {
                data.push_str(&t.unescape().unwrap_or_default());
            }
            Event::CData(t) if in_data => {
                data.push_str(&String::from_utf8_lossy(&t));
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"Data" => {
                    in_data = false;
                    if let (Some(r), Some((col, down))) = (row.as_mut(), cell) {
                        let value = data.trim();
                        let value = (!value.is_empty()).then(|| value.to_owned());
                        r[col] = value.clone();
                        if down > 0 {
                            if pending.len() <= col {
                                pending.resize(col + 1, None);
                            }
                            pending[col] = Some((down, value));
                        }
                    }
                }
                b"Cell" => cell = None,
                b"Row" => {
                    if let (Some(g), Some(mut r)) = (grid.as_mut(), row.take()) {
                        let mut col = r.len();
                        take_pending(&mut r, &mut pending, &mut col);
                        g.rows.push(r);
                    }
                }
                b"Worksheet" => {
                    if let Some(mut g) = grid.take() {
                        trim_blank_tail(&mut g.rows);
                        grids.push(g);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if grids.is_empty() {
        return Err(Error::input(
            path,
            "the SpreadsheetML file has no worksheet",
        ));
    }
    Ok((grids, warnings))
}

/// Fills the cells of a row that cells merged down from above still cover, from `col` on.
fn take_pending(
    row: &mut Vec<Option<String>>,
    pending: &mut [Option<(usize, Option<String>)>],
    col: &mut usize,
) {
    while let Some(Some((left, text))) = pending.get_mut(*col) {
        if row.len() <= *col {
            row.resize(*col + 1, None);
        }
        row[*col] = text.clone();
        *left -= 1;
        if *left == 0 {
            pending[*col] = None;
        }
        *col += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(g: &Grid) -> Vec<Vec<&str>> {
        g.rows
            .iter()
            .map(|r| r.iter().map(|c| c.as_deref().unwrap_or("")).collect())
            .collect()
    }

    #[test]
    fn numbers_from_spreadsheets() {
        assert_eq!(format_number(370303.0), "370303");
        assert_eq!(format_number(45747.5), "45747.5");
        // A 19-digit id stored as a double shows that it lost digits.
        assert_eq!(format_number(3703022024010000001.0), "3.70302202401E18");
    }

    #[test]
    fn html_table_with_spans_and_gbk() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\"></head><body>\
            <table><tr><td rowspan=2>办件编号</td><td colspan=2>时间</td></tr>\
            <tr><td>受理时间</td><td>办结时间</td></tr>\
            <tr><td>A1</td><td>2025-01-02&nbsp;</td><td></td></tr>\
            <tr><td rowspan=2>张店区</td><td>x</td></tr><tr><td>y</td></tr></table></body></html>";
        let (gbk, _, _) = encoding_rs::GBK.encode(page);
        let (grids, warnings) = html_grids(Path::new("t.xls"), &gbk).unwrap();
        assert!(warnings.is_empty());
        assert_eq!(
            texts(&grids[0]),
            vec![
                vec!["办件编号", "时间", ""],
                vec!["办件编号", "受理时间", "办结时间"],
                vec!["A1", "2025-01-02", ""],
                vec!["张店区", "x"],
                vec!["张店区", "y"],
            ]
        );
    }

    #[test]
    fn spreadsheet_ml_cells_indexes_and_merges() {
        let xml = r#"<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">填报说明</Data></Cell></Row></Table></Worksheet>
 <Worksheet ss:Name="办件"><Table>
  <Row><Cell ss:MergeAcross="1"><Data ss:Type="String">标题</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">办件编号</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">受理时间</Data></Cell></Row>
  <Row><Cell ss:MergeDown="1"><Data ss:Type="String">A&amp;1</Data></Cell><Cell><Data ss:Type="Number">42</Data></Cell><Cell><Data ss:Type="DateTime">2025-03-31T14:05:00.000</Data></Cell></Row>
  <Row><Cell ss:Index="2"><Data ss:Type="Number">43</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>"#;
        let (grids, _) = spreadsheet_ml_grids(Path::new("t.xls"), xml.as_bytes()).unwrap();
        assert_eq!(grids.len(), 2);
        assert_eq!(grids[1].name, "办件");
        assert_eq!(
            texts(&grids[1]),
            vec![
                vec!["标题", ""],
                vec!["办件编号", "", "受理时间"],
                vec!["A&1", "42", "2025-03-31T14:05:00.000"],
                vec!["A&1", "43"],
            ]
        );
    }
}
