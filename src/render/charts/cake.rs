//! The layer cake: the bid's stack of layers, bottom (data centre) to top
//! (application), with support and SOC apart above it. Each band has the
//! colour of the country controlling the layer's engine and the pattern of
//! its kind of control.

use super::font;
use super::palette::{Countries, INK, MUTED, RULE, UNKNOWN, known};
use super::scene::{Anchor, Entry, Pattern, Scene};
use super::{
    Chart, Lang, control_label, control_meaning, is_operations, layer_label, layer_rank,
    verdict_label,
};
use crate::report::{LayerOut, Report};

const W: i32 = 1000;
const M: i32 = 24;
/// Right edge of the layer names.
const LABEL_X: i32 = 200;
const BAND_X0: i32 = 212;
const BAND_X1: i32 = 704;
const CONTROL_X: i32 = 720;
const ROW: i32 = 46;
const GAP: i32 = 4;

pub fn layer_cake(r: &Report, lang: Lang) -> Chart {
    let title = lang.pick(
        "Layer cake: who controls each layer",
        "Le mille-feuille : qui contrôle chaque couche",
    );
    let mut s = Scene::new(W, title);
    let countries = Countries::of(r);
    let verdict = format!(
        "{} {}",
        lang.pick("Verdict:", "Verdict :"),
        verdict_label(r.summary.verdict, lang)
    );
    let mut y = s.heading(M, &[r.bid.title.clone(), verdict]);

    let mut layers: Vec<&LayerOut> = r.layers.iter().collect();
    // Top of the picture first: highest rank first.
    layers.sort_by(|a, b| {
        layer_rank(&b.layer)
            .cmp(&layer_rank(&a.layer))
            .then_with(|| a.layer.cmp(&b.layer))
    });
    if layers.is_empty() {
        s.text(
            M,
            y + 20,
            lang.pick(
                "No layer could be established from the evidence.",
                "Aucune couche n’a pu être établie à partir des preuves.",
            ),
            15.0,
            false,
            Anchor::Start,
            MUTED,
        );
        y += 40;
    }
    let ops = layers.iter().filter(|l| is_operations(&l.layer)).count();
    for (i, l) in layers.iter().enumerate() {
        if ops > 0 && i == ops {
            // Between operations and the stack: a rule and a gap.
            y += 6;
            s.rect(M, y, W - M, y + 1, RULE);
            y += 11;
        }
        band(&mut s, l, y, &countries, &r.home, lang);
        y += ROW + GAP;
    }
    if !layers.is_empty() {
        s.text(
            BAND_X0,
            y + 14,
            lang.pick(
                "Bottom of the stack: the data centre. Support and operations are shown apart, on top.",
                "Bas de la pile : le centre de données. Support et exploitation sont à part, en haut.",
            ),
            12.0,
            false,
            Anchor::Start,
            MUTED,
        );
        y += 30;
    }
    y = legend(&mut s, &layers, &countries, y + 6, lang);
    s.h = y + M - 8;
    Chart::new("layer-cake", s)
}

fn band(s: &mut Scene, l: &LayerOut, y: i32, countries: &Countries, home: &str, lang: Lang) {
    // The layer's name, and whether it is critical.
    let name = layer_label(&l.layer, lang);
    let name = font::fit(&name, 15.0, true, f64::from(LABEL_X - M));
    if l.critical {
        s.text(LABEL_X, y + 28, &name, 15.0, true, Anchor::End, INK);
    } else {
        s.text(LABEL_X, y + 21, &name, 15.0, true, Anchor::End, INK);
        s.text(
            LABEL_X,
            y + 38,
            lang.pick("not critical", "non critique"),
            12.0,
            false,
            Anchor::End,
            MUTED,
        );
    }

    // The band.
    let fill = l
        .engine
        .as_ref()
        .map_or(UNKNOWN, |e| countries.colour(&e.country));
    s.band((BAND_X0, y, BAND_X1, y + ROW), fill, Pattern::of(l.control));
    let inner = f64::from(BAND_X1 - BAND_X0 - 24);
    // Every engine the layer needs, the first (which colours the band) first.
    let named = |e: &crate::report::ControllerOut| {
        if known(&e.country) {
            format!("{} ({})", e.name, e.country)
        } else {
            e.name.clone()
        }
    };
    let engine = match (&l.engine, l.engines.len()) {
        (Some(_), n) if n > 1 => l.engines.iter().map(named).collect::<Vec<_>>().join(", "),
        (Some(e), _) => named(e),
        (None, _) => lang
            .pick("no engine identified", "moteur non identifié")
            .to_string(),
    };
    let engine = font::fit(&super::scene::clean(&engine), 14.0, true, inner);
    let product = l.product.as_deref().unwrap_or("");
    if product.trim().is_empty() {
        s.text_on(
            BAND_X0 + 12,
            y + 28,
            &engine,
            14.0,
            true,
            Anchor::Start,
            fill,
        );
    } else {
        s.text_on(
            BAND_X0 + 12,
            y + 20,
            &engine,
            14.0,
            true,
            Anchor::Start,
            fill,
        );
        let product = font::fit(&super::scene::clean(product), 12.5, false, inner);
        s.text_on(
            BAND_X0 + 12,
            y + 38,
            &product,
            12.5,
            false,
            Anchor::Start,
            fill,
        );
    }

    // The kind of control.
    let right = f64::from(W - M - CONTROL_X);
    let label = font::fit(&control_label(l.control, lang), 14.0, true, right);
    s.text(CONTROL_X, y + 20, &label, 14.0, true, Anchor::Start, INK);
    let meaning = font::fit(&control_meaning(l.control, home, lang), 12.0, false, right);
    s.text(
        CONTROL_X,
        y + 37,
        &meaning,
        12.0,
        false,
        Anchor::Start,
        MUTED,
    );
}

fn legend(s: &mut Scene, layers: &[&LayerOut], countries: &Countries, y: i32, lang: Lang) -> i32 {
    // Countries, home first, then foreign ones as ranked, then unknown.
    let mut shown: Vec<String> = Vec::new();
    let mut unknown = false;
    for l in layers {
        match &l.engine {
            Some(e) if known(&e.country) => {
                if !shown.contains(&e.country) {
                    shown.push(e.country.clone());
                }
            }
            _ => unknown = true,
        }
    }
    let mut entries: Vec<Entry> = Vec::new();
    let home_first = shown.iter().filter(|c| countries.is_home(c));
    for c in home_first {
        entries.push(Entry {
            fill: countries.colour(c),
            pattern: Pattern::Solid,
            text: format!("{c} ({})", lang.pick("home", "national")),
        });
    }
    for c in countries.ranked.iter().filter(|c| shown.contains(c)) {
        entries.push(Entry {
            fill: countries.colour(c),
            pattern: Pattern::Solid,
            text: c.clone(),
        });
    }
    if unknown {
        entries.push(Entry {
            fill: UNKNOWN,
            pattern: Pattern::Solid,
            text: lang.pick("unknown", "inconnu").to_string(),
        });
    }
    let mut y = s.legend(
        M,
        y,
        W - M,
        lang.pick(
            "Colour: country controlling the layer’s engine",
            "Couleur : pays qui contrôle le moteur de la couche",
        ),
        &entries,
    );

    // Patterns present, with what they mean.
    let controls: Vec<&str> = ["home", "foreign", "foreign-supply", "community", "unknown"]
        .into_iter()
        .filter(|c| layers.iter().any(|l| l.control == *c))
        .collect();
    let mut entries: Vec<Entry> = Vec::new();
    if controls.iter().any(|c| matches!(*c, "home" | "foreign")) {
        entries.push(Entry {
            fill: RULE,
            pattern: Pattern::Solid,
            text: lang
                .pick(
                    "solid: the layer needs its controller to run",
                    "plein : la couche a besoin de son contrôleur pour fonctionner",
                )
                .to_string(),
        });
    }
    for c in controls {
        let text = match c {
            "foreign-supply" => lang.pick(
                "hatched: foreign supply, runs without the vendor",
                "hachuré : fourniture étrangère, fonctionne sans le fournisseur",
            ),
            "community" => lang.pick(
                "cross-hatched: open community, forkable",
                "quadrillé : communauté ouverte, reprenable",
            ),
            "unknown" => lang.pick(
                "dashed: controller unknown",
                "pointillé : contrôleur inconnu",
            ),
            _ => continue,
        };
        entries.push(Entry {
            fill: RULE,
            pattern: Pattern::of(c),
            text: text.to_string(),
        });
    }
    if !entries.is_empty() {
        y = s.legend(M, y + 4, W - M, lang.pick("Pattern:", "Motif :"), &entries);
    }
    y
}
