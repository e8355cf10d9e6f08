//! `run.json` and `quarantine/<table>.csv`: what a run read, kept and rejected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{PolarsContext, Result};
use crate::ingest::{FileReport, Ingested};
use crate::schema::Table;

/// Per-table counts; `rows_read = valid + quarantined` for every table and file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCounts {
    pub files: usize,
    pub rows_read: usize,
    pub valid: usize,
    pub quarantined: usize,
}

/// The content of `run.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    pub pingjia_version: &'static str,
    pub tables: BTreeMap<&'static str, TableCounts>,
    pub files: Vec<FileReport>,
    pub skipped_files: Vec<String>,
    pub quarters: Vec<String>,
    pub regions: Vec<(String, String)>,
    /// Reason (without the offending value) → count, per table.
    pub quarantine_reasons: BTreeMap<&'static str, BTreeMap<String, usize>>,
}

impl RunSummary {
    pub fn new(ingested: &Ingested, regions: &crate::regions::Regions) -> Result<Self> {
        let mut seen = Seen::default();
        for t in Table::ALL {
            seen.add(t, ingested.table(t))?;
        }
        Self::with_seen(ingested, &seen, regions)
    }

    /// The summary with the quarters and regions `seen` in the valid rows (gathered chunk
    /// by chunk when streaming).
    pub fn with_seen(
        ingested: &Ingested,
        seen: &Seen,
        regions: &crate::regions::Regions,
    ) -> Result<Self> {
        let mut tables = BTreeMap::new();
        for t in Table::ALL {
            let files: Vec<&FileReport> = ingested.files.iter().filter(|f| f.table == t).collect();
            tables.insert(
                t.name(),
                TableCounts {
                    files: files.len(),
                    rows_read: files.iter().map(|f| f.rows_read).sum(),
                    valid: files.iter().map(|f| f.valid).sum(),
                    quarantined: files.iter().map(|f| f.quarantined).sum(),
                },
            );
        }
        let mut quarantine_reasons = BTreeMap::new();
        for (t, rows) in &ingested.quarantine {
            let counts: &mut BTreeMap<String, usize> =
                quarantine_reasons.entry(t.name()).or_default();
            for r in rows {
                for reason in r.reason.split("; ") {
                    *counts.entry(reason_kind(reason)).or_default() += 1;
                }
            }
        }
        Ok(RunSummary {
            pingjia_version: env!("CARGO_PKG_VERSION"),
            tables,
            files: ingested.files.clone(),
            skipped_files: ingested.skipped.clone(),
            quarters: seen.quarters.iter().cloned().collect(),
            regions: seen
                .regions
                .iter()
                .cloned()
                .map(|c| {
                    let name = regions.name(&c).unwrap_or("").to_owned();
                    (c, name)
                })
                .collect(),
            quarantine_reasons,
        })
    }
}

/// A reason without its quoted value: `无法识别的日期 unparseable date '2025-13-01'` →
/// `无法识别的日期 unparseable date`.
pub fn reason_kind(reason: &str) -> String {
    let cut = reason.find(['\'', '(']).unwrap_or(reason.len());
    reason[..cut].trim().trim_end_matches(',').to_owned()
}

/// Quarters (`2025Q4`) of acceptance, rating and snapshot dates, and region codes, in
/// valid rows.
#[derive(Debug, Default)]
pub struct Seen {
    pub quarters: std::collections::BTreeSet<String>,
    pub regions: std::collections::BTreeSet<String>,
}

impl Seen {
    /// Adds what a valid table (or a chunk of one) holds.
    pub fn add(&mut self, table: Table, df: &DataFrame) -> Result<()> {
        let column = match table {
            Table::Cases => "accepted_at",
            Table::Ratings => "rated_at",
            Table::Matters => "as_of",
        };
        // Plain loops over the values: a chunk has a handful of distinct days and regions.
        let days = df
            .column(column)
            .context("finding quarters")?
            .cast(&DataType::Date)
            .and_then(|c| c.cast(&DataType::Int32))
            .context("finding quarters")?;
        let mut distinct_days = PlHashSet::new();
        distinct_days.extend(days.i32().context("finding quarters")?.iter().flatten());
        self.quarters.extend(
            distinct_days
                .into_iter()
                .map(crate::ingest::values::quarter_of_day),
        );
        let mut regions: PlHashSet<&str> = PlHashSet::new();
        regions.extend(
            df.column("region_code")
                .context("regions")?
                .str()
                .context("regions")?
                .iter()
                .flatten(),
        );
        self.regions.extend(regions.into_iter().map(str::to_owned));
        Ok(())
    }
}

/// Writes `quarantine/<table>.csv` for every table (header only when nothing was
/// rejected, so a reader can tell "none" from "not run") and `run.json`.
pub fn write(out: &Path, ingested: &Ingested, summary: &RunSummary) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (t, rows) in &ingested.quarantine {
        let mut df = df! {
            "source_file" => rows.iter().map(|r| r.file.as_str()).collect::<Vec<_>>(),
            "row" => rows.iter().map(|r| r.row as u64).collect::<Vec<_>>(),
            "column" => rows.iter().map(|r| r.column.as_str()).collect::<Vec<_>>(),
            "reason" => rows.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>(),
            "record" => rows.iter().map(|r| r.record.as_str()).collect::<Vec<_>>(),
        }
        .context("building quarantine table")?;
        let path = out.join("quarantine").join(format!("{}.csv", t.name()));
        super::write_csv(&path, &mut df)?;
        written.push(path);
    }
    let path = out.join("run.json");
    super::write_json(&path, summary)?;
    written.push(path);
    Ok(written)
}
