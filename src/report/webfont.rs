//! The bundled font (assets/fonts, face 0: WenQuanYi Micro Hei) cut down to the characters
//! a page uses, for a page that must show Chinese on a machine with no CJK font: the
//! dashboard embeds it as a `data:` URL. Subsetting is skera's (Google Fonts' port of
//! HarfBuzz's hb-subset, from fontations), which keeps the cmap a browser needs — typst's
//! `subsetter` drops it (it cuts fonts for PDFs).

use std::collections::BTreeSet;

use base64::Engine;
use read_fonts::collections::IntSet;
use read_fonts::types::{NameId, Tag};
use read_fonts::FontRef;

/// The font's family name in the page's CSS.
pub const FAMILY: &str = "PingjiaWQY";

/// The bundled font's glyphs for `chars` (and printable ASCII, always), as a TrueType
/// font.
pub fn subset(chars: &BTreeSet<char>) -> Result<Vec<u8>, String> {
    let font = FontRef::from_index(crate::charts::theme::FONT, 0)
        .map_err(|e| format!("the bundled font does not load: {e}"))?;
    let mut unicodes: IntSet<u32> = IntSet::empty();
    unicodes.insert_range(0x20..=0x7e);
    for c in chars {
        if !c.is_control() {
            unicodes.insert(*c as u32);
        }
    }
    // hb-subset's defaults (skera's command line): names 0–6 in English, every script,
    // the default layout features, and the tables no browser reads dropped.
    let mut name_ids = IntSet::<NameId>::empty();
    name_ids.insert_range(NameId::from(0)..=NameId::from(6));
    let mut languages = IntSet::<u16>::empty();
    languages.insert(0x0409);
    let mut scripts = IntSet::<Tag>::empty();
    scripts.invert();
    let features: IntSet<Tag> = skera::DEFAULT_LAYOUT_FEATURES.iter().copied().collect();
    let drop: IntSet<Tag> = [
        skera::MORX,
        skera::MORT,
        skera::KERX,
        skera::KERN,
        skera::JSTF,
        skera::DSIG,
        Tag::new(b"EBDT"),
        Tag::new(b"EBLC"),
        skera::EBSC,
        Tag::new(b"SVG "),
        skera::PCLT,
        skera::LTSH,
    ]
    .into_iter()
    .collect();
    let plan = skera::Plan::new(
        &IntSet::empty(),
        &unicodes,
        &font,
        skera::SubsetFlags::SUBSET_FLAGS_NO_HINTING,
        &drop,
        &scripts,
        &features,
        &name_ids,
        &languages,
    );
    skera::subset_font(&font, &plan).map_err(|e| format!("cutting the bundled font: {e}"))
}

/// The CSS rule that loads the subset of `chars` from the page itself.
pub fn font_face(chars: &BTreeSet<char>) -> Result<String, String> {
    let ttf = subset(chars)?;
    Ok(format!(
        "@font-face{{font-family:\"{FAMILY}\";src:url(data:font/ttf;base64,{}) format(\"truetype\");font-display:block}}",
        base64::engine::general_purpose::STANDARD.encode(ttf)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cut font maps exactly the characters asked for (and ASCII) to glyphs with
    /// outlines, and is a small part of the whole.
    #[test]
    fn the_subset_maps_the_page_characters_and_little_else() {
        let chars: BTreeSet<char> = "张店区按期办结率".chars().collect();
        let ttf = subset(&chars).expect("subset");
        let face = ttf_parser::Face::parse(&ttf, 0).expect("a font");
        for c in chars.iter().copied().chain(['A', '9', '%']) {
            let g = face
                .glyph_index(c)
                .unwrap_or_else(|| panic!("{c} is not mapped"));
            assert!(face.glyph_bounding_box(g).is_some(), "{c} has no outline");
        }
        assert!(
            face.glyph_index('县').is_none(),
            "a character not asked for is kept"
        );
        assert!(
            face.number_of_glyphs() < 120,
            "{} glyphs",
            face.number_of_glyphs()
        );
        assert!(ttf.len() < 40_000, "{} bytes", ttf.len());
    }
}
