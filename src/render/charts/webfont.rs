//! The chart font for browsers: the glyphs a document uses, cut from the
//! embedded Noto Sans and packed as WOFF for a CSS `@font-face` rule.
//!
//! Charts are laid out with Noto Sans metrics (`font.rs`). A browser that
//! draws them in another face makes captions run into each other, so every
//! SVG and HTML document carries the font its layout was measured with.
//!
//! The subset keeps glyph ids (the glyphs a document does not use are left
//! empty), so `cmap`, `hmtx` and the metrics tables are copied unchanged and
//! no table has to be renumbered. The layout tables (`GPOS`, `GSUB`, `GDEF`)
//! are dropped: the layout measures advance widths without kerning or
//! ligatures, and so must the browser. The `name` table, which carries the
//! copyright and the SIL Open Font License notice, is kept.
//!
//! WOFF 1.0 (zlib per table) rather than WOFF2: WOFF2 wants Brotli and the
//! `glyf` transform, and no maintained Rust crate writes it; every browser
//! that renders inline SVG reads WOFF.

use base64::Engine as _;
use std::collections::BTreeSet;
use std::io::Write as _;

/// The CSS family name of the embedded subset. A name of its own, so that a
/// locally installed Noto Sans of another version is never used instead.
pub(crate) const FAMILY: &str = "coquille-noto-sans";

/// `@font-face` rules for the regular and bold faces, covering `regular` and
/// `bold` characters; empty when both sets are empty.
pub(crate) fn font_face_css(regular: &BTreeSet<char>, bold: &BTreeSet<char>) -> String {
    let mut css = String::new();
    for (chars, weight, bytes) in [
        (regular, 400, notosans::REGULAR_TTF),
        (bold, 700, notosans::BOLD_TTF),
    ] {
        if chars.is_empty() {
            continue;
        }
        // The embedded font is known to parse; should it ever not, the
        // charts fall back to the families listed after this one.
        let Some(woff) = subset(bytes, chars).map(|ttf| woff(&ttf)) else {
            continue;
        };
        css.push_str(&format!(
            "@font-face{{font-family:\"{FAMILY}\";font-style:normal;font-weight:{weight};src:url(data:font/woff;base64,{}) format(\"woff\")}}",
            base64::engine::general_purpose::STANDARD.encode(woff)
        ));
    }
    if !css.is_empty() {
        css.insert_str(
            0,
            "/* Noto Sans, Copyright 2012 Google Inc., subset; SIL Open Font License 1.1, https://openfontlicense.org */",
        );
    }
    css
}

/// A table of an sfnt file.
struct Table<'a> {
    tag: [u8; 4],
    data: std::borrow::Cow<'a, [u8]>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The tables of a TrueType file, in file order.
fn tables(font: &[u8]) -> Option<Vec<Table<'_>>> {
    let count = u16_at(font, 4)? as usize;
    (0..count)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            let offset = u32_at(font, rec + 8)? as usize;
            let length = u32_at(font, rec + 12)? as usize;
            let data = font.get(offset..offset.checked_add(length)?)?;
            Some(Table {
                tag,
                data: data.into(),
            })
        })
        .collect()
}

/// The glyphs to keep: `.notdef`, the glyphs of `chars`, and the components
/// of the composite glyphs among them.
fn closure<'a>(
    font: &[u8],
    chars: &BTreeSet<char>,
    glyph: impl Fn(u16) -> Option<&'a [u8]>,
) -> BTreeSet<u16> {
    let face = ttf_parser::Face::parse(font, 0).ok();
    let mut keep: BTreeSet<u16> = BTreeSet::from([0]);
    let mut todo: Vec<u16> = chars
        .iter()
        .filter_map(|c| face.as_ref()?.glyph_index(*c).map(|g| g.0))
        .collect();
    while let Some(g) = todo.pop() {
        if !keep.insert(g) {
            continue;
        }
        todo.extend(components(glyph(g).unwrap_or_default()));
    }
    keep
}

/// The glyph ids a composite glyph is built from (none for a simple glyph).
fn components(data: &[u8]) -> Vec<u16> {
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    let mut out = Vec::new();
    if !matches!(u16_at(data, 0), Some(n) if (n as i16) < 0) {
        return out;
    }
    let mut at = 10;
    while let (Some(flags), Some(id)) = (u16_at(data, at), u16_at(data, at + 2)) {
        out.push(id);
        at += 4 + if flags & WORDS != 0 { 4 } else { 2 };
        at += if flags & SCALE != 0 {
            2
        } else if flags & XY_SCALE != 0 {
            4
        } else if flags & TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE == 0 {
            break;
        }
    }
    out
}

/// A TrueType file holding only the glyphs of `chars` (ids unchanged).
fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let tables = tables(font)?;
    let find = |tag: &[u8; 4]| tables.iter().find(|t| &t.tag == tag).map(|t| &t.data[..]);
    let (head, loca, glyf, maxp) = (
        find(b"head")?,
        find(b"loca")?,
        find(b"glyf")?,
        find(b"maxp")?,
    );
    let long = u16_at(head, 50)? == 1;
    let count = u16_at(maxp, 4)? as usize;
    let offset = |i: usize| -> Option<usize> {
        if long {
            u32_at(loca, 4 * i).map(|o| o as usize)
        } else {
            u16_at(loca, 2 * i).map(|o| 2 * o as usize)
        }
    };
    let glyph = |g: u16| -> Option<&[u8]> {
        let (a, b) = (offset(g as usize)?, offset(g as usize + 1)?);
        glyf.get(a..b)
    };
    let keep = closure(font, chars, glyph);
    // New glyf and a long loca (glyph data kept 4-byte aligned).
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity(4 * (count + 1));
    for g in 0..count {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if keep.contains(&(g as u16)) {
            new_glyf.extend_from_slice(glyph(g as u16)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head
        .get_mut(50..52)?
        .copy_from_slice(&1u16.to_be_bytes());
    new_head.get_mut(8..12)?.copy_from_slice(&[0; 4]);
    let mut out: Vec<Table> = tables
        .into_iter()
        .filter(|t| !matches!(&t.tag, b"GPOS" | b"GSUB" | b"GDEF" | b"DSIG"))
        .map(|t| match &t.tag {
            b"glyf" => Table {
                tag: t.tag,
                data: new_glyf.clone().into(),
            },
            b"loca" => Table {
                tag: t.tag,
                data: new_loca.clone().into(),
            },
            b"head" => Table {
                tag: t.tag,
                data: new_head.clone().into(),
            },
            _ => t,
        })
        .collect();
    out.sort_by_key(|t| t.tag);
    let mut ttf = sfnt(&out);
    // head.checkSumAdjustment makes the whole file sum to 0xB1B0AFBA.
    let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&ttf));
    let head_at = 12 + 16 * out.iter().position(|t| &t.tag == b"head")?;
    let head_offset = u32_at(&ttf, head_at + 8)? as usize;
    ttf.get_mut(head_offset + 8..head_offset + 12)?
        .copy_from_slice(&adjust.to_be_bytes());
    Some(ttf)
}

/// The sum of a table's big-endian 32-bit words (zero-padded).
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

fn padded(len: usize) -> usize {
    len.div_ceil(4) * 4
}

/// An sfnt (TrueType) file from tables sorted by tag.
fn sfnt(tables: &[Table]) -> Vec<u8> {
    let n = tables.len() as u16;
    let pow = 1u16 << (15 - n.max(1).leading_zeros());
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&(pow.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&(n * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    for t in tables {
        out.extend_from_slice(&t.tag);
        out.extend_from_slice(&checksum(&t.data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(t.data.len() as u32).to_be_bytes());
        offset += padded(t.data.len());
    }
    for t in tables {
        out.extend_from_slice(&t.data);
        out.resize(padded(out.len()), 0);
    }
    out
}

/// A WOFF 1.0 file wrapping an sfnt: each table zlib-compressed when that
/// makes it smaller.
fn woff(ttf: &[u8]) -> Vec<u8> {
    let Some(tables) = tables(ttf) else {
        return Vec::new();
    };
    let packed: Vec<(&Table, Vec<u8>)> = tables
        .iter()
        .map(|t| {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
            let compressed = z.write_all(&t.data).and_then(|_| z.finish()).ok();
            let data = match compressed {
                Some(c) if c.len() < t.data.len() => c,
                _ => t.data.to_vec(),
            };
            (t, data)
        })
        .collect();
    let header = 44 + 20 * packed.len();
    let total: usize = header + packed.iter().map(|(_, d)| padded(d.len())).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"wOFF");
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(packed.len() as u16).to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(ttf.len() as u32).to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&[0; 20]);
    let mut offset = header;
    for (t, d) in &packed {
        out.extend_from_slice(&t.tag);
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(d.len() as u32).to_be_bytes());
        out.extend_from_slice(&(t.data.len() as u32).to_be_bytes());
        out.extend_from_slice(&checksum(&t.data).to_be_bytes());
        offset += padded(d.len());
    }
    for (_, d) in &packed {
        out.extend_from_slice(d);
        out.resize(padded(out.len()), 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(s: &str) -> BTreeSet<char> {
        s.chars().collect()
    }

    #[test]
    fn the_subset_keeps_the_glyphs_asked_for_and_empties_the_others() {
        let ttf = subset(notosans::REGULAR_TTF, &set("Éa")).expect("subset");
        let face = ttf_parser::Face::parse(&ttf, 0).expect("the subset parses");
        let full = ttf_parser::Face::parse(notosans::REGULAR_TTF, 0).unwrap();
        assert_eq!(face.number_of_glyphs(), full.number_of_glyphs());
        for c in ['a', 'É'] {
            let g = face.glyph_index(c).expect("mapped");
            assert!(face.glyph_bounding_box(g).is_some(), "{c} has an outline");
            assert_eq!(face.glyph_hor_advance(g), full.glyph_hor_advance(g));
        }
        let z = face.glyph_index('z').expect("cmap kept");
        assert!(face.glyph_bounding_box(z).is_none(), "z is emptied");
        assert!(face.tables().gpos.is_none());
        assert!(ttf.len() < notosans::REGULAR_TTF.len() / 5, "{}", ttf.len());
        // The whole file sums to the magic number.
        assert_eq!(checksum(&ttf), 0xB1B0_AFBA);
    }

    #[test]
    fn composite_glyphs_bring_their_components() {
        let face = ttf_parser::Face::parse(notosans::REGULAR_TTF, 0).unwrap();
        let ttf = subset(notosans::REGULAR_TTF, &set("é")).unwrap();
        let sub = ttf_parser::Face::parse(&ttf, 0).unwrap();
        let g = face.glyph_index('é').unwrap();
        assert_eq!(face.glyph_bounding_box(g), sub.glyph_bounding_box(g));
    }

    #[test]
    fn woff_has_a_consistent_header_and_unpacks_to_the_tables() {
        let ttf = subset(notosans::BOLD_TTF, &set("Bid 60,0 %")).unwrap();
        let w = woff(&ttf);
        assert_eq!(&w[..4], b"wOFF");
        assert_eq!(u32_at(&w, 8).unwrap() as usize, w.len());
        assert_eq!(u32_at(&w, 16).unwrap() as usize, ttf.len());
        let n = u16_at(&w, 12).unwrap() as usize;
        let original = tables(&ttf).unwrap();
        assert_eq!(n, original.len());
        for (i, table) in original.iter().enumerate() {
            let rec = 44 + 20 * i;
            let (off, comp, orig) = (
                u32_at(&w, rec + 4).unwrap() as usize,
                u32_at(&w, rec + 8).unwrap() as usize,
                u32_at(&w, rec + 12).unwrap() as usize,
            );
            let data = &w[off..off + comp];
            let unpacked = if comp < orig {
                let mut out = Vec::new();
                std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(data), &mut out)
                    .unwrap();
                out
            } else {
                data.to_vec()
            };
            assert_eq!(unpacked, &table.data[..]);
        }
    }

    #[test]
    fn css_names_the_family_and_the_licence() {
        let css = font_face_css(&set("ab"), &BTreeSet::new());
        assert!(css.contains(FAMILY) && css.contains("Open Font License"));
        assert_eq!(css.matches("@font-face").count(), 1);
        assert!(font_face_css(&BTreeSet::new(), &BTreeSet::new()).is_empty());
    }
}
