//! The dashboard in a real browser (tests/browser/dashboard.mjs drives Debian's Chromium
//! through playwright-core): offline, the ranking of the quarter and indicator chosen in
//! its selectors equal to tables/comparison.csv, the drill-down to a district's
//! departments and a department's matters, the view restored from the URL, and the
//! Chinese text drawn on a machine with no CJK font. Screenshots stay in
//! target/dashboard/ to look at.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{csv_rows, root, run_in_temp, text};

/// Runs the browser script on a page; its JSON report.
fn drive(
    page: &Path,
    shots: &Path,
    fontconfig: Option<&Path>,
    choose: &[&str],
) -> serde_json::Value {
    std::fs::create_dir_all(shots).unwrap();
    let mut node = std::process::Command::new("node");
    node.arg(root().join("tests/browser/dashboard.mjs"))
        .arg(page)
        .arg(shots)
        .args(choose);
    if let Some(conf) = fontconfig {
        node.env("FONTCONFIG_FILE", conf);
    }
    let o = node.output().expect("node");
    assert!(o.status.success(), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn shots(name: &str) -> PathBuf {
    root().join("target/dashboard").join(name)
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap_or("").to_owned())
        .collect()
}

#[test]
fn dashboard_ranks_drills_down_and_keeps_its_view_offline() {
    if super::browser().is_none() {
        return;
    }
    let (out, _) = run_in_temp(&["report", "sample-data", "--format", "dashboard"]);
    let page = out.path().join("dashboard.html");
    // Another indicator than the one the page opens on, so the selector must work.
    let seen = drive(
        &page,
        &shots("sample"),
        None,
        &["2025年第四季度", "即办件率"],
    );

    // Nothing but the page itself, loaded twice (the reload).
    let requests = strings(&seen["requests"]);
    let own = format!("file://{}", page.display());
    assert!(
        !requests.is_empty() && requests.iter().all(|r| *r == own),
        "{requests:?}"
    );
    assert!(
        seen["errors"].as_array().unwrap().is_empty(),
        "{}",
        seen["errors"]
    );
    assert_eq!(
        seen["chosen"]["heading"],
        "2025年第四季度各区县即办件率排名"
    );

    // The ranking: every district's value (exactly), its words and its rank are those
    // of tables/comparison.csv; the last row is the city's.
    let comparison = csv_rows(&out.path().join("tables/comparison.csv"));
    let expected: Vec<_> = comparison
        .iter()
        .filter(|r| {
            r["quarter"] == "2025Q4"
                && r["level"] == "region"
                && r["indicator"] == "instant_case_rate"
        })
        .collect();
    assert_eq!(expected.len(), 8);
    let ranking = seen["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 9, "eight districts and the city");
    for want in &expected {
        let got = ranking
            .iter()
            .find(|r| r["key"] == want["key"].as_str())
            .unwrap_or_else(|| panic!("{} not in the ranking", want["name"]));
        let cells = strings(&got["cells"]);
        let value: f64 = want["value"].parse().unwrap();
        assert_eq!(cells[0], want["name"]);
        assert_eq!(
            cells[1],
            format!("{}/{}", want["rank"], want["rank_of"]),
            "{}",
            want["name"]
        );
        assert_eq!(
            cells[2],
            pingjia::format::value(value, "%"),
            "{}",
            want["name"]
        );
        let shown: f64 = got["values"][2].as_str().unwrap().parse().unwrap();
        assert_eq!(
            shown, value,
            "{}: the page's value is the table's",
            want["name"]
        );
        let qoq: f64 = want["qoq_change"].parse().unwrap();
        assert_eq!(cells[3], pingjia::format::change(qoq, true));
    }
    let city = ranking.last().unwrap();
    let parent: f64 = expected[0]["parent_value"].parse().unwrap();
    assert_eq!(
        strings(&city["cells"])[2],
        pingjia::format::value(parent, "%")
    );
    // Sorted by rank.
    let ranks: Vec<u32> = ranking[..8]
        .iter()
        .map(|r| {
            strings(&r["cells"])[1]
                .split('/')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");

    // Sorted by the value column on a click of its header: largest first, the city last.
    let sorted: Vec<f64> = seen["sorted"].as_array().unwrap()[..8]
        .iter()
        .map(|r| r["values"][2].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(sorted.windows(2).all(|w| w[0] >= w[1]), "{sorted:?}");
    assert!(sorted.first() > sorted.last(), "{sorted:?}");
    assert_eq!(
        seen["sorted"][8]["key"],
        serde_json::Value::Null,
        "the city stays last"
    );

    // A click on a district shows its departments: those of the indicator table.
    let district = seen["district"]
        .as_str()
        .expect("a district opened")
        .to_owned();
    let indicators = csv_rows(&out.path().join("tables/indicators.csv"));
    let departments: BTreeSet<String> = indicators
        .iter()
        .filter(|r| {
            r["quarter"] == "2025Q4"
                && r["level"] == "department"
                && r["key"].starts_with(&format!("{district}/"))
                && r["indicator"] == "case_volume"
        })
        .map(|r| r["name"].clone())
        .collect();
    let shown: BTreeSet<String> = seen["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| strings(&r["cells"])[0].clone())
        .collect();
    assert!(!departments.is_empty());
    assert_eq!(shown, departments);
    // …and a department its matters.
    assert!(!seen["matters"].as_array().unwrap().is_empty());

    // The URL opens the same view: quarter, indicator, district, department.
    let (before, after) = (&seen["before"], &seen["after"]);
    assert_eq!(before, after);
    let hash = before["hash"].as_str().unwrap();
    assert!(
        hash.contains("i=instant_case_rate") && hash.contains(&format!("a={district}")),
        "{hash}"
    );
    assert!(
        after["matters"].is_string() && after["units"].is_string(),
        "{after}"
    );

    for shot in [
        "overview.png",
        "district.png",
        "department.png",
        "view.png",
        "print.pdf",
    ] {
        let len = std::fs::metadata(shots("sample").join(shot)).unwrap().len();
        assert!(len > 20_000, "{shot}: {len} bytes");
    }
    // Every chart drew text.
    for chart in seen["charts"].as_array().unwrap() {
        assert!(chart["texts"].as_u64().unwrap() > 10, "{chart}");
    }
}

/// A font configuration with every installed font but those that cover Chinese, and the
/// system's rendering rules (so that a page drawn in its own font is drawn alike).
fn no_cjk_profile(dir: &Path) -> PathBuf {
    let list = |pattern: &str| -> BTreeSet<String> {
        let o = std::process::Command::new("fc-list")
            .args([pattern, "file"])
            .output()
            .expect("fc-list");
        text(&o.stdout)
            .lines()
            .map(|l| l.trim().trim_end_matches(':').to_owned())
            .filter(|l| !l.is_empty())
            .collect()
    };
    let fonts = dir.join("fonts");
    std::fs::create_dir_all(&fonts).unwrap();
    let cjk = list(":lang=zh");
    assert!(!cjk.is_empty(), "the machine has a CJK font to leave out");
    for (k, f) in list(":").difference(&cjk).enumerate() {
        std::os::unix::fs::symlink(
            f,
            fonts.join(format!(
                "{k}-{}",
                Path::new(f).file_name().unwrap().to_string_lossy()
            )),
        )
        .unwrap();
    }
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig><dir>{}</dir><cachedir>{}</cachedir><include ignore_missing=\"yes\">/etc/fonts/conf.d</include></fontconfig>\n",
            fonts.display(),
            dir.join("cache").display()
        ),
    )
    .unwrap();
    let o = std::process::Command::new("fc-list")
        .arg(":lang=zh")
        .env("FONTCONFIG_FILE", &conf)
        .output()
        .unwrap();
    assert!(
        text(&o.stdout).trim().is_empty(),
        "the profile still has CJK fonts: {}",
        text(&o.stdout)
    );
    conf
}

/// The pixels of a PNG, RGB or RGBA, and the bytes per pixel.
fn pixels(path: &Path) -> (u32, u32, Vec<u8>, usize) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = match info.color_type {
        png::ColorType::Rgba => 4,
        png::ColorType::Rgb => 3,
        other => panic!("{}: {other:?}", path.display()),
    };
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, channels)
}

/// The share of pixels that differ visibly between two screenshots of one size.
fn differing(a: &Path, b: &Path) -> f64 {
    let ((wa, ha, pa, ca), (wb, hb, pb, cb)) = (pixels(a), pixels(b));
    assert_eq!((wa, ha, ca), (wb, hb, cb));
    let differ = pa
        .chunks(ca)
        .zip(pb.chunks(cb))
        .filter(|(x, y)| {
            x.iter()
                .zip(y.iter())
                .take(3)
                .map(|(p, q)| p.abs_diff(*q) as u32)
                .sum::<u32>()
                > 48
        })
        .count();
    differ as f64 / (wa * ha) as f64
}

/// On a machine with no CJK font the page draws its Chinese in the font it carries: the
/// screenshot equals the one on a machine with one. The same page without its font, in
/// the same profile, is the control: its Chinese falls to boxes and the screenshot
/// differs.
#[test]
fn dashboard_draws_chinese_without_a_cjk_font() {
    if super::browser().is_none() {
        return;
    }
    let (out, _) = run_in_temp(&["dashboard", "sample-data"]);
    let page = out.path().join("dashboard.html");
    let html = std::fs::read_to_string(&page).unwrap();
    let start = html.find("@font-face{").expect("the page carries its font");
    let end = start + html[start..].find('}').unwrap() + 1;
    let control = out.path().join("control.html");
    std::fs::write(&control, format!("{}{}", &html[..start], &html[end..])).unwrap();

    let profile = tempfile::tempdir().unwrap();
    let conf = no_cjk_profile(profile.path());
    drive(&page, &shots("fonts-installed"), None, &[]);
    let alone = drive(&page, &shots("no-cjk-font"), Some(&conf), &[]);
    assert!(
        alone["errors"].as_array().unwrap().is_empty(),
        "{}",
        alone["errors"]
    );
    drive(&control, &shots("no-cjk-font-control"), Some(&conf), &[]);

    let view = |name: &str| shots(name).join("view.png");
    let same = differing(&view("fonts-installed"), &view("no-cjk-font"));
    let control = differing(&view("fonts-installed"), &view("no-cjk-font-control"));
    assert!(
        same < 0.002,
        "{:.2}% of pixels differ without a CJK font",
        same * 100.0
    );
    assert!(
        control > 0.02,
        "the control differs by only {:.2}%: the profile is no test",
        control * 100.0
    );
}
