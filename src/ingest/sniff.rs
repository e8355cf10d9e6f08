//! What a file holds, told from its bytes, never from its name: offices send HTML pages
//! and SpreadsheetML 2003 XML named `.xls`, CSV named `.xlsx`, and Word documents among
//! the exports. A file that holds no table is named with what it looks like, so the user
//! knows why it was not read.

use std::io::Read;
use std::path::Path;

use super::read::Format;
use crate::error::{Error, Result};

/// Bytes looked at to tell a text file's kind.
const HEAD: usize = 64 * 1024;

/// What a file is: a table in one of the readable formats, or something else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    Table(Format),
    /// Not a table export; the words say what it looks like (`a Word document (.doc)`).
    NotData(&'static str),
    /// A workbook that cannot be opened without its password.
    Encrypted,
}

/// Tells what `path` holds from its first bytes (and, for zip and OLE containers, from
/// the names inside).
pub fn sniff(path: &Path) -> Result<Sniffed> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(HEAD);
    (&mut file)
        .take(HEAD as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    Ok(match head.as_slice() {
        [] => Sniffed::Table(Format::Csv),
        [b'P', b'K', 3, 4, ..] => zip_kind(path),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => ole_kind(path),
        [b'P', b'A', b'R', b'1', ..] => Sniffed::Table(Format::Parquet),
        [b'%', b'P', b'D', b'F', ..] => Sniffed::NotData("a PDF document"),
        [0x89, b'P', b'N', b'G', ..] | [0xFF, 0xD8, 0xFF, ..] | [b'G', b'I', b'F', b'8', ..] => {
            Sniffed::NotData("an image")
        }
        [b'{', b'\\', b'r', b't', b'f', ..] => Sniffed::NotData("an RTF document"),
        [0x1F, 0x8B, ..] => Sniffed::NotData("a gzip archive (unpack it first)"),
        [b'R', b'a', b'r', b'!', ..] | [b'7', b'z', 0xBC, 0xAF, ..] => {
            Sniffed::NotData("a compressed archive (unpack it first)")
        }
        _ => text_kind(&head),
    })
}

/// A zip container: XLSX/XLSM, XLSB, ODS — or a Word or PowerPoint file, or a plain zip.
fn zip_kind(path: &Path) -> Sniffed {
    let Ok(file) = std::fs::File::open(path) else {
        return Sniffed::Table(Format::Xlsx);
    };
    let Ok(mut archive) = zip::ZipArchive::new(file) else {
        // Damaged or truncated: the XLSX reader says so in its own words.
        return Sniffed::Table(Format::Xlsx);
    };
    let has = |a: &zip::ZipArchive<std::fs::File>, name: &str| a.file_names().any(|n| n == name);
    if has(&archive, "xl/workbook.xml") {
        return Sniffed::Table(Format::Xlsx);
    }
    if has(&archive, "xl/workbook.bin") {
        return Sniffed::Table(Format::Xlsb);
    }
    if archive.file_names().any(|n| n.starts_with("xl/")) {
        // An XLSX without its workbook part: damaged (or worse); the XLSX reader's own
        // checks say which.
        return Sniffed::Table(Format::Xlsx);
    }
    if has(&archive, "word/document.xml") {
        return Sniffed::NotData("a Word document (.docx)");
    }
    if archive.file_names().any(|n| n.starts_with("ppt/")) {
        return Sniffed::NotData("a PowerPoint file");
    }
    let mut mimetype = String::new();
    if let Ok(entry) = archive.by_name("mimetype") {
        let _ = entry.take(200).read_to_string(&mut mimetype);
    }
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.spreadsheet" => Sniffed::Table(Format::Ods),
        m if m.starts_with("application/vnd.oasis.opendocument") => {
            Sniffed::NotData("an OpenDocument file that is not a spreadsheet")
        }
        _ => Sniffed::NotData("a zip archive, not a spreadsheet (unpack it first)"),
    }
}

/// An OLE compound file: a legacy `.xls`, a password-protected OOXML workbook, or a Word
/// or PowerPoint file.
fn ole_kind(path: &Path) -> Sniffed {
    let Ok(ole) = cfb::open(path) else {
        return Sniffed::Table(Format::Xls);
    };
    let has = |name: &str| ole.exists(name);
    if has("/EncryptedPackage") || has("/EncryptionInfo") {
        Sniffed::Encrypted
    } else if has("/Workbook") || has("/Book") {
        Sniffed::Table(Format::Xls)
    } else if has("/WordDocument") {
        Sniffed::NotData("a Word document (.doc)")
    } else if has("/PowerPoint Document") {
        Sniffed::NotData("a PowerPoint file")
    } else {
        Sniffed::NotData("an Office file that is not a spreadsheet")
    }
}

/// A text file: SpreadsheetML 2003 or an HTML table (the fake `.xls` of web systems),
/// NDJSON, a JSON array, or CSV; or binary data of no known kind.
fn text_kind(head: &[u8]) -> Sniffed {
    let text = match super::read::marked(head) {
        Ok(super::read::Mark::Utf16(decoded)) => decoded,
        _ => head.to_vec(),
    };
    let body = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&text);
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    let body = &body[start..];
    if body.iter().take(4096).any(|b| *b == 0) {
        return Sniffed::NotData("binary data of an unknown kind");
    }
    match body.first() {
        Some(b'<') => {
            let lower: Vec<u8> = body.iter().map(u8::to_ascii_lowercase).collect();
            let contains = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
            if contains(b"urn:schemas-microsoft-com:office:spreadsheet")
                || contains(b"progid=\"excel.sheet\"")
            {
                Sniffed::Table(Format::SpreadsheetMl)
            } else if contains(b"<table") || contains(b"<tr") {
                Sniffed::Table(Format::Html)
            } else {
                Sniffed::NotData("an HTML or XML document without a table")
            }
        }
        Some(b'{') => Sniffed::Table(Format::Ndjson),
        Some(b'[') => Sniffed::Table(Format::Json),
        _ => Sniffed::Table(Format::Csv),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniffed(bytes: &[u8]) -> Sniffed {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("export.xls");
        std::fs::write(&p, bytes).unwrap();
        sniff(&p).unwrap()
    }

    #[test]
    fn text_formats_by_content() {
        assert_eq!(
            sniffed("办件编号,受理时间\n".as_bytes()),
            Sniffed::Table(Format::Csv)
        );
        assert_eq!(
            sniffed(b"\xEF\xBB\xBF  <html><body><TABLE><tr><td>a</td></tr></TABLE>"),
            Sniffed::Table(Format::Html)
        );
        assert_eq!(
            sniffed(
                b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook>"
            ),
            Sniffed::Table(Format::SpreadsheetMl)
        );
        assert_eq!(sniffed(b"{\"a\":1}\n"), Sniffed::Table(Format::Ndjson));
        assert_eq!(sniffed(b"%PDF-1.7"), Sniffed::NotData("a PDF document"));
        assert_eq!(
            sniffed(b"<html><body>hello</body></html>"),
            Sniffed::NotData("an HTML or XML document without a table")
        );
        assert_eq!(
            sniffed(&[0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07]),
            Sniffed::NotData("binary data of an unknown kind")
        );
    }
}
