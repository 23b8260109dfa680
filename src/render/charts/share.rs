//! The engine share: the bid's components by the country of their ultimate
//! controller, with the unattributed ones as "unknown", as horizontal bars on
//! a 0–100 % scale.

use super::font;
use super::palette::{Countries, INK, MUTED, RULE, UNKNOWN};
use super::scene::{Anchor, Scene};
use super::{Chart, Lang};
use crate::report::Report;

const W: i32 = 900;
const M: i32 = 24;
const LABEL_X: i32 = 156;
const BAR_X: i32 = 168;
const BAR_W: i32 = 560;
const ROW: i32 = 32;
const BAR_H: i32 = 22;

pub fn engine_share(r: &Report, lang: Lang) -> Chart {
    let title = lang.pick(
        "Who controls the components: share by country",
        "Qui contrôle les composants : part par pays",
    );
    let mut s = Scene::new(W, title);
    let countries = Countries::of(r);
    let total = r.summary.components;
    let sub = match lang {
        Lang::En => format!("{total} components, by the country of their ultimate controller"),
        Lang::Fr => format!("{total} composants, par pays de leur contrôleur ultime"),
    };
    let mut y = s.heading(M, &[r.bid.title.clone(), sub]);

    // Rows: countries by count (descending), then code; unknown last.
    let mut rows: Vec<(String, usize, bool)> = r
        .summary
        .by_country
        .iter()
        .map(|(c, n)| (c.clone(), *n, false))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.push((
        lang.pick("unknown", "inconnu").to_string(),
        r.summary.unknown,
        true,
    ));

    // Scale: ticks at every quarter.
    y += 4;
    for q in 0..=4 {
        let x = BAR_X + BAR_W * q / 4;
        s.text(
            x,
            y + 10,
            &super::pct(lang, q as usize, 4)
                .replace(",0", "")
                .replace(".0", ""),
            11.0,
            false,
            Anchor::Middle,
            MUTED,
        );
    }
    y += 18;
    let top = y;
    let bottom = top + ROW * rows.len() as i32;
    for q in 0..=4 {
        let x = BAR_X + BAR_W * q / 4;
        s.rect(x, top, x + 1, bottom, RULE);
    }

    for (name, n, unknown) in &rows {
        let label = if *unknown {
            name.clone()
        } else if countries.is_home(name) {
            format!("{name} ({})", lang.pick("home", "national"))
        } else {
            name.clone()
        };
        let label = font::fit(&label, 14.0, true, f64::from(LABEL_X - M));
        s.text(LABEL_X, y + 21, &label, 14.0, true, Anchor::End, INK);
        let colour = if *unknown {
            UNKNOWN
        } else {
            countries.colour(name)
        };
        let len = if total == 0 {
            0
        } else {
            ((*n as f64 / total as f64) * f64::from(BAR_W)).round() as i32
        };
        let (y0, y1) = (y + (ROW - BAR_H) / 2, y + (ROW - BAR_H) / 2 + BAR_H);
        if *n > 0 {
            s.rect(BAR_X, y0, BAR_X + len.max(2), y1, colour);
        }
        let value = format!("{} · {n}", super::pct(lang, *n, total));
        s.text(
            BAR_X + len.max(2) + 8,
            y + 21,
            &value,
            13.0,
            false,
            Anchor::Start,
            INK,
        );
        y += ROW;
    }
    y += 24;
    let note = lang.pick(
        "A country counts the components of the companies, foundations and communities it controls. Unknown: components the registry could not attribute.",
        "Un pays compte les composants des sociétés, fondations et communautés qu’il contrôle. Inconnu : composants que le registre n’a pu attribuer.",
    );
    for line in font::wrap(note, 12.0, false, f64::from(W - 2 * M), 2) {
        s.text(M, y, &line, 12.0, false, Anchor::Start, MUTED);
        y += 17;
    }
    s.h = y + M - 12;
    Chart::new("engine-share", s)
}
