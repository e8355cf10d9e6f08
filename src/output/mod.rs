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
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
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
        return Err(Error::io(path, e));
    }
    Ok(())
}

fn temporary_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.partial", std::process::id()));
    path.with_file_name(name)
}

/// CSV in UTF-8 with a byte-order mark, so Excel and WPS open it in Chinese.
pub fn write_csv(path: &Path, df: &mut DataFrame) -> Result<()> {
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_bom(true)
        .include_header(true)
        .finish(df)
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
pub mod run;
