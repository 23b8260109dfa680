//! Stage 2: what each dependency is (design §5, "dependency kinds").
//!
//! - a *service client* exists to call a provider's online service (the registry's
//!   `services*.csv`, by purl); the provider is a fact of its own, whoever publishes
//!   the package. Every service client joins a *service item* (provider + service) in
//!   the layer the service serves; CycloneDX `services[]`, manifest services and
//!   endpoints found in Rust sources join the same items by their host names.
//! - *proprietary* code carries a licence that is not open source (the registry's
//!   `licences*.csv` decides over what the SBOM declares);
//! - *open-source* code carries an OSI or FSF licence: forkable;
//! - anything else is *licence unknown*: counted, never assumed either way.

use super::items::layer_for;
use super::licence::{self, LicenceClass};
use super::{Item, LayerView};
use crate::attribute::{Attribution, Method};
use crate::ingest::manifest::LayerKind;
use crate::model::{Origin, RelationKind};
use crate::registry::{Confidence, Registry, ServiceRule};
use serde::Serialize;
use std::collections::HashMap;

/// What the bid depends on through an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Dependency {
    /// A package that calls a provider's online service.
    ServiceClient,
    /// Code under a licence that is not open source.
    Proprietary,
    /// Code under an open-source licence: forkable.
    OpenSource,
    /// Code without licence evidence.
    LicenceUnknown,
    /// An online service (CycloneDX `services[]`, a manifest service, one a client calls).
    Service,
    /// A product the manifest declares for a layer.
    Product,
}

impl Dependency {
    pub fn as_str(self) -> &'static str {
        match self {
            Dependency::ServiceClient => "service-client",
            Dependency::Proprietary => "proprietary",
            Dependency::OpenSource => "open-source",
            Dependency::LicenceUnknown => "licence-unknown",
            Dependency::Service => "service",
            Dependency::Product => "product",
        }
    }

    /// Does the layer need its controller's consent or online service to run?
    pub fn needs_vendor(self) -> bool {
        matches!(self, Dependency::Proprietary | Dependency::Service)
    }
}

/// A provider's online service, as a client calls it or a service item is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceUse {
    pub provider: String,
    pub service: String,
    pub layer: LayerKind,
    /// The registry row that says so, and its source.
    pub evidence: String,
}

/// A component's licence evidence and what it makes of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenceEvidence {
    pub class: LicenceClass,
    /// The licence value that decided (as the SBOM or the registry writes it).
    pub value: Option<String>,
    /// Where it was read: the SBOM element, or the registry row that overrides it.
    pub evidence: String,
    /// The product reaches its vendor online (registry fact), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub online: Option<bool>,
}

fn service_use(rule: &ServiceRule, what: &str) -> ServiceUse {
    ServiceUse {
        provider: rule.provider.clone(),
        service: rule.service.clone(),
        layer: rule.layer,
        evidence: format!(
            "{what} matched {} {} ({}): {} per {} (as of {})",
            rule.kind.as_str(),
            rule.pattern,
            rule.row,
            rule.service,
            rule.source,
            rule.as_of
        ),
    }
}

/// Proprietary code belongs to whoever grants its licence: the registry's licensor, when it
/// names one, replaces the redistributor the SBOM names.
fn licensor(reg: &Registry, it: &Item) -> Option<Attribution> {
    let purl = it.purl.as_deref()?;
    let rule = reg.licence_for_purl(purl)?;
    let entity = rule.entity.clone()?;
    Some(Attribution {
        entity,
        confidence: Confidence::High,
        method: Method::Licensor,
        value: purl.to_string(),
        origin: Origin::new(
            it.origin.file.clone(),
            format!("{}/purl", it.origin.element),
        ),
        rule: format!("licence {} {}", rule.kind.as_str(), rule.pattern),
        row: Some(rule.row.clone()),
    })
}

/// The licence evidence of a component: the registry's fact, else the SBOM's licences.
fn licence_of(reg: &Registry, it: &Item) -> LicenceEvidence {
    if let Some(rule) = it.purl.as_deref().and_then(|p| reg.licence_for_purl(p)) {
        let class = if rule.licence.eq_ignore_ascii_case("proprietary") {
            LicenceClass::NotOpen
        } else {
            licence::classify(&rule.licence)
        };
        return LicenceEvidence {
            class,
            value: Some(rule.licence.clone()),
            evidence: format!(
                "registry {} ({}) per {} (as of {}){}",
                rule.pattern,
                rule.row,
                rule.source,
                rule.as_of,
                if it.licenses.is_empty() {
                    String::new()
                } else {
                    format!("; the SBOM declares {}", it.licenses.join(", "))
                }
            ),
            online: rule.online,
        };
    }
    let (class, value) = licence::classify_all(&it.licenses);
    LicenceEvidence {
        class,
        value: value.map(str::to_string),
        evidence: if it.licenses.is_empty() {
            format!("{}: no licence", it.origin)
        } else {
            format!("{}/licenses: {}", it.origin, it.licenses.join(", "))
        },
        online: None,
    }
}

/// The service item of (provider, service): an existing one, or a new one in its layer.
fn service_item(
    rule: &ServiceRule,
    client: usize,
    items: &mut Vec<Item>,
    layers: &mut Vec<LayerView>,
    by_service: &mut HashMap<(String, String), usize>,
) -> usize {
    let key = (rule.provider.clone(), rule.service.clone());
    if let Some(&i) = by_service.get(&key) {
        return i;
    }
    let c = &items[client];
    let origin = Origin::new(c.origin.file.clone(), format!("{}/purl", c.origin.element));
    let mut it = Item::new(
        format!(
            "{}#service:{}:{}",
            c.origin.file, rule.provider, rule.service
        ),
        format!("service:{}:{}", rule.provider, rule.service),
        rule.service.clone(),
        "service",
        layer_for(layers, rule.layer),
        origin.clone(),
    );
    it.dependency = Dependency::Service;
    it.dev_only = true; // until a client that ships calls it
    it.attribution = Some(Box::new(Attribution {
        entity: rule.provider.clone(),
        confidence: Confidence::High,
        method: Method::ServiceClient,
        value: c.purl.clone().unwrap_or_else(|| c.name.clone()),
        origin,
        rule: format!("service {} {}", rule.kind.as_str(), rule.pattern),
        row: Some(rule.row.clone()),
    }));
    it.service = Some(service_use(
        rule,
        &format!(
            "{}/purl \"{}\"",
            c.origin,
            c.purl.as_deref().unwrap_or_default()
        ),
    ));
    by_service.insert(key, items.len());
    items.push(it);
    items.len() - 1
}

/// Classify every item and add the service items its clients call.
pub fn classify(
    reg: &Registry,
    items: &mut Vec<Item>,
    layers: &mut Vec<LayerView>,
    relations: &mut Vec<(usize, usize, RelationKind)>,
) {
    let mut by_service: HashMap<(String, String), usize> = HashMap::new();
    // Services first: their host names say which service they are.
    for i in 0..items.len() {
        if items[i].dependency != Dependency::Service {
            continue;
        }
        let origin = &items[i].origin;
        let hit = items[i].endpoints.iter().find_map(|e| {
            reg.service_for_host(&e.url)
                .map(|r| (r, format!("{origin} endpoint \"{}\"", e.url)))
        });
        let Some((rule, what)) = hit else { continue };
        // A service in a layer the manifest declared stays there; an implied one moves.
        if !layers[items[i].layer].declared && !items[i].origin.element.starts_with("services[") {
            items[i].layer = layer_for(layers, rule.layer);
        }
        items[i].service = Some(service_use(rule, &what));
        by_service
            .entry((rule.provider.clone(), rule.service.clone()))
            .or_insert(i);
    }
    let n = items.len();
    for i in 0..n {
        if matches!(
            items[i].dependency,
            Dependency::Service | Dependency::Product
        ) {
            continue;
        }
        items[i].licence = Some(licence_of(reg, &items[i]));
        let rule = items[i]
            .purl
            .as_deref()
            .and_then(|p| reg.service_for_purl(p));
        if let Some(rule) = rule {
            let s = service_item(rule, i, items, layers, &mut by_service);
            let what = format!(
                "{}/purl \"{}\"",
                items[i].origin,
                items[i].purl.as_deref().unwrap_or_default()
            );
            items[i].service = Some(service_use(rule, &what));
            items[i].dependency = Dependency::ServiceClient;
            if !items[i].dev_only {
                items[s].dev_only = false;
            }
            relations.push((i, s, RelationKind::DependsOn));
            continue;
        }
        items[i].dependency = match items[i].licence.as_ref().map(|l| l.class) {
            Some(LicenceClass::OpenSource) => Dependency::OpenSource,
            Some(LicenceClass::NotOpen) => Dependency::Proprietary,
            _ => Dependency::LicenceUnknown,
        };
        if items[i].dependency == Dependency::Proprietary
            && let Some(a) = licensor(reg, &items[i])
        {
            items[i].attribution = Some(Box::new(a));
        }
    }
}
