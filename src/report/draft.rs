//! The draft's sections, written from the numbers the way the seed reports write them
//! (docs/SPEC.md §7): 一、工作开展情况 with 【待补充】 places for what only people know, 二、主要指标
//! 完成情况 (value, change, rank among those with a value, target, what it takes), 三、
//! 存在的问题 naming the departments and matters behind each shortfall and every audit
//! finding with its numbers, 四、整改措施及下一步工作 tied to those problems.
//!
//! A district's draft speaks of the district to its city; the city's report compares its
//! districts and names them. Long lists are cut to the first three (等N个).

use std::collections::HashMap;

use super::narrative::{self, Scope};
use super::Section;
use crate::audit::Finding;
use crate::compare::{Comparison, IndicatorRow};
use crate::format;
use crate::indicators::metadata::Remedy;
use crate::indicators::{Better, Indicator, Kind, Level};
use crate::regions::Regions;
use crate::schema::Table;

/// What the draft is written from.
pub struct Facts<'a> {
    pub scope: &'a Scope,
    pub quarter: &'a str,
    /// The comparison (city and district rows) of the report quarter.
    pub comparison: &'a [Comparison],
    /// The indicator long table, every level, at least the report quarter.
    pub rows: &'a [IndicatorRow],
    pub indicators: &'a [Indicator],
    /// Matter key (`370303/<code>`) → (事项名称, 实施部门), from the catalogue.
    pub catalogue: &'a HashMap<String, (String, String)>,
    /// None when the report is drawn from a precomputed indicator table (nothing audited).
    pub findings: Option<&'a [Finding]>,
    /// 数据质量 sentences of the run.
    pub quality: &'a [String],
    /// Whether the composite score comes from a scheme the user gave.
    pub user_scheme: bool,
    pub regions: &'a Regions,
    /// Units of the scope with data in other quarters but none in this one (a province's
    /// city whose exports stop earlier): name, and the last quarter it has. Not ranked.
    pub missing: &'a [(String, Option<String>)],
}

/// Items listed by name before "等N个".
const LISTED: usize = 3;

/// `a、b、c等5个`: the first three, and how many there are in all.
fn listed(items: &[String], unit: &str) -> String {
    // Items that are clauses themselves ("…办件161件，网上办理仅占11.80%") take a 分号.
    let sep = if items.iter().any(|i| i.contains('，')) {
        "；"
    } else {
        "、"
    };
    if items.len() <= LISTED {
        items.join(sep)
    } else {
        format!("{}等{}{unit}", items[..LISTED].join(sep), items.len())
    }
}

/// The number in a `{n}` template, with its unit word: `逾期办结{n}件` → `逾期办结3件`.
fn fill(template: &str, n: f64) -> String {
    template.replace("{n}", &format::thousands(n.round() as i64))
}

/// The unit word after `{n}` in a template (`件`, `条`), for per-department counts.
fn unit_of(template: &str) -> &str {
    template
        .split_once("{n}")
        .map(|(_, after)| after.chars().next().map_or("", |c| &after[..c.len_utf8()]))
        .unwrap_or("")
}

/// The indicators a report leads with, in their `headline` order.
pub fn headline(indicators: &[Indicator]) -> Vec<&Indicator> {
    let mut h: Vec<&Indicator> = indicators.iter().filter(|i| i.headline.is_some()).collect();
    h.sort_by_key(|i| i.headline);
    h
}

impl Facts<'_> {
    fn get(&self, key: &str, id: &str) -> Option<&Comparison> {
        self.comparison
            .iter()
            .find(|c| c.key == key && c.indicator == id)
    }

    /// The units the report compares (its cities, its districts), for one indicator.
    fn members(&self, id: &str) -> Vec<&Comparison> {
        self.members_of(self.scope.members(), self.scope.code(), id)
    }

    /// The `level` rows of `id` inside the area of `code` (a city's districts).
    fn members_of(&self, level: Option<Level>, code: &str, id: &str) -> Vec<&Comparison> {
        let prefix = crate::regions::area_prefix(code);
        self.comparison
            .iter()
            .filter(|c| Some(c.level) == level && c.indicator == id && c.key.starts_with(prefix))
            .collect()
    }

    /// Whether a level key (`370303/市场监管局`, `370303`) lies in the report's scope.
    fn in_scope(&self, region: &str) -> bool {
        self.scope.contains(region)
    }

    /// Where a district is, as a report of the scope names it: nothing in the district's
    /// own report, `沂源县` in a city's, `淄博市沂源县` in a province's.
    fn place(&self, region: &str) -> String {
        let name = |code: &str| self.regions.name(code).unwrap_or(code).to_owned();
        match self.scope {
            Scope::District { .. } => String::new(),
            Scope::City { .. } => name(region),
            Scope::Province { .. } => {
                format!("{}{}", name(&crate::regions::city_of(region)), name(region))
            }
        }
    }

    /// Rows of `level` of the report quarter for `id` inside the scope.
    fn level_rows(&self, level: Level, id: &str) -> Vec<&IndicatorRow> {
        self.rows
            .iter()
            .filter(|r| {
                r.quarter == self.quarter
                    && r.level == level
                    && r.indicator == id
                    && self.in_scope(r.key.split('/').next().unwrap_or(""))
            })
            .collect()
    }

    /// A department's display name: `市场监管局`, or `沂源县水利局` in a city report.
    fn department_name(&self, key: &str) -> String {
        let (region, dept) = key.split_once('/').unwrap_or(("", key));
        format!("{}{dept}", self.place(region))
    }

    /// How many shortfalls a row holds for an indicator: failures of a higher-is-better
    /// rate (denominator − numerator), or the count of a lower-is-better count.
    fn shortfalls(ind: &Indicator, r: &IndicatorRow) -> f64 {
        match (ind.better, ind.kind) {
            (Better::Higher, Kind::Rate) => (r.denominator - r.numerator).max(0.0),
            (Better::Lower, Kind::Count) => r.numerator.max(0.0),
            _ => 0.0,
        }
    }

    /// `其中市场监管局3件（公司设立登记2件、个体工商户设立登记1件），住建局2件`: the
    /// departments (and their matters) behind an indicator's shortfalls.
    fn behind(&self, ind: &Indicator, unit: &str) -> Option<String> {
        let mut depts: Vec<(&IndicatorRow, f64)> = self
            .level_rows(Level::Department, &ind.id)
            .into_iter()
            .map(|r| (r, Self::shortfalls(ind, r)))
            .filter(|(_, n)| *n > 0.0)
            .collect();
        if depts.is_empty() {
            return None;
        }
        depts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
        let matters = self.level_rows(Level::Matter, &ind.id);
        let parts: Vec<String> = depts
            .iter()
            .map(|(d, n)| {
                let (region, dept) = d.key.split_once('/').unwrap_or(("", &d.key));
                let mut ms: Vec<(String, f64)> = matters
                    .iter()
                    .filter(|m| m.key.starts_with(&format!("{region}/")))
                    .filter_map(|m| {
                        let (name, department) = self.catalogue.get(&m.key)?;
                        (department == dept).then(|| (name.clone(), Self::shortfalls(ind, m)))
                    })
                    .filter(|(_, n)| *n > 0.0)
                    .collect();
                ms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                let detail = if ms.is_empty() {
                    String::new()
                } else {
                    let names: Vec<String> = ms
                        .iter()
                        .map(|(name, n)| format!("{name}{}{unit}", format::thousands(*n as i64)))
                        .collect();
                    format!("（{}）", listed(&names, "个事项"))
                };
                format!(
                    "{}{}{unit}{detail}",
                    self.department_name(&d.key),
                    format::thousands(*n as i64)
                )
            })
            .collect();
        Some(if parts.len() > LISTED {
            format!("其中{}等{}个部门", parts[..LISTED].join("，"), parts.len())
        } else {
            format!("其中{}", parts.join("，"))
        })
    }
}

/// How a district's own report says "we": 我区, 我县 (县, 自治县), 我市 (县级市), 我旗.
fn we(district: &str) -> &'static str {
    match district.chars().last() {
        Some('县') => "我县",
        Some('市') => "我市",
        Some('旗') => "我旗",
        _ => "我区",
    }
}

/// The departments behind a shortfall, as bare names (for the measures of 四).
fn department_names(facts: &Facts, ind: &Indicator) -> Vec<String> {
    let mut depts: Vec<(&IndicatorRow, f64)> = facts
        .level_rows(Level::Department, &ind.id)
        .into_iter()
        .map(|r| (r, Facts::shortfalls(ind, r)))
        .filter(|(_, n)| *n > 0.0)
        .collect();
    depts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.key.cmp(&b.0.key)));
    depts
        .iter()
        .map(|(d, _)| facts.department_name(&d.key))
        .collect()
}

/// What a problem calls for, to write 四 from.
enum Measure {
    Late(Vec<String>),
    OpenOverdue(Vec<String>, f64),
    Unrectified(Vec<String>),
    Pending(f64),
    Upload(Vec<String>),
    Satisfaction(Vec<String>),
    Catalogue(Vec<String>),
    Compression(Vec<String>),
    OnlineUnused(Vec<String>),
    Revisit(Vec<String>),
    Records(Vec<String>),
    /// An indicator below its target with no measure of its own.
    Raise(String),
    Quality,
}

impl Measure {
    /// The departments a measure names, to merge measures of one kind.
    fn departments(&mut self) -> Option<&mut Vec<String>> {
        match self {
            Measure::Late(d)
            | Measure::OpenOverdue(d, _)
            | Measure::Unrectified(d)
            | Measure::Revisit(d)
            | Measure::Upload(d)
            | Measure::Satisfaction(d)
            | Measure::Catalogue(d)
            | Measure::Compression(d)
            | Measure::OnlineUnused(d)
            | Measure::Records(d) => Some(d),
            Measure::Pending(_) | Measure::Raise(_) | Measure::Quality => None,
        }
    }
}

pub fn sections(f: &Facts) -> Vec<Section> {
    let key = f.scope.code();
    let name = f.scope.name();
    let q = format::quarter(f.quarter);
    let district = matches!(f.scope, Scope::District { .. });
    let area = if district {
        we(name)
    } else {
        f.scope.whole_word()
    };
    let word = f.scope.member_word();

    // 一、工作开展情况: the numbers the data gives, then places for what people know.
    let mut work = Vec::new();
    let mut s = format!(
        "（一）政务服务办件情况。{q}，{}",
        if district {
            name.to_owned()
        } else {
            format!("{name}各{word}")
        }
    );
    if let Some(c) = f.get(key, "case_volume").filter(|c| c.value.is_some()) {
        s.push_str(&format!(
            "共受理政务服务事项办件{}件",
            format::thousands(c.numerator as i64)
        ));
        if let Some(ch) = c.qoq_change {
            s.push_str(&format!("，较上季度{}", format::change(ch, false)));
        }
        if let Some(ch) = c.yoy_change {
            s.push_str(&format!("，同比{}", format::change(ch, false)));
        }
    } else {
        s.push_str("本季度无受理办件数据");
    }
    if let Some(c) = f.get(key, "on_time_rate").filter(|c| c.value.is_some()) {
        s.push_str(&format!(
            "；办结{}件，按期办结{}件",
            format::thousands(c.denominator as i64),
            format::thousands(c.numerator as i64)
        ));
    }
    s.push('。');
    if !f.missing.is_empty() {
        let named: Vec<String> = f
            .missing
            .iter()
            .map(|(name, last)| match last {
                Some(q) => format!("{name}（数据截至{}）", format::quarter(q)),
                None => name.clone(),
            })
            .collect();
        s.push_str(&format!(
            "{}本季度无受理办件数据，未参与各市排名。",
            named.join("、")
        ));
    }
    work.push(s);
    let mut s = format!("（二）政务服务“好差评”工作情况。本季度{area}");
    match f.get(key, "rating_volume").filter(|c| c.numerator > 0.0) {
        Some(c) => {
            s.push_str(&format!(
                "收到评价{}条",
                format::thousands(c.numerator as i64)
            ));
            if let Some(v) = f.get(key, "satisfaction_rate").and_then(|c| c.value) {
                s.push_str(&format!("，评价满意率{}", format::percent(v)));
            }
            let bad = f.get(key, "bad_rating_count").map_or(0.0, |c| c.numerator);
            if bad > 0.0 {
                s.push_str(&format!("，差评{}条", format::thousands(bad as i64)));
                if let Some(r) = f
                    .get(key, "rectification_rate")
                    .filter(|r| r.denominator > 0.0)
                {
                    s.push_str(&format!(
                        "，到期差评{}条、已整改{}条",
                        format::thousands(r.denominator as i64),
                        format::thousands(r.numerator as i64)
                    ));
                }
                if let Some(p) = f
                    .get(key, "pending_rectification_count")
                    .filter(|p| p.numerator > 0.0)
                {
                    s.push_str(&format!(
                        "，{}条尚在整改期限内",
                        format::thousands(p.numerator as i64)
                    ));
                }
            } else {
                s.push_str("，无差评");
            }
        }
        None => s.push_str("无评价数据"),
    }
    s.push('。');
    work.push(s);
    work.push("（三）重点工作推进情况。【待补充：本季度推进的改革举措（如“一窗受理”、帮办代办、事项下沉）及成效，参加的迎评、督查工作，发布督查通报的期数】".into());
    work.push(
        "（四）窗口服务与作风建设。【待补充：窗口人员培训、暗访检查、群众投诉办理等情况】".into(),
    );

    // 二、主要指标完成情况
    let mut main = Vec::new();
    let mut measures: Vec<Measure> = Vec::new();
    if district && f.user_scheme {
        if let Some(c) = f.get(key, "composite_score") {
            if let (Some(v), Some(r)) = (c.value, c.rank) {
                let scheme = c
                    .indicator_name
                    .strip_prefix("综合得分（")
                    .and_then(|s| s.strip_suffix('）'))
                    .unwrap_or(&c.indicator_name);
                main.push(format!(
                    "按“{scheme}”综合评分，{name}得{}分，居全市{}个区县第{r}位。",
                    format::trimmed(v),
                    c.rank_of
                ));
            }
        }
    }
    for ind in headline(f.indicators) {
        let Some(c) = f.get(key, &ind.id) else {
            continue;
        };
        main.push(if district {
            narrative::indicator_sentence(c, ind, false)
        } else {
            narrative::city_sentence(c, ind, &f.members(&ind.id), word)
        });
    }
    // A province's report names each city's best and worst districts within that city,
    // never across cities.
    if let Scope::Province { .. } = f.scope {
        for city in f.members("case_volume") {
            let clauses: Vec<String> = headline(f.indicators)
                .into_iter()
                .filter_map(|ind| {
                    let c = f.get(&city.key, &ind.id)?;
                    let districts = f.members_of(Some(Level::Region), &city.key, &ind.id);
                    let more =
                        narrative::best_and_worst(c, ind, &districts, "区县", "", Some(LISTED));
                    (!more.is_empty()).then(|| format!("{}{}", ind.name, more.join("，")))
                })
                .collect();
            if !clauses.is_empty() {
                main.push(format!("{}各区县中，{}。", city.name, clauses.join("；")));
            }
        }
    }
    let levels = [
        "online_level_1_rate",
        "online_level_2_rate",
        "online_level_3_rate",
        "online_level_4_rate",
    ]
    .map(|id| f.get(key, id).and_then(|c| c.value));
    let online = narrative::online_levels_sentence(if district { we(name) } else { name }, levels);
    if !online.is_empty() {
        main.push(online);
    }
    if let Some(v) = f.get(key, "avg_max_visits").and_then(|c| c.value) {
        let mut s = format!("依申请事项平均跑动次数为{}", format::value(v, "次"));
        if let Some(z) = f.get(key, "zero_visit_rate").and_then(|c| c.value) {
            s.push_str(&format!("，零跑动事项占{}", format::percent(z)));
        }
        s.push('。');
        main.push(s);
    }

    // 三、存在的问题
    let mut problems = Vec::new();
    // The headline indicators, then every other one with a target (its file's, or the
    // scheme's): each that misses it is a problem.
    let head = headline(f.indicators);
    for ind in head
        .iter()
        .copied()
        .chain(f.indicators.iter().filter(|i| i.headline.is_none()))
    {
        let Some(c) = f.get(key, &ind.id) else {
            continue;
        };
        if c.met != Some(false) {
            continue;
        }
        let (Some(v), Some(t)) = (c.value, c.target) else {
            continue;
        };
        let shortfall = Facts::shortfalls(
            ind,
            &IndicatorRow {
                quarter: c.quarter.clone(),
                level: c.level,
                key: c.key.clone(),
                name: c.name.clone(),
                indicator: c.indicator.clone(),
                numerator: c.numerator,
                denominator: c.denominator,
                value: c.value,
                unit: c.unit.clone(),
            },
        );
        let failure = ind.failure.as_ref().filter(|_| shortfall > 0.0);
        let mut s = match (ind.kind, failure) {
            (Kind::Rate, Some(template)) => format!(
                "{}为{}，未达到{}的目标：{}",
                ind.name,
                format::value(v, &ind.unit),
                format::value(t, &ind.unit),
                fill(template, shortfall)
            ),
            (Kind::Rate, None) => format!(
                "{}为{}，未达到{}的目标",
                ind.name,
                format::value(v, &ind.unit),
                format::value(t, &ind.unit)
            ),
            (_, Some(template)) => fill(template, shortfall),
            (_, None) => format!(
                "{}为{}，未达到{}的目标",
                ind.name,
                format::value(v, &ind.unit),
                format::value(t, &ind.unit)
            ),
        };
        if let Some(template) = failure {
            if let Some(b) = f.behind(ind, unit_of(template)) {
                s.push_str(&format!("，{b}"));
            }
        }
        s.push('。');
        problems.push(s);
        // Departments are named only where the indicator says what a failure is.
        let depts = if failure.is_some() {
            department_names(f, ind)
        } else {
            Vec::new()
        };
        // The measure its file names (`-- measure:`), else raising the indicator itself.
        measures.push(match ind.measure {
            Some(Remedy::Late) => Measure::Late(depts),
            Some(Remedy::OpenOverdue) => Measure::OpenOverdue(depts, c.numerator),
            Some(Remedy::Unrectified) => Measure::Unrectified(depts),
            Some(Remedy::Revisit) => Measure::Revisit(depts),
            Some(Remedy::Upload) => Measure::Upload(depts),
            Some(Remedy::Satisfaction) => Measure::Satisfaction(depts),
            Some(Remedy::Compression) => Measure::Compression(depts),
            None => Measure::Raise(ind.name.clone()),
        });
    }
    // 差评 still inside their limit: said, not counted as failures.
    if let Some(p) = f
        .get(key, "pending_rectification_count")
        .filter(|p| p.numerator > 0.0)
    {
        let mut depts: Vec<(String, f64)> = f
            .level_rows(Level::Department, "pending_rectification_count")
            .into_iter()
            .filter(|r| r.numerator > 0.0)
            .map(|r| (f.department_name(&r.key), r.numerator))
            .collect();
        depts.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let named: Vec<String> = depts
            .iter()
            .map(|(d, n)| format!("{d}{}条", *n as i64))
            .collect();
        problems.push(format!(
            "另有{}条差评尚在整改期限内、未整改（{}），按规定不计入本季度差评整改率，需跟踪办理。",
            format::thousands(p.numerator as i64),
            listed(&named, "个部门")
        ));
        measures.push(Measure::Pending(p.numerator));
    }
    if let Some(findings) = f.findings {
        for finding in findings {
            if let Some((sentence, measure)) = audit_sentence(f, finding) {
                problems.push(sentence);
                measures.push(measure);
            }
        }
    }
    if !f.quality.is_empty() {
        problems.extend(f.quality.iter().cloned());
        measures.push(Measure::Quality);
    }
    if problems.is_empty() {
        problems.push(if f.findings.is_some() {
            "本季度各项指标均达到目标，数据质量核查未发现问题。".into()
        } else {
            "本季度各项指标均达到目标（本报告依据预先计算的指标表，未做数据质量核查）。".into()
        });
    }
    let problems = numbered(problems);

    // 四、整改措施及下一步工作: one measure per kind of problem, naming who.
    let mut next: Vec<String> = Vec::new();
    let who = |d: &[String], fallback: &str| {
        if d.is_empty() {
            fallback.to_owned()
        } else {
            listed(d, "个部门")
        }
    };
    // One measure per kind, naming every department the problems of that kind name.
    let mut merged: Vec<Measure> = Vec::new();
    for mut m in measures {
        let kind = std::mem::discriminant(&m);
        let own = matches!(m, Measure::Raise(_)); // one per indicator
        match merged
            .iter_mut()
            .find(|k| !own && std::mem::discriminant(*k) == kind)
        {
            Some(k) => {
                if let (Some(into), Some(from)) = (k.departments(), m.departments()) {
                    for d in from.drain(..) {
                        if !into.contains(&d) {
                            into.push(d);
                        }
                    }
                }
            }
            None => merged.push(m),
        }
    }
    for m in &merged {
        next.push(match m {
            Measure::Late(d) => format!("压实按期办结责任。督促{}逐件分析逾期原因，对临近承诺时限的办件提前预警、专人督办，杜绝超期办结。", who(d, "相关部门")),
            Measure::OpenOverdue(d, n) => format!("清理超期在办件。对{}季度末超期未办结的{}件办件逐件登记、限期办结，办结后及时录入系统。", who(d, "相关部门"), format::thousands(*n as i64)),
            Measure::Unrectified(d) => format!("落实差评整改和回访。督促{}对到期未整改的差评立即整改反馈，实名差评100%回访，整改情况纳入考核。", who(d, "相关部门")),
            Measure::Pending(n) => format!("跟踪整改中的{}条差评，确保在整改期限内完成整改和回访。", format::thousands(*n as i64)),
            Measure::Upload(d) => format!("规范“好差评”数据上传。督促{}按要求及时、全量上传评价数据。", who(d, "相关部门")),
            Measure::Satisfaction(d) => format!("提升服务满意度。针对{}收到的差评查找服务短板，改进窗口服务。", who(d, "相关部门")),
            Measure::Catalogue(d) => format!("规范事项目录要素。组织{}对照法律法规逐项核对法定时限、承诺时限、即办标记和网办深度，发现错误及时在事项管理系统中修改。", who(d, "相关部门")),
            Measure::Compression(d) => format!("继续压减承诺时限。推动{}在法定时限基础上压减一半以上，能即办的改为即办。", who(d, "相关部门")),
            Measure::OnlineUnused(m) => format!("推动全程网办事项真正网上办理。对宣称全程网办但网上办件少的{}，加强引导和帮办，提高网上办件比例。", listed(m, "个事项")),
            Measure::Revisit(d) => format!("做好实名差评回访。督促{}对已整改的实名差评逐条回访，了解办事群众对整改结果的满意程度，回访率达到100%。", who(d, "相关部门")),
            Measure::Records(d) => format!("规范办件数据录入。组织{}逐件核实办件类型、承诺时限、办结时间等信息，确保数据真实准确。", who(d, "相关部门")),
            Measure::Raise(name) => format!("提升{name}。逐项分析与目标的差距及原因，制定针对性措施，力争下季度达到目标。"),
            Measure::Quality => "规范数据导出。对无法识别或无法使用的数据逐条核实，补全后重新导出。".into(),
        });
    }
    if next.is_empty() {
        next.push(
            "巩固提升现有成绩。持续压缩承诺时限、减少跑动次数，推动更多事项全程网办、即办。".into(),
        );
    }
    next.push("【待补充：结合本单位实际的其他工作安排】".into());
    let next = next
        .into_iter()
        .enumerate()
        .map(|(i, p)| format!("{}是{p}", chinese_number(i + 1)))
        .collect();

    vec![
        Section {
            heading: "一、工作开展情况".into(),
            paragraphs: work,
        },
        Section {
            heading: "二、主要指标完成情况".into(),
            paragraphs: main,
        },
        Section {
            heading: "三、存在的问题".into(),
            paragraphs: problems,
        },
        Section {
            heading: "四、整改措施及下一步工作".into(),
            paragraphs: next,
        },
    ]
}

fn numbered(items: Vec<String>) -> Vec<String> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, p)| format!("（{}）{p}", chinese_number(i + 1)))
        .collect()
}

pub fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].into(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => n.to_string(),
    }
}

/// The text of a cell of an audit finding's rows.
fn cell(f: &Finding, column: &str, row: usize) -> Option<String> {
    use polars::prelude::AnyValue;
    let v = f.rows.column(column).ok()?.get(row).ok()?;
    match v {
        AnyValue::Null => None,
        AnyValue::String(s) => Some(s.to_owned()),
        AnyValue::StringOwned(s) => Some(s.to_string()),
        other => Some(other.to_string()),
    }
}

fn number(f: &Finding, column: &str, row: usize) -> Option<f64> {
    cell(f, column, row)?.parse().ok()
}

/// One finding as a sentence naming department, matter and numbers, with the measure it
/// calls for; None when it has no rows in the scope.
fn audit_sentence(facts: &Facts, f: &Finding) -> Option<(String, Measure)> {
    let rows: Vec<usize> = (0..f.rows.height())
        .filter(|&r| cell(f, "region_code", r).is_some_and(|c| facts.in_scope(&c)))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let n = rows.len();
    let region = |r: usize| facts.place(&cell(f, "region_code", r).unwrap_or_default());
    let who = |r: usize| {
        format!(
            "{}{}「{}」",
            region(r),
            cell(f, "department", r).unwrap_or_default(),
            cell(f, "matter_name", r)
                .unwrap_or_else(|| cell(f, "matter_code", r).unwrap_or_default())
        )
    };
    // In the order the finding lists them (by district), each once: the names a list
    // cut after three shows are then the first ones the matters name too.
    let depts = || {
        let mut d: Vec<String> = Vec::new();
        for &r in &rows {
            if let Some(dept) = cell(f, "department", r) {
                let name = format!("{}{dept}", region(r));
                if !d.contains(&name) {
                    d.push(name);
                }
            }
        }
        d
    };
    let matters = |shown: &dyn Fn(usize) -> String| -> String {
        let items: Vec<String> = rows.iter().map(|&r| shown(r)).collect();
        listed(&items, "个事项")
    };
    let days = |v: Option<f64>| v.map(format::trimmed).unwrap_or_else(|| "—".into());
    Some(match f.id {
        "legal_days_outlier" => (
            format!(
                "事项目录法定时限疑有错误：{}，差异过大，应核实更正。",
                matters(&|r| format!(
                    "{}法定办结时限{}天，其他区县同一事项为{}天",
                    who(r),
                    days(number(f, "legal_days", r)),
                    days(number(f, "peers_median_legal_days", r))
                ))
            ),
            Measure::Catalogue(depts()),
        ),
        "promised_exceeds_legal" => (
            format!(
                "承诺时限超过法定时限：{}。",
                matters(&|r| format!(
                    "{}承诺{}天、法定{}天",
                    who(r),
                    days(number(f, "promised_days", r)),
                    days(number(f, "legal_days", r))
                ))
            ),
            Measure::Catalogue(depts()),
        ),
        "instant_flag_mismatch" => (
            format!(
                "即办标记与承诺时限自相矛盾：{}。",
                matters(&|r| {
                    let p = number(f, "promised_days", r).unwrap_or(0.0);
                    if p > 0.0 {
                        format!(
                            "{}承诺办结时限为{}个工作日，却标为即办件",
                            who(r),
                            format::trimmed(p)
                        )
                    } else {
                        format!("{}承诺即办，却未标为即办件", who(r))
                    }
                })
            ),
            Measure::Catalogue(depts()),
        ),
        "level4_with_visits" => (
            format!(
                "全程网办事项仍需跑动：{}。",
                matters(&|r| format!(
                    "{}网上办理深度为四级，最多跑动次数却为{}次",
                    who(r),
                    days(number(f, "max_visits", r))
                ))
            ),
            Measure::Catalogue(depts()),
        ),
        "mixed_units" => {
            let vocabulary = crate::ingest::vocabulary::Vocabulary::bundled();
            let unit = |column: &str, r: usize| {
                cell(f, column, r)
                    .and_then(|u| vocabulary.display(crate::ingest::vocabulary::Words::DayUnit, &u))
                    .map_or("天".to_owned(), |u| format!("个{u}"))
            };
            (
                format!(
                    "法定时限与承诺时限单位不一致、无法计算压缩比的事项{n}个：{}。",
                    matters(&|r| format!(
                        "{}（法定{}{}、承诺{}{}）",
                        who(r),
                        days(number(f, "legal_days", r)),
                        unit("legal_unit", r),
                        days(number(f, "promised_days", r)),
                        unit("time_unit", r)
                    ))
                ),
                Measure::Catalogue(depts()),
            )
        }
        "low_compression" => {
            let d = depts();
            (
                format!(
                    "承诺时限压缩不足50%的事项{n}个，涉及{}：{}。",
                    listed(&d, "个部门"),
                    matters(&|r| format!(
                        "{}（法定{}天、承诺{}天）",
                        who(r),
                        days(number(f, "legal_days", r)),
                        days(number(f, "promised_days", r))
                    ))
                ),
                Measure::Compression(d),
            )
        }
        "declared_online_unused" => (
            format!(
                "宣称全程网办但实际网上办件少：{}。",
                matters(&|r| format!(
                    "{}本季度办件{}件，网上办理仅占{}",
                    who(r),
                    days(number(f, "cases", r)),
                    number(f, "online_share", r)
                        .map(format::percent)
                        .unwrap_or_default()
                ))
            ),
            Measure::OnlineUnused(
                rows.iter()
                    .map(|&r| format!("「{}」", cell(f, "matter_name", r).unwrap_or_default()))
                    .collect(),
            ),
        ),
        _ => {
            let unit = if f.table == Table::Cases {
                "件"
            } else {
                "条"
            };
            // Whose they are, most first, when the rows say (case findings carry
            // department and matter).
            let mut counts: Vec<(String, usize)> = Vec::new();
            if f.rows.column("department").is_ok() {
                for &r in &rows {
                    let w = who(r);
                    match counts.iter_mut().find(|(k, _)| *k == w) {
                        Some((_, c)) => *c += 1,
                        None => counts.push((w, 1)),
                    }
                }
                counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            }
            let whose = if counts.is_empty() {
                String::new()
            } else {
                let items: Vec<String> = counts
                    .iter()
                    .map(|(w, c)| format!("{w}{}{unit}", format::thousands(*c as i64)))
                    .collect();
                format!("，其中{}", listed(&items, "个事项"))
            };
            // The audit's name without the table it is about: the unit says that.
            let name = f
                .name
                .strip_suffix("（办件）")
                .or_else(|| f.name.strip_suffix("（事项）"))
                .unwrap_or(f.name);
            let whose = match counts.as_slice() {
                [(w, _)] => format!("，均为{w}"),
                _ => whose,
            };
            (
                format!(
                    "数据质量核查发现“{name}”{}{unit}（{}）{whose}。",
                    format::thousands(n as i64),
                    f.rule
                ),
                Measure::Records(depts()),
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_cut_after_three() {
        let items: Vec<String> = ["甲", "乙", "丙", "丁"].map(String::from).to_vec();
        assert_eq!(listed(&items[..2], "个部门"), "甲、乙");
        assert_eq!(listed(&items, "个部门"), "甲、乙、丙等4个部门");
        let clauses = ["甲办件9件，网上仅占1%".to_owned(), "乙".to_owned()];
        assert_eq!(listed(&clauses, "个事项"), "甲办件9件，网上仅占1%；乙");
        assert_eq!(fill("逾期办结{n}件", 1234.0), "逾期办结1,234件");
        assert_eq!(unit_of("逾期办结{n}件"), "件");
        assert_eq!(unit_of("整改{n}条差评"), "条");
        assert_eq!(chinese_number(14), "十四");
        assert_eq!(
            [
                "张店区",
                "沂源县",
                "长阳土家族自治县",
                "邹平市",
                "科尔沁右翼前旗"
            ]
            .map(we),
            ["我区", "我县", "我县", "我市", "我旗"]
        );
    }
}
