//! Validation: a [`RawTable`] of text cells → the canonical typed frame of valid rows,
//! one quarantine record per rejected row with every reason found, and one cell finding
//! per unknown cell of a kept row. Personal data columns are dropped here and only ever
//! leave masked, inside quarantine records.
//!
//! The cell policy (docs/SPEC.md §1): a row is quarantined only when what makes it usable is
//! missing or wrong — its id, region, matter code (cases), a required timestamp, its
//! satisfaction (ratings), or an id a spreadsheet damaged. Any other bad cell keeps its
//! row, becomes unknown (null) and is recorded as a [`CellFinding`]. Summary rows
//! (合计/总计/小计) are skipped and counted, never read as cases.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::read::RawTable;
use super::values::{self, Place, Problem, Reason};
use super::vocabulary::fold;
use super::{CellFinding, FileReport, QuarantineRow, ScoreTally};
use crate::error::{Error, PolarsContext, Result};
use crate::schema::{
    header_keys, personal_column, Column, Kind, Personal, Table, REGION_NAME_HEADERS,
};
use crate::settings::Settings;

/// Valid rows of one file, its quarantine, its cell findings, and its counts.
pub struct Validated {
    pub frame: DataFrame,
    pub quarantine: Vec<QuarantineRow>,
    pub cells: Vec<CellFinding>,
    pub report: FileReport,
}

/// Which raw column feeds each canonical column; personal and unknown columns.
struct HeaderMap {
    canonical: Vec<(&'static Column, usize)>,
    personal: Vec<(usize, Personal)>,
    unknown: Vec<String>,
}

/// Whether a header names a canonical column of `table` (by name, Chinese name, alias
/// or the user's mapping), trying the whole header first, then it without its note.
pub fn canonical_column(
    table: Table,
    header: &str,
    settings: &Settings,
) -> Option<&'static Column> {
    header_keys(header).iter().find_map(|key| {
        if let Some(name) = settings.aliases.get(table, key) {
            return table.column(name);
        }
        table.columns().iter().find(|c| {
            [c.name, c.chinese]
                .iter()
                .chain(c.aliases)
                .any(|a| &header_keys(a)[0] == key)
        })
    })
}

/// Whether a header names a district by name (所属区县, 行政区划名称 …).
pub fn is_region_name_header(header: &str) -> bool {
    let keys = header_keys(header);
    REGION_NAME_HEADERS
        .iter()
        .any(|h| keys.contains(&header_keys(h)[0]))
}

fn map_headers(raw: &RawTable, table: Table, settings: &Settings) -> Result<HeaderMap> {
    let mut map = HeaderMap {
        canonical: vec![],
        personal: vec![],
        unknown: vec![],
    };
    let mut region_names = Vec::new();
    for (i, header) in raw.headers.iter().enumerate() {
        if let Some(p) = header_keys(header).iter().find_map(|k| personal_column(k)) {
            map.personal.push((i, p));
        } else if let Some(col) = canonical_column(table, header, settings) {
            if let Some((_, j)) = map.canonical.iter().find(|(c, _)| c.name == col.name) {
                return Err(Error::input(
                    &raw.path,
                    format!(
                        "columns {} '{}' and {} '{}' both mean {} ({})\nhint: remove or rename one of them",
                        column_letter(*j), raw.headers[*j], column_letter(i), header, col.chinese, col.name
                    ),
                ));
            }
            map.canonical.push((col, i));
        } else if is_region_name_header(header) {
            region_names.push(i);
        } else if !header.is_empty() {
            // A column without a header (a CSV's trailing separator) is not "unknown";
            // its cells still show in quarantine records.
            map.unknown.push(header.clone());
        }
    }
    // A district name column stands in for a missing code column.
    let has_code = map.canonical.iter().any(|(c, _)| c.name == "region_code");
    for i in region_names {
        match table.column("region_code") {
            Some(c) if !has_code && !map.canonical.iter().any(|(m, _)| m.name == c.name) => {
                map.canonical.push((c, i));
            }
            _ => map.unknown.push(raw.headers[i].clone()),
        }
    }
    let missing: Vec<&Column> = table
        .columns()
        .iter()
        .filter(|c| c.required && !map.canonical.iter().any(|(m, _)| m.name == c.name))
        .collect();
    if !missing.is_empty() {
        let accepted: Vec<String> = missing
            .iter()
            .map(|c| {
                let mut names: Vec<&str> = [c.chinese, c.name]
                    .into_iter()
                    .chain(c.aliases.iter().copied())
                    .collect();
                if c.name == "region_code" {
                    names.extend(REGION_NAME_HEADERS.iter().copied());
                }
                format!("{}: {}", c.chinese, names.join(" / "))
            })
            .collect();
        let shown: Vec<String> = missing
            .iter()
            .map(|c| format!("'{}' ({})", c.chinese, c.name))
            .collect();
        return Err(Error::input(
            &raw.path,
            format!(
                "missing required column {} for the {} table ({})\nhint: accepted headers — {}; or add your header to a --mapping file",
                shown.join(", "),
                table.chinese(),
                table.name(),
                accepted.join("; ")
            ),
        ));
    }
    Ok(map)
}

/// Spreadsheet column name of a 0-based index: A … Z, AA …
pub fn column_letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII")
}

/// Per-row problems, keyed by data-row index: (column heading, reason).
type RowErrors = BTreeMap<usize, Vec<(String, Reason)>>;

/// What parsing one column gave.
struct Parsed {
    series: Series,
    /// Cells that failed: data-row index and why.
    failures: Vec<(usize, Reason)>,
    scores: Option<ScoreTally>,
    /// Townships named by 9/12-digit codes of the region column.
    townships: Option<Series>,
}

/// Words that mark a summary row (合计行) of an export.
const TOTAL_WORDS: [&str; 6] = ["合计", "总计", "小计", "总合计", "合计行", "total"];

pub fn validate(raw: &RawTable, table: Table, settings: &Settings) -> Result<Validated> {
    let map = map_headers(raw, table, settings)?;
    let n = raw.height();
    // Columns are parsed in parallel, each with its own failures; merged in column order,
    // so a row's reasons and the first error are the same as parsing one by one.
    use rayon::prelude::*;
    let parsed: Vec<Result<Parsed>> = table
        .columns()
        .par_iter()
        .map(
            |spec| match map.canonical.iter().find(|(c, _)| c.name == spec.name) {
                Some((_, i)) => {
                    let label = format!("{} ({})", raw.headers[*i], spec.name);
                    let mut p = parse_column(spec, table, *i, &label, settings, raw)?;
                    p.series = with_default(spec, p.series).context("applying defaults")?;
                    Ok(p)
                }
                None => Ok(Parsed {
                    series: with_default(
                        spec,
                        Series::full_null(spec.name.into(), n, &spec.kind.dtype()),
                    )
                    .context("applying defaults")?,
                    failures: vec![],
                    scores: None,
                    townships: None,
                }),
            },
        )
        .collect();
    let mut errors: RowErrors = BTreeMap::new();
    let mut cell_failures: Vec<(usize, &'static Column, String, Reason)> = Vec::new();
    let mut scores = None;
    let mut columns: Vec<Series> = Vec::with_capacity(table.columns().len());
    let mut townships_from_region = None;
    for (spec, p) in table.columns().iter().zip(parsed) {
        let p = p?;
        let label = match index_of(&map, spec) {
            Some(i) => format!("{} ({})", raw.headers[i], spec.name),
            None => spec.label(),
        };
        for (r, reason) in p.failures {
            if spec.key || reason.problem == Problem::DamagedId {
                errors.entry(r).or_default().push((label.clone(), reason));
            } else {
                cell_failures.push((r, spec, label.clone(), reason));
            }
        }
        scores = scores.or(p.scores);
        if p.townships.is_some() {
            townships_from_region = p.townships;
        }
        columns.push(p.series);
    }
    for (r, reason) in &raw.bad_rows {
        errors
            .entry(*r)
            .or_default()
            .insert(0, ("整行 whole row".to_owned(), reason.clone()));
    }
    // Townships named by the region column fill the township column where it is empty.
    if let Some(from_region) = townships_from_region {
        if let Some(at) = table
            .columns()
            .iter()
            .position(|c| c.name == "township_code")
        {
            let own = &columns[at];
            let filled = if own.null_count() == own.len() {
                from_region
            } else {
                own.zip_with(&own.is_not_null(), &from_region)
                    .context("township codes")?
            };
            columns[at] = filled.with_name("township_code".into());
        }
    }
    // Summary rows (合计/总计/小计) fail their id; they are skipped, not quarantined.
    let mut total_rows = Vec::new();
    errors.retain(|r, _| {
        if is_total_row(raw, *r) {
            total_rows.push(raw.first_row + r);
            false
        } else {
            true
        }
    });
    cell_failures.retain(|(r, ..)| !total_rows.contains(&(raw.first_row + r)));
    let skip: Vec<usize> = total_rows.iter().map(|r| r - raw.first_row).collect();

    let columns: Vec<polars::prelude::Column> = columns.into_iter().map(Into::into).collect();
    let mut frame = DataFrame::new(n, columns).context("assembling table")?;
    if table == Table::Cases {
        frame = infer_status(frame)?;
    }
    let frame = if errors.is_empty() && skip.is_empty() {
        frame
    } else {
        let valid = BooleanChunked::from_iter_values(
            "valid".into(),
            (0..n).map(|r| !errors.contains_key(&r) && !skip.contains(&r)),
        );
        frame.filter(&valid).context("filtering valid rows")?
    };

    // A bad cell of a quarantined row is one more reason for it; of a kept row, a finding.
    let mut cells = Vec::new();
    let mut report_unknown: BTreeMap<&'static str, super::ColumnUnknowns> = BTreeMap::new();
    for (r, spec, label, reason) in cell_failures {
        if let Some(reasons) = errors.get_mut(&r) {
            reasons.push((label, reason));
            continue;
        }
        let value = index_of(&map, spec)
            .and_then(|i| raw.cell_text(i, r))
            .unwrap_or_default();
        let u = report_unknown.entry(spec.name).or_default();
        u.cells += 1;
        if u.values.len() < super::UNKNOWN_VALUES_KEPT || u.values.contains_key(&value) {
            *u.values.entry(value.clone()).or_default() += 1;
        }
        cells.push(CellFinding {
            file: raw.path.display().to_string(),
            row: raw.first_row + r,
            column: spec.name,
            heading: label,
            value: shown(&value),
            reason,
        });
    }
    let quarantine: Vec<QuarantineRow> = errors
        .into_iter()
        .map(|(r, problems)| QuarantineRow {
            file: raw.path.display().to_string(),
            row: raw.first_row + r,
            problems,
            record: record_json(raw, &map, r),
        })
        .collect();
    let report = FileReport {
        table,
        path: raw.path.display().to_string(),
        encoding: raw.encoding,
        format: raw.format,
        sheet: raw.sheet.clone(),
        rows_read: n,
        valid: frame.height(),
        quarantined: quarantine.len(),
        total_rows,
        unknown: report_unknown,
        unknown_columns: map.unknown,
        personal_columns_dropped: map
            .personal
            .iter()
            .map(|(i, _)| raw.headers[*i].clone())
            .collect(),
        warnings: raw.warnings.clone(),
        scores,
    };
    Ok(Validated {
        frame,
        quarantine,
        cells,
        report,
    })
}

fn index_of(map: &HeaderMap, spec: &Column) -> Option<usize> {
    map.canonical
        .iter()
        .find(|(c, _)| c.name == spec.name)
        .map(|(_, i)| *i)
}

/// Whether a rejected row is an export's summary row: one of its first three filled
/// cells says 合计, 总计 or 小计.
fn is_total_row(raw: &RawTable, row: usize) -> bool {
    (0..raw.headers.len())
        .filter_map(|c| raw.cell_text(c, row))
        .filter(|t| !t.trim().is_empty())
        .take(3)
        .any(|t| {
            let f = fold(&t);
            let f = f.trim_end_matches([':', '：']);
            TOTAL_WORDS.contains(&f)
        })
}

/// The original row as JSON (header → text), personal data masked.
fn record_json(raw: &RawTable, map: &HeaderMap, row: usize) -> String {
    let mut obj = serde_json::Map::new();
    for (i, header) in raw.headers.iter().enumerate() {
        let value = raw.cell_text(i, row);
        let shown = match (value.as_deref(), map.personal.iter().find(|(j, _)| *j == i)) {
            (Some(v), Some((_, kind))) => serde_json::Value::String(mask(v, *kind)),
            (Some(v), None) => serde_json::Value::String(shown(v)),
            (None, _) if header.is_empty() => continue,
            (None, _) => serde_json::Value::Null,
        };
        obj.insert(header.clone(), shown);
    }
    serde_json::Value::Object(obj).to_string()
}

/// A value as quarantine and cell findings show it: cut to [`SHOWN_IN_QUARANTINE`] bytes.
fn shown(v: &str) -> String {
    if v.len() <= SHOWN_IN_QUARANTINE {
        return v.to_owned();
    }
    let cut = (0..=SHOWN_IN_QUARANTINE)
        .rev()
        .find(|i| v.is_char_boundary(*i))
        .unwrap_or(0);
    format!("{}…（共{}字节）", &v[..cut], v.len())
}

/// Masks personal data the way Chinese systems show it: `张*`, `370***********1234`,
/// `138****5678`, `山东省****`.
pub fn mask(value: &str, kind: Personal) -> String {
    let chars: Vec<char> = value.trim().chars().collect();
    let n = chars.len();
    let keep = |head: usize, tail: usize| -> String {
        if n <= head + tail {
            return "*".repeat(n.max(1));
        }
        let mut s: String = chars[..head].iter().collect();
        s.push_str(&"*".repeat(n - head - tail));
        s.extend(&chars[n - tail..]);
        s
    };
    match kind {
        Personal::Name => {
            if n == 0 {
                String::new()
            } else {
                format!("{}{}", chars[0], "*".repeat((n - 1).max(1)))
            }
        }
        Personal::IdNumber | Personal::Phone => keep(3, 4),
        Personal::Address => {
            chars
                .iter()
                .take(3.min(n.saturating_sub(1)))
                .collect::<String>()
                + "****"
        }
    }
}

fn parse_column(
    spec: &'static Column,
    table: Table,
    index: usize,
    label: &str,
    settings: &Settings,
    raw: &RawTable,
) -> Result<Parsed> {
    let name: PlSmallStr = spec.name.into();
    let done = |series: Series, failures: Vec<(usize, Reason)>| Parsed {
        series,
        failures,
        scores: None,
        townships: None,
    };
    if let Some(series) = as_is(spec, table, raw, index, settings)? {
        return Ok(done(series, vec![]));
    }
    let text: StringChunked;
    let col = match (&raw.typed[index], spec.kind) {
        (Some(typed), Kind::Timestamp | Kind::Date)
            if matches!(typed.dtype(), DataType::Datetime(..) | DataType::Date) =>
        {
            let (series, failures) = typed_dates(spec, typed, label, settings, raw)?;
            return Ok(done(series, failures));
        }
        (Some(typed), _) => {
            text = typed
                .cast(&DataType::String)
                .context("casting to text")?
                .str()
                .context("casting to text")?
                .clone();
            &text
        }
        (None, _) => &raw.columns[index],
    };
    let place = Place {
        vocabulary: &settings.vocabulary,
        table,
        column: spec.name,
    };
    // Codes, enums and numbers repeat: each distinct text is parsed once.
    let memo = !matches!(spec.kind, Kind::Text | Kind::Id | Kind::Timestamp);
    let mut failures = Vec::new();
    macro_rules! typed {
        ($chunked:ty, $parse:expr) => {{
            let values = parse_cells(col, spec.required, spec.key, &mut failures, memo, $parse);
            <$chunked>::from_iter_options(name.clone(), values.into_iter()).into_series()
        }};
    }
    let mut scores = None;
    let mut townships = None;
    let series = match spec.kind {
        Kind::Text => typed!(StringChunked, |s: &str| Ok::<_, Reason>(s.to_owned())),
        Kind::Id => typed!(StringChunked, values::parse_id),
        Kind::RegionCode => {
            let values = typed!(StringChunked, |s: &str| region_value(settings, s));
            let ca = values.str().context("region codes")?;
            if ca.iter().flatten().any(|v| v.len() > 6) {
                townships = Some(
                    StringChunked::from_iter_options(
                        "township_code".into(),
                        ca.iter().map(|v| v.filter(|v| v.len() == 9)),
                    )
                    .into_series(),
                );
                StringChunked::from_iter_options(
                    name.clone(),
                    ca.iter().map(|v| v.map(|v| &v[..6])),
                )
                .into_series()
            } else {
                values
            }
        }
        Kind::TownshipCode => typed!(StringChunked, township_value),
        Kind::DayUnit
        | Kind::Category
        | Kind::CaseChannel
        | Kind::CaseType
        | Kind::Status
        | Kind::RatingChannel => {
            typed!(StringChunked, |s: &str| text_value(spec.kind, place, s))
        }
        Kind::Timestamp => {
            let (first, last) = plausible_days();
            let ms = typed!(Int64Chunked, |s: &str| {
                values::parse_timestamp(s).and_then(|ms| plausible(ms, first, last, s))
            });
            if crate::schema::WORKING_DAY_COLUMNS.contains(&spec.name) {
                check_calendar(ms.i64().context("timestamps")?, label, settings, raw)?;
            }
            ms.cast(&spec.kind.dtype()).context("casting timestamps")?
        }
        Kind::Date => {
            let (first, last) = plausible_days();
            typed!(Int32Chunked, |s: &str| {
                values::parse_date(s)
                    .and_then(|d| plausible(i64::from(d) * 86_400_000, first, last, s).map(|_| d))
            })
            .cast(&DataType::Date)
            .context("casting dates")?
        }
        Kind::Count | Kind::PromisedDays => typed!(Int32Chunked, count_parser(spec.kind)),
        Kind::OnlineDepth => {
            typed!(Int32Chunked, |s: &str| values::parse_online_depth(place, s))
        }
        Kind::Bool => typed!(BooleanChunked, |s: &str| values::parse_bool(place, s)),
        Kind::RatingMode => typed!(BooleanChunked, |s: &str| values::parse_rating_mode(
            place, s
        )),
        Kind::AppealResult => typed!(BooleanChunked, |s: &str| values::parse_appeal_result(
            place, s
        )),
        Kind::Satisfaction => {
            let scale = settings.score_scale;
            if scale == values::ScoreScale::Gbt39046 {
                scores = Some(tally_scores(col, label));
            }
            typed!(Int32Chunked, |s: &str| values::parse_satisfaction(
                place, s, scale
            ))
        }
    };
    Ok(Parsed {
        series,
        failures,
        scores,
        townships,
    })
}

/// The district code (with its township, when the cell names one: `371402001`) of a
/// region cell: a 6/9/12-digit code, or a name resolved within the data's scope.
fn region_value(settings: &Settings, s: &str) -> Result<String, Reason> {
    match values::region_digits(s) {
        Some(Ok((district, township))) => {
            if settings.regions.contains(&district) {
                Ok(township.unwrap_or(district))
            } else {
                Err(Reason::new(
                    Problem::UnknownRegion,
                    format!(
                        "未知的行政区划代码 unknown region code '{district}' (not in GB/T 2260 table)"
                    ),
                ))
            }
        }
        Some(Err(r)) => Err(r),
        None => settings.regions.resolve_name(s, &settings.region_scope),
    }
}

/// A township code: 9 digits, or the first 9 of a 12-digit 统计用区划代码 (none when its
/// township part is 000: the district itself).
fn township_value(s: &str) -> Result<String, Reason> {
    match values::region_digits(s) {
        Some(Ok((_, Some(township)))) => Ok(township),
        _ => Err(Reason::new(
            Problem::RegionFormat,
            format!(
                "乡镇代码须为9或12位数字 township code must be 9 or 12 digits (got '{}')",
                s.trim()
            ),
        )),
    }
}

/// The canonical text of an enum cell. The one parser of these kinds, for the cell path
/// and for `as_is`.
fn text_value(kind: Kind, place: Place<'_>, s: &str) -> Result<String, Reason> {
    match kind {
        Kind::DayUnit => values::parse_day_unit(place, s),
        Kind::Category => values::parse_category(place, s),
        Kind::CaseChannel => values::parse_case_channel(place, s),
        Kind::CaseType => values::parse_case_type(place, s),
        Kind::Status => values::parse_status(place, s),
        Kind::RatingChannel => values::parse_rating_channel(place, s),
        other => unreachable!("{other:?} is not an enum kind"),
    }
    .map(str::to_owned)
}

/// The parser of a whole-number kind.
fn count_parser(kind: Kind) -> fn(&str) -> Result<i32, Reason> {
    match kind {
        Kind::Count => values::parse_count,
        Kind::PromisedDays => values::parse_promised_days,
        other => unreachable!("{other:?} is not a count kind"),
    }
}

/// The days (day numbers) a real date can fall on: from 2000-01-01 to today. A date
/// outside is a typo (docs/SPEC.md §3.1).
fn plausible_days() -> (i32, i32) {
    (
        crate::time::days_from_civil(2000, 1, 1).expect("valid"),
        crate::time::today(),
    )
}

fn plausible(ms: i64, first: i32, last: i32, text: &str) -> Result<i64, Reason> {
    let day = ms.div_euclid(86_400_000);
    if day < i64::from(first) || day > i64::from(last) {
        return Err(Reason::new(
            Problem::ImplausibleDate,
            format!(
                "日期不合理 date '{}' is after today or before 2000 (a typo?)",
                text.trim()
            ),
        ));
    }
    Ok(ms)
}

/// The column itself, when every value is already what parsing would make of it —
/// canonical Parquet (`pingjia export-canonical`, `pingjia sample --format parquet`, a
/// platform's typed export) then skips building the column again cell by cell. `None`
/// means "parse it": any doubt (a blank, padding, a value that parses to something else,
/// too many distinct values to check) takes the ordinary path.
fn as_is(
    spec: &Column,
    table: Table,
    raw: &RawTable,
    index: usize,
    settings: &Settings,
) -> Result<Option<Series>> {
    let series = match &raw.typed[index] {
        Some(typed) => typed.clone(),
        None => raw.columns[index].clone().into_series(),
    };
    if (spec.required || spec.key) && series.null_count() > 0 {
        return Ok(None);
    }
    // A column the file lacks values for (townships in a district export): no cell to
    // parse.
    if series.null_count() == series.len() {
        return Ok(Some(Series::full_null(
            spec.name.into(),
            series.len(),
            &spec.kind.dtype(),
        )));
    }
    let clean = |v: &str| {
        !v.is_empty()
            && v.len() <= MAX_CELL
            && !v.starts_with(char::is_whitespace)
            && !v.ends_with(char::is_whitespace)
    };
    let named = |s: Series| s.with_name(spec.name.into());
    let place = Place {
        vocabulary: &settings.vocabulary,
        table,
        column: spec.name,
    };
    match (series.dtype(), spec.kind) {
        (DataType::String, Kind::Text) => {
            let ca = series.str().context("checking text")?;
            Ok(ca
                .iter()
                .flatten()
                .all(clean)
                .then(|| named(series.clone())))
        }
        (DataType::String, Kind::Id) => {
            let ca = series.str().context("checking ids")?;
            Ok(ca
                .iter()
                .flatten()
                .all(|v| clean(v) && !values::id_may_be_damaged(v))
                .then(|| named(series.clone())))
        }
        (
            DataType::String,
            kind @ (Kind::RegionCode
            | Kind::DayUnit
            | Kind::Category
            | Kind::CaseChannel
            | Kind::CaseType
            | Kind::Status
            | Kind::RatingChannel),
        ) => {
            let distinct = series.unique().context("distinct values")?;
            if distinct.len() > MEMO_LIMIT {
                return Ok(None);
            }
            let canonical = distinct
                .str()
                .context("distinct values")?
                .iter()
                .flatten()
                .all(|v| {
                    clean(v)
                        && match kind {
                            Kind::RegionCode => {
                                v.len() == 6 && region_value(settings, v).as_deref() == Ok(v)
                            }
                            _ => text_value(kind, place, v).as_deref() == Ok(v),
                        }
                });
            Ok(canonical.then(|| named(series)))
        }
        (dtype, Kind::Count | Kind::PromisedDays | Kind::OnlineDepth) if dtype.is_integer() => {
            let distinct = series
                .unique()
                .and_then(|s| s.cast(&DataType::Int64))
                .context("distinct values")?;
            let canonical = distinct
                .i64()
                .context("distinct values")?
                .iter()
                .flatten()
                .all(|v| {
                    let parsed = match spec.kind {
                        Kind::OnlineDepth => values::parse_online_depth(place, &v.to_string()),
                        kind => count_parser(kind)(&v.to_string()),
                    };
                    parsed == Ok(v as i32) && i64::from(v as i32) == v
                });
            if !canonical {
                return Ok(None);
            }
            Ok(Some(named(
                series.cast(&DataType::Int32).context("casting counts")?,
            )))
        }
        (DataType::Boolean, Kind::Bool | Kind::RatingMode | Kind::AppealResult) => {
            Ok(Some(named(series)))
        }
        _ => Ok(None),
    }
}

/// A column that already holds timestamps or dates (typed Parquet): only the required,
/// plausibility and calendar checks remain, with the same messages as for text.
fn typed_dates(
    spec: &Column,
    typed: &Series,
    label: &str,
    settings: &Settings,
    raw: &RawTable,
) -> Result<(Series, Vec<(usize, Reason)>)> {
    let mut series = typed
        .cast(&spec.kind.dtype())
        .context("casting dates")?
        .with_name(spec.name.into());
    let mut failures = Vec::new();
    if (spec.required || spec.key) && series.null_count() > 0 {
        for (r, valid) in series.is_not_null().iter().enumerate() {
            if valid != Some(true) {
                failures.push((
                    r,
                    Reason::new(Problem::Empty, "必填项为空 required value is empty"),
                ));
            }
        }
    }
    let ms = series
        .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
        .and_then(|s| s.cast(&DataType::Int64))
        .context("timestamps")?;
    let ms = ms.i64().context("timestamps")?.clone();
    let (first, last) = plausible_days();
    let inside = |v: Option<i64>| {
        v.is_none_or(|ms| {
            let day = ms.div_euclid(86_400_000);
            day >= i64::from(first) && day <= i64::from(last)
        })
    };
    // One pass for both ends: the plausibility and the schedule checks use them.
    let (mut lo, mut hi) = (ms.min(), ms.max());
    let ms = if inside(lo) && inside(hi) {
        ms
    } else {
        // Dates outside 2000…today are typos: their cells fail and become null.
        let mut kept = Vec::with_capacity(ms.len());
        for (r, v) in ms.iter().enumerate() {
            match v {
                Some(v) if !inside(Some(v)) => {
                    let day = v
                        .div_euclid(86_400_000)
                        .clamp(i32::MIN.into(), i32::MAX.into());
                    let text = crate::time::civil_from_days(day as i32);
                    failures.push((r, plausible(v, first, last, &text.to_string()).unwrap_err()));
                    kept.push(None);
                }
                other => kept.push(other),
            }
        }
        let kept = Int64Chunked::from_iter_options(spec.name.into(), kept.into_iter());
        series = kept
            .clone()
            .into_series()
            .cast(&DataType::Datetime(TimeUnit::Milliseconds, None))
            .and_then(|s| s.cast(&spec.kind.dtype()))
            .context("casting dates")?;
        (lo, hi) = (kept.min(), kept.max());
        kept
    };
    if spec.kind == Kind::Timestamp && crate::schema::WORKING_DAY_COLUMNS.contains(&spec.name) {
        // Dates inside the schedule's years pass; only a column reaching outside is walked.
        let in_schedule = |v: Option<i64>| {
            v.is_none_or(|ms| {
                settings
                    .calendar
                    .w(ms.div_euclid(86_400_000) as i32)
                    .is_ok()
            })
        };
        if !(in_schedule(lo) && in_schedule(hi)) {
            check_calendar(&ms, label, settings, raw)?;
        }
    }
    failures.sort_by_key(|(r, _)| *r);
    Ok((series, failures))
}

/// A date counted in working days must lie in the holiday schedule's known years
/// (docs/SPEC.md §3.1): the first one outside stops the run, naming its row and column, unless the
/// user opted in to the weekday rule. (Dates after today or before 2000 were already
/// taken as typos.)
fn check_calendar(
    ms: &Int64Chunked,
    label: &str,
    settings: &Settings,
    raw: &RawTable,
) -> Result<()> {
    for (r, v) in ms.iter().enumerate() {
        let Some(ms) = v else { continue };
        let day = ms.div_euclid(86_400_000) as i32;
        if let Err(e) = settings.calendar.w(day) {
            return Err(Error::input(
                &raw.path,
                format!(
                    "row {}, column {label}: date {} is outside the holiday schedule ({}–{})\nhint: add that year with --calendar FILE, or count weekdays only with --weekday-only-outside-calendar",
                    raw.first_row + r,
                    e.date,
                    e.first,
                    e.last
                ),
            ));
        }
    }
    Ok(())
}

/// Longest cell value accepted (a matter name is < 200 bytes; a longer value is a broken
/// export). Quarantine shows the first [`SHOWN_IN_QUARANTINE`] bytes of such a value.
pub const MAX_CELL: usize = 32 * 1024;
/// Most distinct texts a column's parse cache holds.
const MEMO_LIMIT: usize = 1 << 16;
const SHOWN_IN_QUARANTINE: usize = 1024;

/// Parses every cell of a column in one pass; empty cells are null (a failure when the
/// column is required or a key), unparseable cells are null and add a failure for
/// their row.
fn parse_cells<T: Clone>(
    col: &StringChunked,
    required: bool,
    key: bool,
    failures: &mut Vec<(usize, Reason)>,
    memo: bool,
    parse: impl Fn(&str) -> Result<T, Reason>,
) -> Vec<Option<T>> {
    // With `memo`, results are cached per distinct text (up to MEMO_LIMIT texts).
    let mut seen: PlHashMap<&str, Result<T, Reason>> = PlHashMap::default();
    col.iter()
        .enumerate()
        .map(|(r, v)| match v.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                if required || key {
                    failures.push((
                        r,
                        Reason::new(Problem::Empty, "必填项为空 required value is empty"),
                    ));
                }
                None
            }
            Some(s) if s.len() > MAX_CELL => {
                failures.push((
                    r,
                    Reason::new(
                        Problem::TooLong,
                        format!("单元格过长 value of {} bytes (limit {MAX_CELL})", s.len()),
                    ),
                ));
                None
            }
            Some(s) => match match seen.get(s) {
                Some(cached) => cached.clone(),
                None => {
                    let result = parse(s);
                    if memo && seen.len() < MEMO_LIMIT {
                        seen.insert(s, result.clone());
                    }
                    result
                }
            } {
                Ok(value) => Some(value),
                Err(reason) => {
                    failures.push((r, reason));
                    None
                }
            },
        })
        .collect()
}

/// Counts the numeric scores and the 5s among them (GB/T 39046 codes 1 as best; a file
/// mostly coded 5 was probably written in stars — see [`FileReport::finish`]).
fn tally_scores(col: &StringChunked, label: &str) -> ScoreTally {
    let mut tally = ScoreTally {
        label: label.to_owned(),
        ..Default::default()
    };
    for v in col
        .iter()
        .flatten()
        .filter_map(|s| s.trim().parse::<i64>().ok())
    {
        tally.numeric += 1;
        tally.fives += usize::from(v == 5);
    }
    tally
}

/// The defaults for empty cells (docs/SPEC.md §2): units 工作日, suspended days 0, ratings
/// real-name, given by a person (not 默认评价) and with no appeal upheld.
fn with_default(spec: &Column, s: Series) -> PolarsResult<Series> {
    let filled = match (spec.name, spec.kind) {
        (_, Kind::DayUnit) => StringChunked::from_iter_options(
            spec.name.into(),
            s.str()?.iter().map(|v| Some(v.unwrap_or("workday"))),
        )
        .into_series(),
        ("suspended_days", _) => s.fill_null(FillNullStrategy::Zero)?,
        ("real_name", _) => BooleanChunked::from_iter_options(
            spec.name.into(),
            s.bool()?.iter().map(|v| Some(v.unwrap_or(true))),
        )
        .into_series(),
        ("is_default" | "appeal_upheld", _) => BooleanChunked::from_iter_options(
            spec.name.into(),
            s.bool()?.iter().map(|v| Some(v.unwrap_or(false))),
        )
        .into_series(),
        _ => return Ok(s),
    };
    Ok(filled.with_name(spec.name.into()))
}

/// An empty (or unknown) 办件状态 means 办结 when there is a 办结时间, else 在办.
fn infer_status(frame: DataFrame) -> Result<DataFrame> {
    frame
        .lazy()
        .with_column(
            when(
                col("status")
                    .is_null()
                    .and(col("completed_at").is_not_null()),
            )
            .then(lit("completed"))
            .when(col("status").is_null())
            .then(lit("in_progress"))
            .otherwise(col("status"))
            .alias("status"),
        )
        .collect()
        .context("inferring case status")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_column_letters() {
        let l: Vec<String> = [0, 25, 26, 27, 51, 52, 701, 702].map(column_letter).into();
        assert_eq!(l, ["A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn masks_like_chinese_systems() {
        assert_eq!(mask("张三", Personal::Name), "张*");
        assert_eq!(mask("欧阳娜娜", Personal::Name), "欧***");
        assert_eq!(
            mask("370303199001011234", Personal::IdNumber),
            "370***********1234"
        );
        assert_eq!(mask("13812345678", Personal::Phone), "138****5678");
        assert_eq!(
            mask("山东省淄博市张店区人民路1号", Personal::Address),
            "山东省****"
        );
    }
}
