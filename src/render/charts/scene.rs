//! A chart laid out in pixels, independent of the output format, and its two
//! painters: SVG (plotters' SVG backend) and PNG (plotters' bitmap backend,
//! text rasterised by `font.rs`, encoded by the `png` crate).

use super::font;
use super::palette::{Rgb, WHITE};
use plotters::prelude::{BitMapBackend, DrawingBackend, SVGBackend};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle};
use plotters_backend::DrawingErrorKind;
use std::collections::BTreeSet;

/// Where a text's `x` is: its start, middle or end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hatch {
    /// Lines rising to the right.
    Rising,
    /// Lines falling to the right.
    Falling,
}

#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub x: i32,
    /// The baseline.
    pub y: i32,
    pub text: String,
    /// Pixels per em.
    pub size: f64,
    pub bold: bool,
    pub anchor: Anchor,
    pub colour: Rgb,
}

#[derive(Debug, Clone)]
pub(crate) enum Item {
    /// A filled rectangle; `x1`, `y1` exclusive.
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        colour: Rgb,
        alpha: f64,
    },
    Line {
        from: (i32, i32),
        to: (i32, i32),
        colour: Rgb,
        alpha: f64,
        width: u32,
    },
    Text(Text),
}

#[derive(Debug, Clone)]
pub(crate) struct Scene {
    pub w: i32,
    pub h: i32,
    /// The chart's title, also the SVG's `<title>` for assistive technology.
    pub title: String,
    pub items: Vec<Item>,
}

/// Report text is adversarial: control and bidi-override characters are
/// replaced by spaces (markup is escaped by the SVG backend).
pub(crate) fn clean(s: &str) -> String {
    use crate::render::escape::{is_bidi_control, is_xml_illegal};
    s.chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) || is_xml_illegal(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Escape text for XML content or a quoted attribute.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

impl Scene {
    pub(crate) fn new(w: i32, title: &str) -> Scene {
        Scene {
            w,
            h: 0,
            title: clean(title),
            items: Vec::new(),
        }
    }

    pub(crate) fn rect(&mut self, x0: i32, y0: i32, x1: i32, y1: i32, colour: Rgb) {
        self.rect_alpha(x0, y0, x1, y1, colour, 1.0);
    }

    pub(crate) fn rect_alpha(
        &mut self,
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        colour: Rgb,
        alpha: f64,
    ) {
        if x1 > x0 && y1 > y0 {
            self.items.push(Item::Rect {
                x0,
                y0,
                x1,
                y1,
                colour,
                alpha,
            });
        }
    }

    /// An outline of `t` pixels inside the rectangle, solid or dashed.
    pub(crate) fn frame(
        &mut self,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
        t: i32,
        colour: Rgb,
        dashed: bool,
    ) {
        if !dashed {
            self.rect(x0, y0, x1, y0 + t, colour);
            self.rect(x0, y1 - t, x1, y1, colour);
            self.rect(x0, y0 + t, x0 + t, y1 - t, colour);
            self.rect(x1 - t, y0 + t, x1, y1 - t, colour);
            return;
        }
        let (dash, gap) = (7, 4);
        let mut x = x0;
        while x < x1 {
            let e = (x + dash).min(x1);
            self.rect(x, y0, e, y0 + t, colour);
            self.rect(x, y1 - t, e, y1, colour);
            x += dash + gap;
        }
        let mut y = y0;
        while y < y1 {
            let e = (y + dash).min(y1);
            self.rect(x0, y, x0 + t, e, colour);
            self.rect(x1 - t, y, x1, e, colour);
            y += dash + gap;
        }
    }

    pub(crate) fn line(
        &mut self,
        from: (i32, i32),
        to: (i32, i32),
        colour: Rgb,
        alpha: f64,
        width: u32,
    ) {
        self.items.push(Item::Line {
            from,
            to,
            colour,
            alpha,
            width,
        });
    }

    /// Parallel diagonal lines every `step` pixels, clipped to the rectangle.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn hatch(
        &mut self,
        (x0, y0, x1, y1): (i32, i32, i32, i32),
        dir: Hatch,
        step: i32,
        colour: Rgb,
        alpha: f64,
        width: u32,
    ) {
        let (x1, y1) = (x1 - 1, y1 - 1);
        match dir {
            Hatch::Rising => {
                // x + y = c
                let mut c = x0 + y0 + step / 2;
                while c < x1 + y1 {
                    let xa = x0.max(c - y1);
                    let xb = x1.min(c - y0);
                    if xa < xb {
                        self.line((xa, c - xa), (xb, c - xb), colour, alpha, width);
                    }
                    c += step;
                }
            }
            Hatch::Falling => {
                // x - y = c
                let mut c = x0 - y1 + step / 2;
                while c < x1 - y0 {
                    let xa = x0.max(c + y0);
                    let xb = x1.min(c + y1);
                    if xa < xb {
                        self.line((xa, xa - c), (xb, xb - c), colour, alpha, width);
                    }
                    c += step;
                }
            }
        }
    }

    /// Text with its baseline at `y`; returns its width.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &mut self,
        x: i32,
        y: i32,
        text: &str,
        size: f64,
        bold: bool,
        anchor: Anchor,
        colour: Rgb,
    ) -> f64 {
        let text = clean(text);
        let w = font::width(&text, size, bold);
        if !text.trim().is_empty() {
            self.items.push(Item::Text(Text {
                x,
                y,
                text,
                size,
                bold,
                anchor,
                colour,
            }));
        }
        w
    }

    /// The characters of the scene's text, regular then bold.
    pub(crate) fn chars(&self) -> (BTreeSet<char>, BTreeSet<char>) {
        let (mut regular, mut bold) = (BTreeSet::new(), BTreeSet::new());
        for item in &self.items {
            if let Item::Text(t) = item {
                if t.bold { &mut bold } else { &mut regular }.extend(t.text.chars());
            }
        }
        (regular, bold)
    }

    /// The scene as an SVG document (its font comes from the page, see
    /// `webfont`).
    pub(crate) fn svg(&self) -> String {
        let mut out = String::new();
        {
            let mut db = SVGBackend::with_string(&mut out, (self.w as u32, self.h as u32));
            // The SVG backend only fails on I/O, which a String cannot have.
            let _ = paint(&mut db, self, 1, &mut |db, t| {
                let (h, x) = match t.anchor {
                    Anchor::Start => (HPos::Left, t.x),
                    Anchor::Middle => (HPos::Center, t.x),
                    Anchor::End => (HPos::Right, t.x),
                };
                // The SVG backend writes font-size = size / 1.24 and places
                // the baseline 0.76 em under y for a top anchor.
                let style = FontDesc::new(
                    FontFamily::Name(font::SVG_FAMILY),
                    t.size * 1.24,
                    if t.bold {
                        FontStyle::Bold
                    } else {
                        FontStyle::Normal
                    },
                )
                .color(&rgb(t.colour))
                .pos(Pos::new(h, VPos::Top));
                let y = t.y - (0.76 * t.size).round() as i32;
                db.draw_text(&t.text, &style, (x, y))
            });
            let _ = db.present();
        }
        // Title for assistive technology, right after the opening tag.
        if let Some(end) = out.find('>') {
            let head = format!(
                " role=\"img\" aria-label=\"{}\"><title>{}</title",
                xml(&self.title),
                xml(&self.title)
            );
            out.insert_str(end, &head);
        }
        out
    }

    /// The scene as PNG bytes, `scale` times its size.
    pub(crate) fn png(&self, scale: u32) -> Result<Vec<u8>, String> {
        let (w, h) = (self.w as u32 * scale, self.h as u32 * scale);
        let mut buf = vec![0u8; (w * h * 3) as usize];
        {
            let mut db = BitMapBackend::with_buffer(&mut buf, (w, h));
            let s = f64::from(scale);
            paint(&mut db, self, scale as i32, &mut |db, t| {
                let size = t.size * s;
                let width = font::width(&t.text, size, t.bold);
                let x = f64::from(t.x) * s;
                let x = match t.anchor {
                    Anchor::Start => x,
                    Anchor::Middle => x - width / 2.0,
                    Anchor::End => x - width,
                };
                let colour = rgb(t.colour);
                let mut result = Ok(());
                font::raster(
                    &t.text,
                    size,
                    t.bold,
                    x,
                    f64::from(t.y) * s,
                    |px, py, cov| {
                        if result.is_ok() {
                            result = db.draw_pixel(
                                (px, py),
                                colour.mix(f64::from(cov)).to_backend_color(),
                            );
                        }
                    },
                );
                result
            })
            .map_err(|e| format!("drawing the chart failed: {e}"))?;
            db.present()
                .map_err(|e| format!("drawing the chart failed: {e}"))?;
        }
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc
                .write_header()
                .map_err(|e| format!("PNG encoding failed: {e}"))?;
            writer
                .write_image_data(&buf)
                .map_err(|e| format!("PNG encoding failed: {e}"))?;
            writer
                .finish()
                .map_err(|e| format!("PNG encoding failed: {e}"))?;
        }
        Ok(out)
    }
}

fn rgb(c: Rgb) -> RGBColor {
    RGBColor(c.0, c.1, c.2)
}

type Drawn<DB> = Result<(), DrawingErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Paint every item in order on a white page; text goes through `text`.
fn paint<DB: DrawingBackend>(
    db: &mut DB,
    scene: &Scene,
    scale: i32,
    text: &mut dyn FnMut(&mut DB, &Text) -> Drawn<DB>,
) -> Drawn<DB> {
    let s = |v: i32| v * scale;
    db.draw_rect(
        (0, 0),
        (s(scene.w), s(scene.h)),
        &ShapeStyle::from(&rgb(WHITE)).filled(),
        true,
    )?;
    for item in &scene.items {
        match item {
            Item::Rect {
                x0,
                y0,
                x1,
                y1,
                colour,
                alpha,
            } => {
                let style = ShapeStyle::from(rgb(*colour).mix(*alpha)).filled();
                db.draw_rect((s(*x0), s(*y0)), (s(*x1), s(*y1)), &style, true)?;
            }
            Item::Line {
                from,
                to,
                colour,
                alpha,
                width,
            } => {
                let style =
                    ShapeStyle::from(rgb(*colour).mix(*alpha)).stroke_width(*width * scale as u32);
                db.draw_line((s(from.0), s(from.1)), (s(to.0), s(to.1)), &style)?;
            }
            Item::Text(t) => text(db, t)?,
        }
    }
    Ok(())
}

/// How a box is marked besides its colour (for the kind of control).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pattern {
    Solid,
    /// Rising hatch: foreign supply.
    Rising,
    /// Cross hatch: open community.
    Cross,
    /// Dashed outline: unknown.
    Dashed,
}

impl Pattern {
    pub(crate) fn of(control: &str) -> Pattern {
        match control {
            "foreign-supply" => Pattern::Rising,
            "community" => Pattern::Cross,
            "home" | "foreign" => Pattern::Solid,
            _ => Pattern::Dashed,
        }
    }
}

/// One legend entry: a swatch and its text.
pub(crate) struct Entry {
    pub fill: Rgb,
    pub pattern: Pattern,
    pub text: String,
}

impl Scene {
    /// A filled box with its pattern.
    pub(crate) fn band(&mut self, (x0, y0, x1, y1): (i32, i32, i32, i32), fill: Rgb, p: Pattern) {
        self.rect(x0, y0, x1, y1, fill);
        let ink = fill.ink();
        match p {
            Pattern::Solid => {}
            Pattern::Rising => self.hatch((x0, y0, x1, y1), Hatch::Rising, 9, ink, 0.55, 2),
            Pattern::Cross => {
                self.hatch((x0, y0, x1, y1), Hatch::Rising, 12, ink, 0.4, 1);
                self.hatch((x0, y0, x1, y1), Hatch::Falling, 12, ink, 0.4, 1);
            }
            Pattern::Dashed => self.frame((x0, y0, x1, y1), 2, super::palette::INK, true),
        }
    }

    /// Text on a coloured box: a patch of the box's colour under the text
    /// keeps a hatch from crossing the letters. Returns the text's width.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text_on(
        &mut self,
        x: i32,
        y: i32,
        text: &str,
        size: f64,
        bold: bool,
        anchor: Anchor,
        fill: Rgb,
    ) -> f64 {
        let text = clean(text);
        let w = font::width(&text, size, bold);
        if text.trim().is_empty() {
            return w;
        }
        let left = match anchor {
            Anchor::Start => f64::from(x),
            Anchor::Middle => f64::from(x) - w / 2.0,
            Anchor::End => f64::from(x) - w,
        };
        self.rect(
            left.floor() as i32 - 4,
            y - (size * 0.95).round() as i32,
            (left + w).ceil() as i32 + 4,
            y + (size * 0.3).round() as i32,
            fill,
        );
        self.text(x, y, &text, size, bold, anchor, fill.ink())
    }

    /// A legend: an optional heading, then swatches flowing left to right,
    /// wrapping at `max_x`. Returns the y under it.
    pub(crate) fn legend(
        &mut self,
        x: i32,
        y: i32,
        max_x: i32,
        heading: &str,
        entries: &[Entry],
    ) -> i32 {
        const SIZE: f64 = 13.0;
        const SW: i32 = 22;
        const LINE: i32 = 26;
        let mut cx = x;
        let mut cy = y;
        if !heading.is_empty() {
            let w = self.text(
                cx,
                cy + 13,
                heading,
                SIZE,
                true,
                Anchor::Start,
                super::palette::INK,
            );
            cx += w.ceil() as i32 + 12;
        }
        for e in entries {
            let text = font::fit(&clean(&e.text), SIZE, false, f64::from(max_x - x - SW - 8));
            let need = SW + 6 + font::width(&text, SIZE, false).ceil() as i32 + 18;
            if cx + need > max_x && cx > x {
                cx = x;
                cy += LINE;
            }
            self.band((cx, cy, cx + SW, cy + 17), e.fill, e.pattern);
            if e.pattern != Pattern::Dashed {
                self.frame((cx, cy, cx + SW, cy + 17), 1, super::palette::MUTED, false);
            }
            self.text(
                cx + SW + 6,
                cy + 13,
                &text,
                SIZE,
                false,
                Anchor::Start,
                super::palette::INK,
            );
            cx += need;
        }
        cy + LINE
    }

    /// The title block: title, then up to two muted lines. Returns the y under it.
    pub(crate) fn heading(&mut self, margin: i32, lines: &[String]) -> i32 {
        let title = self.title.clone();
        let max = f64::from(self.w - 2 * margin);
        let t = font::fit(&title, 22.0, true, max);
        self.text(
            margin,
            38,
            &t,
            22.0,
            true,
            Anchor::Start,
            super::palette::INK,
        );
        let mut y = 38;
        for l in lines {
            y += 22;
            let l = font::fit(&clean(l), 14.0, false, max);
            self.text(
                margin,
                y,
                &l,
                14.0,
                false,
                Anchor::Start,
                super::palette::MUTED,
            );
        }
        y + 20
    }
}
