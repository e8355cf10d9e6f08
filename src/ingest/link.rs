//! Matter codes that a spreadsheet stored as numbers lose their leading zeros
//! (`0101001` → `101001`). A case or rating whose code matches no catalogue row of its
//! district, but matches exactly one code there once that code's leading zeros are
//! dropped, takes the catalogue's code; each such restoration is listed in run.json.
//! An ambiguous one (`0101` and `00101` both in the catalogue) is left as it is.

use std::collections::BTreeMap;

use polars::prelude::*;

use crate::error::{PolarsContext, Result};

/// Catalogue codes with leading zeros, by (district, code without them); `None` when two
/// codes of a district share the stripped form.
#[derive(Debug, Default)]
pub struct ZeroPadded {
    known: PlHashSet<(String, String)>,
    stripped: PlHashMap<(String, String), Option<String>>,
}

/// One restoration: the code as written, the catalogue's code, how many rows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Restored {
    pub table: &'static str,
    pub region_code: String,
    pub written: String,
    pub catalogue: String,
    pub rows: usize,
}

impl ZeroPadded {
    /// From the catalogue's region and matter codes.
    pub fn of(matters: &DataFrame) -> Result<ZeroPadded> {
        let mut z = ZeroPadded::default();
        let r = matters
            .column("region_code")
            .context("catalogue")?
            .str()
            .context("catalogue")?
            .clone();
        let m = matters
            .column("matter_code")
            .context("catalogue")?
            .str()
            .context("catalogue")?
            .clone();
        for (r, m) in r.iter().zip(m.iter()) {
            let (Some(r), Some(m)) = (r, m) else { continue };
            z.known.insert((r.to_owned(), m.to_owned()));
            if m.len() > 1 && m.starts_with('0') && m.bytes().all(|b| b.is_ascii_digit()) {
                let key = (r.to_owned(), m.trim_start_matches('0').to_owned());
                z.stripped
                    .entry(key)
                    .and_modify(|v| {
                        if v.as_deref() != Some(m) {
                            *v = None;
                        }
                    })
                    .or_insert_with(|| Some(m.to_owned()));
            }
        }
        Ok(z)
    }

    /// `df` (cases or ratings) with matter codes restored, and what was restored.
    pub fn restore(
        &self,
        table: &'static str,
        df: DataFrame,
    ) -> Result<(DataFrame, Vec<Restored>)> {
        if self.stripped.is_empty() || df.height() == 0 {
            return Ok((df, vec![]));
        }
        let r = df
            .column("region_code")
            .context("matter codes")?
            .str()
            .context("matter codes")?
            .clone();
        let m = df
            .column("matter_code")
            .context("matter codes")?
            .str()
            .context("matter codes")?
            .clone();
        let mut counts: BTreeMap<(String, String, String), usize> = BTreeMap::new();
        let fixed: StringChunked = r
            .iter()
            .zip(m.iter())
            .map(|(r, m)| {
                let (Some(r), Some(m)) = (r, m) else {
                    return m.map(str::to_owned);
                };
                if !m.bytes().all(|b| b.is_ascii_digit())
                    || self.known.contains(&(r.to_owned(), m.to_owned()))
                {
                    return Some(m.to_owned());
                }
                match self.stripped.get(&(r.to_owned(), m.to_owned())) {
                    Some(Some(full)) => {
                        *counts
                            .entry((r.to_owned(), m.to_owned(), full.clone()))
                            .or_default() += 1;
                        Some(full.clone())
                    }
                    _ => Some(m.to_owned()),
                }
            })
            .collect();
        if counts.is_empty() {
            return Ok((df, vec![]));
        }
        let mut df = df;
        df.with_column(fixed.with_name("matter_code".into()).into_column())
            .context("matter codes")?;
        let restored = counts
            .into_iter()
            .map(|((region_code, written, catalogue), rows)| Restored {
                table,
                region_code,
                written,
                catalogue,
                rows,
            })
            .collect();
        Ok((df, restored))
    }
}

/// Adds restorations of one chunk to the run's list.
pub fn merge(into: &mut Vec<Restored>, more: Vec<Restored>) {
    for r in more {
        match into.iter_mut().find(|x| {
            x.table == r.table && x.region_code == r.region_code && x.written == r.written
        }) {
            Some(x) => x.rows += r.rows,
            None => into.push(r),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leading_zeros_come_back_only_when_unambiguous() {
        let matters = df!(
            "region_code" => ["370303", "370303", "370303", "370303", "370304"],
            "matter_code" => ["0101001", "0202", "00202", "X01", "0101001"],
        )
        .unwrap();
        let z = ZeroPadded::of(&matters).unwrap();
        let cases = df!(
            "region_code" => ["370303", "370303", "370303", "370304", "370303"],
            "matter_code" => ["101001", "202", "0101001", "101001", "X01"],
        )
        .unwrap();
        let (fixed, restored) = z.restore("cases", cases).unwrap();
        let codes: Vec<Option<&str>> = fixed
            .column("matter_code")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(
            codes,
            [
                Some("0101001"),
                Some("202"),
                Some("0101001"),
                Some("0101001"),
                Some("X01")
            ]
        );
        assert_eq!(restored.len(), 2);
        assert_eq!(
            (
                restored[0].written.as_str(),
                restored[0].catalogue.as_str(),
                restored[0].rows
            ),
            ("101001", "0101001", 1)
        );
    }
}
