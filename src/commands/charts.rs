//! `pingjia charts DATA --quarter 2025Q4 --out DIR [--region CODE]`: every chart as PNG + SVG.

use crate::charts::{self, ChartData, Theme};
use crate::cli::ChartsArgs;
use crate::error::{Error, Result};
use crate::indicators::Level;

pub fn run(args: &ChartsArgs) -> Result<()> {
    let c = super::compare::compute(&args.compare)?;
    let data = chart_data(&c, args.region.clone())?;
    let timer = super::Timer::start();
    let written = charts::render_all(
        &data,
        &args.compare.out.join("charts"),
        Theme::for_dpi(args.dpi),
    )?;
    timer.lap("charts");
    eprintln!(
        "{} charts for {}",
        written.charts.len(),
        crate::format::quarter(&c.quarter)
    );
    for chart in &written.charts {
        eprintln!("wrote {} and {}", chart.png.display(), chart.svg.display());
    }
    for (_, why) in &written.skipped {
        eprintln!("{why}");
    }
    Ok(())
}

/// The city to chart (the highlighted district's, else the one with most districts) and
/// its districts.
pub(crate) fn chart_data(
    c: &super::compare::Compared,
    highlight: Option<String>,
) -> Result<ChartData<'_>> {
    let mut districts: Vec<(String, String)> = c
        .rows
        .iter()
        .filter(|r| r.level == Level::Region)
        .map(|r| (r.key.clone(), r.name.clone()))
        .collect();
    districts.sort();
    districts.dedup();
    let city_code = match &highlight {
        Some(code) => {
            if !districts.iter().any(|d| &d.0 == code) {
                let known: Vec<String> =
                    districts.iter().map(|(c, n)| format!("{c} {n}")).collect();
                return Err(Error::Usage(format!(
                    "--region {code} is not in the data; districts: {}",
                    known.join(", ")
                )));
            }
            crate::regions::city_of(code)
        }
        None => {
            let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
            for (code, _) in &districts {
                *counts.entry(crate::regions::city_of(code)).or_default() += 1;
            }
            counts
                .into_iter()
                .max_by_key(|(_, n)| *n)
                .map(|(c, _)| c)
                .unwrap_or_default()
        }
    };
    districts.retain(|(code, _)| crate::regions::city_of(code) == city_code);
    let city_name = c
        .plan
        .settings
        .regions
        .name(&city_code)
        .unwrap_or(&city_code)
        .to_owned();
    Ok(ChartData {
        quarter: c.quarter.clone(),
        rows: &c.rows,
        comparison: &c.comparison,
        indicators: &c.plan.indicators,
        scheme: &c.scheme,
        city: (city_code, city_name),
        districts,
        highlight,
    })
}
