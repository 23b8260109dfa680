//! Exposures and claims versus evidence, as findings with evidence.

use super::{Analysis, Control, LayerView};
use crate::attribute;
use crate::ingest::manifest::{KeyModel, LayerKind, Manifest};
use crate::policy::{Finding, Severity};
use crate::registry::{EntityKind, Registry};
use std::collections::{BTreeMap, BTreeSet};

fn laws(reg: &Registry, countries: &[String], effect: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in countries {
        for l in reg.laws(c, effect) {
            out.push(
                format!("{} ({}): {} {}", l.name, l.jurisdiction, l.citation, l.url)
                    .trim_end()
                    .to_string(),
            );
        }
    }
    out
}

fn layer_evidence(l: &LayerView) -> Vec<String> {
    let mut ev: Vec<String> = l.origin.iter().map(|o| format!("{o}")).collect();
    ev.extend(l.engine_evidence.iter().cloned());
    ev
}

fn chain_countries(reg: &Registry, entity: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for link in attribute::chain(reg, entity) {
        if !link.controls {
            break;
        }
        if !out.contains(&link.country) {
            out.push(link.country);
        }
    }
    out
}

fn key_model(k: Option<KeyModel>) -> &'static str {
    match k {
        Some(KeyModel::Provider) => "provider-managed",
        Some(KeyModel::Byok) => "bring-your-own-key (BYOK)",
        Some(KeyModel::Hyok) => "hold-your-own-key (HYOK)",
        None => "no",
    }
}

fn is_data_layer(k: LayerKind) -> bool {
    !matches!(k, LayerKind::Support | LayerKind::Soc)
}

pub fn findings(
    reg: &Registry,
    m: Option<&Manifest>,
    manifest_file: &str,
    a: &Analysis,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let home = &a.home;
    let foreign = |c: &str| a.is_foreign(c);

    if a.face.local == Some(false) {
        let ctl = a
            .face
            .controller
            .as_ref()
            .expect("a foreign face has a controller");
        let chain: Vec<String> = a
            .face
            .chain
            .iter()
            .map(|l| format!("{} ({}) per {}", l.name, l.country, l.source))
            .collect();
        out.push(
            Finding::new(
                "foreign-bidder",
                format!(
                    "The bidder {} is controlled by {} ({}), outside {home}.",
                    a.face.bidder_name, ctl.name, ctl.country
                ),
            )
            .evidence(chain),
        );
    }

    for l in &a.layers {
        let name = l.kind.as_str();
        let Some(engine) = &l.engine else {
            if l.critical && (l.declared || l.items > 0) {
                out.push(
                    Finding::new("unknown-layer-control", format!("The controller of the {name} layer could not be established ({} of {} components attributed).", l.attributed, l.items))
                        .layer(name)
                        .evidence(l.origin.iter().map(|o| o.to_string())),
                );
            }
            continue;
        };
        let countries = chain_countries(reg, &engine.entity);
        match l.control {
            Control::Foreign => {
                let sev = if l.critical {
                    Severity::Deny
                } else {
                    Severity::Warn
                };
                out.push(
                    Finding::new(
                        "foreign-critical-layer",
                        format!(
                            "The {name} layer is controlled by {} ({}){}.",
                            engine.name,
                            engine.country,
                            if l.critical {
                                ""
                            } else {
                                " (not a critical layer)"
                            }
                        ),
                    )
                    .severity(sev)
                    .layer(name)
                    .evidence(layer_evidence(l)),
                );
                if l.requires_vendor_online == Some(true) {
                    out.push(
                        Finding::new("kill-switch", format!("The {name} layer ({}) stops or degrades without {}'s online services.", l.product.as_deref().unwrap_or(name), engine.name))
                            .layer(name)
                            .evidence(l.origin.iter().map(|o| format!("{o}.requires_vendor_online = true"))),
                    );
                }
            }
            Control::ForeignSupply if l.critical => {
                out.push(
                    Finding::new(
                        "foreign-supply",
                        format!(
                            "The {name} layer comes from {} ({}) but runs without its vendor ({}).",
                            engine.name,
                            engine.country,
                            if l.licence == Some(crate::ingest::manifest::Licence::OpenSource) {
                                "open source"
                            } else {
                                "no online dependency declared"
                            }
                        ),
                    )
                    .layer(name)
                    .evidence(layer_evidence(l)),
                );
            }
            Control::Home if !l.foreign_controllers.is_empty() => {
                let names: Vec<String> = l
                    .foreign_controllers
                    .iter()
                    .map(|(id, n)| {
                        let e = reg.entity(id);
                        format!(
                            "{} ({}): {n}",
                            e.map_or(id.as_str(), |e| e.name.as_str()),
                            e.map_or("?", |e| e.country.as_str())
                        )
                    })
                    .collect();
                out.push(
                    Finding::new("foreign-components", format!("The {name} layer is run by {} but contains components controlled from abroad: {}.", engine.name, names.join(", ")))
                        .layer(name)
                        .evidence(l.origin.iter().map(|o| o.to_string())),
                );
            }
            _ => {}
        }
        let is_foreign_engine = foreign(&engine.country)
            && !matches!(engine.kind, EntityKind::Foundation | EntityKind::Community);
        if is_foreign_engine && l.control == Control::Foreign {
            let cited = laws(reg, &countries, "compelled-access");
            if !cited.is_empty() {
                let mut f = Finding::new("compelled-access", format!("{} ({}) controls the {name} layer and can be compelled to give access under the law of {}.", engine.name, engine.country, countries.join(", ")))
                    .severity(if l.critical { Severity::Deny } else { Severity::Warn })
                    .layer(name)
                    .evidence(layer_evidence(l));
                f.laws = cited;
                out.push(f);
            }
        }
        if is_foreign_engine && matches!(l.kind, LayerKind::Hardware | LayerKind::Network) {
            let cited = laws(reg, &countries, "export-control");
            if !cited.is_empty() {
                let mut f = Finding::new("export-control", format!("The {name} layer comes from {} ({}): supply, spares and firmware updates fall under its export-control law.", engine.name, engine.country))
                    .layer(name)
                    .evidence(layer_evidence(l));
                f.laws = cited;
                out.push(f);
            }
        }
        if l.kind == LayerKind::Kms && is_foreign_engine && l.key_model != Some(KeyModel::Hyok) {
            let model = match l.key_model {
                Some(KeyModel::Provider) => "provider-managed keys",
                Some(KeyModel::Byok) => "customer keys imported into the provider's KMS (BYOK)",
                _ => "an undeclared key model",
            };
            out.push(
                Finding::new(
                    "key-custody",
                    format!(
                        "Keys are held in a KMS controlled by {} ({}), with {model}.",
                        engine.name, engine.country
                    ),
                )
                .layer(name)
                .evidence(layer_evidence(l)),
            );
        }
        if matches!(l.kind, LayerKind::Support | LayerKind::Soc) {
            let abroad: Vec<&str> = l
                .sites
                .iter()
                .map(|s| s.country.as_str())
                .filter(|c| foreign(c))
                .collect();
            if !abroad.is_empty() || is_foreign_engine {
                out.push(
                    Finding::new(
                        "foreign-support",
                        format!(
                            "{} is performed or escalated from {} ({}).",
                            if l.kind == LayerKind::Soc {
                                "Security operations"
                            } else {
                                "Support"
                            },
                            engine.name,
                            if abroad.is_empty() {
                                engine.country.clone()
                            } else {
                                abroad.join(", ")
                            }
                        ),
                    )
                    .layer(name)
                    .evidence(layer_evidence(l)),
                );
            }
        }
    }

    // Sites and endpoints outside home.
    for l in a.layers.iter().filter(|l| is_data_layer(l.kind)) {
        for (j, s) in l.sites.iter().enumerate() {
            if foreign(&s.country) && s.role.as_deref() != Some("administration") {
                out.push(
                    Finding::new(
                        "data-outside-home",
                        format!(
                            "The {} layer has a site in {}{}.",
                            l.kind.as_str(),
                            s.country,
                            s.city
                                .as_deref()
                                .map(|c| format!(" ({c})"))
                                .unwrap_or_default()
                        ),
                    )
                    .layer(l.kind.as_str())
                    .evidence(l.origin.iter().map(|o| format!("{o}.sites[{j}]"))),
                );
            }
        }
    }
    for it in &a.items {
        for e in &it.endpoints {
            if let Some(c) = &e.country
                && foreign(c)
            {
                out.push(
                    Finding::new(
                        "data-outside-home",
                        format!(
                            "Service \"{}\" calls {} in region {} ({c}).",
                            it.name,
                            e.host.as_deref().unwrap_or(&e.url),
                            e.region.as_deref().unwrap_or("?")
                        ),
                    )
                    .layer(a.layers[it.layer].kind.as_str())
                    .evidence(e.evidence.iter().cloned()),
                );
            }
        }
    }

    // Claims versus evidence.
    if let Some(m) = m {
        let claim = |field: &str| format!("{manifest_file} claims.{field}");
        if let Some(res) = &m.claims.data_residency {
            let allowed = reg.home_countries(res);
            let mut contra = Vec::new();
            for l in a.layers.iter().filter(|l| is_data_layer(l.kind)) {
                for s in l.sites.iter().filter(|s| {
                    !allowed.contains(&s.country) && s.role.as_deref() != Some("administration")
                }) {
                    contra.push(format!("{} site in {}", l.kind.as_str(), s.country));
                }
            }
            for it in &a.items {
                for e in &it.endpoints {
                    if let Some(c) = e.country.as_ref().filter(|c| !allowed.contains(*c)) {
                        contra.push(format!(
                            "endpoint {} of \"{}\" is in {c}",
                            e.host.as_deref().unwrap_or(&e.url),
                            it.name
                        ));
                    }
                }
            }
            if !contra.is_empty() {
                out.push(
                    Finding::new(
                        "claim-contradicted",
                        format!(
                            "The bid claims data stays in {res}, but: {}.",
                            contra.join("; ")
                        ),
                    )
                    .evidence(std::iter::once(claim("data_residency")).chain(
                        a.items.iter().flat_map(|i| {
                            i.endpoints
                                .iter()
                                .filter(|e| {
                                    e.country.as_ref().is_some_and(|c| !allowed.contains(c))
                                })
                                .filter_map(|e| e.evidence.clone())
                        }),
                    )),
                );
            }
        }
        if let Some(from) = &m.claims.operated_from {
            let allowed = reg.home_countries(from);
            let mut contra = Vec::new();
            for l in &a.layers {
                // Where the operator is established, not who controls it (that is the face's question).
                if let Some(op) = l.operator.as_ref().and_then(|o| reg.entity(&o.entity))
                    && !allowed.contains(&op.country)
                {
                    contra.push(format!(
                        "the {} layer is operated by {} ({})",
                        l.kind.as_str(),
                        op.name,
                        op.country
                    ));
                }
                if matches!(l.kind, LayerKind::Support | LayerKind::Soc) {
                    for s in l.sites.iter().filter(|s| !allowed.contains(&s.country)) {
                        contra.push(format!("{} from {}", l.kind.as_str(), s.country));
                    }
                }
                for s in l.sites.iter().filter(|s| {
                    s.role.as_deref() == Some("administration") && !allowed.contains(&s.country)
                }) {
                    contra.push(format!(
                        "the {} layer is administered from {}",
                        l.kind.as_str(),
                        s.country
                    ));
                }
            }
            if !contra.is_empty() {
                out.push(
                    Finding::new(
                        "claim-contradicted",
                        format!(
                            "The bid claims operation from {from}, but {}.",
                            contra.join("; ")
                        ),
                    )
                    .evidence([claim("operated_from")]),
                );
            }
        }
        if m.claims.no_foreign_access == Some(true) {
            let mut contra: Vec<String> = a
                .layers
                .iter()
                .filter(|l| l.control == Control::Foreign && l.critical)
                .filter_map(|l| {
                    l.engine.as_ref().map(|e| {
                        format!(
                            "the {} layer is controlled by {} ({})",
                            l.kind.as_str(),
                            e.name,
                            e.country
                        )
                    })
                })
                .collect();
            for l in a
                .layers
                .iter()
                .filter(|l| matches!(l.kind, LayerKind::Support | LayerKind::Soc))
            {
                for s in l.sites.iter().filter(|s| foreign(&s.country)) {
                    contra.push(format!(
                        "{} is reachable from {}",
                        l.kind.as_str(),
                        s.country
                    ));
                }
            }
            if !contra.is_empty() {
                out.push(
                    Finding::new(
                        "claim-contradicted",
                        format!(
                            "The bid claims no foreign access, but {}.",
                            contra.join("; ")
                        ),
                    )
                    .evidence([claim("no_foreign_access")]),
                );
            }
        }
        if let Some(custody) = m.claims.key_custody {
            for l in a.layers.iter().filter(|l| l.kind == LayerKind::Kms) {
                let actual = l.key_model;
                let foreign_kms = l.engine.as_ref().is_some_and(|e| {
                    foreign(&e.country)
                        && !matches!(e.kind, EntityKind::Foundation | EntityKind::Community)
                });
                if actual != Some(custody) || (custody == KeyModel::Hyok && foreign_kms) {
                    out.push(
                        Finding::new(
                            "claim-contradicted",
                            format!(
                                "The bid claims {} key custody, but the KMS layer declares {}{}.",
                                key_model(Some(custody)),
                                key_model(actual),
                                if foreign_kms {
                                    " in a foreign-controlled KMS"
                                } else {
                                    ""
                                }
                            ),
                        )
                        .evidence([claim("key_custody")].into_iter().chain(layer_evidence(l))),
                    );
                }
            }
        }
    }

    // Foreign foundations: forkable, not a kill switch.
    let mut foundations: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    for it in &a.items {
        if let Some(c) = &it.controller
            && matches!(c.kind, EntityKind::Foundation | EntityKind::Community)
            && foreign(&c.country)
        {
            foundations
                .entry(c.entity.clone())
                .or_insert_with(|| (c.name.clone(), c.country.clone(), 0))
                .2 += 1;
        }
    }
    for (_, (name, country, n)) in foundations {
        out.push(Finding::new("foreign-foundation", format!("{n} components are governed by {name} ({country}): open source that can be forked, not a kill switch.")));
    }

    if a.coverage.unknown > 0 {
        let top: Vec<String> = a
            .coverage
            .top_unknown
            .iter()
            .take(5)
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        out.push(
            Finding::new("unattributed-components", format!("{} of {} components have no established owner; they are counted as unknown, not local. Most frequent: {}.", a.coverage.unknown, a.coverage.items, top.join(", ")))
                .severity(if a.coverage.ratio < 0.5 && a.coverage.items > 0 { Severity::Warn } else { Severity::Info }),
        );
    }

    let mut per_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in &a.diagnostics {
        per_file
            .entry(d.origin.file.as_str())
            .or_default()
            .push(d.message.as_str());
    }
    for (file, msgs) in per_file {
        let kinds: BTreeSet<&str> = msgs.iter().copied().collect();
        out.push(
            Finding::new(
                "input-warnings",
                format!(
                    "{file}: {} reader warnings ({}).",
                    msgs.len(),
                    kinds.into_iter().take(3).collect::<Vec<_>>().join("; ")
                ),
            )
            .evidence(
                a.diagnostics
                    .iter()
                    .filter(|d| d.origin.file == file)
                    .take(5)
                    .map(|d| format!("{}: {}", d.origin, d.message)),
            ),
        );
    }
    out
}
