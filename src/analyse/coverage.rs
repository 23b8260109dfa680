//! Stage 7: how much could be attributed, how much carries licence evidence, and the
//! most frequent unknowns.

use super::{Coverage, Item};
use crate::registry::normalize;
use std::collections::BTreeMap;

/// The purl namespace (or the name) an unknown item is counted under.
fn unknown_key(it: &Item) -> String {
    it.purl
        .as_deref()
        .and_then(normalize::purl_key)
        .map(|k| match k.rsplit_once('/') {
            Some((ns, _)) if ns.matches('/').count() >= 1 => ns.to_string(),
            _ => k,
        })
        .unwrap_or_else(|| it.name.clone())
}

pub fn measure(items: &[Item]) -> Coverage {
    let mut unknown_names: BTreeMap<String, usize> = BTreeMap::new();
    for it in items.iter().filter(|i| i.attribution.is_none()) {
        *unknown_names.entry(unknown_key(it)).or_default() += 1;
    }
    let mut top_unknown: Vec<(String, usize)> = unknown_names.into_iter().collect();
    top_unknown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_unknown.truncate(10);
    let attributed = items.iter().filter(|i| i.attribution.is_some()).count();
    let mut by_dependency: BTreeMap<&'static str, usize> = BTreeMap::new();
    for it in items {
        *by_dependency.entry(it.dependency.as_str()).or_default() += 1;
    }
    Coverage {
        items: items.len(),
        attributed,
        unknown: items.len() - attributed,
        ratio: if items.is_empty() {
            0.0
        } else {
            attributed as f64 / items.len() as f64
        },
        top_unknown,
        by_dependency,
    }
}
