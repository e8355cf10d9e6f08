//! End-to-end tests: the real binary on real files. One integration-test binary, so
//! Polars is linked once.

mod audits;
mod bad_input;
mod boards;
mod charts;
mod check;
mod dashboard;
mod differential;
mod docs;
mod fuzz_regressions;
mod indicators;
mod ingest_formats;
mod properties;
mod province;
mod real_exports;
mod report;
mod safety;
mod sample_data;
mod spark;
mod stream;
mod user_tables;
mod user_text;
mod watch;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Python of a venv `.ci/run` creates (`target/<venv>`, or the interpreter named by
/// the environment variable `env`). `None` means the test skips, which CI forbids.
pub fn venv_python(env: &str, venv: &str, package: &str) -> Option<PathBuf> {
    let python = std::env::var_os(env)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target").join(venv).join("bin/python"));
    if python.exists() {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {package} into target/{venv} (see .ci/run)"
    );
    eprintln!(
        "skipped: no {package} at {} — run .ci/run once, or set {env}",
        python.display()
    );
    None
}

/// Rows of a CSV as header → value maps (the BOM off, every cell as text, empty for none).
pub fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    use polars::prelude::*;
    let body = std::fs::read_to_string(path).unwrap();
    let bytes = body.trim_start_matches('\u{feff}').as_bytes().to_vec();
    let df = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .into_reader_with_file_handle(std::io::Cursor::new(bytes))
        .finish()
        .unwrap();
    let columns: Vec<(String, StringChunked)> = df
        .columns()
        .iter()
        .map(|c| (c.name().to_string(), c.str().unwrap().clone()))
        .collect();
    (0..df.height())
        .map(|i| {
            columns
                .iter()
                .map(|(name, v)| (name.clone(), v.get(i).unwrap_or("").to_owned()))
                .collect()
        })
        .collect()
}

/// The folder of the browser scripts when headless Chromium and playwright-core are
/// installed (`.ci/run` installs them; CI fails without them, elsewhere the test skips).
pub fn browser() -> Option<PathBuf> {
    let dir = root().join("tests/browser");
    if dir.join("node_modules/playwright-core").is_dir() && Path::new("/usr/bin/chromium").exists()
    {
        return Some(dir);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install chromium and tests/browser (see .ci/run)"
    );
    eprintln!(
        "skipped: run `apt-get install chromium` and `npm install` in tests/browser to enable"
    );
    None
}

/// Runs the built `pingjia` binary.
pub fn pingjia(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pingjia"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run pingjia")
}

/// The eight districts of the sample data.
pub const DISTRICTS: [&str; 8] = [
    "淄川区",
    "张店区",
    "博山区",
    "临淄区",
    "周村区",
    "桓台县",
    "高青县",
    "沂源县",
];

/// Runs `pingjia ARGS --out <fresh temporary folder>` and asserts it succeeded.
pub fn run_in_temp(args: &[&str]) -> (tempfile::TempDir, Output) {
    let out = tempfile::tempdir().unwrap();
    let mut all = args.to_vec();
    all.extend(["--out", out.path().to_str().unwrap()]);
    let o = pingjia(&all);
    assert!(
        o.status.success(),
        "pingjia {}: {}",
        args.join(" "),
        text(&o.stderr)
    );
    (out, o)
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under a folder, recursively.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The first `n` data lines of a committed sample table, as UTF-8 text without BOM.
pub fn sample_lines(table: &str, n: usize) -> String {
    let text =
        std::fs::read_to_string(root().join("sample-data").join(format!("{table}.csv"))).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    text.lines().take(n + 1).map(|l| format!("{l}\n")).collect()
}

/// What a measured run left behind.
pub struct Measured {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// Peak resident memory of the process, MiB.
    pub peak_mib: u64,
}

/// Runs `pingjia ARGS` under GNU time (`.ci/run` installs it) for its peak RSS, so a test
/// can bound memory without timing anything. (`wait4` on a direct child is no good: the
/// kernel counts the test process's own resident set, shared up to `exec`, as the
/// child's peak.)
pub fn pingjia_measured(args: &[&str]) -> Measured {
    let logs = tempfile::tempdir().unwrap();
    let (out_path, err_path, rss_path) = (
        logs.path().join("stdout"),
        logs.path().join("stderr"),
        logs.path().join("rss"),
    );
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o", rss_path.to_str().unwrap()])
        .arg(env!("CARGO_BIN_EXE_pingjia"))
        .args(args)
        .current_dir(root())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .status()
        .expect("run pingjia under /usr/bin/time (apt-get install time)");
    let rss = std::fs::read_to_string(rss_path).unwrap();
    let kib: u64 = rss
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or_else(|| panic!("GNU time output: {rss}"));
    Measured {
        code: status.code(),
        stdout: std::fs::read_to_string(out_path).unwrap(),
        stderr: std::fs::read_to_string(err_path).unwrap(),
        peak_mib: kib / 1024,
    }
}

/// LibreOffice, if installed (`.ci/run` installs it; CI requires it).
pub fn soffice() -> Option<&'static str> {
    for s in ["/usr/bin/soffice", "/usr/bin/libreoffice"] {
        if Path::new(s).exists() {
            return Some(s);
        }
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install LibreOffice (see .ci/run)"
    );
    eprintln!("skipped: no LibreOffice (soffice) — run .ci/run once");
    None
}

/// Converts `from` with LibreOffice into `to` (its extension picks the filter).
pub fn convert(soffice: &str, from: &Path, to: &Path, filter: &str) {
    let out = tempfile::tempdir().unwrap();
    let profile = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(["--headless", "--convert-to", filter, "--outdir"])
        .arg(out.path())
        .arg(from)
        .output()
        .unwrap();
    let made = files_under(out.path());
    assert!(
        made.len() == 1,
        "soffice --convert-to {filter} {}: {}{}",
        from.display(),
        text(&o.stdout),
        text(&o.stderr)
    );
    std::fs::copy(&made[0], to).unwrap();
}
