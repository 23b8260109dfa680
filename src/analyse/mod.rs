//! Analysis: layers, face versus engine, the shell verdict, blast radius,
//! exposures and claims versus evidence.
//!
//! Input: a bid's evidence (manifest and SBOMs, already read) and the
//! registry. Output: an [`Analysis`], plain data that the report stage turns
//! into documents. Nothing here prints or writes.
//!
//! [`run`] is the sequence of stages, each a function with its data in and out:
//! `items` (layers and items from the evidence), `kinds` (what each
//! dependency is: service client, proprietary, open source; service items),
//! `control` (who governs each layer), `face`, `verdict`, `blast`
//! (graph and blast radius), `coverage`, and `exposures` (findings).

mod blast;
mod control;
mod coverage;
mod declared;
mod exposures;
mod face;
mod items;
mod kinds;
pub mod licence;
mod questions;
mod required;
mod verdict;

pub use declared::{Contradiction, ProductFact};
pub use face::{CountryCheck, Face, Holder};
pub use kinds::{Dependency, LicenceEvidence, ServiceUse};
pub use licence::LicenceClass;
pub use questions::Question;
pub use required::Requirements;

use crate::attribute::{self, Attribution, ChainLink, Controller};
use crate::ingest::InputFile;
use crate::ingest::manifest::{KeyModel, LayerKind, Licence, Manifest, Site};
use crate::model::{Diagnostic, Inventory, Origin, RelationKind};
use crate::policy::Finding;
use crate::registry::{EntityKind, Registry, normalize};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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
    pub cpe: Option<String>,
    /// CycloneDX type, or `service`, or `product` for a manifest declaration.
    pub kind: String,
    pub layer: usize,
    pub origin: Origin,
    /// Boxed, as `controller`: most items of a large SBOM have neither, and an item is held
    /// for each of a million components.
    pub attribution: Option<Box<Attribution>>,
    pub controller: Option<Box<Controller>>,
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
    /// What the bid depends on through it: a provider's online service, proprietary code,
    /// open-source code, code of unknown licence, or (for services and declared products) itself.
    pub dependency: Dependency,
    /// The licence evidence and what it makes of the item (components only).
    pub licence: Option<LicenceEvidence>,
    /// For a service client, the service it calls; for a service item, the service it is.
    pub service: Option<ServiceUse>,
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
    /// The entity that governs the layer (the first of `engines`).
    pub engine: Option<Controller>,
    /// Every entity the layer needs to run (declared vendor, providers of the online
    /// services it calls, vendors of proprietary code it runs), foreign corporate ones first;
    /// for open-source code, its foreign corporate stewards.
    pub engines: Vec<Controller>,
    /// How the engine was chosen, with evidence.
    pub engine_evidence: Vec<String>,
    pub control: Control,
    /// Foreign corporate controllers among the layer's items, with counts.
    pub foreign_controllers: BTreeMap<String, usize>,
    /// The requirements (tender, policy, service model, claims) that ask for this layer.
    pub required_by: Vec<String>,
    /// Required, and not shown by the bid: its control is unknown.
    pub missing: bool,
    /// Products of the registry found in the layer (declared product text, SBOM CPEs and purls).
    pub products: Vec<ProductFact>,
    /// Declarations of the layer that the registry or its SBOMs contradict (the evidence decided).
    pub contradictions: Vec<Contradiction>,
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
            engines: Vec::new(),
            engine_evidence: Vec::new(),
            control: Control::Unknown,
            foreign_controllers: BTreeMap::new(),
            required_by: Vec::new(),
            missing: false,
            products: Vec::new(),
            contradictions: Vec::new(),
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
    /// Items per dependency kind (`service-client`, `proprietary`, `open-source`,
    /// `licence-unknown`, `service`, `product`).
    pub by_dependency: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub bid_id: String,
    /// Was the bid read from a manifest? Without one there is no face, and every layer counts.
    pub manifest: bool,
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
    /// What the bidder should be asked: every unknown that could change the verdict.
    pub questions: Vec<Question>,
    pub diagnostics: Vec<Diagnostic>,
    pub graph_nodes: usize,
    /// The registry as this bid saw it: the shared tables and, laid over them, the entities
    /// its manifest declared (the bidder and its owners). Cheap to clone.
    #[serde(skip)]
    pub registry: Registry,
    /// The ownership chain of every entity an attribution, engine, service or blast radius
    /// named, resolved once per entity; the report reads these instead of re-walking.
    #[serde(skip)]
    pub chains: BTreeMap<String, Vec<ChainLink>>,
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

fn is_corporate(c: &Controller) -> bool {
    matches!(
        c.kind,
        EntityKind::Company | EntityKind::State | EntityKind::Person
    )
}

/// A company, state or person outside the home jurisdiction: one whose consent can be withheld.
fn is_foreign_corporate(c: &Controller, home: &BTreeSet<String>) -> bool {
    is_corporate(c) && !home.contains(&c.country)
}

/// Analyse one bid: the stages in order, each reading what the previous ones produced. The
/// bid is consumed: its SBOMs become the analysis items, and are freed as they do.
pub fn run(base: &Registry, home: &str, mut ev: BidEvidence, req: &Requirements) -> Analysis {
    let manifest_file = ev.manifest_file.clone().unwrap_or_default();
    let (reg, face_parts) = face::bid_registry(base, ev.manifest.as_ref(), &ev.id, &manifest_file);
    let home_countries = reg.home_countries(home);

    let sboms = std::mem::take(&mut ev.sboms);
    let items::Built {
        mut layers,
        mut items,
        mut relations,
        diagnostics,
    } = items::build(&reg, &ev, sboms, &face_parts);
    kinds::classify(&reg, &mut items, &mut layers, &mut relations);
    required::complete(ev.manifest.as_ref(), &manifest_file, req, &mut layers);
    items::resolve_controllers(&reg, &mut items, &layers);
    declared::check(
        &reg,
        ev.manifest.as_ref(),
        &home_countries,
        &mut layers,
        &mut items,
    );
    control::decide(&reg, &home_countries, &mut layers, &items);

    let face = face::face(
        &reg,
        ev.manifest.as_ref(),
        &manifest_file,
        &face_parts,
        &home_countries,
        &layers,
    );
    let verdict::Decision {
        verdict,
        reasons,
        reasons_fr,
        engine_countries,
        engine_entities,
    } = verdict::decide(
        ev.manifest.is_some(),
        home,
        &home_countries,
        &face,
        &layers,
        &items,
    );
    let graph = blast::graph(&layers, &items, &relations);
    let blast_radius = blast::radius(&graph, &home_countries, &layers, &items);
    let coverage = coverage::measure(&items);
    let chains = chains(&reg, &items, &layers, &blast_radius);

    let mut a = Analysis {
        bid_id: ev.id.clone(),
        manifest: ev.manifest.is_some(),
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
        engine_countries,
        engine_entities,
        blast_radius,
        coverage,
        findings: Vec::new(),
        questions: Vec::new(),
        diagnostics,
        graph_nodes: graph.node_count(),
        graph_edges: graph.edge_count(),
        registry: reg,
        chains,
        relations,
    };
    a.findings = exposures::findings(&a.registry, ev.manifest.as_ref(), &manifest_file, &a);
    let declared_vendors: Vec<Option<String>> = ev
        .manifest
        .iter()
        .flat_map(|m| m.layers.iter().map(|l| l.vendor.clone()))
        .collect();
    a.questions = questions::ask(&a, &declared_vendors);
    a.findings.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(x.code.cmp(&y.code))
            .then(x.message.cmp(&y.message))
    });
    a
}

/// The chain of every entity the analysis named, walked once per entity.
fn chains(
    reg: &Registry,
    items: &[Item],
    layers: &[LayerView],
    blast: &[Blast],
) -> BTreeMap<String, Vec<ChainLink>> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for it in items {
        ids.extend(it.attribution.as_ref().map(|a| a.entity.as_str()));
    }
    for l in layers {
        ids.extend(l.vendor.as_ref().map(|a| a.entity.as_str()));
        ids.extend(l.operator.as_ref().map(|a| a.entity.as_str()));
        ids.extend(l.engines.iter().map(|e| e.entity.as_str()));
    }
    ids.extend(blast.iter().map(|b| b.controller.entity.as_str()));
    ids.into_iter()
        .map(|id| (id.to_string(), attribute::chain(reg, id)))
        .collect()
}

/// Resolve a service endpoint: provider entity, and the region the hostname names.
pub(crate) fn endpoint(reg: &Registry, url: &str, origin: &Origin) -> Endpoint {
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
