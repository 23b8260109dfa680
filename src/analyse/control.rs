//! Stage 3: who governs each layer.
//!
//! A declared vendor (or, for a data centre, support or SOC, the operator) governs its
//! layer, as the manifest says. Otherwise a layer is governed by what it needs to run:
//! the providers of the online services it calls and the vendors of the proprietary code
//! it runs. A layer that needs neither is open-source code: forkable, so foreign
//! corporate stewards make it `foreign-supply`, never `foreign`. Package counts decide
//! nothing; a layer whose code mostly carries neither an owner nor a licence is `unknown`.

use super::items::is_service_layer;
use super::kinds::Dependency;
use super::licence::LicenceClass;
use super::{Control, Item, LayerView, is_corporate, is_foreign_corporate};
use crate::attribute::{self, Controller};
use crate::ingest::manifest::{LayerKind, Licence};
use crate::registry::Registry;
use std::collections::{BTreeMap, BTreeSet};

/// How many evidence lines a layer's engine cites before it summarises the rest.
const MAX_EVIDENCE: usize = 12;

/// Counts, countries and foreign corporate controllers of a layer's shipped items.
fn tally(l: &mut LayerView, members: &[&Item], home: &BTreeSet<String>) {
    l.items = members.len();
    l.attributed = members.iter().filter(|it| it.attribution.is_some()).count();
    for it in members {
        if let Some(c) = &it.controller {
            *l.by_country.entry(c.country.clone()).or_default() += 1;
            if is_foreign_corporate(c, home) {
                *l.foreign_controllers.entry(c.entity.clone()).or_default() += 1;
            }
        }
    }
}

/// The control a declared vendor gives its layer.
fn declared_control(l: &LayerView, engine: &Controller, home: &BTreeSet<String>) -> Control {
    if !is_corporate(engine) {
        return Control::Community;
    }
    if home.contains(&engine.country) {
        return Control::Home;
    }
    let owned_outright = l.requires_vendor_online == Some(false)
        && matches!(
            l.kind,
            LayerKind::Hardware | LayerKind::Network | LayerKind::Datacenter | LayerKind::Storage
        );
    if l.licence == Some(Licence::OpenSource) || owned_outright {
        Control::ForeignSupply
    } else {
        Control::Foreign
    }
}

/// One line of evidence for a needed item: what it is and why it counts.
fn need_line(it: &Item, c: &Controller) -> String {
    match (&it.service, &it.licence) {
        (Some(s), _) if it.dependency == Dependency::Service => format!(
            "needs the online service {} of {} ({}): {}",
            s.service, c.name, c.country, s.evidence
        ),
        (_, Some(l)) => format!(
            "runs proprietary code {}{} of {} ({}): {}",
            it.name,
            it.version
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default(),
            c.name,
            c.country,
            l.evidence
        ),
        _ => format!("needs {} of {} ({})", it.name, c.name, c.country),
    }
}

/// Controllers ranked: foreign corporate first, then by how many items name them, then id.
fn ranked(
    groups: BTreeMap<String, (usize, Controller)>,
    home: &BTreeSet<String>,
) -> Vec<Controller> {
    let mut v: Vec<(usize, Controller)> = groups.into_values().collect();
    v.sort_by_key(|(n, c)| {
        (
            !is_corporate(c) || home.contains(&c.country),
            std::cmp::Reverse(*n),
            c.entity.clone(),
        )
    });
    v.into_iter().map(|(_, c)| c).collect()
}

/// A layer without a declared vendor: governed by the services and proprietary code it needs.
fn from_needs(l: &mut LayerView, members: &[&Item], home: &BTreeSet<String>) {
    let needed: Vec<&&Item> = members
        .iter()
        .filter(|it| it.dependency.needs_vendor())
        .collect();
    let mut groups: BTreeMap<String, (usize, Controller)> = BTreeMap::new();
    let mut lines = Vec::new();
    let mut unknown = 0;
    for it in &needed {
        match &it.controller {
            Some(c) => {
                groups
                    .entry(c.entity.clone())
                    .or_insert((0, (**c).clone()))
                    .0 += 1;
                lines.push(need_line(it, c));
            }
            None => unknown += 1,
        }
    }
    if !groups.is_empty() {
        l.engines = ranked(groups, home);
        l.engine = l.engines.first().cloned();
        let e = l.engine.as_ref().expect("engines are not empty");
        l.control = if !is_corporate(e) {
            Control::Community
        } else if home.contains(&e.country) {
            Control::Home
        } else {
            Control::Foreign
        };
        lines.sort();
        let more = lines.len().saturating_sub(MAX_EVIDENCE);
        lines.truncate(MAX_EVIDENCE);
        if more > 0 {
            lines.push(format!("… and {more} more"));
        }
        l.engine_evidence = lines;
        if unknown > 0 {
            l.engine_evidence.push(format!(
                "{unknown} more needed services or proprietary items have no known controller"
            ));
        }
        return;
    }
    if unknown > 0 {
        l.control = Control::Unknown;
        l.engine_evidence.push(format!(
            "{unknown} online services or proprietary items are needed, and none has a known controller"
        ));
        return;
    }
    from_code(l, members, home);
}

/// A layer that needs no service and no proprietary code: who stewards its open-source code.
fn from_code(l: &mut LayerView, members: &[&Item], home: &BTreeSet<String>) {
    // Code, not the declared product or a service without a known provider.
    let members: Vec<&Item> = members
        .iter()
        .copied()
        .filter(|it| !matches!(it.dependency, Dependency::Product | Dependency::Service))
        .collect();
    if members.is_empty() {
        l.control = Control::Unknown;
        return;
    }
    let blind = members
        .iter()
        .filter(|it| {
            it.attribution.is_none()
                && it
                    .licence
                    .as_ref()
                    .is_none_or(|x| x.class == LicenceClass::Unknown)
        })
        .count();
    if blind * 2 > members.len() {
        l.control = Control::Unknown;
        l.engine_evidence.push(format!(
            "{blind} of {} components carry neither an established owner nor a licence",
            members.len()
        ));
        return;
    }
    let open = members
        .iter()
        .filter(|it| it.dependency == Dependency::OpenSource)
        .count();
    let foreign = |c: &Controller| is_foreign_corporate(c, home);
    let mut stewards: BTreeMap<String, (usize, Controller)> = BTreeMap::new();
    let mut unlicensed_foreign = 0;
    for it in &members {
        let Some(c) = &it.controller else { continue };
        let open = it
            .licence
            .as_ref()
            .is_some_and(|l| l.class == LicenceClass::OpenSource);
        if open || !foreign(c) {
            stewards
                .entry(c.entity.clone())
                .or_insert((0, (**c).clone()))
                .0 += 1;
        } else if it.dependency == Dependency::LicenceUnknown {
            unlicensed_foreign += 1;
        }
    }
    let counts: BTreeMap<String, usize> = stewards.iter().map(|(k, v)| (k.clone(), v.0)).collect();
    let ranked = ranked(stewards, home);
    let foreign_stewards: Vec<Controller> = ranked.iter().filter(|c| foreign(c)).cloned().collect();
    l.engine_evidence.push(format!(
        "{open} of {} components are under open-source licences: they run without their authors' consent",
        members.len()
    ));
    if !foreign_stewards.is_empty() {
        for c in foreign_stewards.iter().take(MAX_EVIDENCE) {
            l.engine_evidence.push(format!(
                "{} open-source components stewarded by {} ({})",
                counts.get(&c.entity).copied().unwrap_or(0),
                c.name,
                c.country
            ));
        }
        l.engines = foreign_stewards;
        l.engine = l.engines.first().cloned();
        l.control = Control::ForeignSupply;
        return;
    }
    if unlicensed_foreign > 0 {
        // Code from a foreign company whose licence nobody states may be proprietary.
        l.control = Control::Unknown;
        l.engine_evidence.push(format!(
            "{unlicensed_foreign} components from foreign companies carry no licence: whether they run without their vendor is not established"
        ));
        return;
    }
    l.engine = ranked.first().cloned();
    l.engines = l.engine.iter().cloned().collect();
    l.control = match &l.engine {
        Some(e) if is_corporate(e) && home.contains(&e.country) => Control::Home,
        _ => Control::Community,
    };
}

/// The declaration that governs a layer: its vendor, or a service layer's operator.
pub fn declared_governor(l: &LayerView) -> Option<&crate::attribute::Attribution> {
    l.vendor.as_ref().or(if is_service_layer(l.kind) {
        l.operator.as_ref()
    } else {
        None
    })
}

/// Decide the engine and control of every layer.
pub fn decide(reg: &Registry, home: &BTreeSet<String>, layers: &mut [LayerView], items: &[Item]) {
    let mut members: Vec<Vec<&Item>> = vec![Vec::new(); layers.len()];
    // What ships decides who controls a layer: dev-only items are listed, not counted.
    for it in items.iter().filter(|it| !it.dev_only) {
        members[it.layer].push(it);
    }
    for (l, members) in layers.iter_mut().zip(members) {
        tally(l, &members, home);
        if let Some(v) = declared_governor(l).cloned() {
            l.engine = attribute::controller(reg, &v.entity);
            l.engines = l.engine.iter().cloned().collect();
            l.engine_evidence
                .push(format!("declared vendor: {}", v.evidence(reg)));
            l.control = match &l.engine {
                None => Control::Unknown,
                Some(e) => declared_control(l, e, home),
            };
        } else {
            from_needs(l, &members, home);
        }
        if let Some(e) = &l.engine
            && let Some(top) = attribute::chain(reg, &e.entity).first()
        {
            l.engine_evidence
                .push(format!("{} {}", top.name, top.citation()));
        }
    }
}
