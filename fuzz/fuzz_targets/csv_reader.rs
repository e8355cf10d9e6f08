//! CSV reader in every encoding it detects, then validation as each of the three tables.
//! The first byte picks how the rest is encoded: as is, GBK, UTF-16LE with BOM, or
//! UTF-8 with BOM (the last three only when the rest is valid UTF-8).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use pingjia::ingest::read::read_csv;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = match (mode % 4, std::str::from_utf8(rest)) {
        (1, Ok(text)) => encoding_rs::GBK.encode(text).0.into_owned(),
        (2, Ok(text)) => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            b
        }
        (3, Ok(text)) => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        _ => rest.to_vec(),
    };
    for name in ["matters.csv", "cases.csv", "ratings.csv"] {
        if let Ok(raw) = read_csv(Path::new(name), bytes.clone(), &common::is_header) {
            common::validate(raw);
        }
    }
});
