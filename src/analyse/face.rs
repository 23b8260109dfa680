//! The face of a bid: the bidder, its owners, its operators and sites.

use super::LayerView;
use crate::attribute::{self, ChainLink, Controller};
use crate::ingest::manifest::{Manifest, Owner};
use crate::registry::{Entity, EntityKind, Registry, RowRef};
use serde::Serialize;
use std::collections::BTreeSet;

/// A holder of the bidder's capital, looked through the cap table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holder {
    pub name: String,
    pub entity: Option<String>,
    pub country: Option<String>,
    /// Look-through share of the bidder's capital, in percent.
    pub share: f64,
    /// Look-through share of the votes (capital where no vote share is declared).
    pub votes: f64,
    pub foreign: Option<bool>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Face {
    pub bidder_name: String,
    pub bidder_entity: Option<String>,
    pub bidder_country: Option<String>,
    pub controller: Option<Controller>,
    pub chain: Vec<ChainLink>,
    pub holders: Vec<Holder>,
    /// Sum of the look-through shares (capital or votes, whichever is larger) of holders outside
    /// the home jurisdiction (unknown counts as foreign).
    pub foreign_share: f64,
    pub largest_foreign: Option<Holder>,
    /// `layer: operator (country)` for every declared operator.
    pub operators: Vec<Operator>,
    pub site_countries: Vec<String>,
    /// Is the face local? `None` when the bidder's controller is unknown.
    pub local: Option<bool>,
}

impl Face {
    /// `Name (CC)` of the bidder's controller, or `unknown`.
    pub fn controller_label(&self) -> String {
        self.controller.as_ref().map_or("unknown".to_string(), |c| {
            format!("{} ({})", c.name, c.country)
        })
    }
}

/// One operator and the layers it runs.
#[derive(Debug, Clone, Serialize)]
pub struct Operator {
    pub layers: Vec<String>,
    /// `Name (CC)`, with `, controlled by Name (CC)` when that is someone else.
    pub who: String,
}

pub struct FaceParts {
    pub bidder_entity: Option<String>,
}

/// The controlling parent of a bid-local entity: (id, share, control).
type Up = Option<(String, Option<f64>, Option<bool>)>;

/// An entity declared by a bid manifest (not a registry row): `source` names the manifest element.
fn declared_entity(
    id: String,
    name: String,
    country: Option<String>,
    up: Up,
    file: &str,
    element: &str,
) -> Entity {
    Entity {
        id,
        name,
        country: country.clone().unwrap_or_else(|| "ZZ".into()),
        incorporated: country,
        kind: EntityKind::Company,
        parent: up.as_ref().map(|u| u.0.clone()),
        parent_share: up.as_ref().and_then(|u| u.1),
        control: up.as_ref().and_then(|u| u.2),
        aliases: Vec::new(),
        source: format!("declared in {file} ({element})"),
        as_of: String::new(),
        note: String::new(),
        row: RowRef {
            file: file.to_string(),
            line: 0,
        },
    }
}

fn owner_entities(
    bid: &str,
    file: &str,
    path: &str,
    owners: &[Owner],
    base: &Registry,
    out: &mut Vec<Entity>,
) -> Up {
    let mut parent = None;
    for (i, o) in owners.iter().enumerate() {
        let here = format!("{path}.owners[{i}]");
        let controls = o.control.unwrap_or(o.share > 50.0);
        let id = match &o.entity {
            Some(id) if base.entity(id).is_some() => id.clone(),
            _ => {
                let id = format!("bid:{bid}:{here}");
                let up = owner_entities(bid, file, &here, &o.owners, base, out);
                let name = o
                    .name
                    .clone()
                    .or(o.entity.clone())
                    .unwrap_or_else(|| "(unnamed owner)".into());
                out.push(declared_entity(
                    id.clone(),
                    name,
                    o.country.clone(),
                    up,
                    file,
                    &here,
                ));
                id
            }
        };
        if controls && parent.is_none() {
            parent = Some((id, Some(o.share), Some(true)));
        }
    }
    parent
}

/// The registry extended with the bid's own entities (bidder and owners).
pub fn bid_registry(
    base: &Registry,
    m: Option<&Manifest>,
    bid: &str,
    file: &str,
) -> (Registry, FaceParts) {
    let Some(m) = m else {
        return (
            base.clone(),
            FaceParts {
                bidder_entity: None,
            },
        );
    };
    if let Some(id) = &m.bidder.entity
        && base.entity(id).is_some()
    {
        return (
            base.clone(),
            FaceParts {
                bidder_entity: Some(id.clone()),
            },
        );
    }
    let mut extra = Vec::new();
    let up = owner_entities(bid, file, "bidder", &m.bidder.owners, base, &mut extra);
    let id = format!("bid:{bid}:bidder");
    let name = m
        .bidder
        .name
        .clone()
        .unwrap_or_else(|| "(unnamed bidder)".into());
    extra.push(declared_entity(
        id.clone(),
        name,
        m.bidder.country.clone(),
        up,
        file,
        "bidder",
    ));
    (
        base.with_extra(extra),
        FaceParts {
            bidder_entity: Some(id),
        },
    )
}

/// Look through the cap table: capital and votes multiply down every level.
fn holders(
    reg: &Registry,
    owners: &[Owner],
    (capital, votes): (f64, f64),
    home: &BTreeSet<String>,
    out: &mut Vec<Holder>,
) {
    for o in owners {
        let share = capital * o.share / 100.0;
        let vote = votes * o.votes.unwrap_or(o.share) / 100.0;
        if !o.owners.is_empty() {
            holders(reg, &o.owners, (share, vote), home, out);
            continue;
        }
        let country = match &o.entity {
            Some(id) => attribute::controller(reg, id)
                .map(|c| c.country)
                .or(o.country.clone()),
            None => o.country.clone(),
        };
        out.push(Holder {
            name: o.name.clone().or(o.entity.clone()).unwrap_or_default(),
            entity: o.entity.clone(),
            foreign: country.as_ref().map(|c| !home.contains(c)),
            country,
            share,
            votes: vote,
        });
    }
}

pub fn face(
    reg: &Registry,
    m: Option<&Manifest>,
    parts: &FaceParts,
    home: &BTreeSet<String>,
    layers: &[LayerView],
) -> Face {
    let bidder = parts.bidder_entity.as_deref().and_then(|id| reg.entity(id));
    let controller = parts
        .bidder_entity
        .as_deref()
        .and_then(|id| attribute::controller(reg, id));
    let known = controller.as_ref().filter(|c| c.country != "ZZ");
    let mut hs = Vec::new();
    if let Some(m) = m {
        holders(reg, &m.bidder.owners, (100.0, 100.0), home, &mut hs);
    }
    // Capital or votes, whichever is larger (SecNumCloud §19.6 b counts both).
    // Fold from +0.0: an empty float sum is -0.0.
    let foreign = || hs.iter().filter(|h| h.foreign != Some(false));
    let capital = foreign().fold(0.0, |acc, h| acc + h.share);
    let votes = foreign().fold(0.0, |acc, h| acc + h.votes);
    let foreign_share = capital.max(votes);
    let largest_foreign = foreign()
        .max_by(|a, b| {
            a.share
                .max(a.votes)
                .partial_cmp(&b.share.max(b.votes))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .cloned();
    // One line per operator, naming the layers it runs.
    let mut by_operator: Vec<(String, Vec<&str>)> = Vec::new();
    for l in layers {
        let Some(op) = l.operator.as_ref().and_then(|o| reg.entity(&o.entity)) else {
            continue;
        };
        let ctl = l.operator_controller.as_ref().filter(|c| c.entity != op.id);
        let who = match ctl {
            Some(c) => format!(
                "{} ({}), controlled by {} ({})",
                op.name, op.country, c.name, c.country
            ),
            None => format!("{} ({})", op.name, op.country),
        };
        match by_operator.iter_mut().find(|(w, _)| *w == who) {
            Some((_, ls)) => ls.push(l.kind.as_str()),
            None => by_operator.push((who, vec![l.kind.as_str()])),
        }
    }
    let operators = by_operator
        .into_iter()
        .map(|(who, ls)| Operator {
            layers: ls.into_iter().map(str::to_string).collect(),
            who,
        })
        .collect();
    let site_countries: BTreeSet<String> = layers
        .iter()
        .flat_map(|l| l.sites.iter().map(|s| s.country.clone()))
        .collect();
    Face {
        bidder_name: bidder.map_or_else(|| "(no bid manifest)".into(), |b| b.name.clone()),
        bidder_entity: parts.bidder_entity.clone(),
        bidder_country: bidder.map(|b| b.country.clone()).filter(|c| c != "ZZ"),
        chain: parts
            .bidder_entity
            .as_deref()
            .map(|id| attribute::chain(reg, id))
            .unwrap_or_default(),
        local: known.map(|c| home.contains(&c.country)),
        controller: known.cloned(),
        holders: hs,
        foreign_share,
        largest_foreign,
        operators,
        site_countries: site_countries.into_iter().collect(),
    }
}
