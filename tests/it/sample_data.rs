//! The committed sample-data is exactly what `pingjia sample` writes.

use super::*;

#[test]
fn committed_sample_data_regenerates_byte_for_byte() {
    let (out, _) = run_in_temp(&["sample"]);
    let committed = root().join("sample-data");
    let mut names = Vec::new();
    for f in files_under(&committed) {
        let rel = f.strip_prefix(&committed).unwrap();
        if rel.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let fresh = std::fs::read(out.path().join(rel))
            .unwrap_or_else(|_| panic!("{} not regenerated", rel.display()));
        assert!(
            std::fs::read(&f).unwrap() == fresh,
            "{} differs from a fresh `pingjia sample`",
            rel.display()
        );
        names.push(rel.display().to_string());
    }
    assert_eq!(
        files_under(out.path()).len(),
        names.len(),
        "generator writes exactly the committed files: {names:?}"
    );
}

#[test]
fn parquet_sample_ingests_like_csv() {
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "sample",
        "--out",
        out.path().to_str().unwrap(),
        "--format",
        "parquet",
        "--scale",
        "3000",
        "--no-dirty",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "sample",
        "--out",
        csv.path().to_str().unwrap(),
        "--scale",
        "3000",
        "--no-dirty",
    ]);
    assert!(o.status.success());
    let settings = pingjia::settings::Settings::load(&Default::default()).unwrap();
    let a = pingjia::ingest::load(&[out.path().to_owned()], &settings).unwrap();
    let b = pingjia::ingest::load(&[csv.path().to_owned()], &settings).unwrap();
    for t in pingjia::schema::Table::ALL {
        assert!(a.table(t).height() > 0);
        assert!(a.table(t).equals_missing(b.table(t)), "{}", t.name());
    }
}
