//! `run.json` and `quarantine/<table>.csv`: what a run read, kept and rejected.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{PolarsContext, Result};
use crate::ingest::{ColumnUnknowns, FileReport, Ingested};
use crate::schema::Table;

/// Per-table counts; `rows_read = valid + quarantined + total_rows` for every table and
/// file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableCounts {
    pub files: usize,
    pub rows_read: usize,
    pub valid: usize,
    pub quarantined: usize,
    /// Summary rows (合计/总计/小计) skipped.
    pub total_rows: usize,
    /// Unknown cells in the kept rows.
    pub unknown_cells: usize,
}

/// The content of `run.json`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunSummary {
    pub pingjia_version: &'static str,
    pub tables: BTreeMap<&'static str, TableCounts>,
    pub files: Vec<FileReport>,
    /// Files of the input folders left out on purpose, and why.
    pub ignored_files: Vec<(String, String)>,
    /// Folders inside the input folders: not read.
    pub folders_not_read: Vec<String>,
    pub quarters: Vec<String>,
    pub regions: Vec<(String, String)>,
    /// Kind of reason → rows, per table.
    pub quarantine_reasons: BTreeMap<&'static str, BTreeMap<String, usize>>,
    /// Unknown cells of kept rows, per table and column, with their values.
    pub unknown_cells: BTreeMap<&'static str, BTreeMap<&'static str, ColumnUnknowns>>,
    /// Cell findings counted but not listed in quarantine/cells.csv.
    pub cells_not_listed: usize,
    /// Per indicator, the unknown cells of the columns it reads (docs/SPEC.md §1).
    pub indicator_unknowns: Vec<IndicatorUnknowns>,
    /// 统计截止时间 the figures stand at (`2025-12-31 18:23:00`).
    pub as_of: Option<String>,
    /// Matter codes given back the leading zeros a spreadsheet took (only where the
    /// catalogue has exactly one such code).
    pub restored_matter_codes: Vec<crate::ingest::link::Restored>,
}

/// The unknown cells an indicator met, column by column.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndicatorUnknowns {
    pub indicator: String,
    pub name: String,
    pub columns: Vec<UnknownColumn>,
}

/// Unknown cells of one column an indicator reads, and what they counted as.
#[derive(Debug, Clone, serde::Serialize)]
pub struct UnknownColumn {
    pub table: &'static str,
    pub column: &'static str,
    pub chinese: &'static str,
    pub cells: usize,
    pub counted_as: &'static str,
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
                    total_rows: files.iter().map(|f| f.total_rows.len()).sum(),
                    unknown_cells: files.iter().map(|f| f.unknown_cells()).sum(),
                },
            );
        }
        let mut quarantine_reasons = BTreeMap::new();
        for (t, rows) in &ingested.quarantine {
            let counts: &mut BTreeMap<String, usize> =
                quarantine_reasons.entry(t.name()).or_default();
            for r in rows {
                for (_, reason) in &r.problems {
                    *counts.entry(reason.problem.label().to_owned()).or_default() += 1;
                }
            }
        }
        let mut unknown_cells: BTreeMap<&'static str, BTreeMap<&'static str, ColumnUnknowns>> =
            BTreeMap::new();
        for f in &ingested.files {
            for (column, u) in &f.unknown {
                let mine = unknown_cells
                    .entry(f.table.name())
                    .or_default()
                    .entry(column)
                    .or_default();
                mine.cells += u.cells;
                for (value, n) in &u.values {
                    *mine.values.entry(value.clone()).or_default() += n;
                }
            }
        }
        Ok(RunSummary {
            pingjia_version: env!("CARGO_PKG_VERSION"),
            tables,
            files: ingested.files.clone(),
            ignored_files: ingested.ignored.clone(),
            folders_not_read: ingested.folders_not_read.clone(),
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
            unknown_cells,
            cells_not_listed: ingested.cells_not_listed,
            indicator_unknowns: vec![],
            as_of: None,
            restored_matter_codes: ingested.restored.clone(),
        })
    }
}

/// A timestamp (ms, China time) as run.json and reports print it: `2025-12-31 18:23:00`.
pub fn timestamp_text(ms: i64) -> String {
    let day = crate::time::civil_from_days(ms.div_euclid(86_400_000) as i32);
    let t = ms.rem_euclid(86_400_000) / 1000;
    format!("{day} {:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
}

impl RunSummary {
    /// The columns with unknown cells: table, column as the schema declares it, and the
    /// cells (table by table, column by column).
    pub fn unknown_columns(
        &self,
    ) -> impl Iterator<Item = (Table, &'static crate::schema::Column, &ColumnUnknowns)> + '_ {
        self.unknown_cells.iter().flat_map(|(table, columns)| {
            let t = Table::ALL.into_iter().find(|t| t.name() == *table);
            columns.iter().filter_map(move |(column, u)| {
                let t = t?;
                Some((t, t.column(column)?, u))
            })
        })
    }

    /// Fills in, for each indicator, the unknown cells of the columns it reads.
    pub fn count_indicator_unknowns(&mut self, defs: &[crate::indicators::Indicator]) {
        self.indicator_unknowns = defs
            .iter()
            .filter_map(|ind| {
                let view = crate::views::View::named(&ind.shape.view)?;
                let columns: Vec<UnknownColumn> = view
                    .dependencies(&ind.sql)
                    .into_iter()
                    .filter_map(|(t, c)| {
                        let cells = self.unknown_cells.get(t.name())?.get(c)?.cells;
                        let spec = t.column(c)?;
                        Some(UnknownColumn {
                            table: t.name(),
                            column: spec.name,
                            chinese: spec.chinese,
                            cells,
                            counted_as: spec.unknown,
                        })
                    })
                    .collect();
                (!columns.is_empty()).then(|| IndicatorUnknowns {
                    indicator: ind.id.clone(),
                    name: ind.name.clone(),
                    columns,
                })
            })
            .collect();
    }
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
        let days = crate::enrich::distinct_days(days.i32().context("finding quarters")?);
        self.quarters
            .extend(crate::enrich::distinct_quarters(&days));
        // Rows of a region come in runs more often than not: one probe per run.
        let mut regions: PlHashSet<&str> = PlHashSet::new();
        let mut last = None;
        for r in df
            .column("region_code")
            .context("regions")?
            .str()
            .context("regions")?
            .iter()
            .flatten()
        {
            if last != Some(r) {
                regions.insert(r);
                last = Some(r);
            }
        }
        self.regions.extend(regions.into_iter().map(str::to_owned));
        Ok(())
    }

    /// Adds what another (a chunk's) holds.
    pub fn merge(&mut self, other: Seen) {
        self.quarters.extend(other.quarters);
        self.regions.extend(other.regions);
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
            "column" => rows.iter().map(|r| r.columns()).collect::<Vec<_>>(),
            "reason" => rows.iter().map(|r| r.reasons()).collect::<Vec<_>>(),
            "record" => rows.iter().map(|r| r.record.as_str()).collect::<Vec<_>>(),
        }
        .context("building quarantine table")?;
        let path = out.join("quarantine").join(format!("{}.csv", t.name()));
        super::write_csv(&path, &mut df)?;
        written.push(path);
    }
    // Unknown cells of kept rows: the row stayed, this cell counts as unknown. In input
    // file order, then row order, whichever order the tables were read in.
    let position = |file: &str| ingested.files.iter().position(|f| f.path == file);
    let mut cells: Vec<&crate::ingest::CellFinding> = ingested.cells.iter().collect();
    cells.sort_by_key(|c| (position(&c.file), c.row));
    let mut df = df! {
        "source_file" => cells.iter().map(|c| c.file.as_str()).collect::<Vec<_>>(),
        "row" => cells.iter().map(|c| c.row as u64).collect::<Vec<_>>(),
        "column" => cells.iter().map(|c| c.heading.as_str()).collect::<Vec<_>>(),
        "value" => cells.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(),
        "reason" => cells.iter().map(|c| c.reason.message.as_str()).collect::<Vec<_>>(),
    }
    .context("building the cell findings")?;
    let path = out.join("quarantine").join("cells.csv");
    super::write_csv(&path, &mut df)?;
    written.push(path);
    let path = out.join("run.json");
    super::write_json(&path, summary)?;
    written.push(path);
    Ok(written)
}
