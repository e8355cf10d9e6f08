//! `pingjia charts`: every chart in PNG and SVG, Chinese text present, titles drawn.

use super::*;

/// Text content of the SVG's <text> elements.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            Some(
                t.split_once('>')?
                    .1
                    .split_once("</text>")?
                    .0
                    .trim()
                    .to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_chart_in_png_and_svg_with_chinese_text() {
    let (out, o) = run_in_temp(&["charts", "sample-data", "--quarter", "2025Q4"]);
    let dir = out.path().join("charts");
    let mut stems: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .collect();
    stems.sort();
    stems.dedup();
    for kind in [
        "ranking_on_time_rate",
        "trend_on_time_rate",
        "online_levels",
        "heatmap",
        "rating_mix",
    ] {
        assert!(stems.iter().any(|s| s == kind), "{kind} missing: {stems:?}");
    }
    for stem in &stems {
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        let texts = svg_texts(&svg);
        let title = texts.first().unwrap_or_else(|| panic!("{stem}: no text"));
        assert!(
            title
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{stem}: title «{title}» is not Chinese"
        );
        if stem.starts_with("trend_") {
            // Trends name what they are about and the city; the rest are 其他区县, in grey.
            assert!(
                texts.iter().any(|t| t.contains("淄博市（全市）")),
                "{stem}: no city line in the legend"
            );
            assert!(
                texts.iter().any(|t| t.contains("其他区县")),
                "{stem}: {texts:?}"
            );
        } else {
            for d in DISTRICTS {
                assert!(
                    texts.iter().any(|t| t.contains(d)),
                    "{stem}: {d} not in the SVG text"
                );
            }
        }
        assert!(
            !texts.iter().any(|t| t.contains("370303")),
            "{stem}: names, not codes"
        );

        // The PNG's title band (top 10%) is not one flat colour: the title was drawn.
        let decoder =
            png::Decoder::new(std::fs::File::open(dir.join(format!("{stem}.png"))).unwrap());
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let bpp = info.line_size / info.width as usize;
        let band = &buf[..info.line_size * (info.height as usize / 10)];
        let first = &band[..bpp];
        let differing = band.chunks(bpp).filter(|px| px != &first).count();
        assert!(
            differing > 500,
            "{stem}: title band of the PNG is blank ({differing} pixels differ)"
        );
    }
    // In 2025Q4 every district with due 差评 rectified all of them in time: a ranking of
    // equal bars says nothing, so that one chart is left out with a sentence saying why.
    assert!(!stems
        .iter()
        .any(|s| s == "ranking_timely_rectification_rate"));
    let said = text(&o.stderr);
    assert!(
        said.contains("差评按时整改率均为100%，未绘制排名图"),
        "the skipped chart is named: {said}"
    );
    assert_eq!(
        stems.len(),
        2 * 6 + 3 - 1,
        "6 rankings (one skipped), 6 trends, online levels, heat map, rating mix"
    );
}

#[test]
fn highlighting_an_unknown_region_is_a_clear_error() {
    let out = tempfile::tempdir().unwrap();
    let o = pingjia(&[
        "charts",
        "sample-data",
        "--region",
        "110101",
        "--out",
        out.path().to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("110101 is not in the data"),
        "{}",
        text(&o.stderr)
    );
}

/// 按期办结率 2025Q4: 淄川区 and 沂源县 both at 100% (tables/comparison.csv ranks them 1, 1):
/// the city trend's legend says the best is shared.
#[test]
fn a_shared_best_is_called_shared() {
    let (out, _) = run_in_temp(&["charts", "sample-data", "--quarter", "2025Q4"]);
    let svg = std::fs::read_to_string(out.path().join("charts/trend_on_time_rate.svg")).unwrap();
    let texts = svg_texts(&svg);
    assert!(
        texts.iter().any(|t| t.contains("（本季度并列最高）")),
        "{texts:?}"
    );
}
