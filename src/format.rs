//! Numbers the way Chinese reports write them: `100%`, `99.62%`, `提高0.30个百分点`,
//! `0.19次`, `2025年第四季度`, `3,420件`.

use crate::time::Quarter;

/// Rounds half away from zero at two decimals, as people do on paper: 99.615 → 99.62.
/// The binary value of 99.615 is 99.61499999…, so the noise below 1e-6 of a hundredth is
/// cleared first.
pub fn round2(x: f64) -> f64 {
    let hundredths = ((x * 100.0) * 1e6).round() / 1e6;
    hundredths.round() / 100.0
}

/// `0.99615` → `99.62%`, `0.996` → `99.60%`, `1.0` → `100%`: two decimals, as the
/// assessment notices and the seeds print rates (`66.50%`, `97.98%`), except a whole
/// percentage, which they write whole (`100%`, `0%`). A rate that is not whole never
/// prints as one: 99.999% is `99.99%`, not `100%` beside a 100% target it missed.
pub fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        return format!("{}%", p.round() as i64);
    }
    let mut shown = round2(p);
    if shown.fract() == 0.0 {
        shown = if p < shown {
            shown - 0.01
        } else {
            shown + 0.01
        };
    }
    format!("{shown:.2}%")
}

/// A value in its unit: rates as percentages, counts as integers with the unit, means
/// like rates with two decimals unless whole (`0.19次`, `0.50次`, `0次`).
pub fn value(v: f64, unit: &str) -> String {
    match unit {
        "%" => percent(v),
        "件" | "条" => format!("{}{unit}", thousands(v.round() as i64)),
        _ => {
            let r = round2(v);
            if r.fract() == 0.0 {
                format!("{}{unit}", r as i64)
            } else {
                format!("{r:.2}{unit}")
            }
        }
    }
}

/// A number with at most two decimals and no trailing zeros: `0.5`, `0`, `2.25`.
pub fn trimmed(v: f64) -> String {
    let s = format!("{:.2}", round2(v));
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_owned()
    }
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A change in 百分点 (rates) or % (counts and means): `提高0.30个百分点`, `下降1.20%`,
/// `持平`. `change` is already in points or percent.
pub fn change(change: f64, is_rate: bool) -> String {
    let rounded = round2(change);
    if rounded == 0.0 {
        return "持平".into();
    }
    let word = if rounded > 0.0 { "提高" } else { "下降" };
    if is_rate {
        format!("{word}{:.2}个百分点", rounded.abs())
    } else {
        format!("{word}{:.2}%", rounded.abs())
    }
}

/// `2025Q4` → `2025年第四季度` (a text that is no quarter stays as it is).
pub fn quarter(q: &str) -> String {
    Quarter::parse(q).map_or_else(|| q.to_owned(), Quarter::chinese)
}

/// The quarter before: `2025Q1` → `2024Q4`.
pub fn previous_quarter(q: &str) -> Option<String> {
    Some(Quarter::parse(q)?.previous().to_string())
}

/// The same quarter a year earlier: `2025Q1` → `2024Q1`.
pub fn year_earlier(q: &str) -> Option<String> {
    Some(Quarter::parse(q)?.year_earlier().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_style() {
        assert_eq!(percent(0.99615), "99.62%");
        assert_eq!(percent(0.99625), "99.63%");
        assert_eq!(change(0.305, true), "提高0.31个百分点");
        assert_eq!(round2(-0.125), -0.13);
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.5), "50%");
        assert_eq!(percent(0.996), "99.60%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(0.99999), "99.99%");
        assert_eq!(percent(0.00001), "0.01%");
        assert_eq!(value(0.0, "次"), "0次");
        assert_eq!(value(2.5, "工作日"), "2.50工作日");
        assert_eq!(change(0.30, true), "提高0.30个百分点");
        assert_eq!(change(-1.2, true), "下降1.20个百分点");
        assert_eq!(change(0.001, true), "持平");
        assert_eq!(change(12.5, false), "提高12.50%");
        assert_eq!(quarter("2025Q4"), "2025年第四季度");
        assert_eq!(value(3420.0, "件"), "3,420件");
        assert_eq!(value(0.5096, "次"), "0.51次");
        assert_eq!(value(0.1, "次"), "0.10次");
        assert_eq!(thousands(-1234567), "-1,234,567");
    }

    #[test]
    fn quarters_across_a_year_boundary() {
        assert_eq!(previous_quarter("2025Q1").as_deref(), Some("2024Q4"));
        assert_eq!(previous_quarter("2025Q3").as_deref(), Some("2025Q2"));
        assert_eq!(year_earlier("2025Q1").as_deref(), Some("2024Q1"));
    }
}
