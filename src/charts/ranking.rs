//! District ranking bars for one indicator: sorted best first, with the city's pooled
//! value and the target as vertical lines.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{label, short_name, style, theme, title, ChartData, DrawResult, Theme};
use crate::error::Result;
use crate::indicators::Better;

pub fn render(data: &ChartData, id: &str, dir: &Path, theme: Theme) -> Result<Vec<PathBuf>> {
    let size = theme.size(1200, 700);
    super::save(
        dir,
        &format!("ranking_{id}"),
        size,
        |r| draw(r, data, id, theme),
        |r| draw(r, data, id, theme),
    )
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    id: &str,
    theme: Theme,
) -> DrawResult {
    let ind = data.indicator(id).ok_or("unknown indicator")?;
    let mut bars: Vec<(String, String, f64)> = data
        .districts
        .iter()
        .filter_map(|(code, name)| {
            data.value(&data.quarter, code, id)
                .map(|v| (code.clone(), name.clone(), v))
        })
        .collect();
    match ind.better {
        Better::Lower => bars.sort_by(|a, b| a.2.total_cmp(&b.2)),
        _ => bars.sort_by(|a, b| b.2.total_cmp(&a.2)),
    }
    // Districts without a value (denominator 0) are listed last, not dropped.
    let missing: Vec<&String> = data
        .districts
        .iter()
        .filter(|(code, _)| !bars.iter().any(|b| &b.0 == code))
        .map(|(_, name)| name)
        .collect();
    let city = data.value(&data.quarter, &data.city.0, id);
    let target = data
        .comparison
        .iter()
        .find(|c| c.indicator == id)
        .and_then(|c| c.target);
    let unit = ind.unit.as_str();
    title(
        root,
        theme,
        &format!(
            "{}各区县{}排名",
            crate::format::quarter(&data.quarter),
            short_name(ind)
        ),
        &format!("{} · {}", data.city.1, ind.definition),
    )?;
    // Legend row under the title: what the two lines mean.
    let (w, _) = root.dim_in_pixel();
    let mut legend = Vec::new();
    if let Some(c) = city {
        legend.push((
            format!("{}（全市合计）{}", data.city.1, label(c, unit)),
            theme::RED,
        ));
    }
    if let Some(t) = target {
        legend.push((format!("目标 {}", label(t, unit)), theme::ORANGE));
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
    if bars.is_empty() && missing.is_empty() {
        return Ok(());
    }
    let mut all: Vec<f64> = bars.iter().map(|b| b.2).collect();
    if all.is_empty() {
        all.push(0.0);
    }
    all.extend(city);
    all.extend(target);
    let max = all.iter().copied().fold(f64::MIN, f64::max);
    let min = all.iter().copied().fold(f64::MAX, f64::min);
    // Zoom in on the range the districts differ over, from a round lower bound.
    let (lo, hi) = if unit == "%" {
        let lo = ((min - (max - min).max(0.01) * 0.5) * 100.0).floor() / 100.0;
        (lo.max(0.0), (max + (max - lo) * 0.12).min(1.0).max(max))
    } else {
        (0.0, max * 1.15 + 1e-9)
    };
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
        .x_label_formatter(&|v| {
            if unit == "%" {
                format!("{:.1}%", v * 100.0)
            } else {
                format!("{v:.1}")
            }
        })
        .x_label_style(style(theme, 14.0, theme::GREY))
        .light_line_style(theme::LIGHT_GREY.mix(0.5))
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, (code, name, v)) in bars.iter().enumerate() {
        let y0 = n - i as f64 - 0.85;
        let y1 = n - i as f64 - 0.15;
        let highlighted = data.highlight.as_deref() == Some(code.as_str());
        let colour = if highlighted {
            theme::ORANGE
        } else {
            theme::BLUE
        };
        chart
            .draw_series(std::iter::once(Rectangle::new(
                [(lo, y0), (*v, y1)],
                colour.filled(),
            )))
            .map_err(|e| e.to_string())?;
        chart
            .draw_series(std::iter::once(Text::new(
                format!(" {}", label(*v, unit)),
                (*v, (y0 + y1) / 2.0),
                style(theme, 15.0, theme::TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
            )))
            .map_err(|e| e.to_string())?;
        let (px, py) = chart.backend_coord(&(lo, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            format!("{}  {}", i + 1, name),
            (px - theme.px(10.0) as i32, py),
            style(theme, 17.0, theme::TEXT).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    for (j, name) in missing.iter().enumerate() {
        let i = bars.len() + j;
        let y = n - i as f64 - 0.5;
        let (px, py) = chart.backend_coord(&(lo, y));
        root.draw(&Text::new(
            format!("—  {name}"),
            (px - theme.px(10.0) as i32, py),
            style(theme, 17.0, theme::GREY).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        root.draw(&Text::new(
            "无数据（分母为0）".to_string(),
            (px + theme.px(10.0) as i32, py),
            style(theme, 15.0, theme::GREY).pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    for (value, colour) in [(city, theme::RED), (target, theme::ORANGE)] {
        if let Some(v) = value.filter(|v| *v >= lo && *v <= hi) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(v, 0.0), (v, n)],
                    colour.stroke_width(theme.px(3.0)),
                )))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
