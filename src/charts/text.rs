//! PNG text laid out with ab_glyph directly. plotters 0.3.7 draws each glyph's ink box at
//! the pen and drops its left side bearing (plotters src/style/font/ab_glyph.rs:141-149),
//! so 区 (bearing 208 units) is pulled left against 各 and a tabular "1" leaves a hole:
//! "各区 县", "目标1 00%". [`PngBackend`] wraps plotters' bitmap backend and draws every
//! string itself — titles, bar and axis labels alike, since plotters routes all text
//! through `draw_text` — with pen positions summed in f32 from the advances and each glyph
//! outlined at its own fractional position. Vertical placement follows the font's ascent
//! and descent, so centred labels sit centred. SVG is unaffected: browsers lay it out.

use std::sync::OnceLock;

use ab_glyph::{point, Font, FontRef, Glyph, PxScale, ScaleFont};
use plotters::prelude::BitMapBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
    FontTransform,
};

/// Face 0 of the bundled collection (the proportional face).
fn face() -> &'static FontRef<'static> {
    static FACE: OnceLock<FontRef<'static>> = OnceLock::new();
    FACE.get_or_init(|| {
        FontRef::try_from_slice_and_index(super::theme::FONT, 0)
            .expect("bundled font assets/fonts/wqy-microhei.ttc does not load")
    })
}

/// One line of glyphs with its baseline at y = 0 and its pen from x = 0.
struct Line {
    glyphs: Vec<Glyph>,
    /// Σ advances (+ kerning): the pen after the last glyph.
    width: f32,
}

/// `px` is plotters' font size: the ascent − descent height in pixels (ab_glyph `PxScale`).
fn layout(text: &str, px: f32) -> Line {
    let font = face().as_scaled(PxScale::from(px));
    let (mut x, mut prev, mut glyphs) = (0f32, None, Vec::new());
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            x += font.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(px, point(x, 0.0)));
        x += font.h_advance(id);
        prev = Some(id);
    }
    Line { glyphs, width: x }
}

/// Coverage (0..=1) of `line` with its pen origin at (x, baseline), summed over glyphs so
/// a pixel two glyphs share blends once: (left, top, width, coverage rows).
fn rasterise(line: &Line, x: f32, baseline: f32) -> Option<(i32, i32, usize, Vec<f32>)> {
    let outlined: Vec<_> = line
        .glyphs
        .iter()
        .filter_map(|g| {
            let mut g = g.clone();
            g.position = point(g.position.x + x, g.position.y + baseline);
            face().outline_glyph(g)
        })
        .collect();
    let (mut l, mut t, mut r, mut b) = (i32::MAX, i32::MAX, i32::MIN, i32::MIN);
    for o in &outlined {
        let pb = o.px_bounds(); // integral: floor(min), ceil(max)
        l = l.min(pb.min.x as i32);
        t = t.min(pb.min.y as i32);
        r = r.max(pb.max.x as i32);
        b = b.max(pb.max.y as i32);
    }
    if outlined.is_empty() || r <= l || b <= t {
        return None;
    }
    let w = (r - l) as usize;
    let mut cov = vec![0f32; w * (b - t) as usize];
    for o in &outlined {
        let pb = o.px_bounds();
        let (ox, oy) = (
            (pb.min.x as i32 - l) as usize,
            (pb.min.y as i32 - t) as usize,
        );
        o.draw(|gx, gy, c| {
            let i = (oy + gy as usize) * w + ox + gx as usize;
            cov[i] = (cov[i] + c).min(1.0);
        });
    }
    Some((l, t, w, cov))
}

/// The baseline for a text anchored at `y` with `v`: the ascent below a top anchor, the
/// middle of ascent and descent on a centre anchor, the descent above a bottom anchor.
fn baseline(y: i32, v: VPos, px: f32) -> f32 {
    let font = face().as_scaled(PxScale::from(px));
    let (ascent, descent) = (font.ascent(), font.descent()); // descent < 0
    y as f32
        + match v {
            VPos::Top => ascent,
            VPos::Center => (ascent + descent) / 2.0,
            VPos::Bottom => descent,
        }
}

/// plotters' bitmap backend with text drawn by [`layout`].
pub struct PngBackend<'a>(pub BitMapBackend<'a>);

type Drawn<E> = Result<(), DrawingErrorKind<E>>;

impl<'a> DrawingBackend for PngBackend<'a> {
    type ErrorType = <BitMapBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Drawn<Self::ErrorType> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Drawn<Self::ErrorType> {
        self.0.present()
    }
    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Drawn<Self::ErrorType> {
        self.0.draw_pixel(p, c)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn<Self::ErrorType> {
        self.0.draw_rect(a, b, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.0.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        centre: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn<Self::ErrorType> {
        self.0.draw_circle(centre, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Drawn<Self::ErrorType> {
        self.0.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Drawn<Self::ErrorType> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        if !matches!(style.transform(), FontTransform::None) {
            return self.0.estimate_text_size(text, style);
        }
        let px = style.size() as f32;
        let font = face().as_scaled(PxScale::from(px));
        let w = layout(text, px).width.ceil() as u32;
        Ok((w, (font.ascent() - font.descent()).ceil() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn<Self::ErrorType> {
        let colour = style.color();
        if colour.alpha == 0.0 {
            return Ok(());
        }
        if !matches!(style.transform(), FontTransform::None) {
            // No chart rotates text; plotters' own path draws it if one ever does.
            return self.0.draw_text(text, style, pos);
        }
        let px = style.size() as f32;
        let line = layout(text, px);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let y = baseline(pos.1, style.anchor().v_pos, px);
        if let Some((l, t, w, cov)) = rasterise(&line, pos.0 as f32 + dx, y) {
            for (i, a) in cov.iter().enumerate().filter(|(_, a)| **a > 0.0) {
                let p = (l + (i % w) as i32, t + (i / w) as i32);
                self.0.draw_pixel(p, colour.mix(*a as f64))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;
    use plotters::style::text_anchor::Pos;

    const SAMPLE: &str = "各区县 100.00%";
    const PX: f64 = 52.0;

    /// Column runs of dark ink (coverage ≥ ½) in an RGB buffer: [start, end).
    fn ink_runs(buf: &[u8], (w, h): (u32, u32)) -> Vec<(u32, u32)> {
        let dark = |x: u32| (0..h).any(|y| buf[((y * w + x) * 3) as usize] < 128);
        let mut runs = Vec::new();
        let mut start = None;
        for x in 0..w {
            match (dark(x), start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x));
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    /// Each glyph's ink edges from the font's metrics alone (advance, side bearing,
    /// outline width), not from any raster code: where a correct renderer puts them.
    fn expected_edges(text: &str, x0: f32) -> Vec<(f32, f32)> {
        let font = face().as_scaled(PxScale::from(PX as f32));
        let mut pen = 0f32;
        let mut out = Vec::new();
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(outline) = face().outline(id) {
                let left = x0 + pen + font.h_side_bearing(id);
                let ink = (outline.bounds.max.x - outline.bounds.min.x) * font.h_scale_factor();
                out.push((left, left + ink));
            }
            pen += font.h_advance(id);
        }
        out
    }

    fn render<DB: DrawingBackend>(
        root: DrawingArea<DB, plotters::coord::Shift>,
        anchor: HPos,
        x: i32,
    ) {
        super::super::theme::register_font();
        root.fill(&WHITE).unwrap();
        let style = TextStyle::from((super::super::theme::FAMILY, PX))
            .color(&BLACK)
            .pos(Pos::new(anchor, VPos::Top));
        root.draw(&Text::new(SAMPLE, (x, 20), style)).unwrap();
        root.present().unwrap();
    }

    fn measured_vs_expected(buf: &[u8], size: (u32, u32)) -> f32 {
        let runs = ink_runs(buf, size);
        let expect = expected_edges(SAMPLE, 20.0);
        assert_eq!(runs.len(), expect.len(), "one ink run per glyph: {runs:?}");
        runs.iter()
            .zip(&expect)
            .map(|(&(s, e), &(l, r))| (s as f32 - l).abs().max((e as f32 - r).abs()))
            .fold(0.0, f32::max)
    }

    #[test]
    fn glyphs_sit_where_the_font_puts_them() {
        let size = (900, 120);
        let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
        render(
            PngBackend(BitMapBackend::with_buffer(&mut buf, size)).into_drawing_area(),
            HPos::Left,
            20,
        );
        let worst = measured_vs_expected(&buf, size);
        assert!(
            worst <= 1.0,
            "an ink edge is {worst} px from the font's metrics"
        );
    }

    /// The same measurement through plotters' own text path fails: the test sees the bug.
    /// If this starts passing, plotters has fixed the bearings and PngBackend can go.
    #[test]
    fn plotters_own_path_drops_the_bearing() {
        let size = (900, 120);
        let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
        render(
            BitMapBackend::with_buffer(&mut buf, size).into_drawing_area(),
            HPos::Left,
            20,
        );
        let worst = measured_vs_expected(&buf, size);
        assert!(
            worst > 2.0,
            "plotters fixed bearings ({worst} px); PngBackend may be removable"
        );
    }

    #[test]
    fn right_anchor_ends_at_the_pen() {
        let size = (900, 120);
        let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
        render(
            PngBackend(BitMapBackend::with_buffer(&mut buf, size)).into_drawing_area(),
            HPos::Right,
            800,
        );
        let runs = ink_runs(&buf, size);
        let line = layout(SAMPLE, PX as f32);
        let right = expected_edges(SAMPLE, 800.0 - line.width).last().unwrap().1;
        assert!(
            (runs.last().unwrap().1 as f32 - right).abs() <= 1.0,
            "{runs:?} vs {right}"
        );
        let backend = PngBackend(BitMapBackend::with_buffer(&mut buf, size));
        let style = TextStyle::from((super::super::theme::FAMILY, PX));
        assert_eq!(
            backend.estimate_text_size(SAMPLE, &style).unwrap().0,
            line.width.ceil() as u32
        );
    }
}
