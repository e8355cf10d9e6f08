//! District ranking bars for one indicator: sorted best first, with the city's pooled
//! value and the target as vertical lines.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    flat, label, short_name, style, theme, tick, title, value_axis, ChartData, DrawResult, Drawn,
    Theme,
};
use crate::error::Result;
use crate::indicators::Indicator;

/// The ranking's title, `2025年第四季度各区县按期办结率排名` (the XLSX chart sheet uses it too).
pub fn heading(data: &ChartData, ind: &Indicator) -> String {
    format!(
        "{}各{}{}排名",
        crate::format::quarter(&data.quarter),
        data.member_word,
        short_name(ind)
    )
}

pub fn render(data: &ChartData, id: &str, dir: &Path, theme: Theme) -> Result<Drawn> {
    let Some(ind) = data.indicator(id) else {
        return Ok(Drawn::Skipped(String::new()));
    };
    let values: Vec<f64> = data
        .members
        .iter()
        .filter_map(|(code, _)| data.value(&data.quarter, code, id))
        .collect();
    let quarter = crate::format::quarter(&data.quarter);
    let name = short_name(ind);
    if values.is_empty() {
        return Ok(Drawn::Skipped(format!(
            "{quarter}各{}均无{name}数据，未绘制排名图。",
            data.member_word
        )));
    }
    if values.len() > 1 && flat(&values) {
        let who = if values.len() < data.members.len() {
            match &ind.population {
                Some(p) => format!("{}个{p}的{}", values.len(), data.member_word),
                None => format!("有数据的{}个{}", values.len(), data.member_word),
            }
        } else {
            format!("各{}", data.member_word)
        };
        return Ok(Drawn::Skipped(format!(
            "{quarter}{who}{name}均为{}，未绘制排名图。",
            label(values[0], &ind.unit)
        )));
    }
    let size = theme.size(1200, 700);
    let heading = heading(data, ind);
    super::save(
        dir,
        super::Figure::Ranking(id.to_owned()),
        &heading,
        size,
        |r| draw(r, data, id, &heading, theme),
        |r| draw(r, data, id, &heading, theme),
    )
    .map(Drawn::Chart)
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    id: &str,
    heading: &str,
    theme: Theme,
) -> DrawResult {
    let ind = data.indicator(id).ok_or("unknown indicator")?;
    let bars = data.ranked(id);
    // Districts without a value (denominator 0) are listed last, not dropped.
    let missing: Vec<&String> = data
        .members
        .iter()
        .filter(|(code, _)| !bars.iter().any(|b| b.0 == code))
        .map(|(_, name)| name)
        .collect();
    let city = data.value(&data.quarter, &data.parent.0, id);
    let target = data
        .comparison
        .iter()
        .find(|c| c.indicator == id)
        .and_then(|c| c.target);
    let unit = ind.unit.as_str();
    let mut all: Vec<f64> = bars.iter().map(|b| b.2).collect();
    all.extend(city);
    all.extend(target);
    let axis = value_axis(&all, unit);
    let (lo, hi) = (axis.lo, axis.hi);
    let mut subtitle = format!("{} · {}", data.parent.1, ind.definition);
    if axis.zoomed {
        subtitle.push_str(&format!("（横轴自{}起，放大显示差异）", tick(lo, unit)));
    }
    title(root, theme, heading, &subtitle)?;
    // Legend row under the title: what the two lines mean.
    let (w, _) = root.dim_in_pixel();
    let mut legend = Vec::new();
    if let Some(c) = city {
        legend.push((
            format!(
                "{}（{}合计）{}",
                data.parent.1,
                data.whole_word,
                label(c, unit)
            ),
            theme::RED,
        ));
    }
    if let Some(t) = target {
        legend.push((format!("目标 {}", label(t, unit)), theme::GREEN));
    }
    let mut x = (w as f64 * 0.30) as i32;
    for (text, colour) in &legend {
        let y = theme.px(88.0) as i32;
        root.draw(&PathElement::new(
            vec![(x, y), (x + theme.px(30.0) as i32, y)],
            colour.stroke_width(theme.px(3.0)),
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            text.clone(),
            (x + theme.px(38.0) as i32, y),
            style(theme, 16.0, theme::TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        x += theme.px(360.0) as i32;
    }
    let plot = root.margin(
        theme.px(110.0),
        theme.px(30.0),
        theme.px(130.0),
        theme.px(95.0),
    );
    let n = (bars.len() + missing.len()) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(theme.px(40.0))
        .build_cartesian_2d(lo..hi, 0f64..n)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|v| tick(*v, unit))
        .x_label_style(style(theme, 14.0, theme::GREY))
        .light_line_style(theme::LIGHT_GREY.mix(0.5))
        .draw()
        .map_err(|e| e.to_string())?;
    let mid = |i: usize| n - i as f64 - 0.5;
    for (i, (code, _, v)) in bars.iter().enumerate() {
        let highlighted = data.highlight.as_deref() == Some(*code);
        let colour = if highlighted {
            theme::ORANGE
        } else {
            theme::BLUE
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, mid(i) - 0.35), (*v, mid(i) + 0.35)],
                colour.filled(),
            )))
            .map_err(|e| e.to_string())?;
    }
    // The city and target lines over the bars, then every label on a white ground over
    // the lines: a label is never crossed by a line.
    for (value, colour) in [(city, theme::RED), (target, theme::GREEN)] {
        if let Some(v) = value.filter(|v| *v >= lo && *v <= hi) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(v, 0.0), (v, n)],
                    colour.stroke_width(theme.px(3.0)),
                )))
                .map_err(|e| e.to_string())?;
        }
    }
    let value_style = style(theme, 15.0, theme::TEXT).pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (code, name, v)) in bars.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(*v, mid(i)));
        super::boxed_label(
            root,
            theme,
            &label(*v, unit),
            (px + theme.px(8.0) as i32, py),
            &value_style,
        )?;
        // The rank the comparison table gives: ties share it (1, 1, 3).
        let rank = data
            .comparison(code, id)
            .and_then(|c| c.rank)
            .map_or_else(|| (i + 1).to_string(), |r| r.to_string());
        let (px, py) = chart.backend_coord(&(lo, mid(i)));
        root.draw(&Text::new(
            format!("{rank}  {name}"),
            (px - theme.px(10.0) as i32, py),
            style(theme, 17.0, theme::TEXT).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    for (j, name) in missing.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(lo, mid(bars.len() + j)));
        root.draw(&Text::new(
            format!("—  {name}"),
            (px - theme.px(10.0) as i32, py),
            style(theme, 17.0, theme::GREY).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        // 有到期差评 → 本季度无到期差评.
        let why = match ind.population.as_deref().and_then(|p| p.strip_prefix('有')) {
            Some(rest) => format!("本季度无{rest}"),
            None => "无数据".to_owned(),
        };
        super::boxed_label(
            root,
            theme,
            &why,
            (px + theme.px(10.0) as i32, py),
            &style(theme, 15.0, theme::GREY).pos(Pos::new(HPos::Left, VPos::Center)),
        )?;
    }
    Ok(())
}
