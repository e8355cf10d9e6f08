//! End-to-end tests: the real binary on real files. One integration-test binary, so
//! Polars is linked once.

mod audits;
mod charts;
mod check;
mod indicators;
mod ingest_formats;
mod report;
mod sample_data;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
