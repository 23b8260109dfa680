//! What a manifest may not say: checks that run once it has parsed, each refusal
//! placed at the line and column of the key at fault.
//!
//! Country codes are normalised (`ma` → `MA`) and anything else is refused with a
//! suggestion; shares are percentages whose sum per entity stays within 100; a layer is
//! declared once per product; an owner cannot own itself through its own cap table.

use super::{Manifest, Owner};
use crate::country;
use crate::ingest::ReadError;
use std::collections::BTreeMap;
use toml::de::{DeTable, DeValue};

/// Tolerance for shares written with decimals (33.33 + 33.33 + 33.34).
const SHARE_SLACK: f64 = 1e-6;

/// Finds the position of a key path (`bidder.owners[1].share`) in the manifest text.
struct Locator<'t> {
    text: &'t str,
    doc: Option<toml::Spanned<DeTable<'t>>>,
}

impl<'t> Locator<'t> {
    fn new(text: &'t str) -> Self {
        Locator {
            text,
            doc: DeTable::parse(text).ok(),
        }
    }

    /// `line L, column C` of the value at `path`, or the path itself when it cannot be found.
    fn at(&self, path: &str) -> String {
        self.span(path).map_or_else(
            || path.to_string(),
            |start| {
                format!(
                    "{} ({path})",
                    ReadError::line_col(self.text.as_bytes(), start)
                )
            },
        )
    }

    fn span(&self, path: &str) -> Option<usize> {
        let doc = self.doc.as_ref()?;
        let mut table: &DeTable = doc.get_ref();
        let mut value: Option<&toml::Spanned<DeValue>> = None;
        for seg in path.split('.') {
            let (key, index) = match seg.split_once('[') {
                Some((k, rest)) => (k, rest.trim_end_matches(']').parse::<usize>().ok()),
                None => (seg, None),
            };
            if let Some(v) = value {
                table = v.get_ref().as_table()?;
            }
            let (_, v) = table.iter().find(|(k, _)| k.get_ref() == key)?;
            value = Some(v);
            if let Some(i) = index {
                value = Some(v.get_ref().as_array()?.get(i)?);
            }
        }
        value.map(|v| v.span().start)
    }
}

/// The byte offset of a key path (`layers[3].vendor`, `claims.key_custody`) in a manifest's
/// text, where it can be found.
pub fn key_offset(text: &str, path: &str) -> Option<usize> {
    Locator::new(text).span(path)
}

/// Problems found so far, each with its position.
struct Problems<'t> {
    loc: Locator<'t>,
    list: Vec<(String, String)>,
}

impl Problems<'_> {
    fn add(&mut self, path: &str, message: String) {
        self.list.push((self.loc.at(path), message));
    }

    /// Normalise a country code in place, or record why it is refused.
    fn country(&mut self, path: &str, value: &mut String) {
        match country::normalise(value) {
            Ok(c) => *value = c,
            Err(why) => self.add(path, why),
        }
    }

    fn place(&mut self, path: &str, value: &mut String) {
        match country::normalise_place(value) {
            Ok(c) => *value = c,
            Err(why) => self.add(path, why),
        }
    }

    fn percent(&mut self, path: &str, v: f64) {
        if !v.is_finite() || !(0.0..=100.0).contains(&v) {
            self.add(
                path,
                format!("{v} is not a percentage: shares and votes are from 0 to 100"),
            );
        }
    }
}

/// Who an owner is, for cycle detection: its registry id, else its name folded.
fn identity(entity: Option<&str>, name: Option<&str>) -> Option<String> {
    entity
        .map(|e| format!("id:{}", e.trim().to_lowercase()))
        .or_else(|| {
            name.map(|n| {
                let folded: String = n
                    .chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect();
                format!("name:{folded}")
            })
        })
}

/// Check one entity's owners (and theirs, recursively): countries, shares, their sum,
/// and that no owner reappears among its own holders.
fn owners(p: &mut Problems, path: &str, list: &mut [Owner], ancestors: &mut Vec<String>) {
    let (mut sum, mut votes) = (0.0, 0.0);
    for (i, o) in list.iter_mut().enumerate() {
        let here = format!("{path}.owners[{i}]");
        if let Some(c) = o.country.as_mut() {
            p.country(&format!("{here}.country"), c);
        }
        p.percent(&format!("{here}.share"), o.share);
        if let Some(v) = o.votes {
            p.percent(&format!("{here}.votes"), v);
        }
        if o.share.is_finite() {
            sum += o.share;
        }
        if let Some(v) = o.votes.or(Some(o.share)).filter(|v| v.is_finite()) {
            votes += v;
        }
        let id = identity(o.entity.as_deref(), o.name.as_deref());
        if let Some(id) = &id
            && ancestors.contains(id)
        {
            let who = o.name.as_deref().or(o.entity.as_deref()).unwrap_or("?");
            p.add(
                &here,
                format!("\"{who}\" is listed among its own owners (an ownership cycle)"),
            );
            continue;
        }
        ancestors.extend(id.iter().cloned());
        owners(p, &here, &mut o.owners, ancestors);
        if id.is_some() {
            ancestors.pop();
        }
    }
    if votes > 100.0 + SHARE_SLACK && sum <= 100.0 + SHARE_SLACK {
        p.add(
            &format!("{path}.owners[0]"),
            format!(
                "the owners of {path} hold {votes} % of the votes together: votes of one entity cannot add up to more than 100 %"
            ),
        );
    }
    if sum > 100.0 + SHARE_SLACK {
        p.add(
            &format!("{path}.owners[0]"),
            format!(
                "the owners of {path} hold {sum} % together: shares of one entity cannot add up to more than 100 %"
            ),
        );
    }
}

/// How much one manifest may declare: generous for real bids (a cloud stack has a
/// dozen layers), small enough that reports and charts stay readable and bounded.
pub const MAX_LAYERS: usize = 200;
/// SBOM files one layer may list.
pub const MAX_SBOMS_PER_LAYER: usize = 1000;
/// Owners listed for one entity.
pub const MAX_OWNERS: usize = 200;
/// Services declared by the bid.
pub const MAX_SERVICES: usize = 10_000;

fn limits(p: &mut Problems, m: &Manifest) {
    let over = |n: usize, max: usize| n > max;
    if over(m.layers.len(), MAX_LAYERS) {
        p.add(
            &format!("layers[{MAX_LAYERS}]"),
            format!(
                "{} layers: a bid manifest may declare at most {MAX_LAYERS}",
                m.layers.len()
            ),
        );
    }
    for (i, l) in m.layers.iter().enumerate().take(MAX_LAYERS) {
        if over(l.sbom.len(), MAX_SBOMS_PER_LAYER) {
            p.add(
                &format!("layers[{i}].sbom"),
                format!(
                    "{} SBOM files in one layer: at most {MAX_SBOMS_PER_LAYER}",
                    l.sbom.len()
                ),
            );
        }
    }
    if over(m.bidder.owners.len(), MAX_OWNERS) {
        p.add(
            "bidder.owners[0]",
            format!(
                "{} owners: a manifest may list at most {MAX_OWNERS} for one entity",
                m.bidder.owners.len()
            ),
        );
    }
    if over(m.services.len(), MAX_SERVICES) {
        p.add(
            "services[0]",
            format!(
                "{} services: a manifest may declare at most {MAX_SERVICES}",
                m.services.len()
            ),
        );
    }
}

/// Check and normalise a parsed manifest. Every problem is listed; the error's position is
/// the first one's.
pub fn check(file: &str, text: &str, m: &mut Manifest) -> Result<(), ReadError> {
    let mut p = Problems {
        loc: Locator::new(text),
        list: Vec::new(),
    };
    if let Some(c) = m.bidder.country.as_mut() {
        p.country("bidder.country", c);
    }
    let mut ancestors: Vec<String> = identity(m.bidder.entity.as_deref(), m.bidder.name.as_deref())
        .into_iter()
        .collect();
    owners(&mut p, "bidder", &mut m.bidder.owners, &mut ancestors);
    limits(&mut p, m);
    let mut seen: BTreeMap<(super::LayerKind, String), usize> = BTreeMap::new();
    for (i, l) in m.layers.iter_mut().enumerate() {
        for (j, site) in l.sites.iter_mut().enumerate() {
            p.country(
                &format!("layers[{i}].sites[{j}].country"),
                &mut site.country,
            );
        }
        let product = l
            .product
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .unwrap_or_default();
        if let Some(first) = seen.insert((l.layer, product), i) {
            p.add(
                &format!("layers[{i}].layer"),
                format!(
                    "the {} layer is declared twice (layers[{first}] and layers[{i}]) without a product that tells them apart",
                    l.layer.as_str()
                ),
            );
        }
    }
    if let Some(c) = m.claims.data_residency.as_mut() {
        p.place("claims.data_residency", c);
    }
    if let Some(c) = m.claims.operated_from.as_mut() {
        p.place("claims.operated_from", c);
    }
    let mut list = p.list.into_iter();
    let Some((pos, first)) = list.next() else {
        return Ok(());
    };
    let rest: Vec<String> = list.map(|(pos, msg)| format!("{pos}: {msg}")).collect();
    let message = if rest.is_empty() {
        first
    } else {
        format!("{first}; and {} more: {}", rest.len(), rest.join("; "))
    };
    Err(ReadError::new(file, message).at(pos))
}
