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
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// A layer whose control or engines changed (`absent` where the layer is not in a version).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LayerChange {
    pub layer: String,
    pub old_control: String,
    pub new_control: String,
    /// `Name (CC), …` of the layer's engines, `unknown` when none is established.
    pub old_engines: String,
    pub new_engines: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub schema: &'static str,
    pub old: String,
    pub new: String,
    pub verdict: (String, String),
    /// Is the new verdict worse (sovereign < insufficient evidence < local shell < foreign)?
    pub verdict_worse: bool,
    /// Foreign corporate controllers present only in the new version, with the components behind them.
    pub added_foreign_controllers: BTreeMap<String, Vec<String>>,
    pub removed_foreign_controllers: BTreeMap<String, Vec<String>>,
    /// Components whose controller (or its country) changed, including new ones under foreign control.
    pub controller_changes: Vec<Change>,
    pub added_components: usize,
    pub removed_components: usize,
    /// Layers whose control or engines changed.
    pub layer_changes: Vec<LayerChange>,
}

/// How bad a verdict is, for "worse than".
fn rank(verdict: &str) -> u8 {
    match verdict {
        "sovereign" => 0,
        "insufficient-evidence" => 1,
        "local-shell" => 2,
        _ => 3,
    }
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
    for c in r.components.iter() {
        if let Some(k) = &c.controller
            && matches!(k.kind.as_str(), "company" | "state" | "person")
            && !r.home_countries.contains(&k.country)
            && !c.dev_only
        {
            out.entry(format!("{} ({})", k.name, k.country))
                .or_default()
                .insert(key(&c));
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
    let olds: BTreeMap<String, ComponentOut> =
        old.components.iter().map(|c| (key(&c), c)).collect();
    let news: BTreeMap<String, ComponentOut> =
        new.components.iter().map(|c| (key(&c), c)).collect();
    let mut controller_changes = Vec::new();
    for (k, n) in &news {
        let after = controller(n);
        match olds.get(k) {
            Some(o) if controller(o) != after => controller_changes.push(Change {
                component: k.clone(),
                change: "changed",
                old: controller(o),
                new: after,
            }),
            None if after.is_some() => controller_changes.push(Change {
                component: k.clone(),
                change: "added",
                old: None,
                new: after,
            }),
            _ => {}
        }
    }
    for (k, o) in &olds {
        if !news.contains_key(k) && controller(o).is_some() {
            controller_changes.push(Change {
                component: k.clone(),
                change: "removed",
                old: controller(o),
                new: None,
            });
        }
    }
    controller_changes.sort();
    let view = |r: &Report| -> BTreeMap<String, (String, String)> {
        r.layers
            .iter()
            .map(|l| {
                (
                    l.layer.clone(),
                    (
                        l.control.to_string(),
                        l.engines_label().unwrap_or_else(|| "unknown".into()),
                    ),
                )
            })
            .collect()
    };
    let (ol, nl) = (view(old), view(new));
    let absent = ("absent".to_string(), "absent".to_string());
    let mut layer_changes = Vec::new();
    for layer in ol.keys().chain(nl.keys()).collect::<BTreeSet<_>>() {
        let a = ol.get(layer).unwrap_or(&absent);
        let b = nl.get(layer).unwrap_or(&absent);
        if a != b {
            layer_changes.push(LayerChange {
                layer: layer.clone(),
                old_control: a.0.clone(),
                new_control: b.0.clone(),
                old_engines: a.1.clone(),
                new_engines: b.1.clone(),
            });
        }
    }
    Diff {
        schema: "coquille.diff/2",
        old: old.bid.title.clone(),
        new: new.bid.title.clone(),
        verdict: (
            old.summary.verdict.to_string(),
            new.summary.verdict.to_string(),
        ),
        verdict_worse: rank(new.summary.verdict) > rank(old.summary.verdict),
        added_foreign_controllers,
        removed_foreign_controllers,
        controller_changes,
        added_components: news.keys().filter(|k| !olds.contains_key(*k)).count(),
        removed_components: olds.keys().filter(|k| !news.contains_key(*k)).count(),
        layer_changes,
    }
}

/// One line per change, shared by the text and Markdown forms (`esc` escapes each value).
fn lines(d: &Diff, esc: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    let worse = if d.verdict_worse { " (worse)" } else { "" };
    out.push(format!("verdict: {} → {}{worse}", d.verdict.0, d.verdict.1));
    out.push(format!(
        "components: +{} −{}",
        d.added_components, d.removed_components
    ));
    for (k, comps) in &d.added_foreign_controllers {
        out.push(format!(
            "+ foreign controller {} ({} components: {})",
            esc(k),
            comps.len(),
            esc(&comps.iter().take(5).cloned().collect::<Vec<_>>().join(", "))
        ));
    }
    for (k, comps) in &d.removed_foreign_controllers {
        out.push(format!(
            "− foreign controller {} ({} components)",
            esc(k),
            comps.len()
        ));
    }
    for l in &d.layer_changes {
        out.push(format!(
            "layer {}: {} ({}) → {} ({})",
            l.layer,
            l.old_control,
            esc(&l.old_engines),
            l.new_control,
            esc(&l.new_engines)
        ));
    }
    for c in d.controller_changes.iter().take(50) {
        out.push(match c.change {
            "added" => format!(
                "added {}: {}",
                esc(&c.component),
                esc(c.new.as_deref().unwrap_or("unknown"))
            ),
            "removed" => format!(
                "removed {} (was {})",
                esc(&c.component),
                esc(c.old.as_deref().unwrap_or("unknown"))
            ),
            _ => format!(
                "{}: {} → {}",
                esc(&c.component),
                esc(c.old.as_deref().unwrap_or("unknown")),
                esc(c.new.as_deref().unwrap_or("unknown"))
            ),
        });
    }
    if d.controller_changes.len() > 50 {
        out.push(format!(
            "… {} more controller changes (--format json lists them all)",
            d.controller_changes.len() - 50
        ));
    }
    out
}

pub fn text(d: &Diff) -> String {
    use crate::render::escape::terminal as t;
    let mut s = format!("{} → {}\n", t(&d.old), t(&d.new));
    for l in lines(d, &|x| t(x)) {
        s.push_str(&format!("  {l}\n"));
    }
    s
}

/// The diff as a Markdown section (a CI job summary).
pub fn markdown(d: &Diff) -> String {
    use crate::render::escape::markdown as m;
    let mut s = format!("### {} → {}\n\n", m(&d.old), m(&d.new));
    for l in lines(d, &|x| m(x)) {
        s.push_str(&format!("- {l}\n"));
    }
    s
}
