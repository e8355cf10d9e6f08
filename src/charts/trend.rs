//! Trend lines over the quarters: the report's district (or, for the city, its best and
//! worst district) in colour against the others in grey, the city's pooled value dashed.
//! A line breaks where a quarter has no value.

use std::path::Path;

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{
    flat, label, short_name, style, theme, tick, title, value_axis, ChartData, DrawResult, Drawn,
    Theme,
};
use crate::error::Result;
use crate::indicators::Better;

pub fn render(data: &ChartData, id: &str, dir: &Path, theme: Theme) -> Result<Drawn> {
    let Some(ind) = data.indicator(id) else {
        return Ok(Drawn::Skipped(String::new()));
    };
    let values: Vec<f64> = series(data, id)
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .collect();
    let name = short_name(ind);
    if values.is_empty() {
        return Ok(Drawn::Skipped(format!(
            "各季度均无{name}数据，未绘制走势图。"
        )));
    }
    if flat(&values) {
        return Ok(Drawn::Skipped(format!(
            "各季度各{}{name}均为{}，未绘制走势图。",
            data.member_word,
            label(values[0], &ind.unit)
        )));
    }
    let size = theme.size(1200, 700);
    let quarters = data.quarters();
    let heading = format!(
        "{}各{}{}走势（{}—{}）",
        data.parent.1,
        data.member_word,
        short_name(ind),
        quarters
            .first()
            .map_or(String::new(), |q| crate::format::quarter(q)),
        quarters
            .last()
            .map_or(String::new(), |q| crate::format::quarter(q))
    );
    super::save(
        dir,
        super::Figure::Trend(id.to_owned()),
        &heading,
        size,
        |r| draw(r, data, id, &heading, theme),
        |r| draw(r, data, id, &heading, theme),
    )
    .map(Drawn::Chart)
}

/// One line: a district or the city, its points (quarter index, value) where it has a
/// value, and how it is drawn.
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
    look: Look,
}

#[derive(Clone, Copy, PartialEq)]
enum Look {
    /// The rest, in grey.
    Grey,
    /// The city's pooled value, dark and dashed.
    City,
    /// What the chart is about: the report's district, or the best and worst districts
    /// (with the word the legend gives them).
    Emphasis(RGBColor, &'static str),
}

/// The districts and the city; with `--region` that district is emphasised, otherwise the
/// best and the worst district of the report quarter.
fn series(data: &ChartData, id: &str) -> Vec<Series> {
    let quarters = data.quarters();
    let points = |code: &str| -> Vec<(f64, f64)> {
        quarters
            .iter()
            .enumerate()
            .filter_map(|(i, q)| data.value(q, code, id).map(|v| (i as f64, v)))
            .collect()
    };
    let emphasised: Vec<(String, RGBColor, &'static str)> = match &data.highlight {
        Some(code) => vec![(code.clone(), theme::ORANGE, "")],
        None => {
            let lower = data
                .indicator(id)
                .is_some_and(|i| i.better == Better::Lower);
            let mut latest: Vec<(&String, f64)> = data
                .members
                .iter()
                .filter_map(|(c, _)| data.value(&data.quarter, c, id).map(|v| (c, v)))
                .collect();
            latest.sort_by(|a, b| {
                if lower {
                    a.1.total_cmp(&b.1)
                } else {
                    b.1.total_cmp(&a.1)
                }
            });
            let mut e = Vec::new();
            // Shared by another district: 并列 (the others stay grey, the legend says so).
            let shared = |v: f64| latest.iter().filter(|l| l.1 == v).count() > 1;
            let words = |high: bool, tie: bool| match (high, tie) {
                (true, false) => "（本季度最高）",
                (true, true) => "（本季度并列最高）",
                (false, false) => "（本季度最低）",
                (false, true) => "（本季度并列最低）",
            };
            match (latest.first(), latest.last()) {
                (Some(best), Some(worst)) if best.1 != worst.1 => {
                    e.push((best.0.clone(), theme::BLUE, words(!lower, shared(best.1))));
                    e.push((worst.0.clone(), theme::RED, words(lower, shared(worst.1))));
                }
                _ => {
                    // All equal this quarter: the district that fell furthest over the period.
                    let worst_ever = data
                        .members
                        .iter()
                        .flat_map(|(c, _)| {
                            quarters
                                .iter()
                                .filter_map(move |q| data.value(q, c, id).map(|v| (c, v)))
                        })
                        .max_by(|a, b| {
                            if lower {
                                a.1.total_cmp(&b.1)
                            } else {
                                b.1.total_cmp(&a.1)
                            }
                        });
                    if let Some((code, _)) = worst_ever {
                        e.push((
                            code.clone(),
                            theme::RED,
                            if lower {
                                "（期间最高）"
                            } else {
                                "（期间最低）"
                            },
                        ));
                    }
                }
            }
            e
        }
    };
    let mut out: Vec<Series> = data
        .members
        .iter()
        .map(|(code, name)| Series {
            name: name.clone(),
            points: points(code),
            look: emphasised
                .iter()
                .find(|(c, _, _)| c == code)
                .map_or(Look::Grey, |(_, colour, word)| {
                    Look::Emphasis(*colour, word)
                }),
        })
        .collect();
    out.push(Series {
        name: data.parent.1.clone(),
        points: points(&data.parent.0),
        look: Look::City,
    });
    out
}

/// Runs of consecutive quarters: a line never crosses a quarter without a value.
fn runs(points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    for p in points {
        match out.last_mut() {
            Some(run) if run.last().is_some_and(|l| p.0 - l.0 < 1.5) => run.push(*p),
            _ => out.push(vec![*p]),
        }
    }
    out
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    id: &str,
    heading: &str,
    theme: Theme,
) -> DrawResult {
    let ind = data.indicator(id).ok_or("unknown indicator")?;
    let unit = ind.unit.as_str();
    let quarters = data.quarters();
    let mut all = series(data, id);
    // Grey first, then the city, then what the chart is about, on top.
    all.sort_by_key(|s| match s.look {
        Look::Grey => 0,
        Look::City => 1,
        Look::Emphasis(..) => 2,
    });
    let values: Vec<f64> = all
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .collect();
    let axis = value_axis(&values, unit);
    let mut subtitle = ind.definition.clone();
    if axis.zoomed {
        subtitle.push_str(&format!(
            "（纵轴自{}起，放大显示差异）",
            tick(axis.lo, unit)
        ));
    }
    title(root, theme, heading, &subtitle)?;
    // Legend on the right, outside the plot.
    let (plot, legend) = root
        .margin(
            theme.px(85.0),
            theme.px(20.0),
            theme.px(20.0),
            theme.px(20.0),
        )
        .split_horizontally(theme.px(900.0));
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(theme.px(40.0))
        .y_label_area_size(theme.px(80.0))
        .build_cartesian_2d(-0.3f64..(quarters.len() as f64 - 0.7), axis.lo..axis.hi)
        .map_err(|e| e.to_string())?;
    let qs = quarters.clone();
    chart
        .configure_mesh()
        .x_labels(quarters.len())
        .x_label_formatter(&|x| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 {
                qs.get(i as usize)
                    .map(|q| crate::format::quarter(q).replace("年第", "年"))
                    .unwrap_or_default()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|v| tick(*v, unit))
        .label_style(style(theme, 14.0, theme::GREY))
        .light_line_style(theme::LIGHT_GREY.mix(0.5))
        .draw()
        .map_err(|e| e.to_string())?;
    for s in &all {
        let (colour, width) = match s.look {
            Look::Grey => (theme::LIGHT_GREY, 2.0),
            Look::City => (theme::TEXT, 3.0),
            Look::Emphasis(c, _) => (c, 4.0),
        };
        for run in runs(&s.points) {
            if s.look == Look::City {
                dashed(&mut chart, &run, colour.stroke_width(theme.px(width)))?;
            } else {
                chart
                    .draw_series(LineSeries::new(
                        run.clone(),
                        colour.stroke_width(theme.px(width)),
                    ))
                    .map_err(|e| e.to_string())?;
            }
        }
        chart
            .draw_series(
                s.points
                    .iter()
                    .map(|p| Circle::new(*p, theme.px(width + 1.0), colour.filled())),
            )
            .map_err(|e| e.to_string())?;
    }
    // Legend: what the chart is about and the city, with the report quarter's value, then
    // one grey entry for the rest.
    let mut entries: Vec<(String, RGBColor, f64)> = Vec::new();
    let latest = |s: &Series| {
        s.points
            .iter()
            .find(|p| quarters.get(p.0 as usize) == Some(&data.quarter))
            .map(|p| label(p.1, unit))
            .unwrap_or_else(|| "—".into())
    };
    let mut emphasis: Vec<&Series> = all
        .iter()
        .filter(|s| matches!(s.look, Look::Emphasis(..)))
        .collect();
    emphasis.sort_by_key(|s| matches!(s.look, Look::Emphasis(_, w) if w.contains("最低")));
    for s in emphasis {
        if let Look::Emphasis(c, word) = s.look {
            entries.push((format!("{}{word} {}", s.name, latest(s)), c, 4.0));
        }
    }
    if let Some(city) = all.iter().find(|s| s.look == Look::City) {
        entries.push((
            format!("{}（{}） {}", city.name, data.whole_word, latest(city)),
            theme::TEXT,
            3.0,
        ));
    }
    if all.iter().any(|s| s.look == Look::Grey) {
        entries.push((format!("其他{}", data.member_word), theme::LIGHT_GREY, 2.0));
    }
    for (i, (text, colour, width)) in entries.iter().enumerate() {
        let y = theme.px(40.0 + 34.0 * i as f64) as i32;
        legend
            .draw(&PathElement::new(
                vec![(0, y), (theme.px(26.0) as i32, y)],
                colour.stroke_width(theme.px(*width)),
            ))
            .map_err(|e| e.to_string())?;
        legend
            .draw(&Text::new(
                text.clone(),
                (theme.px(32.0) as i32, y),
                style(theme, 14.0, theme::TEXT).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// A dashed line through `points`: short segments between them.
fn dashed<DB: DrawingBackend>(
    chart: &mut ChartContext<DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    points: &[(f64, f64)],
    stroke: ShapeStyle,
) -> DrawResult {
    for w in points.windows(2) {
        let steps = 8;
        for k in (0..steps).step_by(2) {
            let p = |t: f64| {
                (
                    w[0].0 + (w[1].0 - w[0].0) * t,
                    w[0].1 + (w[1].1 - w[0].1) * t,
                )
            };
            let (t0, t1) = (k as f64 / steps as f64, (k + 1) as f64 / steps as f64);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![p(t0), p(t1)],
                    stroke,
                )))
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::runs;

    #[test]
    fn a_line_breaks_at_a_missing_quarter() {
        let pts = [(0.0, 1.0), (1.0, 2.0), (5.0, 3.0), (6.0, 4.0), (7.0, 5.0)];
        let r = runs(&pts);
        assert_eq!(r.len(), 2);
        assert_eq!(r[0], vec![(0.0, 1.0), (1.0, 2.0)]);
        assert_eq!(r[1].len(), 3);
    }
}
