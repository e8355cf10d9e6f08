//! Readers: one file in any supported format → a [`RawTable`] of text cells with the
//! header found and every data row numbered as a spreadsheet would show it.
//!
//! The format comes from the bytes (`sniff`), never from the file name. CSV encodings
//! too: a UTF-8 or UTF-16 byte-order mark, else UTF-8 when the text is (a few bad rows
//! are quarantined, not the file), else GB18030 (a superset of GBK). Workbooks with
//! several sheets are read from the sheet that holds a table (a 说明 sheet first is
//! passed over).

use std::path::{Path, PathBuf};

use polars::prelude::*;

use super::header::{header_block, HEAD_ROWS};
use super::sheets::{self, Grid};
use super::values::Reason;
use crate::error::{Error, PolarsContext, Result};

/// File formats pingjia reads, as found from their content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    #[serde(rename = "CSV")]
    Csv,
    #[serde(rename = "XLSX")]
    Xlsx,
    #[serde(rename = "XLSB")]
    Xlsb,
    #[serde(rename = "XLS (BIFF8)")]
    Xls,
    #[serde(rename = "ODS")]
    Ods,
    /// An HTML `<table>`, as web systems export "Excel".
    #[serde(rename = "HTML table")]
    Html,
    /// SpreadsheetML 2003 XML (`<?mso-application progid="Excel.Sheet"?>`).
    #[serde(rename = "SpreadsheetML 2003")]
    SpreadsheetMl,
    #[serde(rename = "Parquet")]
    Parquet,
    #[serde(rename = "NDJSON")]
    Ndjson,
    /// A JSON array of records.
    #[serde(rename = "JSON")]
    Json,
}

impl Format {
    /// The format a file name suggests (only to warn when the content says otherwise).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" | "txt" | "tsv" => Format::Csv,
            "xlsx" | "xlsm" => Format::Xlsx,
            "xlsb" => Format::Xlsb,
            "xls" | "et" => Format::Xls,
            "ods" => Format::Ods,
            "htm" | "html" => Format::Html,
            "xml" => Format::SpreadsheetMl,
            "parquet" | "pq" => Format::Parquet,
            "ndjson" | "jsonl" => Format::Ndjson,
            "json" => Format::Json,
            _ => return None,
        })
    }

    /// How the format is named to users.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Csv => "CSV text",
            Format::Xlsx => "an XLSX workbook",
            Format::Xlsb => "an XLSB workbook",
            Format::Xls => "a legacy XLS workbook",
            Format::Ods => "an ODS workbook",
            Format::Html => "a web page with a table (HTML)",
            Format::SpreadsheetMl => "SpreadsheetML 2003 XML",
            Format::Parquet => "Parquet",
            Format::Ndjson => "NDJSON",
            Format::Json => "JSON",
        }
    }
}

/// Text encoding a text file was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Encoding {
    #[serde(rename = "UTF-8")]
    Utf8,
    #[serde(rename = "UTF-8 with BOM")]
    Utf8Bom,
    #[serde(rename = "UTF-16")]
    Utf16,
    #[serde(rename = "GB18030")]
    Gb18030,
    /// Not text: workbooks, Parquet.
    #[serde(rename = "binary")]
    Binary,
}

/// One input file as text cells.
#[derive(Debug)]
pub struct RawTable {
    pub path: PathBuf,
    pub format: Format,
    pub encoding: Encoding,
    /// The sheet (or HTML table) read, for workbooks.
    pub sheet: Option<String>,
    /// Header texts as written in the file.
    pub headers: Vec<String>,
    /// One String column per header, all the same length (the data rows).
    pub columns: Vec<StringChunked>,
    /// Columns of a typed file (Parquet, NDJSON) that are already timestamps, dates,
    /// integers or booleans, kept as they are: validation checks them without a round
    /// trip through text where it can. Their entry in `columns` is all null.
    pub typed: Vec<Option<Series>>,
    /// Spreadsheet row number of the first data row (header row + 1; 1 for Parquet/NDJSON).
    pub first_row: usize,
    /// Data rows (0-based) that cannot be read as they are (bytes invalid in the file's
    /// encoding): quarantined with the reason.
    pub bad_rows: Vec<(usize, Reason)>,
    /// Said once about the file (its name suggests another format, undecodable bytes …).
    pub warnings: Vec<String>,
}

impl RawTable {
    pub fn height(&self) -> usize {
        self.columns.first().map_or(0, |c| c.len())
    }

    /// The cell at `row` of column `col` as text (for quarantine records).
    pub fn cell_text(&self, col: usize, row: usize) -> Option<String> {
        match &self.typed[col] {
            Some(s) => match s.get(row) {
                Ok(AnyValue::Null) | Err(_) => None,
                // Polars' own display panics on a date or time beyond chrono's range.
                Ok(AnyValue::Date(days)) => Some(
                    chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                        .and_then(|e| {
                            e.checked_add_signed(chrono::Duration::try_days(days.into())?)
                        })
                        .map_or_else(|| format!("{days}（日期值超出范围）"), |d| d.to_string()),
                ),
                Ok(AnyValue::Datetime(v, unit, _)) => {
                    let ms = match unit {
                        TimeUnit::Nanoseconds => v.div_euclid(1_000_000),
                        TimeUnit::Microseconds => v.div_euclid(1_000),
                        TimeUnit::Milliseconds => v,
                    };
                    Some(chrono::DateTime::from_timestamp_millis(ms).map_or_else(
                        || format!("{v}（时间值超出范围）"),
                        |t| {
                            let shown = if ms % 1000 == 0 {
                                "%Y-%m-%d %H:%M:%S"
                            } else {
                                "%Y-%m-%d %H:%M:%S%.3f"
                            };
                            t.naive_utc().format(shown).to_string()
                        },
                    ))
                }
                Ok(v) => Some(v.to_string()),
            },
            None => self.columns[col].get(row).map(str::to_owned),
        }
    }
}

/// What a reader needs to know of the tables: whether a header text names a known
/// column, and whether a sheet's headers hold a whole table (its required columns).
pub struct Known<'a> {
    pub is_header: &'a dyn Fn(&str) -> bool,
    pub fits: &'a dyn Fn(&[String]) -> bool,
}

/// Reads one file of `format`. `sheet` names the sheet of a workbook (default: the one
/// that holds a table).
pub fn read(
    path: &Path,
    format: Format,
    sheet: Option<&str>,
    known: &Known<'_>,
) -> Result<RawTable> {
    let bytes = || std::fs::read(path).map_err(|e| Error::io(path, e));
    let workbook = |kind| -> Result<RawTable> {
        let bytes = bytes()?;
        if kind != sheets::Workbook::Xls {
            check_xlsx_archive(&bytes).map_err(|m| Error::input(path, m))?;
        }
        let grids = sheets::workbook_grids(path, bytes, kind)?;
        from_grids(path, format, grids, vec![], sheet, known)
    };
    match format {
        Format::Csv => {
            let file = super::csv::CsvFile::open(path, known.is_header)?;
            file.raw(0..file.pieces.len())
        }
        Format::Xlsx => workbook(sheets::Workbook::Xlsx),
        Format::Xlsb => workbook(sheets::Workbook::Xlsb),
        Format::Xls => workbook(sheets::Workbook::Xls),
        Format::Ods => workbook(sheets::Workbook::Ods),
        Format::Html => {
            let (grids, warnings) = sheets::html_grids(path, &bytes()?)?;
            from_grids(path, format, grids, warnings, sheet, known)
        }
        Format::SpreadsheetMl => {
            let (grids, warnings) = sheets::spreadsheet_ml_grids(path, &bytes()?)?;
            from_grids(path, format, grids, warnings, sheet, known)
        }
        Format::Parquet => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let df = ParquetReader::new(file)
                .finish()
                .map_err(|e| Error::input(path, format!("not a readable Parquet file: {e}")))?;
            from_frame(path, df)
        }
        Format::Ndjson | Format::Json => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let df = JsonReader::new(file)
                .with_json_format(if format == Format::Ndjson {
                    JsonFormat::JsonLines
                } else {
                    JsonFormat::Json
                })
                .infer_schema_len(None)
                .finish()
                .map_err(|e| {
                    Error::input(
                        path,
                        format!(
                            "not readable {}: {e}",
                            if format == Format::Ndjson {
                                "NDJSON"
                            } else {
                                "JSON"
                            }
                        ),
                    )
                })?;
            let mut raw = from_frame(path, df)?;
            raw.format = format;
            Ok(raw)
        }
    }
}

/// Reads XLSX bytes; `path` only names the file in messages.
pub fn read_xlsx(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    known: &Known<'_>,
) -> Result<RawTable> {
    check_xlsx_archive(&bytes).map_err(|m| Error::input(path, m))?;
    let grids = sheets::workbook_grids(path, bytes, sheets::Workbook::Xlsx)?;
    from_grids(path, Format::Xlsx, grids, vec![], sheet, known)
}

/// The sheet that holds the table, as a raw table: the one named, else the only sheet
/// whose header holds a whole table; none or several is an error that lists each sheet
/// with its first row.
fn from_grids(
    path: &Path,
    format: Format,
    grids: Vec<Grid>,
    warnings: Vec<String>,
    sheet: Option<&str>,
    known: &Known<'_>,
) -> Result<RawTable> {
    let what = if matches!(format, Format::Html) {
        "table"
    } else {
        "sheet"
    };
    let listing = |grids: &[Grid]| -> String {
        grids
            .iter()
            .map(|g| {
                let first: Vec<&str> = g
                    .rows
                    .iter()
                    .find(|r| r.iter().any(Option::is_some))
                    .map(|r| r.iter().flatten().map(String::as_str).collect())
                    .unwrap_or_default();
                let mut line = first.join(" | ");
                if line.chars().count() > 80 {
                    line = line.chars().take(80).collect::<String>() + "…";
                }
                format!(
                    "\n  {what} '{}': {}",
                    g.name,
                    if line.is_empty() {
                        "(empty)".into()
                    } else {
                        line
                    }
                )
            })
            .collect()
    };
    let chosen = match sheet {
        Some(name) => grids.iter().position(|g| g.name == name).ok_or_else(|| {
            Error::input(
                path,
                format!("no {what} named '{name}'; the file has:{}", listing(&grids)),
            )
        })?,
        None if grids.len() == 1 => 0,
        None => {
            let fitting: Vec<usize> = (0..grids.len())
                .filter(|&i| {
                    let head: Vec<Vec<Option<String>>> =
                        grids[i].rows.iter().take(HEAD_ROWS).cloned().collect();
                    (known.fits)(&header_block(&head, known.is_header).headers)
                })
                .collect();
            match fitting.as_slice() {
                [one] => *one,
                [] => {
                    return Err(Error::input(
                        path,
                        format!(
                            "no {what} has the header of a 事项目录, 办件 or 好差评 table:{}\nhint: choose one with --sheet NAME, or add your headers to a --mapping file",
                            listing(&grids)
                        ),
                    ))
                }
                many => {
                    let those: Vec<Grid> = many.iter().map(|i| grids[*i].clone()).collect();
                    return Err(Error::input(
                        path,
                        format!(
                            "several {what}s hold a table:{}\nhint: read one with --sheet NAME (or save each as its own file)",
                            listing(&those)
                        ),
                    ));
                }
            }
        }
    };
    let grid = grids.into_iter().nth(chosen).expect("a chosen sheet");
    let mut raw = grid_raw(path, format, grid, known.is_header)?;
    raw.warnings = warnings;
    Ok(raw)
}

/// A grid as a raw table: the header found in its first rows, the rows below as data.
fn grid_raw(
    path: &Path,
    format: Format,
    grid: Grid,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<RawTable> {
    if grid.rows.iter().all(|r| r.iter().all(Option::is_none)) {
        return Err(Error::input(path, "the file is empty: no header row"));
    }
    let head: Vec<Vec<Option<String>>> = grid.rows.iter().take(HEAD_ROWS).cloned().collect();
    let block = header_block(&head, is_header);
    let width = grid
        .rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(block.headers.len());
    let data = &grid.rows[block.last + 1..];
    let mut columns: Vec<Vec<Option<&str>>> = vec![Vec::with_capacity(data.len()); width];
    for row in data {
        for (c, column) in columns.iter_mut().enumerate() {
            column.push(row.get(c).and_then(|v| v.as_deref()));
        }
    }
    let mut headers = block.headers;
    headers.resize(width, String::new());
    // Drop columns with neither header nor data (empty trailing columns).
    let (headers, columns): (Vec<String>, Vec<StringChunked>) = headers
        .into_iter()
        .zip(columns)
        .enumerate()
        .filter(|(_, (h, c))| !h.is_empty() || c.iter().any(Option::is_some))
        .map(|(i, (h, c))| {
            (
                h,
                StringChunked::from_iter_options(format!("c{i}").into(), c.into_iter()),
            )
        })
        .unzip();
    Ok(RawTable {
        path: path.to_owned(),
        format,
        encoding: Encoding::Binary,
        sheet: Some(grid.name),
        headers,
        typed: vec![None; columns.len()],
        columns,
        first_row: grid.top + block.last + 1,
        bad_rows: vec![],
        warnings: vec![],
    })
}

/// Decodes CSV bytes to UTF-8 text, detecting the encoding.
pub fn decode(bytes: Vec<u8>) -> std::result::Result<(Vec<u8>, Encoding), String> {
    match marked(&bytes)? {
        Mark::Utf8Bom => match std::str::from_utf8(&bytes[3..]) {
            Ok(_) => Ok((bytes[3..].to_vec(), Encoding::Utf8Bom)),
            Err(e) => Err(format!(
                "starts with a UTF-8 byte-order mark but is not valid UTF-8 (byte {})",
                e.valid_up_to() + 3
            )),
        },
        Mark::Utf16(text) => Ok((text, Encoding::Utf16)),
        Mark::None if std::str::from_utf8(&bytes).is_ok() => Ok((bytes, Encoding::Utf8)),
        Mark::None => match super::csv::decode_gb18030(&bytes) {
            Ok(decoded) => Ok((decoded.into_bytes(), Encoding::Gb18030)),
            Err(at) => Err(not_text(&bytes, at)),
        },
    }
}

/// The message for a byte that is neither UTF-8 nor GB18030.
pub fn not_text(text: &[u8], at: usize) -> String {
    let row = 1 + memchr::memchr_iter(b'\n', &text[..at]).count();
    format!(
        "row {row} (byte {at}) is neither UTF-8 nor GBK/GB18030 text: the file is in another encoding or damaged"
    )
}

/// What the first bytes of a text file say about its encoding.
pub enum Mark {
    /// A UTF-8 byte-order mark (3 bytes).
    Utf8Bom,
    /// UTF-16 (with or without a mark), decoded here to UTF-8.
    Utf16(Vec<u8>),
    /// Nothing: UTF-8 or GB18030, to be found from the bytes.
    None,
}

/// Reads a byte-order mark, or UTF-16's zero bytes.
pub fn marked(bytes: &[u8]) -> std::result::Result<Mark, String> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        return Ok(Mark::Utf8Bom);
    }
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_with_bom_removal(bytes);
        if had_errors {
            return Err(format!(
                "starts with a {} byte-order mark but does not decode",
                enc.name()
            ));
        }
        return Ok(Mark::Utf16(text.into_owned().into_bytes()));
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok(Mark::Utf16(text.into_owned().into_bytes()));
        }
    }
    Ok(Mark::None)
}

/// UTF-16 without a byte-order mark: ASCII characters (digits, separators) leave a zero
/// byte in every other position; no text in a single-byte encoding does.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(1 << 16) & !1];
    let pairs = head.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros = |offset: usize| {
        head.iter()
            .skip(offset)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let (even, odd) = (zeros(0), zeros(1));
    if odd * 5 > pairs && even * 100 < pairs {
        Some(encoding_rs::UTF_16LE)
    } else if even * 5 > pairs && odd * 100 < pairs {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Reads CSV bytes; `path` only names the file in messages.
pub fn read_csv(path: &Path, bytes: Vec<u8>, is_header: &dyn Fn(&str) -> bool) -> Result<RawTable> {
    let file = super::csv::CsvFile::from_bytes(path, bytes, is_header)?;
    file.raw(0..file.pieces.len())
}

/// Largest total uncompressed size of an XLSX archive pingjia opens (a million-row
/// export is ~300 MB of sheet XML).
pub const XLSX_MAX_UNCOMPRESSED: u64 = 2 << 30;
/// Largest compression ratio of one entry before the archive is treated as a zip bomb
/// (sheet XML compresses ~10–30×; a bomb ~1000×).
const XLSX_MAX_RATIO: u64 = 200;

/// Refuses, before decompressing anything, what calamine should not be given: damaged
/// archives and zip bombs.
fn check_xlsx_archive(bytes: &[u8]) -> std::result::Result<(), String> {
    let mut archive = ::zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        format!("not a readable workbook (truncated or damaged? {e})\nhint: export the file again")
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("not a readable workbook (damaged entry {i}: {e})"))?;
        let (size, packed) = (entry.size(), entry.compressed_size().max(1));
        total = total.saturating_add(size);
        if size > 1 << 20 && size / packed > XLSX_MAX_RATIO {
            return Err(format!(
                "refused: '{}' would expand {} bytes into {} ({}×), which looks like a zip bomb, not a spreadsheet",
                entry.name(),
                packed,
                size,
                size / packed
            ));
        }
    }
    if total > XLSX_MAX_UNCOMPRESSED {
        return Err(format!(
            "refused: the workbook would expand to {total} bytes (limit {XLSX_MAX_UNCOMPRESSED})\nhint: export large tables as CSV or Parquet"
        ));
    }
    Ok(())
}

/// A frame read from a typed file, as a raw table of text (timestamps and dates kept).
pub fn from_frame(path: &Path, df: DataFrame) -> Result<RawTable> {
    let mut headers = Vec::new();
    let mut columns = Vec::new();
    let mut typed = Vec::new();
    for c in df.columns() {
        headers.push(c.name().to_string());
        let s = c.as_materialized_series();
        // Naive timestamps and dates stay typed; a zoned timestamp goes through text so
        // that its offset is converted to China time like any other.
        if matches!(
            s.dtype(),
            DataType::Datetime(_, None) | DataType::Date | DataType::Boolean
        ) || s.dtype().is_integer()
        {
            columns.push(StringChunked::full_null(c.name().clone(), s.len()));
            typed.push(Some(s.clone()));
            continue;
        }
        typed.push(None);
        let s = match s.dtype() {
            DataType::Datetime(_, _) => s
                .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
                .and_then(|s| s.cast(&DataType::String)),
            _ => s.cast(&DataType::String),
        }
        .map_err(|e| {
            Error::input(
                path,
                format!("column '{}' cannot be read as text: {e}", c.name()),
            )
        })?;
        columns.push(s.str().context("casting to text")?.clone());
    }
    Ok(RawTable {
        path: path.to_owned(),
        format: Format::Parquet,
        encoding: Encoding::Binary,
        sheet: None,
        headers,
        columns,
        typed,
        first_row: 1,
        bad_rows: vec![],
        warnings: vec![],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_detected_from_bytes() {
        let text = "办件编号,受理时间\nA1,2025-01-02\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(
            decode(gbk.into_owned()).unwrap(),
            (text.as_bytes().to_vec(), Encoding::Gb18030)
        );
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(bom).unwrap().1, Encoding::Utf8Bom);
        assert_eq!(decode(text.as_bytes().to_vec()).unwrap().1, Encoding::Utf8);
        assert!(decode(vec![0xff, 0xff, 0xff, 0x00, 0x81]).is_err());
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(
            decode(le).unwrap(),
            (text.as_bytes().to_vec(), Encoding::Utf16)
        );
        assert_eq!(
            decode(be).unwrap(),
            (text.as_bytes().to_vec(), Encoding::Utf16)
        );
    }
}
