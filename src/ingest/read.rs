//! Readers: one file in any supported format → a [`RawTable`] of text cells with the
//! header row found and every data row numbered as a spreadsheet would show it.
//!
//! CSV encodings are detected from the bytes, never from the file name: a UTF-8 or
//! UTF-16 byte-order mark, else valid UTF-8, else GB18030 (a superset of GBK).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, PolarsContext, Result};
use crate::schema::normalise_header;

/// File formats pingjia reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
    Parquet,
    Ndjson,
}

impl Format {
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "parquet" | "pq" => Some(Format::Parquet),
            "ndjson" | "jsonl" => Some(Format::Ndjson),
            _ => None,
        }
    }
}

/// Text encoding a CSV file was found in.
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
    /// Not text: XLSX, Parquet.
    #[serde(rename = "binary")]
    Binary,
}

/// One input file as text cells.
#[derive(Debug)]
pub struct RawTable {
    pub path: PathBuf,
    pub encoding: Encoding,
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
                Ok(v) => Some(v.to_string()),
            },
            None => self.columns[col].get(row).map(str::to_owned),
        }
    }
}

/// Reads one file. `sheet` names the XLSX sheet (default: the first). `is_header` tells
/// whether a normalised text is a known header, to find the header row under title rows.
pub fn read(
    path: &Path,
    sheet: Option<&str>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<RawTable> {
    let format = Format::from_path(path).ok_or_else(|| {
        Error::input(
            path,
            "unknown file type\nhint: use .csv, .xlsx, .parquet or .ndjson",
        )
    })?;
    match format {
        Format::Csv => {
            let file = super::csv::CsvFile::open(path, is_header)?;
            file.raw(0..file.pieces.len())
        }
        Format::Xlsx => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            read_xlsx(path, bytes, sheet, is_header)
        }
        Format::Parquet => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let df = ParquetReader::new(file)
                .finish()
                .map_err(|e| Error::input(path, format!("not a readable Parquet file: {e}")))?;
            from_frame(path, df)
        }
        Format::Ndjson => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let df = JsonReader::new(file)
                .with_json_format(JsonFormat::JsonLines)
                .infer_schema_len(None)
                .finish()
                .map_err(|e| Error::input(path, format!("not readable NDJSON: {e}")))?;
            from_frame(path, df)
        }
    }
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

/// The header row: the first of the first 10 rows with ≥ 2 known headers, else the first.
pub fn header_row(columns: &[StringChunked], is_header: &dyn Fn(&str) -> bool) -> usize {
    let height = columns.first().map_or(0, |c| c.len());
    (0..height.min(10))
        .find(|&r| {
            columns
                .iter()
                .filter(|c| is_header(&normalise_header(c.get(r).unwrap_or(""))))
                .count()
                >= 2
        })
        .unwrap_or(0)
}

/// Finds the header row (the first of the first 10 rows with ≥ 2 known headers, else the
/// first row), takes its texts as headers and the rows below as data.
fn split_header(
    path: &Path,
    encoding: Encoding,
    columns: Vec<StringChunked>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<RawTable> {
    let height = columns.first().map_or(0, |c| c.len());
    if height == 0 {
        return Err(Error::input(path, "the file is empty: no header row"));
    }
    let cell = |col: &StringChunked, row: usize| col.get(row).unwrap_or("").to_owned();
    let header_row = header_row(&columns, is_header);
    let headers: Vec<String> = columns
        .iter()
        .map(|c| cell(c, header_row).trim().to_owned())
        .collect();
    let data: Vec<StringChunked> = columns
        .iter()
        .map(|c| c.slice(header_row as i64 + 1, height - header_row - 1))
        .collect();
    // Drop columns with neither header nor data (trailing separators).
    let (headers, columns): (Vec<_>, Vec<_>) = headers
        .into_iter()
        .zip(data)
        .filter(|(h, c)| !h.is_empty() || c.null_count() < c.len())
        .unzip();
    Ok(RawTable {
        path: path.to_owned(),
        encoding,
        headers,
        typed: vec![None; columns.len()],
        columns,
        first_row: header_row + 2,
    })
}

/// Largest total uncompressed size of an XLSX archive pingjia opens (a million-row
/// export is ~300 MB of sheet XML).
pub const XLSX_MAX_UNCOMPRESSED: u64 = 2 << 30;
/// Largest compression ratio of one entry before the archive is treated as a zip bomb
/// (sheet XML compresses ~10–30×; a bomb ~1000×).
const XLSX_MAX_RATIO: u64 = 200;

/// Reads XLSX bytes; `path` only names the file in messages.
pub fn read_xlsx(
    path: &Path,
    bytes: Vec<u8>,
    sheet: Option<&str>,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<RawTable> {
    use calamine::{Data, Reader, Xlsx};
    check_xlsx_archive(&bytes).map_err(|m| Error::input(path, m))?;
    let mut workbook = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| Error::input(path, format!("not a readable XLSX workbook: {e}")))?;
    let names = workbook.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| {
                Error::input(
                    path,
                    format!("no sheet named '{s}'; sheets: {}", names.join(", ")),
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| Error::input(path, "the workbook has no sheets"))?,
    };
    let range = workbook
        .worksheet_range(&name)
        .map_err(|e| Error::input(path, format!("sheet '{name}' is not readable: {e}")))?;
    let width = range.width();
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(range.height()); width];
    // Rows above the range's start (empty in the sheet) are skipped by calamine; keep
    // spreadsheet numbering by padding them.
    let top = range.start().map_or(0, |(r, _)| r as usize);
    for row in range.rows() {
        for (c, value) in row.iter().enumerate() {
            let text = match value {
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
            };
            cells[c].push(text);
        }
    }
    let columns: Vec<StringChunked> = cells
        .into_iter()
        .enumerate()
        .map(|(i, v)| StringChunked::from_iter_options(format!("c{i}").into(), v.into_iter()))
        .collect();
    let mut t = split_header(path, Encoding::Binary, columns, is_header)?;
    t.first_row += top;
    Ok(t)
}

/// Refuses, before decompressing anything, what calamine should not be given: encrypted
/// workbooks (an OLE container, not a zip), damaged archives and zip bombs.
fn check_xlsx_archive(bytes: &[u8]) -> std::result::Result<(), String> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err("the workbook is password-protected (or an old .xls saved as .xlsx)\n\
                    hint: open it in Excel/WPS, remove the password (or save as .xlsx) and export again"
            .into());
    }
    let mut archive = ::zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        format!(
            "not a readable XLSX workbook (truncated or damaged? {e})\nhint: export the file again"
        )
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("not a readable XLSX workbook (damaged entry {i}: {e})"))?;
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

/// Integral floats without a trailing `.0` (Excel stores 370303 as 370303.0).
fn format_number(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
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
        encoding: Encoding::Binary,
        headers,
        columns,
        typed,
        first_row: 1,
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

    #[test]
    fn numbers_from_spreadsheets() {
        assert_eq!(format_number(370303.0), "370303");
        assert_eq!(format_number(45747.5), "45747.5");
    }
}
