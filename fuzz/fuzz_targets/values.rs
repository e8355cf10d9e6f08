//! Every cell parser (dates, times, enums, codes, scores) on arbitrary text. Oracles:
//! no panic, and a parsed date lies in the supported range and survives a round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pingjia::ingest::values::*;
use pingjia::time::{civil_from_days, days_from_civil, quarter_of_day};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(days) = parse_date(text) {
        let d = civil_from_days(days);
        use chrono::Datelike;
        assert_eq!(days_from_civil(d.year(), d.month(), d.day()), Some(days));
        let _ = quarter_of_day(days);
    }
    let place = Place::bundled("channel");
    let _ = parse_timestamp(text);
    let _ = parse_count(text);
    let _ = parse_promised_days(text);
    let _ = parse_day_unit(place, text);
    let _ = parse_bool(place, text);
    let _ = parse_category(place, text);
    let _ = parse_id(text);
    let _ = region_digits(text);
    if let Ok(depth) = parse_online_depth(place, text) {
        assert!((0..=4).contains(&depth), "{text:?} → depth {depth}");
    }
    let _ = parse_case_channel(place, text);
    let _ = parse_case_type(place, text);
    let _ = parse_status(place, text);
    let _ = parse_rating_channel(place, text);
    for scale in [ScoreScale::Gbt39046, ScoreScale::Stars] {
        if let Ok(code) = parse_satisfaction(place, text, scale) {
            assert!((1..=5).contains(&code), "{text:?} → satisfaction {code}");
        }
    }
});
