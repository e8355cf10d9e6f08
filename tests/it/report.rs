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
    assert_eq!(html.matches("<svg").count(), 15, "every chart inlined");
    let md = std::fs::read_to_string(out.path().join("report.md")).unwrap();
    for heading in [
        "## 一、总体情况",
        "## 二、主要指标完成情况",
        "## 三、存在的问题",
        "## 四、下一步工作",
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
    // The sentence structure of SPEC §7, with the comparison's own rank and change.
    let line = md
        .lines()
        .find(|l| l.starts_with("张店区按期办结率为"))
        .unwrap();
    assert!(
        line.contains("较上季度") && line.contains("居全市第") && line.ends_with('。'),
        "{line}"
    );
    assert!(
        md.contains("居全市8个区县第"),
        "composite rank among the 8 districts"
    );
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
            "数据质量",
            "超期办件清单",
            "差评台账"
        ]
    );

    // 区县对比: 张店区's 按期办结率 equals the comparison table's value.
    let sheet = wb.worksheet_range("区县对比").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
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
    let expected: f64 = comparison
        .lines()
        .find(|l| l.starts_with("2025Q4,region,370303,张店区,on_time_rate,"))
        .unwrap()
        .split(',')
        .nth(7)
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
        "一、总体情况",
        "二、主要指标完成情况",
        "三、存在的问题",
        "四、下一步工作",
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
    let browser_dir = root().join("tests/browser");
    let ready = browser_dir.join("node_modules/playwright-core").is_dir()
        && Path::new("/usr/bin/chromium").exists();
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium and tests/browser (see .ci/run)"
        );
        eprintln!(
            "skipped: run `apt-get install chromium` and `npm install` in tests/browser to enable"
        );
        return;
    }
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
    assert_eq!(charts.len(), 15);
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
