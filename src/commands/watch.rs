//! `pingjia watch DATA --out DIR [--as-of T] [--region CODE]`: 预警 (docs/SPEC.md §10), the
//! open cases at the as-of time with their lights, streamed like `indicators`.

use polars::prelude::*;

use crate::cli::WatchArgs;
use crate::error::{Error, PolarsContext, Result};
use crate::output;
use crate::watch;

pub fn run(args: &WatchArgs) -> Result<()> {
    if args.input.data.is_empty() {
        return Err(Error::Usage(
            "no input given\nhint: pingjia watch DATA --out DIR, where DATA are the folders or files of the exports (try sample-data)".into(),
        ));
    }
    let timer = super::Timer::start();
    let plan = super::RunPlan::new(&args.input.read, None)?;
    let settings = &plan.settings;
    let mut s = crate::stream::run(
        &args.input.data,
        settings,
        &plan.rules,
        &[],
        &[],
        args.chunk_rows,
        true,
    )?;
    s.summary.as_of = s.as_of.map(output::run::timestamp_text);
    output::run::write(&args.out, &s.ingested, &s.summary)?;
    s.ingested.check_not_empty()?;
    timer.lap("stream");
    let as_of = s.as_of.ok_or_else(|| {
        Error::Usage("the data has no dated cases or ratings, so there is no as-of time\nhint: give one with --as-of \"2026-01-05 17:00\"".into())
    })?;
    let open = s
        .open_now
        .take()
        .unwrap_or_else(|| crate::ingest::empty_table(crate::schema::Table::Cases));
    let mut list = watch::lights(&open, as_of, &settings.calendar, plan.rules.warning)?;
    if let Some(code) = &args.region {
        list = within(list, code)?;
    }
    let names = |mut df: DataFrame| -> Result<DataFrame> {
        let codes = df
            .column("region_code")
            .context("预警")?
            .str()
            .context("预警")?;
        let named: StringChunked = codes
            .iter()
            .map(|c| c.map(|c| settings.regions.name(c).unwrap_or(c).to_owned()))
            .collect();
        df.insert_column(2, named.with_name("region_name".into()).into_column())
            .context("预警")?;
        Ok(df)
    };
    let shown = output::people::for_people(&list, crate::schema::Table::Cases, &settings.regions)?;
    let mut list = names(list)?;
    let mut counts = watch::counts(&list)?;
    let counts_named = counts_with_names(&counts, settings, &s.township_names)?;
    let written = [
        output::write_table(&args.out, "watch", &mut list)?,
        output::write_table(&args.out, "watch_counts", &mut counts)?,
    ]
    .concat();
    let title = format!("预警 统计截止 {}", output::run::timestamp_text(as_of));
    let xlsx = crate::report::xlsx::watch_workbook(&shown, &counts_named, &title)
        .map_err(|e| Error::Usage(format!("writing watch.xlsx: {e}")))?;
    let path = args.out.join("watch.xlsx");
    output::write_atomic(&path, |f| std::io::Write::write_all(f, &xlsx))?;
    timer.lap("write");
    let light = |l: &str| -> usize {
        list.column("light")
            .ok()
            .and_then(|c| {
                c.str()
                    .ok()
                    .map(|c| c.iter().filter(|v| *v == Some(l)).count())
            })
            .unwrap_or(0)
    };
    eprintln!(
        "预警 {}: 在办 {} 件 · 红 {} · 黄 {} · 绿 {}\n{}",
        output::run::timestamp_text(as_of),
        list.height(),
        light("红"),
        light("黄"),
        light("绿"),
        plan.rules.warning.describe()
    );
    for w in written.iter().chain([&path]) {
        eprintln!("wrote {}", w.display());
    }
    Ok(())
}

/// The open cases of one district, or of a city's or province's districts.
pub(crate) fn within(list: DataFrame, code: &str) -> Result<DataFrame> {
    let prefix = crate::regions::area_prefix(code);
    list.lazy()
        .filter(col("region_code").str().starts_with(lit(prefix)))
        .collect()
        .context("预警 of the region")
}

/// `watch::counts` with each key's name (区县, 乡镇/街道, 区县 + 部门), for people.
fn counts_with_names(
    counts: &DataFrame,
    settings: &crate::settings::Settings,
    townships: &std::collections::HashMap<String, String>,
) -> Result<DataFrame> {
    let level = counts
        .column("level")
        .context("预警")?
        .str()
        .context("预警")?;
    let key = counts
        .column("key")
        .context("预警")?
        .str()
        .context("预警")?;
    let region = |code: &str| settings.regions.name(code).unwrap_or(code).to_owned();
    let (levels, names): (Vec<&str>, Vec<String>) = level
        .iter()
        .zip(key.iter())
        .map(|(l, k)| {
            let (l, k) = (l.unwrap_or(""), k.unwrap_or(""));
            match l {
                "region" => ("区县", region(k)),
                "township" => (
                    "乡镇/街道",
                    match townships.get(k) {
                        Some(n) => format!("{} {n}", region(&k[..6.min(k.len())])),
                        None if k.ends_with("000") => {
                            format!("{}（区县本级）", region(&k[..6.min(k.len())]))
                        }
                        None => k.to_owned(),
                    },
                ),
                _ => match k.split_once('/') {
                    Some((r, d)) => ("部门", format!("{} {d}", region(r))),
                    None => ("部门", k.to_owned()),
                },
            }
        })
        .unzip();
    let mut columns = vec![
        Series::new("层级".into(), levels).into_column(),
        Series::new("名称".into(), names).into_column(),
    ];
    for l in watch::LIGHTS.iter().chain(&["合计"]) {
        columns.push(counts.column(l).context("预警")?.clone());
    }
    DataFrame::new(counts.height(), columns).context("预警")
}
