//! Where generated rows go: CSV text with Chinese headers, or canonical typed Parquet in
//! chunks (through the same validation as an export). Each writes a temporary file and
//! renames it at the end.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::SampleOptions;
use crate::error::{Error, Result};

/// Where rows go: CSV text with Chinese headers, or canonical Parquet in chunks.
pub(super) trait Sink {
    fn row(&mut self, fields: Vec<String>) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<()>;
}

/// Rows go to a temporary file renamed to `path` by `finish`: an interrupted run never
/// leaves a cases.csv that looks complete.
struct CsvSink {
    path: PathBuf,
    tmp: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
}

impl CsvSink {
    fn create(path: &Path, headers: &[&str]) -> Result<Self> {
        let tmp = crate::output::temporary_name(path);
        let file = std::fs::File::create(&tmp).map_err(|e| Error::output(&tmp, e))?;
        let mut s = CsvSink {
            tmp,
            path: path.to_owned(),
            file: std::io::BufWriter::with_capacity(1 << 20, file),
        };
        s.file
            .write_all(b"\xEF\xBB\xBF")
            .map_err(|e| Error::output(path, e))?;
        s.row(headers.iter().map(|h| h.to_string()).collect())?;
        Ok(s)
    }
}

impl Sink for CsvSink {
    fn row(&mut self, fields: Vec<String>) -> Result<()> {
        let line: Vec<String> = fields
            .into_iter()
            .map(|f| {
                if f.contains([',', '"', '\n']) {
                    format!("\"{}\"", f.replace('"', "\"\""))
                } else {
                    f
                }
            })
            .collect();
        writeln!(self.file, "{}", line.join(",")).map_err(|e| Error::output(&self.path, e))
    }
    fn finish(mut self: Box<Self>) -> Result<()> {
        self.file
            .flush()
            .map_err(|e| Error::output(&self.path, e))?;
        std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::output(&self.path, e))
    }
}

/// Canonical Parquet: docs/SPEC.md §2 column names and types, values as ingest makes them (each
/// chunk of text rows goes through the same validation as an export), so other engines
/// read it as it is.
struct ParquetSink {
    path: PathBuf,
    table: crate::schema::Table,
    settings: crate::settings::Settings,
    /// Written here, renamed to `path` by `finish`.
    tmp: PathBuf,
    headers: Vec<String>,
    buffer: Vec<Vec<String>>,
    writer: Option<polars::io::parquet::write::BatchedWriter<std::fs::File>>,
}

const PARQUET_CHUNK: usize = 1 << 20;

impl ParquetSink {
    fn create(path: &Path, table: crate::schema::Table, headers: Vec<String>) -> Result<Self> {
        Ok(ParquetSink {
            path: path.to_owned(),
            table,
            settings: crate::settings::Settings::load(&Default::default())?,
            tmp: crate::output::temporary_name(path),
            headers,
            buffer: Vec::new(),
            writer: None,
        })
    }
    fn flush(&mut self) -> Result<()> {
        use polars::prelude::*;
        if self.buffer.is_empty() {
            return Ok(());
        }
        let columns: Vec<polars::prelude::Column> = self
            .headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                StringChunked::from_iter_options(
                    h.into(),
                    self.buffer
                        .iter()
                        .map(|r| Some(r[i].as_str()).filter(|s| !s.is_empty())),
                )
                .into_series()
                .into()
            })
            .collect();
        let text = DataFrame::new(self.buffer.len(), columns)
            .map_err(|e| Error::input(&self.path, e.to_string()))?;
        let raw = crate::ingest::read::from_frame(&self.path, text)?;
        let valid = crate::ingest::validate::validate(&raw, self.table, &self.settings)?;
        if let Some(q) = valid.quarantine.first() {
            return Err(Error::input(
                &self.path,
                format!(
                    "generated row {} is invalid: {} ({})",
                    q.row,
                    q.reasons(),
                    q.columns()
                ),
            ));
        }
        let df = valid.frame;
        if self.writer.is_none() {
            let file = std::fs::File::create(&self.tmp).map_err(|e| Error::output(&self.tmp, e))?;
            self.writer = Some(
                ParquetWriter::new(file)
                    .batched(df.schema())
                    .map_err(|e| Error::input(&self.path, e.to_string()))?,
            );
        }
        self.writer
            .as_mut()
            .expect("created")
            .write_batch(&df)
            .map_err(|e| Error::input(&self.path, e.to_string()))?;
        self.buffer.clear();
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn row(&mut self, fields: Vec<String>) -> Result<()> {
        self.buffer.push(fields);
        if self.buffer.len() >= PARQUET_CHUNK {
            self.flush()?;
        }
        Ok(())
    }
    fn finish(mut self: Box<Self>) -> Result<()> {
        self.flush()?;
        if let Some(w) = self.writer.take() {
            w.finish()
                .map_err(|e| Error::input(&self.path, e.to_string()))?;
            std::fs::rename(&self.tmp, &self.path).map_err(|e| Error::output(&self.path, e))?;
        }
        Ok(())
    }
}

pub(super) fn sink(opts: &SampleOptions, table: &str, headers: &[&str]) -> Result<Box<dyn Sink>> {
    if opts.parquet {
        let canonical = crate::schema::Table::ALL
            .into_iter()
            .find(|t| t.name() == table)
            .expect("known table");
        let names = headers
            .iter()
            .map(|h| {
                canonical
                    .columns()
                    .iter()
                    .find(|c| c.chinese == *h || c.aliases.contains(h))
                    .map_or(h.to_string(), |c| c.name.to_string())
            })
            .collect();
        Ok(Box::new(ParquetSink::create(
            &opts.out.join(format!("{table}.parquet")),
            canonical,
            names,
        )?))
    } else {
        Ok(Box::new(CsvSink::create(
            &opts.out.join(format!("{table}.csv")),
            headers,
        )?))
    }
}
