//! Sentences written from the numbers, in the style of the seed reports: value, change
//! in 百分点, rank among the districts, target met or not. A district's report speaks of
//! that district against the city; the city's report compares its districts.

use crate::compare::Comparison;
use crate::format;
use crate::indicators::{Indicator, Level};

/// What a report is about.
#[derive(Debug, Clone)]
pub enum Scope {
    /// The province's comparison of its cities, each city's districts named within it.
    Province { code: String, name: String },
    /// The city-wide comparison of its districts.
    City { code: String, name: String },
    /// One district's self-inspection report to the city.
    District {
        code: String,
        name: String,
        city: String,
    },
}

impl Scope {
    pub fn code(&self) -> &str {
        match self {
            Scope::Province { code, .. }
            | Scope::City { code, .. }
            | Scope::District { code, .. } => code,
        }
    }
    pub fn name(&self) -> &str {
        match self {
            Scope::Province { name, .. }
            | Scope::City { name, .. }
            | Scope::District { name, .. } => name,
        }
    }
    /// The level of the units the report compares and ranks (a province's cities, a
    /// city's districts); None for a district's own report.
    pub fn members(&self) -> Option<Level> {
        match self {
            Scope::Province { .. } => Some(Level::City),
            Scope::City { .. } => Some(Level::Region),
            Scope::District { .. } => None,
        }
    }
    /// The units the report's tables and charts compare, and the area they make up: a
    /// province's cities, a city's districts, a district's city's districts.
    pub fn compared(&self) -> (Level, String) {
        match self {
            Scope::Province { code, .. } => (Level::City, code.clone()),
            Scope::City { code, .. } => (Level::Region, code.clone()),
            Scope::District { code, .. } => (Level::Region, crate::regions::city_of(code)),
        }
    }
    /// What the compared units are called: 市, 区县.
    pub fn member_word(&self) -> &'static str {
        match self {
            Scope::Province { .. } => "市",
            _ => "区县",
        }
    }
    /// The whole a comparison speaks of: 全省, 全市.
    pub fn whole_word(&self) -> &'static str {
        match self {
            Scope::Province { .. } => "全省",
            _ => "全市",
        }
    }
    /// Whether a district code (or a level key beginning with one) lies in the scope.
    pub fn contains(&self, region: &str) -> bool {
        let code = self.code();
        match self {
            Scope::Province { .. } => region.get(..2) == code.get(..2),
            Scope::City { .. } => region.get(..4) == code.get(..4),
            Scope::District { .. } => region.get(..6) == Some(code),
        }
    }
}

/// The rank words of a row: `居全市第2位`, or, when not every sibling has a value,
/// `居全市第4位（5个有到期差评的区县）` — ranks count only those with one (docs/SPEC.md §6).
pub fn rank_words(c: &Comparison, ind: Option<&Indicator>) -> Option<String> {
    let rank = c.rank.filter(|_| c.rank_of > 1)?;
    let (area, unit) = if c.level == Level::Region {
        ("全市", "区县")
    } else {
        ("全省", "市")
    };
    let mut s = format!("居{area}{}第{rank}位", if c.tied { "并列" } else { "" });
    if c.rank_of < c.siblings {
        let population = ind
            .and_then(|i| i.population.as_deref())
            .unwrap_or("有数据");
        s.push_str(&format!("（{}个{population}的{unit}）", c.rank_of));
    }
    Some(s)
}

/// `2025年第四季度，张店区按期办结率为99.62%，较上季度提高0.30个百分点，居全市第2位。`
/// With a target not met: `…，未达到100%的目标，距目标还需再按期办结3件。`
pub fn indicator_sentence(c: &Comparison, ind: &Indicator, quarter_prefix: bool) -> String {
    let mut s = String::new();
    if quarter_prefix {
        s.push_str(&format!("{}，", format::quarter(&c.quarter)));
    }
    let Some(v) = c.value else {
        s.push_str(&format!("{}本季度无{}数据。", c.name, c.indicator_name));
        return s;
    };
    let is_rate = c.is_rate;
    s.push_str(&format!(
        "{}{}为{}",
        c.name,
        c.indicator_name,
        format::value(v, &c.unit)
    ));
    if let Some(ch) = c.qoq_change {
        let words = format::change(ch, is_rate);
        if words == "持平" {
            s.push_str("，与上季度持平");
        } else {
            s.push_str(&format!("，较上季度{words}"));
        }
    }
    if let Some(r) = rank_words(c, Some(ind)) {
        s.push_str(&format!("，{r}"));
    }
    if let Some(t) = c.target.filter(|_| is_rate) {
        let t = format::value(t, &c.unit);
        match c.met {
            Some(true) => s.push_str(&format!("，达到{t}的目标")),
            Some(false) => {
                s.push_str(&format!("，未达到{t}的目标"));
                if let (Some(n), Some(success)) = (c.to_target, &ind.success) {
                    s.push_str(&format!(
                        "，距目标还需再{}",
                        success.replace("{n}", &format::thousands(n as i64))
                    ));
                }
            }
            None => {}
        }
    }
    s.push('。');
    s
}

/// The sentence of a city (or province): its pooled value, the best and worst of its
/// districts (or cities, `word` 市), and those that missed the target.
pub fn city_sentence(
    city: &Comparison,
    ind: &Indicator,
    districts: &[&Comparison],
    word: &str,
) -> String {
    let mut s = indicator_sentence(city, ind, false);
    let more = best_and_worst(city, ind, districts, word, &format!("各{word}中"), None);
    if !more.is_empty() {
        s.pop();
        s.push_str(&format!("；{}。", more.join("；")));
    }
    s
}

/// `各区县中淄川区、沂源县最高（100%），周村区最低（98.94%）` and `周村区未达到目标`: the
/// best and worst of the members (`word` 区县 or 市) and those below the target, as
/// clauses, the first after `lead`. More than `limit` names are cut: `甲、乙、丙等6个区县`.
pub fn best_and_worst(
    city: &Comparison,
    ind: &Indicator,
    districts: &[&Comparison],
    word: &str,
    lead: &str,
    limit: Option<usize>,
) -> Vec<String> {
    let cut = |names: Vec<&str>| -> String {
        match limit {
            Some(n) if names.len() > n => {
                format!("{}等{}个{word}", names[..n].join("、"), names.len())
            }
            _ => names.join("、"),
        }
    };
    let ranked: Vec<&&Comparison> = districts
        .iter()
        .filter(|d| d.rank.is_some() && d.value.is_some())
        .collect();
    let names = |rank: u32| -> Vec<&str> {
        ranked
            .iter()
            .filter(|d| d.rank == Some(rank))
            .map(|d| d.name.as_str())
            .collect()
    };
    let worst_rank = ranked.iter().filter_map(|d| d.rank).max().unwrap_or(1);
    let mut more = Vec::new();
    if ranked.len() >= 2 && worst_rank > 1 {
        let value = |rank: u32| {
            ranked
                .iter()
                .find(|d| d.rank == Some(rank))
                .and_then(|d| d.value)
                .map(|v| format::value(v, &city.unit))
                .unwrap_or_default()
        };
        let (best_word, worst_word) = match ind.better {
            crate::indicators::Better::Lower => ("最少", "最多"),
            _ => ("最高", "最低"),
        };
        more.push(format!(
            "{lead}{}{best_word}（{}），{}{worst_word}（{}）",
            cut(names(1)),
            value(1),
            cut(names(worst_rank)),
            value(worst_rank)
        ));
    }
    let missed: Vec<&str> = districts
        .iter()
        .filter(|d| d.met == Some(false))
        .map(|d| d.name.as_str())
        .collect();
    if !missed.is_empty() && city.is_rate {
        more.push(if missed.len() == districts.len() {
            format!("各{word}均未达到目标")
        } else {
            format!("{}未达到目标", cut(missed))
        });
    }
    more
}

/// 一级网办率为100%，二级网办率为100%，三级网办率为97.98%，四级网办率为97.33%.
pub fn online_levels_sentence(name: &str, levels: [Option<f64>; 4]) -> String {
    let words = ["一级", "二级", "三级", "四级"];
    let parts: Vec<String> = levels
        .iter()
        .zip(words)
        .filter_map(|(v, w)| v.map(|v| format!("{w}网办率为{}", format::percent(v))))
        .collect();
    if parts.is_empty() {
        return String::new();
    }
    format!("{name}依申请政务服务事项{}。", parts.join("，"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(population: Option<&str>) -> Indicator {
        let text = format!(
            "-- id: on_time_rate\n-- name: 按期办结率\n-- unit: %\n-- kind: rate\n-- better: higher\n-- 口径: 测试。\n-- success: 按期办结{{n}}件\n{}SELECT COUNT(*) AS numerator, COUNT(*) AS denominator FROM completed_cases\n",
            population.map(|p| format!("-- population: {p}\n")).unwrap_or_default()
        );
        crate::indicators::metadata::parse(&text, std::path::Path::new("on_time_rate.sql")).unwrap()
    }

    fn c(
        value: Option<f64>,
        qoq: Option<f64>,
        rank: Option<u32>,
        target: Option<f64>,
        met: Option<bool>,
    ) -> Comparison {
        Comparison {
            quarter: "2025Q4".into(),
            level: Level::Region,
            key: "370303".into(),
            name: "张店区".into(),
            indicator: "on_time_rate".into(),
            indicator_name: "按期办结率".into(),
            unit: "%".into(),
            numerator: 0.0,
            denominator: 0.0,
            value,
            parent_value: None,
            sibling_mean: None,
            rank,
            rank_of: 8,
            siblings: 8,
            tied: false,
            previous_value: None,
            qoq_change: qoq,
            year_earlier_value: None,
            yoy_change: None,
            is_rate: true,
            change_unit: "百分点".into(),
            target,
            met,
            best_value: None,
            gap_to_best: None,
            score: None,
            to_target: None,
            to_next_rank: None,
        }
    }

    /// The specification's example (docs/SPEC.md §7), worked by hand: 99.62% now, 99.32% last quarter → +0.30.
    #[test]
    fn the_spec_example_sentence() {
        let s = indicator_sentence(
            &c(
                Some(0.9962),
                Some((0.9962 - 0.9932) * 100.0),
                Some(2),
                None,
                None,
            ),
            &ind(None),
            true,
        );
        assert_eq!(
            s,
            "2025年第四季度，张店区按期办结率为99.62%，较上季度提高0.30个百分点，居全市第2位。"
        );
    }

    #[test]
    fn falls_flat_targets_and_what_it_takes() {
        let mut row = c(Some(0.98), Some(-1.2), Some(7), Some(1.0), Some(false));
        row.to_target = Some(3.0);
        let down = indicator_sentence(&row, &ind(None), false);
        assert_eq!(down, "张店区按期办结率为98%，较上季度下降1.20个百分点，居全市第7位，未达到100%的目标，距目标还需再按期办结3件。");
        let flat = indicator_sentence(
            &c(Some(1.0), Some(0.0), Some(1), Some(1.0), Some(true)),
            &ind(None),
            false,
        );
        assert_eq!(
            flat,
            "张店区按期办结率为100%，与上季度持平，居全市第1位，达到100%的目标。"
        );
        let none = indicator_sentence(&c(None, None, None, None, None), &ind(None), false);
        assert_eq!(none, "张店区本季度无按期办结率数据。");
    }

    #[test]
    fn ranks_count_only_districts_with_a_value() {
        let mut row = c(Some(0.5), None, Some(4), None, None);
        row.rank_of = 5;
        assert_eq!(
            rank_words(&row, Some(&ind(Some("有到期差评")))).as_deref(),
            Some("居全市第4位（5个有到期差评的区县）")
        );
        row.rank_of = 8;
        assert_eq!(
            rank_words(&row, Some(&ind(None))).as_deref(),
            Some("居全市第4位")
        );
    }

    #[test]
    fn city_names_best_worst_and_missed() {
        let mut city = c(Some(0.99), Some(0.1), None, Some(1.0), Some(false));
        city.level = Level::City;
        city.name = "淄博市".into();
        let mut a = c(Some(1.0), None, Some(1), Some(1.0), Some(true));
        a.name = "淄川区".into();
        let mut b = c(Some(1.0), None, Some(1), Some(1.0), Some(true));
        b.name = "沂源县".into();
        let mut z = c(Some(0.9894), None, Some(3), Some(1.0), Some(false));
        z.name = "周村区".into();
        let s = city_sentence(&city, &ind(None), &[&a, &b, &z], "区县");
        assert_eq!(s, "淄博市按期办结率为99%，较上季度提高0.10个百分点，未达到100%的目标；各区县中淄川区、沂源县最高（100%），周村区最低（98.94%）；周村区未达到目标。");
        // A province's paragraph per city cuts the names after `limit`.
        assert_eq!(
            best_and_worst(&city, &ind(None), &[&a, &b, &z], "区县", "", Some(1)),
            [
                "淄川区等2个区县最高（100%），周村区最低（98.94%）",
                "周村区未达到目标"
            ]
        );
    }

    #[test]
    fn online_levels_like_seed_000() {
        let s = online_levels_sentence("我区", [Some(1.0), Some(1.0), Some(0.9798), Some(0.9733)]);
        assert_eq!(s, "我区依申请政务服务事项一级网办率为100%，二级网办率为100%，三级网办率为97.98%，四级网办率为97.33%。");
    }
}
