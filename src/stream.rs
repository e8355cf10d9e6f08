//! Streaming (docs/SPEC.md §9): ingest → enrich → indicator sums, one chunk of rows at a time,
//! so a province's 100 million cases never sit in memory as a table.
//!
//! ```text
//! matters (whole: it is small)          → the catalogue lookup
//! ratings, chunk by chunk  → validate → enrich → sums at the grain  (+ rated case ids)
//! cases, chunk by chunk    → validate → enrich → sums at the grain  (+ rows that may be
//!                                                                    open at a quarter end)
//! at the end: open cases at each quarter end, matters per quarter → sums at the grain
//!             partial sums added up per aggregation → the same grains as the whole table
//! ```
//!
//! Exact because every numerator and denominator is a sum (`indicators::plan` refuses
//! anything else) and every enrich step is row by row, except three that need the whole
//! data and are done once: which cases are rated (ratings are read first), which
//! quarters the data has, and which cases are open at a quarter's end (kept aside as
//! candidates — a case accepted and completed in one quarter is open at no quarter end).
//! Parquet files are read in slices of `chunk_rows` on a reader thread, which also does
//! what only reads a validated slice (restoring codes, quarters and regions seen, rated
//! ids, the matter join and rated-id probe); CSV, XLSX and NDJSON files are read whole and
//! then processed in the same slices.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::enrich::{self, Found, Rules};
use crate::error::{Error, PolarsContext, Result};
use crate::indicators::{self, Aggregation, Indicator};
use crate::ingest::{self, read, validate, FileReport, Ingested};
use crate::output::run::{RunSummary, Seen};
use crate::schema::Table;
use crate::settings::Settings;

/// Rows per chunk unless told otherwise: about 0.2 GB of enriched cases; smaller chunks were no faster at 1M cases, larger ones only used more memory.
pub const DEFAULT_CHUNK_ROWS: usize = 1 << 18;

/// What streaming leaves: the run summary and quarantine (as `ingest::load` gives them,
/// with the case and rating tables left empty), the data's quarters, and each
/// aggregation's sums at the grain.
pub struct Streamed {
    pub ingested: Ingested,
    pub summary: RunSummary,
    pub quarters: Vec<String>,
    /// The latest acceptance, completion or rating day (days since 1970).
    pub last_day: Option<i32>,
    /// 乡镇/街道 names the data gives, by code.
    pub township_names: std::collections::HashMap<String, String>,
    /// 统计截止时间 (ms): the user's, else the data's latest timestamp.
    pub as_of: Option<i64>,
    pub grains: Vec<DataFrame>,
    /// With `watch`: the cases that may be open at the as-of time (`watch::candidates`).
    pub open_now: Option<DataFrame>,
}

/// Time spent per stage over all chunks, printed on stderr (the profile in
/// docs/PERFORMANCE.md).
#[derive(Default)]
struct Profile {
    stages: std::sync::Mutex<Vec<(&'static str, std::time::Duration)>>,
}

impl Profile {
    fn time<T>(&self, stage: &'static str, f: impl FnOnce() -> T) -> T {
        let started = std::time::Instant::now();
        let out = f();
        let spent = started.elapsed();
        let mut stages = self.stages.lock().expect("profile");
        match stages.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, d)) => *d += spent,
            None => stages.push((stage, spent)),
        }
        out
    }

    fn print(&self) {
        let parts: Vec<String> = self
            .stages
            .lock()
            .expect("profile")
            .iter()
            .map(|(s, d)| format!("{s} {:.3} s", d.as_secs_f64()))
            .collect();
        eprintln!("  stream stages: {}", parts.join(", "));
    }
}

/// One input file, classified before any rows are processed.
enum Source {
    /// Read in slices.
    Parquet {
        path: PathBuf,
        table: Table,
        rows: usize,
        /// The footer, read once and given to every slice's reader.
        metadata: polars::io::parquet::metadata::FileMetadataRef,
    },
    /// Read whole (formats without random access), validated when its table's turn comes
    /// (after the catalogue, whose districts settle region names).
    Loaded {
        table: Table,
        opened: ingest::Opened,
    },
}

impl Source {
    fn table(&self) -> Table {
        match self {
            Source::Parquet { table, .. } | Source::Loaded { table, .. } => *table,
        }
    }
}

pub fn run(
    paths: &[PathBuf],
    settings: &Settings,
    rules: &Rules,
    groups: &[Aggregation],
    defs: &[Indicator],
    chunk_rows: usize,
    watch: bool,
) -> Result<Streamed> {
    let chunk_rows = chunk_rows.max(1);
    let inputs = ingest::input_files(paths, settings)?;
    let mut ingested = Ingested::empty(&inputs);
    let sources = classify(&inputs, settings)?;
    let files = &inputs.files;
    let total = |t: Table| -> u64 {
        sources
            .iter()
            .filter(|s| s.table() == t)
            .map(|s| match s {
                Source::Parquet { rows, .. } => *rows as u64,
                Source::Loaded { opened, .. } => match opened {
                    ingest::Opened::Csv(f) => f.pieces.iter().map(|p| p.rows as u64).sum(),
                    ingest::Opened::Raw(r) => r.height() as u64,
                    ingest::Opened::Parquet(_) => 0,
                },
            })
            .sum()
    };
    let bar = crate::output::progress::bar(
        total(Table::Cases) + total(Table::Ratings),
        "streaming ratings and cases 逐块计算",
    );
    let rating_rows = total(Table::Ratings) as usize;
    let profile = Profile::default();
    let mut seen = Seen::default();
    let mut found = Found::default();
    let mut partials: Vec<Vec<DataFrame>> = vec![vec![]; groups.len()];
    // Partial sums are added up every FOLD chunks, so they stay a few thousand rows.
    const FOLD: usize = 32;
    let mut add = |sums: Vec<Option<DataFrame>>| -> Result<()> {
        for (i, s) in sums.into_iter().enumerate() {
            partials[i].extend(s);
            if partials[i].len() >= FOLD {
                let folded = indicators::combine(&groups[i], std::mem::take(&mut partials[i]))?;
                partials[i].push(folded);
            }
        }
        Ok(())
    };
    let mut sources: Vec<Option<Source>> = sources.into_iter().map(Some).collect();

    // Matters: whole.
    let mut matters = Vec::new();
    for_each_chunk(
        &mut sources,
        Table::Matters,
        usize::MAX,
        settings,
        &profile,
        &mut ingested,
        &Ok,
        |chunk| {
            matters.push(chunk);
            Ok(())
        },
    )?;
    let matters = ingest::stack(matters, "stacking matters files")?
        .unwrap_or_else(|| ingest::empty_table(Table::Matters));
    seen.add(Table::Matters, &matters)?;
    let lookup = enrich::matter_lookup(&matters)?;
    // The catalogue's districts settle region names of cases and ratings.
    let mut scoped = settings.clone();
    {
        let codes = matters.column("region_code").context("region codes")?;
        let codes = codes.str().context("region codes")?;
        scoped
            .region_scope
            .extend(&crate::regions::RegionScope::of(codes.iter().flatten()));
    }
    let settings = &scoped;
    let padded = ingest::link::ZeroPadded::of(&matters)?;
    let mut restored = Vec::new();

    // Ratings: sums, the case ids they name, and the 差评 (whether each is due needs the
    // as-of time, known at the end). What only reads a validated chunk — restoring codes,
    // quarters and regions seen, the rated ids — is done on the reader thread.
    let rated = std::sync::Mutex::new(enrich::RatedCases::default());
    rated.lock().expect("rated ids").reserve(rating_rows);
    let mut bad = Vec::new();
    let prepared = |table: Table, chunk: DataFrame| -> Result<Prepared> {
        let (chunk, restored) = padded.restore(table.name(), chunk)?;
        let mut seen = Seen::default();
        profile.time("seen", || seen.add(table, &chunk))?;
        Ok(Prepared {
            chunk,
            restored,
            seen,
        })
    };
    for_each_chunk(
        &mut sources,
        Table::Ratings,
        chunk_rows,
        settings,
        &profile,
        &mut ingested,
        &|chunk| {
            let r = prepared(Table::Ratings, chunk)?;
            profile.time("rated", || rated.lock().expect("rated ids").add(&r.chunk))?;
            Ok(r)
        },
        |r| {
            let chunk = r.chunk;
            ingest::link::merge(&mut restored, r.restored);
            seen.merge(r.seen);
            let ratings = profile.time("enrich ratings", || {
                enrich::enrich_ratings(&chunk, &lookup, &settings.calendar, rules)
            })?;
            profile.time("found", || found.add_ratings(&ratings))?;
            bad.push(enrich::kept_aside(enrich::bad_rating_candidates(&ratings)?));
            add(profile.time("sum", || {
                indicators::grain_sums(&[("ratings", ratings.lazy())], groups, defs)
            })?)?;
            bar.inc(chunk.height() as u64);
            Ok(())
        },
    )?;

    // Open-case candidates keep only the columns the open view is built from and the
    // columns its aggregations name (found as words in their SQL: a superset is harmless).
    let open_view_sql: Vec<&str> = groups
        .iter()
        .filter(|g| g.view == "open_cases_at_quarter_end")
        .map(|g| g.sql.as_str())
        .collect();
    let named = |c: &str| {
        open_view_sql.iter().any(|sql| {
            sql.match_indices(c).any(|(at, _)| {
                let word =
                    |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
                !word(at.checked_sub(1).and_then(|i| sql.as_bytes().get(i)))
                    && !word(sql.as_bytes().get(at + c.len()))
            })
        })
    };
    let mut open_columns: Vec<PlSmallStr> = Vec::new();
    let rated = rated.into_inner().expect("rated ids");

    // Cases: sums of accepted and completed cases; open-case candidates kept aside.
    let mut candidates = Vec::new();
    let mut open_now = Vec::new();
    for_each_chunk(
        &mut sources,
        Table::Cases,
        chunk_rows,
        settings,
        &profile,
        &mut ingested,
        &|chunk| {
            let mut r = prepared(Table::Cases, chunk)?;
            r.chunk = profile.time("join cases", || {
                enrich::join_cases(&r.chunk, &lookup, &rated)
            })?;
            Ok(r)
        },
        |r| {
            let height = r.chunk.height() as u64;
            ingest::link::merge(&mut restored, r.restored);
            seen.merge(r.seen);
            let cases = profile.time("enrich cases", || {
                enrich::derive_cases(r.chunk, &settings.calendar)
            })?;
            profile.time("found", || found.add_cases(&cases))?;
            if open_columns.is_empty() {
                open_columns = cases
                    .get_column_names()
                    .into_iter()
                    .filter(|c| enrich::OPEN_VIEW_INPUTS.contains(&c.as_str()) || named(c))
                    .cloned()
                    .collect();
            }
            candidates.push(profile.time("candidates", || {
                Ok::<_, Error>(enrich::kept_aside(enrich::open_candidates(
                    &cases,
                    &open_columns,
                )?))
            })?);
            if watch {
                open_now.push(profile.time("watch", || {
                    crate::watch::candidates(&cases, rules.as_of).map(enrich::kept_aside)
                })?);
            }
            let (accepted, completed) = enrich::case_views(&cases);
            add(profile.time("sum", || {
                indicators::grain_sums(
                    &[("accepted_cases", accepted), ("completed_cases", completed)],
                    groups,
                    defs,
                )
            })?)?;
            bar.inc(height);
            Ok(())
        },
    )?;
    bar.finish_and_clear();

    // What needs every quarter of the data, or its as-of time.
    let quarters = found.quarters();
    let as_of = rules.as_of.or(found.last_timestamp);
    let (open, matters_q, bad) = profile.time("end", || -> Result<_> {
        let candidates = ingest::stack(candidates, "open case candidates")?
            .expect("at least one chunk of cases");
        let bad = ingest::stack(bad, "bad ratings")?.expect("at least one chunk of ratings");
        Ok((
            enrich::open_at_quarter_ends(&candidates, &quarters, &settings.calendar)?,
            enrich::matters_by_quarter(&matters, &quarters, &found, &lookup)?,
            enrich::bad_ratings(&bad, &settings.calendar, rules, as_of)?,
        ))
    })?;
    add(profile.time("end", || {
        indicators::grain_sums(
            &[
                ("open_cases_at_quarter_end", open.lazy()),
                ("matters", matters_q.lazy()),
                ("bad_ratings", bad.lazy()),
            ],
            groups,
            defs,
        )
    })?)?;
    let grains = profile.time("end", || {
        groups
            .iter()
            .zip(partials)
            .map(|(g, parts)| indicators::combine(g, parts))
            .collect::<Result<Vec<_>>>()
    })?;
    profile.print();

    // Files in input order, as `ingest::load` lists them.
    let position = |f: &FileReport| {
        files
            .iter()
            .position(|(p, _)| p.display().to_string() == f.path)
    };
    ingested.files.sort_by_key(position);
    ingested.restored = restored;
    ingested.tables.insert(Table::Matters, matters);
    for t in [Table::Cases, Table::Ratings] {
        ingested.tables.insert(t, ingest::empty_table(t));
    }
    let summary = RunSummary::with_seen(&ingested, &seen, &settings.regions)?;
    Ok(Streamed {
        ingested,
        summary,
        quarters,
        last_day: found.last_day,
        township_names: found.township_names,
        as_of,
        grains,
        open_now: if watch {
            ingest::stack(open_now, "open cases")?
        } else {
            None
        },
    })
}

/// Which table each input file holds, from its name or headers (for Parquet, its schema
/// only). Files that hold no table are all named in one error, as `ingest::load` does.
fn classify(inputs: &ingest::Inputs, settings: &Settings) -> Result<Vec<Source>> {
    let mut parquet = Vec::new();
    let mut rest = ingest::Inputs {
        files: vec![],
        ignored: vec![],
        folders: vec![],
    };
    for (path, explicit) in &inputs.files {
        if ingest::sniff::sniff(path)? == ingest::sniff::Sniffed::Table(read::Format::Parquet) {
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let mut reader = ParquetReader::new(file);
            let unreadable =
                |e: PolarsError| Error::input(path, format!("not a readable Parquet file: {e}"));
            let headers: Vec<String> = reader
                .schema()
                .map_err(unreadable)?
                .iter_names()
                .map(|n| n.to_string())
                .collect();
            let rows = reader.num_rows().map_err(unreadable)?;
            let metadata = reader.get_metadata().map_err(unreadable)?.clone();
            match ingest::recognise(path, &headers, settings) {
                Some(table) => parquet.push(Source::Parquet {
                    path: path.to_owned(),
                    table,
                    rows,
                    metadata,
                }),
                None => rest.files.push((path.clone(), *explicit)),
            }
        } else {
            rest.files.push((path.clone(), *explicit));
        }
    }
    let mut sources = parquet;
    if !rest.files.is_empty() {
        for (_, table, opened) in ingest::open_all(&rest, settings)? {
            sources.push(Source::Loaded { table, opened });
        }
    }
    // In input order.
    let position = |s: &Source| {
        let p = match s {
            Source::Parquet { path, .. } => path.clone(),
            Source::Loaded { opened, .. } => match opened {
                ingest::Opened::Csv(f) => f.path.clone(),
                ingest::Opened::Raw(r) => r.path.clone(),
                ingest::Opened::Parquet(p) => p.clone(),
            },
        };
        inputs.files.iter().position(|(f, _)| *f == p)
    };
    sources.sort_by_key(position);
    Ok(sources)
}

/// A chunk of valid rows prepared on the reader thread: its zero-padded codes restored
/// (and what was restored), the quarters and regions it holds.
struct Prepared {
    chunk: DataFrame,
    restored: Vec<ingest::link::Restored>,
    seen: Seen,
}

/// Calls `each` with `prepare` of every chunk of valid rows of `table`'s files (at least
/// one chunk, empty when there are no rows), in file order; records each file's report
/// and quarantine in `ingested`. For Parquet, `prepare` runs on the reader thread.
#[allow(clippy::too_many_arguments)]
fn for_each_chunk<T: Send>(
    sources: &mut [Option<Source>],
    table: Table,
    chunk_rows: usize,
    settings: &Settings,
    profile: &Profile,
    ingested: &mut Ingested,
    prepare: &(dyn Fn(DataFrame) -> Result<T> + Sync),
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut any = false;
    for slot in sources.iter_mut() {
        if slot.as_ref().is_none_or(|s| s.table() != table) {
            continue;
        }
        match slot.take().expect("checked") {
            Source::Loaded { opened, .. } => {
                let validated = ingest::validate_in_scope(&opened, table, settings)?;
                drop(opened);
                let frame = validated.frame;
                record(
                    ingested,
                    table,
                    validated.report,
                    validated.quarantine,
                    validated.cells,
                );
                let mut offset = 0;
                loop {
                    let len = chunk_rows.min(frame.height() - offset);
                    each(prepare(frame.slice(offset as i64, len))?)?;
                    any = true;
                    offset += len;
                    if offset >= frame.height() {
                        break;
                    }
                }
            }
            Source::Parquet {
                path,
                rows,
                metadata,
                ..
            } => {
                // A reader thread reads, validates and prepares the next slice while this
                // one derives and sums the current: the two halves take similar time, and
                // the slice is handed over, not queued (two slices in memory, not three).
                let mut report: Option<FileReport> = None;
                std::thread::scope(|scope| -> Result<()> {
                    let (send, receive) = std::sync::mpsc::sync_channel(0);
                    let (path, metadata) = (&path, &metadata);
                    scope.spawn(move || {
                        let mut offset = 0;
                        loop {
                            let len = chunk_rows.min(rows - offset);
                            let chunk =
                                read_slice(path, metadata, offset, len, table, settings, profile)
                                    .and_then(|mut v| {
                                        let frame = prepare(std::mem::take(&mut v.frame))?;
                                        Ok((v, frame))
                                    });
                            let failed = chunk.is_err();
                            // A closed channel means the consumer stopped on an error.
                            if send.send(chunk).is_err() || failed {
                                break;
                            }
                            offset += len;
                            if offset >= rows {
                                break;
                            }
                        }
                    });
                    for v in receive {
                        let (v, frame) = v?;
                        match &mut report {
                            None => report = Some(v.report),
                            Some(r) => r.absorb(v.report),
                        }
                        ingested.record(table, v.quarantine, v.cells);
                        each(frame)?;
                        any = true;
                    }
                    Ok(())
                })?;
                ingested
                    .files
                    .push(report.expect("at least one chunk").finish());
            }
        }
    }
    if !any {
        each(prepare(ingest::empty_table(table))?)?;
    }
    Ok(())
}

/// Rows `offset .. offset + len` of a Parquet file, validated; row numbers count from
/// the file's first row.
fn read_slice(
    path: &Path,
    metadata: &polars::io::parquet::metadata::FileMetadataRef,
    offset: usize,
    len: usize,
    table: Table,
    settings: &Settings,
    profile: &Profile,
) -> Result<validate::Validated> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let df = profile
        .time("read", || {
            let mut reader = ParquetReader::new(file).with_slice(Some((offset, len)));
            reader.set_metadata(metadata.clone());
            reader.finish()
        })
        .map_err(|e| Error::input(path, format!("not a readable Parquet file: {e}")))?;
    let mut raw = read::from_frame(path, df)?;
    raw.first_row += offset;
    profile.time("validate", || validate::validate(&raw, table, settings))
}

fn record(
    ingested: &mut Ingested,
    table: Table,
    report: FileReport,
    quarantine: Vec<ingest::QuarantineRow>,
    cells: Vec<ingest::CellFinding>,
) {
    ingested.files.push(report.finish());
    ingested.record(table, quarantine, cells);
}
