//! Reports (SPEC §7): one model of the report — sections of sentences written from the
//! numbers, the comparison table, the charts, the audit findings — and one writer per
//! format. `narrative` turns numbers into sentences.

pub mod docx;
pub mod html;
pub mod markdown;
pub mod narrative;
pub mod xlsx;

use std::path::PathBuf;

use crate::audit::Finding;
use crate::compare::Comparison;
use crate::format;
use crate::indicators::Indicator;
pub use narrative::Scope;

/// A titled section of paragraphs.
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// A chart of the report: its title and files.
#[derive(Debug, Clone)]
pub struct Chart {
    pub title: String,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// Everything a report writer needs.
pub struct Report<'a> {
    pub title: String,
    pub scope: Scope,
    pub quarter: String,
    pub sections: Vec<Section>,
    pub comparison: &'a [Comparison],
    pub indicators: &'a [Indicator],
    pub charts: Vec<Chart>,
    pub findings: &'a [Finding],
    /// Settings printed with the results (thresholds, mappings, scheme).
    pub settings: Vec<(String, String)>,
    /// Further tables: heading, headers, rows (超期办件, 差评台账 summaries).
    pub summaries: Vec<(String, Vec<String>, Vec<Vec<String>>)>,
}

/// The headline indicators of the narrative, in the order the seeds discuss them.
pub const HEADLINE: [&str; 8] = [
    "on_time_rate",
    "instant_case_rate",
    "online_case_rate",
    "time_compression_rate",
    "satisfaction_rate",
    "rectification_rate",
    "timely_rectification_rate",
    "upload_rate",
];

fn find<'a>(rows: &'a [Comparison], key: &str, id: &str) -> Option<&'a Comparison> {
    rows.iter().find(|c| c.key == key && c.indicator == id)
}

/// What the run read, as 数据质量 sentences: rows quarantined and why, summary rows
/// skipped, and the unknown cells each indicator met (SPEC §1). Empty when all was clean.
pub fn quality_sentences(summary: &crate::output::run::RunSummary) -> Vec<String> {
    use crate::schema::Table;
    let mut out = Vec::new();
    let mut parts = Vec::new();
    for t in Table::ALL {
        let c = &summary.tables[t.name()];
        if c.quarantined > 0 {
            let reasons = summary
                .quarantine_reasons
                .get(t.name())
                .map(|r| {
                    let mut r: Vec<(&String, &usize)> = r.iter().collect();
                    r.sort_by(|a, b| b.1.cmp(a.1));
                    r.iter()
                        .take(3)
                        .map(|(k, n)| format!("{}{}条", k.split(' ').next().unwrap_or(k), n))
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default();
            parts.push(format!(
                "{}{}条中有{}条无法使用、未计入指标（{reasons}）",
                t.chinese(),
                format::thousands(c.rows_read as i64),
                format::thousands(c.quarantined as i64)
            ));
        }
        if c.total_rows > 0 {
            parts.push(format!(
                "{}导出中的{}行合计行已跳过",
                t.chinese(),
                c.total_rows
            ));
        }
    }
    if !parts.is_empty() {
        out.push(format!(
            "数据质量核查：{}，明细见 quarantine 文件夹，请核实后重新导出或补录。",
            parts.join("；")
        ));
    }
    let mut unknown = Vec::new();
    for (table, columns) in &summary.unknown_cells {
        let Some(t) = Table::ALL.into_iter().find(|t| t.name() == *table) else {
            continue;
        };
        for (column, u) in columns {
            let Some(spec) = t.column(column) else {
                continue;
            };
            let met: Vec<&str> = summary
                .indicator_unknowns
                .iter()
                .filter(|i| {
                    i.columns
                        .iter()
                        .any(|c| c.table == *table && c.column == *column)
                })
                .map(|i| i.name.as_str())
                .collect();
            let mut s = format!(
                "{}“{}”有{}个值无法识别，{}",
                t.chinese(),
                spec.chinese,
                format::thousands(u.cells as i64),
                spec.unknown
            );
            if !met.is_empty() {
                let shown: Vec<&str> = met.iter().take(3).copied().collect();
                s.push_str(&format!(
                    "，涉及{}{}",
                    shown.join("、"),
                    if met.len() > 3 {
                        format!("等{}项指标", met.len())
                    } else {
                        String::new()
                    }
                ));
            }
            unknown.push(s);
        }
    }
    if !unknown.is_empty() {
        out.push(format!(
            "导出数据中{}（逐个单元格见 quarantine/cells.csv；可用 pingjia check --suggest-mapping 生成对照表补全）。",
            unknown.join("；")
        ));
    }
    out
}

/// Builds the narrative sections for the scope.
pub fn sections(
    scope: &Scope,
    quarter: &str,
    rows: &[Comparison],
    // None when the report is drawn from a precomputed indicator table: nothing audited.
    findings: Option<&[Finding]>,
    quality: &[String],
) -> Vec<Section> {
    let audited = findings.is_some();
    let findings = findings.unwrap_or_default();
    let key = scope.code();
    let name = scope.name();
    let q = format::quarter(quarter);
    let get = |id: &str| find(rows, key, id);
    let districts = |id: &str| -> Vec<&Comparison> {
        rows.iter()
            .filter(|c| c.level == "region" && c.indicator == id)
            .collect()
    };

    // 一、总体情况
    let mut overall = Vec::new();
    if let Some(v) = get("case_volume").and_then(|c| c.value.map(|v| (c, v))) {
        let (c, v) = v;
        let mut s = format!(
            "{q}，{name}共受理政务服务办件{}件",
            format::thousands(v as i64)
        );
        if let Some(ch) = c.qoq_change {
            s.push_str(&format!("，较上季度{}", format::change(ch, false)));
        }
        if let Some(ch) = c.yoy_change {
            s.push_str(&format!("，同比{}", format::change(ch, false)));
        }
        if let Some(r) = get("rating_volume").and_then(|c| c.value) {
            s.push_str(&format!(
                "；收到“好差评”评价{}条",
                format::thousands(r as i64)
            ));
        }
        s.push('。');
        overall.push(s);
    }
    if let Scope::District { .. } = scope {
        if let Some(c) = get("composite_score") {
            if let (Some(v), Some(r)) = (c.value, c.rank) {
                overall.push(format!(
                    "按综合评分，{name}得{:.1}分，居全市{}个区县第{r}位。",
                    v, c.rank_of
                ));
            }
        }
    }

    // 二、主要指标完成情况
    let mut main = Vec::new();
    for id in HEADLINE {
        let Some(c) = get(id) else { continue };
        main.push(match scope {
            Scope::City { .. } => narrative::city_sentence(c, &districts(id)),
            Scope::District { .. } => narrative::indicator_sentence(c, false),
        });
    }
    let levels = [
        "online_level_1_rate",
        "online_level_2_rate",
        "online_level_3_rate",
        "online_level_4_rate",
    ]
    .map(|id| get(id).and_then(|c| c.value));
    let online = narrative::online_levels_sentence(name, levels);
    if !online.is_empty() {
        main.push(online);
    }
    if let (Some(bad), Some(visits)) = (
        get("bad_rating_count").and_then(|c| c.value),
        get("avg_max_visits").and_then(|c| c.value),
    ) {
        main.push(format!(
            "本季度差评{}条；依申请事项平均跑动次数{:.3}次。",
            crate::format::thousands(bad as i64),
            visits
        ));
    }

    // 三、存在的问题
    let mut problems = Vec::new();
    let mut missed: Vec<&Comparison> = rows
        .iter()
        .filter(|c| c.key == key && c.met == Some(false))
        .collect();
    missed.sort_by_key(|c| {
        HEADLINE
            .iter()
            .position(|h| *h == c.indicator)
            .unwrap_or(HEADLINE.len())
    });
    for c in &missed {
        problems.push(format!(
            "{}为{}，未达到{}的目标。",
            c.indicator_name,
            c.value
                .map(|v| format::value(v, &c.unit))
                .unwrap_or_default(),
            c.target
                .map(|t| format::value(t, &c.unit))
                .unwrap_or_default()
        ));
    }
    for f in findings {
        let n = match scope {
            Scope::City { .. } => f.rows.height(),
            Scope::District { code, .. } => f
                .rows
                .column("region_code")
                .ok()
                .and_then(|c| {
                    c.str()
                        .ok()
                        .map(|s| s.iter().filter(|v| *v == Some(code.as_str())).count())
                })
                .unwrap_or(0),
        };
        if n > 0 {
            problems.push(format!(
                "数据质量核查发现“{}”{}条（{}）。",
                f.name, n, f.rule
            ));
        }
    }
    problems.extend(quality.iter().cloned());
    if problems.is_empty() {
        problems.push(if audited {
            "本季度各项指标均达到目标，数据质量核查未发现问题。".into()
        } else {
            "本季度各项指标均达到目标（本报告未做数据质量核查）。".into()
        });
    }
    let problems: Vec<String> = problems
        .into_iter()
        .enumerate()
        .map(|(i, p)| format!("（{}）{p}", chinese_number(i + 1)))
        .collect();

    // 四、下一步工作
    let mut next = Vec::new();
    let missed_ids: Vec<&str> = missed.iter().map(|c| c.indicator.as_str()).collect();
    if missed_ids.contains(&"on_time_rate") {
        next.push("加强办件全流程监管，对临近承诺时限的办件提前预警，杜绝超期办结。".to_owned());
    }
    if missed_ids
        .iter()
        .any(|id| id.contains("rectification") || id.contains("revisit"))
    {
        next.push("落实差评“接诉即办”，差评件在规定期限内全部整改、实名差评全部回访。".to_owned());
    }
    if missed_ids.iter().any(|id| id.contains("online")) {
        next.push("推动全程网办事项真正网上办理，提高网上办件比例。".to_owned());
    }
    if findings.iter().any(|f| f.rows.height() > 0) {
        next.push(
            "对照数据质量核查清单逐项核实整改事项目录和办件数据，确保数据真实准确。".to_owned(),
        );
    }
    next.push("持续压缩承诺时限、减少跑动次数，巩固提升政务服务评估成绩。".to_owned());
    let next = next
        .into_iter()
        .enumerate()
        .map(|(i, p)| format!("{}是{p}", chinese_number(i + 1)))
        .collect();

    vec![
        Section {
            heading: "一、总体情况".into(),
            paragraphs: overall,
        },
        Section {
            heading: "二、主要指标完成情况".into(),
            paragraphs: main,
        },
        Section {
            heading: "三、存在的问题".into(),
            paragraphs: problems,
        },
        Section {
            heading: "四、下一步工作".into(),
            paragraphs: next,
        },
    ]
}

fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => n.to_string(),
    }
}

/// Escapes text for HTML (user data such as a matter name may contain `<script>`).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The audit findings as rows: 核查项, 条数, 说明.
pub fn findings_rows(report: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = report
        .findings
        .iter()
        .map(|f| {
            vec![
                f.name.to_owned(),
                f.rows.height().to_string(),
                f.rule.clone(),
            ]
        })
        .collect();
    (["核查项", "条数", "说明"].map(String::from).to_vec(), rows)
}

/// The indicator definitions (口径) as rows: 指标, 单位, 口径, 依据.
pub fn definition_rows(report: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = report
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.unit.clone(),
                i.definition.clone(),
                i.basis.clone(),
            ]
        })
        .collect();
    (
        ["指标", "单位", "口径", "依据"].map(String::from).to_vec(),
        rows,
    )
}

/// The comparison table of the report, as text cells: districts × headline indicators
/// for the city, indicators × (district, city, rank, changes, target) for a district.
pub fn comparison_table(report: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = report.comparison;
    let name_of = |id: &str| {
        report
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map_or(id.to_owned(), |i| i.name.clone())
    };
    // 99.60%（3）−0.40: value, rank, change on the previous quarter (百分点 for rates).
    let cell = |c: Option<&Comparison>| -> String {
        match c.and_then(|c| c.value.map(|v| (c, v))) {
            Some((c, v)) => {
                let mut s = format::value(v, &c.unit);
                if let Some(r) = c.rank {
                    s.push_str(&format!("（{r}）"));
                }
                if let Some(ch) = c.qoq_change {
                    let ch = format::round2(ch);
                    s.push_str(&if ch > 0.0 {
                        format!("+{ch:.2}")
                    } else if ch < 0.0 {
                        format!("−{:.2}", -ch)
                    } else {
                        "±0".into()
                    });
                }
                s
            }
            None => "—".into(),
        }
    };
    match &report.scope {
        Scope::City { .. } => {
            let mut headers = vec!["区县".to_owned(), "综合得分（排名）".to_owned()];
            headers.extend(
                HEADLINE
                    .iter()
                    .map(|id| format!("{}（排名）较上季度", name_of(id))),
            );
            let mut districts: Vec<(&str, &str)> = rows
                .iter()
                .filter(|c| c.level == "region")
                .map(|c| (c.key.as_str(), c.name.as_str()))
                .collect();
            districts.sort();
            districts.dedup();
            let mut body: Vec<Vec<String>> = districts
                .iter()
                .map(|(key, name)| {
                    let mut r = vec![name.to_string()];
                    r.push(match find(rows, key, "composite_score") {
                        Some(c) => {
                            format!("{:.1}（{}）", c.value.unwrap_or(0.0), c.rank.unwrap_or(0))
                        }
                        None => "—".into(),
                    });
                    r.extend(HEADLINE.iter().map(|id| cell(find(rows, key, id))));
                    r
                })
                .collect();
            let city = report.scope.code();
            let mut total = vec![format!("{}（全市）", report.scope.name()), "—".into()];
            total.extend(HEADLINE.iter().map(|id| {
                find(rows, city, id)
                    .and_then(|c| c.value.map(|v| format::value(v, &c.unit)))
                    .unwrap_or_else(|| "—".into())
            }));
            body.push(total);
            (headers, body)
        }
        Scope::District { code, .. } => {
            let headers = [
                "指标",
                "本区县",
                "全市",
                "全市排名",
                "较上季度",
                "同比",
                "目标",
                "是否达标",
            ]
            .map(String::from)
            .to_vec();
            let ids: Vec<&str> = HEADLINE
                .iter()
                .copied()
                .chain([
                    "online_level_4_rate",
                    "avg_max_visits",
                    "case_volume",
                    "rating_volume",
                ])
                .collect();
            let body = ids
                .iter()
                .filter_map(|id| find(rows, code, id))
                .map(|c| {
                    let v = |x: Option<f64>| {
                        x.map(|v| format::value(v, &c.unit))
                            .unwrap_or_else(|| "—".into())
                    };
                    let ch = |x: Option<f64>| {
                        x.map(|x| format::change(x, c.unit == "%"))
                            .unwrap_or_else(|| "—".into())
                    };
                    vec![
                        c.indicator_name.clone(),
                        v(c.value),
                        v(c.parent_value),
                        c.rank
                            .map(|r| format!("{r}/{}", c.rank_of))
                            .unwrap_or_else(|| "—".into()),
                        ch(c.qoq_change),
                        ch(c.yoy_change),
                        v(c.target),
                        match c.met {
                            Some(true) => "达标".into(),
                            Some(false) => "未达标".into(),
                            None => "—".into(),
                        },
                    ]
                })
                .collect();
            (headers, body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_escaped() {
        assert_eq!(
            escape_html("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }

    #[test]
    fn numbering() {
        assert_eq!(chinese_number(3), "三");
        assert_eq!(chinese_number(14), "十四");
    }
}
