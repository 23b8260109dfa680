//! The embedded font: Noto Sans Regular and Bold (SIL Open Font License 1.1,
//! shipped by the `notosans` crate). Measures text for layout and rasterises
//! it for the bitmap; no system font is ever looked up.

use ab_glyph::{Font, FontRef, GlyphId, PxScale, ScaleFont, point};
use std::sync::OnceLock;

/// The family named in SVG `font-family`: the embedded subset of Noto Sans
/// first (`webfont`, the metrics the layout was measured with), then Noto
/// Sans itself and common faces that are no wider.
pub(crate) const SVG_FAMILY: &str =
    "coquille-noto-sans, Noto Sans, Arial, Helvetica, Liberation Sans, sans-serif";

struct Face {
    font: FontRef<'static>,
    /// ab_glyph scales by ascent − descent; this converts an em size to it.
    height_per_em: f32,
}

fn load(bytes: &'static [u8]) -> Face {
    let font = FontRef::try_from_slice(bytes).expect("the embedded Noto Sans font parses");
    let height_per_em = font.height_unscaled() / font.units_per_em().unwrap_or(1000.0);
    Face {
        font,
        height_per_em,
    }
}

fn face(bold: bool) -> &'static Face {
    static REGULAR: OnceLock<Face> = OnceLock::new();
    static BOLD: OnceLock<Face> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| load(notosans::BOLD_TTF))
    } else {
        REGULAR.get_or_init(|| load(notosans::REGULAR_TTF))
    }
}

impl Face {
    fn scale(&self, size: f64) -> PxScale {
        PxScale::from(size as f32 * self.height_per_em)
    }

    /// Pen positions of each glyph, and the total advance.
    fn layout(&self, text: &str, size: f64) -> (Vec<(GlyphId, f32)>, f32) {
        let scaled = self.font.as_scaled(self.scale(size));
        let mut x = 0f32;
        let mut prev: Option<GlyphId> = None;
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = prev {
                x += scaled.kern(p, id);
            }
            out.push((id, x));
            x += scaled.h_advance(id);
            prev = Some(id);
        }
        (out, x)
    }
}

/// Advance width of `text` at `size` pixels per em.
pub(crate) fn width(text: &str, size: f64, bold: bool) -> f64 {
    f64::from(face(bold).layout(text, size).1)
}

/// `text`, cut at a character boundary and ended with "…" so that it is at
/// most `max` pixels wide.
pub(crate) fn fit(text: &str, size: f64, bold: bool, max: f64) -> String {
    if width(text, size, bold) <= max {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    // Binary search on the number of characters kept.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if width(&candidate, size, bold) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept: String = chars[..lo].iter().collect();
    format!("{}…", kept.trim_end())
}

/// Break `text` into at most `lines` lines no wider than `max`, at spaces;
/// the last line is cut with "…" if the text does not fit.
pub(crate) fn wrap(text: &str, size: f64, bold: bool, max: f64, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if width(&candidate, size, bold) <= max || current.is_empty() {
            current = candidate;
            continue;
        }
        if out.len() + 1 == lines {
            // Last line: keep everything and cut.
            let rest: Vec<&str> = std::iter::once(word).chain(words.by_ref()).collect();
            current = format!("{current} {}", rest.join(" "));
            break;
        }
        out.push(std::mem::take(&mut current));
        current = word.to_string();
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    out.into_iter().map(|l| fit(&l, size, bold, max)).collect()
}

/// Rasterise `text` with its baseline starting at (`x`, `baseline`); `put`
/// receives each covered pixel and its coverage in 0..=1.
pub(crate) fn raster(
    text: &str,
    size: f64,
    bold: bool,
    x: f64,
    baseline: f64,
    mut put: impl FnMut(i32, i32, f32),
) {
    let f = face(bold);
    let scale = f.scale(size);
    let (glyphs, _) = f.layout(text, size);
    for (id, dx) in glyphs {
        let glyph = id.with_scale_and_position(scale, point(x as f32 + dx, baseline as f32));
        if let Some(outline) = f.font.outline_glyph(glyph) {
            let b = outline.px_bounds();
            let (ox, oy) = (b.min.x as i32, b.min.y as i32);
            outline.draw(|gx, gy, cov| {
                if cov > 0.0 {
                    put(ox + gx as i32, oy + gy as i32, cov.min(1.0));
                }
            });
        }
    }
}
