//! The one font of every document: WenQuanYi Micro Hei from `assets/` (Chinese and Latin),
//! parsed once per process, and its metrics for fitting text (wrap or shrink, never cut).

use std::sync::OnceLock;

use printpdf::ParsedFont;

/// The bundled CJK font (Apache-2.0 / GPLv3 with font exception, see `assets/fonts/`).
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/WenQuanYiMicroHei.ttf");

/// Millimetres per typographic point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// The parsed font with what text fitting needs.
pub struct Font {
    pub parsed: ParsedFont,
    units_per_em: f32,
}

static FONT: OnceLock<Option<Font>> = OnceLock::new();

/// The font, parsed on first use (about a tenth of a second) and shared afterwards.
pub fn font() -> Result<&'static Font, String> {
    FONT.get_or_init(|| {
        let mut warnings = Vec::new();
        let parsed = ParsedFont::from_bytes(CJK_FONT, 0, &mut warnings)?;
        let units_per_em = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
        Some(Font {
            parsed,
            units_per_em,
        })
    })
    .as_ref()
    .ok_or_else(|| "the bundled font could not be read".to_owned())
}

impl Font {
    /// Width of `text` at `size` points, in millimetres. Characters the font lacks count
    /// as one em, so fitting errs on the safe side.
    pub fn width_mm(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| match self.parsed.lookup_glyph_index(c as u32) {
                Some(glyph) => f32::from(self.parsed.get_horizontal_advance(glyph)),
                None => self.units_per_em,
            })
            .sum();
        units / self.units_per_em * size * MM_PER_PT
    }

    /// Whether the font can draw every character of `text`.
    pub fn covers(&self, text: &str) -> bool {
        text.chars()
            .all(|c| c.is_whitespace() || self.parsed.lookup_glyph_index(c as u32).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_chinese_and_latin() {
        let font = font().expect("font");
        let cjk = font.width_mm("中文", 10.0);
        // A CJK character is one em wide: 10 pt = 3.53 mm.
        assert!((cjk - 2.0 * 10.0 * MM_PER_PT).abs() < 0.2, "{cjk}");
        let latin = font.width_mm("ii", 10.0);
        assert!(latin < cjk, "{latin} < {cjk}");
        assert!(font.covers("浙江省杭州市 ABC 123"));
    }
}
