//! XLSX reader (archive checks, calamine, header search), then validation as cases.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pingjia::ingest::read::read_xlsx;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let fits = |_: &[String]| true;
    let known = pingjia::ingest::read::Known {
        is_header: &common::is_header,
        fits: &fits,
    };
    if let Ok(raw) = read_xlsx(Path::new("cases.xlsx"), data.to_vec(), None, &known) {
        common::validate(raw);
    }
});
