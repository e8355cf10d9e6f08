//! Parsing one cell: dates in the formats real exports use, Chinese enum words and
//! their English equivalents, and the GB/T 39046—2020 codes. Pure functions; each
//! returns the canonical value or a reason in Chinese-and-English plain words.

use chrono::{Datelike, NaiveDate};

/// A parse failure: the reason shown in quarantine.
pub type Reason = String;

const MS_PER_DAY: i64 = 86_400_000;
/// China local time is UTC+08:00; values with another explicit offset are converted.
const CHINA_OFFSET_MINUTES: i64 = 8 * 60;

/// Days since 1970-01-01 of a civil date, or None if it does not exist.
pub fn days_from_civil(year: i32, month: u32, day: u32) -> Option<i32> {
    // Arithmetic, not a calendar library: it runs for every timestamp cell read
    // (H. Hinnant's days_from_civil; checked against chrono for every day of 1–9999).
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > month_days {
        return None;
    }
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let m = i64::from(month);
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

/// The civil date of a day number (days since 1970-01-01).
pub fn civil_from_days(days: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid") + chrono::Duration::days(days as i64)
}

/// Parses a timestamp into milliseconds since 1970-01-01T00:00 China local time.
///
/// Accepted: `2025-03-31 14:05:00`, `2025-03-31T14:05:00`, `2025/3/31 14:05`,
/// `2025-03-31`, `20250331`, `20250331140500`, `2025年3月31日`, fractional seconds,
/// an offset (`Z`, `+08:00`, `+0800`), and Excel serial numbers (`45747.5`).
pub fn parse_timestamp(text: &str) -> Result<i64, Reason> {
    if let Some(ms) = iso_seconds(text.as_bytes()) {
        return Ok(ms);
    }
    let s = text.trim();
    let bad = || format!("无法识别的日期 unparseable date '{s}'");
    if s.is_empty() {
        return Err(bad());
    }
    let b = s.as_bytes();
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => compact(b, false).ok_or_else(bad),
            12 | 14 => compact(b, true).ok_or_else(bad),
            1..=5 => excel_serial(s).ok_or_else(bad),
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

/// `YYYY-M-D[( |T)H:MM[:SS[.fff]]][offset]` with `-`, `/`, `.` or 年月日 separators.
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
    p.eat("日");
    let days = days_from_civil(year, month, day)?;
    p.skip_spaces();
    if p.done() {
        return ms(days, 0, 0, 0, 0);
    }
    p.eat("T");
    p.skip_spaces();
    let hour = p.number(1, 2)?;
    p.separator(&[":", "时"])?;
    let minute = p.number(2, 2)?;
    let mut second = 0;
    let mut frac = 0;
    if p.separator(&[":", "分"]).is_some() {
        second = p.number(2, 2)?;
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
    let local = ms(days, hour, minute, second, frac)?;
    p.skip_spaces();
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

/// Lower-cased, trimmed, with inner spaces and underscores removed, for enum matching.
fn key(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

fn lookup<T: Copy>(text: &str, table: &[(&[&str], T)], what: &str) -> Result<T, Reason> {
    let k = key(text);
    for (words, value) in table {
        if words.iter().any(|w| key(w) == k) {
            return Ok(*value);
        }
    }
    Err(format!("无法识别的{what} unknown value '{}'", text.trim()))
}

/// Integer ≥ 0 (a trailing `.0` from spreadsheets is accepted).
pub fn parse_count(text: &str) -> Result<i32, Reason> {
    let s = text.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    match s.parse::<i64>() {
        Ok(v) if (0..=i32::MAX as i64).contains(&v) => Ok(v as i32),
        Ok(v) => Err(format!("不能为负数 negative value {v}")),
        Err(_) => Err(format!("不是整数 not a whole number '{}'", text.trim())),
    }
}

/// Promised days: an integer ≥ 0, optionally followed by a unit word (`20个工作日`),
/// or 即办 / 当场办结 (= 0).
pub fn parse_promised_days(text: &str) -> Result<i32, Reason> {
    let s = text.trim();
    if ["即办", "即办件", "当场办结", "立即办结", "instant"].contains(&s) {
        return Ok(0);
    }
    let number_end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-'))
        .map_or(s.len(), |(i, _)| i);
    let suffix = s[number_end..].trim();
    if !suffix.is_empty()
        && ![
            "天",
            "日",
            "个工作日",
            "工作日",
            "个自然日",
            "自然日",
            "days",
            "day",
        ]
        .contains(&suffix)
    {
        return Err(format!("无法识别的时限 unknown time limit '{s}'"));
    }
    parse_count(&s[..number_end])
}

/// 工作日 / 自然日 → "workday" / "calendar".
pub fn parse_day_unit(text: &str) -> Result<&'static str, Reason> {
    lookup(
        text,
        &[
            (
                &[
                    "工作日",
                    "个工作日",
                    "workday",
                    "workdays",
                    "working day",
                    "working days",
                    "w",
                    "1",
                ],
                "workday",
            ),
            (
                &[
                    "自然日",
                    "个自然日",
                    "日历日",
                    "calendar",
                    "calendar day",
                    "calendar days",
                    "natural day",
                    "natural days",
                    "c",
                    "2",
                ],
                "calendar",
            ),
        ],
        "时限单位 time unit",
    )
}

pub fn parse_bool(text: &str) -> Result<bool, Reason> {
    lookup(
        text,
        &[
            (
                &["是", "y", "yes", "true", "t", "1", "已上传", "实名", "满意"],
                true,
            ),
            (
                &[
                    "否",
                    "n",
                    "no",
                    "false",
                    "f",
                    "0",
                    "未上传",
                    "匿名",
                    "非实名",
                    "不满意",
                ],
                false,
            ),
        ],
        "是/否 yes/no value",
    )
}

/// GB/T 39046 A.1 事项类型 → two-digit code ("01" 行政许可 …, "20" 公共服务).
pub fn parse_category(text: &str) -> Result<String, Reason> {
    let s = text.trim();
    if let Ok(n) = s.parse::<u32>() {
        if n <= 10 || (20..=29).contains(&n) {
            return Ok(format!("{n:02}"));
        }
    }
    lookup(
        s,
        &[
            (&["行政权力", "administrative power"], "00"),
            (&["行政许可", "licensing", "administrative licensing"], "01"),
            (&["行政处罚", "penalty"], "02"),
            (&["行政强制", "enforcement"], "03"),
            (&["行政征收", "levy"], "04"),
            (&["行政给付", "benefit", "payment"], "05"),
            (&["行政检查", "inspection"], "06"),
            (&["行政确认", "confirmation"], "07"),
            (&["行政奖励", "reward"], "08"),
            (&["行政裁决", "adjudication"], "09"),
            (
                &[
                    "其他行政权力",
                    "其他权力",
                    "其他",
                    "other",
                    "other administrative power",
                ],
                "10",
            ),
            (&["公共服务", "public service"], "20"),
        ],
        "事项类型 matter category",
    )
    .map(str::to_owned)
}

/// 网上办理深度 → level 0–4 (SPEC §3.3). A single number 0–4 is the level itself;
/// the national multi-select list (`3^4^5^6`, codes 1–7) is mapped: any of 5/6/7 → 4,
/// else 4 → 3, else 2 or 3 → 2, else 1 → 1.
pub fn parse_online_depth(text: &str) -> Result<i32, Reason> {
    let s = text.trim();
    let level_words: &[(&[&str], i32)] = &[
        (&["0", "无", "不可网办", "线下办理", "offline", "none"], 0),
        (&["1", "一级", "Ⅰ级", "I级", "Ⅰ", "level 1", "l1"], 1),
        (&["2", "二级", "Ⅱ级", "II级", "Ⅱ", "level 2", "l2"], 2),
        (&["3", "三级", "Ⅲ级", "III级", "Ⅲ", "level 3", "l3"], 3),
        (
            &[
                "4",
                "四级",
                "Ⅳ级",
                "IV级",
                "Ⅳ",
                "全程网办",
                "level 4",
                "l4",
                "fully online",
            ],
            4,
        ),
    ];
    if let Ok(level) = lookup(s, level_words, "网上办理深度 online depth") {
        return Ok(level);
    }
    let codes: Result<Vec<u32>, _> = s
        .split(['^', ',', '，', ';', '；', '|', '、'])
        .map(|p| p.trim().parse::<u32>())
        .collect();
    match codes {
        Ok(codes) if !codes.is_empty() && codes.iter().all(|c| (1..=7).contains(c)) => {
            Ok(depth_from_codes(&codes))
        }
        _ => Err(format!("无法识别的网上办理深度 unknown online depth '{s}'")),
    }
}

/// SPEC §3.3 default mapping of the national multi-select list to levels.
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
pub fn parse_case_channel(text: &str) -> Result<&'static str, Reason> {
    lookup(
        text,
        &[
            (
                &[
                    "网上办理",
                    "网上",
                    "网办",
                    "电脑端网上办理",
                    "电脑端",
                    "pc端",
                    "互联网",
                    "online",
                    "web",
                    "2",
                ],
                "online",
            ),
            (
                &[
                    "移动端",
                    "移动端网上申请",
                    "手机端",
                    "app",
                    "掌上办",
                    "mobile",
                    "3",
                ],
                "app",
            ),
            (
                &["窗口", "窗口办理", "现场", "大厅", "window", "counter", "1"],
                "window",
            ),
            (&["自助终端", "自助", "kiosk", "self-service"], "kiosk"),
            (&["邮寄", "快递", "快递申请", "mail", "post", "4"], "mail"),
            (&["其他", "other", "9"], "other"),
        ],
        "申办渠道 channel",
    )
}

/// 办件类型 (GB/T 39046 A.6).
pub fn parse_case_type(text: &str) -> Result<&'static str, Reason> {
    lookup(
        text,
        &[
            (&["即办件", "即办", "instant", "1"], "instant"),
            (&["承诺件", "承诺", "promised", "2"], "promised"),
            (&["其他", "other", "9"], "other"),
        ],
        "办件类型 case type",
    )
}

/// 办件状态.
pub fn parse_status(text: &str) -> Result<&'static str, Reason> {
    lookup(
        text,
        &[
            (
                &[
                    "办结",
                    "已办结",
                    "完成",
                    "已完成",
                    "completed",
                    "done",
                    "finished",
                ],
                "completed",
            ),
            (
                &[
                    "在办",
                    "办理中",
                    "受理",
                    "已受理",
                    "审批中",
                    "in progress",
                    "inprogress",
                    "processing",
                    "open",
                ],
                "in_progress",
            ),
            (&["不予受理", "退回", "rejected", "refused"], "rejected"),
            (
                &["撤件", "撤回", "撤销", "withdrawn", "cancelled", "canceled"],
                "withdrawn",
            ),
        ],
        "办件状态 status",
    )
}

/// 评价渠道.
pub fn parse_rating_channel(text: &str) -> Result<&'static str, Reason> {
    lookup(
        text,
        &[
            (
                &[
                    "评价器",
                    "政务大厅平板电脑",
                    "平板电脑",
                    "窗口评价器",
                    "device",
                    "pad",
                ],
                "device",
            ),
            (&["二维码", "扫码", "qr", "qrcode", "qr code"], "qr_code"),
            (&["短信", "sms", "text message"], "sms"),
            (&["网站", "pc端", "网页", "web", "website", "pc"], "web"),
            (&["移动端", "移动服务端", "app", "手机", "mobile"], "app"),
            (
                &["12345热线", "12345", "电话", "热线", "hotline", "phone"],
                "hotline",
            ),
            (&["其他", "其他终端", "other"], "other"),
        ],
        "评价渠道 rating channel",
    )
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

/// 满意度 → A.8 code 1 (非常满意) … 5 (非常不满意).
pub fn parse_satisfaction(text: &str, scale: ScoreScale) -> Result<i32, Reason> {
    let s = text.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if let Ok(n) = s.parse::<i64>() {
        if !(1..=5).contains(&n) {
            return Err(format!("满意度超出范围 satisfaction {n} out of range 1–5"));
        }
        return Ok(match scale {
            ScoreScale::Gbt39046 => n as i32,
            ScoreScale::Stars => 6 - n as i32,
        });
    }
    lookup(
        s,
        &[
            (&["非常满意", "very satisfied", "excellent"], 1),
            (&["满意", "satisfied", "good"], 2),
            (&["基本满意", "basically satisfied", "fair", "neutral"], 3),
            (&["不满意", "dissatisfied", "unsatisfied", "poor", "bad"], 4),
            (
                &[
                    "非常不满意",
                    "very dissatisfied",
                    "very unsatisfied",
                    "very poor",
                    "very bad",
                ],
                5,
            ),
        ],
        "满意度 satisfaction",
    )
}

/// A 6-digit GB/T 2260 code (a trailing `.0` from spreadsheets is accepted).
pub fn parse_region_code(text: &str) -> Result<String, Reason> {
    let s = text.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.len() == 6 && s.bytes().all(|c| c.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(format!(
            "行政区划代码须为6位数字 region code must be 6 digits (got '{s}')"
        ))
    }
}

/// Quarter label (`2025Q4`) of a day number.
pub fn quarter_of_day(days: i32) -> String {
    let d = civil_from_days(days);
    format!("{}Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> i64 {
        days_from_civil(y, mo, d).unwrap() as i64 * MS_PER_DAY
            + ((h * 3600 + mi * 60 + s) as i64) * 1000
    }

    #[test]
    fn civil_days_agree_with_chrono_on_every_day() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for year in 1..=9999 {
            for month in 0..=13 {
                for day in 0..=32 {
                    let want = NaiveDate::from_ymd_opt(year, month, day)
                        .map(|d| (d - epoch).num_days() as i32);
                    assert_eq!(
                        days_from_civil(year, month, day),
                        want,
                        "{year}-{month}-{day}"
                    );
                }
            }
        }
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

    #[test]
    fn satisfaction_codes_follow_gbt39046_not_stars() {
        assert_eq!(parse_satisfaction("1", ScoreScale::Gbt39046), Ok(1));
        assert_eq!(parse_satisfaction("5", ScoreScale::Gbt39046), Ok(5));
        assert_eq!(parse_satisfaction("5", ScoreScale::Stars), Ok(1));
        assert_eq!(parse_satisfaction("非常不满意", ScoreScale::Stars), Ok(5));
        assert_eq!(parse_satisfaction("基本满意", ScoreScale::Gbt39046), Ok(3));
        assert_eq!(
            parse_satisfaction("Very Satisfied", ScoreScale::Gbt39046),
            Ok(1)
        );
        assert!(parse_satisfaction("6", ScoreScale::Gbt39046).is_err());
        assert!(parse_satisfaction("0", ScoreScale::Gbt39046).is_err());
    }

    #[test]
    fn online_depth_levels_and_national_list() {
        assert_eq!(parse_online_depth("四级"), Ok(4));
        assert_eq!(parse_online_depth("Ⅲ级"), Ok(3));
        assert_eq!(parse_online_depth("全程网办"), Ok(4));
        assert_eq!(parse_online_depth("2"), Ok(2));
        assert_eq!(parse_online_depth("3^4^5^6"), Ok(4));
        assert_eq!(parse_online_depth("1^2^3^4"), Ok(3));
        assert_eq!(parse_online_depth("1^3"), Ok(2));
        assert_eq!(parse_online_depth("1"), Ok(1));
        assert_eq!(parse_online_depth("7"), Ok(4));
        assert!(parse_online_depth("8^9").is_err());
    }

    #[test]
    fn enums_in_chinese_english_and_codes() {
        assert_eq!(parse_case_channel("网上办理"), Ok("online"));
        assert_eq!(parse_case_channel("2"), Ok("online"));
        assert_eq!(parse_case_channel("1"), Ok("window"));
        assert_eq!(parse_case_channel("Window"), Ok("window"));
        assert_eq!(parse_status("办结"), Ok("completed"));
        assert_eq!(parse_status("in_progress"), Ok("in_progress"));
        assert_eq!(parse_status("不予受理"), Ok("rejected"));
        assert_eq!(parse_case_type("1"), Ok("instant"));
        assert_eq!(parse_bool("是"), Ok(true));
        assert_eq!(parse_bool("N"), Ok(false));
        assert_eq!(parse_category("行政许可"), Ok("01".into()));
        assert_eq!(parse_category("1"), Ok("01".into()));
        assert_eq!(parse_category("20"), Ok("20".into()));
        assert!(parse_category("99").is_err());
        assert_eq!(parse_day_unit("自然日"), Ok("calendar"));
        assert_eq!(parse_promised_days("即办"), Ok(0));
        assert_eq!(parse_promised_days("20个工作日"), Ok(20));
        assert!(parse_promised_days("-3").is_err());
        assert!(parse_promised_days("三天").is_err());
        assert_eq!(parse_region_code("370303.0"), Ok("370303".into()));
        assert!(parse_region_code("3703").is_err());
    }

    #[test]
    fn quarters() {
        assert_eq!(
            quarter_of_day(days_from_civil(2025, 12, 31).unwrap()),
            "2025Q4"
        );
        assert_eq!(
            quarter_of_day(days_from_civil(2024, 1, 1).unwrap()),
            "2024Q1"
        );
    }
}
