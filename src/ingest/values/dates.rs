//! Timestamps and dates as real exports write them (Chinese-locale clocks, Excel
//! serials, Unix time), to milliseconds of China local time.

use super::{half_width, Problem, Reason};
use crate::time::days_from_civil;

const MS_PER_DAY: i64 = 86_400_000;
/// China local time is UTC+08:00; values with another explicit offset are converted.
const CHINA_OFFSET_MINUTES: i64 = 8 * 60;

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
}
