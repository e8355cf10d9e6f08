//! Indicator files: header parser and the SQL shape check (sqlparser).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = pingjia::indicators::metadata::parse(text, Path::new("fuzz.sql"));
    let _ = pingjia::indicators::plan::shape(text);
});
