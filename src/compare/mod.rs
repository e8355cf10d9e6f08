//! District comparison (区县对比, docs/SPEC.md §6): for each indicator and quarter, the pooled
//! city value beside the plain mean of district values, ranks among siblings honouring
//! `better` (ties share a rank: 1, 2, 2, 4), change on the previous quarter and on the
//! same quarter a year earlier (百分点 for rates, % for counts and means), target met or
//! not, distance to the best district, and the composite score of a scheme.
//!
//! It works on the indicator long table, a few hundred rows per quarter, in plain Rust.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use polars::prelude::*;

use crate::error::{Error, PolarsContext, Result};
use crate::format;
use crate::indicators::{Better, Indicator, Kind, Level};
use crate::regions::{city_of, province_of};

pub mod boards;

/// One row of the indicator long table.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub quarter: String,
    pub level: Level,
    pub key: String,
    pub name: String,
    pub indicator: String,
    pub numerator: f64,
    pub denominator: f64,
    pub value: Option<f64>,
    pub unit: String,
}

/// Reads the long table (as written by `pingjia indicators`).
pub fn rows_from_frame(df: &DataFrame) -> Result<Vec<IndicatorRow>> {
    let s = |c: &str| -> Result<StringChunked> {
        Ok(df
            .column(c)
            .context(c.to_owned())?
            .str()
            .context(c.to_owned())?
            .clone())
    };
    let f = |c: &str| -> Result<Float64Chunked> {
        Ok(df
            .column(c)
            .context(c.to_owned())?
            .cast(&DataType::Float64)
            .context(c.to_owned())?
            .f64()
            .context(c.to_owned())?
            .clone())
    };
    let (q, l, k, n, i, u) = (
        s("quarter")?,
        s("level")?,
        s("key")?,
        s("name")?,
        s("indicator")?,
        s("unit")?,
    );
    let (num, den, val) = (f("numerator")?, f("denominator")?, f("value")?);
    (0..df.height())
        .map(|r| {
            let level = l.get(r).unwrap_or_default();
            let level = Level::parse(level).ok_or_else(|| {
                Error::Usage(format!(
                    "row {} of the indicator table: unknown level '{level}'",
                    r + 1
                ))
            })?;
            Ok(IndicatorRow {
                quarter: q.get(r).unwrap_or_default().to_owned(),
                level,
                key: k.get(r).unwrap_or_default().to_owned(),
                name: n.get(r).unwrap_or_default().to_owned(),
                indicator: i.get(r).unwrap_or_default().to_owned(),
                numerator: num.get(r).unwrap_or(0.0),
                denominator: den.get(r).unwrap_or(0.0),
                value: val.get(r),
                unit: u.get(r).unwrap_or_default().to_owned(),
            })
        })
        .collect()
}

/// A composite-score scheme (docs/SPEC.md §6).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Scheme {
    pub name: String,
    /// Scoring: weight, floor and target per indicator.
    pub indicators: BTreeMap<String, SchemeEntry>,
    /// Official targets (达标线) overriding the indicator files' defaults.
    #[serde(default)]
    pub targets: BTreeMap<String, f64>,
    /// Where the settings come from, in the words of the local rules, printed with them:
    /// `rectification_days` (差评整改期限) and `targets` (目标值).
    #[serde(default)]
    pub basis: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, serde::Deserialize)]
pub struct SchemeEntry {
    pub weight: f64,
    pub floor: f64,
    pub target: f64,
}

pub const DEFAULT_SCHEME: &str = include_str!("../../schemes/default.toml");

impl Scheme {
    pub fn load(path: Option<&Path>) -> Result<Self> {
        let (text, origin) = match path {
            Some(p) => (
                std::fs::read_to_string(p).map_err(|e| Error::io(p, e))?,
                p.to_owned(),
            ),
            None => (DEFAULT_SCHEME.to_owned(), "schemes/default.toml".into()),
        };
        let scheme: Scheme = toml::from_str(&text)
            .map_err(|e| Error::input(&origin, format!("not a valid scheme: {e}")))?;
        for (id, e) in &scheme.indicators {
            if e.weight < 0.0 || e.floor == e.target {
                return Err(Error::input(
                    &origin,
                    format!("[indicators.{id}]: weight must be ≥ 0 and floor differ from target"),
                ));
            }
        }
        Ok(scheme)
    }
}

/// Competition ranks (1 = best; ties share a rank: 1, 2, 2, 4). Missing values and
/// indicators without a direction get no rank.
pub fn ranks(values: &[Option<f64>], better: Better) -> Vec<Option<u32>> {
    let key = |v: f64| (v * 1e9).round() as i64; // equal to 9 decimals counts as a tie
    values
        .iter()
        .map(|v| {
            let v = (*v)?;
            let beats = |o: &Option<f64>| match (o, better) {
                (Some(o), Better::Higher) => key(*o) > key(v),
                (Some(o), Better::Lower) => key(*o) < key(v),
                _ => false,
            };
            match better {
                Better::None => None,
                _ => Some(1 + values.iter().filter(|o| beats(o)).count() as u32),
            }
        })
        .collect()
}

/// Change from `before` to `now`: 百分点 for rates, % for counts and means.
pub fn change(now: Option<f64>, before: Option<f64>, is_rate: bool) -> Option<f64> {
    let (now, before) = (now?, before?);
    if is_rate {
        Some((now - before) * 100.0)
    } else if before != 0.0 {
        Some((now - before) / before.abs() * 100.0)
    } else {
        None
    }
}

/// Sub-score 0–100 of a value against a floor and a target.
pub fn score(v: f64, entry: &SchemeEntry, better: Better) -> f64 {
    let x = match better {
        Better::Lower => (entry.floor - v) / (entry.floor - entry.target),
        _ => (v - entry.floor) / (entry.target - entry.floor),
    };
    100.0 * x.clamp(0.0, 1.0)
}

/// Whether a value meets its target.
pub fn met(v: f64, target: f64, better: Better) -> bool {
    match better {
        Better::Lower => v <= target + 1e-12,
        _ => v >= target - 1e-12,
    }
}

/// One row of the comparison table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    pub quarter: String,
    pub level: Level,
    pub key: String,
    pub name: String,
    pub indicator: String,
    pub indicator_name: String,
    pub unit: String,
    pub numerator: f64,
    pub denominator: f64,
    pub value: Option<f64>,
    /// Σ numerators / Σ denominators over the siblings' parent (the city for a district).
    pub parent_value: Option<f64>,
    /// Plain mean of the siblings' values.
    pub sibling_mean: Option<f64>,
    pub rank: Option<u32>,
    /// Siblings ranked: those with a value (docs/SPEC.md §6: 第4位（5个有差评的区县）).
    pub rank_of: u32,
    /// All siblings, with a value or not.
    pub siblings: u32,
    /// Whether another sibling shares the rank (并列).
    pub tied: bool,
    pub previous_value: Option<f64>,
    pub qoq_change: Option<f64>,
    pub year_earlier_value: Option<f64>,
    pub yoy_change: Option<f64>,
    /// Shown in % and changed in 百分点 (the indicator's `kind`).
    pub is_rate: bool,
    /// 百分点 for rates, % otherwise.
    pub change_unit: String,
    pub target: Option<f64>,
    pub met: Option<bool>,
    pub best_value: Option<f64>,
    /// Distance to the best sibling, in 百分点 for rates, in the unit otherwise.
    pub gap_to_best: Option<f64>,
    pub score: Option<f64>,
    /// What it takes to reach the target (docs/SPEC.md §6): the fewest additional successes with
    /// the denominator held, `ceil(target × denominator − numerator)`; for lower-is-better
    /// counts and rates, how many fewer. None when met, or for means and volumes.
    pub to_target: Option<f64>,
    /// Likewise to reach the next better rank (to tie the sibling just ahead).
    pub to_next_rank: Option<f64>,
}

/// The whole number of successes (or fewer failures) that close a gap, counted exactly:
/// numerators are sums of whole cases, so a gap of 2.0000000001 is 2, not 3.
fn whole(gap: f64) -> f64 {
    (gap - 1e-9).ceil().max(0.0)
}

/// What it takes for a row (`num`/`den`, value `v`) to reach `goal` — a target, or the
/// value of the sibling just ahead, given as its own numerator and denominator so that
/// the count is exact. Rates hold the denominator; counts (denominator 1) change the
/// count itself. Means and volumes have no such count.
fn to_reach(
    num: f64,
    den: f64,
    goal_num: f64,
    goal_den: f64,
    better: Better,
    kind: Kind,
) -> Option<f64> {
    if kind == Kind::Mean || den <= 0.0 || goal_den <= 0.0 {
        return None;
    }
    // goal value = goal_num / goal_den; with den held, the numerator must reach
    // goal_num × den / goal_den.
    let needed = goal_num * den / goal_den;
    match better {
        Better::Higher => (num < needed - 1e-9).then(|| whole(needed - num)),
        Better::Lower => (num > needed + 1e-9).then(|| whole(num - needed)),
        Better::None => None,
    }
}

/// Compares the siblings (districts within their city, cities within their province)
/// for one quarter. `indicators` gives names, direction and default targets.
pub fn compare(
    rows: &[IndicatorRow],
    indicators: &[Indicator],
    scheme: &Scheme,
    quarter: &str,
) -> Vec<Comparison> {
    let by_id: HashMap<&str, &Indicator> = indicators.iter().map(|i| (i.id.as_str(), i)).collect();
    let lookup: HashMap<(&str, Level, &str, &str), &IndicatorRow> = rows
        .iter()
        .map(|r| {
            (
                (
                    r.quarter.as_str(),
                    r.level,
                    r.key.as_str(),
                    r.indicator.as_str(),
                ),
                r,
            )
        })
        .collect();
    let prev = format::previous_quarter(quarter).unwrap_or_default();
    let year = format::year_earlier(quarter).unwrap_or_default();
    let mut out = Vec::new();
    // Sibling groups: (level, parent level, parent key) → rows of this quarter.
    let mut groups: BTreeMap<(&str, String, Level), Vec<&IndicatorRow>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.quarter == quarter) {
        // A province is compared with nothing above it: its own row, unranked, for its
        // report's values and changes.
        let Some(parent_level) = r
            .level
            .parent()
            .or(Some(Level::Province).filter(|_| r.level == Level::Province))
        else {
            continue;
        };
        let parent = parent_of(r.level, &r.key);
        groups
            .entry((r.indicator.as_str(), parent, parent_level))
            .or_default()
            .push(r);
    }
    for ((id, parent, parent_level), members) in groups {
        let ind = by_id.get(id);
        let better = ind.map_or(Better::None, |i| i.better);
        // A table's indicator pingjia has no file for is a rate if its unit says so.
        let kind = ind.map_or(
            if members[0].unit == "%" {
                Kind::Rate
            } else {
                Kind::Mean
            },
            |i| i.kind,
        );
        let is_rate = kind == Kind::Rate;
        // "What it takes" is a number of cases or ratings: only for indicators whose
        // numerator counts them (those that name a success or a failure), not, say, the
        // days saved by 承诺时限压缩比.
        let countable = ind.is_some_and(|i| i.success.is_some() || i.failure.is_some());
        let values: Vec<Option<f64>> = members.iter().map(|r| r.value).collect();
        let ranked = members[0].level != Level::Province;
        let rank: Vec<Option<u32>> = if ranked {
            ranks(&values, better)
        } else {
            vec![None; values.len()]
        };
        let valued = values.iter().filter(|v| v.is_some()).count() as u32;
        let present: Vec<f64> = values.iter().flatten().copied().collect();
        let mean =
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64);
        let best = match better {
            Better::Higher => present.iter().copied().reduce(f64::max),
            Better::Lower => present.iter().copied().reduce(f64::min),
            Better::None => None,
        };
        let parent_value = lookup
            .get(&(quarter, parent_level, parent.as_str(), id))
            .and_then(|r| r.value);
        let entry = scheme.indicators.get(id);
        // 达标 is judged against the official target, not the scoring target.
        let target = scheme
            .targets
            .get(id)
            .copied()
            .or(ind.and_then(|i| i.target));
        // The sibling just ahead of each rank: the worst of those that beat it.
        let ahead = |rank: Option<u32>| -> Option<&IndicatorRow> {
            let rank = rank?;
            members
                .iter()
                .zip(ranks(&values, better))
                .filter(|(_, r)| r.is_some_and(|r| r < rank))
                .max_by_key(|(_, r)| *r)
                .map(|(m, _)| *m)
        };
        let shared = |rank: Option<u32>| {
            rank.is_some()
                && ranks(&values, better)
                    .iter()
                    .filter(|r| **r == rank)
                    .count()
                    > 1
        };
        for (r, rank) in members.iter().zip(rank) {
            let at = |q: &str| {
                lookup
                    .get(&(q, r.level, r.key.as_str(), id))
                    .and_then(|x| x.value)
            };
            let (pv, yv) = (at(&prev), at(&year));
            let scale = if is_rate { 100.0 } else { 1.0 };
            out.push(Comparison {
                quarter: quarter.to_owned(),
                level: r.level,
                key: r.key.clone(),
                name: r.name.clone(),
                indicator: id.to_owned(),
                indicator_name: ind.map_or(id.to_owned(), |i| i.name.clone()),
                unit: r.unit.clone(),
                numerator: r.numerator,
                denominator: r.denominator,
                value: r.value,
                parent_value,
                sibling_mean: mean,
                rank,
                rank_of: valued,
                siblings: members.len() as u32,
                tied: shared(rank),
                previous_value: pv,
                qoq_change: change(r.value, pv, is_rate),
                year_earlier_value: yv,
                yoy_change: change(r.value, yv, is_rate),
                is_rate,
                change_unit: if is_rate { "百分点" } else { "%" }.into(),
                target,
                met: target.zip(r.value).map(|(t, v)| met(v, t, better)),
                best_value: best,
                gap_to_best: best.zip(r.value).map(|(b, v)| ((b - v) * scale).abs()),
                score: entry.zip(r.value).map(|(e, v)| score(v, e, better)),
                to_target: target.filter(|_| countable).and_then(|t| {
                    r.value?;
                    to_reach(r.numerator, r.denominator, t, 1.0, better, kind)
                }),
                to_next_rank: ahead(rank).filter(|_| countable).and_then(|a| {
                    to_reach(
                        r.numerator,
                        r.denominator,
                        a.numerator,
                        a.denominator,
                        better,
                        kind,
                    )
                }),
            });
        }
    }
    out.extend(composite(&out, scheme, quarter));
    out
}

/// The weighted composite score per sibling, ranked.
fn composite(rows: &[Comparison], scheme: &Scheme, quarter: &str) -> Vec<Comparison> {
    let mut totals: BTreeMap<(Level, String, String), (f64, f64)> = BTreeMap::new();
    let mut names = HashMap::new();
    for r in rows {
        if let (Some(s), Some(e)) = (r.score, scheme.indicators.get(&r.indicator)) {
            let t = totals
                .entry((r.level, parent_of(r.level, &r.key), r.key.clone()))
                .or_default();
            t.0 += e.weight * s;
            t.1 += e.weight;
            names.insert(r.key.clone(), r.name.clone());
        }
    }
    let mut groups: BTreeMap<(Level, String), Vec<(String, f64)>> = BTreeMap::new();
    for ((level, parent, key), (sum, w)) in totals {
        if w > 0.0 {
            groups
                .entry((level, parent))
                .or_default()
                .push((key, sum / w));
        }
    }
    let mut out = Vec::new();
    for ((level, _), members) in groups {
        let values: Vec<Option<f64>> = members.iter().map(|m| Some(m.1)).collect();
        let rank = ranks(&values, Better::Higher);
        let mean = values.iter().flatten().sum::<f64>() / values.len() as f64;
        let best = values.iter().flatten().copied().reduce(f64::max);
        for ((key, total), rank) in members.iter().zip(rank) {
            out.push(Comparison {
                quarter: quarter.to_owned(),
                level,
                key: key.clone(),
                name: names.get(key).cloned().unwrap_or_default(),
                indicator: "composite_score".into(),
                indicator_name: format!("综合得分（{}）", scheme.name),
                unit: "分".into(),
                numerator: *total,
                denominator: 1.0,
                value: Some(*total),
                parent_value: None,
                sibling_mean: Some(mean),
                rank,
                rank_of: members.len() as u32,
                siblings: members.len() as u32,
                tied: false,
                previous_value: None,
                qoq_change: None,
                year_earlier_value: None,
                yoy_change: None,
                is_rate: false,
                change_unit: "%".into(),
                target: None,
                met: None,
                best_value: best,
                gap_to_best: best.map(|b| b - total),
                score: Some(*total),
                to_target: None,
                to_next_rank: None,
            });
        }
    }
    out
}

fn parent_of(level: Level, key: &str) -> String {
    match level {
        Level::Region => city_of(key),
        Level::Province => String::new(),
        _ => province_of(key),
    }
}

/// The units a report compares (a province's cities, a city's districts; a district's
/// report, its city's districts) that the comparison holds: (code, name), in code order.
pub fn members<'a>(
    comparison: &'a [Comparison],
    scope: &crate::report::Scope,
) -> Vec<(&'a str, &'a str)> {
    let (level, area) = scope.compared();
    let prefix = crate::regions::area_prefix(&area);
    let mut members: Vec<(&str, &str)> = comparison
        .iter()
        .filter(|c| c.level == level && c.key.starts_with(prefix))
        .map(|c| (c.key.as_str(), c.name.as_str()))
        .collect();
    members.sort();
    members.dedup();
    members
}

/// The comparison as a DataFrame.
pub fn to_frame(rows: &[Comparison]) -> Result<DataFrame> {
    let s = |f: fn(&Comparison) -> &str| rows.iter().map(f).map(str::to_owned).collect::<Vec<_>>();
    let o = |f: fn(&Comparison) -> Option<f64>| rows.iter().map(f).collect::<Vec<_>>();
    df! {
        "quarter" => s(|r| &r.quarter),
        "level" => s(|r| r.level.name()),
        "key" => s(|r| &r.key),
        "name" => s(|r| &r.name),
        "indicator" => s(|r| &r.indicator),
        "indicator_name" => s(|r| &r.indicator_name),
        "unit" => s(|r| &r.unit),
        "numerator" => rows.iter().map(|r| r.numerator).collect::<Vec<_>>(),
        "denominator" => rows.iter().map(|r| r.denominator).collect::<Vec<_>>(),
        "value" => o(|r| r.value),
        "parent_value" => o(|r| r.parent_value),
        "sibling_mean" => o(|r| r.sibling_mean),
        "rank" => rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
        "rank_of" => rows.iter().map(|r| r.rank_of).collect::<Vec<_>>(),
        "siblings" => rows.iter().map(|r| r.siblings).collect::<Vec<_>>(),
        "previous_value" => o(|r| r.previous_value),
        "qoq_change" => o(|r| r.qoq_change),
        "year_earlier_value" => o(|r| r.year_earlier_value),
        "yoy_change" => o(|r| r.yoy_change),
        "change_unit" => s(|r| &r.change_unit),
        "target" => o(|r| r.target),
        "met" => rows.iter().map(|r| r.met).collect::<Vec<_>>(),
        "best_value" => o(|r| r.best_value),
        "gap_to_best" => o(|r| r.gap_to_best),
        "score" => o(|r| r.score),
        "to_target" => o(|r| r.to_target),
        "to_next_rank" => o(|r| r.to_next_rank),
    }
    .context("comparison table")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::metadata::parse;

    fn indicator(id: &str, unit: &str, better: &str, target: Option<&str>) -> Indicator {
        let t = target
            .map(|t| format!("-- target: {t}\n"))
            .unwrap_or_default();
        let kind = match unit {
            "%" => "rate",
            "件" | "条" => "count",
            _ => "mean",
        };
        let text = format!("-- id: {id}\n-- name: {id}名\n-- unit: {unit}\n-- kind: {kind}\n-- better: {better}\n-- 口径: 测试。\n-- success: 成功{{n}}件\n-- failure: 失败{{n}}件\n{t}SELECT COUNT(*) AS numerator, COUNT(*) AS denominator FROM ratings\n");
        parse(&text, Path::new(&format!("{id}.sql"))).unwrap()
    }

    fn row(
        q: &str,
        level: Level,
        key: &str,
        id: &str,
        num: f64,
        den: f64,
        unit: &str,
    ) -> IndicatorRow {
        IndicatorRow {
            quarter: q.into(),
            level,
            key: key.into(),
            name: key.into(),
            indicator: id.into(),
            numerator: num,
            denominator: den,
            value: (den != 0.0).then(|| num / den),
            unit: unit.into(),
        }
    }

    fn no_scheme() -> Scheme {
        Scheme {
            name: "空".into(),
            indicators: BTreeMap::new(),
            targets: BTreeMap::new(),
            basis: BTreeMap::new(),
        }
    }

    #[test]
    fn ties_share_a_rank_and_lower_can_be_better() {
        let v = [Some(0.99), Some(1.0), Some(0.99), Some(0.5), None];
        assert_eq!(
            ranks(&v, Better::Higher),
            [Some(2), Some(1), Some(2), Some(4), None]
        );
        // Average days: fewer is better; 1.0 and 1.0 tie for first, 2.5 is third.
        let days = [Some(2.5), Some(1.0), Some(1.0), Some(4.0)];
        assert_eq!(
            ranks(&days, Better::Lower),
            [Some(3), Some(1), Some(1), Some(4)]
        );
        assert_eq!(ranks(&days, Better::None), [None, None, None, None]);
    }

    /// 张店 completes 990 of 1,000 on time (99%); 高青 1 of 2 (50%). The city pools them:
    /// 991 / 1,002 = 98.902%, while the plain mean of the two rates is 74.5%.
    /// Worked by hand. 按期办结率, target 100%: A 997/1000, B 495/500 and C 198/200 (a tie
    /// at 99%), D 90/100, E nothing completed. Ranks among the four with a value: 1, 2, 2,
    /// 4. To the target, the denominator held: A 1000 − 997 = 3, B 5, C 2, D 10. To the
    /// rank ahead — the worst of those ahead: B and C need A's 99.7%, 0.997 × 500 = 498.5
    /// → 4 more and 0.997 × 200 = 199.4 → 2 more; D needs 99%, 0.99 × 100 − 90 = 9.
    /// 超期未办结 (lower is better, target 0): 3 open cases are 3 too many.
    #[test]
    fn what_it_takes_to_reach_the_target_and_the_next_rank() {
        let q = "2025Q4";
        let rows = vec![
            row(
                q,
                Level::Region,
                "370302",
                "on_time_rate",
                997.0,
                1000.0,
                "%",
            ),
            row(
                q,
                Level::Region,
                "370303",
                "on_time_rate",
                495.0,
                500.0,
                "%",
            ),
            row(
                q,
                Level::Region,
                "370304",
                "on_time_rate",
                198.0,
                200.0,
                "%",
            ),
            row(q, Level::Region, "370305", "on_time_rate", 90.0, 100.0, "%"),
            row(q, Level::Region, "370306", "on_time_rate", 0.0, 0.0, "%"),
            row(q, Level::Region, "370302", "overdue_open", 3.0, 1.0, "件"),
            row(q, Level::Region, "370303", "overdue_open", 0.0, 1.0, "件"),
        ];
        let c = compare(
            &rows,
            &[
                indicator("on_time_rate", "%", "higher", Some("1.0")),
                indicator("overdue_open", "件", "lower", Some("0")),
            ],
            &no_scheme(),
            q,
        );
        let at = |key: &str, id: &str| {
            c.iter()
                .find(|r| r.key == key && r.indicator == id)
                .unwrap()
        };
        let got: Vec<_> = ["370302", "370303", "370304", "370305", "370306"]
            .iter()
            .map(|k| {
                let r = at(k, "on_time_rate");
                (r.rank, r.to_target, r.to_next_rank)
            })
            .collect();
        assert_eq!(
            got,
            [
                (Some(1), Some(3.0), None),
                (Some(2), Some(5.0), Some(4.0)),
                (Some(2), Some(2.0), Some(2.0)),
                (Some(4), Some(10.0), Some(9.0)),
                (None, None, None),
            ]
        );
        let e = at("370306", "on_time_rate");
        assert_eq!(
            (e.rank_of, e.siblings),
            (4, 5),
            "ranked among those with a value"
        );
        assert_eq!(at("370302", "overdue_open").to_target, Some(3.0));
        assert_eq!(at("370303", "overdue_open").to_target, None, "met");
        let tied = |k: &str| at(k, "on_time_rate").tied;
        assert_eq!(
            (tied("370302"), tied("370303"), tied("370304")),
            (false, true, true)
        );

        // Days saved (承诺时限压缩比's numerator) are no count of cases: no "what it takes".
        let plain = parse(
            "-- id: time_compression_rate\n-- name: 压缩比\n-- unit: %\n-- kind: rate\n-- better: higher\n-- 口径: 测试。\n-- target: 0.5\nSELECT COUNT(*) AS numerator, COUNT(*) AS denominator FROM matters\n",
            Path::new("time_compression_rate.sql"),
        )
        .unwrap();
        let rows = vec![
            row(
                q,
                Level::Region,
                "370303",
                "time_compression_rate",
                30.0,
                100.0,
                "%",
            ),
            row(
                q,
                Level::Region,
                "370304",
                "time_compression_rate",
                60.0,
                100.0,
                "%",
            ),
        ];
        let c = compare(&rows, &[plain], &no_scheme(), q);
        let r = c.iter().find(|r| r.key == "370303").unwrap();
        assert_eq!(
            (r.met, r.to_target, r.to_next_rank),
            (Some(false), None, None)
        );
    }

    #[test]
    fn pooled_city_value_beside_the_mean_of_districts() {
        let q = "2025Q4";
        let rows = vec![
            row(
                q,
                Level::Region,
                "370303",
                "on_time_rate",
                990.0,
                1000.0,
                "%",
            ),
            row(q, Level::Region, "370322", "on_time_rate", 1.0, 2.0, "%"),
            row(q, Level::City, "370300", "on_time_rate", 991.0, 1002.0, "%"),
        ];
        let c = compare(
            &rows,
            &[indicator("on_time_rate", "%", "higher", Some("1.0"))],
            &no_scheme(),
            q,
        );
        let zd = c.iter().find(|r| r.key == "370303").unwrap();
        assert!((zd.parent_value.unwrap() - 991.0 / 1002.0).abs() < 1e-12);
        assert!((zd.sibling_mean.unwrap() - 0.745).abs() < 1e-12);
        assert_eq!((zd.rank, zd.rank_of), (Some(1), 2));
        assert_eq!(zd.met, Some(false), "99% misses the 100% target");
        let gq = c.iter().find(|r| r.key == "370322").unwrap();
        assert!(
            (gq.gap_to_best.unwrap() - 49.0).abs() < 1e-9,
            "49 百分点 behind 张店"
        );
        // The city itself is ranked among the province's cities (only one here).
        let city = c.iter().find(|r| r.level == Level::City).unwrap();
        assert_eq!(city.rank, Some(1));
    }

    /// 2025Q1 against 2024Q4 (previous quarter, across the year boundary) and 2024Q1.
    #[test]
    fn quarter_on_quarter_and_year_on_year_in_points() {
        let rows = vec![
            row(
                "2024Q1",
                Level::Region,
                "370303",
                "on_time_rate",
                985.0,
                1000.0,
                "%",
            ), // 98.5%
            row(
                "2024Q4",
                Level::Region,
                "370303",
                "on_time_rate",
                993.2,
                1000.0,
                "%",
            ), // 99.32%
            row(
                "2025Q1",
                Level::Region,
                "370303",
                "on_time_rate",
                996.2,
                1000.0,
                "%",
            ), // 99.62%
            row(
                "2024Q1",
                Level::Region,
                "370303",
                "case_volume",
                800.0,
                1.0,
                "件",
            ),
            row(
                "2024Q4",
                Level::Region,
                "370303",
                "case_volume",
                1000.0,
                1.0,
                "件",
            ),
            row(
                "2025Q1",
                Level::Region,
                "370303",
                "case_volume",
                900.0,
                1.0,
                "件",
            ),
        ];
        let inds = [
            indicator("on_time_rate", "%", "higher", None),
            indicator("case_volume", "件", "none", None),
        ];
        let c = compare(&rows, &inds, &no_scheme(), "2025Q1");
        let r = c.iter().find(|r| r.indicator == "on_time_rate").unwrap();
        assert!(
            (r.qoq_change.unwrap() - 0.30).abs() < 1e-9,
            "99.62 − 99.32 = 0.30 个百分点"
        );
        assert!(
            (r.yoy_change.unwrap() - 1.12).abs() < 1e-9,
            "99.62 − 98.50 = 1.12 个百分点"
        );
        assert_eq!(r.change_unit, "百分点");
        assert_eq!(
            format::change(r.qoq_change.unwrap(), true),
            "提高0.30个百分点"
        );
        let v = c.iter().find(|r| r.indicator == "case_volume").unwrap();
        assert!(
            (v.qoq_change.unwrap() + 10.0).abs() < 1e-9,
            "900 vs 1,000: −10%"
        );
        assert!(
            (v.yoy_change.unwrap() - 12.5).abs() < 1e-9,
            "900 vs 800: +12.5%"
        );
        assert_eq!(v.rank, None, "volumes have no better direction");
    }

    /// Scheme: on-time (weight 3, floor 95%, target 100%) and average visits (weight 1,
    /// lower is better, floor 1.0, target 0.2).
    /// A: on-time 97.5% → 50; visits 0.6 → (1.0 − 0.6) / 0.8 = 50 → total 50.
    /// B: on-time 90% → clamped to 0; visits 0.1 → clamped to 100 → total (0·3 + 100·1)/4 = 25.
    /// C: on-time 100% → 100; visits 1.4 → clamped to 0 → total 75.
    #[test]
    fn composite_score_clamps_and_inverts_lower_is_better() {
        let q = "2025Q4";
        let mut rows = Vec::new();
        for (key, on_time, visits) in [
            ("370302", 0.975, 0.6),
            ("370303", 0.90, 0.1),
            ("370304", 1.0, 1.4),
        ] {
            rows.push(row(
                q,
                Level::Region,
                key,
                "on_time_rate",
                on_time * 1000.0,
                1000.0,
                "%",
            ));
            rows.push(row(
                q,
                Level::Region,
                key,
                "avg_max_visits",
                visits * 10.0,
                10.0,
                "次",
            ));
        }
        let scheme = Scheme {
            name: "测试".into(),
            indicators: BTreeMap::from([
                (
                    "on_time_rate".into(),
                    SchemeEntry {
                        weight: 3.0,
                        floor: 0.95,
                        target: 1.0,
                    },
                ),
                (
                    "avg_max_visits".into(),
                    SchemeEntry {
                        weight: 1.0,
                        floor: 1.0,
                        target: 0.2,
                    },
                ),
            ]),
            targets: BTreeMap::from([("avg_max_visits".into(), 0.5)]),
            basis: BTreeMap::new(),
        };
        let inds = [
            indicator("on_time_rate", "%", "higher", Some("1.0")),
            indicator("avg_max_visits", "次", "lower", None),
        ];
        let c = compare(&rows, &inds, &scheme, q);
        let get = |key: &str, id: &str| {
            c.iter()
                .find(|r| r.key == key && r.indicator == id)
                .unwrap()
                .clone()
        };
        assert!((get("370302", "on_time_rate").score.unwrap() - 50.0).abs() < 1e-9);
        assert!((get("370302", "avg_max_visits").score.unwrap() - 50.0).abs() < 1e-9);
        assert_eq!(get("370303", "on_time_rate").score, Some(0.0));
        assert_eq!(get("370303", "avg_max_visits").score, Some(100.0));
        assert_eq!(get("370304", "avg_max_visits").score, Some(0.0));
        let total = |key: &str| get(key, "composite_score");
        assert!((total("370302").value.unwrap() - 50.0).abs() < 1e-9);
        assert!((total("370303").value.unwrap() - 25.0).abs() < 1e-9);
        assert!((total("370304").value.unwrap() - 75.0).abs() < 1e-9);
        assert_eq!(
            [
                total("370304").rank,
                total("370302").rank,
                total("370303").rank
            ],
            [Some(1), Some(2), Some(3)]
        );
        assert_eq!(
            get("370304", "avg_max_visits").rank,
            Some(3),
            "1.4 visits is the worst"
        );
        assert_eq!(
            get("370304", "on_time_rate").met,
            Some(true),
            "the indicator file's target: 100%"
        );
        assert_eq!(get("370302", "on_time_rate").met, Some(false));
        assert_eq!(
            get("370302", "avg_max_visits").met,
            Some(false),
            "0.6 visits misses the scheme's official 0.5"
        );
        assert_eq!(get("370303", "avg_max_visits").met, Some(true));
    }

    #[test]
    fn default_scheme_loads() {
        let s = Scheme::load(None).unwrap();
        let total: f64 = s.indicators.values().map(|e| e.weight).sum();
        assert_eq!(total, 100.0);
    }
}
