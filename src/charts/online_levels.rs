//! 一级~四级网办率 per district: four bars per district, the levels side by side.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{style, theme, title, Chart, ChartData, DrawResult, Theme};
use crate::error::Result;

const LEVELS: [(&str, &str); 4] = [
    ("online_level_1_rate", "一级"),
    ("online_level_2_rate", "二级"),
    ("online_level_3_rate", "三级"),
    ("online_level_4_rate", "四级（全程网办）"),
];
const COLOURS: [RGBColor; 4] = [
    RGBColor(189, 215, 238),
    RGBColor(157, 195, 230),
    theme::LIGHT_BLUE,
    theme::BLUE,
];

pub fn render(data: &ChartData, dir: &Path, theme: Theme) -> Result<Chart> {
    let size = theme.size(1200, 700);
    let heading = format!(
        "{}各{}一级~四级网办率",
        crate::format::quarter(&data.quarter),
        data.member_word
    );
    super::save(
        dir,
        super::Figure::OnlineLevels,
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
        "依申请政务服务事项中网上办理深度达到该级及以上的比例",
    )?;
    let (w, _) = root.dim_in_pixel();
    let items: Vec<(&str, RGBColor)> = LEVELS
        .iter()
        .zip(COLOURS)
        .map(|((_, name), c)| (*name, c))
        .collect();
    super::swatch_legend(root, theme, &items, (w as f64 * 0.22) as i32, 130.0)?;
    let n = data.members.len();
    let plot = root.margin(
        theme.px(110.0),
        theme.px(20.0),
        theme.px(20.0),
        theme.px(30.0),
    );
    let mut chart = ChartBuilder::on(&plot)
        .x_label_area_size(theme.px(45.0))
        .y_label_area_size(theme.px(70.0))
        .build_cartesian_2d(0f64..n as f64, 0f64..1.08)
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&|v| {
            if *v <= 1.0 {
                format!("{:.0}%", v * 100.0)
            } else {
                String::new()
            }
        })
        .label_style(style(theme, 14.0, theme::GREY))
        .light_line_style(theme::LIGHT_GREY.mix(0.5))
        .draw()
        .map_err(|e| e.to_string())?;
    for (d, (code, name)) in data.members.iter().enumerate() {
        for (k, (id, _)) in LEVELS.iter().enumerate() {
            if let Some(v) = data.value(&data.quarter, code, id) {
                let x0 = d as f64 + 0.1 + 0.2 * k as f64;
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(x0, 0.0), (x0 + 0.18, v)],
                        COLOURS[k].filled(),
                    )))
                    .map_err(|e| e.to_string())?;
            }
        }
        // The 四级 value above the group: the level the assessment looks at.
        if let Some(v4) = data.value(&data.quarter, code, LEVELS[3].0) {
            chart
                .draw_series(std::iter::once(Text::new(
                    super::label(v4, "%"),
                    (d as f64 + 0.79, v4 + 0.01),
                    style(theme, 13.0, theme::BLUE).pos(Pos::new(HPos::Center, VPos::Bottom)),
                )))
                .map_err(|e| e.to_string())?;
        }
        let (px, py) = chart.backend_coord(&(d as f64 + 0.5, 0.0));
        root.draw(&Text::new(
            name.clone(),
            (px, py + theme.px(10.0) as i32),
            style(theme, 16.0, theme::TEXT).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}
