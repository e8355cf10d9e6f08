//! Reports (docs/SPEC.md §7): one model of the report — sections of sentences written from the
//! numbers, the comparison table, the charts, the audit findings — and one writer per
//! format. `narrative` turns numbers into sentences.

pub mod dashboard;
pub mod docx;
pub mod draft;
pub mod html;
pub mod markdown;
pub mod narrative;
pub mod webfont;
pub mod xlsx;

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

pub use crate::charts::Chart;

/// Everything a report writer needs.
pub struct Report<'a> {
    pub title: String,
    pub scope: Scope,
    pub quarter: String,
    pub sections: Vec<Section>,
    pub comparison: &'a [Comparison],
    pub indicators: &'a [Indicator],
    pub charts: Vec<Chart>,
    /// Charts not drawn because their data would show nothing: (which chart, why), said
    /// where the charts are.
    pub charts_skipped: Vec<(crate::charts::Figure, String)>,
    /// Whether composite scores are shown: the city's comparison, or a scheme the user gave.
    pub composite: bool,
    /// Whether the user gave a scoring scheme (`--scheme`): the DOCX draft then shows the
    /// heat map of sub-scores.
    pub user_scheme: bool,
    pub findings: &'a [Finding],
    /// Settings printed with the results (thresholds, mappings, scheme).
    pub settings: Vec<(String, String)>,
    /// Further tables: heading, headers, rows (超期办件, 差评台账 summaries).
    pub summaries: Vec<(String, Vec<String>, Vec<Vec<String>>)>,
    /// 落款: the issuing body (张店区行政审批服务局) and the date (2026年1月5日).
    pub issuer: String,
    pub date: String,
    /// Members of the scope (a province's cities) with no data in the quarter: name and
    /// the last quarter they have; shown unranked.
    pub missing: Vec<(String, Option<String>)>,
}

impl Report<'_> {
    /// The headline indicator ids, in order (from the indicator files' `headline`).
    pub fn headline(&self) -> Vec<&str> {
        draft::headline(self.indicators)
            .into_iter()
            .map(|i| i.id.as_str())
            .collect()
    }
}

fn find<'a>(rows: &'a [Comparison], key: &str, id: &str) -> Option<&'a Comparison> {
    rows.iter().find(|c| c.key == key && c.indicator == id)
}

/// What the run read, as 数据质量 sentences: rows quarantined and why, summary rows
/// skipped, and the unknown cells each indicator met (docs/SPEC.md §1). Empty when all was clean.
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
    for (t, spec, u) in summary.unknown_columns() {
        let met: Vec<&str> = summary
            .indicator_unknowns
            .iter()
            .filter(|i| {
                i.columns
                    .iter()
                    .any(|c| c.table == t.name() && c.column == spec.name)
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
    if !unknown.is_empty() {
        out.push(format!(
            "导出数据中{}（逐个单元格见 quarantine/cells.csv；可用 pingjia check --suggest-mapping 生成对照表补全）。",
            unknown.join("；")
        ));
    }
    out
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

/// A value as a table shows it.
fn table_value(v: f64, unit: &str) -> String {
    format::value(v, unit)
}

/// The comparison table of the report, as text cells: districts × headline indicators
/// (value and rank; ties share a rank) for the city, indicators × (district, city, rank
/// among those with a value, changes, target, what it takes) for a district.
pub fn comparison_table(report: &Report) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = report.comparison;
    let headline = report.headline();
    let name_of = |id: &str| {
        report
            .indicators
            .iter()
            .find(|i| i.id == id)
            .map_or(id.to_owned(), |i| i.name.clone())
    };
    let cell = |c: Option<&Comparison>| -> String {
        match c.and_then(|c| c.value.map(|v| (c, v))) {
            Some((c, v)) => {
                let mut s = table_value(v, &c.unit);
                if let Some(r) = c.rank {
                    s.push_str(&format!("（{r}）"));
                }
                s
            }
            None => "—".into(),
        }
    };
    match &report.scope {
        Scope::City { .. } | Scope::Province { .. } => {
            let mut headers = vec![report.scope.member_word().to_owned()];
            headers.extend(headline.iter().map(|id| format!("{}（名次）", name_of(id))));
            let members = crate::compare::members(rows, &report.scope);
            let mut body: Vec<Vec<String>> = members
                .iter()
                .map(|(key, name)| {
                    let mut r = vec![name.to_string()];
                    r.extend(headline.iter().map(|id| cell(find(rows, key, id))));
                    r
                })
                .collect();
            for (name, _) in &report.missing {
                let mut r = vec![format!("{name}（本季度无数据）")];
                r.extend(headline.iter().map(|_| "—".to_owned()));
                body.push(r);
            }
            let city = report.scope.code();
            let mut total = vec![format!(
                "{}（{}）",
                report.scope.name(),
                report.scope.whole_word()
            )];
            total.extend(headline.iter().map(|id| {
                find(rows, city, id)
                    .and_then(|c| c.value.map(|v| table_value(v, &c.unit)))
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
                "距目标",
            ]
            .map(String::from)
            .to_vec();
            // The headline indicators, then those whose files give them a row here
            // (`-- table: N`), in that order.
            let mut extra: Vec<&Indicator> = report
                .indicators
                .iter()
                .filter(|i| i.headline.is_none() && i.table.is_some())
                .collect();
            extra.sort_by_key(|i| i.table);
            let ids: Vec<&str> = headline
                .iter()
                .copied()
                .chain(extra.iter().map(|i| i.id.as_str()))
                .collect();
            let body = ids
                .iter()
                .filter_map(|id| find(rows, code, id))
                .map(|c| {
                    let v = |x: Option<f64>| {
                        x.map(|v| table_value(v, &c.unit))
                            .unwrap_or_else(|| "—".into())
                    };
                    let ch = |x: Option<f64>| {
                        x.map(|x| format::change(x, c.is_rate))
                            .unwrap_or_else(|| "—".into())
                    };
                    let success = report
                        .indicators
                        .iter()
                        .find(|i| i.id == c.indicator)
                        .and_then(|i| i.success.as_deref());
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
                        match (c.met, c.to_target) {
                            (Some(true), _) => "已达标".into(),
                            (Some(false), Some(n)) => match success {
                                Some(s) => format!(
                                    "还需{}",
                                    s.replace("{n}", &format::thousands(n as i64))
                                ),
                                None => format!("还差{}", format::thousands(n as i64)),
                            },
                            (Some(false), None) => "未达标".into(),
                            (None, _) => "—".into(),
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
}
