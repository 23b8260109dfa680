//! Charts for procurement officers, each as a self-contained SVG (to inline in
//! an HTML report) and as a PNG.
//!
//! - [`layer_cake`]: the bid's stack of layers, coloured by the country that
//!   controls each layer's engine, patterned by the kind of control.
//! - [`engine_share`]: the share of components by controlling country.
//! - [`comparison`]: bids side by side, critical layers coloured by control,
//!   with the verdict under each column.
//! - [`blast_radius`]: what each foreign controller reaches.
//!
//! A chart is first laid out as a `Scene` of rectangles, lines and
//! text whose widths are measured with the embedded Noto Sans font, then
//! painted with plotters: once on the SVG backend, and on demand on the bitmap
//! backend for the PNG. Text in the bitmap is rasterised by `font.rs` (subpixel
//! glyph placement, exact baseline) so that both outputs have the same layout.
//! Renderers never decide: every value shown is read from the report.

mod blast;
mod cake;
mod compare;
mod font;
mod palette;
mod scene;
mod share;
#[cfg(test)]
mod tests;
mod webfont;

use crate::report::Report;
use scene::Scene;

pub use blast::blast_radius;
pub use cake::layer_cake;
pub use compare::comparison;
pub use share::engine_share;

pub use crate::render::Lang;

/// A percentage with one decimal, in the language's notation.
pub(crate) fn pct(lang: Lang, part: usize, whole: usize) -> String {
    let p = if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    };
    let s = format!("{p:.1} %");
    match lang {
        Lang::En => s.replace(' ', ""),
        Lang::Fr => s.replace('.', ","),
    }
}

/// One rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// A stable file stem: `layer-cake`, `engine-share`, `comparison`, `blast-radius`.
    pub name: &'static str,
    /// The SVG document to inline in an HTML page, whose style sheet carries
    /// the font ([`font_css`]); [`Chart::svg_file`] is the standalone file.
    pub svg: String,
    scene: Scene,
}

impl Chart {
    fn new(name: &'static str, scene: Scene) -> Chart {
        let svg = scene.svg();
        Chart { name, svg, scene }
    }

    /// A self-contained SVG file: the font it is laid out with is embedded
    /// in its own style sheet; no external fonts, images or links.
    pub fn svg_file(&self) -> String {
        let (regular, bold) = self.scene.chars();
        let css = webfont::font_face_css(&regular, &bold);
        let mut svg = self.svg.clone();
        if let Some(at) = svg.find("</title>") {
            svg.insert_str(at + "</title>".len(), &format!("<style>{css}</style>"));
        }
        svg
    }

    /// Width and height in pixels of the SVG and of [`Chart::png`].
    pub fn size(&self) -> (u32, u32) {
        (self.scene.w as u32, self.scene.h as u32)
    }

    /// The chart as PNG bytes, at the SVG's size.
    pub fn png(&self) -> Result<Vec<u8>, String> {
        self.png_scaled(1)
    }

    /// The chart as PNG bytes, `scale` times the SVG's size (2 for print or
    /// high-density screens); `scale` is between 1 and 4.
    pub fn png_scaled(&self, scale: u32) -> Result<Vec<u8>, String> {
        if !(1..=4).contains(&scale) {
            return Err(format!("PNG scale {scale} is not between 1 and 4"));
        }
        self.scene.png(scale)
    }
}

/// CSS `@font-face` rules carrying the glyphs every one of `charts` uses,
/// for the HTML page that inlines them (one copy of the font per page).
pub fn font_css<'a>(charts: impl IntoIterator<Item = &'a Chart>) -> String {
    let (mut regular, mut bold) = (
        std::collections::BTreeSet::new(),
        std::collections::BTreeSet::new(),
    );
    for c in charts {
        let (r, b) = c.scene.chars();
        regular.extend(r);
        bold.extend(b);
    }
    webfont::font_face_css(&regular, &bold)
}

/// Every chart for one report, in a stable order.
pub fn all(r: &Report, lang: Lang) -> Vec<Chart> {
    vec![
        layer_cake(r, lang),
        engine_share(r, lang),
        blast_radius(r, lang),
    ]
}

/// A layer's name for people, capitalised (the words are `i18n`'s, shared
/// with the other renderers).
pub(crate) fn layer_label(layer: &str, lang: Lang) -> String {
    capitalised(crate::i18n::layer(lang, layer))
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Position of a layer in the stack, bottom first; support and SOC come last
/// (drawn on top, apart from the stack).
pub(crate) fn layer_rank(layer: &str) -> usize {
    const ORDER: [&str; 16] = [
        "datacenter",
        "hardware",
        "network",
        "hypervisor",
        "os",
        "storage",
        "database",
        "iam",
        "kms",
        "control-plane",
        "paas",
        "saas",
        "application",
        "other",
        "support",
        "soc",
    ];
    ORDER.iter().position(|l| *l == layer).unwrap_or(13)
}

/// Whether a layer is an operations layer drawn apart from the stack.
pub(crate) fn is_operations(layer: &str) -> bool {
    matches!(layer, "support" | "soc")
}

/// The verdict for people.
pub(crate) fn verdict_label(verdict: &str, lang: Lang) -> String {
    crate::i18n::verdict(lang, verdict).to_string()
}

/// A control value for people.
pub(crate) fn control_label(control: &str, lang: Lang) -> String {
    crate::i18n::control(lang, control).to_string()
}

/// What a control value means, in a few words.
pub(crate) fn control_meaning(control: &str, home: &str, lang: Lang) -> String {
    match control {
        "home" => match lang {
            Lang::En => format!("controlled from {home}"),
            Lang::Fr => format!("contrôlée depuis {}", crate::i18n::pays(home)),
        },
        "foreign" => lang
            .pick(
                "controlled abroad, needed to run",
                "contrôlée de l’étranger, indispensable",
            )
            .to_string(),
        "foreign-supply" => lang
            .pick(
                "foreign vendor, runs without it",
                "fournisseur étranger, fonctionne sans lui",
            )
            .to_string(),
        "community" => lang
            .pick("open source, forkable", "logiciel libre, reprenable (fork)")
            .to_string(),
        _ => lang
            .pick("controller not established", "contrôleur non établi")
            .to_string(),
    }
}
