//! Differential test: pingjia's indicators against an independent DuckDB implementation
//! written from docs/SPEC.md §4 (bench/duckdb_indicators.py), on 100,000 generated cases. Every
//! numerator and denominator at the city and region levels must be equal. The benchmark
//! (bench/scale.sh) runs the same check at 1M cases.
//!
//! Needs Python with duckdb (`.ci/run` installs it into target/duckdb-venv).

use std::process::Command;

use super::*;

fn run(cmd: &mut Command) -> String {
    let o = cmd.output().expect("run");
    assert!(
        o.status.success(),
        "{cmd:?}:\n{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

#[test]
fn duckdb_from_the_spec_gives_the_same_numerators_and_denominators() {
    let Some(python) = venv_python("PINGJIA_DUCKDB_PYTHON", "duckdb-venv", "duckdb") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    let o = pingjia(&[
        "sample",
        "--scale",
        "100000",
        "--format",
        "parquet",
        "--no-dirty",
        "--out",
        &d("data"),
    ]);
    assert!(o.status.success(), "pingjia sample: {}", text(&o.stderr));
    let bench = root().join("bench");
    // The data's own as-of time, then a Saturday: 差评 whose deadline was the Friday before
    // are due although no working day has passed (docs/SPEC.md §4 due / pending).
    for as_of in [None, Some("2025-12-27 23:59:59")] {
        let (data, out) = (d("data"), d("pingjia"));
        let mut args = vec!["indicators", data.as_str(), "--out", out.as_str()];
        if let Some(t) = as_of {
            args.extend(["--as-of", t]);
        }
        let o = pingjia(&args);
        assert!(o.status.success(), "pingjia {args:?}: {}", text(&o.stderr));
        let calendar = root().join("data/calendar/cn-holidays.csv");
        let mut duckdb = Command::new(&python);
        duckdb.args([
            bench.join("duckdb_indicators.py").to_str().unwrap(),
            &d("data"),
            calendar.to_str().unwrap(),
            &d("duckdb.csv"),
        ]);
        if let Some(t) = as_of {
            duckdb.args(["--as-of", t]);
        }
        run(&mut duckdb);
        let said = run(Command::new(&python).args([
            bench.join("compare_indicators.py").to_str().unwrap(),
            &d("pingjia/indicators.csv"),
            &d("duckdb.csv"),
        ]));
        assert!(said.contains("identical"), "as-of {as_of:?}: {said}");
        // The comparison covers pending 差评: the generated data ends on the quarter's
        // last day, so some bad ratings are still inside their limit.
        let table = std::fs::read_to_string(d("pingjia/indicators.csv")).unwrap();
        let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
        let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let pending: f64 = table
            .lines()
            .skip(1)
            .map(|l| l.split(',').collect::<Vec<_>>())
            .filter(|f| {
                f[at("indicator")] == "pending_rectification_count" && f[at("level")] == "city"
            })
            .map(|f| f[at("numerator")].parse::<f64>().unwrap())
            .sum();
        assert!(
            pending > 0.0,
            "as-of {as_of:?}: no pending 差评 in the compared data"
        );
    }
}
