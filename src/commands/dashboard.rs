//! `pingjia dashboard DATA --out DIR [--region CODE]`: the dashboard (看板), one HTML file
//! with every quarter's comparison and the drill-down to departments and matters; also
//! written by `report` beside report.html.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use polars::prelude::*;

use super::compare::Compared;
use crate::cli::DashboardArgs;
use crate::compare::boards::{self, Board};
use crate::error::{Error, PolarsContext, Result};
use crate::indicators::{Better, Level};
use crate::report::dashboard::{self as page, Data};
use crate::report::Scope;

/// How many matters of a department the page lists per quarter, by case volume (those on
/// a 红黑榜 besides).
const MATTERS_PER_DEPARTMENT: usize = 10;

pub fn run(args: &DashboardArgs) -> Result<()> {
    let started = std::time::Instant::now();
    let bar = crate::output::progress::bar(2, "看板 dashboard");
    bar.set_message("读取、计算指标 ingest · indicators");
    let c = super::compare::compute(&args.compare)?;
    bar.inc(1);
    let scope = super::charts::scope_of(&c, args.region.as_deref())?;
    bar.set_message("看板 dashboard");
    let lists = match c.source.whole() {
        Some(p) => Some(Lists {
            findings: crate::audit::run(
                &p.ingested,
                &p.enriched,
                &crate::audit::AuditRules {
                    peers: match scope {
                        Scope::Province { .. } => crate::audit::Peers::Province,
                        _ => crate::audit::Peers::City,
                    },
                    ..Default::default()
                },
            )?,
            open_now: super::report::open_now(p, &c)?,
        }),
        None => None,
    };
    let path = write(&c, &scope, lists.as_ref(), &args.compare.out)?;
    bar.finish_and_clear();
    eprintln!(
        "{}：用时 {:.1} 秒\nwrote {}",
        scope.name(),
        started.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(())
}

/// What the page shows besides the indicator table, when the data was read whole.
pub(crate) struct Lists {
    pub findings: Vec<crate::audit::Finding>,
    /// 预警 at the as-of time (None when the data give no as-of time).
    pub open_now: Option<DataFrame>,
}

/// Writes `<out>/dashboard.html` for `scope`.
pub(crate) fn write(
    c: &Compared,
    scope: &Scope,
    lists: Option<&Lists>,
    out: &std::path::Path,
) -> Result<PathBuf> {
    let data = data(c, scope, lists)?;
    let text = page::render(&data).map_err(Error::Usage)?;
    let path = out.join("dashboard.html");
    crate::output::write_atomic(&path, |f| std::io::Write::write_all(f, text.as_bytes()))?;
    Ok(path)
}

/// The page's data: the areas of the scope's whole (a district's dashboard is its city's,
/// opened on it), the comparison of every quarter, the units of every district.
pub(crate) fn data(c: &Compared, scope: &Scope, lists: Option<&Lists>) -> Result<Data> {
    let regions = &c.plan.settings.regions;
    let (top_level, top_code) = match scope {
        Scope::Province { code, .. } => (Level::Province, code.clone()),
        Scope::City { code, .. } => (Level::City, code.clone()),
        Scope::District { code, .. } => (Level::City, crate::regions::city_of(code)),
    };
    let prefix = crate::regions::area_prefix(&top_code).to_owned();

    // The areas: the whole, its cities (a province's), their districts.
    let mut areas: Vec<page::Area> = vec![page::Area {
        name: regions.name(&top_code).unwrap_or(&top_code).to_owned(),
        code: top_code.clone(),
        parent: None,
        level: level_word(top_level),
    }];
    // Cities (depth 0, a province's) before districts (1), each in code order.
    let mut named: BTreeMap<(u8, String), String> = BTreeMap::new();
    for r in &c.areas {
        let depth = match r.level {
            Level::City if top_level == Level::Province => 0,
            Level::Region => 1,
            _ => continue,
        };
        if r.key.starts_with(&prefix) && r.key != top_code {
            named
                .entry((depth, r.key.clone()))
                .or_insert_with(|| r.name.clone());
        }
    }
    let mut index: HashMap<(Level, String), usize> = HashMap::new();
    index.insert((top_level, top_code.clone()), 0);
    for ((depth, code), name) in named {
        let (level, parent) = if depth == 0 {
            (Level::City, Some(0))
        } else if top_level == Level::Province {
            let city = crate::regions::city_of(&code);
            match index.get(&(Level::City, city)) {
                Some(&p) => (Level::Region, Some(p)),
                None => continue, // a district of a city with no row of its own
            }
        } else {
            (Level::Region, Some(0))
        };
        index.insert((level, code.clone()), areas.len());
        areas.push(page::Area {
            code,
            name,
            parent,
            level: level_word(level),
        });
    }
    let open = match scope {
        Scope::District { code, .. } => index.get(&(Level::Region, code.clone())).copied(),
        _ => None,
    };

    // Quarters with the area's rows, in order; indicators that rank.
    let mut quarters: Vec<String> = c.areas.iter().map(|r| r.quarter.clone()).collect();
    quarters.sort();
    quarters.dedup();
    let q_index: HashMap<&str, u16> = quarters
        .iter()
        .enumerate()
        .map(|(k, q)| (q.as_str(), k as u16))
        .collect();
    let on_boards: Vec<&str> = boards::on_boards(&c.plan.indicators)
        .iter()
        .map(|i| i.id.as_str())
        .collect();
    let mut shown: Vec<&crate::indicators::Indicator> = c
        .plan
        .indicators
        .iter()
        .filter(|i| i.better != Better::None || i.id == "case_volume")
        .collect();
    shown.sort_by_key(|i| i.headline.unwrap_or(u32::MAX));
    let i_index: HashMap<&str, u16> = shown
        .iter()
        .enumerate()
        .map(|(k, i)| (i.id.as_str(), k as u16))
        .collect();
    let indicators = shown
        .iter()
        .map(|i| page::Indicator {
            id: i.id.clone(),
            name: i.name.clone(),
            short: crate::charts::short_name(i),
            unit: i.unit.clone(),
            rate: i.is_rate(),
            better: match i.better {
                Better::Higher => 1,
                Better::Lower => -1,
                Better::None => 0,
            },
            // 达标 is judged against the official target (as compare does).
            target: c.scheme.targets.get(&i.id).copied().or(i.target),
            headline: i.headline.is_some(),
            board: on_boards.contains(&i.id.as_str()),
            success: i.success.clone(),
        })
        .collect();

    // The comparison of every quarter, as the report compares its own (cities with no
    // cases in a quarter are not ranked in it).
    let mut rows = page::Rows::default();
    for q in &quarters {
        let unranked: Vec<String> = super::report::missing_members(c, scope, q)
            .into_iter()
            .map(|m| m.0)
            .collect();
        let mut compared = c.comparison_in(q, &unranked);
        compared.sort_by_key(|r| index.get(&(r.level, r.key.clone())).copied());
        for r in compared {
            let (Some(&a), Some(&i)) = (
                index.get(&(r.level, r.key.clone())),
                i_index.get(r.indicator.as_str()),
            ) else {
                continue;
            };
            rows.push((q_index[q.as_str()], a as u32, i), &r);
        }
    }

    let unit_indicators: Vec<u16> = shown
        .iter()
        .filter(|i| i.id == "case_volume" || on_boards.contains(&i.id.as_str()))
        .map(|i| i_index[i.id.as_str()])
        .collect();
    let u_index: HashMap<&str, u8> = unit_indicators
        .iter()
        .enumerate()
        .map(|(k, &i)| (shown[i as usize].id.as_str(), k as u8))
        .collect();
    let (units, unit_rows) = units(c, &index, &q_index, &u_index, &quarters);

    // 预警 and findings per district, summed up to cities and the whole.
    let up = |code: &str| -> Vec<usize> {
        let mut hit = Vec::new();
        let mut at = index.get(&(Level::Region, code.to_owned())).copied();
        while let Some(a) = at {
            hit.push(a);
            at = areas[a].parent;
        }
        hit
    };
    let count_by_area = |df: &DataFrame, column: Option<&str>| -> Result<Vec<(usize, String)>> {
        let codes = df
            .column("region_code")
            .context("dashboard")?
            .str()
            .context("dashboard")?;
        let kinds = match column {
            Some(col) => Some(
                df.column(col)
                    .context("dashboard")?
                    .str()
                    .context("dashboard")?
                    .clone(),
            ),
            None => None,
        };
        let mut out = Vec::new();
        for (k, code) in codes.iter().enumerate() {
            let Some(code) = code else { continue };
            let kind = kinds
                .as_ref()
                .and_then(|s| s.get(k))
                .unwrap_or("")
                .to_owned();
            for a in up(code) {
                out.push((a, kind.clone()));
            }
        }
        Ok(out)
    };
    let (warnings, findings) = match lists {
        Some(l) => {
            let warnings = match &l.open_now {
                Some(df) => {
                    let mut w: BTreeMap<usize, [u64; 3]> = BTreeMap::new();
                    for (a, light) in count_by_area(df, Some("light"))? {
                        if let Some(k) = crate::watch::LIGHTS.iter().position(|x| *x == light) {
                            w.entry(a).or_default()[k] += 1;
                        }
                    }
                    Some(w)
                }
                None => None,
            };
            let mut findings = Vec::new();
            for f in &l.findings {
                if f.rows.column("region_code").is_err() {
                    continue;
                }
                let mut counts: BTreeMap<usize, u64> = BTreeMap::new();
                for (a, _) in count_by_area(&f.rows, None)? {
                    *counts.entry(a).or_default() += 1;
                }
                findings.push(page::FindingCounts {
                    name: f.name.to_owned(),
                    rule: f.rule.clone(),
                    counts,
                });
            }
            (warnings, Some(findings))
        }
        None => (None, None),
    };

    let whole = match top_level {
        Level::Province => "全省",
        _ => "全市",
    };
    let members = match top_level {
        Level::Province => "各市",
        _ => "各区县",
    };
    let as_of = c.as_of.map(crate::output::run::timestamp_text);
    Ok(Data {
        title: format!("{}政务服务评估看板", areas[0].name),
        basis: format!(
            "{}{}；{whole}值为{members}分子之和÷分母之和。选择季度和指标查看排名，点击名称逐级查看部门和事项。",
            match &as_of {
                Some(t) => format!("数据统计截止 {t}"),
                None => "预先计算的指标表".to_owned(),
            },
            quarters
                .first()
                .zip(quarters.last())
                .map(|(a, b)| format!("，{}至{}", crate::format::quarter(a), crate::format::quarter(b)))
                .unwrap_or_default(),
        ),
        top: 0,
        open,
        quarter: c.quarter.clone(),
        quarter_names: quarters.iter().map(|q| crate::format::quarter(q)).collect(),
        quarters,
        as_of,
        warning_rule: c.plan.rules.warning.describe(),
        board_rules: page::BoardRules {
            size: c.board_rules.size,
            min_cases: c.board_rules.min_cases,
            min_ratings: c.board_rules.min_ratings,
        },
        matters_per_department: MATTERS_PER_DEPARTMENT,
        indicators,
        areas,
        rows,
        units,
        unit_indicators,
        unit_rows,
        warnings,
        findings,
        settings: super::report::printed_settings(c, true, scope),
    })
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Province => "province",
        Level::City => "city",
        _ => "region",
    }
}

/// The departments, 乡镇/街道 and matters of every district with their values on the board
/// indicators and the case volume (`indicators`: id → index among the unit indicators),
/// and their place on the district's 红黑榜 in each quarter. A department lists its
/// busiest matters and those on a board.
fn units(
    c: &Compared,
    areas: &HashMap<(Level, String), usize>,
    q_index: &HashMap<&str, u16>,
    indicators: &HashMap<&str, u8>,
    quarters: &[String],
) -> (page::Units, page::UnitRows) {
    let mut units = page::Units::default();
    let mut unit_index: HashMap<String, u32> = HashMap::new();
    let mut out = page::UnitRows::default();
    for q in quarters {
        // Each unit's place within its district.
        let placed: HashMap<(Level, String, String), (Option<u32>, Board)> = boards::boards(
            &c.rows,
            &c.plan.indicators,
            q,
            &c.board_rules,
            &c.plan.settings.regions,
        )
        .into_iter()
        .filter(|e| e.within == Level::Region)
        .map(|e| ((e.level, e.key, e.indicator), (e.rank, e.board)))
        .collect();
        let of_quarter: Vec<&crate::compare::IndicatorRow> = c
            .rows
            .iter()
            .filter(|r| {
                &r.quarter == q
                    && matches!(r.level, Level::Department | Level::Township | Level::Matter)
                    && !(r.level == Level::Township && r.key.ends_with("000"))
                    && indicators.contains_key(r.indicator.as_str())
            })
            .collect();
        // A department's matters: the busiest, and those on a board.
        let volume: HashMap<&str, f64> = of_quarter
            .iter()
            .filter(|r| r.level == Level::Matter && r.indicator == "case_volume")
            .map(|r| (r.key.as_str(), r.numerator))
            .collect();
        let mut by_department: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for &key in volume.keys() {
            by_department
                .entry(department_of(c, key))
                .or_default()
                .push(key);
        }
        let mut kept: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for list in by_department.values_mut() {
            list.sort_by(|a, b| volume[b].total_cmp(&volume[a]).then(a.cmp(b)));
            kept.extend(list.iter().take(MATTERS_PER_DEPARTMENT));
        }
        for ((level, key, _), (_, board)) in &placed {
            if *level == Level::Matter && matches!(board, Board::Red | Board::Black) {
                kept.insert(key.as_str());
            }
        }
        // Grouped by unit, in the order units first appear.
        let mut groups: BTreeMap<u32, Vec<&crate::compare::IndicatorRow>> = BTreeMap::new();
        for r in of_quarter {
            if r.level == Level::Matter && !kept.contains(r.key.as_str()) {
                continue;
            }
            let Some(&area) = areas.get(&(Level::Region, boards::district_of(r.level, &r.key)))
            else {
                continue;
            };
            let dept = (r.level == Level::Matter).then(|| {
                let key = department_of(c, &r.key);
                let name = key.split_once('/').map_or("", |(_, d)| d).to_owned();
                unit(
                    &mut units,
                    &mut unit_index,
                    &key,
                    name,
                    Level::Department,
                    area,
                    None,
                )
            });
            let u = unit(
                &mut units,
                &mut unit_index,
                &r.key,
                r.name.clone(),
                r.level,
                area,
                dept,
            );
            groups.entry(u).or_default().push(r);
        }
        for (u, rows) in groups {
            out.q.push(q_index[q.as_str()]);
            out.u.push(u);
            out.len.push(rows.len() as u32);
            for r in rows {
                let (rank, board) = placed
                    .get(&(r.level, r.key.clone(), r.indicator.clone()))
                    .copied()
                    .unwrap_or((None, Board::Middle));
                out.v.push(r.value.map(page::shown));
                let board = match board {
                    Board::Middle => 0,
                    Board::Red => 1,
                    Board::Black => 2,
                    Board::TooFew => 3,
                };
                let k = indicators.len() as u32;
                out.code.push(
                    (4 * rank.unwrap_or(0) + board) * k + indicators[r.indicator.as_str()] as u32,
                );
            }
        }
    }
    (units, out)
}

/// The department key (`370303/区市场监管局`) a matter key belongs to, from the catalogue.
fn department_of(c: &Compared, matter: &str) -> String {
    let district = matter.split('/').next().unwrap_or(matter);
    let department = c
        .catalogue
        .get(matter)
        .map(|(_, d)| d.as_str())
        .unwrap_or("");
    format!("{district}/{department}")
}

/// The index of a unit, added when new.
fn unit(
    units: &mut page::Units,
    index: &mut HashMap<String, u32>,
    key: &str,
    name: String,
    level: Level,
    area: usize,
    dept: Option<u32>,
) -> u32 {
    *index.entry(key.to_owned()).or_insert_with(|| {
        units
            .key
            .push((level != Level::Matter).then(|| key.to_owned()));
        units.name.push(name);
        units.kind.push(match level {
            Level::Department => 0,
            Level::Township => 1,
            _ => 2,
        });
        units.area.push(area as u32);
        units.dept.push(dept);
        units.name.len() as u32 - 1
    })
}
