//! Heat map district × indicator: each cell coloured by the composite sub-score (red 0 →
//! yellow 50 → green 100) with the value printed; the last column is the total score.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{label, short_name, style, theme, title, Chart, ChartData, DrawResult, Theme};
use crate::error::Result;

pub fn render(data: &ChartData, dir: &Path, theme: Theme) -> Result<Chart> {
    let size = theme.size(1400, 660);
    let heading = format!(
        "{}各{}主要指标得分",
        crate::format::quarter(&data.quarter),
        data.member_word
    );
    super::save(
        dir,
        super::Figure::Heatmap,
        &heading,
        size,
        |r| draw(r, data, &heading, theme),
        |r| draw(r, data, &heading, theme),
    )
}

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &ChartData,
    heading: &str,
    theme: Theme,
) -> DrawResult {
    title(
        root,
        theme,
        heading,
        &format!(
            "颜色为各指标按“{}”折算的得分（0–100），格内为指标值",
            data.scheme.name
        ),
    )?;
    let ids: Vec<&String> = data
        .scheme
        .indicators
        .keys()
        .filter(|id| data.indicator(id).is_some())
        .collect();
    let cols = ids.len() + 1;
    let rows = data.members.len();
    let (w, h) = root.dim_in_pixel();
    let left = theme.px(110.0) as i32;
    let top = theme.px(140.0) as i32;
    let cell_w = (w as i32 - left - theme.px(20.0) as i32) / cols as i32;
    let cell_h =
        ((h as i32 - top - theme.px(20.0) as i32) / rows.max(1) as i32).min(theme.px(60.0) as i32);
    let e = |r: std::result::Result<(), DrawingAreaErrorKind<DB::ErrorType>>| {
        r.map_err(|e| e.to_string())
    };
    // Column headers: indicator names on two lines when long.
    for (c, id) in ids.iter().enumerate() {
        let name = data.indicator(id).map(short_name).unwrap_or_default();
        let chars: Vec<char> = name.chars().collect();
        let lines: Vec<String> = if chars.len() > 5 {
            let mid = chars.len().div_ceil(2);
            vec![chars[..mid].iter().collect(), chars[mid..].iter().collect()]
        } else {
            vec![name]
        };
        let x = left + cell_w * c as i32 + cell_w / 2;
        for (k, line) in lines.iter().enumerate() {
            let y =
                top - theme.px(12.0) as i32 - theme.px(20.0) as i32 * (lines.len() - 1 - k) as i32;
            e(root.draw(&Text::new(
                line.clone(),
                (x, y),
                style(theme, 15.0, theme::TEXT).pos(Pos::new(HPos::Center, VPos::Bottom)),
            )))?;
        }
    }
    let x = left + cell_w * ids.len() as i32 + cell_w / 2;
    e(root.draw(&Text::new(
        "综合得分".to_string(),
        (x, top - theme.px(12.0) as i32),
        style(theme, 15.0, theme::TEXT).pos(Pos::new(HPos::Center, VPos::Bottom)),
    )))?;
    for (r, (code, name)) in data.members.iter().enumerate() {
        let y0 = top + cell_h * r as i32;
        e(root.draw(&Text::new(
            name.clone(),
            (left - theme.px(10.0) as i32, y0 + cell_h / 2),
            style(theme, 16.0, theme::TEXT).pos(Pos::new(HPos::Right, VPos::Center)),
        )))?;
        let mut cells: Vec<(Option<f64>, String)> = ids
            .iter()
            .map(|id| {
                let c = data.comparison(code, id);
                let unit = data.indicator(id).map_or("", |i| i.unit.as_str());
                (
                    c.and_then(|c| c.score),
                    c.and_then(|c| c.value)
                        .map(|v| label(v, unit))
                        .unwrap_or_else(|| "—".into()),
                )
            })
            .collect();
        let total = data.comparison(code, "composite_score");
        cells.push((
            total.and_then(|c| c.value),
            total
                .and_then(|c| {
                    c.value
                        .map(|v| format!("{v:.1}（第{}）", c.rank.unwrap_or(0)))
                })
                .unwrap_or_else(|| "—".into()),
        ));
        for (c, (score, text)) in cells.iter().enumerate() {
            let x0 = left + cell_w * c as i32;
            let fill = score.map_or(theme::LIGHT_GREY, theme::score_colour);
            e(root.draw(&Rectangle::new(
                [(x0 + 1, y0 + 1), (x0 + cell_w - 1, y0 + cell_h - 1)],
                fill.filled(),
            )))?;
            e(root.draw(&Text::new(
                text.clone(),
                (x0 + cell_w / 2, y0 + cell_h / 2),
                style(theme, 14.0, theme::TEXT).pos(Pos::new(HPos::Center, VPos::Center)),
            )))?;
        }
    }
    Ok(())
}
