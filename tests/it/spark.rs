//! The emitted PySpark job, run by real Spark in local mode on the sample data exported
//! to canonical Parquet, computes the same indicator table as the engine; and a report
//! rendered from Spark's table has the same comparison as the direct run.
//!
//! Needs PySpark (`.ci/run` installs it into target/spark-venv) and Java 17.

use polars::prelude::*;

use super::*;

fn read_table(path: &Path) -> DataFrame {
    pingjia::indicators::read_table(path).unwrap()
}

#[test]
fn spark_job_computes_the_engines_indicator_table() {
    let Some(python) = venv_python("PINGJIA_SPARK_PYTHON", "spark-venv", "PySpark") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = |p: &str| dir.path().join(p).to_str().unwrap().to_owned();
    for args in [
        vec!["export-canonical", "sample-data", "--out", &d("canonical")],
        vec!["spark-job", "--out", &d("job")],
        vec![
            "indicators",
            "sample-data",
            "--level",
            "province,department,matter",
            "--out",
            &d("direct"),
        ],
    ] {
        let o = pingjia(&args);
        assert!(
            o.status.success(),
            "pingjia {}: {}",
            args.join(" "),
            text(&o.stderr)
        );
    }
    let o = Command::new(&python)
        .arg(d("job/pingjia_job.py"))
        .args([
            d("canonical"),
            d("spark.parquet"),
            "--master".into(),
            "local[2]".into(),
        ])
        .env("PYSPARK_PYTHON", &python)
        .output()
        .expect("run the Spark job");
    assert!(o.status.success(), "spark job failed:\n{}", text(&o.stderr));

    let spark = read_table(&dir.path().join("spark.parquet"));
    let direct = read_table(&dir.path().join("direct/indicators.parquet"));
    assert!(
        direct.height() > 50_000,
        "all five levels: {}",
        direct.height()
    );
    assert_eq!(spark.height(), direct.height(), "same rows");
    for c in ["quarter", "level", "key", "name", "indicator", "unit"] {
        assert!(
            spark
                .column(c)
                .unwrap()
                .equals_missing(direct.column(c).unwrap()),
            "column {c} differs"
        );
    }
    for c in ["numerator", "denominator"] {
        assert!(
            spark
                .column(c)
                .unwrap()
                .equals_missing(direct.column(c).unwrap()),
            "{c}s differ"
        );
    }
    let (sv, dv) = (
        spark.column("value").unwrap().f64().unwrap().clone(),
        direct.column("value").unwrap().f64().unwrap().clone(),
    );
    for (i, (a, b)) in sv.iter().zip(dv.iter()).enumerate() {
        match (a, b) {
            (Some(a), Some(b)) => assert!((a - b).abs() <= 1e-12, "row {i}: {a} vs {b}"),
            (None, None) => {}
            _ => panic!("row {i}: value {a:?} vs {b:?}"),
        }
    }

    // The report drawn from Spark's table compares the districts exactly as the direct run.
    let (from_spark, _) = run_in_temp(&["report", "--indicators", &d("spark.parquet")]);
    let (from_data, _) = run_in_temp(&["report", "sample-data"]);
    let comparison = |dir: &Path| std::fs::read(dir.join("tables/comparison.csv")).unwrap();
    assert!(
        comparison(from_spark.path()) == comparison(from_data.path()),
        "comparison tables differ"
    );
    let html = std::fs::read_to_string(from_spark.path().join("report.html")).unwrap();
    assert!(
        html.contains("未做数据质量核查"),
        "the report says nothing was audited"
    );
}
