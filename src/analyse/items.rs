//! Stage 1: layers and items from the evidence. Declared layers come first (the
//! manifest's order), then layers implied by component types as they appear.
//! Items are the manifest's declared products and services, and every SBOM
//! component and service; relations are kept by item index.

use super::{BidEvidence, Item, LayerView, Sbom, endpoint, face::FaceParts, implied_layer};
use crate::attribute;
use crate::ingest::manifest::LayerKind;
use crate::model::{Component, Diagnostic, Origin, RelationKind};
use crate::registry::Registry;
use std::collections::{BTreeSet, HashMap};

/// What the first stage hands on.
pub struct Built {
    pub layers: Vec<LayerView>,
    pub items: Vec<Item>,
    pub relations: Vec<(usize, usize, RelationKind)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The index of the layer of `kind`, added as an implied layer if the bid has none.
pub fn layer_for(layers: &mut Vec<LayerView>, kind: LayerKind) -> usize {
    if let Some(i) = layers.iter().position(|l| l.kind == kind) {
        return i;
    }
    layers.push(LayerView::implied(kind));
    layers.len() - 1
}

impl Item {
    /// An item with its identity and place; later stages fill in the rest.
    pub fn new(
        key: String,
        bom_ref: String,
        name: String,
        kind: impl Into<String>,
        layer: usize,
        origin: Origin,
    ) -> Item {
        Item {
            key,
            bom_ref,
            name,
            version: None,
            purl: None,
            cpe: None,
            kind: kind.into(),
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
            dependency: super::Dependency::LicenceUnknown,
            licence: None,
            service: None,
        }
    }
}

/// The manifest's layers, with their declared vendor and operator attributed.
fn declared_layers(reg: &Registry, ev: &BidEvidence, face: &FaceParts) -> Vec<LayerView> {
    let Some(m) = &ev.manifest else {
        return Vec::new();
    };
    let file = ev.manifest_file.clone().unwrap_or_default();
    let mut layers = Vec::new();
    for (i, l) in m.layers.iter().enumerate() {
        let o = |f: &str| Origin::new(file.clone(), format!("layers[{i}].{f}"));
        let vendor = l
            .vendor
            .as_deref()
            .and_then(|v| attribute::declared(reg, v, &o("vendor")));
        let operator = l.operator.as_deref().and_then(|v| {
            if v == "bidder" {
                face.bidder_entity
                    .as_deref()
                    .and_then(|b| attribute::declared(reg, b, &o("operator")))
                    .map(|mut a| {
                        // The manifest wrote `bidder`, not the id the analysis gave it.
                        a.value = "bidder".into();
                        a
                    })
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
            origin: Some(Origin::new(file.clone(), format!("layers[{i}]"))),
            ..LayerView::implied(l.layer)
        });
    }
    layers
}

/// A service layer (data centre, support, SOC) without a vendor is governed by whoever runs it.
pub fn is_service_layer(k: LayerKind) -> bool {
    matches!(
        k,
        LayerKind::Datacenter | LayerKind::Support | LayerKind::Soc
    )
}

/// Declared products (one per manifest layer with a vendor or product) and declared services.
/// Returns the item of each layer's product, by layer index.
fn declared_items(
    reg: &Registry,
    ev: &BidEvidence,
    layers: &mut Vec<LayerView>,
    items: &mut Vec<Item>,
) -> HashMap<usize, usize> {
    let mut product_item = HashMap::new();
    let Some(m) = &ev.manifest else {
        return product_item;
    };
    let file = ev.manifest_file.clone().unwrap_or_default();
    for (i, l) in m.layers.iter().enumerate() {
        if l.vendor.is_none() && l.product.is_none() {
            continue;
        }
        let name = l.product.clone().or(l.vendor.clone()).unwrap_or_default();
        let mut it = Item::new(
            format!("{file}#layers[{i}]"),
            format!("layers[{i}]"),
            name,
            "product",
            i,
            Origin::new(file.clone(), format!("layers[{i}]")),
        );
        it.dependency = super::Dependency::Product;
        it.attribution = layers[i]
            .vendor
            .clone()
            .or_else(|| {
                layers[i]
                    .operator
                    .clone()
                    .filter(|_| is_service_layer(l.layer))
            })
            .map(Box::new);
        product_item.insert(i, items.len());
        items.push(it);
    }
    for (j, s) in m.services.iter().enumerate() {
        let layer = layer_for(layers, s.layer.unwrap_or(LayerKind::Application));
        let origin = Origin::new(file.clone(), format!("services[{j}]"));
        let mut it = Item::new(
            format!("{file}#services[{j}]"),
            format!("services[{j}]"),
            s.name.clone(),
            "service",
            layer,
            origin.clone(),
        );
        it.dependency = super::Dependency::Service;
        it.attribution = s
            .provider
            .as_deref()
            .and_then(|p| {
                attribute::declared(
                    reg,
                    p,
                    &Origin::new(file.clone(), format!("services[{j}].provider")),
                )
            })
            .map(Box::new);
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
            it.attribution = attribute::service(reg, &svc).map(Box::new);
        }
        items.push(it);
    }
    product_item
}

/// Every SBOM component and service as an item, and the relations between them. The SBOMs
/// are consumed: an item takes its component's strings instead of copying them, and what the
/// analysis does not keep (parties, references, properties) is freed component by component.
fn sbom_items(
    reg: &Registry,
    sboms: Vec<Sbom>,
    product_item: &HashMap<usize, usize>,
    layers: &mut Vec<LayerView>,
    items: &mut Vec<Item>,
    relations: &mut Vec<(usize, usize, RelationKind)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // One allocation of the right size: doubling a vector of a million items would hold up
    // to twice what it needs, and briefly both copies.
    items.reserve_exact(
        sboms
            .iter()
            .map(|s| s.inventory.components.len() + s.inventory.services.len())
            .sum(),
    );
    for sbom in sboms {
        let sbom_layer = sbom.layer;
        let mut inv = sbom.inventory;
        diagnostics.append(&mut inv.diagnostics);
        let first = items.len();
        for c in std::mem::take(&mut inv.components) {
            let layer = match sbom_layer {
                Some(l) => l,
                None => layer_for(layers, implied_layer(&c.kind)),
            };
            items.push(component_item(reg, c, layer));
        }
        for s in std::mem::take(&mut inv.services) {
            // What a source scan found counts only when the registry knows the provider:
            // a URL or setting nobody recognises is not evidence of foreign control.
            let scanned = s
                .properties
                .iter()
                .any(|(k, _)| k == "coquille:source-scan");
            let attribution = attribute::service(reg, &s);
            if scanned && attribution.is_none() {
                continue;
            }
            let layer = match sbom_layer {
                Some(l) => l,
                None => layer_for(layers, LayerKind::Application),
            };
            let mut it = Item::new(
                format!("{}#{}", s.origin.file, s.bom_ref),
                s.bom_ref,
                s.name,
                "service",
                layer,
                s.origin,
            );
            it.dependency = super::Dependency::Service;
            it.version = s.version;
            it.attribution = attribution.map(Box::new);
            it.endpoints = s
                .endpoints
                .iter()
                .map(|e| endpoint(reg, e, &it.origin))
                .collect();
            items.push(it);
        }
        // A later element with the same ref wins, as it did when refs were inserted in order.
        let by_ref: HashMap<&str, usize> = items[first..]
            .iter()
            .enumerate()
            .map(|(k, it)| (it.bom_ref.as_str(), first + k))
            .collect();
        for r in &inv.relations {
            if let (Some(&a), Some(&b)) = (by_ref.get(&*r.from), by_ref.get(&*r.to)) {
                relations.push((a, b, r.kind));
            }
        }
        // The document's subject hangs under the layer's declared product.
        if let (Some(l), Some(subject)) = (sbom_layer, inv.metadata.subject.as_deref())
            && let (Some(&p), Some(&s)) = (product_item.get(&l), by_ref.get(subject))
        {
            relations.push((p, s, RelationKind::Contains));
        }
    }
}

/// A component as an item of `layer`, attributed, taking the component's strings.
fn component_item(reg: &Registry, c: Component, layer: usize) -> Item {
    let attribution = attribute::component(reg, &c);
    let prop = |k: &str| {
        c.properties
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let dependency_kind = prop("cargo:dependency-kind");
    let targets = prop("cargo:target");
    let dev_only = c.scope.as_deref() == Some("excluded");
    let mut it = Item::new(
        format!("{}#{}", c.origin.file, c.bom_ref),
        c.bom_ref,
        c.name,
        c.kind,
        layer,
        c.origin,
    );
    it.version = c.version;
    it.purl = c.purl;
    it.cpe = c.cpe;
    it.licenses = c.licenses;
    it.attribution = attribution.map(Box::new);
    it.dev_only = dev_only;
    it.dependency_kind = dependency_kind;
    it.targets = targets;
    it
}

/// Dev-only dependencies don't ship: an item that is the target of a dev relation and of no
/// other relation is dev-only (readers that know better, like cargo metadata, mark the scope
/// themselves).
fn mark_dev_only(items: &mut [Item], relations: &[(usize, usize, RelationKind)]) {
    let mut other_incoming = vec![false; items.len()];
    for &(_, b, k) in relations {
        if k != RelationKind::DevDependsOn {
            other_incoming[b] = true;
        }
    }
    for &(_, b, k) in relations {
        if k == RelationKind::DevDependsOn && !other_incoming[b] {
            items[b].dev_only = true;
        }
    }
}

/// Layers and items from the bid's evidence.
/// Items, layers and relations of a bid, whose SBOMs (`sboms`, taken out of `ev`) are consumed.
pub fn build(reg: &Registry, ev: &BidEvidence, sboms: Vec<Sbom>, face: &FaceParts) -> Built {
    let mut layers = declared_layers(reg, ev, face);
    let mut items = Vec::new();
    let mut relations = Vec::new();
    let mut diagnostics = Vec::new();
    let product_item = declared_items(reg, ev, &mut layers, &mut items);
    sbom_items(
        reg,
        sboms,
        &product_item,
        &mut layers,
        &mut items,
        &mut relations,
        &mut diagnostics,
    );
    mark_dev_only(&mut items, &relations);
    Built {
        layers,
        items,
        relations,
        diagnostics,
    }
}

/// Controllers, control jurisdictions (from each entity's chain) and site jurisdictions
/// (the layer's sites and the item's endpoints), once every item has its place.
pub fn resolve_controllers(reg: &Registry, items: &mut [Item], layers: &[LayerView]) {
    let mut cache: HashMap<String, (Option<attribute::Controller>, Vec<String>)> = HashMap::new();
    for it in items.iter_mut() {
        if let Some(a) = &it.attribution {
            if !cache.contains_key(&a.entity) {
                let found = (
                    attribute::controller(reg, &a.entity),
                    reg.control_jurisdictions(&a.entity),
                );
                cache.insert(a.entity.clone(), found);
            }
            let (c, j) = cache[&a.entity].clone();
            it.controller = c.map(Box::new);
            it.control_jurisdictions = j;
        }
        let l = &layers[it.layer];
        let mut sites: BTreeSet<String> = l.sites.iter().map(|s| s.country.clone()).collect();
        sites.extend(it.endpoints.iter().filter_map(|e| e.country.clone()));
        it.site_jurisdictions = sites.into_iter().collect();
    }
}
