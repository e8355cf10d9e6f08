//! The report as Markdown: the same narrative, tables and charts (as image links).

use std::fmt::Write as _;

use super::Report;

pub fn render(report: &Report, chart_dir: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", text(&report.title));
    for section in &report.sections {
        let _ = writeln!(s, "## {}\n", text(&section.heading));
        for p in &section.paragraphs {
            let _ = writeln!(s, "{}\n", text(p));
        }
    }
    let (headers, rows) = super::comparison_table(report);
    let _ = writeln!(s, "## 附表一　{}对比\n", report.scope.member_word());
    table(&mut s, &headers, &rows);
    let _ = writeln!(s, "\n## 附图\n");
    for c in &report.charts {
        let file = c
            .png
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(s, "![{}]({chart_dir}/{file})\n", text(&c.title));
    }
    for (_, why) in &report.charts_skipped {
        let _ = writeln!(s, "{}\n", text(why));
    }
    let _ = writeln!(s, "## 附表二　数据质量核查\n");
    let (headers, rows) = super::findings_rows(report);
    table(&mut s, &headers, &rows);
    // 超期办件, 差评台账 and 预警 by district.
    for ((heading, headers, rows), n) in report.summaries.iter().zip(["三", "四", "五", "六"]) {
        let _ = writeln!(s, "\n## 附表{n}　{}\n", text(heading));
        table(&mut s, headers, rows);
    }
    let _ = writeln!(s, "\n## 附录　指标口径\n");
    let (headers, rows) = super::definition_rows(report);
    table(&mut s, &headers, &rows);
    let _ = writeln!(s, "\n## 附录　计算设置\n");
    for (k, v) in &report.settings {
        let _ = writeln!(s, "- {}：{}", text(k), text(v));
    }
    s
}

fn table(s: &mut String, headers: &[String], rows: &[Vec<String>]) {
    let esc = |c: &str| text(c).replace('|', "\\|");
    let _ = writeln!(
        s,
        "| {} |",
        headers
            .iter()
            .map(|h| esc(h))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    let _ = writeln!(s, "|{}", "---|".repeat(headers.len()));
    for r in rows {
        let _ = writeln!(
            s,
            "| {} |",
            r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
        );
    }
}

/// User text (region, matter and department names) as Markdown text: Markdown renders
/// inline HTML, so `<script>` in a name must arrive as characters, not as a tag.
fn text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_text_not_html() {
        assert_eq!(
            super::text("<script>alert(1)</script>周村区 & 张店区"),
            "&lt;script&gt;alert(1)&lt;/script&gt;周村区 &amp; 张店区"
        );
    }
}
