//! Analysis: layers, face versus engine, the shell verdict, blast radius,
//! exposures and claims versus evidence.
//!
//! Input: a bid's evidence (manifest and SBOMs, already read) and the
//! registry. Output: an [`Analysis`], plain data that the report stage turns
//! into documents. Nothing here prints or writes.

mod exposures;
mod face;

pub use face::{Face, Holder};

use crate::attribute::{self, Attribution, Controller};
use crate::graph::BidGraph;
use crate::ingest::InputFile;
use crate::ingest::manifest::{KeyModel, LayerKind, Licence, Manifest, Site};
use crate::model::{Diagnostic, Inventory, Origin, RelationKind};
use crate::policy::Finding;
use crate::registry::{EntityKind, Registry, normalize};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One SBOM of a bid, and the manifest layer it documents (if any).
#[derive(Debug, Clone)]
pub struct Sbom {
    pub inventory: Inventory,
    pub layer: Option<usize>,
}

/// Everything known about one bid, read and ready to analyse.
#[derive(Debug, Clone)]
pub struct BidEvidence {
    pub id: String,
    pub title: String,
    pub manifest: Option<Manifest>,
    /// The manifest's display path.
    pub manifest_file: Option<String>,
    pub sboms: Vec<Sbom>,
    pub inputs: Vec<InputFile>,
}

/// A service endpoint and where it points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub url: String,
    pub host: Option<String>,
    pub entity: Option<String>,
    pub region: Option<String>,
    pub country: Option<String>,
    pub evidence: Option<String>,
}

/// A component, service or declared product of the bid.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Unique in the bid: `file#bom-ref`.
    pub key: String,
    pub bom_ref: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    /// CycloneDX type, or `service`, or `product` for a manifest declaration.
    pub kind: String,
    pub layer: usize,
    pub origin: Origin,
    pub attribution: Option<Attribution>,
    pub controller: Option<Controller>,
    pub control_jurisdictions: Vec<String>,
    pub site_jurisdictions: Vec<String>,
    pub endpoints: Vec<Endpoint>,
    pub licenses: Vec<String>,
    /// Dev/test/build only (not shipped).
    pub dev_only: bool,
    /// How a Rust workspace reaches it: `runtime`, `build`, `dev`, `workspace-member`.
    pub dependency_kind: Option<String>,
    /// Target platforms it is limited to (`cfg(windows)`), when every edge to it is target-specific.
    pub targets: Option<String>,
}

/// Who governs a layer, in the sense of design §5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Control {
    /// Controlled from the home jurisdiction.
    Home,
    /// Controlled from abroad, and the layer needs its vendor to keep running.
    Foreign,
    /// From a foreign vendor, but runs without it (owned hardware, forkable open source).
    ForeignSupply,
    /// Open source governed by a community or foundation.
    Community,
    /// Not established.
    Unknown,
}

impl Control {
    pub fn as_str(self) -> &'static str {
        match self {
            Control::Home => "home",
            Control::Foreign => "foreign",
            Control::ForeignSupply => "foreign-supply",
            Control::Community => "community",
            Control::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerView {
    pub kind: LayerKind,
    pub critical: bool,
    /// Declared in the manifest (`layers[i]`), or implied by SBOM component types.
    pub declared: bool,
    pub product: Option<String>,
    pub vendor: Option<Attribution>,
    pub operator: Option<Attribution>,
    pub operator_controller: Option<Controller>,
    pub sites: Vec<Site>,
    pub licence: Option<Licence>,
    pub key_model: Option<KeyModel>,
    pub requires_vendor_online: Option<bool>,
    pub origin: Option<Origin>,
    pub items: usize,
    pub attributed: usize,
    /// Items per controller country.
    pub by_country: BTreeMap<String, usize>,
    /// The entity that governs the layer.
    pub engine: Option<Controller>,
    /// How the engine was chosen, with evidence.
    pub engine_evidence: Vec<String>,
    pub control: Control,
    /// Foreign corporate controllers among the layer's items, with counts.
    pub foreign_controllers: BTreeMap<String, usize>,
}

impl LayerView {
    /// A layer implied by component types, before anything is known of it.
    fn implied(kind: LayerKind) -> Self {
        LayerView {
            kind,
            critical: kind.is_critical(),
            declared: false,
            product: None,
            vendor: None,
            operator: None,
            operator_controller: None,
            sites: Vec::new(),
            licence: None,
            key_model: None,
            requires_vendor_online: None,
            origin: None,
            items: 0,
            attributed: 0,
            by_country: BTreeMap::new(),
            engine: None,
            engine_evidence: Vec::new(),
            control: Control::Unknown,
            foreign_controllers: BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Sovereign,
    LocalShell,
    Foreign,
    InsufficientEvidence,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Sovereign => "sovereign",
            Verdict::LocalShell => "local-shell",
            Verdict::Foreign => "foreign",
            Verdict::InsufficientEvidence => "insufficient-evidence",
        }
    }
}

/// What stops if one foreign controller withdraws.
#[derive(Debug, Clone, Serialize)]
pub struct Blast {
    pub controller: Controller,
    /// Items attributed to entities it controls.
    pub direct: usize,
    /// Items that depend on those, transitively (including them).
    pub affected_items: usize,
    pub affected_layers: Vec<String>,
    pub critical_layers: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Coverage {
    pub items: usize,
    pub attributed: usize,
    pub unknown: usize,
    /// Attributed share, 0..=1.
    pub ratio: f64,
    /// The most frequent unattributed supplier/author/purl namespaces.
    pub top_unknown: Vec<(String, usize)>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub bid_id: String,
    pub title: String,
    pub home: String,
    pub home_countries: BTreeSet<String>,
    pub inputs: Vec<InputFile>,
    pub items: Vec<Item>,
    pub layers: Vec<LayerView>,
    pub face: Face,
    pub verdict: Verdict,
    /// One sentence per reason, for the report.
    pub reasons: Vec<String>,
    pub reasons_fr: Vec<String>,
    /// Countries and entities of the foreign engine (critical layers with `Foreign` control).
    pub engine_countries: Vec<String>,
    pub engine_entities: Vec<String>,
    pub blast_radius: Vec<Blast>,
    pub coverage: Coverage,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
    pub graph_nodes: usize,
    /// Entities that exist only in this bid (the bidder and its owners, from the manifest).
    #[serde(skip)]
    pub local_entities: Vec<crate::registry::Entity>,
    /// Item-to-item relations (dependencies and containment), by item index.
    #[serde(skip)]
    pub relations: Vec<(usize, usize, RelationKind)>,
    pub graph_edges: usize,
}

impl Analysis {
    pub fn is_foreign(&self, country: &str) -> bool {
        !self.home_countries.contains(country)
    }
}

/// A layer kind implied by a component type when no manifest says otherwise.
pub fn implied_layer(kind: &str) -> LayerKind {
    match kind {
        "device" | "firmware" | "device-driver" => LayerKind::Hardware,
        "operating-system" => LayerKind::Os,
        "platform" => LayerKind::Paas,
        _ => LayerKind::Application,
    }
}

/// Rank in the stack: a layer runs on the present layers of the nearest lower rank.
fn rank(k: LayerKind) -> Option<u8> {
    Some(match k {
        LayerKind::Datacenter => 0,
        LayerKind::Hardware | LayerKind::Network => 1,
        LayerKind::Hypervisor => 2,
        LayerKind::Os => 3,
        LayerKind::Storage | LayerKind::Database | LayerKind::Iam | LayerKind::Kms => 4,
        LayerKind::ControlPlane | LayerKind::Paas => 5,
        LayerKind::Saas | LayerKind::Application => 6,
        LayerKind::Support | LayerKind::Soc | LayerKind::Other => return None,
    })
}

fn is_corporate(c: &Controller) -> bool {
    matches!(
        c.kind,
        EntityKind::Company | EntityKind::State | EntityKind::Person
    )
}

/// Analyse one bid.
pub fn run(base: &Registry, home: &str, ev: &BidEvidence) -> Analysis {
    let manifest_file = ev.manifest_file.clone().unwrap_or_default();
    let (reg, face_parts) = face::bid_registry(base, ev.manifest.as_ref(), &ev.id, &manifest_file);
    let reg = &reg;
    let home_countries = reg.home_countries(home);

    // Layers: declared ones first, then implied ones as needed.
    let mut layers: Vec<LayerView> = Vec::new();
    if let Some(m) = &ev.manifest {
        for (i, l) in m.layers.iter().enumerate() {
            let o = |f: &str| Origin::new(manifest_file.clone(), format!("layers[{i}].{f}"));
            let vendor = l
                .vendor
                .as_deref()
                .and_then(|v| attribute::declared(reg, v, &o("vendor")));
            let operator = l.operator.as_deref().and_then(|v| {
                if v == "bidder" {
                    face_parts
                        .bidder_entity
                        .as_deref()
                        .and_then(|b| attribute::declared(reg, b, &o("operator")))
                } else {
                    attribute::declared(reg, v, &o("operator"))
                }
            });
            let operator_controller = operator
                .as_ref()
                .and_then(|a| attribute::controller(reg, &a.entity));
            layers.push(LayerView {
                declared: true,
                product: l.product.clone(),
                vendor,
                operator,
                operator_controller,
                sites: l.sites.clone(),
                licence: l.licence,
                key_model: l.key_model,
                requires_vendor_online: l.requires_vendor_online,
                origin: Some(Origin::new(manifest_file.clone(), format!("layers[{i}]"))),
                ..LayerView::implied(l.layer)
            });
        }
    }
    let layer_for = |layers: &mut Vec<LayerView>, kind: LayerKind| -> usize {
        if let Some(i) = layers.iter().position(|l| l.kind == kind) {
            return i;
        }
        layers.push(LayerView::implied(kind));
        layers.len() - 1
    };

    // Items.
    let mut items: Vec<Item> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let new_item =
        |key: String, bom_ref: String, name: String, kind: String, layer: usize, origin: Origin| {
            Item {
                key,
                bom_ref,
                name,
                version: None,
                purl: None,
                kind,
                layer,
                origin,
                attribution: None,
                controller: None,
                control_jurisdictions: Vec::new(),
                site_jurisdictions: Vec::new(),
                endpoints: Vec::new(),
                licenses: Vec::new(),
                dev_only: false,
                dependency_kind: None,
                targets: None,
            }
        };
    // Declared products: one item per manifest layer with a vendor or product.
    let mut product_item: HashMap<usize, usize> = HashMap::new();
    if let Some(m) = &ev.manifest {
        for (i, l) in m.layers.iter().enumerate() {
            if l.vendor.is_none() && l.product.is_none() {
                continue;
            }
            let name = l.product.clone().or(l.vendor.clone()).unwrap_or_default();
            let mut it = new_item(
                format!("{manifest_file}#layers[{i}]"),
                format!("layers[{i}]"),
                name,
                "product".into(),
                i,
                Origin::new(manifest_file.clone(), format!("layers[{i}]")),
            );
            // A service layer without a vendor (data centre, support, SOC) is its operator's product.
            let service_layer = matches!(
                l.layer,
                LayerKind::Datacenter | LayerKind::Support | LayerKind::Soc
            );
            it.attribution = layers[i]
                .vendor
                .clone()
                .or_else(|| layers[i].operator.clone().filter(|_| service_layer));
            product_item.insert(i, items.len());
            items.push(it);
        }
        for (j, s) in m.services.iter().enumerate() {
            let kind = s.layer.unwrap_or(LayerKind::Application);
            let layer = layer_for(&mut layers, kind);
            let origin = Origin::new(manifest_file.clone(), format!("services[{j}]"));
            let mut it = new_item(
                format!("{manifest_file}#services[{j}]"),
                format!("services[{j}]"),
                s.name.clone(),
                "service".into(),
                layer,
                origin.clone(),
            );
            it.attribution = s.provider.as_deref().and_then(|p| {
                attribute::declared(
                    reg,
                    p,
                    &Origin::new(manifest_file.clone(), format!("services[{j}].provider")),
                )
            });
            it.endpoints = s
                .endpoints
                .iter()
                .map(|e| endpoint(reg, e, &origin))
                .collect();
            if it.attribution.is_none() {
                let svc = crate::model::Service {
                    endpoints: s.endpoints.clone(),
                    ..crate::model::Service::new("", &s.name, origin)
                };
                it.attribution = attribute::service(reg, &svc);
            }
            items.push(it);
        }
    }
    // SBOM components and services.
    let mut relations: Vec<(usize, usize, RelationKind)> = Vec::new();
    for sbom in &ev.sboms {
        let inv = &sbom.inventory;
        diagnostics.extend(inv.diagnostics.iter().cloned());
        let mut by_ref: HashMap<&str, usize> =
            HashMap::with_capacity(inv.components.len() + inv.services.len());
        for c in &inv.components {
            let layer = match sbom.layer {
                Some(l) => l,
                None => layer_for(&mut layers, implied_layer(&c.kind)),
            };
            let mut it = new_item(
                format!("{}#{}", c.origin.file, c.bom_ref),
                c.bom_ref.clone(),
                c.name.clone(),
                c.kind.clone(),
                layer,
                c.origin.clone(),
            );
            it.version = c.version.clone();
            it.purl = c.purl.clone();
            it.licenses = c.licenses.clone();
            it.attribution = attribute::component(reg, c);
            it.dev_only = c.scope.as_deref() == Some("excluded");
            let prop = |k: &str| {
                c.properties
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
            };
            it.dependency_kind = prop("cargo:dependency-kind");
            it.targets = prop("cargo:target");
            by_ref.insert(c.bom_ref.as_str(), items.len());
            items.push(it);
        }
        for s in &inv.services {
            // What a source scan found counts only when the registry knows the provider:
            // a URL or setting nobody recognises is not evidence of foreign control.
            let scanned = s
                .properties
                .iter()
                .any(|(k, _)| k == "coquille:source-scan");
            let attribution = attribute::service(reg, s);
            if scanned && attribution.is_none() {
                continue;
            }
            let layer = match sbom.layer {
                Some(l) => l,
                None => layer_for(&mut layers, LayerKind::Application),
            };
            let mut it = new_item(
                format!("{}#{}", s.origin.file, s.bom_ref),
                s.bom_ref.clone(),
                s.name.clone(),
                "service".into(),
                layer,
                s.origin.clone(),
            );
            it.version = s.version.clone();
            it.attribution = attribution;
            it.endpoints = s
                .endpoints
                .iter()
                .map(|e| endpoint(reg, e, &s.origin))
                .collect();
            by_ref.insert(s.bom_ref.as_str(), items.len());
            items.push(it);
        }
        for r in &inv.relations {
            if let (Some(&a), Some(&b)) = (by_ref.get(r.from.as_str()), by_ref.get(r.to.as_str())) {
                relations.push((a, b, r.kind));
            }
        }
        // The document's subject hangs under the layer's declared product.
        if let (Some(l), Some(subject)) = (sbom.layer, inv.metadata.subject.as_deref())
            && let (Some(&p), Some(&s)) = (product_item.get(&l), by_ref.get(subject))
        {
            relations.push((p, s, RelationKind::Contains));
        }
    }
    // Dev-only dependencies don't ship: an item that is the target of a dev
    // relation and of no other relation is dev-only (readers that know better,
    // like cargo metadata, mark the scope themselves).
    let mut other_incoming = vec![false; items.len()];
    for &(_, b, k) in &relations {
        if k != RelationKind::DevDependsOn {
            other_incoming[b] = true;
        }
    }
    for &(_, b, k) in &relations {
        if k == RelationKind::DevDependsOn && !other_incoming[b] {
            items[b].dev_only = true;
        }
    }

    // Controllers and jurisdictions.
    for it in &mut items {
        if let Some(a) = &it.attribution {
            it.controller = attribute::controller(reg, &a.entity);
            it.control_jurisdictions = reg.control_jurisdictions(&a.entity);
        }
        let l = &layers[it.layer];
        let mut sites: BTreeSet<String> = l.sites.iter().map(|s| s.country.clone()).collect();
        sites.extend(it.endpoints.iter().filter_map(|e| e.country.clone()));
        it.site_jurisdictions = sites.into_iter().collect();
    }

    // Graph.
    let mut g = BidGraph::new(layers.len(), items.len());
    for &(a, b, k) in &relations {
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

    // Per-layer control.
    for (li, l) in layers.iter_mut().enumerate() {
        // What ships decides who controls a layer: dev-only items are listed, not counted.
        let members: Vec<&Item> = items
            .iter()
            .filter(|it| it.layer == li && !it.dev_only)
            .collect();
        l.items = members.len();
        l.attributed = members.iter().filter(|it| it.attribution.is_some()).count();
        let mut counts: BTreeMap<String, (usize, Controller)> = BTreeMap::new();
        for it in &members {
            if let Some(c) = &it.controller {
                *l.by_country.entry(c.country.clone()).or_default() += 1;
                counts.entry(c.entity.clone()).or_insert((0, c.clone())).0 += 1;
            }
        }
        for (id, (n, c)) in &counts {
            if is_corporate(c) && !home_countries.contains(&c.country) {
                l.foreign_controllers.insert(id.clone(), *n);
            }
        }
        // A service layer (data centre, support, SOC) without a vendor is governed by whoever runs it.
        let service_layer = matches!(
            l.kind,
            LayerKind::Datacenter | LayerKind::Support | LayerKind::Soc
        );
        let declared = l.vendor.as_ref().or(if service_layer {
            l.operator.as_ref()
        } else {
            None
        });
        if let Some(v) = declared {
            l.engine = attribute::controller(reg, &v.entity);
            l.engine_evidence
                .push(format!("declared vendor: {}", v.evidence(reg)));
        } else {
            // Most items first; among equals, foreign corporate first, then by id.
            let mut cands: Vec<&(usize, Controller)> = counts.values().collect();
            cands.sort_by_key(|(n, c)| {
                (
                    !is_corporate(c),
                    home_countries.contains(&c.country),
                    std::cmp::Reverse(*n),
                    c.entity.clone(),
                )
            });
            if let Some((n, c)) = cands.first() {
                l.engine = Some(c.clone());
                l.engine_evidence.push(format!(
                    "{n} of {} components are controlled by {} ({})",
                    l.items, c.name, c.country
                ));
            }
        }
        if let Some(e) = &l.engine {
            let chain = attribute::chain(reg, &e.entity);
            if let Some(top) = chain.first() {
                l.engine_evidence
                    .push(format!("{} per {} ({})", top.name, top.source, top.row));
            }
        }
        l.control = match &l.engine {
            None => Control::Unknown,
            Some(e) if !is_corporate(e) => Control::Community,
            Some(e) if home_countries.contains(&e.country) => Control::Home,
            Some(_) => {
                let owned_outright = l.requires_vendor_online == Some(false)
                    && matches!(
                        l.kind,
                        LayerKind::Hardware
                            | LayerKind::Network
                            | LayerKind::Datacenter
                            | LayerKind::Storage
                    );
                if l.licence == Some(Licence::OpenSource) || owned_outright {
                    Control::ForeignSupply
                } else {
                    Control::Foreign
                }
            }
        };
    }

    // Face and verdict.
    let face = face::face(
        reg,
        ev.manifest.as_ref(),
        &face_parts,
        &home_countries,
        &layers,
    );
    let critical: Vec<&LayerView> = layers
        .iter()
        .filter(|l| l.critical || ev.manifest.is_none())
        .collect();
    let foreign_layers: Vec<&LayerView> = critical
        .iter()
        .copied()
        .filter(|l| l.control == Control::Foreign)
        .collect();
    let mut engine_countries: BTreeSet<String> = BTreeSet::new();
    let mut engine_entities: BTreeSet<String> = BTreeSet::new();
    for l in &foreign_layers {
        if let Some(e) = &l.engine {
            engine_countries.insert(e.country.clone());
            engine_entities.insert(e.name.clone());
        }
    }
    let attributed = items.iter().filter(|i| i.attribution.is_some()).count();
    // Each reason in English and French.
    let mut reasons: Vec<(String, String)> = Vec::new();
    let fr = |k: LayerKind| crate::i18n::layer(crate::i18n::Lang::Fr, k.as_str());
    let verdict = if ev.manifest.is_some() && face.local == Some(false) {
        let who = face.controller.as_ref().map_or("?", |c| c.name.as_str());
        let country = face.controller.as_ref().map_or("?", |c| c.country.as_str());
        reasons.push(crate::bi!(
            "The bidder {} is controlled by {who} ({country}), outside {home}.",
            "Le soumissionnaire {} est contrôlé par {who} ({country}), hors de {home}.",
            face.bidder_name
        ));
        Verdict::Foreign
    } else if !foreign_layers.is_empty() {
        for l in &foreign_layers {
            let e = l.engine.as_ref().expect("foreign layers have an engine");
            let (name, nom) = (l.kind.as_str(), fr(l.kind));
            let en = crate::i18n::layer(crate::i18n::Lang::En, name);
            reasons.push(crate::bi!(
                "The {en} layer is controlled by {} ({}).",
                "La couche {nom} est contrôlée par {} ({}).",
                e.name,
                e.country
            ));
        }
        if ev.manifest.is_some() {
            Verdict::LocalShell
        } else {
            Verdict::Foreign
        }
    } else if (ev.manifest.is_some() && face.local.is_none())
        || critical.iter().any(|l| l.control == Control::Unknown)
        || (attributed == 0 && !items.is_empty())
        || critical.is_empty()
    {
        if face.local.is_none() && ev.manifest.is_some() {
            reasons.push(crate::bi!(
                "The bidder's controller could not be established.",
                "Le contrôleur du soumissionnaire n'a pas pu être établi."
            ));
        }
        for l in critical.iter().filter(|l| l.control == Control::Unknown) {
            let (name, nom) = (l.kind.as_str(), fr(l.kind));
            let en = crate::i18n::layer(crate::i18n::Lang::En, name);
            reasons.push(crate::bi!(
                "The controller of the {en} layer could not be established.",
                "Le contrôleur de la couche {nom} n'a pas pu être établi."
            ));
        }
        if attributed == 0 && !items.is_empty() {
            reasons.push(crate::bi!(
                "No component could be attributed.",
                "Aucun composant n'a pu être attribué."
            ));
        }
        if critical.is_empty() {
            reasons.push(crate::bi!(
                "No layer could be identified.",
                "Aucune couche n'a pu être identifiée."
            ));
        }
        Verdict::InsufficientEvidence
    } else {
        reasons.push(crate::bi!(
            "Every critical layer is controlled from {home}, by a community, or runs without its foreign supplier.",
            "Chaque couche critique est contrôlée depuis {home}, par une communauté, ou fonctionne sans son fournisseur étranger."
        ));
        Verdict::Sovereign
    };
    let (reasons, reasons_fr): (Vec<String>, Vec<String>) = reasons.into_iter().unzip();

    // Blast radius per foreign corporate controller.
    let mut by_ctl: BTreeMap<String, (Controller, Vec<usize>)> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        if let Some(c) = &it.controller
            && is_corporate(c)
            && !home_countries.contains(&c.country)
        {
            by_ctl
                .entry(c.entity.clone())
                .or_insert_with(|| (c.clone(), Vec::new()))
                .1
                .push(i);
        }
    }
    let mut blast_radius: Vec<Blast> = by_ctl
        .into_values()
        .map(|(controller, direct)| {
            let (its, ls) = g.dependents(&direct);
            let affected_layers: Vec<String> = ls
                .iter()
                .map(|&l| layers[l].kind.as_str().to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let critical_layers = ls
                .iter()
                .filter(|&&l| layers[l].critical)
                .map(|&l| layers[l].kind.as_str().to_string())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            Blast {
                controller,
                direct: direct.len(),
                affected_items: its.len(),
                affected_layers,
                critical_layers,
            }
        })
        .collect();
    blast_radius.sort_by(|a, b| {
        b.affected_items
            .cmp(&a.affected_items)
            .then(a.controller.entity.cmp(&b.controller.entity))
    });

    // Coverage.
    let mut unknown_names: BTreeMap<String, usize> = BTreeMap::new();
    for it in items.iter().filter(|i| i.attribution.is_none()) {
        let key = it
            .purl
            .as_deref()
            .and_then(normalize::purl_key)
            .map(|k| match k.rsplit_once('/') {
                Some((ns, _)) if ns.matches('/').count() >= 1 => ns.to_string(),
                _ => k,
            })
            .unwrap_or_else(|| it.name.clone());
        *unknown_names.entry(key).or_default() += 1;
    }
    let mut top_unknown: Vec<(String, usize)> = unknown_names.into_iter().collect();
    top_unknown.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top_unknown.truncate(10);
    let coverage = Coverage {
        items: items.len(),
        attributed,
        unknown: items.len() - attributed,
        ratio: if items.is_empty() {
            0.0
        } else {
            attributed as f64 / items.len() as f64
        },
        top_unknown,
    };

    let mut a = Analysis {
        bid_id: ev.id.clone(),
        title: ev.title.clone(),
        home: home.to_string(),
        home_countries,
        inputs: ev.inputs.clone(),
        items,
        layers,
        face,
        verdict,
        reasons,
        reasons_fr,
        engine_countries: engine_countries.into_iter().collect(),
        engine_entities: engine_entities.into_iter().collect(),
        blast_radius,
        coverage,
        findings: Vec::new(),
        diagnostics,
        graph_nodes: g.node_count(),
        graph_edges: g.edge_count(),
        local_entities: reg
            .entities
            .iter()
            .filter(|e| e.id.starts_with("bid:"))
            .cloned()
            .collect(),
        relations,
    };
    a.findings = exposures::findings(reg, ev.manifest.as_ref(), &manifest_file, &a);
    a.findings.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(x.code.cmp(&y.code))
            .then(x.message.cmp(&y.message))
    });
    a
}

/// Resolve a service endpoint: provider entity, and the region the hostname names.
fn endpoint(reg: &Registry, url: &str, origin: &Origin) -> Endpoint {
    let host = normalize::host(url);
    let mut e = Endpoint {
        url: url.to_string(),
        host: host.clone(),
        entity: None,
        region: None,
        country: None,
        evidence: None,
    };
    if let Some((hit, host)) = reg.index().endpoint(url) {
        e.evidence = Some(format!(
            "{origin}: endpoint \"{url}\" matched {} ({})",
            hit.rule, hit.row
        ));
        if let Some(r) = reg.region_of(&hit.entity, &host) {
            e.region = Some(r.region.clone());
            e.country = Some(r.country.clone());
            e.evidence = e.evidence.map(|s| {
                format!(
                    "{s}; region {} is in {} per {} ({})",
                    r.region, r.country, r.source, r.row
                )
            });
        }
        e.entity = Some(hit.entity);
    }
    e
}
