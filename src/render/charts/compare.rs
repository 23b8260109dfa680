//! Bids side by side: one column per bid, one row per critical layer (the
//! same row is the same layer in every column), each box coloured by who
//! controls the layer, the verdict under each column.

use super::font;
use super::palette::{self, HOME, INK, MUTED, RULE, UNKNOWN, VERMILLION};
use super::scene::{Anchor, Entry, Pattern, Scene};
use super::{Chart, Lang, control_label, is_operations, layer_label, layer_rank, verdict_label};
use crate::report::{LayerOut, Report};

const M: i32 = 24;
const LABEL_X: i32 = 206;
const COLS_X: i32 = 218;
const ROW: i32 = 36;
const GAP: i32 = 4;

pub fn comparison(rs: &[Report], lang: Lang) -> Chart {
    let title = lang.pick(
        "Bids compared: who controls the critical layers",
        "Offres comparées : qui contrôle les couches critiques",
    );
    let n = rs.len().max(1) as i32;
    let col_w = match n {
        1..=4 => 220,
        5..=6 => 170,
        _ => 150,
    };
    let w = (COLS_X + n * col_w + M).max(760);
    let mut s = Scene::new(w, title);
    let home = rs.first().map(|r| r.home.as_str()).unwrap_or("");
    let sub = match lang {
        Lang::En => format!(
            "Colour: who controls each critical layer, seen from {home}; the verdict under each bid"
        ),
        Lang::Fr => format!(
            "Couleur : qui contrôle chaque couche critique, vu de {home} ; le verdict sous chaque offre"
        ),
    };
    let mut y = s.heading(M, &[sub]);

    // Rows: every critical layer of any bid, top of the stack first.
    let mut rows: Vec<&str> = rs
        .iter()
        .flat_map(|r| {
            r.layers
                .iter()
                .filter(|l| l.critical)
                .map(|l| l.layer.as_str())
        })
        .collect();
    rows.sort_by(|a, b| layer_rank(b).cmp(&layer_rank(a)).then_with(|| a.cmp(b)));
    rows.dedup();

    // Column headers: the bid's id and title.
    for (i, r) in rs.iter().enumerate() {
        let cx = COLS_X + i as i32 * col_w;
        let inner = f64::from(col_w - 12);
        let id = font::fit(&r.bid.id, 14.0, true, inner);
        s.text(cx + col_w / 2, y + 4, &id, 14.0, true, Anchor::Middle, INK);
        let name = r.bid.title.split(" — ").next().unwrap_or(&r.bid.title);
        let name = font::fit(name, 11.5, false, inner);
        s.text(
            cx + col_w / 2,
            y + 21,
            &name,
            11.5,
            false,
            Anchor::Middle,
            MUTED,
        );
    }
    y += 34;
    if rs.is_empty() {
        s.text(
            M,
            y + 16,
            lang.pick("No bid to compare.", "Aucune offre à comparer."),
            15.0,
            false,
            Anchor::Start,
            MUTED,
        );
        y += 30;
    }

    let ops = rows.iter().filter(|l| is_operations(l)).count();
    for (ri, layer) in rows.iter().enumerate() {
        if ops > 0 && ri == ops {
            y += 5;
            s.rect(M, y, w - M, y + 1, RULE);
            y += 8;
        }
        let name = font::fit(
            &layer_label(layer, lang),
            14.0,
            true,
            f64::from(LABEL_X - M),
        );
        s.text(LABEL_X, y + 23, &name, 14.0, true, Anchor::End, INK);
        for (i, r) in rs.iter().enumerate() {
            let cx = COLS_X + i as i32 * col_w;
            let (x0, x1) = (cx + 6, cx + col_w - 6);
            let found: Option<&LayerOut> =
                r.layers.iter().find(|l| l.critical && l.layer == *layer);
            match found {
                Some(l) => {
                    let fill = palette::control(l.control);
                    s.band((x0, y, x1, y + ROW), fill, Pattern::of(l.control));
                    let room = f64::from(x1 - x0 - 16);
                    let who = match &l.engine {
                        Some(e) => named(&e.name, &e.country, room),
                        None => control_label(l.control, lang),
                    };
                    s.text_on(
                        (x0 + x1) / 2,
                        y + 23,
                        &who,
                        12.5,
                        false,
                        Anchor::Middle,
                        fill,
                    );
                }
                None => {
                    s.frame((x0, y, x1, y + ROW), 1, RULE, true);
                    s.text(
                        (x0 + x1) / 2,
                        y + 23,
                        lang.pick("not in this bid", "absente de l’offre"),
                        12.0,
                        false,
                        Anchor::Middle,
                        MUTED,
                    );
                }
            }
        }
        y += ROW + GAP;
    }

    // Under each column: the verdict, and how many critical layers are foreign.
    y += 8;
    let chip = |r: &Report| {
        font::wrap(
            &verdict_label(r.summary.verdict, lang),
            13.5,
            true,
            f64::from(col_w - 24),
            2,
        )
    };
    // Every chip as tall as the tallest, so the lines under them align.
    let most = rs.iter().map(|r| chip(r).len()).max().unwrap_or(1) as i32;
    let h = 12 + 18 * most;
    let mut bottom = y;
    for (i, r) in rs.iter().enumerate() {
        let cx = COLS_X + i as i32 * col_w;
        let (x0, x1) = (cx + 6, cx + col_w - 6);
        let fill = match r.summary.verdict {
            "sovereign" => HOME,
            "local-shell" | "foreign" => VERMILLION,
            _ => UNKNOWN,
        };
        let lines = chip(r);
        s.rect(x0, y, x1, y + h, fill);
        // Centred vertically in the chip.
        let mut ty = y + 20 + 9 * (most - lines.len() as i32);
        for l in &lines {
            s.text((x0 + x1) / 2, ty, l, 13.5, true, Anchor::Middle, fill.ink());
            ty += 18;
        }
        let critical = r.layers.iter().filter(|l| l.critical).count();
        let foreign = r
            .layers
            .iter()
            .filter(|l| l.critical && l.control == "foreign")
            .count();
        let count = match lang {
            Lang::En => format!("foreign: {foreign} of {critical} critical layers"),
            Lang::Fr => format!("étrangères : {foreign} sur {critical} couches critiques"),
        };
        let count = font::fit(&count, 12.0, false, f64::from(col_w - 8));
        s.text(
            (x0 + x1) / 2,
            y + h + 18,
            &count,
            12.0,
            false,
            Anchor::Middle,
            MUTED,
        );
        bottom = bottom.max(y + h + 26);
    }
    y = bottom + 14;

    let entries: Vec<Entry> = ["home", "foreign", "foreign-supply", "community", "unknown"]
        .into_iter()
        .map(|c| Entry {
            fill: palette::control(c),
            pattern: Pattern::of(c),
            text: match c {
                "home" => format!("{} ({home})", control_label(c, lang)),
                _ => control_label(c, lang),
            },
        })
        .collect();
    y = s.legend(M, y, w - M, lang.pick("Control:", "Contrôle :"), &entries);
    s.h = y + M - 8;
    Chart::new("comparison", s)
}

/// "Name (CC)" in `room` pixels: the name is shortened, never the country.
fn named(name: &str, country: &str, room: f64) -> String {
    let name = short(&super::scene::clean(name));
    if !palette::known(country) {
        return font::fit(&name, 12.5, false, room);
    }
    let suffix = format!(" ({})", super::scene::clean(country));
    let left = room - font::width(&suffix, 12.5, false);
    format!("{}{suffix}", font::fit(&name, 12.5, false, left.max(24.0)))
}

/// A company name without its legal form, to fit a narrow box.
fn short(name: &str) -> String {
    const FORMS: [&str; 13] = [
        ", Inc.",
        " Inc.",
        " Corporation",
        " Corp.",
        " Company",
        " SA",
        " SARL",
        " SAS",
        " Oyj",
        " plc",
        " GmbH",
        " AG",
        " Ltd",
    ];
    let mut out = name.trim().to_string();
    for f in FORMS {
        if let Some(stripped) = out.strip_suffix(f) {
            out = stripped.trim_end_matches(',').to_string();
            break;
        }
    }
    if out.is_empty() {
        name.to_string()
    } else {
        out
    }
}
