//! Trend lines over the quarters: one line per district, the city's pooled value as a
//! thick dashed line; with `--region`, that district stands out and the others are grey.

use std::path::{Path, PathBuf};

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{label, short_name, style, theme, title, ChartData, DrawResult, Theme};
use crate::error::Result;

pub fn render(data: &ChartData, id: &str, dir: &Path, theme: Theme) -> Result<Vec<PathBuf>> {
    let size = theme.size(1200, 700);
    super::save(
        dir,
        &format!("trend_{id}"),
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
    let unit = ind.unit.as_str();
    let quarters = data.quarters();
    title(
        root,
        theme,
        &format!(
            "{}各区县{}走势（{}—{}）",
            data.city.1,
            short_name(ind),
            quarters.first().map_or("", |q| q),
            quarters.last().map_or("", |q| q)
        ),
        &ind.definition,
    )?;
    let mut series: Vec<(String, String, Vec<(f64, f64)>)> = Vec::new();
    for (code, name) in data.districts.iter().chain(std::iter::once(&data.city)) {
        let points: Vec<(f64, f64)> = quarters
            .iter()
            .enumerate()
            .filter_map(|(i, q)| data.value(q, code, id).map(|v| (i as f64, v)))
            .collect();
        series.push((code.clone(), name.clone(), points));
    }
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.2.iter().map(|p| p.1))
        .collect();
    if values.is_empty() {
        return Ok(());
    }
    let (min, max) = values
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(*v), b.max(*v)));
    let pad = ((max - min) * 0.1).max(if unit == "%" { 0.005 } else { 0.5 });
    let (lo, hi) = if unit == "%" {
        ((min - pad).max(0.0), (max + pad).min(1.0))
    } else {
        ((min - pad).max(0.0), max + pad)
    };
    // Legend on the right, outside the plot.
    let (plot, legend) = root
        .margin(
            theme.px(85.0),
            theme.px(20.0),
            theme.px(20.0),
            theme.px(20.0),
        )
        .split_horizontally(theme.px(1000.0));
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(80.0))
        .build_cartesian_2d(-0.3f64..(quarters.len() as f64 - 0.7), lo..hi)
        .map_err(|e| e.to_string())?;
    let qs = quarters.clone();
    chart
        .configure_mesh()
        .x_labels(quarters.len())
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                qs.get(i as usize).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| {
            if unit == "%" {
                format!("{:.1}%", v * 100.0)
            } else {
                format!("{v:.1}")
            }
        })
        .label_style(style(theme, 14.0, theme::GREY))
        .light_line_style(theme::LIGHT_GREY.mix(0.5))
        .draw()
        .map_err(|e| e.to_string())?;
    let highlight = data.highlight.as_deref();
    for (i, (code, name, points)) in series.iter().enumerate() {
        let is_city = *code == data.city.0;
        let colour = if is_city {
            theme::TEXT
        } else if highlight.is_some_and(|h| h != code) {
            theme::LIGHT_GREY
        } else {
            theme::SERIES[i % theme::SERIES.len()]
        };
        let width = if is_city || highlight == Some(code.as_str()) {
            4.0
        } else {
            2.0
        };
        if is_city {
            // Dashed: short segments between the points.
            for w in points.windows(2) {
                let steps = 8;
                for k in (0..steps).step_by(2) {
                    let t0 = k as f64 / steps as f64;
                    let t1 = (k + 1) as f64 / steps as f64;
                    let p = |t: f64| {
                        (
                            w[0].0 + (w[1].0 - w[0].0) * t,
                            w[0].1 + (w[1].1 - w[0].1) * t,
                        )
                    };
                    chart
                        .draw_series(std::iter::once(PathElement::new(
                            vec![p(t0), p(t1)],
                            colour.stroke_width(theme.px(width)),
                        )))
                        .map_err(|e| e.to_string())?;
                }
            }
        } else {
            chart
                .draw_series(LineSeries::new(
                    points.clone(),
                    colour.stroke_width(theme.px(width)),
                ))
                .map_err(|e| e.to_string())?;
        }
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new(*p, theme.px(width + 1.0), colour.filled())),
            )
            .map_err(|e| e.to_string())?;
        // Legend entry, with the latest value.
        let y = theme.px(40.0 + 32.0 * i as f64) as i32;
        legend
            .draw(&PathElement::new(
                vec![(0, y), (theme.px(26.0) as i32, y)],
                colour.stroke_width(theme.px(width)),
            ))
            .map_err(|e| e.to_string())?;
        let last = points.last().map(|p| label(p.1, unit)).unwrap_or_default();
        let text = if is_city {
            format!("{name}（全市）{last}")
        } else {
            format!("{name} {last}")
        };
        legend
            .draw(&Text::new(
                text,
                (theme.px(32.0) as i32, y),
                style(theme, 14.0, theme::TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}
