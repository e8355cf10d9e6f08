//! Sentences written from the numbers, in the style of the seed reports: value, change
//! in 百分点, rank among the districts, target met or not. A district's report speaks of
//! that district against the city; the city's report compares its districts.

use crate::compare::Comparison;
use crate::format;

/// What a report is about.
#[derive(Debug, Clone)]
pub enum Scope {
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
            Scope::City { code, .. } | Scope::District { code, .. } => code,
        }
    }
    pub fn name(&self) -> &str {
        match self {
            Scope::City { name, .. } | Scope::District { name, .. } => name,
        }
    }
}

/// `2025年第四季度，张店区按期办结率为99.62%，较上季度提高0.30个百分点，居全市第2位。`
/// `siblings_word` is 全市 for districts (全省 for cities).
pub fn indicator_sentence(c: &Comparison, quarter_prefix: bool) -> String {
    let mut s = String::new();
    if quarter_prefix {
        s.push_str(&format!("{}，", format::quarter(&c.quarter)));
    }
    let Some(v) = c.value else {
        s.push_str(&format!(
            "{}本季度无{}数据（分母为0）。",
            c.name, c.indicator_name
        ));
        return s;
    };
    let is_rate = c.unit == "%";
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
    if let Some(rank) = c.rank.filter(|_| c.rank_of > 1) {
        let area = if c.level == "region" {
            "全市"
        } else {
            "全省"
        };
        s.push_str(&format!("，居{area}第{rank}位"));
    }
    if let Some(t) = c.target {
        let t = format::value(t, &c.unit);
        match c.met {
            Some(true) => s.push_str(&format!("，达到{t}的目标")),
            Some(false) => s.push_str(&format!("，未达到{t}的目标")),
            None => {}
        }
    }
    s.push('。');
    s
}

/// The city sentence: its pooled value and the best and worst districts.
pub fn city_sentence(city: &Comparison, districts: &[&Comparison]) -> String {
    let mut s = indicator_sentence(city, false);
    let ranked: Vec<&&Comparison> = districts
        .iter()
        .filter(|d| d.rank.is_some() && d.value.is_some())
        .collect();
    if ranked.len() >= 2 {
        let best: Vec<&str> = ranked
            .iter()
            .filter(|d| d.rank == Some(1))
            .map(|d| d.name.as_str())
            .collect();
        let worst_rank = ranked.iter().filter_map(|d| d.rank).max().unwrap_or(1);
        let worst: Vec<&str> = ranked
            .iter()
            .filter(|d| d.rank == Some(worst_rank))
            .map(|d| d.name.as_str())
            .collect();
        let value = |names: &[&str]| {
            ranked
                .iter()
                .find(|d| d.name == names[0])
                .and_then(|d| d.value)
                .map(|v| format::value(v, &city.unit))
                .unwrap_or_default()
        };
        if worst_rank > 1 {
            s.pop();
            s.push_str(&format!(
                "；各区县中{}最好（{}），{}最低（{}）。",
                best.join("、"),
                value(&best),
                worst.join("、"),
                value(&worst)
            ));
        }
    }
    s
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

    fn c(
        value: Option<f64>,
        qoq: Option<f64>,
        rank: Option<u32>,
        target: Option<f64>,
        met: Option<bool>,
    ) -> Comparison {
        Comparison {
            quarter: "2025Q4".into(),
            level: "region".into(),
            key: "370303".into(),
            name: "张店区".into(),
            indicator: "on_time_rate".into(),
            indicator_name: "按期办结率".into(),
            unit: "%".into(),
            value,
            parent_value: None,
            sibling_mean: None,
            rank,
            rank_of: 8,
            previous_value: None,
            qoq_change: qoq,
            year_earlier_value: None,
            yoy_change: None,
            change_unit: "百分点".into(),
            target,
            met,
            best_value: None,
            gap_to_best: None,
            score: None,
        }
    }

    /// The SPEC's example, worked by hand: 99.62% now, 99.32% last quarter → +0.30.
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
            true,
        );
        assert_eq!(
            s,
            "2025年第四季度，张店区按期办结率为99.62%，较上季度提高0.30个百分点，居全市第2位。"
        );
    }

    #[test]
    fn falls_flat_and_targets() {
        let down = indicator_sentence(
            &c(Some(0.98), Some(-1.2), Some(7), Some(1.0), Some(false)),
            false,
        );
        assert_eq!(down, "张店区按期办结率为98.00%，较上季度下降1.20个百分点，居全市第7位，未达到100.00%的目标。");
        let flat = indicator_sentence(
            &c(Some(1.0), Some(0.0), Some(1), Some(1.0), Some(true)),
            false,
        );
        assert_eq!(
            flat,
            "张店区按期办结率为100.00%，与上季度持平，居全市第1位，达到100.00%的目标。"
        );
        let none = indicator_sentence(&c(None, None, None, None, None), false);
        assert_eq!(none, "张店区本季度无按期办结率数据（分母为0）。");
    }

    #[test]
    fn city_names_best_and_worst() {
        let mut city = c(Some(0.99), Some(0.1), None, None, None);
        city.level = "city".into();
        city.name = "淄博市".into();
        let mut a = c(Some(1.0), None, Some(1), None, None);
        a.name = "淄川区".into();
        let mut b = c(Some(1.0), None, Some(1), None, None);
        b.name = "沂源县".into();
        let mut z = c(Some(0.9894), None, Some(3), None, None);
        z.name = "周村区".into();
        let s = city_sentence(&city, &[&a, &b, &z]);
        assert_eq!(s, "淄博市按期办结率为99.00%，较上季度提高0.10个百分点；各区县中淄川区、沂源县最好（100.00%），周村区最低（98.94%）。");
    }

    #[test]
    fn online_levels_like_seed_000() {
        let s = online_levels_sentence("我区", [Some(1.0), Some(1.0), Some(0.9798), Some(0.9733)]);
        assert_eq!(s, "我区依申请政务服务事项一级网办率为100.00%，二级网办率为100.00%，三级网办率为97.98%，四级网办率为97.33%。");
    }
}
