//! Stage 6: the bid graph and, per foreign corporate controller, what stops if it withdraws.

use super::{Blast, Item, LayerView, is_foreign_corporate};
use crate::attribute::Controller;
use crate::graph::BidGraph;
use crate::ingest::manifest::LayerKind;
use crate::model::RelationKind;
use std::collections::{BTreeMap, BTreeSet};

/// Rank in the stack: a layer runs on the present layers of the nearest lower rank.
fn rank(k: LayerKind) -> Option<u8> {
    Some(match k {
        LayerKind::Datacenter => 0,
        LayerKind::Hardware | LayerKind::Network => 1,
        LayerKind::Hypervisor => 2,
        LayerKind::Os => 3,
        LayerKind::Compute => 3,
        LayerKind::Storage | LayerKind::Database | LayerKind::Iam | LayerKind::Kms => 4,
        LayerKind::Messaging => 4,
        LayerKind::ControlPlane | LayerKind::Paas => 5,
        LayerKind::Ai | LayerKind::Saas | LayerKind::Application => 6,
        LayerKind::Support | LayerKind::Soc | LayerKind::Telemetry | LayerKind::Other => {
            return None;
        }
    })
}

/// Items need items (dependencies, containment); layers hold the items nothing else needs;
/// layers run on the nearest lower rank.
pub fn graph(
    layers: &[LayerView],
    items: &[Item],
    relations: &[(usize, usize, RelationKind)],
) -> BidGraph {
    let mut g = BidGraph::new(layers.len(), items.len());
    for &(a, b, k) in relations {
        if matches!(
            k,
            RelationKind::DependsOn
                | RelationKind::Contains
                | RelationKind::OptionalDependsOn
                | RelationKind::BuildDependsOn
        ) {
            g.item_needs(a, b);
        }
    }
    for (i, it) in items.iter().enumerate() {
        if !g.has_dependents(i) {
            g.layer_has(it.layer, i);
        }
    }
    let ranks: Vec<Option<u8>> = layers.iter().map(|l| rank(l.kind)).collect();
    for (u, ru) in ranks.iter().enumerate() {
        let Some(ru) = ru else { continue };
        let below = ranks.iter().filter_map(|r| r.filter(|r| r < ru)).max();
        if let Some(b) = below {
            for (l, rl) in ranks.iter().enumerate() {
                if *rl == Some(b) {
                    g.layer_runs_on(u, l);
                }
            }
        }
    }
    g
}

fn layer_names(layers: &[LayerView], ls: impl Iterator<Item = usize>) -> Vec<String> {
    ls.map(|l| layers[l].kind.as_str().to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Reverse reachability from the items of each foreign corporate controller.
pub fn radius(
    g: &BidGraph,
    home: &BTreeSet<String>,
    layers: &[LayerView],
    items: &[Item],
) -> Vec<Blast> {
    let mut by_ctl: BTreeMap<String, (Controller, Vec<usize>)> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        if let Some(c) = &it.controller
            && is_foreign_corporate(c, home)
        {
            by_ctl
                .entry(c.entity.clone())
                .or_insert_with(|| ((**c).clone(), Vec::new()))
                .1
                .push(i);
        }
    }
    let (controllers, groups): (Vec<Controller>, Vec<Vec<usize>>) = by_ctl.into_values().unzip();
    let reached = g.dependents_of_groups(&groups);
    let mut out: Vec<Blast> = controllers
        .into_iter()
        .zip(groups)
        .zip(reached)
        .map(|((controller, direct), (its, ls))| Blast {
            controller,
            direct: direct.len(),
            affected_items: its,
            affected_layers: layer_names(layers, ls.iter().copied()),
            critical_layers: layer_names(
                layers,
                ls.iter().copied().filter(|&l| layers[l].critical),
            ),
        })
        .collect();
    out.sort_by(|a, b| {
        b.affected_items
            .cmp(&a.affected_items)
            .then(a.controller.entity.cmp(&b.controller.entity))
    });
    out
}
