//! The working-day calendar (docs/SPEC.md §3.1): the State Council holiday schedule with its
//! 调休 make-up working days, and the `W(d)` index — working days from a fixed origin up
//! to and including day `d` — so that elapsed working days are `W(c) − W(a)`, two
//! lookups and a subtraction per row.
//!
//! The schedule for 2019–2026 lives in `data/calendar/cn-holidays.csv` beside the code
//! (compiled in); a user file in the same format adds or overrides years.

use std::path::Path;

use chrono::{Datelike, Weekday};

use crate::error::{Error, Result};
use crate::time::{civil_from_days, days_from_civil};

/// The bundled schedule (State Council notices 2019–2026).
pub const BUNDLED_SCHEDULE: &str = include_str!("../data/calendar/cn-holidays.csv");

/// First and last year the index covers at all; only years with a schedule are "known".
const INDEX_FIRST_YEAR: i32 = 1990;
const INDEX_LAST_YEAR: i32 = 2100;

/// Working-day index over 1990–2100, with the years whose holidays are known.
#[derive(Debug, Clone)]
pub struct Calendar {
    /// Day number (days since 1970-01-01) of index position 0.
    origin: i32,
    /// `cumulative[i]` = W(origin + i): working days in [origin, origin + i].
    cumulative: Vec<i32>,
    /// Years with an official schedule.
    known_years: std::ops::RangeInclusive<i32>,
    /// The same years as day numbers, first day to the day after the last.
    known_days: std::ops::Range<i32>,
    /// Count days outside the known years with the weekday rule instead of failing.
    weekday_only_outside: bool,
}

/// A date the calendar cannot count working days for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("日期 {date} 超出节假日安排已知年份 {first}–{last} (date outside the known holiday years)")]
pub struct OutsideCalendar {
    pub date: chrono::NaiveDate,
    pub first: i32,
    pub last: i32,
}

impl Calendar {
    /// The bundled schedule, optionally overridden by a user file.
    pub fn load(override_file: Option<&Path>, weekday_only_outside: bool) -> Result<Self> {
        let mut entries =
            parse_schedule(BUNDLED_SCHEDULE, Path::new("data/calendar/cn-holidays.csv"))?;
        if let Some(path) = override_file {
            let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
            entries.extend(parse_schedule(&text, path)?);
        }
        Ok(Self::from_entries(&entries, weekday_only_outside))
    }

    fn from_entries(entries: &[Entry], weekday_only_outside: bool) -> Self {
        let origin = days_from_civil(INDEX_FIRST_YEAR, 1, 1).expect("valid");
        let end = days_from_civil(INDEX_LAST_YEAR, 12, 31).expect("valid");
        let mut working: Vec<bool> = (origin..=end)
            .map(|d| !matches!(civil_from_days(d).weekday(), Weekday::Sat | Weekday::Sun))
            .collect();
        // Later entries (the user's file) override earlier ones.
        for e in entries {
            for d in e.first..=e.last {
                if let Some(slot) = working.get_mut((d - origin) as usize) {
                    *slot = e.working;
                }
            }
        }
        let mut cumulative = Vec::with_capacity(working.len());
        let mut total = 0;
        for w in working {
            total += w as i32;
            cumulative.push(total);
        }
        let years = entries.iter().flat_map(|e| {
            [
                civil_from_days(e.first).year(),
                civil_from_days(e.last).year(),
            ]
        });
        let first = years.clone().min().unwrap_or(1);
        let last = years.max().unwrap_or(0);
        let known_days = match (
            days_from_civil(first, 1, 1),
            days_from_civil(last + 1, 1, 1),
        ) {
            (Some(f), Some(a)) => f..a,
            _ => 0..0,
        };
        Calendar {
            origin,
            cumulative,
            known_years: first..=last,
            known_days,
            weekday_only_outside,
        }
    }

    pub fn known_years(&self) -> std::ops::RangeInclusive<i32> {
        self.known_years.clone()
    }

    /// `W(d)` for a day number, or why it cannot be counted.
    pub fn w(&self, day: i32) -> Result<i32, OutsideCalendar> {
        // Two comparisons and a load: this runs for every date of every case.
        let idx = day - self.origin;
        let in_index = idx >= 0 && (idx as usize) < self.cumulative.len();
        if in_index && (self.weekday_only_outside || self.known_days.contains(&day)) {
            Ok(self.cumulative[idx as usize])
        } else {
            Err(OutsideCalendar {
                date: civil_from_days(day),
                first: *self.known_years.start(),
                last: *self.known_years.end(),
            })
        }
    }

    /// The first day on which `W` reaches `w`: the deadline `n` working days after a day
    /// `d` is `day_with_w(W(d) + n)`. `None` past the index.
    pub fn day_with_w(&self, w: i32) -> Option<i32> {
        let idx = self.cumulative.partition_point(|&c| c < w);
        (idx < self.cumulative.len()).then(|| self.origin + idx as i32)
    }

    /// Whether a day is a working day.
    pub fn is_working_day(&self, day: i32) -> Result<bool, OutsideCalendar> {
        // W counts working days up to and including `day`, so a working day adds one.
        let w = self.w(day)?;
        let before = match (day - self.origin) as usize {
            0 => 0,
            idx => self.cumulative[idx - 1],
        };
        Ok(w - before == 1)
    }

    /// The working day `n` working days after `day` (n = 0: `day` itself if it is a
    /// working day, else the next one). Used by the sample generator.
    pub fn add_working_days(&self, day: i32, n: i32) -> Result<i32, OutsideCalendar> {
        let target = self.w(day)? + n + if self.is_working_day(day)? { 0 } else { 1 };
        let idx = self.cumulative.partition_point(|&w| w < target);
        let d = self.origin + idx as i32;
        self.w(d)?;
        Ok(d)
    }
}

#[derive(Debug, Clone)]
struct Entry {
    first: i32,
    last: i32,
    working: bool,
}

fn parse_schedule(text: &str, path: &Path) -> Result<Vec<Entry>> {
    let mut entries = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !header_seen {
            header_seen = true;
            if line.starts_with("first") {
                continue;
            }
        }
        let bad = |what: &str| {
            Error::input(
                path,
                format!("row {}: {what} in '{line}'\nhint: each row is first,last,kind,name with dates as YYYY-MM-DD and kind off or work", i + 1),
            )
        };
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() < 3 {
            return Err(bad("expected at least 3 fields"));
        }
        let day = |s: &str| crate::ingest::values::parse_date(s).map_err(|r| bad(&r.message));
        let (first, last) = (day(fields[0])?, day(fields[1])?);
        if last < first {
            return Err(bad("last date before first date"));
        }
        let working = match fields[2] {
            "off" | "休" | "holiday" => false,
            "work" | "班" | "workday" => true,
            other => return Err(bad(&format!("unknown kind '{other}'"))),
        };
        entries.push(Entry {
            first,
            last,
            working,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_working_days_after_new_years_eve_2025() {
        // 2025-12-31 (Wed) + 15 working days: 2026-01-01–03 are off (元旦), 01-04 (Sun) is
        // a make-up working day; counting by hand: 01-04, 05, 06, 07, 08, 09, 12, 13, 14,
        // 15, 16, 19, 20, 21, 22 → 2026-01-22.
        let c = Calendar::load(None, false).unwrap();
        let d = |y, m, d| days_from_civil(y, m, d).unwrap();
        let w = c.w(d(2025, 12, 31)).unwrap();
        assert_eq!(c.day_with_w(w + 15), Some(d(2026, 1, 22)));
        assert_eq!(c.day_with_w(w), Some(d(2025, 12, 31)));
    }

    fn day(y: i32, m: u32, d: u32) -> i32 {
        days_from_civil(y, m, d).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::load(None, false).unwrap()
    }

    #[test]
    fn national_day_2024_and_its_make_up_days() {
        let c = cal();
        for d in 1..=7 {
            assert!(
                !c.is_working_day(day(2024, 10, d)).unwrap(),
                "2024-10-0{d} is off"
            );
        }
        assert!(
            c.is_working_day(day(2024, 9, 29)).unwrap(),
            "Sunday 2024-09-29 is a make-up working day"
        );
        assert!(
            c.is_working_day(day(2024, 10, 12)).unwrap(),
            "Saturday 2024-10-12 is a make-up working day"
        );
        assert!(
            !c.is_working_day(day(2024, 10, 13)).unwrap(),
            "an ordinary Sunday is off"
        );
    }

    /// The first day of the known range: 2018-12-31 is outside it, and must not be needed.
    #[test]
    fn first_known_day_is_new_years_day_off() {
        assert!(
            !cal().is_working_day(day(2019, 1, 1)).unwrap(),
            "2019-01-01 元旦"
        );
        assert!(cal().is_working_day(day(2019, 1, 2)).unwrap());
    }

    #[test]
    fn make_up_days_2026() {
        let c = cal();
        assert!(
            c.is_working_day(day(2026, 1, 4)).unwrap(),
            "Sunday 2026-01-04"
        );
        assert!(
            c.is_working_day(day(2026, 2, 14)).unwrap(),
            "Saturday 2026-02-14"
        );
        assert!(
            !c.is_working_day(day(2026, 2, 23)).unwrap(),
            "Monday 2026-02-23 is still 春节"
        );
    }

    #[test]
    fn spring_festival_2025_by_hand() {
        // Accepted Fri 2025-01-24, completed Mon 2025-02-10. Working days after the
        // acceptance day up to and including completion:
        //   Sun 1/26 (调休 working) · Mon 1/27 · [1/28–2/4 春节 off] · Wed 2/5 · Thu 2/6 ·
        //   Fri 2/7 · Sat 2/8 (调休 working) · [Sun 2/9 off] · Mon 2/10  = 7.
        let c = cal();
        assert_eq!(
            c.w(day(2025, 2, 10)).unwrap() - c.w(day(2025, 1, 24)).unwrap(),
            7
        );
    }

    #[test]
    fn outside_known_years_is_an_error_unless_opted_in() {
        let err = cal().w(day(2027, 3, 1)).unwrap_err();
        assert_eq!((err.first, err.last), (2019, 2026));
        let lenient = Calendar::load(None, true).unwrap();
        // Mon 2027-03-01 → Fri 2027-03-05: four weekdays after the first.
        assert_eq!(
            lenient.w(day(2027, 3, 5)).unwrap() - lenient.w(day(2027, 3, 1)).unwrap(),
            4
        );
    }

    #[test]
    fn user_file_overrides_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("cal.csv");
        std::fs::write(&f, "first,last,kind,name\n2025-03-03,2025-03-03,off,本地停休\n2027-01-01,2027-01-01,off,元旦\n").unwrap();
        let c = Calendar::load(Some(&f), false).unwrap();
        assert!(!c.is_working_day(day(2025, 3, 3)).unwrap());
        assert!(
            c.w(day(2027, 6, 1)).is_ok(),
            "2027 is known once the user adds it"
        );
    }

    #[test]
    fn add_working_days_skips_holidays() {
        let c = cal();
        // Thu 2024-09-26 + 3 working days: Fri 9/27, Sun 9/29 (调休), Mon 9/30.
        assert_eq!(
            c.add_working_days(day(2024, 9, 26), 3).unwrap(),
            day(2024, 9, 30)
        );
        assert_eq!(
            c.add_working_days(day(2024, 10, 3), 0).unwrap(),
            day(2024, 10, 8)
        );
    }

    /// Cross-check against an independent source, the `chinese_holiday` crate, for every
    /// day 2019–2026. Our table was transcribed from the State Council notices and agrees
    /// with PyPI chinesecalendar 1.11.0 on every day (checked 2026-11-23); it must agree with
    /// the crate on every day too.
    #[test]
    fn agrees_with_chinese_holiday_crate() {
        use chinese_holiday::chinese_holiday;
        let c = cal();
        let mut differences = Vec::new();
        // The crate panics after 2026-12-25.
        for d in day(2019, 1, 1)..=day(2026, 12, 25) {
            let date = civil_from_days(d);
            let theirs =
                chinese_holiday((date.year() as u16, date.month() as u8, date.day() as u8));
            let theirs_working = theirs.is_workday();
            if theirs_working != c.is_working_day(d).unwrap() {
                differences.push(date.to_string());
            }
        }
        assert!(
            differences.is_empty(),
            "calendar disagrees with chinese_holiday on {differences:?}"
        );
    }
}
