//! Base types every stage shares: day numbers (days since 1970-01-01), civil-date
//! arithmetic and quarters (季度). No stage reaches into another for them.

use chrono::{Datelike, NaiveDate};

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

/// The civil date of a day number (days since 1970-01-01), clamped to chrono's range.
pub fn civil_from_days(days: i32) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    epoch
        .checked_add_signed(chrono::Duration::days(days as i64))
        .unwrap_or(if days < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        })
}

/// Today's day number in China time (UTC+08:00).
pub fn today() -> i32 {
    let now = chrono::Utc::now().timestamp();
    (now + 8 * 3600).div_euclid(86_400) as i32
}

/// A quarter (季度), e.g. 2025Q4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    /// 1–4.
    pub number: u32,
}

impl Quarter {
    /// The quarter of a day number.
    pub fn of_day(days: i32) -> Quarter {
        let d = civil_from_days(days);
        Quarter {
            year: d.year(),
            number: (d.month() - 1) / 3 + 1,
        }
    }

    /// Reads every spelling analysts use: `2025Q4`, `2025q4`, `2025-Q4`, `2025 Q4`,
    /// `2025年第四季度`, `2025年四季度`, `2025年第4季度`, `2025年4季度`, `2025-4`
    /// (full-width digits too).
    pub fn parse(text: &str) -> Option<Quarter> {
        use unicode_normalization::UnicodeNormalization;
        let s: String = text
            .nfkc()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if digits != 4 {
            return None;
        }
        let year: i32 = s[..4].parse().ok()?;
        let mut rest = &s[4..];
        for prefix in ["年", "-", "/", "_", "."] {
            if let Some(r) = rest.strip_prefix(prefix) {
                rest = r;
                break;
            }
        }
        let rest = rest.strip_prefix("第").unwrap_or(rest);
        let rest = rest.strip_prefix('Q').unwrap_or(rest);
        let rest = rest
            .strip_suffix("季度")
            .or_else(|| rest.strip_suffix('季'))
            .unwrap_or(rest);
        let number = match rest {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            _ => return None,
        };
        Some(Quarter { year, number })
    }

    /// First and last day (day numbers) of the quarter.
    pub fn bounds(self) -> Option<(i32, i32)> {
        let first = days_from_civil(self.year, (self.number - 1) * 3 + 1, 1)?;
        let next = self.next();
        Some((
            first,
            days_from_civil(next.year, (next.number - 1) * 3 + 1, 1)? - 1,
        ))
    }

    pub fn next(self) -> Quarter {
        if self.number == 4 {
            Quarter {
                year: self.year + 1,
                number: 1,
            }
        } else {
            Quarter {
                number: self.number + 1,
                ..self
            }
        }
    }

    pub fn previous(self) -> Quarter {
        if self.number == 1 {
            Quarter {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Quarter {
                number: self.number - 1,
                ..self
            }
        }
    }

    pub fn year_earlier(self) -> Quarter {
        Quarter {
            year: self.year - 1,
            ..self
        }
    }

    /// 2025年第四季度
    pub fn chinese(self) -> String {
        const NUMBERS: [&str; 4] = ["一", "二", "三", "四"];
        format!(
            "{}年第{}季度",
            self.year,
            NUMBERS[(self.number - 1) as usize]
        )
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}Q{}", self.year, self.number)
    }
}

/// The label (`2025Q4`) of a day number's quarter.
pub fn quarter_of_day(days: i32) -> String {
    Quarter::of_day(days).to_string()
}

/// A command-line quarter in any accepted spelling, as its label (`2025Q4`).
pub fn parse_quarter_arg(text: &str) -> Result<String, String> {
    Quarter::parse(text).map(|q| q.to_string()).ok_or_else(|| {
        format!("'{text}' is not a quarter; write it like 2025Q4, 2025-Q4 or 2025年第四季度")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn civil_from_days_never_panics() {
        for d in [i32::MIN, -1_000_000_000, 0, 1_000_000_000, i32::MAX] {
            let _ = civil_from_days(d);
        }
        assert_eq!(
            civil_from_days(days_from_civil(2025, 12, 31).unwrap()),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
    }

    #[test]
    fn quarter_spellings() {
        let q4 = Quarter {
            year: 2025,
            number: 4,
        };
        for s in [
            "2025Q4",
            "2025q4",
            "2025-Q4",
            "2025 Q4",
            "2025年第四季度",
            "2025年四季度",
            "2025年第4季度",
            "2025年4季度",
            "２０２５Ｑ４",
            "2025-4",
        ] {
            assert_eq!(Quarter::parse(s), Some(q4), "{s}");
        }
        for s in ["2025Q5", "2025", "25Q4", "2025年第五季度", "Q4", ""] {
            assert_eq!(Quarter::parse(s), None, "{s}");
        }
        assert_eq!(q4.to_string(), "2025Q4");
        assert_eq!(q4.chinese(), "2025年第四季度");
        assert_eq!(q4.next().to_string(), "2026Q1");
        assert_eq!(q4.previous().to_string(), "2025Q3");
        assert_eq!(q4.year_earlier().to_string(), "2024Q4");
        let (first, last) = q4.bounds().unwrap();
        assert_eq!(first, days_from_civil(2025, 10, 1).unwrap());
        assert_eq!(last, days_from_civil(2025, 12, 31).unwrap());
        assert_eq!(
            quarter_of_day(days_from_civil(2024, 1, 1).unwrap()),
            "2024Q1"
        );
    }
}
