//! The catalogue joined to cases and ratings: the latest row per region + matter, by
//! a hash probe and a gather.

use polars::prelude::*;

use crate::error::{PolarsContext, Result};

/// The latest catalogue row per region + matter (for joining cases and ratings).
fn latest_matters(matters: &DataFrame) -> LazyFrame {
    matters
        .clone()
        .lazy()
        .sort(
            ["as_of"],
            SortMultipleOptions::default().with_nulls_last(false),
        )
        .unique_stable(
            Some(cols(["region_code", "matter_code"])),
            UniqueKeepStrategy::Last,
        )
}

/// The catalogue columns cases and ratings are joined to: the latest row per region +
/// matter.
pub fn matter_lookup(matters: &DataFrame) -> Result<DataFrame> {
    latest_matters(matters)
        .select([
            col("region_code"),
            col("matter_code"),
            col("department").alias("matter_department"),
            col("matter_name"),
            col("promised_days").alias("matter_promised_days"),
            col("time_unit"),
            col("category"),
        ])
        .collect()
        .context("latest catalogue rows")
}

/// The row of `lookup` (one per region + matter) each row of `df` names, by its
/// region_code and matter_code; null when the catalogue has no such matter.
pub(super) fn lookup_rows(df: &DataFrame, lookup: &DataFrame) -> Result<IdxCa> {
    let text = |d: &DataFrame, c: &str| -> Result<StringChunked> {
        Ok(d.column(c)
            .context("matter lookup")?
            .str()
            .context("matter lookup")?
            .clone())
    };
    let (lr, lm) = (text(lookup, "region_code")?, text(lookup, "matter_code")?);
    let mut at: PlHashMap<(&str, &str), IdxSize> = PlHashMap::with_capacity(lookup.height());
    for (i, (r, m)) in lr.iter().zip(lm.iter()).enumerate() {
        if let (Some(r), Some(m)) = (r, m) {
            at.insert((r, m), i as IdxSize);
        }
    }
    let (r, m) = (text(df, "region_code")?, text(df, "matter_code")?);
    Ok(IdxCa::from_iter_options(
        "matter_index".into(),
        r.iter()
            .zip(m.iter())
            .map(|(r, m)| at.get(&(r?, m?)).copied()),
    ))
}

/// `df` with the catalogue columns of its matter (`lookup` is one row per region +
/// matter): a left join, done as one hash probe per row and a gather of the small
/// lookup, so the rows of `df` are not copied. `only` limits the columns (empty = all);
/// `matter_index` (the lookup row) is always added.
pub(super) fn with_matter(df: &DataFrame, lookup: &DataFrame, only: &[&str]) -> Result<DataFrame> {
    let idx = lookup_rows(df, lookup)?;
    let columns: Vec<PlSmallStr> = lookup
        .get_column_names()
        .into_iter()
        .filter(|c| *c != "region_code" && *c != "matter_code")
        .filter(|c| only.is_empty() || only.contains(&c.as_str()))
        .cloned()
        .collect();
    let gathered = lookup
        .select(columns)
        .context("matter lookup")?
        .take(&idx)
        .context("matter lookup")?;
    let mut out = df.clone();
    out.hstack_mut(gathered.columns())
        .context("matter lookup")?;
    out.with_column(idx.into_series().into_column())
        .context("matter lookup")?;
    Ok(out)
}
