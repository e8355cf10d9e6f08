//! Differential test: pingjia's indicators against an independent DuckDB implementation
//! written from SPEC §4 (bench/duckdb_indicators.py), on 100,000 generated cases. Every
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
    for args in [
        vec![
            "sample",
            "--scale",
            "100000",
            "--format",
            "parquet",
            "--no-dirty",
            "--out",
            &d("data"),
        ],
        vec!["indicators", &d("data"), "--out", &d("pingjia")],
    ] {
        let o = pingjia(&args);
        assert!(o.status.success(), "pingjia {args:?}: {}", text(&o.stderr));
    }
    let bench = root().join("bench");
    run(Command::new(&python).args([
        bench.join("duckdb_indicators.py").to_str().unwrap(),
        &d("data"),
        root()
            .join("data/calendar/cn-holidays.csv")
            .to_str()
            .unwrap(),
        &d("duckdb.csv"),
    ]));
    let said = run(Command::new(&python).args([
        bench.join("compare_indicators.py").to_str().unwrap(),
        &d("pingjia/indicators.csv"),
        &d("duckdb.csv"),
    ]));
    assert!(said.contains("identical"), "{said}");
    // The comparison covers pending 差评 (SPEC §4 due / pending): the generated data
    // ends on the quarter's last day, so some bad ratings are still inside their limit.
    let table = std::fs::read_to_string(d("pingjia/indicators.csv")).unwrap();
    let header: Vec<&str> = table.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let pending: f64 = table
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<_>>())
        .filter(|f| f[at("indicator")] == "pending_rectification_count" && f[at("level")] == "city")
        .map(|f| f[at("numerator")].parse::<f64>().unwrap())
        .sum();
    assert!(pending > 0.0, "no pending 差评 in the compared data");
}
