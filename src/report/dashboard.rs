//! The dashboard (看板): one self-contained HTML file a leader keeps open — the ranking of
//! a city's districts (a province's cities) with the whole's value, the target and what
//! it takes, trends, the district × indicator heat map, and a district's departments,
//! 乡镇/街道 and matters with their 红黑榜, 预警 and data-quality counts. The numbers are
//! computed here (src/compare) and embedded as JSON; the page only shows them
//! (assets/dashboard/dashboard.js), drawing with the bundled Apache ECharts
//! (assets/echarts) in a cut of the bundled font (webfont.rs). No request leaves the page.
//!
//! ```text
//! Data (areas, comparison rows of every quarter, units and their boards, 预警, findings)
//!   → JSON in <script type="application/json"> + app script + ECharts + @font-face
//!   → dashboard.html
//! ```

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

const TEMPLATE: &str = include_str!("../../assets/dashboard/dashboard.html");
const STYLE: &str = include_str!("../../assets/dashboard/dashboard.css");
const APP: &str = include_str!("../../assets/dashboard/dashboard.js");
const ECHARTS: &str = include_str!("../../assets/echarts/echarts.min.js");

/// Everything the page shows, as the page reads it (field names are the script's).
#[derive(Debug, Serialize)]
pub struct Data {
    pub title: String,
    /// One line under the title: where the numbers come from.
    pub basis: String,
    /// The whole (the province or the city) among `areas`, and the area to open first
    /// (a district's own dashboard opens on it).
    pub top: usize,
    pub open: Option<usize>,
    /// The quarter to open, and every quarter the page can show, with their names.
    pub quarter: String,
    pub quarters: Vec<String>,
    pub quarter_names: Vec<String>,
    pub as_of: Option<String>,
    /// 黄灯 in words (`剩余不足1个工作日`).
    pub warning_rule: String,
    pub board_rules: BoardRules,
    pub matters_per_department: usize,
    pub indicators: Vec<Indicator>,
    pub areas: Vec<Area>,
    /// The comparison of every quarter (docs/SPEC.md §6), one row per area and indicator.
    pub rows: Rows,
    /// Departments, 乡镇/街道 and matters of the districts…
    pub units: Units,
    /// …their indicators (indexes into `indicators`)…
    pub unit_indicators: Vec<u16>,
    /// …and their values with their place on the district's 红黑榜.
    pub unit_rows: UnitRows,
    /// 预警 at the as-of time per area: 红, 黄, 绿 (None from a precomputed table).
    pub warnings: Option<BTreeMap<usize, [u64; 3]>>,
    /// Data-quality findings counted per area (None when no data was read).
    pub findings: Option<Vec<FindingCounts>>,
    /// The settings printed with the results, as in the report.
    pub settings: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct BoardRules {
    pub size: u32,
    pub min_cases: f64,
    pub min_ratings: f64,
}

#[derive(Debug, Serialize)]
pub struct Indicator {
    pub id: String,
    pub name: String,
    pub short: String,
    pub unit: String,
    pub rate: bool,
    /// 1 higher is better, -1 lower, 0 neither (not ranked).
    pub better: i8,
    pub target: Option<f64>,
    pub headline: bool,
    /// Whether departments, 乡镇/街道 and matters are ranked on it (红黑榜).
    pub board: bool,
    /// One success in words, `按期办结{n}件`.
    pub success: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub parent: Option<usize>,
    /// `province`, `city` or `region` (a district).
    pub level: &'static str,
}

/// A number written whole when it is whole (`12`, not `12.0`): counts are most of the
/// page's numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_finite() && self.0.fract() == 0.0 && self.0.abs() < 1e15 {
            s.serialize_i64(self.0 as i64)
        } else if self.0.is_finite() {
            s.serialize_f64(self.0)
        } else {
            s.serialize_none()
        }
    }
}

/// A number for the page to show, not to compare: rounded at 1e-8, below what any
/// figure prints (a change of 0.30 百分点 is 0.3, not 0.29999999999999716).
pub fn shown(x: f64) -> Num {
    Num((x * 1e8).round() / 1e8)
}

/// Comparison rows, grouped by quarter and area (indexes into quarters and areas): group
/// `g` holds the `len[g]` rows after those of the groups before it, one per indicator.
/// A row's value is its numerator over its denominator, which the page divides exactly
/// as here; `vx` holds the rows whose value is anything else (a mean over other counts,
/// none).
#[derive(Debug, Default, Serialize)]
pub struct Rows {
    pub q: Vec<u16>,
    pub a: Vec<u32>,
    pub len: Vec<u32>,
    pub i: Vec<u16>,
    pub n: Vec<Num>,
    pub d: Vec<Num>,
    pub vx: BTreeMap<usize, Option<Num>>,
    pub rank: Vec<Option<u32>>,
    /// Ranked among how many.
    pub of: Vec<u32>,
    /// Target met: 1, 0, or none.
    pub met: Vec<Option<u8>>,
    /// What it takes to reach the target (cases, ratings).
    pub tt: Vec<Option<Num>>,
    /// Change on the previous quarter (百分点 for rates, % otherwise).
    pub qoq: Vec<Option<Num>>,
}

impl Rows {
    /// Adds the row of indicator `i` of a comparison row, in a new group when `(q, a)`
    /// differs from the last row's.
    pub fn push(&mut self, (q, a, i): (u16, u32, u16), c: &crate::compare::Comparison) {
        if self.q.last() != Some(&q) || self.a.last() != Some(&a) {
            self.q.push(q);
            self.a.push(a);
            self.len.push(0);
        }
        *self.len.last_mut().expect("a group") += 1;
        let row = self.i.len();
        self.i.push(i);
        self.n.push(Num(c.numerator));
        self.d.push(Num(c.denominator));
        let divided = (c.denominator != 0.0).then(|| c.numerator / c.denominator);
        if c.value.map(f64::to_bits) != divided.map(f64::to_bits) {
            self.vx.insert(row, c.value.map(Num));
        }
        self.rank.push(c.rank);
        self.of.push(c.rank_of);
        self.met.push(c.met.map(u8::from));
        self.tt.push(c.to_target.map(Num));
        self.qoq.push(c.qoq_change.map(shown));
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Units {
    /// A department's or 乡镇/街道's key (`370303/区市场监管局`), what a link names; none
    /// for a matter.
    pub key: Vec<Option<String>>,
    pub name: Vec<String>,
    /// 0 department, 1 乡镇/街道, 2 matter.
    pub kind: Vec<u8>,
    /// Its district among `areas`.
    pub area: Vec<u32>,
    /// A matter's department among the units.
    pub dept: Vec<Option<u32>>,
}

/// The units' values, a group per unit and quarter: group `g` holds the `len[g]` entries
/// after those of the groups before it. Each entry is a value shown (rounded at 1e-8)
/// and a code, `(4 × rank + board) × K + indicator`: the indicator among the K
/// `unit_indicators`, the rank within the district (0 for none), the board 0 on neither,
/// 1 红榜, 2 黑榜, 3 样本不足 — one small number where three would each take a column.
#[derive(Debug, Default, Serialize)]
pub struct UnitRows {
    pub q: Vec<u16>,
    pub u: Vec<u32>,
    pub len: Vec<u32>,
    pub v: Vec<Option<Num>>,
    pub code: Vec<u32>,
}

#[derive(Debug, Serialize)]
pub struct FindingCounts {
    pub name: String,
    pub rule: String,
    /// Area (index) → offending rows.
    pub counts: BTreeMap<usize, u64>,
}

/// The page, with the data, the script, ECharts and the font cut to its characters inline.
pub fn render(data: &Data) -> Result<String, String> {
    // No `<` at all in the script element the JSON sits in (`</script>` would end it,
    // `<!--` change how it is read): inside JSON strings, `\u003c` is the same text.
    let json = serde_json::to_string(data)
        .map_err(|e| format!("writing the dashboard's data: {e}"))?
        .replace('<', "\\u003c");
    let footer = "由 pingjia 根据事项目录、办件和好差评数据生成；页面自带数据、图表库（Apache ECharts，Apache-2.0）和字体（文泉驿微米黑，Apache-2.0），无需联网。";
    let title = super::escape_html(&data.title);
    // Every character the page can show: its own text, the data's and the script's words.
    let chars: BTreeSet<char> = [TEMPLATE, STYLE, APP, json.as_str(), footer]
        .iter()
        .flat_map(|t| t.chars())
        .filter(|c| !c.is_ascii())
        .collect();
    let font = super::webfont::font_face(&chars)?;
    let mut page =
        String::with_capacity(TEMPLATE.len() + json.len() + ECHARTS.len() + font.len() + APP.len());
    // One pass over the template, so nothing inserted is read as a placeholder.
    let mut rest = TEMPLATE;
    while let Some(start) = rest.find("{{") {
        let end = rest[start..]
            .find("}}")
            .map(|e| start + e + 2)
            .ok_or("unclosed placeholder")?;
        page.push_str(&rest[..start]);
        page.push_str(match &rest[start + 2..end - 2] {
            "TITLE" => &title,
            "FONT_FACE" => &font,
            "STYLE" => STYLE,
            "FOOTER" => footer,
            "DATA" => &json,
            "ECHARTS" => ECHARTS,
            "APP" => APP,
            other => {
                return Err(format!(
                    "unknown placeholder {other} in the dashboard template"
                ))
            }
        });
        rest = &rest[end..];
    }
    page.push_str(rest);
    Ok(page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_whole_and_others_exactly() {
        let json = serde_json::to_string(&[Num(12.0), Num(0.5), Num(f64::NAN), Num(-3.0)]).unwrap();
        assert_eq!(json, "[12,0.5,null,-3]");
        let v = 0.9962264150943396_f64;
        let back: f64 = serde_json::from_str(&serde_json::to_string(&Num(v)).unwrap()).unwrap();
        assert_eq!(back, v);
    }
}
