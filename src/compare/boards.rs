//! 红黑榜 (docs/SPEC.md §6): the departments, matters and 乡镇/街道 ranked on the headline
//! indicators, within the city and within each district. A unit is ranked only with
//! enough volume (a setting: 30 cases, or 5 ratings for an indicator over ratings);
//! below it, it is 样本不足. Ranks are competition ranks among the ranked units (ties
//! share: 1, 2, 2, 4). 红榜 holds the units ranked in the first N (ties included), 黑榜
//! those in the last N counted from the bottom the same way — N being the board size, or
//! half the ranked units when there are fewer than twice as many. A unit within N of both
//! ends goes to the nearer one (two at 100% and five tied at 0%: the five are 3rd from the
//! top but 1st from the bottom, so 黑榜); when every unit ties, none stands out and there
//! is no board.
//!
//! ```text
//! indicator rows (department, matter, township) × headline rates over cases or ratings
//!   → per quarter, indicator and level: groups within each district and within the city
//!   → ranks among units with the volume → 红榜 / 黑榜 / 样本不足
//! ```

use polars::prelude::*;

use super::{ranks, IndicatorRow};
use crate::error::{PolarsContext, Result};
use crate::indicators::{Better, Indicator, Level};
use crate::regions::{city_of, Regions};

/// The settings of the boards.
#[derive(Debug, Clone, Copy)]
pub struct BoardRules {
    /// Fewest cases (the denominator of an indicator over cases) to be ranked.
    pub min_cases: f64,
    /// Fewest ratings (the denominator of an indicator over ratings or 差评).
    pub min_ratings: f64,
    /// How many ranks each board shows.
    pub size: u32,
}

impl Default for BoardRules {
    fn default() -> Self {
        BoardRules {
            min_cases: 30.0,
            min_ratings: 5.0,
            size: 5,
        }
    }
}

/// Which board a unit is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Board {
    Red,
    Black,
    /// Ranked, on neither board.
    Middle,
    /// Too little volume to be ranked.
    TooFew,
}

impl Board {
    pub fn label(self) -> &'static str {
        match self {
            Board::Red => "红榜",
            Board::Black => "黑榜",
            Board::Middle => "",
            Board::TooFew => "样本不足",
        }
    }
}

/// One unit on one indicator's board of one scope.
#[derive(Debug, Clone)]
pub struct Entry {
    pub quarter: String,
    /// The scope it is ranked within: the city or a district.
    pub within: Level,
    pub within_key: String,
    pub level: Level,
    pub key: String,
    /// Its name with its district's: 张店区市场监管局, 张店区「公司设立登记」.
    pub name: String,
    pub indicator: String,
    pub numerator: f64,
    pub denominator: f64,
    pub value: Option<f64>,
    pub rank: Option<u32>,
    /// How many units were ranked in the scope.
    pub ranked: usize,
    pub board: Board,
}

/// The indicators with boards: headline rates with a direction, over cases or ratings
/// (not the catalogue, where a department's share of matters is no volume).
pub fn on_boards(indicators: &[Indicator]) -> Vec<&Indicator> {
    let mut out: Vec<&Indicator> = indicators
        .iter()
        .filter(|i| {
            i.headline.is_some()
                && i.is_rate()
                && i.better != Better::None
                && i.shape.view != "matters"
        })
        .collect();
    out.sort_by_key(|i| i.headline);
    out
}

/// Whether an indicator counts ratings (its volume is ratings, not cases).
pub fn over_ratings(indicator: &Indicator) -> bool {
    matches!(indicator.shape.view.as_str(), "ratings" | "bad_ratings")
}

/// The district a department, matter or township key belongs to.
pub(crate) fn district_of(level: Level, key: &str) -> String {
    match level {
        Level::Township => key.chars().take(6).collect(),
        _ => key.split('/').next().unwrap_or(key).to_owned(),
    }
}

/// Every unit of every board of `quarter`.
pub fn boards(
    rows: &[IndicatorRow],
    indicators: &[Indicator],
    quarter: &str,
    rules: &BoardRules,
    regions: &Regions,
) -> Vec<Entry> {
    // A township board only when the data names townships (not only 区县本级).
    let townships = rows
        .iter()
        .any(|r| r.level == Level::Township && !r.key.ends_with("000"));
    let mut levels = vec![Level::Department, Level::Matter];
    if townships {
        levels.push(Level::Township);
    }
    let mut out = Vec::new();
    for ind in on_boards(indicators) {
        let min = if over_ratings(ind) {
            rules.min_ratings
        } else {
            rules.min_cases
        };
        for &level in &levels {
            let units: Vec<&IndicatorRow> = rows
                .iter()
                .filter(|r| {
                    r.quarter == quarter
                        && r.level == level
                        && r.indicator == ind.id
                        && r.value.is_some()
                        && !(level == Level::Township && r.key.ends_with("000"))
                })
                .collect();
            let mut scopes: std::collections::BTreeMap<(Level, String), Vec<&IndicatorRow>> =
                Default::default();
            for r in &units {
                let district = district_of(level, &r.key);
                scopes
                    .entry((Level::City, city_of(&district)))
                    .or_default()
                    .push(r);
                scopes.entry((Level::Region, district)).or_default().push(r);
            }
            for ((within, within_key), members) in scopes {
                out.extend(rank_scope(
                    ind,
                    level,
                    within,
                    &within_key,
                    &members,
                    min,
                    rules,
                    regions,
                ));
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn rank_scope(
    ind: &Indicator,
    level: Level,
    within: Level,
    within_key: &str,
    members: &[&IndicatorRow],
    min: f64,
    rules: &BoardRules,
    regions: &Regions,
) -> Vec<Entry> {
    let eligible: Vec<Option<f64>> = members
        .iter()
        .map(|r| (r.denominator >= min).then_some(r.value).flatten())
        .collect();
    let ranked = eligible.iter().flatten().count();
    let top = ranks(&eligible, ind.better);
    let reversed = match ind.better {
        Better::Higher => Better::Lower,
        _ => Better::Higher,
    };
    let bottom = ranks(&eligible, reversed);
    let size = rules.size.min((ranked as u32 / 2).max(1));
    members
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let district = district_of(level, &r.key);
            let place = regions.name(&district).unwrap_or(&district);
            let board = match (eligible[i], top[i], bottom[i]) {
                (None, _, _) => Board::TooFew,
                (_, Some(t), Some(b)) if t <= size && t < b => Board::Red,
                (_, Some(t), Some(b)) if b <= size && b < t => Board::Black,
                _ => Board::Middle,
            };
            Entry {
                quarter: r.quarter.clone(),
                within,
                within_key: within_key.to_owned(),
                level,
                key: r.key.clone(),
                name: match level {
                    Level::Matter => format!("{place}「{}」", r.name),
                    Level::Township => r.name.clone(),
                    _ => format!("{place}{}", r.name),
                },
                indicator: ind.id.clone(),
                numerator: r.numerator,
                denominator: r.denominator,
                value: r.value,
                rank: eligible[i].and(top[i]),
                ranked,
                board,
            }
        })
        .collect()
}

/// The boards as a table: quarter, within, within_key, within_name, level, key, name,
/// indicator, numerator, denominator, value, rank, ranked, board — best first in each
/// scope.
pub fn to_frame(
    entries: &[Entry],
    indicators: &[Indicator],
    regions: &Regions,
) -> Result<DataFrame> {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    let headline = |id: &str| {
        indicators
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| i.headline)
            .unwrap_or(u32::MAX)
    };
    sorted.sort_by(|a, b| {
        (
            a.quarter.as_str(),
            headline(&a.indicator),
            a.level.name(),
            a.within.name(),
            a.within_key.as_str(),
            a.rank.unwrap_or(u32::MAX),
            a.key.as_str(),
        )
            .cmp(&(
                b.quarter.as_str(),
                headline(&b.indicator),
                b.level.name(),
                b.within.name(),
                b.within_key.as_str(),
                b.rank.unwrap_or(u32::MAX),
                b.key.as_str(),
            ))
    });
    let text =
        |f: &dyn Fn(&Entry) -> String| -> Vec<String> { sorted.iter().map(|e| f(e)).collect() };
    let name_of = |id: &str| {
        indicators
            .iter()
            .find(|i| i.id == id)
            .map_or(id.to_owned(), |i| i.name.clone())
    };
    df! {
        "quarter" => text(&|e| e.quarter.clone()),
        "within" => text(&|e| e.within.name().to_owned()),
        "within_key" => text(&|e| e.within_key.clone()),
        "within_name" => text(&|e| regions.name(&e.within_key).unwrap_or(&e.within_key).to_owned()),
        "level" => text(&|e| e.level.name().to_owned()),
        "key" => text(&|e| e.key.clone()),
        "name" => text(&|e| e.name.clone()),
        "indicator" => text(&|e| e.indicator.clone()),
        "indicator_name" => text(&|e| name_of(&e.indicator)),
        "numerator" => sorted.iter().map(|e| e.numerator).collect::<Vec<_>>(),
        "denominator" => sorted.iter().map(|e| e.denominator).collect::<Vec<_>>(),
        "value" => sorted.iter().map(|e| e.value).collect::<Vec<_>>(),
        "rank" => sorted.iter().map(|e| e.rank).collect::<Vec<_>>(),
        "ranked" => sorted.iter().map(|e| e.ranked as u32).collect::<Vec<_>>(),
        "board" => text(&|e| e.board.label().to_owned()),
    }
    .context("红黑榜")
}

/// The boards of one scope (the city, or one district) for the report: per indicator
/// and level, the 红榜 and 黑榜 in words (`张店区人社局 100%（103件）`) and how many units
/// had too little volume. Headers and rows of one table.
pub fn report_table(
    entries: &[Entry],
    indicators: &[Indicator],
    within: Level,
    within_key: &str,
    rules: &BoardRules,
    regions: &Regions,
) -> (Vec<String>, Vec<Vec<String>>) {
    // Inside a district its name goes without saying: 人社局, not 张店区人社局.
    let own = match within {
        Level::Region => regions.name(within_key).unwrap_or("").to_owned(),
        _ => String::new(),
    };
    let short = |name: &str| -> String {
        match name.strip_prefix(own.as_str()) {
            Some(rest) if !own.is_empty() && !rest.is_empty() => rest.to_owned(),
            _ => name.to_owned(),
        }
    };
    let headers = vec![
        "指标".to_owned(),
        "层级".to_owned(),
        "红榜".to_owned(),
        "黑榜".to_owned(),
        "样本不足".to_owned(),
    ];
    let mut rows = Vec::new();
    for ind in on_boards(indicators) {
        let unit = if over_ratings(ind) { "条" } else { "件" };
        for level in [Level::Department, Level::Township] {
            let mine: Vec<&Entry> = entries
                .iter()
                .filter(|e| {
                    e.indicator == ind.id
                        && e.level == level
                        && e.within == within
                        && e.within_key == within_key
                })
                .collect();
            if mine.is_empty() {
                continue;
            }
            // By rank: 第1位（100%）：淄川区市场监管局（182件）、沂源县市场监管局（126件）等20个部门.
            let listed = |board: Board, best_first: bool| {
                let mut by_rank: std::collections::BTreeMap<u32, Vec<&Entry>> = Default::default();
                for e in mine.iter().filter(|e| e.board == board) {
                    by_rank.entry(e.rank.unwrap_or(0)).or_default().push(e);
                }
                let mut groups: Vec<(u32, Vec<&Entry>)> = by_rank.into_iter().collect();
                if !best_first {
                    groups.reverse();
                }
                let what = match level {
                    Level::Township => "个乡镇（街道）",
                    _ => "个部门",
                };
                let words: Vec<String> = groups
                    .into_iter()
                    .map(|(rank, mut units)| {
                        units.sort_by(|a, b| {
                            b.denominator
                                .total_cmp(&a.denominator)
                                .then(a.key.cmp(&b.key))
                        });
                        let named: Vec<String> = units
                            .iter()
                            .take(3)
                            .map(|e| {
                                format!(
                                    "{}（{}{unit}）",
                                    short(&e.name),
                                    crate::format::trimmed(e.denominator)
                                )
                            })
                            .collect();
                        let value = units[0]
                            .value
                            .map(crate::format::percent)
                            .unwrap_or_default();
                        let more = if units.len() > 3 {
                            format!("等{}{what}", units.len())
                        } else {
                            String::new()
                        };
                        let tie = if units.len() > 1 { "并列" } else { "" };
                        format!("{tie}第{rank}位（{value}）：{}{more}", named.join("、"))
                    })
                    .collect();
                if words.is_empty() {
                    "—".to_owned()
                } else {
                    words.join("；")
                }
            };
            let too_few = mine.iter().filter(|e| e.board == Board::TooFew).count();
            rows.push(vec![
                ind.name.clone(),
                match level {
                    Level::Township => "乡镇（街道）".to_owned(),
                    _ => "部门".to_owned(),
                },
                listed(Board::Red, true),
                listed(Board::Black, false),
                if too_few > 0 {
                    format!(
                        "{too_few}个（不足{}{unit}）",
                        crate::format::trimmed(if over_ratings(ind) {
                            rules.min_ratings
                        } else {
                            rules.min_cases
                        })
                    )
                } else {
                    "—".to_owned()
                },
            ]);
        }
    }
    (headers, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, numerator: f64, denominator: f64) -> IndicatorRow {
        IndicatorRow {
            quarter: "2025Q4".into(),
            level: Level::Department,
            key: format!("370303/{key}"),
            name: key.into(),
            indicator: "on_time_rate".into(),
            numerator,
            denominator,
            value: Some(numerator / denominator),
            unit: "%".into(),
        }
    }

    fn on_board(rows: &[IndicatorRow]) -> Vec<(String, &'static str)> {
        let indicators = crate::indicators::metadata::load(&[]).unwrap();
        let mut out: Vec<(String, &'static str)> = boards(
            rows,
            &indicators,
            "2025Q4",
            &BoardRules::default(),
            &Regions::load(None).unwrap(),
        )
        .into_iter()
        .filter(|e| e.within == Level::Region && e.indicator == "on_time_rate")
        .map(|e| {
            (
                e.key.trim_start_matches("370303/").to_owned(),
                e.board.label(),
            )
        })
        .collect();
        out.sort();
        out
    }

    #[test]
    fn a_tie_at_the_bottom_goes_on_the_black_board_and_an_all_round_tie_on_none() {
        // Seven ranked: A and B at 100%, C–G at 0% (ranks 1, 1, 3, 3, 3, 3, 3; from the
        // bottom C–G are 1st). N = 3: A, B 红榜; C–G 黑榜, not 3rd place on the 红榜. H has
        // 29 cases: 样本不足.
        let mut rows = vec![row("A", 40.0, 40.0), row("B", 30.0, 30.0)];
        for k in ["C", "D", "E", "F", "G"] {
            rows.push(row(k, 0.0, 30.0));
        }
        rows.push(row("H", 29.0, 29.0));
        let got = on_board(&rows);
        let want: Vec<(String, &str)> = [
            ("A", "红榜"),
            ("B", "红榜"),
            ("C", "黑榜"),
            ("D", "黑榜"),
            ("E", "黑榜"),
            ("F", "黑榜"),
            ("G", "黑榜"),
            ("H", "样本不足"),
        ]
        .into_iter()
        .map(|(k, b)| (k.to_owned(), b))
        .collect();
        assert_eq!(got, want);
        // Everyone at 100%: nobody stands out.
        let all: Vec<IndicatorRow> = ["A", "B", "C"].iter().map(|k| row(k, 30.0, 30.0)).collect();
        assert!(
            on_board(&all).iter().all(|(_, b)| b.is_empty()),
            "{:?}",
            on_board(&all)
        );
    }
}
