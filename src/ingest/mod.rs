//! Ingest (docs/SPEC.md §1–2): find the input files, tell each one's format from its bytes, read
//! it (CSV in any encoding, XLSX/XLSM, XLSB, XLS, ODS, HTML and SpreadsheetML "xls",
//! Parquet, NDJSON), find its header, map the headers to canonical columns, parse and
//! validate every cell, and split the rows into the canonical typed tables, the
//! quarantine and the cell findings.
//!
//! Nothing is lost: every file of an input folder is read or named in an error; for
//! every file, `valid + quarantined + summary rows = rows read`; every unknown cell of a
//! kept row is a cell finding.

pub mod csv;
pub mod header;
pub mod link;
pub mod read;
pub mod sheets;
pub mod sniff;
pub mod validate;
pub mod values;
pub mod vocabulary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::{Error, PolarsContext, Result};
use crate::schema::{header_keys, Table};
use crate::settings::Settings;
use values::{Problem, Reason};

/// Counts and findings for one input file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileReport {
    pub table: Table,
    pub path: String,
    pub format: read::Format,
    pub encoding: read::Encoding,
    /// The sheet (or HTML table) read, for workbooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    pub rows_read: usize,
    pub valid: usize,
    pub quarantined: usize,
    /// Spreadsheet row numbers of summary rows (合计/总计/小计), skipped: never cases.
    pub total_rows: Vec<usize>,
    /// Unknown cells of kept rows, per canonical column.
    pub unknown: BTreeMap<&'static str, ColumnUnknowns>,
    /// Columns that are not part of the contract: kept out of the computation.
    pub unknown_columns: Vec<String>,
    /// Personal-data columns dropped at ingest (their names only).
    pub personal_columns_dropped: Vec<String>,
    pub warnings: Vec<String>,
    /// Satisfaction scores seen so far, for the warning [`FileReport::finish`] gives.
    #[serde(skip)]
    pub scores: Option<ScoreTally>,
}

/// The unknown cells of one column: how many, and how often each value was seen (the
/// first [`UNKNOWN_VALUES_KEPT`] distinct values).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ColumnUnknowns {
    pub cells: usize,
    pub values: BTreeMap<String, usize>,
}

/// Distinct unknown values remembered per column (for `check` and `--suggest-mapping`).
pub const UNKNOWN_VALUES_KEPT: usize = 1000;

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
        self.total_rows.extend(slice.total_rows);
        for (column, u) in slice.unknown {
            let mine = self.unknown.entry(column).or_default();
            mine.cells += u.cells;
            for (value, n) in u.values {
                if mine.values.len() < UNKNOWN_VALUES_KEPT || mine.values.contains_key(&value) {
                    *mine.values.entry(value).or_default() += n;
                }
            }
        }
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

    /// Unknown cells of the file, all columns.
    pub fn unknown_cells(&self) -> usize {
        self.unknown.values().map(|u| u.cells).sum()
    }
}

/// One rejected row: where it came from, every problem found (column heading and
/// reason), and the row itself (as JSON, personal data masked) so nothing is lost.
#[derive(Debug, Clone)]
pub struct QuarantineRow {
    pub file: String,
    pub row: usize,
    pub problems: Vec<(String, Reason)>,
    pub record: String,
}

impl QuarantineRow {
    /// The columns, as one cell of the quarantine CSV.
    pub fn columns(&self) -> String {
        self.problems
            .iter()
            .map(|(c, _)| c.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The reasons, as one cell of the quarantine CSV.
    pub fn reasons(&self) -> String {
        self.problems
            .iter()
            .map(|(_, r)| r.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// One unknown cell of a kept row (`quarantine/cells.csv`).
#[derive(Debug, Clone)]
pub struct CellFinding {
    pub file: String,
    pub row: usize,
    /// The canonical column.
    pub column: &'static str,
    /// The column as the file heads it, with its canonical name.
    pub heading: String,
    pub value: String,
    pub reason: Reason,
}

/// Cell findings listed one by one per run (all are counted).
pub const CELLS_LISTED: usize = 200_000;

/// The canonical tables and what happened on the way in.
pub struct Ingested {
    pub tables: BTreeMap<Table, DataFrame>,
    pub files: Vec<FileReport>,
    pub quarantine: BTreeMap<Table, Vec<QuarantineRow>>,
    /// Unknown cells of kept rows (the first [`CELLS_LISTED`]).
    pub cells: Vec<CellFinding>,
    /// Cell findings counted but not listed.
    pub cells_not_listed: usize,
    /// Files of the input folders left out, and why (hidden files, lock files, --ignore).
    pub ignored: Vec<(String, String)>,
    /// Folders inside the input folders (not read).
    pub folders_not_read: Vec<String>,
    /// Matter codes given back the leading zeros a spreadsheet took.
    pub restored: Vec<link::Restored>,
}

impl Ingested {
    pub fn table(&self, t: Table) -> &DataFrame {
        &self.tables[&t]
    }

    /// An empty result to be filled file by file.
    pub fn empty(inputs: &Inputs) -> Ingested {
        Ingested {
            tables: BTreeMap::new(),
            files: vec![],
            quarantine: Table::ALL.into_iter().map(|t| (t, vec![])).collect(),
            cells: vec![],
            cells_not_listed: 0,
            ignored: inputs.ignored.clone(),
            folders_not_read: inputs.folders.clone(),
            restored: vec![],
        }
    }

    /// Records a validated file (or slice of one): its quarantine and cell findings.
    pub fn record(
        &mut self,
        table: Table,
        quarantine: Vec<QuarantineRow>,
        cells: Vec<CellFinding>,
    ) {
        self.quarantine.entry(table).or_default().extend(quarantine);
        let room = CELLS_LISTED.saturating_sub(self.cells.len());
        self.cells_not_listed += cells.len().saturating_sub(room);
        self.cells.extend(cells.into_iter().take(room));
    }

    /// Stops the run when a table had rows but kept none (docs/SPEC.md §1): exit 2, with the
    /// most common reasons.
    pub fn check_not_empty(&self) -> Result<()> {
        for t in Table::ALL {
            let files: Vec<&FileReport> = self.files.iter().filter(|f| f.table == t).collect();
            let read: usize = files.iter().map(|f| f.rows_read).sum();
            let valid: usize = files.iter().map(|f| f.valid).sum();
            let totals: usize = files.iter().map(|f| f.total_rows.len()).sum();
            if read > totals && valid == 0 {
                let mut reasons: BTreeMap<Problem, usize> = BTreeMap::new();
                for q in &self.quarantine[&t] {
                    for (_, r) in &q.problems {
                        *reasons.entry(r.problem).or_default() += 1;
                    }
                }
                let mut top: Vec<(Problem, usize)> = reasons.into_iter().collect();
                top.sort_by_key(|r| std::cmp::Reverse(r.1));
                let example = self.quarantine[&t].first();
                return Err(Error::input(
                    &files[0].path,
                    format!(
                        "none of the {read} rows of the {} table ({}) could be used: {}{}\nhint: see quarantine/{}.csv for every row and its reason; a --mapping file can name your columns and values",
                        t.chinese(),
                        t.name(),
                        top.iter()
                            .take(3)
                            .map(|(p, n)| format!("{n} × {}", p.label()))
                            .collect::<Vec<_>>()
                            .join(", "),
                        example
                            .map(|q| format!("\ne.g. row {}: {} — {}", q.row, q.columns(), q.reasons()))
                            .unwrap_or_default(),
                        t.name()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The files to read.
pub struct Inputs {
    /// Each with whether it was named explicitly (it must then be one of the tables).
    pub files: Vec<(PathBuf, bool)>,
    pub ignored: Vec<(String, String)>,
    pub folders: Vec<String>,
}

/// The files to read: each path is a folder (its files, not its subfolders, sorted) or a
/// file. Hidden files and office lock files (`~$报表.xlsx`) are left out and named, as are
/// files matching an --ignore pattern.
pub fn input_files(paths: &[PathBuf], settings: &Settings) -> Result<Inputs> {
    let mut inputs = Inputs {
        files: vec![],
        ignored: vec![],
        folders: vec![],
    };
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| Error::io(p, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for f in entries {
                let name = f
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let shown = f.display().to_string();
                if f.is_dir() {
                    inputs.folders.push(shown);
                } else if name.starts_with('.') {
                    inputs.ignored.push((shown, "hidden file".into()));
                } else if name.starts_with("~$") {
                    inputs
                        .ignored
                        .push((shown, "office lock file (the workbook is open)".into()));
                } else if settings.ignored(&f) {
                    inputs.ignored.push((shown, "--ignore".into()));
                } else if let Some(option) = settings.option_file(&f) {
                    inputs.ignored.push((shown, format!("the {option} file")));
                } else {
                    inputs.files.push((f, false));
                }
            }
        } else if p.is_file() {
            inputs.files.push((p.clone(), true));
        } else {
            return Err(Error::input(p, "no such file or folder"));
        }
    }
    if inputs.files.is_empty() {
        let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::Usage(format!(
            "no input files in {}\nhint: put the 事项目录, 办件 and 好差评 exports there (CSV, Excel, WPS, Parquet …; try `pingjia sample --out sample-data`)",
            shown.join(", ")
        )));
    }
    Ok(inputs)
}

/// A file opened and recognised as one of the tables, not yet validated.
pub enum Opened {
    /// A CSV file, read and validated piece by piece.
    Csv(csv::CsvFile),
    /// A Parquet file, known by its schema: read when it is validated (so that only one
    /// file's raw table is in memory at a time).
    Parquet(PathBuf),
    /// Any other format, read whole.
    Raw(read::RawTable),
}

/// Opens every input file and tells which table it holds. Files that are no table
/// export (a Word document, a PDF, a CSV of something else) are all named in one error.
pub fn open_all(inputs: &Inputs, settings: &Settings) -> Result<Vec<(PathBuf, Table, Opened)>> {
    let mut opened = Vec::new();
    let mut refused: Vec<(String, String)> = Vec::new();
    for (path, explicit) in &inputs.files {
        match open(path, settings) {
            Ok(Some((table, o))) => opened.push((path.clone(), table, o)),
            Ok(None) => refused.push((
                path.display().to_string(),
                "cannot tell which table this is: its name and headers match none of 事项目录, 办件, 好差评".into(),
            )),
            Err(e) if !explicit && inputs.files.len() > 1 && is_not_data(&e) => {
                refused.push((path.display().to_string(), short(&e)))
            }
            Err(e) => return Err(e),
        }
    }
    if !refused.is_empty() {
        let patterns: Vec<String> = refused
            .iter()
            .map(|(p, _)| {
                let ext = Path::new(p)
                    .extension()
                    .map(|e| format!("*.{}", e.to_string_lossy()))
                    .unwrap_or_else(|| {
                        Path::new(p)
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    });
                format!("--ignore '{ext}'")
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let first = PathBuf::from(&refused[0].0);
        let list: Vec<String> = refused
            .iter()
            .map(|(p, why)| format!("  {p}: {why}"))
            .collect();
        return Err(Error::input(
            if refused.len() == 1 { first } else { PathBuf::from(format!("{} input files", refused.len())) },
            format!(
                "not read — {}:\n{}\nhint: name the files matters/cases/ratings (or 事项目录/办件/好差评) or give them the required headers; to leave files out on purpose, move them or add {}",
                if refused.len() == 1 { "this file is not a table export" } else { "these files are not table exports" },
                list.join("\n"),
                patterns.join(" ")
            ),
        ));
    }
    Ok(opened)
}

/// Whether an error says a file holds no table (so the other files are still listed).
fn is_not_data(e: &Error) -> bool {
    matches!(e, Error::Input { message, .. } if message.starts_with(NOT_DATA))
}

/// The message of an input error without its file and hint.
fn short(e: &Error) -> String {
    match e {
        Error::Input { message, .. } => message
            .trim_start_matches(NOT_DATA)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned(),
        other => other.to_string(),
    }
}

const NOT_DATA: &str = "not a table export: ";

/// Opens one file: its format from its bytes, its table from its name or headers.
/// `None` when it holds none of the tables.
pub fn open(path: &Path, settings: &Settings) -> Result<Option<(Table, Opened)>> {
    let format = match sniff::sniff(path)? {
        sniff::Sniffed::Table(f) => f,
        sniff::Sniffed::NotData(what) => {
            return Err(Error::input(path, format!("{NOT_DATA}this is {what}")))
        }
        sniff::Sniffed::Encrypted => {
            return Err(Error::input(
                path,
                "the workbook is password-protected\nhint: open it in Excel/WPS, remove the password (文件 → 信息 → 保护工作簿), save and export again",
            ))
        }
    };
    let is_header = |h: &str| is_known_header(h, settings);
    if format == read::Format::Parquet {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let headers: Vec<String> = ParquetReader::new(file)
            .schema()
            .map_err(|e| Error::input(path, format!("not a readable Parquet file: {e}")))?
            .iter_names()
            .map(|n| n.to_string())
            .collect();
        return Ok(
            recognise(path, &headers, settings).map(|t| (t, Opened::Parquet(path.to_owned())))
        );
    }
    if format == read::Format::Csv {
        let file = csv::CsvFile::open(path, &is_header)?;
        return Ok(recognise(path, &file.headers, settings).map(|t| (t, Opened::Csv(file))));
    }
    let named = named_table(path);
    let fits = |headers: &[String]| match named {
        Some(t) => has_required(t, headers, settings),
        None => Table::ALL
            .iter()
            .any(|t| has_required(*t, headers, settings)),
    };
    let known = read::Known {
        is_header: &is_header,
        fits: &fits,
    };
    let mut raw = read::read(path, format, settings.sheet.as_deref(), &known)?;
    if let Some(expected) = read::Format::from_path(path).filter(|e| *e != format) {
        if !(expected == read::Format::Xlsx && format == read::Format::Xlsx) {
            raw.warnings.push(format!(
                "named like {} but holds {}: read as what it holds",
                expected.describe(),
                format.describe()
            ));
        }
    }
    Ok(recognise(path, &raw.headers, settings).map(|t| (t, Opened::Raw(raw))))
}

/// Validates an opened file as `table` (CSV piece by piece, each on its own core).
pub fn validate_opened(
    opened: &Opened,
    table: Table,
    settings: &Settings,
) -> Result<validate::Validated> {
    match opened {
        Opened::Csv(file) => validate_pieces(file, 0..file.pieces.len(), table, settings),
        Opened::Parquet(path) => {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let df = ParquetReader::new(file)
                .finish()
                .map_err(|e| Error::input(path, format!("not a readable Parquet file: {e}")))?;
            validate::validate(&read::from_frame(path, df)?, table, settings)
        }
        Opened::Raw(raw) => validate::validate(raw, table, settings),
    }
}

/// Validates a file; when some region names were ambiguous and the file's own codes
/// tell where it belongs, validates it again within that scope.
pub fn validate_in_scope(
    opened: &Opened,
    table: Table,
    settings: &Settings,
) -> Result<validate::Validated> {
    let v = validate_opened(opened, table, settings)?;
    let ambiguous = v.quarantine.iter().any(|q| {
        q.problems
            .iter()
            .any(|(_, r)| r.problem == Problem::AmbiguousRegionName)
    });
    if !ambiguous {
        return Ok(v);
    }
    let codes = v.frame.column("region_code").context("region codes")?;
    let codes = codes.str().context("region codes")?;
    let own = crate::regions::RegionScope::of(codes.iter().flatten());
    let mut scope = settings.region_scope.clone();
    scope.extend(&own);
    if scope == settings.region_scope {
        return Ok(v);
    }
    let mut narrowed = settings.clone();
    narrowed.region_scope = scope;
    validate_opened(opened, table, &narrowed)
}

/// Reads every input. Each path is a folder (its files, not its subfolders) or a file.
/// The catalogue (事项目录) is read first: its districts settle region names of the
/// other tables that exist in several places.
pub fn load(paths: &[PathBuf], settings: &Settings) -> Result<Ingested> {
    let inputs = input_files(paths, settings)?;
    let mut opened: Vec<Option<(PathBuf, Table, Opened)>> =
        open_all(&inputs, settings)?.into_iter().map(Some).collect();
    let mut out = Ingested::empty(&inputs);
    let mut frames: BTreeMap<Table, Vec<DataFrame>> = BTreeMap::new();
    let mut reports: Vec<(usize, FileReport)> = Vec::new();
    let mut scoped = settings.clone();
    let mut padded = link::ZeroPadded::default();
    for table in [Table::Matters, Table::Cases, Table::Ratings] {
        for (i, slot) in opened.iter_mut().enumerate() {
            if slot.as_ref().is_none_or(|(_, t, _)| *t != table) {
                continue;
            }
            // Each file's raw cells are dropped once it is validated.
            let (_, _, o) = slot.take().expect("checked");
            let v = validate_in_scope(&o, table, &scoped)?;
            drop(o);
            let (frame, restored) = padded.restore(table.name(), v.frame)?;
            link::merge(&mut out.restored, restored);
            frames.entry(table).or_default().push(frame);
            out.record(table, v.quarantine, v.cells);
            reports.push((i, v.report.finish()));
        }
        if table == Table::Matters {
            if let Some(m) = frames.get(&Table::Matters) {
                for f in m {
                    let codes = f.column("region_code").context("region codes")?;
                    let scope = crate::regions::RegionScope::of(
                        codes.str().context("region codes")?.iter().flatten(),
                    );
                    scoped.region_scope.extend(&scope);
                }
                let all = stack(m.clone(), "stacking matters files")?
                    .unwrap_or_else(|| empty_table(table));
                padded = link::ZeroPadded::of(&all)?;
            }
        }
    }
    // Files in input order.
    reports.sort_by_key(|(i, _)| *i);
    out.files = reports.into_iter().map(|(_, r)| r).collect();
    for t in Table::ALL {
        let parts = frames.remove(&t).unwrap_or_default();
        let frame = stack(parts, &format!("stacking {} files", t.name()))?
            .unwrap_or_else(|| empty_table(t));
        out.tables.insert(t, frame);
    }
    Ok(out)
}

/// Whether a header text names a column of any table (or a personal-data or region
/// name column), to find the header row under title rows.
pub fn is_known_header(h: &str, settings: &Settings) -> bool {
    Table::ALL
        .iter()
        .any(|t| validate::canonical_column(*t, h, settings).is_some())
        || header_keys(h)
            .iter()
            .any(|k| crate::schema::personal_column(k).is_some())
        || validate::is_region_name_header(h)
}

/// Reads and validates one file as whichever table it holds (the API the fuzz targets
/// and their replays use). `None` when it holds none of the tables and was not named
/// explicitly.
pub fn validate_file(
    raw: read::RawTable,
    explicit: bool,
    settings: &Settings,
) -> Result<Option<(Table, validate::Validated)>> {
    let Some(table) = recognise(&raw.path, &raw.headers, settings) else {
        return unrecognised(&raw.path, explicit).map(|()| None);
    };
    Ok(Some((table, validate::validate(&raw, table, settings)?)))
}

/// Validates `pieces` of a CSV file, each on its own core, merged in file order: the
/// same rows, reasons and row numbers as validating them as one table.
pub fn validate_pieces(
    file: &csv::CsvFile,
    pieces: std::ops::Range<usize>,
    table: Table,
    settings: &Settings,
) -> Result<validate::Validated> {
    use rayon::prelude::*;
    if pieces.is_empty() {
        return validate::validate(&file.raw(pieces)?, table, settings);
    }
    let parts: Vec<Result<validate::Validated>> = pieces
        .into_par_iter()
        .map(|i| {
            let mut v = validate::validate(&file.raw(i..i + 1)?, table, settings)?;
            if file.encoding == read::Encoding::Gb18030 {
                v.frame = csv::own_strings(v.frame)?;
            }
            Ok(v)
        })
        .collect();
    let mut frames = Vec::with_capacity(parts.len());
    let mut quarantine = Vec::new();
    let mut cells = Vec::new();
    let mut report: Option<FileReport> = None;
    for part in parts {
        let part = part?;
        frames.push(part.frame);
        quarantine.extend(part.quarantine);
        cells.extend(part.cells);
        match &mut report {
            None => report = Some(part.report),
            Some(r) => r.absorb(part.report),
        }
    }
    Ok(validate::Validated {
        frame: stack(frames, "stacking pieces")?.expect("at least one piece"),
        quarantine,
        cells,
        report: report.expect("at least one piece"),
    })
}

/// A file that is none of the tables: an error when it was named explicitly.
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

/// The table a file's name says it holds (ratings before cases: a ratings export is
/// often called 办件评价).
fn named_table(path: &Path) -> Option<Table> {
    let stem = path.file_stem()?.to_string_lossy().to_lowercase();
    [Table::Ratings, Table::Cases, Table::Matters]
        .into_iter()
        .find(|t| t.file_name_words().iter().any(|w| stem.contains(w)))
}

/// Whether headers hold every required column of `table`.
fn has_required(table: Table, headers: &[String], settings: &Settings) -> bool {
    let found: Vec<&str> = headers
        .iter()
        .filter_map(|h| validate::canonical_column(table, h, settings).map(|c| c.name))
        .collect();
    let names_region = headers.iter().any(|h| validate::is_region_name_header(h));
    table
        .columns()
        .iter()
        .filter(|c| c.required)
        .all(|c| found.contains(&c.name) || (c.name == "region_code" && names_region))
}

/// The table a file holds: from words in its name, else from its headers.
pub fn recognise(path: &Path, headers: &[String], settings: &Settings) -> Option<Table> {
    if let Some(t) = named_table(path) {
        return Some(t);
    }
    [Table::Ratings, Table::Cases, Table::Matters]
        .into_iter()
        .find(|t| {
            t.identifying_columns().iter().all(|id| {
                headers.iter().any(|h| {
                    validate::canonical_column(*t, h, settings).is_some_and(|c| c.name == *id)
                })
            })
        })
}
