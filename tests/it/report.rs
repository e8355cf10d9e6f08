//! `pingjia report`: the main job end to end.

use super::*;

#[test]
fn city_report_writes_every_part() {
    let (out, _) = run_in_temp(&["report", "sample-data"]);
    for part in [
        "report.html",
        "report.md",
        "run.json",
        "charts/heatmap.png",
        "charts/heatmap.svg",
        "tables/indicators.csv",
        "tables/comparison.csv",
        "tables/overdue_cases.csv",
        "tables/bad_ratings.csv",
        "tables/audit_summary.csv",
        "quarantine/cases.csv",
    ] {
        assert!(out.path().join(part).is_file(), "{part} missing");
    }
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("<title>淄博市2025年第四季度政务服务评估区县对比报告</title>"),
        "default quarter is the latest complete one"
    );
    for d in DISTRICTS {
        assert!(html.contains(d), "{d}");
    }
    // Self-contained: nothing to fetch, no scripts.
    for forbidden in ["<script", "<link", "src=", "url(", "@import", "https://"] {
        assert!(
            !html.contains(forbidden),
            "report.html contains {forbidden}"
        );
    }
    // 15 charts but one: every district with a due 差评 rectified it on time in 2025Q4,
    // so that ranking would be eight equal bars; the report says so instead.
    assert_eq!(html.matches("<svg").count(), 14, "every chart inlined");
    assert!(
        html.contains("4个有到期差评的区县差评按时整改率均为100%，未绘制排名图。"),
        "a chart not drawn is named"
    );
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    for heading in [
        "## 一、工作开展情况",
        "## 二、主要指标完成情况",
        "## 三、存在的问题",
        "## 四、整改措施及下一步工作",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    assert!(
        md.contains("各区县中"),
        "the city report compares its districts"
    );
}

#[test]
fn district_report_states_its_rank_among_eight() {
    let (out, _) = run_in_temp(&["report", "sample-data", "--region", "370303"]);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        md.starts_with("# 张店区行政审批服务局关于2025年第四季度政务服务评估工作的自查报告"),
        "{}",
        &md[..200]
    );
    // The sentence structure of docs/SPEC.md §7, with the comparison's own rank and change.
    let line = md
        .lines()
        .find(|l| l.starts_with("张店区按期办结率为"))
        .unwrap();
    assert!(
        line.contains("较上季度") && line.contains("居全市第") && line.ends_with('。'),
        "{line}"
    );
    // A composite score only from a scheme the user gave: the bundled example weights
    // rank nobody in a draft that is sent up.
    assert!(
        !md.contains("综合评分") && !md.contains("得分") && !md.contains("heatmap"),
        "no composite score without --scheme, in words or the score chart"
    );
    let scheme = root().join("schemes/default.toml");
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--scheme",
        scheme.to_str().unwrap(),
    ]);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        md.contains("按“默认方案（示例权重）”综合评分"),
        "the scheme the user gave is used, named whole"
    );
    assert!(md.contains("charts/heatmap.png"));
}

#[test]
fn report_on_an_empty_folder_is_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "report",
        dir.path().to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("no input files") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn workbook_sheets_formats_and_values() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let (out, _) = run_in_temp(&["report", "sample-data", "--format", "xlsx"]);
    let path = out.path().join("report.xlsx");
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(
        wb.sheet_names(),
        [
            "指标汇总",
            "区县对比",
            "趋势",
            "图表",
            "数据质量",
            "超期办件清单",
            "差评台账",
            "预警清单",
            "红黑榜"
        ]
    );

    // 区县对比: 张店区's 按期办结率 equals the comparison table's value.
    let sheet = wb.worksheet_range("区县对比").unwrap();
    let header = first_row(&sheet);
    let col = header.iter().position(|h| h == "按期办结率").unwrap();
    let row = sheet
        .rows()
        .find(|r| r[0] == Data::String("张店区".into()))
        .unwrap();
    let in_workbook = match &row[col] {
        Data::Float(v) => *v,
        other => panic!("not a number: {other:?}"),
    };
    let comparison = std::fs::read_to_string(out.path().join("tables/comparison.csv")).unwrap();
    let value_at = comparison
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|h| h == "value")
        .unwrap();
    let expected: f64 = comparison
        .lines()
        .find(|l| l.starts_with("2025Q4,region,370303,张店区,on_time_rate,"))
        .unwrap()
        .split(',')
        .nth(value_at)
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(in_workbook, expected);

    // Rates carry a percentage number format, and that cell uses it.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    let pct_id: String = styles
        .split("<numFmt ")
        .find(|f| f.contains("formatCode=\"0.00%\""))
        .map(|f| {
            f.split("numFmtId=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        })
        .unwrap_or_else(|| "10".into()); // Excel's built-in 0.00%
    let xfs: Vec<&str> = styles
        .split("<cellXfs")
        .nth(1)
        .unwrap()
        .split("</cellXfs>")
        .next()
        .unwrap()
        .split("<xf ")
        .skip(1)
        .collect();
    let mut sheet2 = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut sheet2,
    )
    .unwrap();
    let cell_ref = format!(
        "{}{}",
        (b'A' + col as u8) as char,
        sheet
            .rows()
            .position(|r| r[0] == Data::String("张店区".into()))
            .unwrap()
            + 1
    );
    let cell = sheet2
        .split(&format!("<c r=\"{cell_ref}\""))
        .nth(1)
        .unwrap();
    let style: usize = cell
        .split("s=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        xfs[style].contains(&format!("numFmtId=\"{pct_id}\"")),
        "cell {cell_ref} style {} is not 0.00%",
        xfs[style]
    );
}

#[test]
fn docx_draft_has_headings_sentences_and_images() {
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--format",
        "docx",
    ]);
    let path = out.path().join("自查报告-370303-2025Q4.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
        .unwrap();
    // Paragraph texts of the document.
    let texts: Vec<String> = doc
        .split("<w:p>")
        .map(|p| {
            p.split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .filter_map(|t| t.split("</w:t>").next())
                .collect::<String>()
        })
        .collect();
    assert!(texts
        .iter()
        .any(|t| t == "张店区行政审批服务局关于2025年第四季度政务服务评估工作的自查报告"));
    assert!(
        texts.iter().any(|t| t == "淄博市行政审批服务局："),
        "addressed to the city bureau"
    );
    for heading in [
        "一、工作开展情况",
        "二、主要指标完成情况",
        "三、存在的问题",
        "四、整改措施及下一步工作",
    ] {
        let p = doc
            .split("<w:p>")
            .find(|p| p.contains(&format!(">{heading}<")))
            .unwrap_or_else(|| panic!("{heading}"));
        assert!(
            p.contains("<w:pStyle w:val=\"Heading1\"/>"),
            "{heading} is a heading"
        );
    }
    let sentence = texts
        .iter()
        .find(|t| t.starts_with("张店区按期办结率为"))
        .unwrap();
    assert!(
        sentence.contains("居全市第") && sentence.contains("个百分点"),
        "{sentence}"
    );
    let images = (0..zip.len())
        .filter(|i| zip.by_index(*i).unwrap().name().starts_with("word/media/"))
        .count();
    assert_eq!(images, 5, "five charts embedded");
    assert_eq!(doc.matches("<a:blip r:embed=").count(), 5);
}

/// Loads report.html in headless Chromium from a file:// path: no network request, the
/// title and all eight districts in the page text, every chart drawn with a size. The
/// screenshot is kept in target/report-screenshot.png to look at.
#[test]
fn report_renders_offline_in_chromium() {
    let Some(browser_dir) = super::browser() else {
        return;
    };
    let (out, _) = run_in_temp(&["report", "sample-data", "--format", "html"]);
    let html = out.path().join("report.html");
    let shot = root().join("target/report-screenshot.png");
    let o = std::process::Command::new("node")
        .arg(browser_dir.join("report.mjs"))
        .arg(&html)
        .arg(&shot)
        .output()
        .expect("node");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let result: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let requests: Vec<&str> = result["requests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(requests.len(), 1, "only the document itself: {requests:?}");
    assert!(requests[0].starts_with("file://"), "{requests:?}");
    assert_eq!(
        result["title"],
        "淄博市2025年第四季度政务服务评估区县对比报告"
    );
    let page_text = result["text"].as_str().unwrap();
    for d in DISTRICTS {
        assert!(page_text.contains(d), "{d} not in the page text");
    }
    let charts = result["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 14);
    for c in charts {
        assert!(
            c[0].as_f64().unwrap() > 100.0 && c[1].as_f64().unwrap() > 50.0,
            "a chart rendered too small: {c}"
        );
    }
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "screenshot saved"
    );
    // Printed to A4, every table fits the page width: no column is cut off.
    let tables = result["tables"].as_array().unwrap();
    assert!(tables.len() >= 4, "{tables:?}");
    for t in tables {
        assert!(
            t["width"].as_f64().unwrap() <= t["room"].as_f64().unwrap() + 1.0,
            "table under «{}» is wider than an A4 page: {t}",
            t["heading"]
        );
    }
}

/// Two runs on the same input write byte-identical files: tables, charts and reports.
#[test]
fn two_runs_are_byte_identical() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for out in [&a, &b] {
        let o = pingjia(&[
            "report",
            "sample-data",
            "--region",
            "370303",
            "--out",
            out.path().to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let files = files_under(a.path());
    assert!(files.len() > 40, "{}", files.len());
    for f in files {
        let rel = f.strip_prefix(a.path()).unwrap();
        assert!(
            std::fs::read(&f).unwrap() == std::fs::read(b.path().join(rel)).unwrap(),
            "{} differs between runs",
            rel.display()
        );
    }
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let i = s.find(open)? + open.len();
    Some(&s[i..i + s[i..].find(close)?])
}

/// An attribute of a tag (` w:line="` does not match `w:lineRule`).
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    between(tag, &format!(" {name}=\""), "\"")
}

/// (line, lineRule) of the first `<w:spacing>` that sets `w:line` (lineRule defaults to auto).
fn line_spacing(ppr: &str) -> Option<(u64, String)> {
    ppr.split("<w:spacing").skip(1).find_map(|t| {
        let t = t.split("/>").next()?;
        Some((
            attr(t, "w:line")?.parse().ok()?,
            attr(t, "w:lineRule").unwrap_or("auto").to_owned(),
        ))
    })
}

/// A paragraph property looked up as Word does: the paragraph's own pPr, then its style
/// and the styles it is based on, then the document defaults.
fn resolve<T>(styles: &str, p: &str, get: impl Fn(&str) -> Option<T>) -> Option<T> {
    let ppr = between(p, "<w:pPr>", "</w:pPr>").unwrap_or("");
    if let Some(v) = get(ppr) {
        return Some(v);
    }
    let mut id = between(ppr, "<w:pStyle w:val=\"", "\"").unwrap_or("Normal");
    for _ in 0..8 {
        let Some(st) = between(styles, &format!("w:styleId=\"{id}\">"), "</w:style>") else {
            break;
        };
        if let Some(v) = between(st, "<w:pPr>", "</w:pPr>").and_then(&get) {
            return Some(v);
        }
        match between(st, "<w:basedOn w:val=\"", "\"") {
            Some(b) => id = b,
            None => break,
        }
    }
    between(styles, "<w:pPrDefault>", "</w:pPrDefault>").and_then(&get)
}

fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
    let mut s = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).unwrap(), &mut s).unwrap();
    s
}

/// The draft an analyst sends up (issue: sendable draft): every chart at full size in the
/// DOCX and in the PDF LibreOffice makes of it, a page number in the footer, the issuing
/// body and the date last. The PDF is kept in target/report-draft.pdf to look at.
#[test]
fn docx_draft_prints_charts_full_size_with_page_numbers_and_signature() {
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--format",
        "docx",
    ]);
    let path = out.path().join("自查报告-370303-2025Q4.docx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let doc = part(&mut zip, "word/document.xml");
    let styles = part(&mut zip, "word/styles.xml");

    // The 落款 is never alone on a page: the paragraph before its spacer keeps with it.
    let spacer = doc.find("<w:pStyle w:val=\"Signature\"/>").unwrap();
    let before = &doc[..doc[..spacer].rfind("<w:p>").unwrap()];
    let last = &before[before.rfind("<w:p>").unwrap()..];
    assert!(last.contains("<w:keepNext/>"), "{last}");

    // Every chart at least 8 cm tall, in a paragraph whose line spacing cannot clip it.
    const CM: u64 = 360_000; // EMU
    let pics: Vec<&str> = doc
        .split("<w:p>")
        .filter(|p| p.contains("<w:drawing>"))
        .collect();
    assert_eq!(pics.len(), 5);
    for p in &pics {
        let ext = between(p, "<wp:extent", "/>").unwrap();
        let cx: u64 = attr(ext, "cx").unwrap().parse().unwrap();
        let cy: u64 = attr(ext, "cy").unwrap().parse().unwrap();
        assert!(
            cx <= 5_615_940,
            "width {cx} EMU: within the 15.6 cm text width"
        );
        assert!(cy >= 8 * CM, "height {cy} EMU: at least 8 cm");
        let (line, rule) = resolve(&styles, p, line_spacing).unwrap_or((240, "auto".into()));
        // Exact spacing clips a picture to the line (ECMA-376 17.3.1.33); 1 twip = 635 EMU.
        assert!(
            rule != "exact" || line * 635 >= cy,
            "picture paragraph has exact {line} twips < image {cy} EMU"
        );
        assert!(
            resolve(&styles, p, |x| x.contains("<w:keepNext/>").then_some(())).is_some(),
            "a figure is kept with its caption"
        );
    }

    // The footer carries a PAGE field.
    let rels = part(&mut zip, "word/_rels/document.xml.rels");
    let sect = doc.rsplit("<w:sectPr>").next().unwrap();
    let fref = between(sect, "<w:footerReference", "/>").expect("sectPr references a footer");
    let rel = between(
        &rels,
        &format!("Id=\"{}\"", attr(fref, "r:id").unwrap()),
        "/>",
    )
    .unwrap();
    assert!(rel.contains("/relationships/footer\""), "{rel}");
    let footer = part(&mut zip, &format!("word/{}", attr(rel, "Target").unwrap()));
    let simple = footer
        .split("w:instr=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next());
    let complex = footer
        .split("<w:instrText")
        .skip(1)
        .filter_map(|s| between(s, ">", "</w:instrText>"));
    assert!(
        simple
            .chain(complex)
            .any(|i| i.split_whitespace().next() == Some("PAGE")),
        "no PAGE field: {footer}"
    );

    // The last paragraphs: the issuing body and the date (as-of), right-aligned.
    let para_text = |p: &str| {
        p.split("<w:t xml:space=\"preserve\">")
            .skip(1)
            .filter_map(|t| t.split("</w:t>").next())
            .collect::<String>()
    };
    let filled: Vec<&str> = doc
        .split("<w:p>")
        .skip(1)
        .filter(|p| !para_text(p).trim().is_empty())
        .collect();
    let [.., issuer, date] = filled.as_slice() else {
        panic!("too few paragraphs")
    };
    assert_eq!(para_text(issuer), "张店区行政审批服务局");
    assert_eq!(para_text(date), "2025年12月31日", "the data's as-of date");
    for p in [issuer, date] {
        assert_eq!(
            resolve(&styles, p, |x| between(x, "<w:jc w:val=\"", "\"")
                .map(str::to_owned))
            .as_deref(),
            Some("right")
        );
    }

    // As a user opens it: LibreOffice's PDF has five pictures, each placed at least 8 cm
    // tall, and above every caption 图N the page keeps at least 8 cm free of text — the
    // picture's room (a clipped strip would leave a caption right under the text).
    let Some(soffice) = soffice() else { return };
    let pdf = root().join("target/report-draft.pdf");
    convert(soffice, &path, &pdf, "pdf");
    let o = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&pdf)
        .output()
        .expect("pdfimages (poppler-utils, installed by .ci/run)");
    let listing = text(&o.stdout);
    let heights: Vec<f64> = listing
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|f| f.len() > 13 && f[2] == "image")
        .map(|f| f[4].parse::<f64>().unwrap() / f[13].parse::<f64>().unwrap() * 2.54)
        .collect();
    assert_eq!(heights.len(), 5, "{listing}");
    for h in &heights {
        assert!(*h >= 7.9, "a chart printed {h:.1} cm tall:\n{listing}");
    }
    let o = std::process::Command::new("pdftotext")
        .args(["-bbox"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let bbox = text(&o.stdout);
    let mut captions = 0;
    for page in bbox.split("<page ").skip(1) {
        let words: Vec<(f64, f64, &str)> = page
            .split("<word ")
            .skip(1)
            .filter_map(|w| {
                let y_min = attr(&format!(" {w}"), "yMin")?.parse().ok()?;
                let y_max = attr(&format!(" {w}"), "yMax")?.parse().ok()?;
                Some((y_min, y_max, between(w, ">", "</word>")?))
            })
            .collect();
        for (top, _, word) in &words {
            // 图 alone or 图1: LibreOffice sets the caption's number apart.
            let caption = *word == "图"
                || word
                    .strip_prefix('图')
                    .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_digit()));
            if !caption {
                continue;
            }
            captions += 1;
            let above = words
                .iter()
                .map(|w| w.1)
                .filter(|y| y < top)
                .fold(56.7, f64::max); // the 2 cm top margin when nothing is above
            assert!(
                top - above >= 8.0 / 2.54 * 72.0,
                "only {:.1} cm above the caption {word}: the chart is clipped",
                (top - above) / 72.0 * 2.54
            );
        }
    }
    assert_eq!(captions, 5, "five figure captions in the PDF");
}

/// Text a reader sees in a Markdown report: without the image link targets (file names).
fn md_text(md: &str) -> String {
    md.split("](")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part
            } else {
                part.split_once(')').map_or("", |x| x.1)
            }
        })
        .collect()
}

/// Text of a DOCX body: its runs.
fn docx_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    part(&mut zip, "word/document.xml")
        .split("<w:t xml:space=\"preserve\">")
        .skip(1)
        .filter_map(|t| t.split("</w:t>").next())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sendable draft (issue: sendable draft), on sample-data: problems named by district,
/// department and matter; pending 差评 apart from the failures; the same ranks, ties
/// included, in comparison.csv, the sentences and the chart; and no machine tells.
#[test]
fn drafts_name_who_and_speak_as_reports_do() {
    let (city, _) = run_in_temp(&["report", "sample-data"]);
    let (district, _) = run_in_temp(&["report", "sample-data", "--region", "370303"]);
    let city_md = std::fs::read_to_string(city.path().join("report.md")).unwrap();
    let md = std::fs::read_to_string(district.path().join("report.md")).unwrap();
    let section = |md: &str, heading: &str| -> String {
        md.split("\n## ")
            .find(|s| s.starts_with(heading))
            .unwrap_or_else(|| panic!("no section {heading}"))
            .to_owned()
    };

    // The city's 三、存在的问题 carries the catalogue finding seed 004 writes by hand.
    let problems = section(&city_md, "三、存在的问题");
    assert!(
        problems.contains("沂源县水利局「取水许可」法定办结时限880天，其他区县同一事项为40天"),
        "{problems}"
    );
    // Departments in the order the matters are listed (by district), so the three a
    // cut list shows are those of the matters it shows.
    assert!(
        problems.contains(
            "涉及淄川区公安局、淄川区市场监管局、张店区公安局等18个部门：淄川区公安局「犬只登记」"
        ),
        "{problems}"
    );
    // Case findings say whose cases they are.
    assert!(
        problems.contains("”32件（")
            && problems.contains("均为桓台县生态环境局「建设项目环境影响报告表审批」"),
        "{problems}"
    );
    // One catalogue measure for all the catalogue findings, naming all their departments:
    // 临淄区烟草专卖局 (承诺超法定), 桓台县生态环境局 (即办标记), 淄川区市场监管局 (四级仍跑动),
    // the eight districts' 教育局 (单位不一致) and 沂源县水利局 (880天): 12.
    let measures = section(&city_md, "四、整改措施及下一步工作");
    assert_eq!(
        measures.matches("规范事项目录要素").count(),
        1,
        "{measures}"
    );
    assert!(
        measures.contains("组织临淄区烟草专卖局、桓台县生态环境局、淄川区市场监管局等12个部门"),
        "{measures}"
    );

    // The district's names the departments of its overdue cases, with the counts the
    // 超期办件清单 gives (counted here from that list, not from the draft).
    let problems = section(&md, "三、存在的问题");
    let list = std::fs::read_to_string(district.path().join("tables/overdue_cases.csv")).unwrap();
    let list = list.trim_start_matches('\u{feff}');
    let header: Vec<&str> = list.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut by_department: std::collections::BTreeMap<&str, usize> = Default::default();
    for line in list.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f[at("类型")] == "超期未办结"
            && f[at("季度")] == "2025年第四季度"
            && f[at("行政区划代码")] == "370303"
        {
            *by_department.entry(f[at("受理部门")]).or_default() += 1;
        }
    }
    let total: usize = by_department.values().sum();
    let (top, n) = by_department.iter().max_by_key(|(_, n)| **n).unwrap();
    assert!(
        problems.contains(&format!("超期未办结{total}件，其中{top}{n}件")),
        "{top} {n} of {total}: {problems}"
    );

    // The district's 数据质量 table counts the district's own rows: 张店区 has one matter
    // whose limits use two units (awk over sample-data/matters.csv), not the city's 8.
    let quality = section(&md, "附表二");
    assert!(
        quality.contains("| 法定与承诺时限单位不一致 | 1 |"),
        "{quality}"
    );

    // The catalogue's own numbers, with their units (sample-data/matters.csv, 370303
    // 民办学校设立审批: 法定90 自然日, 承诺60 工作日).
    assert!(
        problems.contains("教育局「民办学校设立审批」（法定90个自然日、承诺60个工作日）"),
        "{problems}"
    );

    // 张店区's one unrevisited real-name 差评 was rated an hour before the as-of time: still
    // inside its limit, it is owed neither 整改 nor 回访 yet, and no measure asks for them.
    let measures = section(&md, "四、整改措施及下一步工作");
    assert!(!problems.contains("未回访"), "{problems}");
    assert!(
        !measures.contains("到期未整改") && !measures.contains("实名差评回访。"),
        "{measures}"
    );

    // Pending 差评 are said apart, and do not make the rectification rate miss.
    assert!(problems.contains("1条差评尚在整改期限内"), "{problems}");
    let main = section(&md, "二、主要指标完成情况");
    let rectification = main
        .lines()
        .find(|l| l.starts_with("张店区差评整改率为"))
        .unwrap();
    assert!(
        rectification.contains("达到100%的目标")
            && rectification.contains("居全市并列第1位（4个有到期差评的区县）"),
        "{rectification}"
    );

    // Ties: 淄川区 and 沂源县 share 1st place in 按期办结率, so 张店区 is 3rd — in the
    // comparison table, the sentence and the chart alike.
    let comparison =
        std::fs::read_to_string(district.path().join("tables/comparison.csv")).unwrap();
    let header: Vec<&str> = comparison.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let rank = |key: &str, id: &str| -> (String, String) {
        let f: Vec<&str> = comparison
            .lines()
            .find(|l| {
                l.starts_with(&format!("2025Q4,region,{key},")) && l.contains(&format!(",{id},"))
            })
            .unwrap()
            .split(',')
            .collect();
        (f[at("rank")].to_owned(), f[at("rank_of")].to_owned())
    };
    assert_eq!(rank("370302", "on_time_rate").0, "1");
    assert_eq!(rank("370323", "on_time_rate").0, "1");
    assert_eq!(rank("370303", "on_time_rate"), ("3".into(), "8".into()));
    assert_eq!(
        rank("370303", "rectification_rate"),
        ("1".into(), "4".into())
    );
    let on_time = main
        .lines()
        .find(|l| l.starts_with("张店区按期办结率为"))
        .unwrap();
    assert!(on_time.contains("居全市第3位，"), "{on_time}");
    let svg =
        std::fs::read_to_string(district.path().join("charts/ranking_on_time_rate.svg")).unwrap();
    for label in ["1  淄川区", "1  沂源县", "3  张店区"] {
        assert!(
            svg.contains(&format!(">\n{label}\n<")) || svg.contains(&format!(">{label}<")),
            "{label} not a chart label"
        );
    }

    // No machine tells in what a reader sees: no SPEC, no 100.00%, no indicator id.
    let ids: Vec<String> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.ok()?.path()).ok()?;
            Some(
                text.lines()
                    .find_map(|l| l.strip_prefix("-- id:"))?
                    .trim()
                    .to_owned(),
            )
        })
        .collect();
    assert!(ids.len() > 25);
    let texts = [
        ("city report.md", md_text(&city_md)),
        ("district report.md", md_text(&md)),
        (
            "city report.html",
            std::fs::read_to_string(city.path().join("report.html")).unwrap(),
        ),
        (
            "city report.docx",
            docx_text(&city.path().join("report.docx")),
        ),
        (
            "district draft",
            docx_text(&district.path().join("自查报告-370303-2025Q4.docx")),
        ),
    ];
    for (name, text) in &texts {
        for tell in ["SPEC", "100.00%", "2025Q4", "Q1—"]
            .iter()
            .copied()
            .chain(ids.iter().map(String::as_str))
        {
            assert!(!text.contains(tell), "{name} contains «{tell}»");
        }
    }
}

/// The workbook as an analyst prints and filters it (issue: sendable draft): every table
/// sheet on A4 landscape fitted to the width with its header row repeated, header row
/// and name column frozen, an autofilter; native charts; the two lists for the report
/// quarter in Chinese, names beside codes; no English audit ids.
#[test]
fn workbook_prints_filters_and_speaks_chinese() {
    use calamine::{open_workbook, Reader, Xlsx};
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--format",
        "xlsx",
    ]);
    let path = out.path().join("report.xlsx");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let workbook = part(&mut zip, "xl/workbook.xml");
    let names: Vec<&str> = workbook
        .split("<sheet ")
        .skip(1)
        .filter_map(|s| between(s, "name=\"", "\""))
        .collect();
    for (i, name) in names.iter().enumerate() {
        let sheet = part(&mut zip, &format!("xl/worksheets/sheet{}.xml", i + 1));
        let setup =
            between(&sheet, "<pageSetup", "/>").unwrap_or_else(|| panic!("{name}: no page setup"));
        assert_eq!(attr(setup, "paperSize"), Some("9"), "{name}: A4");
        assert_eq!(attr(setup, "orientation"), Some("landscape"), "{name}");
        assert_eq!(
            attr(setup, "fitToHeight"),
            Some("0"),
            "{name}: fitted to the width only"
        );
        assert!(
            sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
            "{name}: fit to page"
        );
        assert!(
            sheet.contains("&amp;P"),
            "{name}: page numbers in the footer"
        );
        if *name == "图表" {
            assert!(sheet.contains("<drawing "), "图表 holds the charts");
            // Six indicators have charts (queries/*.sql `chart:`): each starts a page, so
            // a page break never cuts a chart.
            assert!(
                sheet.contains("<rowBreaks count=\"5\" manualBreakCount=\"5\">"),
                "图表: one printed page per indicator"
            );
            continue;
        }
        let pane =
            between(&sheet, "<pane", "/>").unwrap_or_else(|| panic!("{name}: nothing frozen"));
        assert_eq!(attr(pane, "ySplit"), Some("1"), "{name}: header row frozen");
        assert!(
            attr(pane, "xSplit").is_some_and(|x| x != "0"),
            "{name}: name column frozen"
        );
        assert!(
            sheet.contains("<autoFilter ref=\"A1:"),
            "{name}: autofilter"
        );
        assert!(
            workbook.contains(&format!(
                "Print_Titles\" localSheetId=\"{i}\">{name}!$1:$1<"
            )),
            "{name}: header row printed on every page"
        );
    }
    let charts = (0..zip.len())
        .filter(|i| {
            zip.by_index(*i)
                .unwrap()
                .name()
                .starts_with("xl/charts/chart")
        })
        .count();
    assert!(charts >= 10, "native ranking and trend charts: {charts}");
    let images = (0..zip.len())
        .filter(|i| zip.by_index(*i).unwrap().name().starts_with("xl/media/"))
        .count();
    assert_eq!(images, 0, "no charts pasted in as pictures");

    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    let ledger = wb.worksheet_range("差评台账").unwrap();
    let rows: Vec<Vec<String>> = ledger
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let col = |h: &str| {
        rows[0]
            .iter()
            .position(|x| x == h)
            .unwrap_or_else(|| panic!("no column {h}: {:?}", rows[0]))
    };
    assert!(rows.len() > 1);
    for r in &rows[1..] {
        assert_eq!(r[col("季度")], "2025年第四季度", "the report quarter only");
        assert_eq!(r[col("区县")], "张店区", "the name beside the code");
        assert_eq!(r[col("评价渠道")], "评价器", "{r:?}");
        assert!(["是", "否"].contains(&r[col("是否实名")].as_str()), "{r:?}");
        assert!(
            !r[col("评价时间")].contains(".000") && !r[col("评价时间")].contains('T'),
            "{r:?}"
        );
    }
    let quality = wb.worksheet_range("数据质量").unwrap();
    for r in quality.rows() {
        for c in r {
            let t = c.to_string();
            assert!(
                !t.contains('_') || t.contains("quarantine/"),
                "an internal id in 数据质量: {t}"
            );
        }
    }
    let overdue = wb.worksheet_range("超期办件清单").unwrap();
    let header = first_row(&overdue);
    assert!(
        header.iter().all(|h| !h.is_ascii()),
        "Chinese headers: {header:?}"
    );
}

/// Chart titles travel as data and each format escapes them once: a name with `&` and
/// `<>` (a user's --regions file may hold one) reads the same in HTML and Markdown.
#[test]
fn chart_titles_are_escaped_once() {
    let dir = tempfile::tempdir().unwrap();
    let regions = dir.path().join("regions.csv");
    std::fs::write(
        &regions,
        "region_code,region_name\n370300,淄博市<高新>&经开\n",
    )
    .unwrap();
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--regions",
        regions.to_str().unwrap(),
        "--format",
        "html,md",
    ]);
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap();
    assert!(
        html.contains("<figcaption>淄博市&lt;高新&gt;&amp;经开各区县按期办结率走势"),
        "the trend's caption, escaped once"
    );
    assert!(!html.contains("&amp;amp;") && !html.contains("&amp;lt;"));
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    let caption = md
        .lines()
        .find(|l| l.contains("各区县按期办结率走势"))
        .unwrap();
    // Markdown writes the characters as entities, once (a viewer shows 淄博市<高新>&经开).
    assert!(
        caption.contains("![淄博市&lt;高新&gt;&amp;经开各区县") && !caption.contains("&amp;amp;"),
        "{caption}"
    );
}

/// tests/fixtures/pending-rectification/README.md by hand: of the four due real-name 差评,
/// R2 and R6 were neither rectified nor revisited — two problems, two measures.
#[test]
fn rectification_and_revisit_are_problems_and_measures_of_their_own() {
    let data = root().join("tests/fixtures/pending-rectification");
    let (out, _) = run_in_temp(&[
        "report",
        data.to_str().unwrap(),
        "--ignore",
        "README.md",
        "--region",
        "370303",
        "--format",
        "md",
    ]);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    for said in [
        "差评整改率为50%，未达到100%的目标：到期未整改差评2条",
        "实名差评回访率为50%，未达到100%的目标：未回访实名差评2条",
        "另有1条差评尚在整改期限内",
        "落实差评整改和回访。督促市场监管局",
        "做好实名差评回访。督促市场监管局",
    ] {
        assert!(md.contains(said), "«{said}» not in:\n{md}");
    }
}

/// A target the user sets on an indicator that names no failure (即办件率 here): the
/// draft says it is missed and asks to raise it, without naming every department that
/// has cases or a "还差" of a quantity that is no count.
#[test]
fn a_user_target_without_a_failure_word_is_a_measure_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let scheme = dir.path().join("scheme.toml");
    let bundled = std::fs::read_to_string(root().join("schemes/default.toml")).unwrap();
    std::fs::write(
        &scheme,
        format!("{bundled}\n[targets]\ninstant_case_rate = 0.6\ntime_compression_rate = 0.7\n"),
    )
    .unwrap();
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--region",
        "370303",
        "--scheme",
        scheme.to_str().unwrap(),
        "--format",
        "md",
    ]);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(md.contains("即办件率为51.62%，未达到60%的目标。"), "{md}");
    assert!(md.contains("是提升即办件率。"), "{md}");
    assert!(
        !md.contains("规范办件数据录入"),
        "no case-records measure: {md}"
    );
    assert!(!md.contains("还差"), "{md}");
}

/// A worksheet's first row as text.
fn first_row(sheet: &calamine::Range<calamine::Data>) -> Vec<String> {
    sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// A new indicator reaches the reports from its file alone: `headline` puts it in 二 and
/// table 1, `chart: ranking` draws its ranking, `draft: ranking` puts that in the DOCX,
/// `kind: rate` shows its change in 百分点 — no Rust change, no rebuild.
#[test]
fn a_new_indicator_file_reaches_every_part_of_the_report() {
    let queries = tempfile::tempdir().unwrap();
    std::fs::write(
        queries.path().join("window_case_rate.sql"),
        "-- id: window_case_rate\n-- name: 窗口办件率\n-- unit: %\n-- kind: rate\n\
         -- chart: ranking\n-- draft: ranking\n-- better: lower\n-- headline: 9\n\
         -- 口径: 本季度受理办件中经窗口申办的比例。\n\
         SELECT SUM(CASE WHEN channel = 'window' THEN 1 ELSE 0 END) AS numerator, COUNT(*) AS denominator\n\
         FROM accepted_cases\n",
    )
    .unwrap();
    let q = queries.path().to_str().unwrap();
    let (out, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--queries",
        q,
        "--region",
        "370303",
        "--format",
        "md,docx",
    ]);
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    assert!(
        md.contains("![2025年第四季度各区县窗口办件率排名](charts/ranking_window_case_rate.png)"),
        "its ranking chart"
    );
    assert!(
        !md.contains("trend_window_case_rate"),
        "no trend: the file did not ask for one"
    );
    assert!(out
        .path()
        .join("charts/ranking_window_case_rate.png")
        .exists());
    let table_row = md
        .lines()
        .find(|l| l.starts_with("| 窗口办件率 |"))
        .unwrap_or_else(|| panic!("a row in table 1:\n{md}"));
    assert!(table_row.contains('%'), "{table_row}");
    let sentence = md
        .lines()
        .find(|l| l.contains("窗口办件率为"))
        .unwrap_or_else(|| panic!("a sentence in 二:\n{md}"));
    assert!(
        // In 百分点 because its kind is rate (持平 would say nothing of the kind; on
        // sample-data the share moves every quarter).
        sentence.contains("个百分点"),
        "{sentence}"
    );
    let docx = docx_text(&out.path().join("自查报告-370303-2025Q4.docx"));
    assert!(
        docx.contains("各区县窗口办件率排名"),
        "its chart in the draft"
    );
}
