//! `pingjia charts DATA --quarter 2025Q4 --out DIR [--region CODE]`: every chart as PNG + SVG.

use crate::charts::{self, ChartData, Theme};
use crate::cli::ChartsArgs;
use crate::error::Result;
use crate::indicators::Level;
use crate::report::Scope;

pub fn run(args: &ChartsArgs) -> Result<()> {
    let c = super::compare::compute(&args.compare)?;
    let scope = scope_of(&c, args.region.as_deref())?;
    let data = chart_data(&c, &scope);
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

/// What a run without `--region` is about: the province when the data hold several of its
/// cities, else the one city. With `--region`: the city or district that code names.
pub(crate) fn scope_of(c: &super::compare::Compared, region: Option<&str>) -> Result<Scope> {
    let regions = &c.plan.settings.regions;
    let name = |code: &str| regions.name(code).unwrap_or(code).to_owned();
    let cities = c.cities();
    let mut districts: Vec<&str> = c
        .rows
        .iter()
        .filter(|r| r.level == Level::Region)
        .map(|r| r.key.as_str())
        .collect();
    districts.sort();
    districts.dedup();
    match region {
        Some(code) if cities.contains(code) => Ok(Scope::City {
            code: code.to_owned(),
            name: name(code),
        }),
        Some(code) if districts.contains(&code) => Ok(Scope::District {
            code: code.to_owned(),
            name: name(code),
            city: name(&crate::regions::city_of(code)),
        }),
        Some(code) => {
            let listed = |codes: &mut dyn Iterator<Item = &str>| -> String {
                codes
                    .map(|c| format!("{c} {}", name(c)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Err(c.refusal(format!(
                "--region {code} is not in the data; cities: {}; districts: {}",
                listed(&mut cities.iter().map(String::as_str)),
                listed(&mut districts.iter().copied())
            )))
        }
        None => {
            let provinces: std::collections::BTreeSet<String> = cities
                .iter()
                .map(|c| crate::regions::province_of(c))
                .collect();
            match (cities.len(), provinces.len()) {
                (0, _) => Err(c.refusal(
                    "the indicator table has no city or district rows to compare".into(),
                )),
                (1, _) => {
                    let code = cities.iter().next().expect("one").clone();
                    Ok(Scope::City {
                        name: name(&code),
                        code,
                    })
                }
                (_, 1) => {
                    let code = provinces.into_iter().next().expect("one");
                    Ok(Scope::Province {
                        name: name(&code),
                        code,
                    })
                }
                _ => Err(c.refusal(format!(
                    "the data hold cities of {} provinces ({}); give --region with a city code for one city's report",
                    provinces.len(),
                    provinces.iter().map(|p| name(p)).collect::<Vec<_>>().join("、")
                ))),
            }
        }
    }
}

/// The charts of a scope: a province's cities, a city's districts, a district among its
/// city's (highlighted).
pub(crate) fn chart_data<'a>(c: &'a super::compare::Compared, scope: &Scope) -> ChartData<'a> {
    let regions = &c.plan.settings.regions;
    let name = |code: &str| regions.name(code).unwrap_or(code).to_owned();
    let (level, parent) = scope.compared();
    let highlight = match scope {
        Scope::District { code, .. } => Some(code.clone()),
        _ => None,
    };
    let prefix = crate::regions::area_prefix(&parent).to_owned();
    let mut members: Vec<(String, String)> = c
        .rows
        .iter()
        .filter(|r| r.level == level && r.key.starts_with(&prefix))
        .map(|r| (r.key.clone(), r.name.clone()))
        .collect();
    members.sort();
    members.dedup_by(|a, b| a.0 == b.0);
    let province = matches!(scope, Scope::Province { .. });
    ChartData {
        quarter: c.quarter.clone(),
        rows: &c.areas,
        index: ChartData::index_of(&c.areas),
        comparison: &c.comparison,
        indicators: &c.plan.indicators,
        scheme: &c.scheme,
        parent: (parent.clone(), name(&parent)),
        members,
        member_word: if province { "市" } else { "区县" },
        whole_word: if province { "全省" } else { "全市" },
        highlight,
    }
}
