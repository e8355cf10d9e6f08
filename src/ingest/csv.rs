//! CSV files read in pieces: the file is mapped, its encoding and header row found, its
//! body cut into pieces of whole rows; each piece is decoded and parsed (on its own core,
//! see `ingest::validate_pieces`) into one Arrow string array per column whose strings
//! point into the file's bytes.
//!
//! Row ends are found on the raw bytes: the separators, the quote and the line feed are
//! ASCII, and neither UTF-8 nor GBK/GB18030 uses ASCII bytes inside a multi-byte
//! character, so a piece cut after a line feed starts a row in either encoding.
//!
//! Fields follow RFC 4180 as exports write it: a field that starts with `"` is quoted
//! (`""` inside is one quote; separators and line breaks inside are text), any other `"`
//! is text; an empty unquoted field is null; a trailing CR ends the row (CRLF files).
//! Rows with fewer fields than the table are padded with nulls, extra fields dropped.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::*;
use polars_arrow::array::{Utf8ViewArray, View};
use polars_arrow::bitmap::{Bitmap, MutableBitmap};
use polars_arrow::datatypes::ArrowDataType;
use polars_buffer::Buffer;
use rayon::prelude::*;

use super::read::{self, Encoding, RawTable};
use super::values::{Problem, Reason};
use crate::error::{Error, PolarsContext, Result};

/// Bytes per piece: large enough that per-piece costs vanish, small enough that two
/// cores stay busy to the end of the file and a piece's text stays in cache.
const PIECE_BYTES: usize = 4 << 20;
/// Longest a quoted field may run across line breaks before its opening quote is taken
/// as a stray character (a real multi-line cell is far shorter).
const STRAY_QUOTE: usize = 64 * 1024;
/// Longest piece (one row, when a row is longer than a piece) a CSV may have.
const MAX_PIECE: usize = 1 << 30;
/// Longest first line (header or title) a CSV may have.
const MAX_FIRST_LINE: usize = 1 << 20;
/// Most columns a CSV may have (the exports have 10–40).
const MAX_COLUMNS: usize = 1000;
/// What to do about a file that is neither UTF-8 nor GBK.
const ENCODING_HINT: &str = "\nhint: save the export as UTF-8 or GBK CSV";
use super::header::HEAD_ROWS;

/// The bytes of a CSV file: mapped from disk, or owned when they had to be changed
/// (decoded from UTF-16, classic Mac line ends).
enum Bytes {
    Mapped(memmap2::Mmap),
    Owned(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(m) => m,
            Bytes::Owned(v) => v,
        }
    }
}

/// A range of a file's bytes, owned: string columns point into it without a copy.
struct Slice(Arc<Bytes>, Range<usize>);

impl AsRef<[u8]> for Slice {
    fn as_ref(&self) -> &[u8] {
        &self.0[self.1.clone()]
    }
}

/// Rows of the file's body parsed together.
#[derive(Debug, Clone)]
pub struct Piece {
    /// Byte range in the text.
    range: Range<usize>,
    pub rows: usize,
    /// Spreadsheet row number of its first row.
    pub first_row: usize,
}

/// A CSV file opened for reading in pieces: encoding, separator, header row and the
/// pieces of its body are known; rows are parsed when a piece is asked for.
pub struct CsvFile {
    pub path: PathBuf,
    bytes: Arc<Bytes>,
    /// Where the text starts in `bytes` (after a byte-order mark).
    start: usize,
    pub encoding: Encoding,
    /// The whole text is valid UTF-8 (checked once, so pieces need no check).
    valid_utf8: bool,
    sep: u8,
    width: usize,
    pub headers: Vec<String>,
    pub pieces: Vec<Piece>,
}

impl CsvFile {
    /// Opens `path`; `is_header` tells whether a normalised text is a known header, to
    /// find the header row under title rows.
    pub fn open(path: &Path, is_header: &dyn Fn(&str) -> bool) -> Result<CsvFile> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let len = file.metadata().map_err(|e| Error::io(path, e))?.len();
        // SAFETY: the map is read-only and lives as long as this struct; a file changed
        // by another program while pingjia reads it can show mixed contents (as a read
        // in parts would), nothing worse on the platforms pingjia supports.
        let bytes = if len == 0 {
            Bytes::Owned(vec![])
        } else {
            Bytes::Mapped(
                unsafe { memmap2::MmapOptions::new().populate().map(&file) }
                    .map_err(|e| Error::io(path, e))?,
            )
        };
        CsvFile::new(path, bytes, is_header)
    }

    /// A CSV file from its bytes; `path` only names it in messages.
    pub fn from_bytes(
        path: &Path,
        bytes: Vec<u8>,
        is_header: &dyn Fn(&str) -> bool,
    ) -> Result<CsvFile> {
        CsvFile::new(path, Bytes::Owned(bytes), is_header)
    }

    fn new(path: &Path, mut bytes: Bytes, is_header: &dyn Fn(&str) -> bool) -> Result<CsvFile> {
        let (mut start, known) = match read::marked(&bytes)
            .map_err(|m| Error::input(path, format!("{m}{ENCODING_HINT}")))?
        {
            read::Mark::Utf8Bom => (3, Some(Encoding::Utf8Bom)),
            read::Mark::Utf16(text) => {
                bytes = Bytes::Owned(text);
                (0, Some(Encoding::Utf16))
            }
            read::Mark::None => (0, None),
        };
        if bytes[start..].iter().all(|b| b.is_ascii_whitespace()) {
            return Err(Error::input(path, "the file is empty: no header row"));
        }
        // Classic Mac exports end lines with CR alone; the parser wants LF.
        if memchr::memchr(b'\n', &bytes[start..]).is_none() && bytes[start..].contains(&b'\r') {
            let text = bytes[start..]
                .iter()
                .map(|b| if *b == b'\r' { b'\n' } else { *b })
                .collect();
            bytes = Bytes::Owned(text);
            start = 0;
        }
        // Excel's hint line `sep=;` names the separator; it is not a row of the table.
        let mut forced_sep = None;
        {
            let text = &bytes[start..];
            let line_end = memchr::memchr(b'\n', text).unwrap_or(text.len());
            let line = text[..line_end]
                .strip_suffix(b"\r")
                .unwrap_or(&text[..line_end]);
            if line.len() == 5 && line[..4].eq_ignore_ascii_case(b"sep=") {
                forced_sep = Some(line[4]);
                start += (line_end + 1).min(text.len());
            }
        }
        let text = &bytes[start..];
        let first_line = text.split(|b| *b == b'\n').next().unwrap_or(&[]);
        if first_line.len() > MAX_FIRST_LINE {
            return Err(Error::input(
                path,
                format!(
                    "row 1 is {} bytes long with no line break (limit {MAX_FIRST_LINE}): this is not a table export\nhint: check that the file was exported as CSV with one row per line",
                    first_line.len()
                ),
            ));
        }
        let sep = forced_sep.unwrap_or_else(|| sniff_separator(first_line));
        let fields = 1 + first_line.iter().filter(|b| **b == sep).count();
        if fields > MAX_COLUMNS {
            return Err(Error::input(
                path,
                format!(
                    "row 1 has {fields} columns (limit {MAX_COLUMNS}): this is not a table export"
                ),
            ));
        }
        if text.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::input(path, "the file is empty: no header row"));
        }
        let (encoding, valid_utf8) = match known {
            Some(Encoding::Utf8Bom) => (Encoding::Utf8Bom, first_non_utf8(text).is_none()),
            Some(e) => (e, true),
            None => guess_encoding(text),
        };
        // The first rows: the header is among them.
        let (head_ends, width) = head(text, sep);
        let head = &text[..*head_ends.last().expect("the text is not blank")];
        let head = match encoding {
            Encoding::Gb18030 => decode_gb18030_lossy(head).0.into_bytes(),
            _ => String::from_utf8_lossy(head).into_owned().into_bytes(),
        };
        let head_columns = parse_rows(&Buffer::from_vec(head), sep, width, head_ends.len());
        let head_rows: Vec<Vec<Option<String>>> = (0..head_ends.len())
            .map(|r| {
                head_columns
                    .iter()
                    .map(|c| c.get(r).map(str::to_owned))
                    .collect()
            })
            .collect();
        let block = super::header::header_block(&head_rows, is_header);
        let header_row = block.last;
        let headers = block.headers.iter().map(|h| h.trim().to_owned()).collect();
        let body = head_ends[header_row];
        let mut first_row = header_row + 2;
        let pieces = piece_ranges(&text[body..], sep, PIECE_BYTES)
            .into_par_iter()
            .map(|(r, rows)| {
                let rows = rows.unwrap_or_else(|| {
                    let piece = &text[body + r.start..body + r.end];
                    memchr::memchr_iter(b'\n', piece).count()
                        + usize::from(piece.last() != Some(&b'\n'))
                });
                (body + r.start..body + r.end, rows)
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|(range, rows)| {
                let piece = Piece {
                    range,
                    rows,
                    first_row,
                };
                first_row += rows;
                piece
            })
            .collect();
        let pieces: Vec<Piece> = pieces;
        // A piece is ~4 MB of whole rows: a longer one ends in one enormous row (the row
        // that crosses the piece's target size is its last). Views address
        // their buffer with u32 offsets, and decoding can grow text up to 3×: 1 GiB keeps
        // every buffer far below 4 GiB.
        if let Some(p) = pieces.iter().find(|p| p.range.len() > MAX_PIECE) {
            return Err(Error::input(
                path,
                format!(
                    "row {} is longer than 1 GiB: this is not a table export\nhint: check that the file was exported as CSV with one row per line",
                    p.first_row + p.rows.max(1) - 1
                ),
            ));
        }
        Ok(CsvFile {
            path: path.to_owned(),
            bytes: Arc::new(bytes),
            start,
            encoding,
            valid_utf8,
            sep,
            width,
            headers,
            pieces,
        })
    }

    fn text(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    /// The rows of `pieces` (indexes into [`CsvFile::pieces`]) as a raw table. A row
    /// with bytes that are invalid in the file's encoding is read with them replaced by
    /// U+FFFD and listed in `bad_rows` (quarantined); a piece where most rows are so is a
    /// file in another encoding, refused.
    pub fn raw(&self, pieces: Range<usize>) -> Result<RawTable> {
        let text = self.text();
        let mut per_column: Vec<Vec<Utf8ViewArray>> = vec![Vec::new(); self.width];
        let mut bad_rows = Vec::new();
        let mut rows_before = 0;
        for piece in &self.pieces[pieces.clone()] {
            let bytes = &text[piece.range.clone()];
            let (arrays, bad) = match self.encoding {
                Encoding::Gb18030 => {
                    let (decoded, bad) = match decode_gb18030(bytes) {
                        Ok(decoded) => (decoded, vec![]),
                        Err(_) => {
                            self.repair(bytes, decode_gb18030, |row| decode_gb18030_lossy(row).0)
                        }
                    };
                    // The decoder asks for room for the worst case (GB18030's four-byte
                    // characters); only the text is kept.
                    let decoded = Buffer::from_vec(decoded.into_bytes().as_slice().to_vec());
                    (parse_rows(&decoded, self.sep, self.width, piece.rows), bad)
                }
                _ if self.valid_utf8 || simdutf8::basic::from_utf8(bytes).is_ok() => {
                    let at = self.start + piece.range.start..self.start + piece.range.end;
                    let slice = Buffer::from_owner(Slice(self.bytes.clone(), at));
                    (parse_rows(&slice, self.sep, self.width, piece.rows), vec![])
                }
                _ => {
                    let utf8 = |row: &[u8]| {
                        std::str::from_utf8(row)
                            .map(str::to_owned)
                            .map_err(|e| e.valid_up_to())
                    };
                    let lossy = |row: &[u8]| String::from_utf8_lossy(row).into_owned();
                    let (repaired, bad) = self.repair(bytes, utf8, lossy);
                    let buffer = Buffer::from_vec(repaired.into_bytes());
                    (parse_rows(&buffer, self.sep, self.width, piece.rows), bad)
                }
            };
            if bad.len() >= 10 && bad.len() * 5 > piece.rows {
                let (_, at) = bad[0];
                return Err(Error::input(
                    &self.path,
                    format!(
                        "{}{ENCODING_HINT}",
                        read::not_text(text, piece.range.start + at)
                    ),
                ));
            }
            let name = match self.encoding {
                Encoding::Gb18030 => "GBK/GB18030",
                _ => "UTF-8",
            };
            bad_rows.extend(bad.into_iter().map(|(row, at)| {
                (
                    rows_before + row,
                    Reason::new(
                        Problem::BadEncoding,
                        format!(
                            "含有不是{name}编码的字节 bytes invalid in {name} (byte {}): text in another encoding pasted in? the row is read with them shown as �",
                            self.start + piece.range.start + at
                        ),
                    ),
                )
            }));
            rows_before += piece.rows;
            for (column, array) in per_column.iter_mut().zip(arrays) {
                column.push(array);
            }
        }
        let columns = per_column
            .into_iter()
            .zip(&self.headers)
            .map(|(arrays, header)| {
                if arrays.is_empty() {
                    StringChunked::full_null(header.into(), 0)
                } else {
                    StringChunked::from_chunk_iter(header.into(), arrays)
                }
            })
            .collect::<Vec<_>>();
        Ok(RawTable {
            path: self.path.clone(),
            format: read::Format::Csv,
            encoding: self.encoding,
            sheet: None,
            headers: self.headers.clone(),
            typed: vec![None; columns.len()],
            columns,
            first_row: self.pieces.get(pieces.start).map_or(2, |p| p.first_row),
            bad_rows,
            warnings: vec![],
        })
    }

    /// A piece decoded row by row: rows `decode` refuses are decoded by `lossy` and
    /// listed with the offset (in the piece) of their first bad byte.
    fn repair(
        &self,
        piece: &[u8],
        decode: impl Fn(&[u8]) -> std::result::Result<String, usize>,
        lossy: impl Fn(&[u8]) -> String,
    ) -> (String, Vec<(usize, usize)>) {
        let mut text = String::with_capacity(piece.len() + piece.len() / 8);
        let mut bad = Vec::new();
        let (mut pos, mut row) = (0, 0);
        while pos < piece.len() {
            let end = walk_row(piece, pos, self.sep, |_| ()).min(piece.len());
            match decode(&piece[pos..end]) {
                Ok(t) => text.push_str(&t),
                Err(at) => {
                    bad.push((row, pos + at));
                    text.push_str(&lossy(&piece[pos..end]));
                }
            }
            pos = end;
            row += 1;
        }
        (text, bad)
    }
}

/// Where each of the first rows ends, and the most fields any of them has: the table's
/// width (title rows and the header are among them).
fn head(text: &[u8], sep: u8) -> (Vec<usize>, usize) {
    let mut ends = Vec::with_capacity(HEAD_ROWS);
    let mut width = 1;
    let mut pos = 0;
    while ends.len() < HEAD_ROWS && pos < text.len() {
        let mut fields = 0;
        pos = walk_row(text, pos, sep, |_| fields += 1).min(text.len());
        width = width.max(fields);
        ends.push(pos);
    }
    (ends, width)
}

/// The frame with its strings copied out of the piece they were parsed from: a decoded
/// GB18030 piece is memory of its own (unlike a mapped file), not to be kept whole for
/// the few strings a table keeps of it.
pub fn own_strings(frame: DataFrame) -> Result<DataFrame> {
    let columns = frame
        .columns()
        .iter()
        .map(|c| match c.dtype() {
            DataType::String => {
                let ca = c.as_materialized_series().str().expect("a string column");
                let owned = ca.downcast_iter().map(|a| a.clone().gc());
                StringChunked::from_chunk_iter(ca.name().clone(), owned)
                    .into_series()
                    .into()
            }
            _ => c.clone(),
        })
        .collect();
    DataFrame::new(frame.height(), columns).context("copying strings")
}

/// Comma unless the header line has more tabs or semicolons.
fn sniff_separator(line: &[u8]) -> u8 {
    let count = |c: u8| line.iter().filter(|b| **b == c).count();
    [b',', b'\t', b';']
        .into_iter()
        .max_by_key(|c| (count(*c), *c == b','))
        .unwrap_or(b',')
}

/// The offset of the first byte that is not UTF-8, checked in parallel: the text is cut
/// after line feeds, which never fall inside a UTF-8 character.
fn first_non_utf8(text: &[u8]) -> Option<usize> {
    line_cuts(text, PIECE_BYTES)
        .par_iter()
        .map(|r| {
            simdutf8::compat::from_utf8(&text[r.clone()])
                .err()
                .map(|e| r.start + e.valid_up_to())
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .next()
}

/// The encoding of a text without a byte-order mark, and whether all of it is valid
/// UTF-8. UTF-8 unless some byte is not; then UTF-8 still when lines of valid
/// multi-byte UTF-8 outnumber the invalid ones (a GBK name pasted into a UTF-8 export:
/// its rows are quarantined), else GB18030 (in a GBK file almost no line of Chinese text
/// is valid UTF-8 by chance).
fn guess_encoding(text: &[u8]) -> (Encoding, bool) {
    let Some(at) = first_non_utf8(text) else {
        return (Encoding::Utf8, true);
    };
    let window = &text[..text.len().min(at + PIECE_BYTES * 2)];
    let (mut bad, mut good) = (0usize, 0usize);
    for line in window.split(|b| *b == b'\n') {
        if line.is_ascii() {
            continue;
        }
        if simdutf8::basic::from_utf8(line).is_ok() {
            good += 1;
        } else {
            bad += 1;
        }
    }
    if good > bad {
        (Encoding::Utf8, false)
    } else {
        (Encoding::Gb18030, false)
    }
}

/// GB18030 text with undecodable bytes as U+FFFD, and whether there were any.
fn decode_gb18030_lossy(bytes: &[u8]) -> (String, bool) {
    let (text, _, had_errors) = encoding_rs::GB18030.decode(bytes);
    (text.into_owned(), had_errors)
}

/// `text` cut after the first line feed past every `target` bytes (whole lines; whole
/// rows when no field is quoted).
fn line_cuts(text: &[u8], target: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::with_capacity(text.len() / target + 1);
    let mut start = 0;
    while start < text.len() {
        let end = match memchr::memchr(b'\n', &text[(start + target).min(text.len())..]) {
            Some(i) if start + target < text.len() => start + target + i + 1,
            _ => text.len(),
        };
        ranges.push(start..end);
        start = end;
    }
    ranges
}

/// Decodes GB18030 text (one piece, or a whole file); `Err` holds the offset of the
/// first bad byte.
pub(super) fn decode_gb18030(bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len() * 2);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut text, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(text),
        encoding_rs::DecoderResult::Malformed(bad, extra) => {
            Err(read.saturating_sub(bad as usize + extra as usize))
        }
        // The capacity is the decoder's own bound for the whole input.
        encoding_rs::DecoderResult::OutputFull => unreachable!("output sized for the input"),
    }
}

/// Splits `text` into ranges of whole rows of about `target` bytes, with their number of
/// rows when the split had to count them (quoted fields), else `None` (one per LF).
fn piece_ranges(text: &[u8], sep: u8, target: usize) -> Vec<(Range<usize>, Option<usize>)> {
    if memchr::memchr(b'"', text).is_none() {
        // No quotes: every line feed ends a row.
        return line_cuts(text, target)
            .into_iter()
            .map(|r| (r, None))
            .collect();
    }
    // Quoted fields may hold line feeds: walk the rows (still cheap: memchr jumps).
    let mut ranges = Vec::with_capacity(text.len() / target + 1);
    let (mut start, mut pos, mut rows) = (0, 0, 0);
    while pos < text.len() {
        pos = walk_row(text, pos, sep, |_| ()).min(text.len());
        rows += 1;
        if pos - start >= target || pos >= text.len() {
            ranges.push((start..pos, Some(rows)));
            start = pos;
            rows = 0;
        }
    }
    ranges
}

/// One field of a row.
enum Field {
    /// Unquoted: the bytes of the text.
    Plain(Range<usize>),
    /// Quoted: the bytes between the quotes, and whether `""` must be unescaped.
    Quoted(Range<usize>, bool, Range<usize>),
}

/// Walks the row starting at `pos`, calling `each` for every field; returns the start of
/// the next row.
fn walk_row(text: &[u8], mut pos: usize, sep: u8, mut each: impl FnMut(Field)) -> usize {
    loop {
        if text.get(pos) == Some(&b'"') {
            // Quoted: to the quote that is not doubled.
            let open = pos + 1;
            let mut i = open;
            let mut escaped = false;
            let close = loop {
                match memchr::memchr(b'"', &text[i..]) {
                    Some(j) if text.get(i + j + 1) == Some(&b'"') => {
                        escaped = true;
                        i += j + 2;
                    }
                    Some(j) => break i + j,
                    None => break text.len(),
                }
            };
            // A quote that does not close within STRAY_QUOTE bytes, across line breaks, is a
            // stray one (a typo, a damaged byte): read the field as plain text, so one
            // character cannot swallow the rest of the file.
            if close - open > STRAY_QUOTE && memchr::memchr(b'\n', &text[open..close]).is_some() {
                let end =
                    pos + memchr::memchr2(sep, b'\n', &text[pos..]).unwrap_or(text.len() - pos);
                let stop = if text.get(end) == Some(&b'\n') && end > pos && text[end - 1] == b'\r' {
                    end - 1
                } else {
                    end
                };
                each(Field::Plain(pos..stop));
                if text.get(end) == Some(&sep) {
                    pos = end + 1;
                    continue;
                }
                return end + 1;
            }
            // Text after the closing quote, up to the separator, is kept as it stands.
            let after = (close + 1).min(text.len());
            let end =
                after + memchr::memchr2(sep, b'\n', &text[after..]).unwrap_or(text.len() - after);
            let tail_end = if text.get(end) == Some(&b'\n') && end > after && text[end - 1] == b'\r'
            {
                end - 1
            } else {
                end
            };
            each(Field::Quoted(open..close, escaped, after..tail_end));
            if text.get(end) == Some(&sep) {
                pos = end + 1;
                continue;
            }
            return end + 1;
        }
        let end = pos + memchr::memchr2(sep, b'\n', &text[pos..]).unwrap_or(text.len() - pos);
        if text.get(end) == Some(&sep) {
            each(Field::Plain(pos..end));
            pos = end + 1;
            continue;
        }
        // Row end: drop the CR of a CRLF.
        let stop = if end > pos && text[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        each(Field::Plain(pos..stop));
        return end + 1;
    }
}

/// Parses whole UTF-8 rows (`rows` of them, for the capacity) into `width`
/// columns. The strings are not copied: each column's views point into `text` itself
/// (only a quoted field with `""` or text after its closing quote is written out anew).
fn parse_rows(text: &Buffer<u8>, sep: u8, width: usize, rows: usize) -> Vec<Utf8ViewArray> {
    let bytes: &[u8] = text;
    // Views address a buffer with u32 offsets: `CsvFile::new` refuses pieces over 1 GiB,
    // which decode to less than 4 GiB.
    assert!(
        bytes.len() <= u32::MAX as usize,
        "pieces are at most {MAX_PIECE} bytes"
    );
    struct Column {
        views: Vec<View>,
        valid: MutableBitmap,
        /// Quoted texts that had to be unescaped (buffer 1).
        unescaped: Vec<u8>,
    }
    let mut columns: Vec<Column> = (0..width)
        .map(|_| Column {
            views: Vec::with_capacity(rows),
            valid: MutableBitmap::with_capacity(rows),
            unescaped: Vec::new(),
        })
        .collect();
    let mut pos = 0;
    while pos < bytes.len() {
        let mut col = 0;
        pos = walk_row(bytes, pos, sep, |field| {
            if let Some(c) = columns.get_mut(col) {
                let view = match field {
                    Field::Plain(r) if r.is_empty() => None,
                    Field::Plain(r) => {
                        Some(View::new_from_bytes(&bytes[r.clone()], 0, r.start as u32))
                    }
                    Field::Quoted(r, escaped, tail) if !escaped && tail.is_empty() => {
                        Some(View::new_from_bytes(&bytes[r.clone()], 0, r.start as u32))
                    }
                    Field::Quoted(r, _, tail) => {
                        let start = c.unescaped.len();
                        let mut rest = &bytes[r];
                        while let Some(q) = memchr::memchr(b'"', rest) {
                            // `""` → `"`
                            c.unescaped.extend_from_slice(&rest[..=q]);
                            rest = rest.get(q + 2..).unwrap_or(&[]);
                        }
                        c.unescaped.extend_from_slice(rest);
                        c.unescaped.extend_from_slice(&bytes[tail]);
                        Some(View::new_from_bytes(&c.unescaped[start..], 1, start as u32))
                    }
                };
                c.views.push(view.unwrap_or_default());
                c.valid.push(view.is_some());
            }
            col += 1;
        });
        for c in columns.iter_mut().skip(col) {
            c.views.push(View::default());
            c.valid.push(false);
        }
    }
    columns
        .into_iter()
        .map(|c| {
            let total = text.len() + c.unescaped.len();
            let buffers: Buffer<Buffer<u8>> =
                vec![text.clone(), Buffer::from_vec(c.unescaped)].into();
            let valid: Bitmap = c.valid.into();
            let validity = (valid.unset_bits() > 0).then_some(valid);
            // SAFETY: every view was made by `View::new_from_bytes` from the bytes it points
            // at (buffer 0 is `text`, buffer 1 the unescaped texts, at the offsets given),
            // and those bytes are UTF-8: `text` is, and each field starts and ends at an
            // ASCII byte (separator, quote, CR, LF) or at an end of `text`.
            unsafe {
                Utf8ViewArray::new_unchecked(
                    ArrowDataType::Utf8View,
                    c.views.into(),
                    buffers,
                    validity,
                    None,
                    total,
                )
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Cursor;

    /// Polars' own CSV reader, as pingjia used it before this parser: the oracle.
    fn polars_columns(text: &[u8], sep: u8) -> Vec<Vec<Option<String>>> {
        let df = CsvReadOptions::default()
            .with_has_header(false)
            .with_infer_schema_length(Some(0))
            .with_raise_if_empty(false)
            .map_parse_options(|o| o.with_separator(sep).with_truncate_ragged_lines(true))
            .into_reader_with_file_handle(Cursor::new(text.to_vec()))
            .finish()
            .unwrap();
        df.columns()
            .iter()
            .map(|c| {
                c.as_materialized_series()
                    .str()
                    .unwrap()
                    .iter()
                    .map(|v| v.map(str::to_owned))
                    .collect()
            })
            .collect()
    }

    fn ours(text: &[u8], sep: u8, chunk: usize) -> Vec<Vec<Option<String>>> {
        let width = head(text, sep).1;
        let mut out = vec![vec![]; width];
        for (r, rows) in piece_ranges(text, sep, chunk) {
            let lines = memchr::memchr_iter(b'\n', &text[r.clone()]).count()
                + usize::from(text[r.clone()].last() != Some(&b'\n'));
            assert_eq!(
                rows.unwrap_or(lines),
                parse_rows(&Buffer::from_vec(text[r.clone()].to_vec()), sep, width, 1)[0].len()
            );
            for (col, array) in out.iter_mut().zip(parse_rows(
                &Buffer::from_vec(text[r].to_vec()),
                sep,
                width,
                1,
            )) {
                col.extend(array.iter().map(|v| v.map(str::to_owned)));
            }
        }
        out
    }

    /// Cells of a generated table: separators, quotes, line breaks, CJK, blanks.
    fn cell() -> impl Strategy<Value = String> {
        proptest::string::string_regex("([a-z0-9 ]|,|;|\"|\r\n|\n|办件|受理|满意)*")
            .unwrap()
            .prop_map(|s| s.chars().take(12).collect())
    }

    /// A CSV as an export writes it: the first row is the widest, quoted when needed
    /// (and sometimes when not), LF or CRLF, with or without a final line break.
    fn table() -> impl Strategy<Value = (String, u8)> {
        (1usize..6, prop::sample::select(vec![b',', b';', b'\t']))
            .prop_flat_map(|(width, sep)| {
                (
                    prop::collection::vec(
                        prop::collection::vec((cell(), any::<bool>()), 1..=width),
                        1..12,
                    ),
                    Just(width),
                    Just(sep),
                    any::<bool>(),
                    any::<bool>(),
                )
            })
            .prop_map(|(mut rows, width, sep, crlf, final_break)| {
                rows[0].resize(width, ("h".into(), false));
                let sep_char = sep as char;
                let lines: Vec<String> = rows
                    .iter()
                    .map(|row| {
                        row.iter()
                            .map(|(c, force)| {
                                if *force || c.contains([sep_char, '"', '\n', '\r']) {
                                    format!("\"{}\"", c.replace('"', "\"\""))
                                } else {
                                    c.clone()
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(&sep_char.to_string())
                    })
                    .collect();
                let eol = if crlf { "\r\n" } else { "\n" };
                let mut text = lines.join(eol);
                if final_break {
                    text.push_str(eol);
                }
                (text, sep)
            })
    }

    proptest! {
        /// Any cutting into pieces gives what Polars' reader gives, cell for cell.
        #[test]
        fn parses_like_polars((text, sep) in table(), chunk in 1usize..64) {
            // read_csv turns away blank files before parsing.
            prop_assume!(!text.bytes().all(|b| b.is_ascii_whitespace()));
            let expected = polars_columns(text.as_bytes(), sep);
            prop_assert_eq!(ours(text.as_bytes(), sep, chunk), expected);
        }
    }

    #[test]
    fn quotes_blank_rows_and_crlf() {
        let text = "a,b,c\r\n\r\n\"\",\"x\"\"y\",\"p\r\nq\"\r\ne\"f,g\r\n1,2,3,4";
        let none = None::<String>;
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            ours(text.as_bytes(), b',', 1),
            vec![
                vec![s("a"), none.clone(), s(""), s("e\"f"), s("1")],
                vec![s("b"), none.clone(), s("x\"y"), s("g"), s("2")],
                vec![s("c"), none.clone(), s("p\r\nq"), none.clone(), s("3")],
                // The widest of the first rows sets the width: a fourth field is kept.
                vec![none.clone(), none.clone(), none.clone(), none, s("4")],
            ]
        );
    }

    fn known(h: &str) -> bool {
        ["办件编号", "受理部门"].contains(&h)
    }

    /// A row too long for the views' u32 offsets, after row 1, is refused with its row
    /// number instead of reaching the assert in `parse_rows`.
    #[test]
    fn an_enormous_row_after_the_header_is_refused_by_number() {
        let mut bytes = b"\xe5\x8a\x9e\xe4\xbb\xb6\xe7\xbc\x96\xe5\x8f\xb7,x\nA1,1\nA2,".to_vec();
        bytes.resize(bytes.len() + MAX_PIECE + 1, b'y');
        bytes.extend_from_slice(b"\nA3,1\n");
        let e = CsvFile::from_bytes(Path::new("cases.csv"), bytes, &known)
            .err()
            .expect("refused");
        let e = e.to_string();
        assert!(
            e.contains("cases.csv") && e.contains("row 3 is longer than 1 GiB"),
            "{e}"
        );
    }

    #[test]
    fn gbk_pieces_decode_alone_and_number_their_rows() {
        let mut text = String::from("淄博市办件明细表,,\n办件编号,受理部门\n");
        for i in 0..300_000 {
            text.push_str(&format!("A{i},市场监管局\n"));
        }
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cases.csv");
        std::fs::write(&path, &gbk).unwrap();
        let file = CsvFile::open(&path, &known).unwrap();
        assert_eq!(file.encoding, Encoding::Gb18030);
        assert_eq!(file.headers, ["办件编号", "受理部门", ""]);
        assert!(file.pieces.len() > 1, "several pieces");
        assert_eq!(file.pieces.iter().map(|p| p.rows).sum::<usize>(), 300_000);
        // Title row 1, header row 2: data from row 3, numbered on across pieces.
        let last = file.pieces.len() - 1;
        let raw = file.raw(last..last + 1).unwrap();
        let rows = raw.height();
        assert_eq!(raw.first_row + rows - 1, 300_002);
        assert_eq!(raw.columns[0].get(rows - 1), Some("A299999"));
        let all = file.raw(0..file.pieces.len()).unwrap();
        assert_eq!(all.first_row, 3);
        assert_eq!(all.columns[0].get(0), Some("A0"));
        assert!(all.columns[1].iter().all(|v| v == Some("市场监管局")));
        assert_eq!(all.columns[2].null_count(), 300_000);
    }

    #[test]
    fn a_row_of_gbk_bytes_in_a_utf8_file_is_listed_not_fatal() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend("办件编号,受理部门\nA1,市场监管局\n".as_bytes());
        let (gbk, _, _) = encoding_rs::GBK.encode("A2,民政局\n");
        bytes.extend(gbk.iter());
        bytes.extend("A3,人社局\n".as_bytes());
        let file = CsvFile::from_bytes(Path::new("cases.csv"), bytes, &known).unwrap();
        assert_eq!(file.encoding, Encoding::Utf8Bom);
        let raw = file.raw(0..file.pieces.len()).unwrap();
        assert_eq!(raw.height(), 3);
        assert_eq!(raw.bad_rows.len(), 1);
        assert_eq!(raw.bad_rows[0].0, 1, "the second data row");
        assert_eq!(raw.bad_rows[0].1.problem, Problem::BadEncoding);
        assert_eq!(raw.columns[0].get(1), Some("A2"));
        assert_eq!(raw.columns[1].get(2), Some("人社局"));
        // Without a byte-order mark, a UTF-8 file with one GBK row is still UTF-8.
        let mut bytes = "办件编号,受理部门\nA1,市场监管局\nA3,人社局\n"
            .as_bytes()
            .to_vec();
        bytes.extend(gbk.iter());
        let file = CsvFile::from_bytes(Path::new("cases.csv"), bytes, &known).unwrap();
        assert_eq!(file.encoding, Encoding::Utf8);
        assert_eq!(file.raw(0..1).unwrap().bad_rows[0].0, 2);
    }

    #[test]
    fn excel_separator_hint_line() {
        let file = CsvFile::from_bytes(
            Path::new("cases.csv"),
            "sep=;\r\n办件编号;受理部门;;\r\nA1;市场监管局;;\r\n"
                .as_bytes()
                .to_vec(),
            &known,
        )
        .unwrap();
        assert_eq!(file.headers[..2], ["办件编号", "受理部门"]);
        let raw = file.raw(0..1).unwrap();
        assert_eq!(raw.first_row, 2, "the hint line is no row, as in Excel");
        assert_eq!(raw.columns[1].get(0), Some("市场监管局"));
    }

    #[test]
    fn a_stray_quote_does_not_swallow_the_rest_of_the_file() {
        let mut text = String::from("a,b\n\"x,1\n");
        for i in 0..10_000 {
            text.push_str(&format!("r{i},{i}\n"));
        }
        let cols = ours(text.as_bytes(), b',', 1 << 20);
        assert_eq!(cols[0].len(), 10_002, "every line is a row");
        assert_eq!(cols[0][1].as_deref(), Some("\"x"));
        assert_eq!(cols[1][10_001].as_deref(), Some("9999"));
    }
}
