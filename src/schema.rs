//! The data contract (docs/SPEC.md §2): the three canonical tables, their columns, the value
//! kind of each column, and the header aliases found in real exports.
//!
//! After ingest every table has exactly the columns listed here, in this order, with
//! the Polars type of [`Kind::dtype`]; optional columns that a file lacks are null.

use polars::prelude::DataType;
use polars::prelude::TimeUnit;

/// Timestamps whose dates are counted in working days (docs/SPEC.md §3): they must lie in the
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
    /// A case, rating or matter id: text, refused when a spreadsheet has turned it into a
    /// number (`3.71402E+17`).
    Id,
    /// GB/T 2260 district: a 6-digit code, the district of a 9-digit township or 12-digit
    /// 统计用区划代码, or a name (德城区, 山东省德州市德城区).
    RegionCode,
    /// 乡镇/街道: a 9-digit code, or the first 9 digits of a 12-digit one.
    TownshipCode,
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
    /// 是/否, Y/N, 1/0, true/false, √/× …
    Bool,
    /// GB/T 39046 A.1 事项类型 → two-digit code.
    Category,
    /// 网上办理深度 → 0–4 (docs/SPEC.md §3.3).
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
    /// 评价方式 / 是否默认评价 → true for a rating the system filled in (默认评价).
    RatingMode,
    /// 申诉结果 → true for an appeal upheld (申诉成立).
    AppealResult,
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
            Kind::Bool | Kind::RatingMode | Kind::AppealResult => DataType::Boolean,
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
    /// The file must have this column (or, for region_code, a region name column).
    pub required: bool,
    /// What makes the row usable (docs/SPEC.md §1): a row whose cell here is empty or wrong is
    /// quarantined. Any other column's bad cell only becomes unknown (a cell finding).
    pub key: bool,
    /// What an unknown cell of this column counts as, in the report's words.
    pub unknown: &'static str,
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
        key: false,
        unknown: "按空值计",
    }
}

impl Column {
    /// A column whose bad cell quarantines its row.
    const fn key(mut self) -> Self {
        self.key = true;
        self
    }

    /// What an unknown cell counts as.
    const fn unknown(mut self, means: &'static str) -> Self {
        self.unknown = means;
        self
    }

    /// The heading messages show: `受理时间 (accepted_at)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.chinese, self.name)
    }
}

use Kind::*;

/// Headers that carry a district name instead of a code (all three tables).
pub const REGION_NAME_HEADERS: &[&str] = &[
    "所属区县",
    "区县",
    "区县名称",
    "所属区划",
    "行政区划名称",
    "区划名称",
    "所属行政区划",
    "所属地区",
    "areaname",
    "area_name",
    "region_name",
];

const REGION_CODE: Column = col(
    "region_code",
    "行政区划代码",
    &[
        "区划代码",
        "行政区划",
        "行政区划编码",
        "区划编码",
        "统计用区划代码",
        "areacode",
        "area_code",
    ],
    RegionCode,
    true,
)
.key();

const TOWNSHIP_CODE: Column = col(
    "township_code",
    "乡镇代码",
    &[
        "乡镇街道代码",
        "街道代码",
        "乡镇编码",
        "所属乡镇代码",
        "townshipcode",
        "town_code",
    ],
    TownshipCode,
    false,
)
.unknown("计入区县本级");

const TOWNSHIP_NAME: Column = col(
    "township_name",
    "乡镇名称",
    &[
        "所属乡镇",
        "乡镇街道",
        "乡镇",
        "街道",
        "所属街道",
        "街道名称",
        "镇街",
        "所属镇街",
        "乡镇街道名称",
    ],
    Text,
    false,
);

pub static MATTERS: &[Column] = &[
    REGION_CODE,
    col(
        "matter_code",
        "事项编码",
        &[
            "实施编码",
            "事项代码",
            "servicecode",
            "taskcode",
            "task_code",
        ],
        Id,
        true,
    )
    .key(),
    col(
        "matter_name",
        "事项名称",
        &["实施清单名称", "taskname"],
        Text,
        true,
    )
    .unknown("以事项编码代替名称"),
    col(
        "department",
        "实施部门",
        &["部门", "实施主体", "deptname"],
        Text,
        true,
    )
    .unknown("不计入部门排名"),
    col(
        "category",
        "事项类型",
        &["权力类型", "事项类别"],
        Category,
        false,
    )
    .unknown("按依申请事项计"),
    col("legal_days", "法定办结时限", &["法定时限"], Count, false).unknown("按无法定时限计"),
    col(
        "legal_unit",
        "法定办结时限单位",
        &["法定时限单位"],
        DayUnit,
        false,
    )
    .unknown("按工作日计"),
    col(
        "promised_days",
        "承诺办结时限",
        &["承诺时限"],
        PromisedDays,
        false,
    )
    .unknown("按无承诺时限计（其办件不计入按期办结率）"),
    col(
        "time_unit",
        "承诺办结时限单位",
        &["时限单位", "承诺时限单位"],
        DayUnit,
        false,
    )
    .unknown("按工作日计"),
    col("is_instant", "是否即办件", &["是否即办"], Bool, false).unknown("不参与即办标记核查"),
    col(
        "online_depth",
        "网上办理深度",
        &["网办深度", "办理深度", "网上办理程度"],
        OnlineDepth,
        false,
    )
    .unknown("按未达一级计"),
    col(
        "max_visits",
        "最多跑动次数",
        &["到现场次数", "跑动次数", "到办事现场次数"],
        Count,
        false,
    )
    .unknown("不计入跑动次数统计"),
    col("as_of", "统计日期", &["快照日期"], Date, false).unknown("按不分期的目录计"),
];

pub static CASES: &[Column] = &[
    col(
        "case_id",
        "办件编号",
        &[
            "受理编号",
            "办件流水号",
            "业务流水号",
            "申报号",
            "办件号",
            "projid",
            "projectno",
            "project_no",
        ],
        Id,
        true,
    )
    .key(),
    col(
        "matter_code",
        "事项编码",
        &["实施编码", "servicecode", "taskcode", "task_code"],
        Id,
        true,
    )
    .key(),
    REGION_CODE,
    TOWNSHIP_CODE,
    TOWNSHIP_NAME,
    col(
        "department",
        "受理部门",
        &["实施部门", "部门", "办理部门", "deptname"],
        Text,
        false,
    ),
    col(
        "channel",
        "申办渠道",
        &[
            "办理渠道",
            "办理形式",
            "申请方式",
            "申报方式",
            "申报渠道",
            "申报来源",
            "受理方式",
            "applyfrom",
        ],
        CaseChannel,
        false,
    )
    .unknown("按非网上办件计"),
    col("case_type", "办件类型", &["infotype"], CaseType, false).unknown("不参与办件类型核查"),
    col(
        "accepted_at",
        "受理时间",
        &["受理日期", "receivetime", "accepttime", "accept_time"],
        Timestamp,
        true,
    )
    .key(),
    col(
        "completed_at",
        "办结时间",
        &["办结日期", "完成时间", "transacttime", "transact_time"],
        Timestamp,
        false,
    )
    .unknown("按未办结计"),
    col(
        "status",
        "办件状态",
        &["办理状态", "办结状态", "handlestate"],
        Status,
        false,
    )
    .unknown("按办结时间推断（有办结时间视为办结）"),
    col(
        "promised_days",
        "承诺时限",
        &["承诺办结时限", "promisevalue", "promise_value"],
        PromisedDays,
        false,
    )
    .unknown("按事项目录的承诺时限计"),
    col(
        "suspended_days",
        "特别程序时长",
        &["挂起天数", "特别程序天数"],
        Count,
        false,
    )
    .unknown("按0天计"),
    col("suspend_start", "特别程序开始时间", &[], Timestamp, false).unknown("按无特别程序计"),
    col("suspend_end", "特别程序结束时间", &[], Timestamp, false).unknown("按无特别程序计"),
    col("visits", "跑动次数", &["到现场次数"], Count, false),
];

pub static RATINGS: &[Column] = &[
    col(
        "rating_id",
        "评价编号",
        &["评价流水号", "evaluateid", "assessid"],
        Id,
        true,
    )
    .key(),
    col(
        "case_id",
        "办件编号",
        &["受理编号", "projectno", "projid"],
        Id,
        false,
    ),
    REGION_CODE,
    TOWNSHIP_CODE,
    TOWNSHIP_NAME,
    col(
        "matter_code",
        "事项编码",
        &["实施编码", "taskcode", "servicecode"],
        Id,
        false,
    ),
    col(
        "department",
        "部门",
        &["实施部门", "受理部门", "deptname"],
        Text,
        false,
    ),
    col("channel", "评价渠道", &["pf"], RatingChannel, false).unknown("按其他渠道计"),
    col(
        "satisfaction",
        "满意度",
        &[
            "满意度代码",
            "评价等级",
            "评价结果",
            "满意度等级",
            "evalevel",
        ],
        Satisfaction,
        true,
    )
    .key(),
    col(
        "rated_at",
        "评价时间",
        &["评价日期", "assesstime", "assess_time"],
        Timestamp,
        true,
    )
    .key(),
    col("real_name", "是否实名", &[], Bool, false).unknown("按实名计"),
    col(
        "rectified_at",
        "整改时间",
        &["整改完成时间"],
        Timestamp,
        false,
    )
    .unknown("按未整改计"),
    col("revisited_at", "回访时间", &[], Timestamp, false).unknown("按未回访计"),
    col(
        "revisit_satisfied",
        "回访是否满意",
        &["回访满意", "回访结果"],
        Bool,
        false,
    )
    .unknown("按回访不满意计"),
    col("uploaded", "是否上传", &["上传状态"], Bool, false).unknown("按未上传计"),
    col(
        "is_default",
        "是否默认评价",
        &[
            "评价方式",
            "默认评价",
            "是否默认",
            "是否系统默认评价",
            "评价类型",
        ],
        RatingMode,
        false,
    )
    .unknown("按主动评价计"),
    col(
        "appeal_upheld",
        "申诉是否成立",
        &["申诉结果", "申诉成立", "申诉复核结果", "复核结果"],
        AppealResult,
        false,
    )
    .unknown("按申诉不成立计"),
];

/// Personal data (docs/SPEC.md §2.5): columns dropped at ingest, masked in quarantine.
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

/// How headers are compared: NFKC (full-width → half-width), trimmed, lower case,
/// without spaces, line breaks, `*`, `：` or a byte-order mark, and without a trailing
/// bracketed note (`承诺时限（工作日）` → `承诺时限`).
pub fn normalise_header(header: &str) -> String {
    let h = fold_header(header);
    let short = h.split(['(', '[', '【']).next().unwrap_or("");
    if short.is_empty() {
        h.chars()
            .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | '【' | '】'))
            .collect()
    } else {
        short.to_owned()
    }
}

/// The keys a header is matched by: its whole text without the brackets
/// (`乡镇（街道）代码` → `乡镇街道代码`) first, then [`normalise_header`] (`乡镇代码`'s
/// note dropped: `承诺时限（工作日）` → `承诺时限`).
pub fn header_keys(header: &str) -> [String; 2] {
    let whole: String = fold_header(header)
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']' | '【' | '】'))
        .collect();
    [whole, normalise_header(header)]
}

fn fold_header(header: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    header
        .trim_start_matches('\u{feff}')
        .trim()
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | ':' | '\u{feff}'))
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
        assert_eq!(normalise_header("受理\n时间："), "受理时间");
        assert_eq!(normalise_header("ＰＲＯＪＩＤ"), "projid");
        assert_eq!(header_keys("乡镇（街道）代码"), ["乡镇街道代码", "乡镇"]);
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
            for h in REGION_NAME_HEADERS {
                assert!(seen.insert(normalise_header(h)), "{} {}", t.name(), h);
            }
        }
    }
}
