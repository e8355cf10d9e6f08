//! Validation: a [`RawTable`] of text cells → the canonical typed frame of valid rows,
//! plus one quarantine record per rejected row with every reason found. Personal data
//! columns are dropped here and only ever leave masked, inside quarantine records.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::read::RawTable;
use super::values::{self, Reason};
use super::{FileReport, QuarantineRow, ScoreTally};
use crate::error::{Error, PolarsContext, Result};
use crate::schema::{normalise_header, personal_column, Column, Kind, Personal, Table};
use crate::settings::Settings;

/// Valid rows of one file, its quarantine, and its counts.
pub struct Validated {
    pub frame: DataFrame,
    pub quarantine: Vec<QuarantineRow>,
    pub report: FileReport,
}

/// Which raw column feeds each canonical column; personal and unknown columns.
struct HeaderMap {
    canonical: Vec<(&'static Column, usize)>,
    personal: Vec<(usize, Personal)>,
    unknown: Vec<String>,
}

/// Whether a normalised header names a canonical column of `table` (by name, Chinese
/// name, alias or the user's mapping).
pub fn canonical_column(
    table: Table,
    normalised: &str,
    settings: &Settings,
) -> Option<&'static Column> {
    if let Some(name) = settings.aliases.get(table, normalised) {
        return table.column(name);
    }
    table.columns().iter().find(|c| {
        normalise_header(c.name) == normalised
            || normalise_header(c.chinese) == normalised
            || c.aliases.iter().any(|a| normalise_header(a) == normalised)
    })
}

fn map_headers(raw: &RawTable, table: Table, settings: &Settings) -> Result<HeaderMap> {
    let mut map = HeaderMap {
        canonical: vec![],
        personal: vec![],
        unknown: vec![],
    };
    for (i, header) in raw.headers.iter().enumerate() {
        let norm = normalise_header(header);
        if let Some(p) = personal_column(&norm) {
            map.personal.push((i, p));
        } else if let Some(col) = canonical_column(table, &norm, settings) {
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
        } else if !header.is_empty() {
            // A column without a header (a CSV's trailing separator) is not "unknown";
            // its cells still show in quarantine records.
            map.unknown.push(header.clone());
        }
    }
    let missing: Vec<String> = table
        .columns()
        .iter()
        .filter(|c| c.required && !map.canonical.iter().any(|(m, _)| m.name == c.name))
        .map(|c| format!("'{}' ({})", c.chinese, c.name))
        .collect();
    if !missing.is_empty() {
        let accepted: Vec<String> = table
            .columns()
            .iter()
            .filter(|c| c.required && !map.canonical.iter().any(|(m, _)| m.name == c.name))
            .map(|c| {
                format!(
                    "{}: {}",
                    c.chinese,
                    [c.chinese, c.name]
                        .iter()
                        .chain(c.aliases)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(" / ")
                )
            })
            .collect();
        return Err(Error::input(
            &raw.path,
            format!(
                "missing required column {} for the {} table ({})\nhint: accepted headers — {}; or add your header to a --mapping file",
                missing.join(", "),
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

/// Per-row reasons, keyed by data-row index.
type RowErrors = BTreeMap<usize, Vec<(String, Reason)>>;

pub fn validate(raw: RawTable, table: Table, settings: &Settings) -> Result<Validated> {
    let map = map_headers(&raw, table, settings)?;
    let n = raw.height();
    let mut errors: RowErrors = BTreeMap::new();
    let mut scores = None;
    let mut columns: Vec<polars::prelude::Column> = Vec::with_capacity(table.columns().len());
    // Columns are parsed in parallel, each with its own reasons; merged in column order,
    // so a row's reasons and the first error are the same as parsing one by one.
    use rayon::prelude::*;
    let parsed: Vec<Result<(Series, RowErrors, Option<ScoreTally>)>> = {
        table
            .columns()
            .par_iter()
            .map(|spec| {
                let mut errors = RowErrors::new();
                let mut scores = None;
                let series = match map.canonical.iter().find(|(c, _)| c.name == spec.name) {
                    Some((_, i)) => {
                        let label = format!("{} ({})", raw.headers[*i], spec.name);
                        parse_column(spec, *i, &label, settings, &mut errors, &mut scores, &raw)?
                    }
                    None => Series::full_null(spec.name.into(), n, &spec.kind.dtype()),
                };
                let series = with_default(spec, series).context("applying defaults")?;
                Ok((series, errors, scores))
            })
            .collect()
    };
    for p in parsed {
        let (series, column_errors, column_scores) = p?;
        for (r, mut reasons) in column_errors {
            errors.entry(r).or_default().append(&mut reasons);
        }
        scores = scores.or(column_scores);
        columns.push(series.into());
    }
    let mut frame = DataFrame::new(n, columns).context("assembling table")?;
    if table == Table::Cases {
        frame = infer_status(frame)?;
    }
    let frame = if errors.is_empty() {
        frame
    } else {
        let valid = BooleanChunked::from_iter_values(
            "valid".into(),
            (0..n).map(|r| !errors.contains_key(&r)),
        );
        frame.filter(&valid).context("filtering valid rows")?
    };

    let quarantine: Vec<QuarantineRow> = errors
        .into_iter()
        .map(|(r, errs)| QuarantineRow {
            file: raw.path.display().to_string(),
            row: raw.first_row + r,
            column: errs
                .iter()
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            reason: errs
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            record: record_json(&raw, &map, r),
        })
        .collect();
    let report = FileReport {
        table,
        path: raw.path.display().to_string(),
        encoding: raw.encoding,
        rows_read: n,
        valid: frame.height(),
        quarantined: quarantine.len(),
        unknown_columns: map.unknown,
        personal_columns_dropped: map
            .personal
            .iter()
            .map(|(i, _)| raw.headers[*i].clone())
            .collect(),
        warnings: vec![],
        scores,
    };
    Ok(Validated {
        frame,
        quarantine,
        report,
    })
}

/// The original row as JSON (header → text), personal data masked.
fn record_json(raw: &RawTable, map: &HeaderMap, row: usize) -> String {
    let mut obj = serde_json::Map::new();
    for (i, header) in raw.headers.iter().enumerate() {
        let value = raw.cell_text(i, row);
        let shown = match (value.as_deref(), map.personal.iter().find(|(j, _)| *j == i)) {
            (Some(v), Some((_, kind))) => serde_json::Value::String(mask(v, *kind)),
            (Some(v), None) if v.len() > SHOWN_IN_QUARANTINE => {
                let cut = (0..=SHOWN_IN_QUARANTINE)
                    .rev()
                    .find(|i| v.is_char_boundary(*i))
                    .unwrap_or(0);
                serde_json::Value::String(format!("{}…（共{}字节）", &v[..cut], v.len()))
            }
            (Some(v), None) => serde_json::Value::String(v.to_owned()),
            (None, _) if header.is_empty() => continue,
            (None, _) => serde_json::Value::Null,
        };
        obj.insert(header.clone(), shown);
    }
    serde_json::Value::Object(obj).to_string()
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
    spec: &Column,
    index: usize,
    label: &str,
    settings: &Settings,
    errors: &mut RowErrors,
    scores: &mut Option<ScoreTally>,
    raw: &RawTable,
) -> Result<Series> {
    let name: PlSmallStr = spec.name.into();
    if let Some(series) = as_is(spec, raw, index, settings)? {
        return Ok(series);
    }
    let text: StringChunked;
    let col = match (&raw.typed[index], spec.kind) {
        (Some(typed), Kind::Timestamp | Kind::Date) => {
            return typed_dates(spec, typed, label, settings, errors, raw);
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
    // Codes, enums and numbers repeat: each distinct text is parsed once.
    let memo = !matches!(spec.kind, Kind::Text | Kind::Timestamp);
    macro_rules! typed {
        ($chunked:ty, $parse:expr) => {{
            let values = parse_cells(col, spec.required, label, errors, memo, $parse);
            <$chunked>::from_iter_options(name.clone(), values.into_iter()).into_series()
        }};
    }
    let series = match spec.kind {
        Kind::Text => typed!(StringChunked, |s: &str| Ok::<_, Reason>(s.to_owned())),
        Kind::RegionCode
        | Kind::DayUnit
        | Kind::Category
        | Kind::CaseChannel
        | Kind::CaseType
        | Kind::Status
        | Kind::RatingChannel => {
            typed!(StringChunked, |s: &str| text_value(spec.kind, settings, s))
        }
        Kind::Timestamp => {
            let ms = typed!(Int64Chunked, values::parse_timestamp);
            if crate::schema::WORKING_DAY_COLUMNS.contains(&spec.name) {
                check_calendar(ms.i64().context("timestamps")?, label, settings, raw)?;
            }
            ms.cast(&spec.kind.dtype()).context("casting timestamps")?
        }
        Kind::Date => typed!(Int32Chunked, values::parse_date)
            .cast(&DataType::Date)
            .context("casting dates")?,
        Kind::Count | Kind::PromisedDays | Kind::OnlineDepth => {
            typed!(Int32Chunked, count_parser(spec.kind))
        }
        Kind::Bool => typed!(BooleanChunked, values::parse_bool),
        Kind::Satisfaction => {
            let scale = settings.score_scale;
            if scale == values::ScoreScale::Gbt39046 {
                *scores = Some(tally_scores(col, label));
            }
            typed!(Int32Chunked, |s: &str| values::parse_satisfaction(s, scale))
        }
    };
    Ok(series)
}

/// The canonical text of a code or enum cell (region codes must also be in the GB/T 2260
/// table). The one parser of these kinds, for the cell path and for `as_is`.
fn text_value(kind: Kind, settings: &Settings, s: &str) -> Result<String, Reason> {
    match kind {
        Kind::RegionCode => {
            let code = values::parse_region_code(s)?;
            if settings.regions.contains(&code) {
                Ok(code)
            } else {
                Err(format!(
                    "未知的行政区划代码 unknown region code '{code}' (not in GB/T 2260 table)"
                ))
            }
        }
        Kind::DayUnit => values::parse_day_unit(s).map(str::to_owned),
        Kind::Category => values::parse_category(s),
        Kind::CaseChannel => values::parse_case_channel(s).map(str::to_owned),
        Kind::CaseType => values::parse_case_type(s).map(str::to_owned),
        Kind::Status => values::parse_status(s).map(str::to_owned),
        Kind::RatingChannel => values::parse_rating_channel(s).map(str::to_owned),
        other => unreachable!("{other:?} is not a code or enum kind"),
    }
}

/// The parser of a whole-number kind (satisfaction has its own: its scale is a setting).
fn count_parser(kind: Kind) -> fn(&str) -> Result<i32, Reason> {
    match kind {
        Kind::Count => values::parse_count,
        Kind::PromisedDays => values::parse_promised_days,
        Kind::OnlineDepth => values::parse_online_depth,
        other => unreachable!("{other:?} is not a count kind"),
    }
}

/// The column itself, when every value is already what parsing would make of it —
/// canonical Parquet (`pingjia export-canonical`, `pingjia sample --format parquet`, a
/// platform's typed export) then skips building the column again cell by cell. `None`
/// means "parse it": any doubt (a blank, padding, a value that parses to something else,
/// too many distinct values to check) takes the ordinary path.
fn as_is(
    spec: &Column,
    raw: &RawTable,
    index: usize,
    settings: &Settings,
) -> Result<Option<Series>> {
    let series = match &raw.typed[index] {
        Some(typed) => typed.clone(),
        None => raw.columns[index].clone().into_series(),
    };
    if spec.required && series.null_count() > 0 {
        return Ok(None);
    }
    let clean = |v: &str| {
        !v.is_empty()
            && v.len() <= MAX_CELL
            && !v.starts_with(char::is_whitespace)
            && !v.ends_with(char::is_whitespace)
    };
    let named = |s: Series| s.with_name(spec.name.into());
    match (series.dtype(), spec.kind) {
        (DataType::String, Kind::Text) => {
            let ca = series.str().context("checking text")?;
            Ok(ca
                .iter()
                .flatten()
                .all(clean)
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
                .all(|v| clean(v) && text_value(kind, settings, v).as_deref() == Ok(v));
            Ok(canonical.then(|| named(series)))
        }
        (dtype, Kind::Count | Kind::PromisedDays | Kind::OnlineDepth) if dtype.is_integer() => {
            let distinct = series
                .unique()
                .and_then(|s| s.cast(&DataType::Int64))
                .context("distinct values")?;
            let parse = count_parser(spec.kind);
            let canonical = distinct
                .i64()
                .context("distinct values")?
                .iter()
                .flatten()
                .all(|v| parse(&v.to_string()) == Ok(v as i32) && i64::from(v as i32) == v);
            if !canonical {
                return Ok(None);
            }
            Ok(Some(named(
                series.cast(&DataType::Int32).context("casting counts")?,
            )))
        }
        (DataType::Boolean, Kind::Bool) => Ok(Some(named(series))),
        _ => Ok(None),
    }
}

/// A column that already holds timestamps or dates (typed Parquet): only the required
/// and calendar checks remain, with the same messages as for text.
fn typed_dates(
    spec: &Column,
    typed: &Series,
    label: &str,
    settings: &Settings,
    errors: &mut RowErrors,
    raw: &RawTable,
) -> Result<Series> {
    let series = typed
        .cast(&spec.kind.dtype())
        .context("casting dates")?
        .with_name(spec.name.into());
    if spec.required && series.null_count() > 0 {
        for (r, valid) in series.is_not_null().iter().enumerate() {
            if valid != Some(true) {
                errors.entry(r).or_default().push((
                    label.to_owned(),
                    "必填项为空 required value is empty".into(),
                ));
            }
        }
    }
    if spec.kind == Kind::Timestamp && crate::schema::WORKING_DAY_COLUMNS.contains(&spec.name) {
        let ms = series.cast(&DataType::Int64).context("timestamps")?;
        let ms = ms.i64().context("timestamps")?;
        // Dates inside the schedule's years pass; only a column reaching outside is walked.
        let inside = |v: Option<i64>| {
            v.is_none_or(|ms| {
                settings
                    .calendar
                    .w(ms.div_euclid(86_400_000) as i32)
                    .is_ok()
            })
        };
        if !(inside(ms.min()) && inside(ms.max())) {
            check_calendar(ms, label, settings, raw)?;
        }
    }
    Ok(series)
}

/// A date counted in working days must lie in the holiday schedule's known years (SPEC
/// §3.1): the first one outside stops the run, naming its row and column, unless the
/// user opted in to the weekday rule.
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

/// Parses every cell of a column in one pass; empty cells are null (an error when the
/// column is required), unparseable cells are null and add a reason for their row.
fn parse_cells<T: Clone>(
    col: &StringChunked,
    required: bool,
    label: &str,
    errors: &mut RowErrors,
    memo: bool,
    parse: impl Fn(&str) -> Result<T, Reason>,
) -> Vec<Option<T>> {
    // With `memo`, results are cached per distinct text (up to MEMO_LIMIT texts).
    let mut seen: PlHashMap<&str, Result<T, Reason>> = PlHashMap::default();
    col.iter()
        .enumerate()
        .map(|(r, v)| match v.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                if required {
                    errors.entry(r).or_default().push((
                        label.to_owned(),
                        "必填项为空 required value is empty".into(),
                    ));
                }
                None
            }
            Some(s) if s.len() > MAX_CELL => {
                errors.entry(r).or_default().push((
                    label.to_owned(),
                    format!("单元格过长 value of {} bytes (limit {MAX_CELL})", s.len()),
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
                    errors
                        .entry(r)
                        .or_default()
                        .push((label.to_owned(), reason));
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

/// SPEC defaults for empty cells: units 工作日, suspended days 0, ratings real-name.
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
        _ => return Ok(s),
    };
    Ok(filled.with_name(spec.name.into()))
}

/// An empty 办件状态 means 办结 when there is a 办结时间, else 在办.
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
