//! Colours: the Okabe–Ito palette, safe for the common colour-vision
//! deficiencies. The home country is always blue, unknown always grey; foreign
//! countries take the remaining colours in order of weight in the report.

use crate::report::Report;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

pub(crate) const WHITE: Rgb = Rgb(0xFF, 0xFF, 0xFF);
pub(crate) const INK: Rgb = Rgb(0x1A, 0x1A, 0x1A);
pub(crate) const MUTED: Rgb = Rgb(0x55, 0x55, 0x55);
pub(crate) const RULE: Rgb = Rgb(0xCC, 0xCC, 0xCC);
pub(crate) const HOME: Rgb = Rgb(0x00, 0x72, 0xB2);
pub(crate) const UNKNOWN: Rgb = Rgb(0xA0, 0xA0, 0xA0);
pub(crate) const VERMILLION: Rgb = Rgb(0xD5, 0x5E, 0x00);
pub(crate) const ORANGE: Rgb = Rgb(0xE6, 0x9F, 0x00);
pub(crate) const GREEN: Rgb = Rgb(0x00, 0x9E, 0x73);
const PURPLE: Rgb = Rgb(0xCC, 0x79, 0xA7);
const YELLOW: Rgb = Rgb(0xF0, 0xE4, 0x42);
const SKY: Rgb = Rgb(0x56, 0xB4, 0xE9);
const BLACK: Rgb = Rgb(0x00, 0x00, 0x00);

/// Colours for foreign countries, most weighty first; past the end, black.
const FOREIGN: [Rgb; 6] = [VERMILLION, ORANGE, PURPLE, GREEN, YELLOW, SKY];

/// Colour of a control value (the comparison chart).
pub(crate) fn control(control: &str) -> Rgb {
    match control {
        "home" => HOME,
        "foreign" => VERMILLION,
        "foreign-supply" => ORANGE,
        "community" => GREEN,
        _ => UNKNOWN,
    }
}

impl Rgb {
    #[cfg(test)]
    pub(crate) fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Black or white, whichever contrasts more with this colour.
    pub(crate) fn ink(self) -> Rgb {
        let l = self.luminance();
        if (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.05) {
            WHITE
        } else {
            INK
        }
    }

    /// This colour mixed with white: `amount` 0 keeps it, 1 gives white.
    pub(crate) fn tint(self, amount: f64) -> Rgb {
        let m = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * amount).round() as u8;
        Rgb(m(self.0), m(self.1), m(self.2))
    }
}

/// The colour of each country in one report (or several).
#[derive(Debug, Clone)]
pub(crate) struct Countries {
    home: BTreeSet<String>,
    foreign: BTreeMap<String, Rgb>,
    /// Foreign countries, most weighty first.
    pub(crate) ranked: Vec<String>,
}

impl Countries {
    pub(crate) fn of(r: &Report) -> Countries {
        Countries::of_all(std::slice::from_ref(r))
    }

    /// Foreign countries are ranked by the components they control, then by
    /// the layer engines and blast radii they appear in, then by code.
    pub(crate) fn of_all(rs: &[Report]) -> Countries {
        let mut home: BTreeSet<String> = BTreeSet::new();
        let mut weight: BTreeMap<String, usize> = BTreeMap::new();
        for r in rs {
            home.insert(r.home.clone());
            home.extend(r.home_countries.iter().cloned());
        }
        for r in rs {
            for (c, n) in &r.summary.by_country {
                *weight.entry(c.clone()).or_default() += n;
            }
            for l in &r.layers {
                if let Some(e) = &l.engine {
                    *weight.entry(e.country.clone()).or_default() += 1;
                }
            }
            for b in &r.blast_radius {
                weight.entry(b.controller.country.clone()).or_default();
            }
        }
        let mut ranked: Vec<(String, usize)> = weight
            .into_iter()
            .filter(|(c, _)| !home.contains(c) && known(c))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let ranked: Vec<String> = ranked.into_iter().map(|(c, _)| c).collect();
        let foreign = ranked
            .iter()
            .enumerate()
            .map(|(i, c)| (c.clone(), FOREIGN.get(i).copied().unwrap_or(BLACK)))
            .collect();
        Countries {
            home,
            foreign,
            ranked,
        }
    }

    pub(crate) fn is_home(&self, country: &str) -> bool {
        self.home.contains(country)
    }

    pub(crate) fn colour(&self, country: &str) -> Rgb {
        if self.home.contains(country) {
            HOME
        } else {
            self.foreign.get(country).copied().unwrap_or(UNKNOWN)
        }
    }
}

/// Whether a country value names a country (not empty, not a placeholder).
pub(crate) fn known(country: &str) -> bool {
    !country.trim().is_empty() && !matches!(country, "?" | "unknown" | "ZZ" | "XX")
}
