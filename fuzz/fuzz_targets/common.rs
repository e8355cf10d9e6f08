//! Shared by the reader targets: settings built once, and the no-lost-rows oracle.

use std::path::Path;
use std::sync::OnceLock;

use pingjia::ingest::{self, read::RawTable};
use pingjia::settings::{InputOptions, Settings};

pub fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| Settings::load(&InputOptions::default()).expect("bundled settings load"))
}

pub fn is_header(h: &str) -> bool {
    ingest::is_known_header(h, settings())
}

/// Validates a read file as the table its name says and checks that every data row is
/// either kept or quarantined, never lost or invented.
pub fn validate(raw: RawTable) {
    let rows = raw.height();
    let path = raw.path.clone();
    if let Ok(Some((_, v))) = ingest::validate_file(raw, true, settings()) {
        assert_eq!(
            v.frame.height() + v.quarantine.len() + v.report.total_rows.len(),
            rows,
            "{}: rows read != valid + quarantined",
            Path::new(&path).display()
        );
    }
}
