//! Data-quality audits (数据质量核查, docs/SPEC.md §5): each audit is a table of the offending
//! rows, plus a summary of counts. Rows that could not be read at all (unknown region
//! codes, scores out of range, unparseable dates) are in quarantine already; the summary
//! counts them too, so one table answers "what is wrong with this export".
//!
//! Also the two lists analysts keep by hand: 超期办件清单 (cases completed late or open past
//! their deadline) and 差评台账 (bad ratings with their rectification and revisit status).

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::enrich::{Enriched, Rules};
use crate::error::{PolarsContext, Result};
use crate::ingest::Ingested;
use crate::schema::Table;

/// One audit's result.
#[derive(Clone)]
pub struct Finding {
    pub id: &'static str,
    /// 中文名称
    pub name: &'static str,
    pub table: Table,
    /// What is checked, in one sentence.
    pub rule: String,
    pub rows: DataFrame,
}

/// Thresholds of the audits that are judgement calls.
#[derive(Debug, Clone)]
pub struct AuditRules {
    /// Legal days further than this factor from the peers' median are flagged.
    pub legal_days_factor: f64,
    /// Per-matter compression below this share is flagged.
    pub min_compression: f64,
    /// 四级 matters whose online share is below this…
    pub min_online_share: f64,
    /// …with at least this many cases.
    pub min_cases_for_online_share: u32,
    /// Whose legal days a matter's are compared with: the other districts of its city,
    /// or (in a province's report) of its province.
    pub peers: Peers,
}

/// The districts a district's matter is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Peers {
    City,
    Province,
}

impl Peers {
    /// The other districts, as the rule says it: 本市其他区县, 全省其他区县.
    pub fn words(self) -> &'static str {
        match self {
            Peers::City => "本市其他区县",
            Peers::Province => "全省其他区县",
        }
    }
    fn area(self, region: &str) -> &str {
        let n = match self {
            Peers::City => 4,
            Peers::Province => 2,
        };
        region.get(..n).unwrap_or(region)
    }
}

impl Default for AuditRules {
    fn default() -> Self {
        AuditRules {
            legal_days_factor: 3.0,
            min_compression: 0.5,
            min_online_share: 0.5,
            min_cases_for_online_share: 20,
            peers: Peers::City,
        }
    }
}

const MATTER_COLS: [&str; 4] = ["region_code", "matter_code", "matter_name", "department"];
/// Which case a case finding is about and whose it is: the draft names department and matter.
const CASE_COLS: [&str; 5] = [
    "case_id",
    "region_code",
    "department",
    "matter_code",
    "matter_name",
];

fn select(df: &DataFrame, filter: Expr, columns: &[&str]) -> Result<DataFrame> {
    df.clone()
        .lazy()
        .filter(filter)
        .select(columns.iter().map(|c| col(*c)).collect::<Vec<_>>())
        .collect()
        .context("audit")
}

/// Runs every audit.
pub fn run(ingested: &Ingested, enriched: &Enriched, rules: &AuditRules) -> Result<Vec<Finding>> {
    let matters = ingested.table(Table::Matters);
    let cases = enriched.view("accepted_cases").expect("enriched cases");
    let ratings = enriched.view("ratings").expect("enriched ratings");
    let mut out = limits(matters, cases, rules)?;
    out.extend(records(cases, ratings)?);
    Ok(out)
}

fn matter_columns(extra: &[&'static str]) -> Vec<&'static str> {
    MATTER_COLS.iter().chain(extra).copied().collect()
}

fn case_columns(extra: &[&'static str]) -> Vec<&'static str> {
    CASE_COLS.iter().chain(extra).copied().collect()
}

/// The catalogue's time limits, flags and depth, against the rules and the cases
/// (docs/SPEC.md §5, promised_exceeds_legal to declared_online_unused).
fn limits(matters: &DataFrame, cases: &DataFrame, rules: &AuditRules) -> Result<Vec<Finding>> {
    let (mcols, case_cols) = (matter_columns, case_columns);
    let mut out = Vec::new();
    out.push(Finding {
        id: "promised_exceeds_legal",
        name: "承诺时限超过法定时限",
        table: Table::Matters,
        rule: "承诺办结时限大于法定办结时限（单位相同）".into(),
        rows: select(
            matters,
            col("promised_days")
                .gt(col("legal_days"))
                .and(col("legal_unit").eq(col("time_unit"))),
            &mcols(&["legal_days", "promised_days", "time_unit"]),
        )?,
    });
    out.push(Finding {
        id: "instant_flag_mismatch",
        name: "即办标记与承诺时限不符（事项）",
        table: Table::Matters,
        rule: "标为即办件但承诺时限大于0，或承诺时限为0却未标即办".into(),
        rows: select(
            matters,
            col("is_instant")
                .eq(lit(true))
                .and(col("promised_days").gt(lit(0)))
                .or(col("is_instant")
                    .eq(lit(false))
                    .and(col("promised_days").eq(lit(0)))),
            &mcols(&["is_instant", "promised_days"]),
        )?,
    });
    out.push(Finding {
        id: "case_type_mismatch",
        name: "办件类型与承诺时限不符（办件）",
        table: Table::Cases,
        rule: "办件类型为即办件但有效承诺时限大于0，或为承诺件但承诺时限为0".into(),
        rows: select(
            cases,
            col("case_type")
                .eq(lit("instant"))
                .and(col("effective_promised_days").gt(lit(0)))
                .or(col("case_type")
                    .eq(lit("promised"))
                    .and(col("effective_promised_days").eq(lit(0)))),
            &case_cols(&["case_type", "effective_promised_days", "accepted_at"]),
        )?,
    });
    out.push(Finding {
        id: "level4_with_visits",
        name: "全程网办事项仍需跑动",
        table: Table::Matters,
        rule: "网上办理深度为四级（全程网办）但最多跑动次数大于0".into(),
        rows: select(
            matters,
            col("online_depth")
                .eq(lit(4))
                .and(col("max_visits").gt(lit(0))),
            &mcols(&["online_depth", "max_visits"]),
        )?,
    });
    out.push(Finding {
        id: "mixed_units",
        name: "法定与承诺时限单位不一致",
        table: Table::Matters,
        rule: "法定办结时限与承诺办结时限使用不同单位（工作日/自然日），无法计算压缩比".into(),
        rows: select(
            matters,
            col("legal_days")
                .is_not_null()
                .and(col("legal_unit").neq(col("time_unit"))),
            &mcols(&["legal_days", "legal_unit", "promised_days", "time_unit"]),
        )?,
    });
    out.push(Finding {
        id: "legal_days_outlier",
        name: "法定时限与其他区县同一事项差异过大",
        table: Table::Matters,
        rule: format!(
            "法定办结时限超过{}同一事项编码中位数的{}倍或不足其{}分之一",
            rules.peers.words(),
            rules.legal_days_factor,
            rules.legal_days_factor
        ),
        rows: legal_days_outliers(matters, rules.legal_days_factor, rules.peers)?,
    });
    out.push(Finding {
        id: "low_compression",
        name: "承诺时限压缩不足",
        table: Table::Matters,
        rule: format!(
            "单个事项承诺时限压缩比低于{:.0}%",
            rules.min_compression * 100.0
        ),
        rows: matters
            .clone()
            .lazy()
            .filter(
                col("legal_days")
                    .gt(lit(0))
                    .and(col("legal_unit").eq(col("time_unit")))
                    .and(col("promised_days").is_not_null()),
            )
            .with_column(
                (lit(1.0)
                    - col("promised_days").cast(DataType::Float64)
                        / col("legal_days").cast(DataType::Float64))
                .alias("compression"),
            )
            .filter(col("compression").lt(lit(rules.min_compression)))
            .select(
                mcols(&["legal_days", "promised_days", "compression"])
                    .into_iter()
                    .map(col)
                    .collect::<Vec<_>>(),
            )
            .collect()
            .context("audit")?,
    });
    out.push(Finding {
        id: "declared_online_unused",
        name: "宣称全程网办但实际网办率低",
        table: Table::Matters,
        rule: format!(
            "网上办理深度为四级的事项，办件中网上（电脑端、移动端）办理比例低于{:.0}%（至少{}件）",
            rules.min_online_share * 100.0,
            rules.min_cases_for_online_share
        ),
        rows: declared_online_unused(matters, cases, rules)?,
    });
    Ok(out)
}

/// The case and rating records themselves: times, ids, links and regions
/// (docs/SPEC.md §5, completed_before_accepted to region_outside_city).
fn records(cases: &DataFrame, ratings: &DataFrame) -> Result<Vec<Finding>> {
    let case_cols = case_columns;
    let case_ids = cases
        .column("case_id")
        .context("audit")?
        .as_materialized_series()
        .clone();
    Ok(vec![
        Finding {
            id: "completed_before_accepted",
            name: "办结时间早于受理时间",
            table: Table::Cases,
            rule: "办结时间早于受理时间".into(),
            rows: select(
                cases,
                col("completed_at").lt(col("accepted_at")),
                &case_cols(&["accepted_at", "completed_at"]),
            )?,
        },
        Finding {
            id: "completed_without_time",
            name: "已办结但无办结时间",
            table: Table::Cases,
            rule: "办件状态为办结，但办结时间为空".into(),
            rows: select(
                cases,
                col("status")
                    .eq(lit("completed"))
                    .and(col("completed_at").is_null()),
                &case_cols(&["accepted_at", "status"]),
            )?,
        },
        Finding {
            id: "case_without_promised_days",
            name: "办件无承诺时限",
            table: Table::Cases,
            rule: "办件无承诺时限且在事项目录中找不到对应事项，未计入按期办结率".into(),
            rows: select(
                cases,
                col("effective_promised_days").is_null(),
                &case_cols(&["accepted_at", "status"]),
            )?,
        },
        Finding {
            id: "duplicate_case_id",
            name: "办件编号重复",
            table: Table::Cases,
            rule: "同一办件编号出现多次（各行均列出）".into(),
            rows: select(
                cases,
                duplicated("case_id")?,
                &case_cols(&["accepted_at", "status"]),
            )?
            .sort(["case_id"], SortMultipleOptions::default())
            .context("audit")?,
        },
        Finding {
            id: "duplicate_rating_id",
            name: "评价编号重复",
            table: Table::Ratings,
            rule: "同一评价编号出现多次（各行均列出）".into(),
            rows: select(
                ratings,
                duplicated("rating_id")?,
                &["rating_id", "case_id", "region_code", "rated_at"],
            )?
            .sort(["rating_id"], SortMultipleOptions::default())
            .context("audit")?,
        },
        Finding {
            id: "rating_without_case",
            name: "评价关联的办件不存在",
            table: Table::Ratings,
            rule: "评价的办件编号在办件数据中找不到".into(),
            rows: select(
                ratings,
                col("case_id").is_not_null().and(
                    col("case_id")
                        .is_in(lit(case_ids).implode(false), false)
                        .not(),
                ),
                &[
                    "rating_id",
                    "case_id",
                    "region_code",
                    "matter_code",
                    "rated_at",
                ],
            )?,
        },
        Finding {
            id: "region_outside_city",
            name: "办件所属区县不在本市",
            table: Table::Cases,
            rule: format!(
                "数据以一个设区市为主（≥{:.0}%的办件）时，行政区划代码属于其他城市的办件",
                MAIN_CITY_SHARE * 100.0
            ),
            rows: outside_main_city(cases)?,
        },
    ])
}

/// Share of cases above which the data is one city's, and other cities' cases are slips.
const MAIN_CITY_SHARE: f64 = 0.9;

/// Cases outside the city that holds at least [`MAIN_CITY_SHARE`] of them: a stray
/// 110101 row in 淄博's export would otherwise become a ninth "district".
fn outside_main_city(cases: &DataFrame) -> Result<DataFrame> {
    let counts = cases
        .clone()
        .lazy()
        .group_by([col("city_key")])
        .agg([len().alias("n")])
        .sort(
            ["n"],
            SortMultipleOptions::default().with_order_descending(true),
        )
        .collect()
        .context("audit")?;
    let total = cases.height() as f64;
    let main = counts
        .column("city_key")
        .context("audit")?
        .str()
        .context("audit")?
        .get(0)
        .map(str::to_owned);
    let top = counts
        .column("n")
        .context("audit")?
        .u32()
        .context("audit")?
        .get(0)
        .unwrap_or(0) as f64;
    let filter = match main {
        Some(city) if counts.height() > 1 && top >= MAIN_CITY_SHARE * total => {
            col("city_key").neq(lit(city))
        }
        _ => lit(false),
    };
    select(
        cases,
        filter,
        &[
            "case_id",
            "region_code",
            "matter_code",
            "department",
            "accepted_at",
        ],
    )
}

/// Rows whose value in `column` appears more than once.
fn duplicated(column: &str) -> Result<Expr> {
    Ok(len()
        .over([col(column)])
        .context("audit")?
        .gt(lit(1))
        .and(col(column).is_not_null()))
}

/// Legal days more than `factor`× (or less than 1/`factor` of) the median of the same
/// matter_code's legal days in the other districts of the same city (or province: `peers`),
/// at least two of them.
fn legal_days_outliers(matters: &DataFrame, factor: f64, peers: Peers) -> Result<DataFrame> {
    let m = matters
        .clone()
        .lazy()
        .filter(col("legal_days").gt(lit(0)))
        .collect()
        .context("audit")?;
    let codes = m
        .column("matter_code")
        .context("audit")?
        .str()
        .context("audit")?
        .clone();
    let regions = m
        .column("region_code")
        .context("audit")?
        .str()
        .context("audit")?
        .clone();
    let days = m
        .column("legal_days")
        .context("audit")?
        .i32()
        .context("audit")?
        .clone();
    let mut by_code: HashMap<&str, Vec<(usize, &str, i32)>> = HashMap::new();
    for i in 0..m.height() {
        if let (Some(c), Some(r), Some(d)) = (codes.get(i), regions.get(i), days.get(i)) {
            by_code.entry(c).or_default().push((i, r, d));
        }
    }
    let mut rows = Vec::new();
    let mut medians = Vec::new();
    for members in by_code.values() {
        for &(i, region, d) in members {
            let mut peers: Vec<f64> = members
                .iter()
                .filter(|p| p.1 != region && peers.area(p.1) == peers.area(region))
                .map(|p| p.2 as f64)
                .collect();
            if peers.len() < 2 {
                continue;
            }
            peers.sort_by(f64::total_cmp);
            let n = peers.len();
            let median = if n % 2 == 1 {
                peers[n / 2]
            } else {
                (peers[n / 2 - 1] + peers[n / 2]) / 2.0
            };
            let d = d as f64;
            if d > factor * median || d * factor < median {
                rows.push(i as IdxSize);
                medians.push(median);
            }
        }
    }
    let order: Vec<usize> = {
        let mut o: Vec<usize> = (0..rows.len()).collect();
        o.sort_by_key(|&k| rows[k]);
        o
    };
    let idx = IdxCa::from_vec("i".into(), order.iter().map(|&k| rows[k]).collect());
    let mut picked = m.take(&idx).context("audit")?;
    picked
        .with_column(
            Series::new(
                "peers_median_legal_days".into(),
                order.iter().map(|&k| medians[k]).collect::<Vec<f64>>(),
            )
            .into_column(),
        )
        .context("audit")?;
    picked
        .select([
            "region_code",
            "matter_code",
            "matter_name",
            "department",
            "legal_days",
            "peers_median_legal_days",
        ])
        .context("audit")
}

fn declared_online_unused(
    matters: &DataFrame,
    cases: &DataFrame,
    rules: &AuditRules,
) -> Result<DataFrame> {
    let usage = cases
        .clone()
        .lazy()
        .group_by([col("region_code"), col("matter_code")])
        .agg([
            len().alias("cases"),
            col("online")
                .cast(DataType::Float64)
                .mean()
                .alias("online_share"),
        ]);
    matters
        .clone()
        .lazy()
        .filter(col("online_depth").eq(lit(4)))
        .join(
            usage,
            [col("region_code"), col("matter_code")],
            [col("region_code"), col("matter_code")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(
            col("cases")
                .gt_eq(lit(rules.min_cases_for_online_share))
                .and(col("online_share").lt(lit(rules.min_online_share))),
        )
        .select(
            [
                "region_code",
                "matter_code",
                "matter_name",
                "department",
                "online_depth",
                "cases",
                "online_share",
            ]
            .map(col),
        )
        .sort(
            ["region_code", "matter_code"],
            SortMultipleOptions::default(),
        )
        .collect()
        .context("audit")
}

/// The findings of one district: each finding's rows whose region_code is that
/// district's (findings without a region column are kept whole).
/// The findings of an area (a district, a city or a province, by its code).
pub fn within(findings: Vec<Finding>, area: &str) -> Result<Vec<Finding>> {
    let prefix = crate::regions::area_prefix(area);
    findings
        .into_iter()
        .map(|mut f| {
            if f.rows.column("region_code").is_ok() {
                f.rows = f
                    .rows
                    .lazy()
                    .filter(col("region_code").str().starts_with(lit(prefix)))
                    .collect()
                    .context("audit")?;
            }
            Ok(f)
        })
        .collect()
}

/// The summary: one row per audit and per quarantine reason.
pub fn summary(findings: &[Finding], ingested: &Ingested) -> Result<DataFrame> {
    let mut audit = Vec::new();
    let mut name = Vec::new();
    let mut table = Vec::new();
    let mut count = Vec::new();
    let mut rule = Vec::new();
    for f in findings {
        audit.push(f.id.to_owned());
        name.push(f.name.to_owned());
        table.push(f.table.name().to_owned());
        count.push(f.rows.height() as u64);
        rule.push(f.rule.clone());
    }
    let mut reasons: BTreeMap<(Table, String), u64> = BTreeMap::new();
    for (t, rows) in &ingested.quarantine {
        for r in rows {
            for (_, reason) in &r.problems {
                *reasons
                    .entry((*t, reason.problem.label().to_owned()))
                    .or_default() += 1;
            }
        }
    }
    for ((t, reason), n) in reasons {
        audit.push("quarantined".into());
        name.push("无法读取而隔离的行".into());
        table.push(t.name().into());
        count.push(n);
        rule.push(format!("{reason}（见 quarantine/{}.csv）", t.name()));
    }
    df! { "audit" => audit, "名称" => name, "table" => table, "count" => count, "说明" => rule }
        .context("audit summary")
}

/// 超期办件清单: cases completed late, and cases open past their deadline at the end of
/// the latest quarter in the data.
pub fn overdue_cases(enriched: &Enriched) -> Result<DataFrame> {
    let cols = [
        "quarter",
        "case_id",
        "region_code",
        "department",
        "matter_code",
        "matter_name",
        "accepted_at",
        "completed_at",
        "status",
        "effective_promised_days",
        "time_unit",
        "suspended_days",
    ];
    let late = enriched
        .view("completed_cases")
        .expect("view")
        .clone()
        .lazy()
        .filter(col("on_time").eq(lit(false)))
        .with_columns([
            col("net_days").alias("days_used"),
            lit("逾期办结").alias("kind"),
        ]);
    let last = enriched.quarters.last().cloned().unwrap_or_default();
    let open = enriched
        .view("open_cases_at_quarter_end")
        .expect("view")
        .clone()
        .lazy()
        .filter(col("overdue").and(col("quarter").eq(lit(last))))
        .with_columns([
            col("days_open_at_end").alias("days_used"),
            lit("超期未办结").alias("kind"),
        ]);
    let mut select_cols: Vec<Expr> = vec![col("kind")];
    select_cols.extend(cols.iter().map(|c| col(*c)));
    select_cols.push(col("days_used"));
    select_cols.push((col("days_used") - col("effective_promised_days")).alias("days_over"));
    concat(
        [late.select(select_cols.clone()), open.select(select_cols)],
        UnionArgs::default(),
    )
    .context("overdue list")?
    .sort(
        ["quarter", "region_code", "case_id"],
        SortMultipleOptions::default(),
    )
    .collect()
    .context("overdue list")
}

/// 差评台账: every bad rating with its deadline, and its rectification and revisit
/// status at the as-of time (已按时整改 / 超期整改 / 超期未整改 / 整改中（未到期）), and
/// after them the ratings scored 不满意 whose appeal was upheld (申诉成立: no 差评, listed
/// so that every one is accounted for).
pub fn bad_rating_ledger(enriched: &Enriched, rules: &Rules) -> Result<DataFrame> {
    let upheld = enriched
        .view("ratings")
        .expect("view")
        .clone()
        .lazy()
        .filter(col("satisfaction").gt_eq(lit(4)).and(col("appeal_upheld")))
        .with_columns([
            lit(NULL)
                .cast(DataType::Date)
                .alias("rectification_deadline"),
            lit(false).alias("pending"),
            lit(true).alias("due"),
            lit(false).alias("rectified"),
        ]);
    let all = concat(
        [
            enriched.view("bad_ratings").expect("view").clone().lazy(),
            upheld,
        ],
        UnionArgs {
            diagonal: true,
            ..Default::default()
        },
    )
    .context("bad-rating ledger")?;
    all.with_columns([
        when(col("satisfaction").eq(lit(5)))
            .then(lit("非常不满意"))
            .otherwise(lit("不满意"))
            .alias("评价结果"),
        (col("w_rectified_date") - col("w_rated_date")).alias("working_days_to_rectify"),
        when(col("appeal_upheld"))
            .then(lit("申诉成立（不计差评）"))
            .when(col("pending"))
            .then(lit("整改中（未到期）"))
            .when(col("due").not())
            .then(lit("统计截止后收到"))
            .when(col("rectified").not())
            .then(lit("超期未整改"))
            .when(col("rectified_in_time"))
            .then(lit("已按时整改"))
            .otherwise(lit(format!(
                "超期整改（>{}个工作日）",
                rules.rectification_days
            )))
            .alias("整改状态"),
        when(col("appeal_upheld"))
            .then(lit("申诉成立，不要求回访"))
            .when(col("real_name").not())
            .then(lit("匿名，不要求回访"))
            .when(col("revisited_at").is_null())
            .then(lit("未回访"))
            .when(col("revisit_satisfied").eq(lit(true)))
            .then(lit("已回访，满意"))
            .when(col("revisit_satisfied").eq(lit(false)))
            .then(lit("已回访，不满意"))
            .otherwise(lit("已回访"))
            .alias("回访状态"),
    ])
    .select(
        [
            "quarter",
            "rating_id",
            "region_code",
            "department",
            "matter_code",
            "case_id",
            "channel",
            "评价结果",
            "rated_at",
            "real_name",
            "rectification_deadline",
            "rectified_at",
            "working_days_to_rectify",
            "整改状态",
            "revisited_at",
            "回访状态",
        ]
        .map(col),
    )
    .sort(
        ["quarter", "region_code", "rating_id"],
        SortMultipleOptions::default(),
    )
    .collect()
    .context("bad-rating ledger")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 取水许可 in two cities, worked by hand. City 3703: 880, 40, 40, 40 days; city 3701:
    /// 880 in each of three districts. Within the city, 370302's peers are 40, 40, 40
    /// (median 40; 880 > 3 × 40): flagged, and no one else (370303's peers 880, 40, 40 have
    /// median 40). Within the province 370302's peers are 40 ×3 and 880 ×3 (median 460;
    /// 880 < 1,380): not flagged, while 370303's are 880 ×4 and 40 ×2 (median 880; 40 × 3
    /// < 880): flagged, as are 370304 and 370305.
    #[test]
    fn legal_days_are_compared_within_the_city_or_the_province() {
        let regions = [
            "370302", "370303", "370304", "370305", "370102", "370103", "370104",
        ];
        let days = [880, 40, 40, 40, 880, 880, 880];
        let n = regions.len();
        let matters = DataFrame::new(
            n,
            vec![
                Series::new("region_code".into(), regions).into(),
                Series::new("matter_code".into(), vec!["S1"; n]).into(),
                Series::new("matter_name".into(), vec!["取水许可"; n]).into(),
                Series::new("department".into(), vec!["水利局"; n]).into(),
                Series::new("legal_days".into(), days.to_vec()).into(),
            ],
        )
        .unwrap();
        let flagged = |peers| -> Vec<String> {
            let df = legal_days_outliers(&matters, 3.0, peers).unwrap();
            df.column("region_code")
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .flatten()
                .map(str::to_owned)
                .collect()
        };
        assert_eq!(flagged(Peers::City), ["370302"]);
        assert_eq!(flagged(Peers::Province), ["370303", "370304", "370305"]);
    }
}
