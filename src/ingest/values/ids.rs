//! Ids a spreadsheet may have damaged, and region codes of 6, 9 or 12 digits.

use super::{Problem, Reason};

/// A case, rating or matter id as written, or a [`Problem::DamagedId`] when a spreadsheet
/// has turned it into a number: scientific notation (`3.71402E+17`) lost its digits, and
/// so did a `.0` number of more than 15 digits (beyond what a double holds exactly); a
/// `.0` number of up to 15 digits is exact and kept without the `.0`.
pub fn parse_id(text: &str) -> Result<String, Reason> {
    let s = text.trim();
    let damaged = |why: &str| {
        Reason::new(
            Problem::DamagedId,
            format!(
                "编号 '{s}' {why}：表格软件把它当成了数字，后几位已经丢失 — a spreadsheet stored this id as a number and lost its digits; export the column as text (设置单元格格式为文本) and export again"
            ),
        )
    };
    if !id_may_be_damaged(s) {
        return Ok(s.to_owned());
    }
    match id_shape(s) {
        IdShape::Text => Ok(s.to_owned()),
        IdShape::Scientific => Err(damaged("是科学计数法")),
        IdShape::PointZero(int) if int.len() > 15 => Err(damaged("带有“.0”")),
        IdShape::PointZero(int) => Ok(int.to_owned()),
    }
}

/// What a spreadsheet may have made of an id.
#[derive(Debug, PartialEq, Eq)]
enum IdShape<'a> {
    /// An id as written.
    Text,
    /// A number in scientific notation: `3.71402E+17`, `1e5` (exponent of 1–3 digits).
    Scientific,
    /// Digits, a `.` and zeros: `370000000101.0`; the digits before the point.
    PointZero(&'a str),
}

fn id_shape(s: &str) -> IdShape<'_> {
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
    if let Some(at) = s.find(['e', 'E']) {
        let (mantissa, exp) = (&s[..at], &s[at + 1..]);
        let exp = exp.strip_prefix(['+', '-']).unwrap_or(exp);
        let mantissa_ok = match mantissa.split_once('.') {
            Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
            None => digits(mantissa),
        };
        return if mantissa_ok && digits(exp) && exp.len() <= 3 {
            IdShape::Scientific
        } else {
            IdShape::Text
        };
    }
    match s.split_once('.') {
        Some((int, zeros))
            if digits(int) && !zeros.is_empty() && zeros.bytes().all(|c| c == b'0') =>
        {
            IdShape::PointZero(int)
        }
        _ => IdShape::Text,
    }
}

/// Whether an id could be one a spreadsheet damaged: an exponent near its end
/// (`3.70302E+18`) or a `.` followed only by zeros (`3703022024010000000.0`). The quick
/// look, on every id of a file, before [`parse_id`]'s closer one.
pub fn id_may_be_damaged(id: &str) -> bool {
    let b = id.as_bytes();
    // An exponent has at most a sign and three digits after the `E`.
    let tail = &b[b.len().saturating_sub(5)..];
    tail.iter().any(|c| matches!(c, b'e' | b'E'))
        || b.iter()
            .rposition(|c| *c != b'0')
            .is_some_and(|i| b[i] == b'.')
}

/// A region code written as digits: 6-digit GB/T 2260, 9-digit township (乡镇/街道) or
/// 12-digit 统计用区划代码, as `(district, township)`: `371402000000` → (`371402`, none),
/// `371402001000` and `371402001` → (`371402`, `371402001`). A trailing `.0` from
/// spreadsheets is accepted. `None` when the text is not all digits (a name, perhaps).
pub fn region_digits(text: &str) -> Option<Result<(String, Option<String>), Reason>> {
    let s = text.trim();
    let s = s.strip_suffix(".0").unwrap_or(s);
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(match s.len() {
        6 => Ok((s.to_owned(), None)),
        9 => Ok((s[..6].to_owned(), Some(s.to_owned()))),
        12 if &s[6..9] == "000" => Ok((s[..6].to_owned(), None)),
        12 => Ok((s[..6].to_owned(), Some(s[..9].to_owned()))),
        _ => Err(Reason::new(
            Problem::RegionFormat,
            format!(
                "行政区划代码须为6、9或12位数字 region code must be 6, 9 or 12 digits (got '{s}')"
            ),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_ids_are_told_apart_from_intact_ones() {
        assert_eq!(
            parse_id(" 3703022024010000000 "),
            Ok("3703022024010000000".into())
        );
        assert_eq!(parse_id("PJ000000001"), Ok("PJ000000001".into()));
        assert_eq!(parse_id("370000000101.0"), Ok("370000000101".into()));
        assert_eq!(parse_id("A-2025.001"), Ok("A-2025.001".into()));
        assert_eq!(parse_id("E1"), Ok("E1".into()));
        for damaged in [
            "3.71402E+17",
            "3.70302202401E+18",
            "3.7e18",
            "3703022024010000000.0",
            "3703022024010000000.00",
        ] {
            assert_eq!(
                parse_id(damaged).unwrap_err().problem,
                Problem::DamagedId,
                "{damaged}"
            );
        }
    }

    proptest::proptest! {
        /// The quick look on every id never misses one the thorough check calls damaged
        /// or changes.
        #[test]
        fn the_quick_look_misses_no_damaged_id(
            s in "[0-9A-Z]{0,20}(\\.[0-9]{0,4})?([eE][+-]?[0-9]{0,4})?"
        ) {
            if id_shape(&s) != IdShape::Text {
                proptest::prop_assert!(id_may_be_damaged(&s), "{}", s);
            }
        }
    }

    #[test]
    fn region_codes_of_6_9_and_12_digits() {
        let d = |t: &str| region_digits(t).unwrap();
        assert_eq!(d("370303"), Ok(("370303".into(), None)));
        assert_eq!(d("370303.0"), Ok(("370303".into(), None)));
        assert_eq!(d("371402000000"), Ok(("371402".into(), None)));
        assert_eq!(
            d("371402001000"),
            Ok(("371402".into(), Some("371402001".into())))
        );
        assert_eq!(
            d("371402001"),
            Ok(("371402".into(), Some("371402001".into())))
        );
        assert_eq!(d("3703").unwrap_err().problem, Problem::RegionFormat);
        assert!(region_digits("张店区").is_none());
    }
}
