//! Ingest (SPEC §2): find the input files, read each (CSV in any encoding, XLSX,
//! Parquet, NDJSON), map its headers to canonical columns, parse and validate every
//! cell, and split the rows into the canonical typed tables and the quarantine.
//!
//! Invariant: for every file, `valid + quarantined = rows read`.

pub mod csv;
pub mod read;
pub mod validate;
pub mod values;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, PolarsContext, Result};
use crate::schema::{normalise_header, Table};
use crate::settings::Settings;

/// Counts and findings for one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    pub table: Table,
    pub path: String,
    pub encoding: read::Encoding,
    pub rows_read: usize,
    pub valid: usize,
    pub quarantined: usize,
    /// Columns that are not part of the contract: kept out of the computation.
    pub unknown_columns: Vec<String>,
    /// Personal-data columns dropped at ingest (their names only).
    pub personal_columns_dropped: Vec<String>,
    pub warnings: Vec<String>,
    /// Satisfaction scores seen so far, for the warning [`FileReport::finish`] gives.
    #[serde(skip)]
    pub scores: Option<ScoreTally>,
}

/// How many satisfaction scores of a file are numbers, and how many of those are 5.
#[derive(Debug, Clone, Default)]
pub struct ScoreTally {
    /// The column, as messages name it.
    pub label: String,
    pub numeric: usize,
    pub fives: usize,
}

impl FileReport {
    /// Adds the counts and any new warnings of another slice of the same file.
    pub fn absorb(&mut self, slice: FileReport) {
        self.rows_read += slice.rows_read;
        self.valid += slice.valid;
        self.quarantined += slice.quarantined;
        for w in slice.warnings {
            if !self.warnings.contains(&w) {
                self.warnings.push(w);
            }
        }
        match (&mut self.scores, slice.scores) {
            (Some(mine), Some(theirs)) => {
                mine.numeric += theirs.numeric;
                mine.fives += theirs.fives;
            }
            (mine @ None, theirs) => *mine = theirs,
            (Some(_), None) => {}
        }
    }

    /// The report of a whole file: warnings that need all of its rows are given here.
    /// GB/T 39046 codes 1 as best; a file mostly coded 5 was probably written in stars.
    pub fn finish(mut self) -> FileReport {
        if let Some(t) = self.scores.take() {
            if t.numeric >= 20 && t.fives * 2 > t.numeric {
                self.warnings.push(format!(
                    "{}: column {}: {} of {} numeric scores are 5, which GB/T 39046 codes as 非常不满意 (very dissatisfied); if this file uses stars (5 = best), run with --score-scale stars",
                    self.path, t.label, t.fives, t.numeric
                ));
            }
        }
        self
    }
}

/// One rejected row: where it came from, which columns failed and why, and the row
/// itself (as JSON, personal data masked) so nothing is lost.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QuarantineRow {
    pub file: String,
    pub row: usize,
    pub column: String,
    pub reason: String,
    pub record: String,
}

/// The canonical tables and what happened on the way in.
pub struct Ingested {
    pub tables: BTreeMap<Table, DataFrame>,
    pub files: Vec<FileReport>,
    pub quarantine: BTreeMap<Table, Vec<QuarantineRow>>,
    /// Data-like files in an input folder that matched no table.
    pub skipped: Vec<String>,
}

impl Ingested {
    pub fn table(&self, t: Table) -> &DataFrame {
        &self.tables[&t]
    }
}

/// The files to read: each path is a folder (its data files, not its subfolders, sorted)
/// or a file (`true`: named explicitly, so it must be one of the tables).
pub fn input_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>> {
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && read::Format::from_path(f).is_some())
                .collect();
            entries.sort();
            files.extend(entries.into_iter().map(|f| (f, false)));
        } else if p.is_file() {
            files.push((p.clone(), true));
        } else {
            return Err(Error::input(p, "no such file or folder"));
        }
    }
    if files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::Usage(format!(
            "no input files in {}\nhint: put the 事项目录, 办件 and 好差评 exports there as .csv, .xlsx, .parquet or .ndjson (try `pingjia sample --out sample-data`)",
            shown.join(", ")
        )));
    }
    Ok(files)
}

/// Reads every input. Each path is a folder (its files, not its subfolders) or a file.
pub fn load(paths: &[PathBuf], settings: &Settings) -> Result<Ingested> {
    let files = input_files(paths)?;
    let mut frames: BTreeMap<Table, Vec<DataFrame>> = BTreeMap::new();
    let mut out = Ingested {
        tables: BTreeMap::new(),
        files: vec![],
        quarantine: BTreeMap::new(),
        skipped: vec![],
    };
    for (path, explicit) in files {
        let is_header = |h: &str| is_known_header(h, settings);
        let found = if read::Format::from_path(&path) == Some(read::Format::Csv) {
            validate_csv(&path, explicit, settings, &is_header)?
        } else {
            let raw = read::read(&path, settings.sheet.as_deref(), &is_header)?;
            validate_file(raw, explicit, settings)?
        };
        let Some((table, v)) = found else {
            out.skipped.push(path.display().to_string());
            continue;
        };
        frames.entry(table).or_default().push(v.frame);
        out.quarantine
            .entry(table)
            .or_default()
            .extend(v.quarantine);
        out.files.push(v.report.finish());
    }
    for t in Table::ALL {
        let parts = frames.remove(&t).unwrap_or_default();
        let frame = stack(parts, &format!("stacking {} files", t.name()))?
            .unwrap_or_else(|| empty_table(t));
        out.tables.insert(t, frame);
        out.quarantine.entry(t).or_default();
    }
    Ok(out)
}

/// Whether a normalised header text names a column of any table (or a personal-data
/// column), to find the header row under title rows.
pub fn is_known_header(h: &str, settings: &Settings) -> bool {
    Table::ALL
        .iter()
        .any(|t| validate::canonical_column(*t, h, settings).is_some())
        || crate::schema::personal_column(h).is_some()
}

/// Recognises which table a read file holds and validates it. `None` when the file is
/// not one of the three tables and was not named explicitly (skipped).
pub fn validate_file(
    raw: read::RawTable,
    explicit: bool,
    settings: &Settings,
) -> Result<Option<(Table, validate::Validated)>> {
    let Some(table) = recognise(&raw.path, &raw.headers, settings) else {
        return unrecognised(&raw.path, explicit).map(|()| None);
    };
    Ok(Some((table, validate::validate(raw, table, settings)?)))
}

/// Reads and validates a CSV file piece by piece (see [`validate_pieces`]); `None` when
/// it is none of the tables and was not named explicitly.
pub fn validate_csv(
    path: &Path,
    explicit: bool,
    settings: &Settings,
    is_header: &dyn Fn(&str) -> bool,
) -> Result<Option<(Table, validate::Validated)>> {
    let file = csv::CsvFile::open(path, is_header)?;
    let Some(table) = recognise(path, &file.headers, settings) else {
        return unrecognised(path, explicit).map(|()| None);
    };
    let pieces = 0..file.pieces.len();
    Ok(Some((
        table,
        validate_pieces(&file, pieces, table, settings)?,
    )))
}

/// Validates `pieces` of a CSV file, each on its own core, merged in file order: the
/// same rows, reasons and row numbers as validating them as one table.
fn validate_pieces(
    file: &csv::CsvFile,
    pieces: std::ops::Range<usize>,
    table: Table,
    settings: &Settings,
) -> Result<validate::Validated> {
    use rayon::prelude::*;
    if pieces.is_empty() {
        return validate::validate(file.raw(pieces)?, table, settings);
    }
    let parts: Vec<Result<validate::Validated>> = pieces
        .into_par_iter()
        .map(|i| {
            let mut v = validate::validate(file.raw(i..i + 1)?, table, settings)?;
            if file.encoding == read::Encoding::Gb18030 {
                v.frame = csv::own_strings(v.frame)?;
            }
            Ok(v)
        })
        .collect();
    let mut frames = Vec::with_capacity(parts.len());
    let mut quarantine = Vec::new();
    let mut report: Option<FileReport> = None;
    for part in parts {
        let part = part?;
        frames.push(part.frame);
        quarantine.extend(part.quarantine);
        match &mut report {
            None => report = Some(part.report),
            Some(r) => r.absorb(part.report),
        }
    }
    Ok(validate::Validated {
        frame: stack(frames, "stacking pieces")?.expect("at least one piece"),
        quarantine,
        report: report.expect("at least one piece"),
    })
}

/// A file that is none of the tables: an error when it was named explicitly, else
/// skipped.
pub fn unrecognised(path: &Path, explicit: bool) -> Result<()> {
    if explicit {
        return Err(Error::input(
            path,
            "cannot tell which table this is\nhint: name the file matters/cases/ratings (or 事项目录/办件/好差评), or give it the required headers",
        ));
    }
    Ok(())
}

/// The frames one under another (`None` when there are none); `what` names the step in
/// an error.
pub fn stack(parts: Vec<DataFrame>, what: &str) -> Result<Option<DataFrame>> {
    let mut it = parts.into_iter();
    let Some(mut first) = it.next() else {
        return Ok(None);
    };
    for f in it {
        first.vstack_mut(&f).context(what)?;
    }
    first.align_chunks_par();
    Ok(Some(first))
}

/// An empty canonical table.
pub fn empty_table(t: Table) -> DataFrame {
    let cols: Vec<polars::prelude::Column> = t
        .columns()
        .iter()
        .map(|c| Series::new_empty(c.name.into(), &c.kind.dtype()).into())
        .collect();
    DataFrame::new(0, cols).expect("unique column names")
}

/// The table a file holds: from words in its name, else from its headers.
pub fn recognise(path: &Path, headers: &[String], settings: &Settings) -> Option<Table> {
    let stem = path.file_stem()?.to_string_lossy().to_lowercase();
    let order = [Table::Ratings, Table::Cases, Table::Matters];
    if let Some(t) = order
        .iter()
        .find(|t| t.file_name_words().iter().any(|w| stem.contains(w)))
    {
        return Some(*t);
    }
    let normalised: Vec<String> = headers.iter().map(|h| normalise_header(h)).collect();
    order.into_iter().find(|t| {
        t.identifying_columns().iter().all(|id| {
            normalised
                .iter()
                .any(|h| validate::canonical_column(*t, h, settings).is_some_and(|c| c.name == *id))
        })
    })
}
