//! The report as a DOCX 自查报告 draft: a WordprocessingML package written directly
//! (a handful of XML parts in a zip), styled like a government document — title in
//! 方正小标宋, headings in 黑体, body in 仿宋 16 pt with a two-character first-line indent —
//! with the comparison table and the charts embedded as images. Opens in Word and WPS.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::{Report, Scope};
use crate::format;

/// XML text escaping.
fn x(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn run(text: &str, font: &str, size_half_points: u32, bold: bool) -> String {
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"{font}\" w:hAnsi=\"{font}\" w:eastAsia=\"{font}\"/>{}<w:sz w:val=\"{size_half_points}\"/><w:szCs w:val=\"{size_half_points}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        if bold { "<w:b/>" } else { "" },
        x(text)
    )
}

fn paragraph(style: &str, body: &str) -> String {
    format!("<w:p><w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>{body}</w:p>")
}

fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    // Columns as wide as their text (CJK counts double) plus the cell margins, between 6
    // and 12 half-width characters (10 pt: 0.18 cm each, so eight columns of 12 still fit
    // the 15.6 cm text width), scaled to the text width (8,844 twips) and fixed, so every
    // reader lays them out alike; longer text wraps.
    let n = headers.len().max(1);
    let text_width = |t: &str| {
        t.chars()
            .map(|c| if c.is_ascii() && c != '%' { 1 } else { 2 })
            .sum::<usize>()
    };
    let wants: Vec<usize> = (0..n)
        .map(|i| {
            let header = headers.get(i).map_or(0, |h| text_width(h).div_ceil(2));
            let body = rows
                .iter()
                .filter_map(|r| r.get(i))
                .map(|c| text_width(c))
                .max()
                .unwrap_or(0);
            (header.max(body) + 3).clamp(6, 12)
        })
        .collect();
    let total: usize = wants.iter().sum();
    let widths: Vec<usize> = wants.iter().map(|w| 8844 * w / total.max(1)).collect();
    // keepNext on every row but the last keeps a table that fits on one page together.
    let cell = |t: &str, i: usize, bold: bool, shade: bool, keep: bool| {
        format!(
            "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"TableText\"/>{}</w:pPr>{}</w:p></w:tc>",
            widths.get(i).copied().unwrap_or(8844 / n),
            if keep { "<w:keepNext/>" } else { "" },
            if shade { "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"DDE8F3\"/>" } else { "" },
            run(t, "仿宋", 20, bold)
        )
    };
    let mut s = String::from(
        "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:jc w:val=\"center\"/><w:tblBorders>\
<w:top w:val=\"single\" w:sz=\"4\" w:color=\"808080\"/><w:left w:val=\"single\" w:sz=\"4\" w:color=\"808080\"/>\
<w:bottom w:val=\"single\" w:sz=\"4\" w:color=\"808080\"/><w:right w:val=\"single\" w:sz=\"4\" w:color=\"808080\"/>\
<w:insideH w:val=\"single\" w:sz=\"4\" w:color=\"808080\"/><w:insideV w:val=\"single\" w:sz=\"4\" w:color=\"808080\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr>",
    );
    // The grid the schema requires (CT_Tbl: tblPr, tblGrid, tr+).
    s.push_str("<w:tblGrid>");
    for w in &widths {
        s.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    s.push_str("</w:tblGrid>");
    // Rows never split across pages; the header row repeats on every page.
    s.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
    for (i, h) in headers.iter().enumerate() {
        s.push_str(&cell(h, i, true, true, !rows.is_empty()));
    }
    s.push_str("</w:tr>");
    for (k, r) in rows.iter().enumerate() {
        s.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, c) in r.iter().enumerate() {
            s.push_str(&cell(c, i, false, false, k + 1 < rows.len()));
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

/// An inline picture: relationship id, picture number, size in EMU.
fn picture(rel: &str, n: usize, name: &str, cx: u64, cy: u64) -> String {
    format!(
        "<w:p><w:pPr><w:pStyle w:val=\"Figure\"/></w:pPr><w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
<wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{n}\" name=\"{}\"/>\
<a:graphic xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\"><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
<pic:pic xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{}\"/><pic:cNvPicPr/></pic:nvPicPr>\
<pic:blipFill><a:blip r:embed=\"{rel}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
        x(name),
        x(name)
    )
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="仿宋" w:hAnsi="仿宋" w:eastAsia="仿宋"/><w:sz w:val="32"/><w:lang w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:line="560" w:lineRule="exact"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:pPr><w:spacing w:before="240" w:after="240" w:line="640" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:hAnsi="方正小标宋简体" w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:hAnsi="黑体" w:eastAsia="黑体"/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Salutation"><w:name w:val="Salutation"/><w:pPr><w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:pPr><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:pPr><w:spacing w:line="300" w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="TableCaption"><w:name w:val="Table Caption"/><w:pPr><w:keepNext/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="center"/></w:pPr><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:pPr><w:keepNext/><w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="right"/></w:pPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/></w:style>
</w:styles>"#;

/// The footer: the page number as official documents print it, "— 1 —".
const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr><w:r><w:t xml:space="preserve">— </w:t></w:r><w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>"#;

/// Builds the document; `charts` are (title, PNG bytes, width px, height px).
pub fn render(
    report: &Report,
    charts: &[(String, Vec<u8>, u32, u32)],
) -> zip::result::ZipResult<Vec<u8>> {
    let mut body = String::new();
    let title = &report.title;
    body.push_str(&paragraph(
        "Title",
        &run(title, "方正小标宋简体", 44, false),
    ));
    match &report.scope {
        Scope::District { city, .. } => {
            body.push_str(&paragraph(
                "Salutation",
                &run(&format!("{city}行政审批服务局："), "仿宋", 32, false),
            ));
            body.push_str(&paragraph(
                "Normal",
                &run(
                    &format!(
                        "根据{}政务服务评估工作要求，我局对照评估指标开展了自查，现将有关情况报告如下：",
                        format::quarter(&report.quarter)
                    ),
                    "仿宋",
                    32,
                    false,
                ),
            ));
        }
        Scope::City { .. } | Scope::Province { .. } => {
            body.push_str(&paragraph(
                "Normal",
                &run(
                    &format!(
                        "现将{}{}各{}政务服务评估主要指标完成情况通报如下：",
                        format::quarter(&report.quarter),
                        report.scope.whole_word(),
                        report.scope.member_word()
                    ),
                    "仿宋",
                    32,
                    false,
                ),
            ));
        }
    }
    let mut rels = String::new();
    for (k, section) in report.sections.iter().enumerate() {
        body.push_str(&paragraph(
            "Heading1",
            &run(&section.heading, "黑体", 32, false),
        ));
        for p in &section.paragraphs {
            body.push_str(&paragraph("Normal", &run(p, "仿宋", 32, false)));
        }
        // The comparison table and the charts stand with the figures they show: at the
        // end of 二、主要指标完成情况.
        if k != 1 {
            continue;
        }
        body.push_str(&paragraph(
            "TableCaption",
            &run(
                &match report.scope {
                    Scope::City { .. } | Scope::Province { .. } => format!(
                        "表1　各{}主要指标完成情况（括号内为名次）",
                        report.scope.member_word()
                    ),
                    Scope::District { .. } => "表1　主要指标完成情况".to_owned(),
                },
                "黑体",
                24,
                false,
            ),
        ));
        let (headers, rows) = super::comparison_table(report);
        body.push_str(&table(&headers, &rows));
        for (i, (name, _, w, h)) in charts.iter().enumerate() {
            let rel = format!("rIdImage{}", i + 1);
            rels.push_str(&format!(
                "<Relationship Id=\"{rel}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image{}.png\"/>",
                i + 1
            ));
            // 15.5 cm wide: the text width of an A4 page with official margins; never
            // taller than 20 cm.
            let mut cx: u64 = 5_580_000;
            let mut cy = cx * *h as u64 / (*w).max(1) as u64;
            if cy > 7_200_000 {
                cx = cx * 7_200_000 / cy;
                cy = 7_200_000;
            }
            body.push_str(&picture(&rel, i + 1, name, cx, cy));
            body.push_str(&paragraph(
                "Caption",
                &run(&format!("图{}　{}", i + 1, name), "仿宋", 24, false),
            ));
        }
        for (_, why) in report
            .charts_skipped
            .iter()
            .filter(|(figure, _)| figure.in_draft(report.indicators, report.user_scheme))
        {
            body.push_str(&paragraph("Normal", &run(why, "仿宋", 32, false)));
        }
    }
    // 落款: the issuing body, right-aligned two characters in, the date under it, on the
    // page of the text it closes: the last paragraph keeps with the (kept) spacer.
    if let Some(at) = body.rfind("<w:p><w:pPr>") {
        let inside = at + "<w:p><w:pPr>".len();
        let after_style = body[inside..]
            .strip_prefix("<w:pStyle")
            .and_then(|rest| rest.find("/>"))
            .map_or(inside, |end| inside + "<w:pStyle".len() + end + 2);
        body.insert_str(after_style, "<w:keepNext/>");
    }
    body.push_str(&paragraph("Signature", ""));
    let width = |s: &str| -> f64 {
        s.chars()
            .map(|c| if c.is_ascii() { 0.5 } else { 1.0 })
            .sum()
    };
    let (a, d) = (width(&report.issuer), width(&report.date));
    let (ri, rd) = if a - d >= 2.0 {
        (2.0, a - d)
    } else {
        (d + 4.0 - a, 2.0)
    };
    for (text, r) in [(&report.issuer, ri), (&report.date, rd)] {
        body.push_str(&format!(
            "<w:p><w:pPr><w:pStyle w:val=\"Signature\"/><w:ind w:right=\"{}\" w:rightChars=\"{}\"/></w:pPr>{}</w:p>",
            (r * 320.0) as u32,
            (r * 100.0) as u32,
            run(text, "仿宋", 32, false)
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\"><w:body>{body}\
<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" w:header=\"851\" w:footer=\"1247\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    );
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>";
    let package_rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>";
    let document_rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdFooter1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>{rels}</Relationships>"
    );
    // No timestamps: two runs on the same data give byte-identical files.
    let core = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>{}</dc:title><dc:creator>pingjia</dc:creator></cp:coreProperties>",
        x(title)
    );
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, text) in [
            ("[Content_Types].xml", content_types.to_owned()),
            ("_rels/.rels", package_rels.to_owned()),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", document_rels),
            ("word/styles.xml", STYLES.to_owned()),
            ("word/footer1.xml", FOOTER.to_owned()),
            ("docProps/core.xml", core),
        ] {
            z.start_file(name, opts)?;
            z.write_all(text.as_bytes())?;
        }
        for (i, (_, png, _, _)) in charts.iter().enumerate() {
            z.start_file(
                format!("word/media/image{}.png", i + 1),
                opts.compression_method(zip::CompressionMethod::Stored),
            )?;
            z.write_all(png)?;
        }
        z.finish()?;
    }
    Ok(buf.into_inner())
}
