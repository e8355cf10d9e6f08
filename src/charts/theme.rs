//! One theme for every chart: the bundled font, colours and sizes, and the scale for
//! print (300 dpi).

use plotters::style::{FontStyle, RGBColor};

/// The font family name under which the bundled font is registered. It is also written
/// into SVG `font-family`, so browsers fall back to a local CJK font in this order.
pub const FAMILY: &str =
    "WenQuanYi Micro Hei, Microsoft YaHei, PingFang SC, Noto Sans CJK SC, sans-serif";

/// WenQuanYi Micro Hei (Apache-2.0), face 0 of the collection: see assets/fonts/README.md.
pub static FONT: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// Registers the bundled font once per process.
pub fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The bytes are compiled in and known good; a failure here is a build defect.
        if plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_err() {
            panic!("bundled font assets/fonts/wqy-microhei.ttc does not load");
        }
    });
}

pub const BLUE: RGBColor = RGBColor(31, 78, 121);
pub const LIGHT_BLUE: RGBColor = RGBColor(91, 155, 213);
pub const RED: RGBColor = RGBColor(192, 0, 0);
pub const ORANGE: RGBColor = RGBColor(237, 125, 49);
pub const GREEN: RGBColor = RGBColor(26, 152, 80);
pub const GREY: RGBColor = RGBColor(127, 127, 127);
pub const LIGHT_GREY: RGBColor = RGBColor(217, 217, 217);
pub const TEXT: RGBColor = RGBColor(38, 38, 38);

/// Eight distinguishable colours for districts (ColorBrewer Dark2 + Set1).
pub const SERIES: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// Five satisfaction levels, 非常满意 → 非常不满意: greens to reds.
pub const LEVELS: [RGBColor; 5] = [
    RGBColor(26, 152, 80),
    RGBColor(145, 207, 96),
    RGBColor(217, 239, 139),
    RGBColor(252, 141, 89),
    RGBColor(215, 48, 39),
];

/// Size and scale of one chart.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    /// Pixels per "point" of the layout: 1.0 at 150 dpi, 2.0 at 300 dpi.
    pub scale: f64,
}

impl Theme {
    pub fn for_dpi(dpi: u32) -> Self {
        Theme {
            scale: dpi as f64 / 150.0,
        }
    }
    /// Canvas size in pixels for a layout size in points (1200 × 700 fits A4 width at 150 dpi).
    pub fn size(&self, w: u32, h: u32) -> (u32, u32) {
        (
            (w as f64 * self.scale) as u32,
            (h as f64 * self.scale) as u32,
        )
    }
    pub fn px(&self, points: f64) -> u32 {
        (points * self.scale).round() as u32
    }
    pub fn font(&self, points: f64) -> (&'static str, f64) {
        (FAMILY, points * self.scale)
    }
}

/// Linear blend from red (0) through yellow (50) to green (100), for sub-scores.
pub fn score_colour(score: f64) -> RGBColor {
    let s = (score / 100.0).clamp(0.0, 1.0);
    let lerp = |a: u8, b: u8, t: f64| (a as f64 + (b as f64 - a as f64) * t).round() as u8;
    let (r0, g0, b0) = (215, 48, 39);
    let (r1, g1, b1) = (255, 230, 153);
    let (r2, g2, b2) = (26, 152, 80);
    if s < 0.5 {
        let t = s * 2.0;
        RGBColor(lerp(r0, r1, t), lerp(g0, g1, t), lerp(b0, b1, t))
    } else {
        let t = (s - 0.5) * 2.0;
        RGBColor(lerp(r1, r2, t), lerp(g1, g2, t), lerp(b1, b2, t))
    }
}
