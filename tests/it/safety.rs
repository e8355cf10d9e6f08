//! Safe outputs: an interrupted run leaves no partial file under a final name, and
//! personal data fed in never comes out — in any file (decompressed and decoded), on
//! stdout or on stderr.

use std::collections::BTreeMap;
use std::io::Read;
use std::time::{Duration, Instant};

use super::*;

/// Kills `pingjia report` at several points of its run; every file it left under its
/// final name must equal the same file of a complete run byte for byte (outputs are
/// deterministic), and temporaries are recognisable as `*.partial*`.
#[test]
fn a_killed_report_leaves_no_partial_output() {
    let started = Instant::now();
    let (reference, _) = run_in_temp(&["report", "sample-data"]);
    let full = started.elapsed();
    let expected: BTreeMap<PathBuf, Vec<u8>> = files_under(reference.path())
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(&f).unwrap();
            (f.strip_prefix(reference.path()).unwrap().to_owned(), bytes)
        })
        .collect();
    let mut interrupted = 0;
    for step in 1..=8u32 {
        let out = tempfile::tempdir().unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pingjia"))
            .args([
                "report",
                "sample-data",
                "--out",
                out.path().to_str().unwrap(),
            ])
            .current_dir(root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(
            full.mul_f64(step as f64 / 9.0)
                .max(Duration::from_millis(20)),
        );
        let _ = child.kill(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        let left = files_under(out.path());
        let finals: Vec<&PathBuf> = left
            .iter()
            .filter(|f| {
                !f.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .contains(".partial")
            })
            .collect();
        if finals.len() < expected.len() {
            interrupted += 1;
        }
        for f in finals {
            let rel = f.strip_prefix(out.path()).unwrap();
            let want = expected
                .get(rel)
                .unwrap_or_else(|| panic!("{} is not an output of a complete run", rel.display()));
            assert!(
                &std::fs::read(f).unwrap() == want,
                "kill after {step}/9 of the run: {} is partial",
                rel.display()
            );
        }
    }
    assert!(
        interrupted > 0,
        "no kill landed mid-run; the test proved nothing"
    );
}

/// Distinct fake names of the personal-data test, and their rows.
const SURNAMES: [&str; 4] = ["诸葛", "欧阳", "司马", "慕容"];
const GIVEN: [&str; 4] = ["孔明", "修文", "懿之", "雪晴"];

fn fake_person(i: usize) -> [String; 4] {
    [
        format!("{}{}", SURNAMES[i % 4], GIVEN[i / 4 % 4]),
        format!("3703031990{:08}", i),
        format!("139{:08}", i),
        format!("山东省淄博市张店区人民路{i}号"),
    ]
}

/// Text of an output file as a reader would see it: zip parts decompressed, Parquet
/// and Arrow decoded to CSV.
fn readable(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "docx" => {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            let mut text = String::new();
            for i in 0..zip.len() {
                let mut entry = zip.by_index(i).unwrap();
                let mut part = Vec::new();
                entry.read_to_end(&mut part).unwrap();
                text += &String::from_utf8_lossy(&part);
            }
            text
        }
        "parquet" | "arrow" => {
            use polars::prelude::*;
            let file = std::fs::File::open(path).unwrap();
            let mut df = if ext == "parquet" {
                ParquetReader::new(file).finish().unwrap()
            } else {
                IpcReader::new(file).finish().unwrap()
            };
            let mut out = Vec::new();
            CsvWriter::new(&mut out).finish(&mut df).unwrap();
            String::from_utf8_lossy(&out).into_owned()
        }
        _ => String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Runs of 11 or more digits: the shape of ID and phone numbers.
fn long_digit_runs(text: &str) -> std::collections::HashSet<String> {
    text.split(|c: char| !c.is_ascii_digit())
        .filter(|s| s.len() >= 11)
        .map(str::to_owned)
        .collect()
}

#[test]
fn personal_data_never_reaches_any_output_log_or_quarantine() {
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("sample-data/matters.csv"),
        data.path().join("matters.csv"),
    )
    .unwrap();
    std::fs::copy(
        root().join("sample-data/ratings.csv"),
        data.path().join("ratings.csv"),
    )
    .unwrap();
    // Every case carries 姓名/身份证号/手机号/联系地址; the last three rows are broken so
    // that they land in quarantine with their personal data.
    let sample = std::fs::read_to_string(root().join("sample-data/cases.csv")).unwrap();
    let mut lines = sample.trim_start_matches('\u{feff}').lines();
    let mut cases = format!(
        "{},申请人姓名,身份证号,手机号,联系地址\n",
        lines.next().unwrap()
    );
    let mut people = Vec::new();
    for (i, line) in lines.enumerate() {
        let p = fake_person(i);
        cases += &format!("{line},{}\n", p.join(","));
        people.push(p);
    }
    for (i, broken) in ["2025-13-45 10:00:00", "昨天", ""].iter().enumerate() {
        let p = fake_person(people.len());
        cases += &format!(
            "BROKEN{i},370000000101,370303,市场监管局,窗口,即办件,{broken},,在办,,0,1,{}\n",
            p.join(",")
        );
        people.push(p);
    }
    std::fs::write(data.path().join("cases.csv"), cases).unwrap();

    let d = data.path().to_str().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", d],
        vec!["indicators", d],
        vec!["audit", d],
        vec!["compare", d],
        vec!["charts", d],
        vec!["report", d, "--format", "html,xlsx,docx,md"],
        vec!["report", d, "--region", "370303"],
    ];
    let mut seen = String::new();
    let mut outputs = Vec::new();
    for args in &runs {
        let (out, o) = run_in_temp(args);
        seen += &text(&o.stdout);
        seen += &text(&o.stderr);
        for f in files_under(out.path()) {
            seen += &readable(&f);
        }
        outputs.push(out);
    }
    let o = pingjia(&["query", d, "SELECT * FROM accepted_cases LIMIT 20"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    seen += &text(&o.stdout);
    seen += &text(&o.stderr);

    assert!(
        seen.len() > 1_000_000,
        "the outputs were read: {} bytes",
        seen.len()
    );
    let digits = long_digit_runs(&seen);
    for p in &people {
        assert!(!digits.contains(&p[1]), "ID number {} leaked", p[1]);
        assert!(!digits.contains(&p[2]), "phone {} leaked", p[2]);
    }
    for s in SURNAMES {
        for g in GIVEN {
            assert!(!seen.contains(&format!("{s}{g}")), "name {s}{g} leaked");
        }
    }
    assert!(!seen.contains("人民路"), "an address leaked");
    // The quarantined rows are there, masked.
    assert!(seen.contains("370***********"), "masked ID in quarantine");
    assert!(seen.contains("139****"), "masked phone in quarantine");
}

/// A district named `<script>…` and a matter named `=HYPERLINK(…)`: HTML, Markdown,
/// SVG and DOCX show them as text, CSV neutralises the formula, XLSX stores strings.
#[test]
fn user_text_is_escaped_and_formulas_neutralised() {
    let data = tempfile::tempdir().unwrap();
    for t in ["cases", "ratings"] {
        std::fs::copy(
            root().join(format!("sample-data/{t}.csv")),
            data.path().join(format!("{t}.csv")),
        )
        .unwrap();
    }
    let matters = std::fs::read_to_string(root().join("sample-data/matters.csv")).unwrap();
    let formula = r#"=HYPERLINK("http://evil.example";"点我")"#;
    let matters = matters.replace(
        "370323,370000001001,取水许可,",
        &format!("370323,370000001001,\"{}\",", formula.replace('"', "\"\"")),
    );
    assert!(matters.contains("HYPERLINK"));
    std::fs::write(data.path().join("matters.csv"), matters).unwrap();
    let regions = data.path().join("regions.txt");
    std::fs::write(
        &regions,
        "region_code,region_name\n370323,<script>alert(1)</script>沂源县\n",
    )
    .unwrap();
    let (out, _) = run_in_temp(&[
        "report",
        data.path().to_str().unwrap(),
        "--regions",
        regions.to_str().unwrap(),
    ]);
    let out = out.path();
    let script = "<script>alert(1)";
    for f in files_under(out) {
        let ext = f.extension().unwrap().to_string_lossy().into_owned();
        if ["html", "md", "svg", "docx", "xlsx"].contains(&ext.as_str()) {
            assert!(
                !readable(&f).contains(script),
                "{} holds a live <script>",
                f.display()
            );
        }
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;沂源县"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;沂源县"));
    // The 880-day outlier of 沂源县 is this matter: its name is listed, neutralised.
    let outlier =
        std::fs::read_to_string(out.join("tables/audits/legal_days_outlier.csv")).unwrap();
    assert!(
        outlier.contains(r#"370323,370000001001,"'=HYPERLINK(""http://evil.example"";""点我"")""#),
        "{outlier}"
    );
    let xlsx = readable(&out.join("report.xlsx"));
    assert!(
        !xlsx.contains("<f>"),
        "no formula cells at all in the workbook"
    );
}
