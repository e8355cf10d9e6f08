//! Parsing one cell: dates in the formats real exports use (Chinese-locale clocks
//! included), counts, the words of the export vocabulary (`vocabulary`), the GB/T
//! 39046—2020 codes, ids a spreadsheet may have damaged, and region codes. Pure
//! functions; each returns the canonical value or a [`Reason`] in Chinese-and-English
//! plain words.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

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

/// Text with full-width digits, letters and punctuation made half-width (NFKC), only
/// when it has any non-ASCII character.
pub(super) fn half_width(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfkc().collect())
    }
}

mod dates;
mod ids;
mod words;

pub use dates::*;
pub use ids::*;
pub use words::*;
