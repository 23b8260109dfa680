//! A report's components, kept as the analysis built them and rendered one at a time.
//!
//! A report of a million components used to hold a [`ComponentOut`] for each beside the
//! analysis items it was made from: two copies of every name, purl and jurisdiction, and an
//! evidence sentence per component, all alive while the report was written. [`Components`]
//! keeps only the items (and the registry view that names their entities) and builds each
//! [`ComponentOut`] when a renderer or the JSON serialiser asks for it, so a component's
//! report text lives as long as the line that writes it.

use super::{AttributionOut, ComponentOut, ServiceOut, ctl_out};
use crate::analyse::Item;
use crate::model::RelationKind;
use crate::registry::Registry;
use serde::{Serialize, Serializer};
use std::collections::BTreeSet;

/// The components of a report, in analysis order.
#[derive(Debug, Clone, Default)]
pub struct Components {
    items: Vec<Item>,
    /// The layer kind of each layer index an item names.
    layers: Vec<&'static str>,
    registry: Registry,
    relations: Vec<(usize, usize, RelationKind)>,
}

impl Components {
    /// The components of `items`, whose `layer` indexes `layers`, named from `registry`.
    pub fn new(
        items: Vec<Item>,
        layers: Vec<&'static str>,
        registry: Registry,
        relations: Vec<(usize, usize, RelationKind)>,
    ) -> Components {
        Components {
            items,
            layers,
            registry,
            relations,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Each component's report entry, built as the iterator reaches it.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = ComponentOut> + '_ {
        self.items.iter().map(|it| self.out(it))
    }

    /// What the graph exports need of each component, borrowed from the items: the full
    /// entry (and its evidence sentence) is not built for a node.
    pub fn graph_items(&self) -> impl ExactSizeIterator<Item = GraphItem<'_>> + '_ {
        self.items.iter().map(|it| GraphItem {
            reference: &it.key,
            name: &it.name,
            version: it.version.as_deref(),
            layer: self.layers[it.layer],
            controller: it.controller.as_deref(),
            attribution: it.attribution.as_ref().map(|at| {
                let e = self.registry.entity(&at.entity);
                (
                    at.entity.as_str(),
                    e.map_or("", |e| e.name.as_str()),
                    e.map_or("", |e| e.country.as_str()),
                )
            }),
        })
    }

    /// Item-to-item dependencies as indices into [`Components::graph_items`] and their kind.
    pub fn dependency_indices(&self) -> impl Iterator<Item = (usize, usize, &'static str)> + '_ {
        self.relations
            .iter()
            .map(|&(x, y, k)| (x, y, super::relation_name(k)))
    }

    fn out(&self, it: &Item) -> ComponentOut {
        let reg = &self.registry;
        let attribution = it.attribution.as_ref().map(|at| {
            let e = reg.entity(&at.entity);
            AttributionOut {
                entity: at.entity.clone(),
                name: e.map(|e| e.name.clone()).unwrap_or_default(),
                country: e.map(|e| e.country.clone()).unwrap_or_default(),
                confidence: at.confidence.as_str(),
                method: at.method.as_str(),
                evidence: at.evidence(reg),
                registry_row: at.row.as_ref().map(|r| r.to_string()),
                source: e.map(|e| e.source.clone()).filter(|s| !s.is_empty()),
            }
        });
        let jurisdictions: BTreeSet<&String> = it
            .control_jurisdictions
            .iter()
            .chain(&it.site_jurisdictions)
            .collect();
        ComponentOut {
            reference: it.key.clone(),
            name: it.name.clone(),
            version: it.version.clone(),
            purl: it.purl.clone(),
            kind: it.kind.clone(),
            layer: self.layers[it.layer],
            attribution,
            controller: it.controller.as_deref().map(ctl_out),
            jurisdictions: jurisdictions.into_iter().cloned().collect(),
            control_jurisdictions: it.control_jurisdictions.clone(),
            site_jurisdictions: it.site_jurisdictions.clone(),
            endpoints: it.endpoints.clone(),
            dev_only: it.dev_only,
            dependency_kind: it.dependency_kind.clone(),
            targets: it.targets.clone(),
            dependency: it.dependency.as_str(),
            licence: it.licence.clone(),
            service: it.service.as_ref().map(|s| ServiceOut {
                provider: s.provider.clone(),
                provider_name: reg
                    .entity(&s.provider)
                    .map_or_else(|| s.provider.clone(), |e| e.name.clone()),
                service: s.service.clone(),
                layer: s.layer.as_str(),
                evidence: s.evidence.clone(),
            }),
        }
    }
}

/// A component as the graph exports see it.
pub struct GraphItem<'a> {
    pub reference: &'a str,
    pub name: &'a str,
    pub version: Option<&'a str>,
    pub layer: &'static str,
    pub controller: Option<&'a crate::attribute::Controller>,
    /// The attributed entity: id, name and country.
    pub attribution: Option<(&'a str, &'a str, &'a str)>,
}

/// The JSON array of components, each built, written and dropped in turn.
impl Serialize for Components {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}
