//! Output writers: the only place pingjia writes files. Every file is written to a
//! temporary name beside its destination and renamed into place, so an interrupted run
//! never leaves a half-written file under a final name.

use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, PolarsContext, Result};

/// Writes bytes atomically (temporary file, then rename).
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> std::io::Result<()>,
) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    }
    let tmp = temporary_name(path);
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        write(&mut f)?;
        f.flush()?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::output(path, e));
    }
    Ok(())
}

/// `name.<pid>.partial` beside `path`: never mistaken for a finished output.
pub(crate) fn temporary_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.partial", std::process::id()));
    path.with_file_name(name)
}

/// A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR)
/// gets a leading `'`, so opening the CSV in Excel or WPS never executes it.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// CSV in UTF-8 with a byte-order mark, so Excel and WPS open it in Chinese. Text
/// cells are formula-neutralised.
pub fn write_csv(path: &Path, df: &mut DataFrame) -> Result<()> {
    let mut safe = df.clone();
    for name in df.get_column_names_owned() {
        let column = df.column(&name).context("csv")?;
        if let Ok(text) = column.str() {
            if text
                .iter()
                .flatten()
                .any(|v| matches!(neutralise_formula(v), std::borrow::Cow::Owned(_)))
            {
                let fixed: StringChunked = text.iter().map(|v| v.map(neutralise_formula)).collect();
                safe.with_column(fixed.with_name(name.clone()).into_column())
                    .context("csv")?;
            }
        }
    }
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_bom(true)
        .include_header(true)
        // As Excel and WPS read a time, not ISO 8601 with a T and milliseconds.
        .with_datetime_format(Some("%Y-%m-%d %H:%M:%S".into()))
        .finish(&mut safe)
        .context(format!("writing {}", path.display()))?;
    write_atomic(path, |f| f.write_all(&buf))
}

/// Pretty JSON of any serialisable value.
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(|e| Error::Usage(e.to_string()))?;
    write_atomic(path, |f| {
        f.write_all(text.as_bytes())
            .and_then(|_| f.write_all(b"\n"))
    })
}

/// Parquet.
pub fn write_parquet(path: &Path, df: &mut DataFrame) -> Result<()> {
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .finish(df)
        .context(format!("writing {}", path.display()))?;
    write_atomic(path, |f| f.write_all(&buf))
}

pub mod progress;
/// Writes a table as CSV (UTF-8 with BOM), Parquet, JSON and Arrow IPC.
pub fn write_table(dir: &Path, stem: &str, df: &mut DataFrame) -> Result<Vec<PathBuf>> {
    // One chunk per column: the files' layout does not depend on thread timing.
    df.rechunk_mut();
    let csv = dir.join(format!("{stem}.csv"));
    write_csv(&csv, df)?;
    let parquet = dir.join(format!("{stem}.parquet"));
    write_parquet(&parquet, df)?;
    let json = dir.join(format!("{stem}.json"));
    let mut buf = Vec::new();
    JsonWriter::new(&mut buf)
        .with_json_format(JsonFormat::Json)
        .finish(df)
        .context("writing JSON")?;
    write_atomic(&json, |f| f.write_all(&buf))?;
    let arrow = dir.join(format!("{stem}.arrow"));
    let mut buf = Vec::new();
    IpcWriter::new(&mut buf)
        .with_compat_level(CompatLevel::oldest())
        .finish(df)
        .context("writing Arrow IPC")?;
    write_atomic(&arrow, |f| f.write_all(&buf))?;
    Ok(vec![csv, parquet, json, arrow])
}

pub mod people;
pub mod run;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("-2+3"), "'-2+3");
        assert_eq!(neutralise_formula("张店区"), "张店区");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut df = df! { "name" => ["=1+1", "ok"], "n" => [1, -2] }.unwrap();
        write_csv(&path, &mut df).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text, "\u{feff}name,n\n'=1+1,1\nok,-2\n",
            "numbers stay numbers"
        );
    }
}
