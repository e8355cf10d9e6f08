//! Streaming: `pingjia indicators` processes cases and ratings in chunks (docs/SPEC.md §9). Cut
//! into many small chunks, the data must give the same files — indicator table, run.json,
//! quarantine with the same row numbers — as the whole-table path (`--plan
//! per-indicator`, which ingests and enriches every table at once).

use std::path::Path;

use polars::prelude::*;

use super::{files_under, root, run_in_temp};

/// Runs both paths on `data` and asserts every output file is byte-identical.
fn same_outputs(data: &[&str], chunk_rows: &str) -> tempfile::TempDir {
    let mut streamed = vec!["indicators"];
    streamed.extend(data);
    streamed.extend(["--chunk-rows", chunk_rows, "--level", "department,matter"]);
    let mut whole = vec!["indicators"];
    whole.extend(data);
    whole.extend(["--plan", "per-indicator", "--level", "department,matter"]);
    let (a, _) = run_in_temp(&streamed);
    let (b, _) = run_in_temp(&whole);
    let names = |d: &Path| -> Vec<_> {
        files_under(d)
            .into_iter()
            .map(|f| f.strip_prefix(d).unwrap().to_owned())
            .collect()
    };
    assert_eq!(names(a.path()), names(b.path()));
    for f in names(a.path()) {
        if f.extension()
            .is_some_and(|e| e == "arrow" || e == "parquet")
        {
            continue; // the same table as indicators.csv, in binary formats
        }
        let (x, y) = (
            std::fs::read(a.path().join(&f)).unwrap(),
            std::fs::read(b.path().join(&f)).unwrap(),
        );
        assert!(x == y, "{} differs between chunked and whole", f.display());
    }
    a
}

#[test]
fn chunks_of_333_rows_give_the_whole_tables_outputs() {
    // The sample data plus the dirty rows: 25,684 cases in 78 chunks, quarantine included.
    let out = same_outputs(&["sample-data", "sample-data/dirty"], "333");
    let q = std::fs::read_to_string(out.path().join("quarantine/cases.csv")).unwrap();
    assert!(
        q.lines().count() > 5,
        "the dirty cases are quarantined:\n{q}"
    );
}

#[test]
fn quarantine_rows_of_a_parquet_file_read_in_slices_keep_their_numbers() {
    // A text Parquet export of the dirty cases (every row a string, as a platform might
    // write it), read 3 rows at a time: row numbers must count from the file's start.
    let dir = tempfile::tempdir().unwrap();
    // Parquet holds valid UTF-8 only: the dirty row of GBK bytes, decoded, shows as �.
    let dirty = std::fs::read(root().join("sample-data/dirty/cases.csv")).unwrap();
    let utf8 = dir.path().join("dirty-utf8.csv");
    std::fs::write(&utf8, String::from_utf8_lossy(&dirty).as_bytes()).unwrap();
    let mut cases = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(utf8.clone()))
        .unwrap()
        .finish()
        .unwrap();
    std::fs::remove_file(&utf8).unwrap();
    let rows = cases.height();
    let f = std::fs::File::create(dir.path().join("cases.parquet")).unwrap();
    ParquetWriter::new(f).finish(&mut cases).unwrap();
    for t in ["matters", "ratings"] {
        std::fs::copy(
            root().join(format!("sample-data/{t}.csv")),
            dir.path().join(format!("{t}.csv")),
        )
        .unwrap();
    }
    let out = same_outputs(&[dir.path().to_str().unwrap()], "3");
    let q = CsvReadOptions::default()
        .try_into_reader_with_file_path(Some(out.path().join("quarantine/cases.csv")))
        .unwrap()
        .finish()
        .unwrap();
    let numbers: Vec<i64> = q
        .column("row")
        .unwrap()
        .cast(&DataType::Int64)
        .unwrap()
        .i64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert!(numbers.len() > 3, "{numbers:?}");
    assert!(
        numbers.iter().any(|&r| r > 3) && numbers.iter().all(|&r| r >= 1 && r <= rows as i64),
        "row numbers count from the start of the file: {numbers:?}"
    );
}

#[test]
fn canonical_parquet_taken_as_is_validates_like_text() {
    // Typed canonical Parquet skips re-parsing columns whose values are already canonical.
    // Slip in values that are valid but not canonical (Chinese status, a padded code) and
    // invalid (a negative count): the typed file must give the same indicators and the
    // same quarantine reasons as the same rows written as text CSV.
    let canon = tempfile::tempdir().unwrap();
    let (export, _) = run_in_temp(&["export-canonical", "sample-data"]);
    let mut cases =
        ParquetReader::new(std::fs::File::open(export.path().join("cases.parquet")).unwrap())
            .finish()
            .unwrap();
    let n = cases.height();
    let statuses = cases.column("status").unwrap().str().unwrap().clone();
    let first_completed = statuses
        .iter()
        .position(|v| v == Some("completed"))
        .unwrap();
    let status: StringChunked = statuses
        .iter()
        .enumerate()
        .map(|(i, v)| {
            if i == first_completed {
                Some("办结")
            } else {
                v
            }
        })
        .collect();
    let region: StringChunked = cases
        .column("region_code")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.map(|v| {
                if i == 7 {
                    format!(" {v}")
                } else {
                    v.to_owned()
                }
            })
        })
        .collect();
    let visits: Int32Chunked = cases
        .column("visits")
        .unwrap()
        .i32()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, v)| if i == 11 { Some(-1) } else { v })
        .collect();
    cases
        .with_column(
            status
                .into_series()
                .with_name("status".into())
                .into_column(),
        )
        .unwrap();
    cases
        .with_column(
            region
                .into_series()
                .with_name("region_code".into())
                .into_column(),
        )
        .unwrap();
    cases
        .with_column(
            visits
                .into_series()
                .with_name("visits".into())
                .into_column(),
        )
        .unwrap();
    assert_eq!(cases.height(), n);
    let text = tempfile::tempdir().unwrap();
    for t in ["matters", "ratings"] {
        for d in [canon.path(), text.path()] {
            std::fs::copy(
                export.path().join(format!("{t}.parquet")),
                d.join(format!("{t}.parquet")),
            )
            .unwrap();
        }
    }
    ParquetWriter::new(std::fs::File::create(canon.path().join("cases.parquet")).unwrap())
        .finish(&mut cases)
        .unwrap();
    let mut as_text = cases
        .lazy()
        .with_columns([all().as_expr().cast(DataType::String)])
        .collect()
        .unwrap();
    CsvWriter::new(std::fs::File::create(text.path().join("cases.csv")).unwrap())
        .finish(&mut as_text)
        .unwrap();
    let (a, _) = run_in_temp(&["indicators", canon.path().to_str().unwrap()]);
    let (b, _) = run_in_temp(&["indicators", text.path().to_str().unwrap()]);
    assert_eq!(
        std::fs::read(a.path().join("indicators.csv")).unwrap(),
        std::fs::read(b.path().join("indicators.csv")).unwrap()
    );
    let reasons = |d: &Path, file: &str| -> Vec<String> {
        let q = CsvReadOptions::default()
            .try_into_reader_with_file_path(Some(d.join("quarantine").join(file)))
            .unwrap()
            .finish()
            .unwrap();
        q.column("reason")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .flatten()
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(
        reasons(a.path(), "cases.csv"),
        reasons(b.path(), "cases.csv")
    );
    assert_eq!(
        reasons(a.path(), "cells.csv"),
        reasons(b.path(), "cells.csv")
    );
    // The padded region code and the Chinese status are valid; the negative count is an
    // unknown cell of a kept row (docs/SPEC.md §1).
    assert!(reasons(a.path(), "cases.csv").is_empty());
    assert_eq!(
        reasons(a.path(), "cells.csv"),
        ["不能为负数 negative value -1"],
    );
}

#[test]
fn a_streamed_report_has_the_same_comparison_and_says_what_it_left_out() {
    let (whole, _) = run_in_temp(&["report", "sample-data"]);
    let (streamed, _) = run_in_temp(&[
        "report",
        "sample-data",
        "--streaming",
        "--chunk-rows",
        "1000",
    ]);
    for t in ["tables/comparison.csv", "tables/indicators.csv"] {
        assert!(
            std::fs::read(whole.path().join(t)).unwrap()
                == std::fs::read(streamed.path().join(t)).unwrap(),
            "{t} differs"
        );
    }
    let html = std::fs::read_to_string(streamed.path().join("report.html")).unwrap();
    assert!(html.contains("逐块流式计算") && html.contains("未做数据质量核查"));
    assert!(!streamed.path().join("tables/overdue_cases.csv").exists());
}
