//! Rating mix: the five satisfaction levels stacked per district (100%), with the
//! number of 差评 written at the end of each bar, since they are too thin to see.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{style, theme, title, Chart, ChartData, DrawResult, Theme};
use crate::error::Result;

const NAMES: [&str; 5] = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"];

pub fn render(data: &ChartData, dir: &Path, theme: Theme) -> Result<Chart> {
    let size = theme.size(1200, 700);
    let heading = format!(
        "{}各{}“好差评”评价构成",
        crate::format::quarter(&data.quarter),
        data.member_word
    );
    super::save(
        dir,
        super::Figure::RatingMix,
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
            "GB/T 39046 满意度五级，各级评价占本{}评价量的比例",
            if data.member_word == "市" {
                "市"
            } else {
                "区县"
            }
        ),
    )?;
    let (w, _) = root.dim_in_pixel();
    let items: Vec<(&str, RGBColor)> = NAMES
        .iter()
        .zip(theme::LEVELS)
        .map(|(name, c)| (*name, c))
        .collect();
    super::swatch_legend(root, theme, &items, (w as f64 * 0.18) as i32, 150.0)?;
    let n = data.members.len() as f64;
    let plot = root.margin(
        theme.px(110.0),
        theme.px(20.0),
        theme.px(110.0),
        theme.px(150.0),
    );
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(theme.px(40.0))
        .build_cartesian_2d(0f64..1.0, 0f64..n)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .disable_y_axis()
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|v| format!("{:.0}%", v * 100.0))
        .label_style(style(theme, 14.0, theme::GREY))
        .light_line_style(theme::LIGHT_GREY.mix(0.5))
        .draw()
        .map_err(|e| e.to_string())?;
    for (i, (code, name)) in data.members.iter().enumerate() {
        let counts: Vec<f64> = (1..=5)
            .map(|k| {
                data.value(&data.quarter, code, &format!("rating_level_{k}_count"))
                    .unwrap_or(0.0)
            })
            .collect();
        let total: f64 = counts.iter().sum();
        let y0 = n - i as f64 - 0.85;
        let y1 = n - i as f64 - 0.15;
        let (px, py) = chart.backend_coord(&(0.0, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            name.clone(),
            (px - theme.px(10.0) as i32, py),
            style(theme, 17.0, theme::TEXT).pos(Pos::new(HPos::Right, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
        if total == 0.0 {
            continue;
        }
        let mut start = 0.0;
        for (k, c) in counts.iter().enumerate() {
            let share = c / total;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(start, y0), (start + share, y1)],
                    theme::LEVELS[k].filled(),
                )))
                .map_err(|e| e.to_string())?;
            start += share;
        }
        let bad = counts[3] + counts[4];
        let (ex, ey) = chart.backend_coord(&(1.0, (y0 + y1) / 2.0));
        root.draw(&Text::new(
            format!(
                "{}条，差评{}条",
                crate::format::thousands(total as i64),
                bad as i64
            ),
            (ex + theme.px(10.0) as i32, ey),
            style(
                theme,
                15.0,
                if bad > 0.0 { theme::RED } else { theme::TEXT },
            )
            .pos(Pos::new(HPos::Left, VPos::Center)),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}
