//! The report as one self-contained HTML file: inline CSS and SVG charts, no scripts, no
//! fonts or images fetched from anywhere, printable to A4. All text from the data is
//! escaped.

use std::fmt::Write as _;

use super::{escape_html as esc, Report};
use crate::format;

const CSS: &str = r#"
@page { size: A4; margin: 16mm 14mm; }
* { box-sizing: border-box; }
body { font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC", sans-serif;
       color: #262626; max-width: 1100px; margin: 0 auto; padding: 24px; line-height: 1.8; }
h1 { text-align: center; font-size: 26px; margin: 8px 0 4px; }
.subtitle { text-align: center; color: #7f7f7f; margin-bottom: 24px; }
h2 { font-size: 20px; border-left: 5px solid #1f4e79; padding-left: 10px; margin-top: 32px; }
p { text-indent: 2em; margin: 6px 0; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 10px; margin: 16px 0; }
.card { border: 1px solid #d9d9d9; border-radius: 6px; padding: 10px 12px; }
.card .name { color: #7f7f7f; font-size: 13px; }
.card .value { font-size: 24px; font-weight: bold; color: #1f4e79; }
.card .meta { font-size: 12px; color: #7f7f7f; }
.card.missed .value { color: #c00000; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 10px 0 18px; }
th, td { border: 1px solid #bfbfbf; padding: 4px 6px; text-align: center; }
th { background: #dde8f3; }
td.left { text-align: left; }
td:first-child { white-space: nowrap; }
tr { break-inside: avoid; }
tr.total td { font-weight: bold; background: #f2f2f2; }
figure { margin: 18px 0; page-break-inside: avoid; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { text-align: center; color: #7f7f7f; font-size: 13px; }
.settings li { font-size: 13px; color: #595959; }
p.note { text-indent: 0; font-size: 13px; color: #7f7f7f; }
@media print { body { max-width: none; padding: 0; } h2 { break-after: avoid; }
  table { font-size: 10.5px; } th, td { padding: 3px 4px; } .cards { grid-template-columns: repeat(4, 1fr); } }
"#;

pub fn render(report: &Report, svgs: &[(String, String)]) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&report.title)
    );
    let _ = writeln!(s, "<h1>{}</h1>", esc(&report.title));
    let _ = writeln!(
        s,
        "<div class=\"subtitle\">{} · {}</div>",
        esc(&format::quarter(&report.quarter)),
        esc(report.scope.name())
    );

    // Headline figures with their targets.
    let _ = writeln!(s, "<div class=\"cards\">");
    for id in report.headline() {
        let Some(c) = report
            .comparison
            .iter()
            .find(|c| c.key == report.scope.code() && c.indicator == id)
        else {
            continue;
        };
        let value = c
            .value
            .map(|v| format::value(v, &c.unit))
            .unwrap_or_else(|| "—".into());
        let mut meta = Vec::new();
        if let Some(t) = c.target {
            meta.push(format!("目标 {}", format::value(t, &c.unit)));
        }
        let ind = report.indicators.iter().find(|i| i.id == c.indicator);
        if let Some(words) = super::narrative::rank_words(c, ind) {
            meta.push(words.trim_start_matches('居').to_owned());
        }
        if let Some(ch) = c.qoq_change {
            meta.push(format!("较上季度{}", format::change(ch, c.is_rate)));
        }
        let class = if c.met == Some(false) {
            "card missed"
        } else {
            "card"
        };
        let _ = writeln!(
            s,
            "<div class=\"{class}\"><div class=\"name\">{}</div><div class=\"value\">{}</div><div class=\"meta\">{}</div></div>",
            esc(&c.indicator_name),
            esc(&value),
            esc(&meta.join(" · "))
        );
    }
    let _ = writeln!(s, "</div>");

    for section in &report.sections {
        let _ = writeln!(s, "<h2>{}</h2>", esc(&section.heading));
        for p in &section.paragraphs {
            let _ = writeln!(s, "<p>{}</p>", esc(p));
        }
    }
    let (headers, rows) = super::comparison_table(report);
    let (member, whole) = (report.scope.member_word(), report.scope.whole_word());
    let _ = writeln!(s, "<h2>{member}对比</h2>");
    let has_total = report.scope.members().is_some();
    if has_total {
        let _ = writeln!(s, "<p class=\"note\">括号内为{whole}名次，并列者名次相同，无数据的{member}不参与排名。{whole}值为各{member}分子之和除以分母之和。</p>");
    }
    table(&mut s, &headers, &rows, has_total);
    let _ = writeln!(s, "<h2>图表</h2>");
    for (title, svg) in svgs {
        let _ = writeln!(
            s,
            "<figure class=\"chart\">{}<figcaption>{}</figcaption></figure>",
            strip_xml_header(svg),
            esc(title)
        );
    }
    for (_, why) in &report.charts_skipped {
        let _ = writeln!(s, "<p class=\"note\">{}</p>", esc(why));
    }
    let _ = writeln!(s, "<h2>数据质量核查</h2>");
    let (headers, rows) = super::findings_rows(report);
    table(&mut s, &headers, &rows, false);
    for (heading, headers, rows) in &report.summaries {
        let _ = writeln!(s, "<h2>{}</h2>", esc(heading));
        table(&mut s, headers, rows, false);
    }
    let _ = writeln!(s, "<h2>附录　指标口径</h2>");
    let (headers, rows) = super::definition_rows(report);
    table(&mut s, &headers, &rows, false);
    let _ = writeln!(s, "<h2>附录　计算设置</h2>\n<ul class=\"settings\">");
    for (k, v) in &report.settings {
        let _ = writeln!(s, "<li>{}：{}</li>", esc(k), esc(v));
    }
    let _ = writeln!(s, "</ul>\n</body>\n</html>");
    s
}

fn table(s: &mut String, headers: &[String], rows: &[Vec<String>], last_is_total: bool) {
    let _ = write!(s, "<table><thead><tr>");
    for h in headers {
        let _ = write!(s, "<th>{}</th>", esc(h));
    }
    let _ = writeln!(s, "</tr></thead><tbody>");
    for (i, r) in rows.iter().enumerate() {
        let class = if last_is_total && i + 1 == rows.len() {
            " class=\"total\""
        } else {
            ""
        };
        let _ = write!(s, "<tr{class}>");
        for (j, c) in r.iter().enumerate() {
            let class = if j == 0 || c.chars().count() > 24 {
                " class=\"left\""
            } else {
                ""
            };
            let _ = write!(s, "<td{class}>{}</td>", esc(c));
        }
        let _ = writeln!(s, "</tr>");
    }
    let _ = writeln!(s, "</tbody></table>");
}

/// An SVG document without its `<?xml …?>` line, for inlining.
fn strip_xml_header(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}
