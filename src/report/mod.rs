//! The report model every renderer reads. The JSON contract (design §7,
//! schema `coquille.report/1`) is this module's serialisation: fields may be
//! added, never renamed or removed without bumping the schema.

use crate::analyse::{
    Analysis, Blast, Control, Coverage, Endpoint, Face, LicenceEvidence, Verdict,
};
use crate::attribute::{self, ChainLink};
use crate::ingest::InputFile;
use crate::policy::{Finding, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

mod components;
pub use components::Components;

pub const SCHEMA: &str = "coquille.report/1";

#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct BidRef {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributionOut {
    pub entity: String,
    pub name: String,
    pub country: String,
    pub confidence: &'static str,
    pub method: &'static str,
    /// One line: input element, what matched, registry row and source.
    pub evidence: String,
    pub registry_row: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ControllerOut {
    pub entity: String,
    pub name: String,
    pub country: String,
    pub kind: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComponentOut {
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub layer: &'static str,
    pub attribution: Option<AttributionOut>,
    pub controller: Option<ControllerOut>,
    pub jurisdictions: Vec<String>,
    pub control_jurisdictions: Vec<String>,
    pub site_jurisdictions: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<Endpoint>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dev_only: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependency_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<String>,
    /// `service-client`, `proprietary`, `open-source`, `licence-unknown`, `service` or `product`.
    pub dependency: &'static str,
    /// The licence evidence of a component and what it makes of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licence: Option<LicenceEvidence>,
    /// The provider's online service a client calls, or that a service item is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<ServiceOut>,
}

/// A provider's online service, named.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceOut {
    pub provider: String,
    pub provider_name: String,
    pub service: String,
    pub layer: &'static str,
    pub evidence: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub components: usize,
    pub attributed: usize,
    pub unknown: usize,
    pub foreign_controlled: usize,
    pub by_country: BTreeMap<String, usize>,
    pub verdict: &'static str,
    /// The verdict in one sentence a non-engineer understands.
    pub sentence: String,
    pub reasons: Vec<String>,
    pub reasons_fr: Vec<String>,
    /// The verdict sentence in French.
    pub sentence_fr: String,
    pub engine_countries: Vec<String>,
    pub engine_entities: Vec<String>,
    pub findings_by_severity: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LayerOut {
    pub layer: String,
    pub critical: bool,
    pub declared: bool,
    pub product: Option<String>,
    pub vendor: Option<String>,
    pub operator: Option<String>,
    pub sites: Vec<String>,
    pub control: &'static str,
    pub engine: Option<ControllerOut>,
    /// Every entity the layer needs (the first is `engine`): declared vendor, providers of the
    /// services it calls, vendors of its proprietary code, or its code's foreign stewards.
    pub engines: Vec<ControllerOut>,
    pub engine_chain: Vec<ChainLink>,
    pub evidence: Vec<String>,
    pub components: usize,
    pub attributed: usize,
    pub by_country: BTreeMap<String, usize>,
    pub licence: Option<String>,
    pub key_model: Option<String>,
    pub requires_vendor_online: Option<bool>,
    /// The tender, policy, service-model or claim requirements that ask for this layer.
    pub required_by: Vec<String>,
    /// Required, and not described by the bid.
    pub missing: bool,
    /// Registry products found in the layer, with their licence model and evidence.
    pub products: Vec<crate::analyse::ProductFact>,
    /// Declarations the registry or the layer's SBOMs contradict.
    pub contradictions: Vec<crate::analyse::Contradiction>,
}

impl LayerOut {
    /// `Name (CC), Name (CC)` of every engine of the layer, or `None` when none is known.
    pub fn engines_label(&self) -> Option<String> {
        (!self.engines.is_empty()).then(|| {
            self.engines
                .iter()
                .map(|e| format!("{} ({})", e.name, e.country))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }
}

/// A registry row that some attribution or chain relied on.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RegistryRowOut {
    pub row: String,
    pub entity: String,
    pub name: String,
    pub country: String,
    pub source: String,
    pub as_of: String,
    /// Each fact the row asserts and the source sentence that states it (no `quote` when
    /// none does: the fact is unconfirmed).
    pub facts: Vec<crate::registry::facts::Cite>,
}

impl RegistryRowOut {
    /// The facts of the row that no source states.
    pub fn unconfirmed(&self) -> Vec<&'static str> {
        self.facts
            .iter()
            .filter(|c| !c.confirmed())
            .map(|c| c.fact.as_str())
            .collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub tool: Tool,
    pub bid: BidRef,
    pub home: String,
    pub home_countries: Vec<String>,
    pub inputs: Vec<InputFile>,
    /// Built one at a time as they are read or written ([`Components`]).
    pub components: Components,
    pub summary: Summary,
    pub findings: Vec<Finding>,
    /// Questions for the bidder: every unknown that could change the verdict (EN and FR).
    pub questions: Vec<crate::analyse::Question>,
    pub face: Face,
    pub layers: Vec<LayerOut>,
    pub blast_radius: Vec<Blast>,
    pub coverage: Coverage,
    pub registry_rows: Vec<RegistryRowOut>,
    pub graph: GraphStats,
}

#[derive(Debug, Clone, Serialize)]
pub struct GraphStats {
    pub nodes: usize,
    pub edges: usize,
}

impl ControllerOut {
    /// `Name (CC)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.country)
    }
}

/// A foreign engine of a report, with the layers it governs.
pub struct ForeignEngine<'a> {
    pub engine: &'a ControllerOut,
    pub layers: Vec<&'a str>,
}

impl Report {
    /// Every engine outside the home jurisdiction of the layers under foreign control, once
    /// each in layer order, with the layers it governs; `critical_only` keeps critical layers.
    pub fn foreign_engines(&self, critical_only: bool) -> Vec<ForeignEngine<'_>> {
        let mut out: Vec<ForeignEngine> = Vec::new();
        for l in self
            .layers
            .iter()
            .filter(|l| l.control == "foreign" && (l.critical || !critical_only))
        {
            for e in l
                .engines
                .iter()
                .filter(|e| !self.home_countries.contains(&e.country))
            {
                match out.iter_mut().find(|x| x.engine.entity == e.entity) {
                    Some(x) => x.layers.push(&l.layer),
                    None => out.push(ForeignEngine {
                        engine: e,
                        layers: vec![&l.layer],
                    }),
                }
            }
        }
        out
    }
}

fn ctl_out(c: &attribute::Controller) -> ControllerOut {
    ControllerOut {
        entity: c.entity.clone(),
        name: c.name.clone(),
        country: c.country.clone(),
        kind: format!("{:?}", c.kind).to_lowercase(),
    }
}

/// The verdict in one plain sentence, in English or French.
pub fn sentence_in(a: &Analysis, lang: crate::i18n::Lang) -> String {
    use crate::i18n::{self, Lang};
    let fr = lang == Lang::Fr;
    let home = &a.home;
    let bidder = &a.face.bidder_name;
    let countries = a.engine_countries.join(", ");
    // French names its countries: "depuis les États-Unis et la Chine", "depuis le Maroc".
    let pays_fr = i18n::liste(
        &a.engine_countries
            .iter()
            .map(|c| i18n::pays(c))
            .collect::<Vec<_>>(),
    );
    let home_fr = i18n::pays(home);
    // "…by Amazon.com, Inc." must not end in "Inc..".
    let entities = a
        .engine_entities
        .join(", ")
        .trim_end_matches('.')
        .to_string();
    match a.verdict {
        Verdict::LocalShell => {
            let layers: Vec<&str> = a
                .layers
                .iter()
                .filter(|l| l.critical && l.control == Control::Foreign)
                .map(|l| i18n::layer(lang, l.kind.as_str()))
                .collect();
            let (n, list) = (layers.len(), layers.join(", "));
            if fr {
                // Agreement with the count: "une de ses couches critiques … est contrôlée".
                let (combien, verbe) = if n == 1 {
                    ("une de ses couches critiques".to_string(), "est contrôlée")
                } else {
                    (format!("{n} de ses couches critiques"), "sont contrôlées")
                };
                format!(
                    "Coquille locale, moteur étranger : {bidder} est contrôlé depuis {home_fr}, mais {combien} ({list}) {verbe} depuis {pays_fr} par {entities}."
                )
            } else {
                let (how_many, verb) = if n == 1 {
                    ("one of its critical layers".to_string(), "is")
                } else {
                    (format!("{n} of its critical layers"), "are")
                };
                format!(
                    "Local shell with a foreign engine: {bidder} is controlled from {home}, but {how_many} ({list}) {verb} controlled from {countries} by {entities}."
                )
            }
        }
        Verdict::Foreign if a.face.local == Some(false) => {
            let who = a.face.controller.as_ref().map_or("?", |c| c.name.as_str());
            let country = a
                .face
                .controller
                .as_ref()
                .map_or("?", |c| c.country.as_str());
            if fr {
                format!(
                    "Étranger : le soumissionnaire {bidder} est lui-même contrôlé par {who} ({country})."
                )
            } else {
                format!("Foreign: the bidder {bidder} is itself controlled by {who} ({country}).")
            }
        }
        Verdict::Foreign if !a.manifest => {
            if fr {
                format!(
                    "Moteur étranger : le logiciel analysé a besoin de services en ligne ou de produits propriétaires contrôlés depuis {pays_fr} par {entities}."
                )
            } else {
                format!(
                    "Foreign engine: the analysed software needs online services or proprietary products controlled from {countries} by {entities}."
                )
            }
        }
        Verdict::Sovereign if !a.manifest => {
            let stewards: BTreeSet<String> = a
                .layers
                .iter()
                .filter(|l| l.control == Control::ForeignSupply)
                .flat_map(|l| l.engines.iter())
                .map(|e| format!("{} ({})", e.name, e.country))
                .collect();
            let list = stewards.into_iter().collect::<Vec<_>>().join(", ");
            let mut s = if fr {
                "Pas de moteur étranger : le logiciel analysé n'a besoin d'aucun service en ligne ni d'aucun produit propriétaire sous contrôle étranger pour fonctionner.".to_string()
            } else {
                "No foreign engine: the analysed software needs no foreign-controlled online service or proprietary product to run.".to_string()
            };
            if !list.is_empty() {
                s.push_str(&if fr {
                    format!(" Une partie de son code libre est maintenue par {list} : une dépendance de fourniture, pas un interrupteur à distance.")
                } else {
                    format!(" Part of its open-source code is stewarded by {list}: a supply dependency, not a kill switch.")
                });
            }
            s
        }
        Verdict::Foreign => {
            if fr {
                format!(
                    "Moteur étranger : le logiciel analysé dépend de produits contrôlés depuis {pays_fr} par {entities}."
                )
            } else {
                format!(
                    "Foreign engine: the analysed software depends on products controlled from {countries} by {entities}."
                )
            }
        }
        Verdict::Sovereign => {
            let supply: BTreeSet<String> = a
                .layers
                .iter()
                .filter(|l| l.critical && l.control == Control::ForeignSupply)
                .filter_map(|l| {
                    l.engine
                        .as_ref()
                        .map(|e| format!("{} ({})", e.name, e.country))
                })
                .collect();
            let list = supply.iter().cloned().collect::<Vec<_>>().join(", ");
            match (supply.is_empty(), fr) {
                (true, false) => format!(
                    "Sovereign: the bidder and every critical layer are controlled from {home} or by open communities."
                ),
                (true, true) => format!(
                    "Souverain : le soumissionnaire et chaque couche critique sont contrôlés depuis {home_fr} ou par des communautés ouvertes."
                ),
                (false, false) => format!(
                    "Sovereign, with a foreign supply dependency: the bidder and every critical layer are controlled from {home} or by open communities; {list} {} equipment or software that runs without {}.",
                    if supply.len() > 1 {
                        "supply"
                    } else {
                        "supplies"
                    },
                    if supply.len() > 1 { "them" } else { "it" }
                ),
                (false, true) => format!(
                    "Souverain, avec une dépendance de fourniture étrangère : le soumissionnaire et chaque couche critique sont contrôlés depuis {home_fr} ou par des communautés ouvertes ; {list} {} du matériel ou du logiciel qui fonctionne sans {}.",
                    if supply.len() > 1 {
                        "fournissent"
                    } else {
                        "fournit"
                    },
                    if supply.len() > 1 { "eux" } else { "lui" }
                ),
            }
        }
        Verdict::InsufficientEvidence => {
            if fr {
                format!("Preuves insuffisantes : {}", a.reasons_fr.join(" "))
            } else {
                format!("Insufficient evidence: {}", a.reasons.join(" "))
            }
        }
    }
}

/// The report of one analysis, which it consumes: the analysis items become the report's
/// [`Components`]. It reads the registry view and the ownership chains the analysis carries
/// (the bid's own entities included), and walks no chain again.
pub fn build(mut a: Analysis) -> Report {
    let reg = &a.registry;
    let chain = |id: &str| -> Vec<ChainLink> {
        a.chains
            .get(id)
            .cloned()
            .unwrap_or_else(|| attribute::chain(reg, id))
    };
    let mut rows: BTreeSet<RegistryRowOut> = BTreeSet::new();
    // Each entity's chain is walked once, however many components it is attributed to.
    let mut done: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut add_row = |id: &str| {
        if done.contains(id) {
            return;
        }
        for link in chain(id) {
            if link.row.line == 0 {
                continue;
            }
            let e = reg.entity(&link.entity);
            rows.insert(RegistryRowOut {
                row: link.row.to_string(),
                entity: link.entity.clone(),
                name: link.name.clone(),
                country: link.country.clone(),
                source: e.map(|e| e.source.clone()).unwrap_or_default(),
                as_of: e.map(|e| e.as_of.clone()).unwrap_or_default(),
                facts: e.map(|e| e.cites()).unwrap_or_default(),
            });
        }
        done.insert(id.to_string());
    };
    for it in &a.items {
        if let Some(at) = &it.attribution {
            add_row(&at.entity);
        }
    }
    let layers: Vec<LayerOut> = a
        .layers
        .iter()
        .map(|l| {
            for e in &l.engines {
                add_row(&e.entity);
            }
            LayerOut {
                layer: l.kind.as_str().to_string(),
                critical: l.critical,
                declared: l.declared,
                product: l.product.clone(),
                vendor: l
                    .vendor
                    .as_ref()
                    .and_then(|v| reg.entity(&v.entity))
                    .map(|e| e.name.clone()),
                operator: l
                    .operator_controller
                    .as_ref()
                    .map(|c| format!("{} ({})", c.name, c.country)),
                sites: l
                    .sites
                    .iter()
                    .map(|s| match &s.city {
                        Some(c) => format!("{} ({c})", s.country),
                        None => s.country.clone(),
                    })
                    .collect(),
                control: l.control.as_str(),
                engine: l.engine.as_ref().map(ctl_out),
                engines: l.engines.iter().map(ctl_out).collect(),
                engine_chain: l
                    .vendor
                    .as_ref()
                    .or(l
                        .operator
                        .as_ref()
                        .filter(|_| l.kind == crate::ingest::manifest::LayerKind::Datacenter))
                    .map(|v| chain(&v.entity))
                    .or_else(|| l.engine.as_ref().map(|e| chain(&e.entity)))
                    .unwrap_or_default(),
                evidence: l.engine_evidence.clone(),
                components: l.items,
                attributed: l.attributed,
                by_country: l.by_country.clone(),
                licence: l.licence.map(|x| format!("{x:?}").to_lowercase()),
                key_model: l.key_model.map(|x| format!("{x:?}").to_lowercase()),
                requires_vendor_online: l.requires_vendor_online,
                required_by: l.required_by.clone(),
                missing: l.missing,
                products: l.products.clone(),
                contradictions: l.contradictions.clone(),
            }
        })
        .collect();
    for b in &a.blast_radius {
        add_row(&b.controller.entity);
    }
    let mut by_country: BTreeMap<String, usize> = BTreeMap::new();
    let mut foreign_controlled = 0;
    for it in &a.items {
        if let Some(c) = &it.controller {
            *by_country.entry(c.country.clone()).or_default() += 1;
            let corporate = !matches!(
                c.kind,
                crate::registry::EntityKind::Foundation | crate::registry::EntityKind::Community
            );
            if corporate && a.is_foreign(&c.country) {
                foreign_controlled += 1;
            }
        }
    }
    let mut findings_by_severity: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in &a.findings {
        *findings_by_severity.entry(f.severity.as_str()).or_default() += 1;
    }
    for s in [Severity::Deny, Severity::Warn, Severity::Info] {
        findings_by_severity.entry(s.as_str()).or_default();
    }
    let mut report = Report {
        schema: SCHEMA,
        tool: Tool {
            name: "coquille",
            version: env!("CARGO_PKG_VERSION"),
        },
        bid: BidRef {
            id: a.bid_id.clone(),
            title: a.title.clone(),
        },
        home: a.home.clone(),
        home_countries: a.home_countries.iter().cloned().collect(),
        inputs: a.inputs.clone(),
        summary: Summary {
            components: a.items.len(),
            attributed: a.coverage.attributed,
            unknown: a.coverage.unknown,
            foreign_controlled,
            by_country,
            verdict: a.verdict.as_str(),
            sentence: sentence_in(&a, crate::i18n::Lang::En),
            reasons: a.reasons.clone(),
            reasons_fr: a.reasons_fr.clone(),
            sentence_fr: sentence_in(&a, crate::i18n::Lang::Fr),
            engine_countries: a.engine_countries.clone(),
            engine_entities: a.engine_entities.clone(),
            findings_by_severity,
        },
        components: Components::default(),
        findings: a.findings.clone(),
        questions: a.questions.clone(),
        face: a.face.clone(),
        layers,
        blast_radius: a.blast_radius.clone(),
        coverage: a.coverage.clone(),
        registry_rows: rows.into_iter().collect(),
        graph: GraphStats {
            nodes: a.graph_nodes,
            edges: a.graph_edges,
        },
    };
    let layer_kinds = a.layers.iter().map(|l| l.kind.as_str()).collect();
    report.components = Components::new(
        std::mem::take(&mut a.items),
        layer_kinds,
        a.registry,
        std::mem::take(&mut a.relations),
    );
    report
}

/// Findings as a reader takes them in: one entry per foreign controller and code, naming every
/// layer it reaches, instead of the same company and laws once per layer.
pub struct FindingGroup<'a> {
    /// The first finding of the group: its message, code and severity speak for it.
    pub first: &'a Finding,
    /// The other layers the same controller reaches under the same code.
    pub more_layers: Vec<&'a str>,
    /// Laws and evidence of every finding of the group, each once, in order.
    pub laws: Vec<&'a str>,
    pub evidence: Vec<&'a str>,
}

/// Group findings by code and controller (their subject) where a controller can reach several
/// layers (`compelled-access`, `kill-switch`); every other finding stands alone.
pub fn grouped(findings: &[Finding]) -> Vec<FindingGroup<'_>> {
    let mut out: Vec<FindingGroup> = Vec::new();
    for f in findings {
        let groupable =
            matches!(f.code.as_str(), "compelled-access" | "kill-switch") && f.subject.is_some();
        let at = groupable
            .then(|| {
                out.iter().position(|g| {
                    g.first.code == f.code
                        && g.first.subject == f.subject
                        && g.first.severity == f.severity
                })
            })
            .flatten();
        let g = match at {
            Some(i) => {
                if let Some(l) = f.layer.as_deref() {
                    out[i].more_layers.push(l);
                }
                &mut out[i]
            }
            None => {
                out.push(FindingGroup {
                    first: f,
                    more_layers: Vec::new(),
                    laws: Vec::new(),
                    evidence: Vec::new(),
                });
                out.last_mut().expect("just pushed")
            }
        };
        for l in &f.laws {
            if !g.laws.contains(&l.as_str()) {
                g.laws.push(l);
            }
        }
        for e in &f.evidence {
            if !g.evidence.contains(&e.as_str()) {
                g.evidence.push(e);
            }
        }
    }
    out
}

fn relation_name(k: crate::model::RelationKind) -> &'static str {
    use crate::model::RelationKind as R;
    match k {
        R::DependsOn => "depends-on",
        R::BuildDependsOn => "build-depends-on",
        R::DevDependsOn => "dev-depends-on",
        R::OptionalDependsOn => "optional-depends-on",
        R::Contains => "contains",
        R::Describes => "describes",
        R::Other => "other",
    }
}
