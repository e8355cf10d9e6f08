//! The data contract (SPEC §2): the three canonical tables, their columns, the value
//! kind of each column, and the header aliases found in real exports.
//!
//! After ingest every table has exactly the columns listed here, in this order, with
//! the Polars type of [`Kind::dtype`]; optional columns that a file lacks are null.

use polars::prelude::DataType;
use polars::prelude::TimeUnit;

/// Timestamps whose dates are counted in working days (SPEC §3): they must lie in the
/// holiday schedule's known years.
pub const WORKING_DAY_COLUMNS: [&str; 6] = [
    "accepted_at",
    "completed_at",
    "suspend_start",
    "suspend_end",
    "rated_at",
    "rectified_at",
];

/// One of the three input tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// 事项目录 matter catalogue
    Matters,
    /// 办件 case records
    Cases,
    /// 好差评 ratings
    Ratings,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Matters, Table::Cases, Table::Ratings];

    /// Canonical English name, used for file names and SQL table names.
    pub fn name(self) -> &'static str {
        match self {
            Table::Matters => "matters",
            Table::Cases => "cases",
            Table::Ratings => "ratings",
        }
    }

    pub fn chinese(self) -> &'static str {
        match self {
            Table::Matters => "事项目录",
            Table::Cases => "办件",
            Table::Ratings => "好差评",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Matters => MATTERS,
            Table::Cases => CASES,
            Table::Ratings => RATINGS,
        }
    }

    pub fn column(self, name: &str) -> Option<&'static Column> {
        self.columns().iter().find(|c| c.name == name)
    }

    /// Words in a file name that identify the table (checked ratings → cases → matters,
    /// since a ratings export is often called 办件评价).
    pub fn file_name_words(self) -> &'static [&'static str] {
        match self {
            Table::Ratings => &["rating", "好差评", "评价"],
            Table::Cases => &["case", "办件", "受理"],
            Table::Matters => &["matter", "事项", "catalog", "目录"],
        }
    }

    /// A canonical column whose presence identifies the table from its headers.
    pub fn identifying_columns(self) -> &'static [&'static str] {
        match self {
            Table::Ratings => &["rating_id", "satisfaction"],
            Table::Cases => &["case_id", "accepted_at"],
            Table::Matters => &["matter_name", "promised_days"],
        }
    }
}

/// What values a column holds and how its text is parsed (see `ingest::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text, trimmed.
    Text,
    /// 6-digit GB/T 2260 code that must be in the region table.
    RegionCode,
    /// Timestamp in China local time (many formats, Excel serials).
    Timestamp,
    /// Calendar date.
    Date,
    /// Integer ≥ 0.
    Count,
    /// Integer ≥ 0 or 即办 (= 0).
    PromisedDays,
    /// 工作日 → "workday", 自然日 → "calendar".
    DayUnit,
    /// 是/否, Y/N, 1/0, true/false.
    Bool,
    /// GB/T 39046 A.1 事项类型 → two-digit code.
    Category,
    /// 网上办理深度 → 0–4 (SPEC §3.3).
    OnlineDepth,
    /// 申办渠道 / 办理形式 → online, app, window, kiosk, mail, other.
    CaseChannel,
    /// 办件类型 → instant, promised, other.
    CaseType,
    /// 办件状态 → completed, in_progress, rejected, withdrawn.
    Status,
    /// 评价渠道 → device, qr_code, sms, web, app, hotline, other.
    RatingChannel,
    /// 满意度 → GB/T 39046 A.8 code, 1 = 非常满意 … 5 = 非常不满意.
    Satisfaction,
}

impl Kind {
    /// The Polars type of the column after ingest.
    pub fn dtype(self) -> DataType {
        match self {
            Kind::Timestamp => DataType::Datetime(TimeUnit::Milliseconds, None),
            Kind::Date => DataType::Date,
            Kind::Count | Kind::PromisedDays | Kind::OnlineDepth | Kind::Satisfaction => {
                DataType::Int32
            }
            Kind::Bool => DataType::Boolean,
            _ => DataType::String,
        }
    }
}

/// One canonical column.
#[derive(Debug)]
pub struct Column {
    pub name: &'static str,
    pub chinese: &'static str,
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    pub required: bool,
}

const fn col(
    name: &'static str,
    chinese: &'static str,
    aliases: &'static [&'static str],
    kind: Kind,
    required: bool,
) -> Column {
    Column {
        name,
        chinese,
        aliases,
        kind,
        required,
    }
}

use Kind::*;

pub static MATTERS: &[Column] = &[
    col(
        "region_code",
        "行政区划代码",
        &["区划代码", "行政区划"],
        RegionCode,
        true,
    ),
    col(
        "matter_code",
        "事项编码",
        &["实施编码", "事项代码"],
        Text,
        true,
    ),
    col("matter_name", "事项名称", &["实施清单名称"], Text, true),
    col("department", "实施部门", &["部门", "实施主体"], Text, true),
    col("category", "事项类型", &[], Category, false),
    col("legal_days", "法定办结时限", &["法定时限"], Count, false),
    col(
        "legal_unit",
        "法定办结时限单位",
        &["法定时限单位"],
        DayUnit,
        false,
    ),
    col(
        "promised_days",
        "承诺办结时限",
        &["承诺时限"],
        PromisedDays,
        false,
    ),
    col(
        "time_unit",
        "承诺办结时限单位",
        &["时限单位", "承诺时限单位"],
        DayUnit,
        false,
    ),
    col("is_instant", "是否即办件", &["是否即办"], Bool, false),
    col(
        "online_depth",
        "网上办理深度",
        &["网办深度"],
        OnlineDepth,
        false,
    ),
    col(
        "max_visits",
        "最多跑动次数",
        &["到现场次数", "跑动次数"],
        Count,
        false,
    ),
    col("as_of", "统计日期", &["快照日期"], Date, false),
];

pub static CASES: &[Column] = &[
    col(
        "case_id",
        "办件编号",
        &["受理编号", "办件流水号"],
        Text,
        true,
    ),
    col("matter_code", "事项编码", &["实施编码"], Text, true),
    col(
        "region_code",
        "行政区划代码",
        &["区划代码", "行政区划"],
        RegionCode,
        true,
    ),
    col("department", "受理部门", &["实施部门", "部门"], Text, false),
    col(
        "channel",
        "申办渠道",
        &["办理渠道", "办理形式", "申请方式"],
        CaseChannel,
        false,
    ),
    col("case_type", "办件类型", &[], CaseType, false),
    col("accepted_at", "受理时间", &[], Timestamp, true),
    col("completed_at", "办结时间", &[], Timestamp, false),
    col("status", "办件状态", &["办理状态"], Status, false),
    col(
        "promised_days",
        "承诺时限",
        &["承诺办结时限"],
        PromisedDays,
        false,
    ),
    col(
        "suspended_days",
        "特别程序时长",
        &["挂起天数", "特别程序天数"],
        Count,
        false,
    ),
    col("suspend_start", "特别程序开始时间", &[], Timestamp, false),
    col("suspend_end", "特别程序结束时间", &[], Timestamp, false),
    col("visits", "跑动次数", &["到现场次数"], Count, false),
];

pub static RATINGS: &[Column] = &[
    col("rating_id", "评价编号", &["评价流水号"], Text, true),
    col("case_id", "办件编号", &["受理编号"], Text, false),
    col(
        "region_code",
        "行政区划代码",
        &["区划代码", "行政区划"],
        RegionCode,
        true,
    ),
    col("matter_code", "事项编码", &["实施编码"], Text, false),
    col("department", "部门", &["实施部门", "受理部门"], Text, false),
    col("channel", "评价渠道", &[], RatingChannel, false),
    col(
        "satisfaction",
        "满意度",
        &["满意度代码", "评价等级", "评价结果"],
        Satisfaction,
        true,
    ),
    col("rated_at", "评价时间", &[], Timestamp, true),
    col("real_name", "是否实名", &[], Bool, false),
    col(
        "rectified_at",
        "整改时间",
        &["整改完成时间"],
        Timestamp,
        false,
    ),
    col("revisited_at", "回访时间", &[], Timestamp, false),
    col(
        "revisit_satisfied",
        "回访是否满意",
        &["回访满意"],
        Bool,
        false,
    ),
    col("uploaded", "是否上传", &["上传状态"], Bool, false),
];

/// Personal data (SPEC §2.5): columns dropped at ingest, masked in quarantine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    Name,
    IdNumber,
    Phone,
    Address,
}

/// Headers (normalised) that carry personal data.
pub fn personal_column(normalised_header: &str) -> Option<Personal> {
    const NAMES: &[&str] = &[
        "姓名",
        "申请人",
        "申请人姓名",
        "联系人",
        "联系人姓名",
        "评价人",
        "评价人姓名",
        "经办人",
        "name",
        "applicant",
        "applicant_name",
        "contact_name",
        "person_name",
    ];
    const IDS: &[&str] = &[
        "身份证号",
        "身份证号码",
        "身份证",
        "证件号码",
        "证件号",
        "申请人证件号码",
        "联系人证件号码",
        "id_card",
        "id_number",
        "idcard",
        "id_no",
    ];
    const PHONES: &[&str] = &[
        "手机号",
        "手机号码",
        "联系电话",
        "电话",
        "联系方式",
        "申请人手机号",
        "联系人手机号",
        "phone",
        "mobile",
        "telephone",
        "phone_number",
    ];
    const ADDRESSES: &[&str] = &[
        "地址",
        "联系地址",
        "住址",
        "家庭住址",
        "通讯地址",
        "address",
    ];
    let h = normalised_header;
    if NAMES.contains(&h) {
        Some(Personal::Name)
    } else if IDS.contains(&h) {
        Some(Personal::IdNumber)
    } else if PHONES.contains(&h) {
        Some(Personal::Phone)
    } else if ADDRESSES.contains(&h) {
        Some(Personal::Address)
    } else {
        None
    }
}

/// How headers are compared: trimmed, lower-case, without spaces, BOM or a trailing
/// “（必填）”-style note.
pub fn normalise_header(header: &str) -> String {
    let h = header.trim_start_matches('\u{feff}').trim();
    let h = h
        .split(['(', '（'])
        .next()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or(h);
    h.chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalise() {
        assert_eq!(normalise_header("\u{feff} 受理时间 "), "受理时间");
        assert_eq!(normalise_header("Case_ID"), "case_id");
        assert_eq!(normalise_header("承诺时限（工作日）"), "承诺时限");
        assert_eq!(normalise_header("*事项名称"), "事项名称");
    }

    #[test]
    fn no_alias_is_claimed_twice_within_a_table() {
        for t in Table::ALL {
            let mut seen = std::collections::HashSet::new();
            for c in t.columns() {
                for h in [c.name, c.chinese].iter().chain(c.aliases) {
                    assert!(seen.insert(normalise_header(h)), "{} {}", t.name(), h);
                }
            }
        }
    }
}
