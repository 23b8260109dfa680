//! The blast radius: for each foreign controller, the bid's components it
//! reaches (its own, then those that depend on them), and the critical layers
//! among them.

use super::font;
use super::palette::{Countries, INK, MUTED, Rgb};
use super::scene::{Anchor, Entry, Pattern, Scene};
use super::{Chart, Lang, layer_label};
use crate::report::Report;

const W: i32 = 1000;
const M: i32 = 24;
const BAR_W: i32 = 640;
const BAR_H: i32 = 22;
const ROW: i32 = 78;
const TRACK: Rgb = Rgb(0xEE, 0xEE, 0xEE);

pub fn blast_radius(r: &Report, lang: Lang) -> Chart {
    let title = lang.pick(
        "Blast radius: what each foreign controller reaches",
        "Rayon d’impact : ce que chaque contrôleur étranger atteint",
    );
    let mut s = Scene::new(W, title);
    let countries = Countries::of(r);
    let total = r.summary.components;
    let sub = match lang {
        Lang::En => format!(
            "Out of the bid’s {total} components: those of each controller, and those that depend on them"
        ),
        Lang::Fr => format!(
            "Sur les {total} composants de l’offre : ceux de chaque contrôleur, et ceux qui en dépendent"
        ),
    };
    let mut y = s.heading(M, &[r.bid.title.clone(), sub]);
    let scale = total.max(
        r.blast_radius
            .iter()
            .map(|b| b.affected_items)
            .max()
            .unwrap_or(0),
    );

    if r.blast_radius.is_empty() {
        s.text(
            M,
            y + 20,
            lang.pick(
                "No foreign controller reaches this bid’s components.",
                "Aucun contrôleur étranger n’atteint les composants de cette offre.",
            ),
            15.0,
            false,
            Anchor::Start,
            MUTED,
        );
        y += 44;
    }
    let max = f64::from(W - 2 * M);
    for b in &r.blast_radius {
        let c = &b.controller;
        let name = if super::palette::known(&c.country) {
            format!("{} ({})", c.name, c.country)
        } else {
            c.name.clone()
        };
        let name = font::fit(&super::scene::clean(&name), 14.5, true, max);
        s.text(M, y + 16, &name, 14.5, true, Anchor::Start, INK);

        let colour = countries.colour(&c.country);
        let len = |n: usize| {
            if scale == 0 {
                0
            } else {
                ((n as f64 / scale as f64) * f64::from(BAR_W)).round() as i32
            }
        };
        let (y0, y1) = (y + 24, y + 24 + BAR_H);
        s.rect(M, y0, M + BAR_W, y1, TRACK);
        let affected = len(b.affected_items).max(if b.affected_items > 0 { 2 } else { 0 });
        let direct = len(b.direct).min(affected);
        s.rect(M, y0, M + affected, y1, colour.tint(0.6));
        s.rect(
            M,
            y0,
            M + direct.max(if b.direct > 0 { 2 } else { 0 }),
            y1,
            colour,
        );
        let value = match lang {
            Lang::En => format!(
                "{} of {total} components ({}), {} its own",
                b.affected_items,
                super::pct(lang, b.affected_items, total),
                b.direct
            ),
            Lang::Fr => format!(
                "{} sur {total} composants ({}), dont {} en propre",
                b.affected_items,
                super::pct(lang, b.affected_items, total),
                b.direct
            ),
        };
        let value = font::fit(&value, 12.5, false, f64::from(W - M - (M + BAR_W + 10)));
        s.text(
            M + BAR_W + 10,
            y0 + 16,
            &value,
            12.5,
            false,
            Anchor::Start,
            INK,
        );

        let layers = if b.critical_layers.is_empty() {
            lang.pick(
                "No critical layer reached.",
                "Aucune couche critique atteinte.",
            )
            .to_string()
        } else {
            let names: Vec<String> = b
                .critical_layers
                .iter()
                .map(|l| layer_label(l, lang))
                .collect();
            format!(
                "{} {}",
                lang.pick("Critical layers reached:", "Couches critiques atteintes :"),
                names.join(", ")
            )
        };
        let layers = font::fit(&layers, 12.5, false, max);
        s.text(M, y1 + 20, &layers, 12.5, false, Anchor::Start, MUTED);
        y += ROW;
    }
    y += 4;
    let key = r
        .blast_radius
        .first()
        .map_or(MUTED, |b| countries.colour(&b.controller.country));
    let entries = [
        Entry {
            fill: key,
            pattern: Pattern::Solid,
            text: lang
                .pick("its own components", "ses propres composants")
                .to_string(),
        },
        Entry {
            fill: key.tint(0.6),
            pattern: Pattern::Solid,
            text: lang
                .pick(
                    "components that depend on them",
                    "composants qui en dépendent",
                )
                .to_string(),
        },
        Entry {
            fill: TRACK,
            pattern: Pattern::Solid,
            text: lang.pick("rest of the bid", "reste de l’offre").to_string(),
        },
    ];
    y = s.legend(M, y, W - M, lang.pick("Bar:", "Barre :"), &entries);
    s.h = y + M - 8;
    Chart::new("blast-radius", s)
}
