//! Parsing one cell: dates in the formats real exports use (Chinese-locale clocks
//! included), counts, the words of the export vocabulary (`vocabulary`), the GB/T
//! 39046—2020 codes, ids a spreadsheet may have damaged, and region codes. Pure
//! functions; each returns the canonical value or a [`Reason`] in Chinese-and-English
//! plain words.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

use super::vocabulary::{Miss, Vocabulary, Words};
use crate::schema::Table;
use crate::time::days_from_civil;

/// What kind of problem a cell has: counted in run.json and the report, while the
/// message says it about the one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Empty,
    TooLong,
    BadDate,
    ImplausibleDate,
    UnknownValue,
    ConflictingValue,
    Negative,
    NotWhole,
    UnknownTimeLimit,
    RegionFormat,
    UnknownRegion,
    UnknownRegionName,
    AmbiguousRegionName,
    DamagedId,
    BadEncoding,
    ScoreOutOfRange,
}

impl Problem {
    /// The kind in words, as counts show it.
    pub fn label(self) -> &'static str {
        match self {
            Problem::Empty => "必填项为空 required value is empty",
            Problem::TooLong => "单元格过长 value too long",
            Problem::BadDate => "无法识别的日期 unparseable date",
            Problem::ImplausibleDate => "日期不合理 date after today or before 2000",
            Problem::UnknownValue => "无法识别的值 unknown value",
            Problem::ConflictingValue => "前后矛盾的值 conflicting value",
            Problem::Negative => "不能为负数 negative value",
            Problem::NotWhole => "不是整数 not a whole number",
            Problem::UnknownTimeLimit => "无法识别的时限 unknown time limit",
            Problem::RegionFormat => "行政区划代码格式错误 region code must be 6, 9 or 12 digits",
            Problem::UnknownRegion => "未知的行政区划代码 unknown region code",
            Problem::UnknownRegionName => "未知的行政区划名称 unknown region name",
            Problem::AmbiguousRegionName => "行政区划名称不唯一 ambiguous region name",
            Problem::DamagedId => "编号被表格软件改成了数字 id damaged by a spreadsheet",
            Problem::BadEncoding => "含有不是本文件编码的字节 bytes invalid in the file's encoding",
            Problem::ScoreOutOfRange => "满意度超出范围 satisfaction out of range",
        }
    }
}

/// A parse failure: its kind and the message shown in quarantine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    pub problem: Problem,
    pub message: String,
}

impl Reason {
    pub fn new(problem: Problem, message: impl Into<String>) -> Reason {
        Reason {
            problem,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

const MS_PER_DAY: i64 = 86_400_000;
/// China local time is UTC+08:00; values with another explicit offset are converted.
const CHINA_OFFSET_MINUTES: i64 = 8 * 60;

/// Text with full-width digits, letters and punctuation made half-width (NFKC), only
/// when it has any non-ASCII character.
fn half_width(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    }
}
/// Parses a timestamp into milliseconds since 1970-01-01T00:00 China local time.
///
/// Accepted: `2025-03-31 14:05:00`, `2025-03-31T14:05:00`, `2025/3/31 14:05`,
/// `2025-03-31`, `20250331`, `20250331140500`, `2025年3月31日 14时5分`, `2025.03.31 14:05`,
/// Chinese-locale 12-hour clocks (`2024/4/26 下午 5:46:59`, `上午`, `AM`/`PM`), single-digit
/// months, days, hours and minutes, full-width digits, fractional seconds, an offset
/// (`Z`, `+08:00`, `+0800`), and Excel serial numbers written as text (`45747.5`).
pub fn parse_timestamp(text: &str) -> Result<i64, Reason> {
    if let Some(ms) = iso_seconds(text.as_bytes()) {
        return Ok(ms);
    }
    let normal = half_width(text.trim());
    let s = normal.trim();
    let bad = || {
        Reason::new(
            Problem::BadDate,
            format!("无法识别的日期 unparseable date '{}'", text.trim()),
        )
    };
    if s.is_empty() {
        return Err(bad());
    }
    let b = s.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => compact(b, false).ok_or_else(bad),
            12 | 14 => compact(b, true).ok_or_else(bad),
            1..=5 => excel_serial(s).ok_or_else(bad),
            // Unix time, as Java systems export it: seconds or milliseconds since
            // 1970-01-01 UTC.
            10 => epoch(s, 1000).ok_or_else(bad),
            13 => epoch(s, 1).ok_or_else(bad),
            _ => Err(bad()),
        };
    }
    if b.iter().filter(|c| **c == b'.').count() == 1
        && b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
    {
        return excel_serial(s).ok_or_else(bad);
    }
    separated(s).ok_or_else(bad)
}

/// `YYYY-MM-DD HH:MM:SS`, the way most platforms export, read without the general
/// parser (same result; `None` sends anything else that way).
fn iso_seconds(b: &[u8]) -> Option<i64> {
    if b.len() != 19
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b' '
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let two = |i: usize| -> Option<u32> {
        let (hi, lo) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (hi < 10 && lo < 10).then(|| u32::from(hi) * 10 + u32::from(lo))
    };
    let year = two(0)? * 100 + two(2)?;
    let days = days_from_civil(year as i32, two(5)?, two(8)?)?;
    ms(days, two(11)?, two(14)?, two(17)?, 0)
}

/// Parses a calendar date into days since 1970-01-01 (any timestamp format; the time is dropped).
pub fn parse_date(text: &str) -> Result<i32, Reason> {
    parse_timestamp(text).map(|ms| ms.div_euclid(MS_PER_DAY) as i32)
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u32)?;
    }
    Some(v)
}

fn ms(days: i32, h: u32, m: u32, sec: u32, frac_ms: u32) -> Option<i64> {
    if h > 23 || m > 59 || sec > 59 {
        return None;
    }
    Some(days as i64 * MS_PER_DAY + ((h * 3600 + m * 60 + sec) as i64) * 1000 + frac_ms as i64)
}

fn compact(b: &[u8], with_time: bool) -> Option<i64> {
    let days = days_from_civil(
        digits(&b[0..4])? as i32,
        digits(&b[4..6])?,
        digits(&b[6..8])?,
    )?;
    if !with_time {
        return ms(days, 0, 0, 0, 0);
    }
    let sec = if b.len() == 14 {
        digits(&b[12..14])?
    } else {
        0
    };
    ms(days, digits(&b[8..10])?, digits(&b[10..12])?, sec, 0)
}

/// Unix time in seconds (`unit` 1000) or milliseconds (`unit` 1), as China local time.
fn epoch(s: &str, unit: i64) -> Option<i64> {
    let v: i64 = s.parse().ok()?;
    Some(v.checked_mul(unit)? + CHINA_OFFSET_MINUTES * 60_000)
}

/// Excel's 1900 date system: day 1 = 1900-01-01, serial 60 is the phantom 1900-02-29,
/// so from serial 61 on, day 0 is 1899-12-30.
fn excel_serial(s: &str) -> Option<i64> {
    let v: f64 = s.parse().ok()?;
    if !(1.0..2_958_466.0).contains(&v) {
        return None;
    }
    let origin = days_from_civil(1899, 12, 30)? as i64 * MS_PER_DAY;
    let v = if v < 61.0 { v + 1.0 } else { v };
    Some(origin + (v * MS_PER_DAY as f64).round() as i64)
}

/// `YYYY-M-D[( |T)[上午|下午]H:M[:S[.fff]]][ AM|PM][offset]` with `-`, `/`, `.` or 年月日
/// separators and `:` or 时/点, 分, 秒.
fn separated(s: &str) -> Option<i64> {
    let mut p = Cursor {
        s: s.as_bytes(),
        i: 0,
    };
    let year = p.number(4, 4)? as i32;
    p.separator(&["-", "/", ".", "年"])?;
    let month = p.number(1, 2)?;
    p.separator(&["-", "/", ".", "月"])?;
    let day = p.number(1, 2)?;
    let _ = p.eat("日") || p.eat("号");
    let days = days_from_civil(year, month, day)?;
    p.skip_spaces();
    if p.done() {
        return ms(days, 0, 0, 0, 0);
    }
    p.eat("T");
    p.skip_spaces();
    let mut meridiem = p.meridiem();
    p.skip_spaces();
    let mut hour = p.number(1, 2)?;
    p.separator(&[":", "时", "点"])?;
    let minute = if p.digit_next() { p.number(1, 2)? } else { 0 };
    let seconds_follow = if p.eat("分") {
        p.digit_next()
    } else {
        p.eat(":")
    };
    let (mut second, mut frac) = (0, 0);
    if seconds_follow {
        second = p.number(1, 2)?;
        p.eat("秒");
        if p.eat(".") {
            let start = p.i;
            let f = p.number(1, 9)?;
            let n = p.i - start;
            frac = if n >= 3 {
                f / 10u32.pow(n as u32 - 3)
            } else {
                f * 10u32.pow(3 - n as u32)
            };
        }
    }
    p.skip_spaces();
    if meridiem.is_none() {
        meridiem = p.meridiem();
        p.skip_spaces();
    }
    match meridiem {
        Some(Meridiem::Pm) if hour < 12 => hour += 12,
        Some(Meridiem::Noon) if hour < 11 => hour += 12,
        Some(Meridiem::Am) if hour == 12 => hour = 0,
        Some(Meridiem::Am) if hour > 12 => return None,
        _ => {}
    }
    let local = ms(days, hour, minute, second, frac)?;
    if p.done() {
        return Some(local);
    }
    // An explicit offset: convert to China time.
    let offset_minutes = if p.eat("Z") {
        0
    } else {
        let sign: i64 = if p.eat("+") {
            1
        } else if p.eat("-") {
            -1
        } else {
            return None;
        };
        let hh = p.number(2, 2)? as i64;
        p.eat(":");
        let mm = p.number(2, 2)? as i64;
        sign * (hh * 60 + mm)
    };
    if !p.done() {
        return None;
    }
    Some(local + (CHINA_OFFSET_MINUTES - offset_minutes) * 60_000)
}

/// 上午 / 下午 (and AM / PM) of a 12-hour clock.
#[derive(Clone, Copy)]
enum Meridiem {
    Am,
    Pm,
    /// 中午: 12 and 11 as they are, 1–10 in the afternoon.
    Noon,
}

struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn eat(&mut self, token: &str) -> bool {
        if self.s[self.i..].starts_with(token.as_bytes()) {
            self.i += token.len();
            true
        } else {
            false
        }
    }
    fn separator(&mut self, options: &[&str]) -> Option<()> {
        options.iter().any(|t| self.eat(t)).then_some(())
    }
    fn digit_next(&self) -> bool {
        self.s.get(self.i).is_some_and(u8::is_ascii_digit)
    }
    fn meridiem(&mut self) -> Option<Meridiem> {
        for (token, m) in [
            ("上午", Meridiem::Am),
            ("早上", Meridiem::Am),
            ("凌晨", Meridiem::Am),
            ("AM", Meridiem::Am),
            ("am", Meridiem::Am),
            ("下午", Meridiem::Pm),
            ("晚上", Meridiem::Pm),
            ("PM", Meridiem::Pm),
            ("pm", Meridiem::Pm),
            ("中午", Meridiem::Noon),
        ] {
            if self.eat(token) {
                return Some(m);
            }
        }
        None
    }
    fn skip_spaces(&mut self) {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
    }
    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.i;
        while self.i < self.s.len() && self.i - start < max && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        digits(&self.s[start..self.i])
    }
}

/// A whole number written as digits or in Chinese numerals up to 9999 (三, 十五, 二十,
/// 两, 零, 一百二十).
fn whole_number(s: &str) -> Option<i64> {
    if let Ok(v) = s.parse::<i64>() {
        return Some(v);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let mut total: i64 = 0;
    let mut current: Option<i64> = None;
    let mut any = false;
    for c in s.chars() {
        any = true;
        if let Some(d) = digit(c).or((c == '两').then_some(2)) {
            current = Some(d as i64);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            _ => return None,
        };
        total += current.unwrap_or(1) * unit;
        current = None;
    }
    any.then(|| total + current.unwrap_or(0))
}

/// Unit words that may follow a count (`5次`, `3天`, `20个工作日`).
const COUNT_SUFFIXES: [&str; 12] = [
    "个工作日",
    "个自然日",
    "工作日",
    "自然日",
    "天",
    "日",
    "次",
    "件",
    "days",
    "day",
    "times",
    "个",
];

/// Integer ≥ 0: digits or Chinese numerals, a trailing `.0` from spreadsheets, full-width
/// digits, and a unit word (`1次`, `3天`) are accepted.
pub fn parse_count(text: &str) -> Result<i32, Reason> {
    let normal = half_width(text.trim());
    let s = normal.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    let s = COUNT_SUFFIXES
        .iter()
        .find_map(|u| s.strip_suffix(u))
        .map_or(s, str::trim_end);
    match whole_number(s) {
        Some(v) if (0..=i32::MAX as i64).contains(&v) => Ok(v as i32),
        Some(v) if v < 0 => Err(Reason::new(
            Problem::Negative,
            format!("不能为负数 negative value {v}"),
        )),
        _ => Err(Reason::new(
            Problem::NotWhole,
            format!("不是整数 not a whole number '{}'", text.trim()),
        )),
    }
}

/// Words that mean a promised limit of 0 days (即办).
const INSTANT_WORDS: [&str; 8] = [
    "即办",
    "即办件",
    "当场办结",
    "立即办结",
    "即时办结",
    "当场办理",
    "即来即办",
    "instant",
];

/// Promised days: an integer ≥ 0, optionally with a unit word (`20个工作日`), in digits or
/// Chinese numerals, or 即办 / 当场办结 (= 0).
pub fn parse_promised_days(text: &str) -> Result<i32, Reason> {
    let normal = half_width(text.trim());
    let s = normal.trim();
    if INSTANT_WORDS.contains(&s) {
        return Ok(0);
    }
    parse_count(s).map_err(|r| match r.problem {
        Problem::Negative => r,
        _ => Reason::new(
            Problem::UnknownTimeLimit,
            format!("无法识别的时限 unknown time limit '{}'", text.trim()),
        ),
    })
}

/// Where a vocabulary lookup is made: the kind of value and the column it stands in.
#[derive(Clone, Copy)]
pub struct Place<'a> {
    pub vocabulary: &'a Vocabulary,
    pub table: Table,
    pub column: &'a str,
}

impl Place<'static> {
    /// The bundled vocabulary, for a column of the cases table (what the fuzz targets and
    /// examples use).
    pub fn bundled(column: &'static str) -> Place<'static> {
        Place {
            vocabulary: Vocabulary::bundled(),
            table: Table::Cases,
            column,
        }
    }
}

/// The canonical value of a word of `words`, or why there is none; `what` names the
/// column in the message (`申办渠道 channel`).
pub fn parse_word(
    place: Place<'_>,
    words: Words,
    what: &str,
    text: &str,
) -> Result<&'static str, Reason> {
    place
        .vocabulary
        .find(words, place.table, place.column, text)
        .map_err(|miss| match miss {
            Miss::Unknown => Reason::new(
                Problem::UnknownValue,
                format!("无法识别的{what} unknown value '{}'", text.trim()),
            ),
            Miss::Conflict(a, b) => Reason::new(
                Problem::ConflictingValue,
                format!(
                    "{what}前后矛盾 conflicting value '{}' ({a} outside the brackets, {b} inside)",
                    text.trim()
                ),
            ),
        })
}

/// 工作日 / 自然日 → "workday" / "calendar".
pub fn parse_day_unit(place: Place<'_>, text: &str) -> Result<&'static str, Reason> {
    parse_word(place, Words::DayUnit, "时限单位 time unit", text)
}

/// 是/否, √/×, 有/无, 1/0 …
pub fn parse_bool(place: Place<'_>, text: &str) -> Result<bool, Reason> {
    parse_word(place, Words::Bool, "是/否 yes/no value", text).map(|v| v == "true")
}

/// GB/T 39046 A.1 事项类型 → two-digit code ("01" 行政许可 …, "20" 公共服务).
pub fn parse_category(place: Place<'_>, text: &str) -> Result<&'static str, Reason> {
    let normal = half_width(text.trim());
    if let Ok(n) = normal.trim().parse::<u32>() {
        // 00–10 as listed; 20 公共服务 and its extensions 21–29.
        if n <= 10 {
            return Ok(Words::Category.values()[n as usize]);
        }
        if (20..=29).contains(&n) {
            return Ok("20");
        }
    }
    parse_word(place, Words::Category, "事项类型 matter category", text)
}

/// 网上办理深度 → level 0–4 (docs/SPEC.md §3.3). A single number 0–4, a level word (四级, Ⅲ级,
/// 全程网办, 全程网办（Ⅳ级）…) is the level itself; the national multi-select list
/// (`3^4^5^6`, codes 1–7) is mapped: any of 5/6/7 → 4, else 4 → 3, else 2 or 3 → 2,
/// else 1 → 1.
pub fn parse_online_depth(place: Place<'_>, text: &str) -> Result<i32, Reason> {
    let word = parse_word(place, Words::OnlineDepth, "网上办理深度 online depth", text);
    if let Ok(level) = word {
        return Ok(level.parse().expect("levels are digits"));
    }
    let normal = half_width(text.trim());
    let codes: Result<Vec<u32>, _> = normal
        .trim()
        .split(['^', ',', '，', ';', '；', '|', '、'])
        .map(|p| p.trim().parse::<u32>())
        .collect();
    match codes {
        Ok(codes) if !codes.is_empty() && codes.iter().all(|c| (1..=7).contains(c)) => {
            Ok(depth_from_codes(&codes))
        }
        _ => word.map(|_| 0),
    }
}

/// docs/SPEC.md §3.3 default mapping of the national multi-select list to levels.
pub fn depth_from_codes(codes: &[u32]) -> i32 {
    let has = |c| codes.contains(&c);
    if has(5) || has(6) || has(7) {
        4
    } else if has(4) {
        3
    } else if has(2) || has(3) {
        2
    } else if has(1) {
        1
    } else {
        0
    }
}

/// 申办渠道 / 办理形式 (GB/T 39046 A.5 codes too).
pub fn parse_case_channel(place: Place<'_>, text: &str) -> Result<&'static str, Reason> {
    parse_word(place, Words::CaseChannel, "申办渠道 channel", text)
}

/// 办件类型 (GB/T 39046 A.6).
pub fn parse_case_type(place: Place<'_>, text: &str) -> Result<&'static str, Reason> {
    parse_word(place, Words::CaseType, "办件类型 case type", text)
}

/// 办件状态.
pub fn parse_status(place: Place<'_>, text: &str) -> Result<&'static str, Reason> {
    parse_word(place, Words::Status, "办件状态 status", text)
}

/// 评价渠道.
pub fn parse_rating_channel(place: Place<'_>, text: &str) -> Result<&'static str, Reason> {
    parse_word(place, Words::RatingChannel, "评价渠道 rating channel", text)
}

/// Satisfaction scale of numeric codes in a ratings file.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum ScoreScale {
    /// GB/T 39046 A.8: 1 = 非常满意 … 5 = 非常不满意 (the default).
    #[default]
    Gbt39046,
    /// Star ratings: 5 = best … 1 = worst.
    Stars,
}

/// 满意度 → A.8 code 1 (非常满意) … 5 (非常不满意): a number read by `scale`, star glyphs
/// (★★★★☆ = four stars = 满意), or a word of the vocabulary.
pub fn parse_satisfaction(place: Place<'_>, text: &str, scale: ScoreScale) -> Result<i32, Reason> {
    let normal = half_width(text.trim());
    let s = normal.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if let Ok(n) = s.parse::<i64>() {
        if !(1..=5).contains(&n) {
            return Err(Reason::new(
                Problem::ScoreOutOfRange,
                format!("满意度超出范围 satisfaction {n} out of range 1–5"),
            ));
        }
        return Ok(match scale {
            ScoreScale::Gbt39046 => n as i32,
            ScoreScale::Stars => 6 - n as i32,
        });
    }
    let stars = s.chars().filter(|c| *c == '★').count();
    if stars > 0 && s.chars().all(|c| c == '★' || c == '☆') {
        return if stars <= 5 {
            Ok(6 - stars as i32)
        } else {
            Err(Reason::new(
                Problem::ScoreOutOfRange,
                format!("满意度超出范围 satisfaction {stars} stars out of range 1–5"),
            ))
        };
    }
    parse_word(place, Words::Satisfaction, "满意度 satisfaction", text)
        .map(|code| code.parse().expect("codes are digits"))
}

/// A case, rating or matter id as written, or a [`Problem::DamagedId`] when a spreadsheet
/// has turned it into a number: scientific notation (`3.71402E+17`) lost its digits, and
/// so did a `.0` number of more than 15 digits (beyond what a double holds exactly); a
/// `.0` number of up to 15 digits is exact and kept without the `.0`.
pub fn parse_id(text: &str) -> Result<String, Reason> {
    let s = text.trim();
    let damaged = |why: &str| {
        Reason::new(
            Problem::DamagedId,
            format!(
                "编号 '{s}' {why}：表格软件把它当成了数字，后几位已经丢失 — a spreadsheet stored this id as a number and lost its digits; export the column as text (设置单元格格式为文本) and export again"
            ),
        )
    };
    if !id_may_be_damaged(s) {
        return Ok(s.to_owned());
    }
    match id_shape(s) {
        IdShape::Text => Ok(s.to_owned()),
        IdShape::Scientific => Err(damaged("是科学计数法")),
        IdShape::PointZero(int) if int.len() > 15 => Err(damaged("带有“.0”")),
        IdShape::PointZero(int) => Ok(int.to_owned()),
    }
}

/// What a spreadsheet may have made of an id.
#[derive(Debug, PartialEq, Eq)]
enum IdShape<'a> {
    /// An id as written.
    Text,
    /// A number in scientific notation: `3.71402E+17`, `1e5` (exponent of 1–3 digits).
    Scientific,
    /// Digits, a `.` and zeros: `370000000101.0`; the digits before the point.
    PointZero(&'a str),
}

fn id_shape(s: &str) -> IdShape<'_> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    if let Some(at) = s.find(['e', 'E']) {
        let (mantissa, exp) = (&s[..at], &s[at + 1..]);
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        let mantissa_ok = match mantissa.split_once('.') {
            Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
            None => digits(mantissa),
        };
        return if mantissa_ok && digits(exp) && exp.len() <= 3 {
            IdShape::Scientific
        } else {
            IdShape::Text
        };
    }
    match s.split_once('.') {
        Some((int, zeros))
            if digits(int) && !zeros.is_empty() && zeros.bytes().all(|c| c == b'0') =>
        {
            IdShape::PointZero(int)
        }
        _ => IdShape::Text,
    }
}

/// Whether an id could be one a spreadsheet damaged: an exponent near its end
/// (`3.70302E+18`) or a `.` followed only by zeros (`3703022024010000000.0`). The quick
/// look, on every id of a file, before [`parse_id`]'s closer one.
pub fn id_may_be_damaged(id: &str) -> bool {
    let b = id.as_bytes();
    // An exponent has at most a sign and three digits after the `E`.
    let tail = &b[b.len().saturating_sub(5)..];
    tail.iter().any(|c| matches!(c, b'e' | b'E'))
        || b.iter()
            .rposition(|c| *c != b'0')
            .is_some_and(|i| b[i] == b'.')
}

/// A region code written as digits: 6-digit GB/T 2260, 9-digit township (乡镇/街道) or
/// 12-digit 统计用区划代码, as `(district, township)`: `371402000000` → (`371402`, none),
/// `371402001000` and `371402001` → (`371402`, `371402001`). A trailing `.0` from
/// spreadsheets is accepted. `None` when the text is not all digits (a name, perhaps).
pub fn region_digits(text: &str) -> Option<Result<(String, Option<String>), Reason>> {
    let s = text.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match s.len() {
        6 => Ok((s.to_owned(), None)),
        9 => Ok((s[..6].to_owned(), Some(s.to_owned()))),
        12 if &s[6..9] == "000" => Ok((s[..6].to_owned(), None)),
        12 => Ok((s[..6].to_owned(), Some(s[..9].to_owned()))),
        _ => Err(Reason::new(
            Problem::RegionFormat,
            format!(
                "行政区划代码须为6、9或12位数字 region code must be 6, 9 or 12 digits (got '{s}')"
            ),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        days_from_civil(y, mo, d).unwrap() as i64 * MS_PER_DAY
            + ((h * 3600 + mi * 60 + s) as i64) * 1000
    }

    proptest::proptest! {
        /// The `YYYY-MM-DD HH:MM:SS` shortcut gives what the general parser gives, valid
        /// or not (month 13, 24:00, 02-30 …).
        #[test]
        fn iso_shortcut_is_the_general_parser(
            y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62, sec in 0u32..62
        ) {
            let s = format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{sec:02}");
            proptest::prop_assert_eq!(iso_seconds(s.as_bytes()), separated(&s), "{}", s);
        }
    }

    #[test]
    fn every_spec_date_format() {
        let want = at(2025, 3, 31, 14, 5, 0);
        for s in [
            "2025-03-31 14:05:00",
            "2025-03-31T14:05:00",
            "2025/3/31 14:05",
            "20250331140500",
            "2025-03-31 14:05:00.000",
            "2025-03-31T06:05:00Z",
            "2025-03-31T14:05:00+08:00",
            "2025-03-31 07:05:00+0100",
        ] {
            assert_eq!(parse_timestamp(s), Ok(want), "{s}");
        }
        let day = at(2025, 3, 31, 0, 0, 0);
        for s in [
            "2025-03-31",
            "20250331",
            "2025/03/31",
            "2025年3月31日",
            " 2025.3.31 ",
        ] {
            assert_eq!(parse_timestamp(s), Ok(day), "{s}");
        }
    }

    #[test]
    fn unix_time_in_seconds_and_milliseconds() {
        // 2025-03-31 06:05:00 UTC = 14:05 in China.
        assert_eq!(parse_timestamp("1743401100"), Ok(at(2025, 3, 31, 14, 5, 0)));
        assert_eq!(
            parse_timestamp("1743401100000"),
            Ok(at(2025, 3, 31, 14, 5, 0))
        );
    }

    #[test]
    fn excel_serials() {
        // 45747 is 2025-03-31 in Excel's 1900 system; .5 is noon.
        assert_eq!(parse_timestamp("45747"), Ok(at(2025, 3, 31, 0, 0, 0)));
        assert_eq!(parse_timestamp("45747.5"), Ok(at(2025, 3, 31, 12, 0, 0)));
        assert_eq!(parse_timestamp("1"), Ok(at(1900, 1, 1, 0, 0, 0)));
        assert_eq!(parse_timestamp("61"), Ok(at(1900, 3, 1, 0, 0, 0)));
    }

    #[test]
    fn bad_dates_are_rejected() {
        for s in [
            "2025-02-30",
            "2025-13-01",
            "昨天",
            "2025-03-31 25:00",
            "2025031",
            "2025-03-31 14:05 +08",
            "",
        ] {
            assert!(parse_timestamp(s).is_err(), "{s}");
        }
    }

    fn place() -> Place<'static> {
        Place::bundled("channel")
    }

    #[test]
    fn chinese_locale_timestamps() {
        let want = at(2024, 4, 26, 17, 46, 59);
        for s in [
            "2024/4/26 下午 5:46:59",
            "2024/4/26 下午5:46:59",
            "2024/04/26 5:46:59 PM",
            "2024-4-26 17:46:59",
            "２０２４／４／２６　１７：４６：５９",
            "2024年4月26日 17时46分59秒",
            "2024年4月26日 下午5点46分59秒",
        ] {
            assert_eq!(parse_timestamp(s), Ok(want), "{s}");
        }
        assert_eq!(
            parse_timestamp("2025.03.05 09:05"),
            Ok(at(2025, 3, 5, 9, 5, 0))
        );
        assert_eq!(
            parse_timestamp("2025年3月5日 9时5分"),
            Ok(at(2025, 3, 5, 9, 5, 0))
        );
        assert_eq!(
            parse_timestamp("2025/3/5 上午 12:30"),
            Ok(at(2025, 3, 5, 0, 30, 0))
        );
        assert_eq!(
            parse_timestamp("2025/3/5 下午 12:30"),
            Ok(at(2025, 3, 5, 12, 30, 0))
        );
        assert_eq!(parse_timestamp("2025/3/5 9:5"), Ok(at(2025, 3, 5, 9, 5, 0)));
        assert!(parse_timestamp("2025/3/5 上午 13:30").is_err());
        assert!(parse_timestamp("2025/3/5 下午").is_err());
    }

    #[test]
    fn satisfaction_codes_follow_gbt39046_not_stars() {
        let s = |t: &str, scale| parse_satisfaction(place(), t, scale);
        assert_eq!(s("1", ScoreScale::Gbt39046), Ok(1));
        assert_eq!(s("5", ScoreScale::Gbt39046), Ok(5));
        assert_eq!(s("5", ScoreScale::Stars), Ok(1));
        assert_eq!(s("非常不满意", ScoreScale::Stars), Ok(5));
        assert_eq!(s("基本满意", ScoreScale::Gbt39046), Ok(3));
        assert_eq!(s("Very Satisfied", ScoreScale::Gbt39046), Ok(1));
        assert_eq!(s("★★★★★", ScoreScale::Gbt39046), Ok(1));
        assert_eq!(s("★★★★☆", ScoreScale::Gbt39046), Ok(2));
        assert_eq!(s("★☆☆☆☆", ScoreScale::Gbt39046), Ok(5));
        assert_eq!(s("五星", ScoreScale::Gbt39046), Ok(1));
        assert_eq!(s("一星", ScoreScale::Gbt39046), Ok(5));
        assert_eq!(s("很满意", ScoreScale::Gbt39046), Ok(1));
        assert_eq!(s("３", ScoreScale::Gbt39046), Ok(3));
        assert_eq!(
            s("6", ScoreScale::Gbt39046).unwrap_err().problem,
            Problem::ScoreOutOfRange
        );
        assert!(s("0", ScoreScale::Gbt39046).is_err());
        assert!(s("还不错吧", ScoreScale::Gbt39046).is_err());
    }

    #[test]
    fn online_depth_levels_and_national_list() {
        let d = |t: &str| parse_online_depth(place(), t);
        assert_eq!(d("四级"), Ok(4));
        assert_eq!(d("Ⅲ级"), Ok(3));
        assert_eq!(d("全程网办"), Ok(4));
        assert_eq!(d("全程网办（Ⅳ级）"), Ok(4));
        assert_eq!(d("2"), Ok(2));
        assert_eq!(d("3^4^5^6"), Ok(4));
        assert_eq!(d("1^2^3^4"), Ok(3));
        assert_eq!(d("1^3"), Ok(2));
        assert_eq!(d("1"), Ok(1));
        assert_eq!(d("7"), Ok(4));
        assert!(d("8^9").is_err());
        assert_eq!(
            d("全程网办（二级）").unwrap_err().problem,
            Problem::ConflictingValue
        );
    }

    #[test]
    fn enums_in_chinese_english_and_codes() {
        let p = place();
        assert_eq!(parse_case_channel(p, "网上办理"), Ok("online"));
        assert_eq!(parse_case_channel(p, "2"), Ok("online"));
        assert_eq!(parse_case_channel(p, "1"), Ok("window"));
        assert_eq!(parse_case_channel(p, "Window"), Ok("window"));
        assert_eq!(parse_case_channel(p, "大厅窗口"), Ok("window"));
        assert_eq!(parse_status(p, "办结"), Ok("completed"));
        assert_eq!(parse_status(p, "in_progress"), Ok("in_progress"));
        assert_eq!(parse_status(p, "不予受理"), Ok("rejected"));
        assert_eq!(parse_case_type(p, "1"), Ok("instant"));
        assert_eq!(parse_bool(p, "是"), Ok(true));
        assert_eq!(parse_bool(p, "N"), Ok(false));
        assert_eq!(parse_bool(p, "√"), Ok(true));
        assert_eq!(parse_category(p, "行政许可"), Ok("01"));
        assert_eq!(parse_category(p, "1"), Ok("01"));
        assert_eq!(parse_category(p, "20"), Ok("20"));
        assert!(parse_category(p, "99").is_err());
        assert_eq!(parse_day_unit(p, "自然日"), Ok("calendar"));
        assert_eq!(
            parse_case_channel(p, "飞鸽传书").unwrap_err().message,
            "无法识别的申办渠道 channel unknown value '飞鸽传书'"
        );
    }

    #[test]
    fn counts_and_time_limits() {
        assert_eq!(parse_promised_days("即办"), Ok(0));
        assert_eq!(parse_promised_days("20个工作日"), Ok(20));
        assert_eq!(parse_promised_days("三天"), Ok(3));
        assert_eq!(parse_promised_days("二十个工作日"), Ok(20));
        assert_eq!(parse_promised_days("１５"), Ok(15));
        assert_eq!(
            parse_promised_days("-3").unwrap_err().problem,
            Problem::Negative
        );
        assert_eq!(
            parse_promised_days("看情况").unwrap_err().problem,
            Problem::UnknownTimeLimit
        );
        assert_eq!(parse_count("0次"), Ok(0));
        assert_eq!(parse_count("1 次"), Ok(1));
        assert_eq!(parse_count("两次"), Ok(2));
        assert_eq!(parse_count("一百二十"), Ok(120));
        assert_eq!(parse_count("5.0"), Ok(5));
        assert!(parse_count("abc").is_err());
    }

    #[test]
    fn damaged_ids_are_told_apart_from_intact_ones() {
        assert_eq!(
            parse_id(" 3703022024010000000 "),
            Ok("3703022024010000000".into())
        );
        assert_eq!(parse_id("PJ000000001"), Ok("PJ000000001".into()));
        assert_eq!(parse_id("370000000101.0"), Ok("370000000101".into()));
        assert_eq!(parse_id("A-2025.001"), Ok("A-2025.001".into()));
        assert_eq!(parse_id("E1"), Ok("E1".into()));
        for damaged in [
            "3.71402E+17",
            "3.70302202401E+18",
            "3.7e18",
            "3703022024010000000.0",
            "3703022024010000000.00",
        ] {
            assert_eq!(
                parse_id(damaged).unwrap_err().problem,
                Problem::DamagedId,
                "{damaged}"
            );
        }
    }

    proptest::proptest! {
        /// The quick look on every id never misses one the thorough check calls damaged
        /// or changes.
        #[test]
        fn the_quick_look_misses_no_damaged_id(
            s in "[0-9A-Z]{0,20}(\\.[0-9]{0,4})?([eE][+-]?[0-9]{0,4})?"
        ) {
            if id_shape(&s) != IdShape::Text {
                proptest::prop_assert!(id_may_be_damaged(&s), "{}", s);
            }
        }
    }

    #[test]
    fn region_codes_of_6_9_and_12_digits() {
        let d = |t: &str| region_digits(t).unwrap();
        assert_eq!(d("370303"), Ok(("370303".into(), None)));
        assert_eq!(d("370303.0"), Ok(("370303".into(), None)));
        assert_eq!(d("371402000000"), Ok(("371402".into(), None)));
        assert_eq!(
            d("371402001000"),
            Ok(("371402".into(), Some("371402001".into())))
        );
        assert_eq!(
            d("371402001"),
            Ok(("371402".into(), Some("371402001".into())))
        );
        assert_eq!(d("3703").unwrap_err().problem, Problem::RegionFormat);
        assert!(region_digits("张店区").is_none());
    }
}
