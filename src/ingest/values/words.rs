//! Counts, time limits and the words of the export vocabulary (`vocabulary`): the
//! GB/T 39046—2020 codes, enums in Chinese, English or codes, 1–5 satisfaction.

use super::super::vocabulary::{Miss, Vocabulary, Words};
use super::{half_width, Problem, Reason};
use crate::schema::Table;

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

/// 评价方式: true for a rating the system filled in (默认评价), false for one a person
/// gave; 是/否 (a 是否默认评价 column) as a yes/no value.
pub fn parse_rating_mode(place: Place<'_>, text: &str) -> Result<bool, Reason> {
    parse_word(place, Words::RatingMode, "评价方式 rating mode", text)
        .map(|v| v == "default")
        .or_else(|e| parse_bool(place, text).map_err(|_| e))
}

/// 申诉结果: true for an appeal upheld (申诉成立); 是/否 (a 申诉是否成立 column) as a
/// yes/no value.
pub fn parse_appeal_result(place: Place<'_>, text: &str) -> Result<bool, Reason> {
    parse_word(place, Words::AppealResult, "申诉结果 appeal result", text)
        .map(|v| v == "upheld")
        .or_else(|e| parse_bool(place, text).map_err(|_| e))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> Place<'static> {
        Place::bundled("channel")
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
}
