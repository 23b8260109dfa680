//! `coquille diff OLD NEW`: what changed in control between two versions of
//! a deliverable — the "control change" SecNumCloud §19.6 f and decree
//! 2-24-921 art. 11 ask to be notified.

use crate::registry::normalize;
use crate::report::{ComponentOut, Report};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub component: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub old: String,
    pub new: String,
    pub verdict: (String, String),
    /// Foreign corporate controllers present only in the new version, with the components behind them.
    pub added_foreign_controllers: BTreeMap<String, Vec<String>>,
    pub removed_foreign_controllers: BTreeMap<String, Vec<String>>,
    /// Components whose controller (or its country) changed, including new ones under foreign control.
    pub controller_changes: Vec<Change>,
    pub added_components: usize,
    pub removed_components: usize,
    /// Layers whose control changed: (layer, old control, new control).
    pub layer_changes: Vec<(String, String, String)>,
}

impl Diff {
    /// Did something foreign arrive?
    pub fn adds_foreign(&self) -> bool {
        !self.added_foreign_controllers.is_empty()
    }
}

/// A component's identity across versions: its purl without version, else type and name.
fn key(c: &ComponentOut) -> String {
    c.purl
        .as_deref()
        .and_then(normalize::purl_key)
        .unwrap_or_else(|| format!("{}:{}", c.kind, c.name))
}

fn controller(c: &ComponentOut) -> Option<String> {
    c.controller
        .as_ref()
        .map(|k| format!("{} ({})", k.name, k.country))
}

fn foreign_by_controller(r: &Report) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for c in &r.components {
        if let Some(k) = &c.controller
            && matches!(k.kind.as_str(), "company" | "state" | "person")
            && !r.home_countries.contains(&k.country)
            && !c.dev_only
        {
            out.entry(format!("{} ({})", k.name, k.country))
                .or_default()
                .insert(key(c));
        }
    }
    out.into_iter()
        .map(|(k, v)| (k, v.into_iter().collect()))
        .collect()
}

pub fn diff(old: &Report, new: &Report) -> Diff {
    let (fo, fn_) = (foreign_by_controller(old), foreign_by_controller(new));
    let added_foreign_controllers = fn_
        .iter()
        .filter(|(k, _)| !fo.contains_key(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let removed_foreign_controllers = fo
        .iter()
        .filter(|(k, _)| !fn_.contains_key(*k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let olds: BTreeMap<String, &ComponentOut> =
        old.components.iter().map(|c| (key(c), c)).collect();
    let news: BTreeMap<String, &ComponentOut> =
        new.components.iter().map(|c| (key(c), c)).collect();
    let mut controller_changes = Vec::new();
    for (k, n) in &news {
        let before = olds.get(k).and_then(|o| controller(o));
        let after = controller(n);
        let newly_attributed_new_component = !olds.contains_key(k) && after.is_some();
        if (olds.contains_key(k) && before != after) || newly_attributed_new_component {
            controller_changes.push(Change {
                component: k.clone(),
                old: before,
                new: after,
            });
        }
    }
    for (k, o) in &olds {
        if !news.contains_key(k) && controller(o).is_some() {
            controller_changes.push(Change {
                component: k.clone(),
                old: controller(o),
                new: None,
            });
        }
    }
    controller_changes.sort();
    let ol: BTreeMap<&str, &str> = old
        .layers
        .iter()
        .map(|l| (l.layer.as_str(), l.control))
        .collect();
    let nl: BTreeMap<&str, &str> = new
        .layers
        .iter()
        .map(|l| (l.layer.as_str(), l.control))
        .collect();
    let mut layer_changes = Vec::new();
    for layer in ol.keys().chain(nl.keys()).collect::<BTreeSet<_>>() {
        let (a, b) = (
            ol.get(layer).copied().unwrap_or("absent"),
            nl.get(layer).copied().unwrap_or("absent"),
        );
        if a != b {
            layer_changes.push((layer.to_string(), a.to_string(), b.to_string()));
        }
    }
    Diff {
        schema: "coquille.diff/1",
        old: old.bid.title.clone(),
        new: new.bid.title.clone(),
        verdict: (
            old.summary.verdict.to_string(),
            new.summary.verdict.to_string(),
        ),
        added_foreign_controllers,
        removed_foreign_controllers,
        controller_changes,
        added_components: news.keys().filter(|k| !olds.contains_key(*k)).count(),
        removed_components: olds.keys().filter(|k| !news.contains_key(*k)).count(),
        layer_changes,
    }
}

pub fn text(d: &Diff) -> String {
    use crate::render::escape::terminal as t;
    let mut s = format!("{} → {}\n", t(&d.old), t(&d.new));
    s.push_str(&format!("  verdict: {} → {}\n", d.verdict.0, d.verdict.1));
    s.push_str(&format!(
        "  components: +{} −{}\n",
        d.added_components, d.removed_components
    ));
    for (k, comps) in &d.added_foreign_controllers {
        s.push_str(&format!(
            "  + foreign controller {} ({} components: {})\n",
            t(k),
            comps.len(),
            t(&comps.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
        ));
    }
    for (k, comps) in &d.removed_foreign_controllers {
        s.push_str(&format!(
            "  − foreign controller {} ({} components)\n",
            t(k),
            comps.len()
        ));
    }
    for (l, a, b) in &d.layer_changes {
        s.push_str(&format!("  layer {l}: {a} → {b}\n"));
    }
    for c in d.controller_changes.iter().take(50) {
        s.push_str(&format!(
            "  {}: {} → {}\n",
            t(&c.component),
            t(c.old.as_deref().unwrap_or("none")),
            t(c.new.as_deref().unwrap_or("none"))
        ));
    }
    if d.controller_changes.len() > 50 {
        s.push_str(&format!(
            "  … {} more controller changes (--format json lists them all)\n",
            d.controller_changes.len() - 50
        ));
    }
    s
}
