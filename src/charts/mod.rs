//! Charts (docs/SPEC.md §7), each written as PNG (for DOCX and XLSX) and SVG (for HTML), with
//! Chinese text in the bundled font: district ranking bars, quarterly trends, online
//! handling levels, a district × indicator heat map, and the rating mix. One file per
//! chart kind; `theme` holds what they share. Charts read only the indicator table and
//! the comparison — never the case data.

pub mod heatmap;
pub mod online_levels;
pub mod ranking;
pub mod rating_mix;
pub mod text;
pub mod theme;
pub mod trend;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::compare::{Comparison, IndicatorRow, Scheme};
use crate::error::{Error, Result};
use crate::indicators::metadata::ChartKind;
use crate::indicators::Indicator;
pub use theme::Theme;

/// Everything the charts draw from.
pub struct ChartData<'a> {
    pub quarter: String,
    /// Indicator rows of every quarter (province, city and region levels).
    pub rows: &'a [IndicatorRow],
    /// Their values by (quarter, key, indicator): a province's charts look up thousands.
    pub index: HashMap<(&'a str, &'a str, &'a str), Option<f64>>,
    pub comparison: &'a [Comparison],
    pub indicators: &'a [Indicator],
    pub scheme: &'a Scheme,
    /// The whole compared (the city; the province when its cities are compared) and its
    /// members (districts; cities) as (code, name), in code order.
    pub parent: (String, String),
    pub members: Vec<(String, String)>,
    /// What the members are called (区县, 市) and the whole (全市, 全省).
    pub member_word: &'static str,
    pub whole_word: &'static str,
    /// A district to highlight (`--region`).
    pub highlight: Option<String>,
}

impl ChartData<'_> {
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
    /// The indicators that get `chart` (their files' `-- chart:`), in headline order,
    /// then in file order.
    pub fn charted(&self, chart: ChartKind) -> Vec<&Indicator> {
        let mut charted: Vec<&Indicator> = self
            .indicators
            .iter()
            .filter(|i| i.charts.contains(&chart))
            .collect();
        charted.sort_by_key(|i| i.headline.unwrap_or(u32::MAX));
        charted
    }
    /// Value of an indicator for a key in a quarter.
    pub fn value(&self, quarter: &str, key: &str, id: &str) -> Option<f64> {
        let index: &HashMap<(&str, &str, &str), Option<f64>> = &self.index;
        index.get(&(quarter, key, id)).copied().flatten()
    }

    /// The index of `rows` by (quarter, key, indicator).
    pub fn index_of(rows: &[IndicatorRow]) -> HashMap<(&str, &str, &str), Option<f64>> {
        rows.iter()
            .map(|r| {
                (
                    (r.quarter.as_str(), r.key.as_str(), r.indicator.as_str()),
                    r.value,
                )
            })
            .collect()
    }
    /// The districts with a value in the report quarter, best first: (code, name, value).
    /// Districts without one are not in it.
    pub fn ranked(&self, id: &str) -> Vec<(&str, &str, f64)> {
        let mut bars: Vec<(&str, &str, f64)> = self
            .members
            .iter()
            .filter_map(|(c, n)| {
                self.value(&self.quarter, c, id)
                    .map(|v| (c.as_str(), n.as_str(), v))
            })
            .collect();
        match self.indicator(id).map(|i| i.better) {
            Some(crate::indicators::Better::Lower) => bars.sort_by(|a, b| a.2.total_cmp(&b.2)),
            _ => bars.sort_by(|a, b| b.2.total_cmp(&a.2)),
        }
        bars
    }
    pub fn quarters(&self) -> Vec<String> {
        let mut q: Vec<String> = self.rows.iter().map(|r| r.quarter.clone()).collect();
        q.sort();
        q.dedup();
        q.retain(|x| x.as_str() <= self.quarter.as_str());
        q
    }
    pub fn comparison(&self, key: &str, id: &str) -> Option<&Comparison> {
        self.comparison
            .iter()
            .find(|c| c.key == key && c.indicator == id)
    }
}

/// A chart drawn on any backend.
pub type DrawResult = std::result::Result<(), String>;

/// One chart drawn: its title (as data, escaped by each report format once) and files.
#[derive(Debug, Clone)]
pub struct Chart {
    pub figure: Figure,
    pub title: String,
    pub png: PathBuf,
    pub svg: PathBuf,
}

/// Which chart a chart is: what reports choose by (never by file name), and the stem
/// of its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    /// Districts best first for an indicator (its id).
    Ranking(String),
    /// Each district over the quarters for an indicator (its id).
    Trend(String),
    /// 一级~四级网办率 per district.
    OnlineLevels,
    /// The district × indicator score heat map (example weights unless a scheme is given).
    Heatmap,
    /// The 好差评 rating mix.
    RatingMix,
}

impl Figure {
    /// The file stem: `ranking_on_time_rate`, `heatmap`.
    pub fn stem(&self) -> String {
        match self {
            Figure::Ranking(id) => format!("ranking_{id}"),
            Figure::Trend(id) => format!("trend_{id}"),
            Figure::OnlineLevels => "online_levels".into(),
            Figure::Heatmap => "heatmap".into(),
            Figure::RatingMix => "rating_mix".into(),
        }
    }

    /// Whether the DOCX draft, which is read on paper and keeps to few figures, shows it:
    /// an indicator's chart if its file's `draft` lists it, the heat map only from a
    /// scheme the user gave, the other two always.
    pub fn in_draft(&self, indicators: &[Indicator], user_scheme: bool) -> bool {
        let listed = |id: &str, kind: ChartKind| {
            indicators
                .iter()
                .any(|i| i.id == id && i.draft_charts.contains(&kind))
        };
        match self {
            Figure::Ranking(id) => listed(id, ChartKind::Ranking),
            Figure::Trend(id) => listed(id, ChartKind::Trend),
            Figure::Heatmap => user_scheme,
            Figure::OnlineLevels | Figure::RatingMix => true,
        }
    }
}

/// Writes one chart as `<stem>.png` and `<stem>.svg`, each atomically.
pub fn save<F, G>(
    dir: &Path,
    figure: Figure,
    title: &str,
    size: (u32, u32),
    draw_png: F,
    draw_svg: G,
) -> Result<Chart>
where
    F: FnOnce(&DrawingArea<text::PngBackend, Shift>) -> DrawResult,
    G: FnOnce(&DrawingArea<SVGBackend, Shift>) -> DrawResult,
{
    std::fs::create_dir_all(dir).map_err(|e| Error::output(dir, e))?;
    let stem = figure.stem();
    let fail = |e: String| Error::Usage(format!("drawing chart {stem}: {e}"));
    let png = dir.join(format!("{stem}.png"));
    let tmp = dir.join(format!(".{stem}.{}.partial.png", std::process::id()));
    {
        let root = text::PngBackend(BitMapBackend::new(&tmp, size)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        draw_png(&root).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    std::fs::rename(&tmp, &png).map_err(|e| Error::output(&png, e))?;
    let svg = dir.join(format!("{stem}.svg"));
    let mut text = String::new();
    {
        let root = SVGBackend::with_string(&mut text, size).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        draw_svg(&root).map_err(fail)?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    crate::output::write_atomic(&svg, |f| std::io::Write::write_all(f, text.as_bytes()))?;
    Ok(Chart {
        figure,
        title: title.to_owned(),
        png,
        svg,
    })
}

/// What one chart came to: its files, or why it was not drawn (a sentence for the
/// report, e.g. "各区县差评按时整改率均为100%，未绘制排名图。").
pub enum Drawn {
    Chart(Chart),
    Skipped(String),
}

/// Every chart of the quarter: the files written (PNG, SVG pairs) and the sentences for
/// those not drawn because they would show nothing.
#[derive(Default)]
pub struct Rendered {
    pub charts: Vec<Chart>,
    /// (the chart not drawn, why).
    pub skipped: Vec<(Figure, String)>,
}

impl Rendered {
    fn add(&mut self, figure: Figure, d: Drawn) {
        match d {
            Drawn::Chart(c) => self.charts.push(c),
            Drawn::Skipped(why) if !why.is_empty() => self.skipped.push((figure, why)),
            Drawn::Skipped(_) => {}
        }
    }
}

/// Draws every chart for the quarter into `dir`.
pub fn render_all(data: &ChartData, dir: &Path, theme: Theme) -> Result<Rendered> {
    theme::register_font();
    let mut out = Rendered::default();
    let trends = data.charted(ChartKind::Trend);
    for ind in data.charted(ChartKind::Ranking) {
        let id = ind.id.as_str();
        out.add(
            Figure::Ranking(ind.id.clone()),
            ranking::render(data, id, dir, theme)?,
        );
        if trends.iter().any(|t| t.id == ind.id) {
            out.add(
                Figure::Trend(ind.id.clone()),
                trend::render(data, id, dir, theme)?,
            );
        }
    }
    for ind in trends
        .iter()
        .filter(|t| !t.charts.contains(&ChartKind::Ranking))
    {
        let id = ind.id.as_str();
        out.add(
            Figure::Trend(ind.id.clone()),
            trend::render(data, id, dir, theme)?,
        );
    }
    out.charts.push(online_levels::render(data, dir, theme)?);
    out.charts.push(heatmap::render(data, dir, theme)?);
    out.charts.push(rating_mix::render(data, dir, theme)?);
    Ok(out)
}

/// A value axis: from 0, unless rates sit in a narrow band far above it (按期办结率 of
/// 98.9%–100%), where bars from 0 look identical; then it starts at a round value below
/// them, and `zoomed` makes the chart say so.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub zoomed: bool,
}

pub fn value_axis(values: &[f64], unit: &str) -> Axis {
    // A user's table may hold ±inf or 1e300: plotters' tick search never ends on such a
    // range, so the axis spans finite values within ±1e15 only.
    let values: Vec<f64> = values
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .map(|v| v.clamp(-1e15, 1e15))
        .collect();
    let max = values.iter().copied().fold(0.0, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min).min(max);
    if unit != "%" {
        return Axis {
            lo: 0.0,
            hi: (max * 1.15).max(1e-9),
            zoomed: false,
        };
    }
    let spread = max - min;
    if min > 0.5 && spread < 0.2 {
        let step = if spread < 0.02 {
            0.005
        } else if spread < 0.05 {
            0.01
        } else {
            0.05
        };
        let lo = ((min - (spread * 0.1).max(0.001)) / step).floor() * step;
        let lo = (lo * 1e6).round() / 1e6;
        let hi = (max + (max - lo) * 0.05).min(1.0).max(max);
        return Axis {
            lo,
            hi,
            zoomed: lo > 0.0,
        };
    }
    Axis {
        lo: 0.0,
        hi: (max * 1.05).min(1.0).max(max).max(1e-9),
        zoomed: false,
    }
}

/// Whether a set of values has nothing to show: all equal (or none).
pub fn flat(values: &[f64]) -> bool {
    values.windows(2).all(|w| (w[0] - w[1]).abs() < 1e-12)
}

/// An axis tick as the charts print it: `98%`, `99.5%`, `12`.
pub fn tick(v: f64, unit: &str) -> String {
    if unit == "%" {
        format!("{}%", crate::format::trimmed(v * 100.0))
    } else {
        crate::format::trimmed(v)
    }
}

/// Text style in the theme font.
pub fn style(theme: Theme, points: f64, colour: RGBColor) -> TextStyle<'static> {
    let mut s = TextStyle::from(theme.font(points));
    s.color = colour.to_backend_color();
    s
}

/// A title line and a subtitle line at the top of a chart.
pub fn title<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: Theme,
    title: &str,
    subtitle: &str,
) -> DrawResult {
    let (w, _) = root.dim_in_pixel();
    root.draw(&Text::new(
        title.to_owned(),
        ((w / 2) as i32, theme.px(14.0) as i32),
        style(theme, 26.0, theme::TEXT).pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(|e| e.to_string())?;
    if !subtitle.is_empty() {
        root.draw(&Text::new(
            subtitle.to_owned(),
            ((w / 2) as i32, theme.px(50.0) as i32),
            style(theme, 15.0, theme::GREY).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A legend row under the title: a colour square and a name per item, `step` points apart.
pub fn swatch_legend<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: Theme,
    items: &[(&str, RGBColor)],
    x0: i32,
    step: f64,
) -> DrawResult {
    let y = theme.px(88.0) as i32;
    let mut x = x0;
    for (name, colour) in items {
        let half = theme.px(8.0) as i32;
        root.draw(&Rectangle::new(
            [(x, y - half), (x + theme.px(22.0) as i32, y + half)],
            colour.filled(),
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            name.to_string(),
            (x + theme.px(30.0) as i32, y),
            style(theme, 16.0, theme::TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        x += theme.px(step) as i32;
    }
    Ok(())
}

/// A label on a white ground, so a line it sits on never runs through it.
pub fn boxed_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: Theme,
    text: &str,
    at: (i32, i32),
    style: &TextStyle,
) -> DrawResult {
    let (w, h) = root
        .estimate_text_size(text, style)
        .map_err(|e| e.to_string())?;
    let pad = theme.px(3.0) as i32;
    let (w, h) = (w as i32, h as i32);
    let left = match style.pos.h_pos {
        HPos::Left => at.0,
        HPos::Center => at.0 - w / 2,
        HPos::Right => at.0 - w,
    };
    let top = match style.pos.v_pos {
        VPos::Top => at.1,
        VPos::Center => at.1 - h / 2,
        VPos::Bottom => at.1 - h,
    };
    root.draw(&Rectangle::new(
        [(left - pad, top - pad), (left + w + pad, top + h + pad)],
        WHITE.filled(),
    ))
    .map_err(|e| e.to_string())?;
    root.draw(&Text::new(text.to_owned(), at, style.clone()))
        .map_err(|e| e.to_string())
}

/// A value as the chart labels show it.
pub fn label(v: f64, unit: &str) -> String {
    crate::format::value(v, unit)
}

/// The display name of an indicator without its bracketed note: 即办件率（办件口径） → 即办件率.
pub fn short_name(ind: &Indicator) -> String {
    ind.name.split('（').next().unwrap_or(&ind.name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A proptest table with an infinite and a 1e300 value hung `report` in plotters'
    /// tick search (compute_f64_key_points) on an infinite axis.
    #[test]
    fn an_axis_over_absurd_values_stays_finite() {
        for unit in ["件", "%"] {
            let a = value_axis(&[f64::INFINITY, 1e300, f64::NAN, 3.0], unit);
            assert!(
                a.lo.is_finite() && a.hi.is_finite() && a.hi <= 1.2e15,
                "{unit}: {a:?}"
            );
        }
    }
}
