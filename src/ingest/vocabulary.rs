//! The export vocabulary: the spellings real platforms and vendor systems use for each
//! enum value (`data/vocabulary.toml`, read once), plus the user's own spellings from the
//! `[values.<table>.<column>]` sections of the --mapping file. Rust holds what a value
//! means; the spellings are data.
//!
//! Matching is on normalised text ([`fold`]): NFKC (full-width → half-width, Ⅳ → IV),
//! lower case, without spaces, underscores, hyphens or quotes. A cell that is not listed
//! whole but has brackets is matched by its parts: `全程网办（Ⅳ级）` is 全程网办 and IV级.

use std::collections::HashMap;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::schema::{Kind, Table};

/// The bundled vocabulary file.
pub const BUNDLED: &str = include_str!("../../data/vocabulary.toml");

/// A kind of value that has a vocabulary, with its section in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Words {
    Status,
    CaseChannel,
    CaseType,
    RatingChannel,
    OnlineDepth,
    DayUnit,
    Bool,
    Satisfaction,
    Category,
    RatingMode,
    AppealResult,
}

impl Words {
    pub const ALL: [Words; 11] = [
        Words::Status,
        Words::CaseChannel,
        Words::CaseType,
        Words::RatingChannel,
        Words::OnlineDepth,
        Words::DayUnit,
        Words::Bool,
        Words::Satisfaction,
        Words::Category,
        Words::RatingMode,
        Words::AppealResult,
    ];

    /// The section of `data/vocabulary.toml`.
    pub fn section(self) -> &'static str {
        match self {
            Words::Status => "status",
            Words::CaseChannel => "case_channel",
            Words::CaseType => "case_type",
            Words::RatingChannel => "rating_channel",
            Words::OnlineDepth => "online_depth",
            Words::DayUnit => "day_unit",
            Words::Bool => "bool",
            Words::Satisfaction => "satisfaction",
            Words::Category => "category",
            Words::RatingMode => "rating_mode",
            Words::AppealResult => "appeal_result",
        }
    }

    /// Every canonical value of the kind (the keys a section may have).
    pub fn values(self) -> &'static [&'static str] {
        match self {
            Words::Status => &["completed", "in_progress", "rejected", "withdrawn"],
            Words::CaseChannel => &["online", "app", "window", "kiosk", "mail", "other"],
            Words::CaseType => &["instant", "promised", "other"],
            Words::RatingChannel => &["device", "qr_code", "sms", "web", "app", "hotline", "other"],
            Words::OnlineDepth => &["0", "1", "2", "3", "4"],
            Words::DayUnit => &["workday", "calendar"],
            Words::Bool => &["true", "false"],
            Words::Satisfaction => &["1", "2", "3", "4", "5"],
            Words::RatingMode => &["default", "active"],
            Words::AppealResult => &["upheld", "rejected"],
            Words::Category => &[
                "00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20",
            ],
        }
    }

    /// The vocabulary of a column kind, if it has one.
    pub fn of(kind: Kind) -> Option<Words> {
        Some(match kind {
            Kind::Status => Words::Status,
            Kind::CaseChannel => Words::CaseChannel,
            Kind::CaseType => Words::CaseType,
            Kind::RatingChannel => Words::RatingChannel,
            Kind::OnlineDepth => Words::OnlineDepth,
            Kind::DayUnit => Words::DayUnit,
            Kind::Bool => Words::Bool,
            Kind::Satisfaction => Words::Satisfaction,
            Kind::Category => Words::Category,
            Kind::RatingMode => Words::RatingMode,
            Kind::AppealResult => Words::AppealResult,
            _ => return None,
        })
    }

    fn canonical(self, value: &str) -> Option<&'static str> {
        self.values().iter().copied().find(|v| *v == value)
    }
}

/// Normalised text for matching: NFKC, lower case, without whitespace, `_`, `-`, quotes
/// or a middle dot.
pub fn fold(text: &str) -> String {
    let keep = |c: &char| {
        !c.is_whitespace()
            && !matches!(
                c,
                '_' | '-' | '"' | '\'' | '“' | '”' | '‘' | '’' | '·' | '`' | '\u{feff}'
            )
    };
    if text.is_ascii() {
        text.chars()
            .filter(keep)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    } else {
        text.nfkc()
            .filter(keep)
            .flat_map(char::to_lowercase)
            .collect()
    }
}

/// Why a cell matched no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// No spelling matches.
    Unknown,
    /// The part outside the brackets and the part inside mean different values.
    Conflict(&'static str, &'static str),
}

/// Spellings → canonical value, per kind (bundled) and per table column (the user's).
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    bundled: HashMap<(Words, String), &'static str>,
    /// The first spelling of each value: how reports write it (device → 评价器).
    display: HashMap<(Words, &'static str), String>,
    user: HashMap<(Table, &'static str, String), &'static str>,
}

impl Vocabulary {
    /// The bundled vocabulary, parsed once.
    pub fn bundled() -> &'static Vocabulary {
        static BUNDLED_VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
        BUNDLED_VOCABULARY.get_or_init(|| {
            Vocabulary::parse(BUNDLED).expect("data/vocabulary.toml is checked by a test")
        })
    }

    /// Parses a vocabulary file; errors name the section and key.
    pub fn parse(text: &str) -> Result<Vocabulary, String> {
        let raw: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut bundled = HashMap::new();
        let mut display = HashMap::new();
        for (section, values) in raw {
            let words = Words::ALL
                .into_iter()
                .find(|w| w.section() == section)
                .ok_or_else(|| format!("unknown section [{section}]"))?;
            let values = values
                .as_table()
                .ok_or_else(|| format!("[{section}] must be a table"))?;
            for (key, spellings) in values {
                let canonical = words
                    .canonical(key)
                    .ok_or_else(|| format!("[{section}] has no value '{key}'"))?;
                let list = spellings
                    .as_array()
                    .ok_or_else(|| format!("[{section}] {key} must be a list of spellings"))?;
                if let Some(first) = list.first().and_then(|s| s.as_str()) {
                    display.insert((words, canonical), first.to_owned());
                }
                for s in list {
                    let s = s
                        .as_str()
                        .ok_or_else(|| format!("[{section}] {key}: spellings are strings"))?;
                    if let Some(before) = bundled.insert((words, fold(s)), canonical) {
                        if before != canonical {
                            return Err(format!(
                                "[{section}] '{s}' is listed for both {before} and {canonical}"
                            ));
                        }
                    }
                }
            }
        }
        Ok(Vocabulary {
            bundled,
            display,
            user: HashMap::new(),
        })
    }

    /// The bundled vocabulary with the user's spellings for table columns added.
    pub fn with_user(spellings: HashMap<(Table, &'static str, String), &'static str>) -> Self {
        Vocabulary {
            bundled: Vocabulary::bundled().bundled.clone(),
            display: Vocabulary::bundled().display.clone(),
            user: spellings,
        }
    }

    fn get(&self, words: Words, table: Table, column: &str, folded: &str) -> Option<&'static str> {
        if !self.user.is_empty() {
            if let Some(v) = self
                .user
                .get(&(table, column_name(table, column), folded.to_owned()))
            {
                return Some(v);
            }
        }
        self.bundled.get(&(words, folded.to_owned())).copied()
    }

    /// The canonical value of a cell of `table.column`, whose kind is `words`.
    pub fn find(
        &self,
        words: Words,
        table: Table,
        column: &str,
        text: &str,
    ) -> Result<&'static str, Miss> {
        let folded = fold(text);
        if let Some(v) = self.get(words, table, column, &folded) {
            return Ok(v);
        }
        let Some((outside, inside)) = split_brackets(&folded) else {
            return Err(Miss::Unknown);
        };
        let look = |part: &str| {
            (!part.is_empty())
                .then(|| self.get(words, table, column, part))
                .flatten()
        };
        match (look(&outside), look(&inside)) {
            (Some(a), Some(b)) if a != b => Err(Miss::Conflict(a, b)),
            (Some(a), _) | (None, Some(a)) => Ok(a),
            (None, None) => Err(Miss::Unknown),
        }
    }

    /// How reports write a canonical value: the first spelling listed for it (`device` →
    /// 评价器, `workday` → 工作日, `true` → 是).
    pub fn display(&self, words: Words, canonical: &str) -> Option<&str> {
        let value = words.canonical(canonical)?;
        self.display.get(&(words, value)).map(String::as_str)
    }

    /// The canonical value a spelling of `words` stands for (bundled spellings only, or
    /// the canonical value itself): what a --mapping value may be written as.
    pub fn canonical(&self, words: Words, spelling: &str) -> Option<&'static str> {
        words
            .canonical(spelling.trim())
            .or_else(|| self.bundled.get(&(words, fold(spelling))).copied())
    }
}

/// The static name of a column of `table` (user spellings are keyed by it).
fn column_name(table: Table, column: &str) -> &'static str {
    table.column(column).map_or("", |c| c.name)
}

/// The text outside the first bracket pair and the text inside it (brackets of any
/// width or shape), or None when the text has no closed bracket pair.
fn split_brackets(folded: &str) -> Option<(String, String)> {
    const PAIRS: [(char, char); 6] = [
        ('(', ')'),
        ('[', ']'),
        ('【', '】'),
        ('〔', '〕'),
        ('《', '》'),
        ('{', '}'),
    ];
    for (open, close) in PAIRS {
        if let Some(start) = folded.find(open) {
            if let Some(len) = folded[start + open.len_utf8()..].find(close) {
                let inner_start = start + open.len_utf8();
                let inner = &folded[inner_start..inner_start + len];
                let after = &folded[inner_start + len + close.len_utf8()..];
                return Some((format!("{}{after}", &folded[..start]), inner.to_owned()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(words: Words, text: &str) -> Result<&'static str, Miss> {
        Vocabulary::bundled().find(words, Table::Cases, "channel", text)
    }

    #[test]
    fn bundled_file_parses_and_covers_every_value() {
        let v = Vocabulary::parse(BUNDLED).unwrap();
        for w in Words::ALL {
            for value in w.values() {
                assert!(
                    v.bundled.iter().any(|((k, _), c)| *k == w && c == value),
                    "[{}] {value} has no spelling",
                    w.section()
                );
            }
        }
    }

    #[test]
    fn a_spelling_listed_for_two_values_is_refused() {
        let e = Vocabulary::parse("[status]\ncompleted = [\"办结\"]\nrejected = [\" 办 结 \"]\n")
            .unwrap_err();
        assert!(e.contains("both"), "{e}");
        assert!(Vocabulary::parse("[status]\nclosed = [\"x\"]\n").is_err());
        assert!(Vocabulary::parse("[colour]\nred = [\"x\"]\n").is_err());
    }

    #[test]
    fn real_platform_spellings() {
        assert_eq!(find(Words::OnlineDepth, "全程网办（Ⅳ级）"), Ok("4"));
        assert_eq!(find(Words::OnlineDepth, "全程网办(IV级)"), Ok("4"));
        assert_eq!(find(Words::OnlineDepth, "Ⅲ级"), Ok("3"));
        assert_eq!(find(Words::OnlineDepth, "事项公开（一级）"), Ok("1"));
        assert_eq!(
            find(Words::OnlineDepth, "全程网办（二级）"),
            Err(Miss::Conflict("4", "2"))
        );
        assert_eq!(find(Words::CaseChannel, "大厅窗口"), Ok("window"));
        assert_eq!(find(Words::CaseChannel, "现场办理"), Ok("window"));
        assert_eq!(find(Words::CaseChannel, "网上申报"), Ok("online"));
        assert_eq!(find(Words::CaseChannel, "ＰＣ端"), Ok("online"));
        assert_eq!(find(Words::CaseChannel, " A P P "), Ok("app"));
        assert_eq!(find(Words::CaseChannel, "传真机"), Err(Miss::Unknown));
        assert_eq!(find(Words::Status, "正常办结"), Ok("completed"));
        assert_eq!(find(Words::Status, "申请人撤回"), Ok("withdrawn"));
        assert_eq!(find(Words::Status, "审批中"), Ok("in_progress"));
        assert_eq!(find(Words::Status, "不予许可"), Ok("completed"));
        assert_eq!(find(Words::Bool, "√"), Ok("true"));
        assert_eq!(find(Words::Bool, "×"), Ok("false"));
        assert_eq!(find(Words::Bool, "有"), Ok("true"));
        assert_eq!(find(Words::Satisfaction, "很满意"), Ok("1"));
        assert_eq!(find(Words::Category, "行政许可"), Ok("01"));
    }

    #[test]
    fn user_spellings_come_first_and_only_for_their_column() {
        let mut user = HashMap::new();
        user.insert((Table::Cases, "channel", fold("大厅自助机")), "kiosk");
        let v = Vocabulary::with_user(user);
        assert_eq!(
            v.find(Words::CaseChannel, Table::Cases, "channel", "大厅自助机"),
            Ok("kiosk")
        );
        assert_eq!(
            v.find(
                Words::RatingChannel,
                Table::Ratings,
                "channel",
                "大厅自助机"
            ),
            Err(Miss::Unknown)
        );
        assert_eq!(v.canonical(Words::CaseChannel, "自助终端"), Some("kiosk"));
        assert_eq!(v.canonical(Words::CaseChannel, "kiosk"), Some("kiosk"));
        assert_eq!(v.canonical(Words::CaseChannel, "传真机"), None);
    }

    #[test]
    fn values_are_shown_by_their_first_spelling() {
        let v = Vocabulary::bundled();
        assert_eq!(v.display(Words::RatingChannel, "device"), Some("评价器"));
        assert_eq!(
            v.display(Words::RatingChannel, "hotline"),
            Some("12345热线")
        );
        assert_eq!(v.display(Words::Status, "in_progress"), Some("在办"));
        assert_eq!(v.display(Words::DayUnit, "calendar"), Some("自然日"));
        assert_eq!(v.display(Words::Bool, "true"), Some("是"));
        assert_eq!(v.display(Words::Bool, "maybe"), None);
    }

    #[test]
    fn folding() {
        assert_eq!(fold(" Ｐｃ 端 "), "pc端");
        assert_eq!(fold("全程网办（Ⅳ级）"), "全程网办(iv级)");
        assert_eq!(fold("in_progress"), "inprogress");
    }
}
