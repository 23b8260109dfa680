//! The face of a bid: the bidder, its owners, its operators and sites.

use super::LayerView;
use crate::attribute::{self, ChainLink, Controller};
use crate::ingest::manifest::{Manifest, Owner};
use crate::registry::{Entity, EntityKind, Registry, RowRef};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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

/// The bidder's name in a report without a bid manifest (English, as in the JSON report).
const NO_MANIFEST: &str = "(no bid manifest)";

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
    /// Is the face local? `None` when the bidder's controller is unknown, or when a bidder
    /// the registry does not know declares no owners.
    pub local: Option<bool>,
    /// Look-through share of the capital no declared owner accounts for, in percent.
    pub undisclosed: f64,
    /// Declared parties the registry knows, whose declared country is not their controller's.
    pub country_checks: Vec<CountryCheck>,
    /// Owners named by a registry id the registry does not have: (element, id, closest id).
    pub unknown_ids: Vec<(String, String, Option<String>)>,
    /// Was there a bid manifest? Without one, `bidder_name` is a placeholder.
    #[serde(skip)]
    pub manifest: bool,
}

impl Face {
    /// The bidder's name, or the placeholder for a report without a bid manifest in `lang`.
    pub fn bidder_in(&self, lang: crate::i18n::Lang) -> &str {
        if self.manifest {
            &self.bidder_name
        } else {
            lang.pick(NO_MANIFEST, "(sans manifeste d'offre)")
        }
    }

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
    /// The same in French (`, contrôlé par Name (CC)`).
    pub who_fr: String,
}

pub struct FaceParts {
    pub bidder_entity: Option<String>,
    /// The registry entity each declared party (`bidder`, `bidder.owners[0]`, …) was found to
    /// be, by its `entity` key or by its name.
    pub resolved: BTreeMap<String, Resolved>,
}

/// A declared party the registry knows.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub entity: String,
    /// How it was found: `entity = "…"`, the exact name, or the name of an affiliate.
    pub how: String,
    pub row: RowRef,
}

/// A party whose declared country is not the country its registry controller answers to.
#[derive(Debug, Clone, Serialize)]
pub struct CountryCheck {
    /// The manifest element: `bidder.owners[1]`.
    pub element: String,
    pub name: String,
    pub declared: Option<String>,
    pub entity: String,
    pub entity_name: String,
    pub entity_country: String,
    pub controller: Controller,
    /// Manifest element, how the registry matched it, and the registry row with its source.
    pub evidence: Vec<String>,
}

/// The registry entity a declared party is: its `entity` key if the registry has it, else its
/// name through the registry's name matchers, like any supplier.
fn resolve(base: &Registry, entity: Option<&str>, name: Option<&str>) -> Option<Resolved> {
    if let Some(e) = entity.and_then(|id| base.entity(id)) {
        return Some(Resolved {
            entity: e.id.clone(),
            how: format!("entity = \"{}\"", e.id),
            row: e.row.clone(),
        });
    }
    let name = name.or(entity)?;
    let (hit, how) = match base.index().party(name) {
        Some((hit, affiliate)) => {
            let how = if affiliate {
                format!("name \"{name}\" begins with the registry's {}", hit.rule)
            } else {
                format!("name \"{name}\" matched {}", hit.rule)
            };
            (hit, how)
        }
        // A declared name that begins with a registry name is that company until the bidder
        // shows otherwise: a near spelling must not pass for an unknown local party.
        None => {
            let (hit, words) = base.index().party_prefix(name)?;
            let how = format!(
                "name \"{name}\" begins with \"{words}\", the registry's {}",
                hit.rule
            );
            (hit, how)
        }
    };
    Some(Resolved {
        entity: hit.entity,
        how,
        row: hit.row,
    })
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
        source_date: None,
        as_of: String::new(),
        source_quote: String::new(),
        quote_states: Some(Vec::new()),
        unconfirmed: Vec::new(),
        quotes: Vec::new(),
        note: String::new(),
        row: RowRef {
            file: file.to_string(),
            line: 0,
        },
    }
}

/// What the owner stage builds: bid-local entities and the parties the registry resolved.
struct Owners<'a> {
    bid: &'a str,
    file: &'a str,
    base: &'a Registry,
    out: Vec<Entity>,
    resolved: BTreeMap<String, Resolved>,
}

impl Owners<'_> {
    fn owners(&mut self, path: &str, owners: &[Owner]) -> Up {
        let mut parent = None;
        for (i, o) in owners.iter().enumerate() {
            let here = format!("{path}.owners[{i}]");
            let controls = o.control.unwrap_or(o.share > 50.0);
            let id = match resolve(self.base, o.entity.as_deref(), o.name.as_deref()) {
                Some(r) => {
                    let id = r.entity.clone();
                    self.resolved.insert(here.clone(), r);
                    id
                }
                None => {
                    let id = format!("bid:{}:{here}", self.bid);
                    let up = self.owners(&here, &o.owners);
                    let name = o
                        .name
                        .clone()
                        .or(o.entity.clone())
                        .unwrap_or_else(|| "(unnamed owner)".into());
                    self.out.push(declared_entity(
                        id.clone(),
                        name,
                        o.country.clone(),
                        up,
                        self.file,
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
}

/// The registry extended with the bid's own entities (bidder and owners). Declared parties
/// the registry knows (by `entity` or by name) are the registry's entities, not the bid's.
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
                resolved: BTreeMap::new(),
            },
        );
    };
    let mut st = Owners {
        bid,
        file,
        base,
        out: Vec::new(),
        resolved: BTreeMap::new(),
    };
    if let Some(r) = resolve(base, m.bidder.entity.as_deref(), m.bidder.name.as_deref()) {
        let id = r.entity.clone();
        st.resolved.insert("bidder".into(), r);
        // The registry's chain decides who controls a bidder it knows, but owners the bid
        // declares are still looked up and counted: a foreign holder a bidder admits to is
        // evidence, whatever the registry's row says.
        st.owners("bidder", &m.bidder.owners);
        let reg = if st.out.is_empty() {
            base.clone()
        } else {
            base.with_extra(st.out)
        };
        return (
            reg,
            FaceParts {
                bidder_entity: Some(id),
                resolved: st.resolved,
            },
        );
    }
    let up = st.owners("bidder", &m.bidder.owners);
    let id = format!("bid:{bid}:bidder");
    let name = m
        .bidder
        .name
        .clone()
        .unwrap_or_else(|| "(unnamed bidder)".into());
    st.out.push(declared_entity(
        id.clone(),
        name,
        m.bidder.country.clone(),
        up,
        file,
        "bidder",
    ));
    (
        base.with_extra(st.out),
        FaceParts {
            bidder_entity: Some(id),
            resolved: st.resolved,
        },
    )
}

/// Every owner of the cap table with its manifest element (`bidder.owners[1].owners[0]`),
/// depth first.
fn owners_by_element(m: &Manifest) -> Vec<(String, &Owner)> {
    fn walk<'a>(path: &str, owners: &'a [Owner], out: &mut Vec<(String, &'a Owner)>) {
        for (i, o) in owners.iter().enumerate() {
            let here = format!("{path}.owners[{i}]");
            out.push((here.clone(), o));
            walk(&here, &o.owners, out);
        }
    }
    let mut out = Vec::new();
    walk("bidder", &m.bidder.owners, &mut out);
    out
}

/// Owners whose `entity` key names no registry row, with the closest id.
fn unknown_ids(
    reg: &Registry,
    m: &Manifest,
    parts: &FaceParts,
) -> Vec<(String, String, Option<String>)> {
    owners_by_element(m)
        .into_iter()
        .filter(|(here, _)| !parts.resolved.contains_key(here))
        .filter_map(|(here, o)| {
            let id = o.entity.as_ref()?;
            Some((here, id.clone(), reg.similar_id(id).map(str::to_string)))
        })
        .collect()
}

/// Declared countries set against the registry: for every party it knows, the country its
/// controller answers to wins, and a declared country that differs is reported.
fn country_checks(
    reg: &Registry,
    m: &Manifest,
    parts: &FaceParts,
    file: &str,
) -> Vec<CountryCheck> {
    let mut declared: Vec<(String, Option<String>, Option<String>)> = vec![(
        "bidder".into(),
        m.bidder.name.clone().or(m.bidder.entity.clone()),
        m.bidder.country.clone(),
    )];
    declared.extend(
        owners_by_element(m)
            .into_iter()
            .map(|(here, o)| (here, o.name.clone().or(o.entity.clone()), o.country.clone())),
    );
    let mut out = Vec::new();
    for (element, name, country) in declared {
        let Some(r) = parts.resolved.get(&element) else {
            continue;
        };
        let (Some(e), Some(c)) = (reg.entity(&r.entity), attribute::controller(reg, &r.entity))
        else {
            continue;
        };
        if country.as_deref() == Some(c.country.as_str()) {
            continue;
        }
        let mut evidence = vec![format!(
            "{file} ({element}): {} ({}){}",
            r.how,
            r.row,
            country
                .as_deref()
                .map(|c| format!(", country = \"{c}\""))
                .unwrap_or_default()
        )];
        evidence.extend(
            attribute::chain(reg, &r.entity)
                .iter()
                .map(|l| format!("{} ({}) {}", l.name, l.country, l.citation())),
        );
        out.push(CountryCheck {
            element,
            name: name.unwrap_or_else(|| e.name.clone()),
            declared: country,
            entity: e.id.clone(),
            entity_name: e.name.clone(),
            entity_country: e.country.clone(),
            controller: c,
            evidence,
        });
    }
    out
}

/// The cap table as the look-through reads it.
struct CapTable<'a> {
    reg: &'a Registry,
    parts: &'a FaceParts,
    home: &'a BTreeSet<String>,
    out: Vec<Holder>,
}

impl CapTable<'_> {
    /// Look through the cap table: capital and votes multiply down every level. A registry
    /// entity's country is its controller's; capital nobody declares is an undisclosed holder
    /// of unknown country (counted, never treated as local).
    fn holders(&mut self, path: &str, owners: &[Owner], (capital, votes): (f64, f64)) {
        let mut declared = 0.0;
        for (i, o) in owners.iter().enumerate() {
            let here = format!("{path}.owners[{i}]");
            let share = capital * o.share / 100.0;
            let vote = votes * o.votes.unwrap_or(o.share) / 100.0;
            declared += o.share;
            let resolved = self.parts.resolved.get(&here);
            if resolved.is_none() && !o.owners.is_empty() {
                self.holders(&here, &o.owners, (share, vote));
                continue;
            }
            let country = match resolved {
                Some(r) => attribute::controller(self.reg, &r.entity).map(|c| c.country),
                // An `entity` the registry does not know: who this is, and so where, is unknown.
                None if o.entity.is_some() => None,
                None => o.country.clone(),
            };
            self.out.push(Holder {
                name: o.name.clone().or(o.entity.clone()).unwrap_or_default(),
                entity: resolved.map(|r| r.entity.clone()).or(o.entity.clone()),
                foreign: country.as_ref().map(|c| !self.home.contains(c)),
                country,
                share,
                votes: vote,
            });
        }
        let rest = (100.0 - declared).max(0.0);
        if rest > 1e-6 {
            self.out.push(Holder {
                name: format!("(undisclosed holders of {path})"),
                entity: None,
                country: None,
                share: capital * rest / 100.0,
                votes: votes * rest / 100.0,
                foreign: None,
            });
        }
    }
}

/// The holder [`CapTable::holders`] adds for capital no declared owner accounts for.
fn is_undisclosed(h: &Holder) -> bool {
    h.entity.is_none() && h.country.is_none() && h.name.starts_with("(undisclosed")
}

pub fn face(
    reg: &Registry,
    m: Option<&Manifest>,
    file: &str,
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
    let mut cap = CapTable {
        reg,
        parts,
        home,
        out: Vec::new(),
    };
    // A bidder the registry knows has its ownership there; a declared one must state it.
    // Owners declared for a known bidder are counted too (what the bid admits is evidence).
    let declared_bidder = m.is_some() && !parts.resolved.contains_key("bidder");
    if let Some(m) = m.filter(|m| declared_bidder || !m.bidder.owners.is_empty()) {
        cap.holders("bidder", &m.bidder.owners, (100.0, 100.0));
        if !declared_bidder {
            // The registry accounts for the capital of a bidder it knows: what the bid leaves
            // undeclared is not an unknown holder.
            cap.out.retain(|h| !is_undisclosed(h));
        }
    }
    let hs = cap.out;
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
    let mut by_operator: Vec<(String, String, Vec<&str>)> = Vec::new();
    for l in layers {
        let Some(op) = l.operator.as_ref().and_then(|o| reg.entity(&o.entity)) else {
            continue;
        };
        let ctl = l.operator_controller.as_ref().filter(|c| c.entity != op.id);
        let (who, who_fr) = match ctl {
            Some(c) => (
                format!(
                    "{} ({}), controlled by {} ({})",
                    op.name, op.country, c.name, c.country
                ),
                format!(
                    "{} ({}), contrôlé par {} ({})",
                    op.name, op.country, c.name, c.country
                ),
            ),
            None => {
                let w = format!("{} ({})", op.name, op.country);
                (w.clone(), w)
            }
        };
        match by_operator.iter_mut().find(|(w, _, _)| *w == who) {
            Some((_, _, ls)) => ls.push(l.kind.as_str()),
            None => by_operator.push((who, who_fr, vec![l.kind.as_str()])),
        }
    }
    let operators = by_operator
        .into_iter()
        .map(|(who, who_fr, ls)| Operator {
            layers: ls.into_iter().map(str::to_string).collect(),
            who,
            who_fr,
        })
        .collect();
    let site_countries: BTreeSet<String> = layers
        .iter()
        .flat_map(|l| l.sites.iter().map(|s| s.country.clone()))
        .collect();
    Face {
        bidder_name: bidder.map_or_else(|| NO_MANIFEST.into(), |b| b.name.clone()),
        manifest: bidder.is_some(),
        bidder_entity: parts.bidder_entity.clone(),
        bidder_country: bidder.map(|b| b.country.clone()).filter(|c| c != "ZZ"),
        chain: parts
            .bidder_entity
            .as_deref()
            .map(|id| attribute::chain(reg, id))
            .unwrap_or_default(),
        local: if declared_bidder && m.is_some_and(|m| m.bidder.owners.is_empty()) {
            None
        } else {
            known.map(|c| home.contains(&c.country))
        },
        undisclosed: hs
            .iter()
            .filter(|h| is_undisclosed(h))
            .fold(0.0, |acc, h| acc + h.share),
        country_checks: m
            .map(|m| country_checks(reg, m, parts, file))
            .unwrap_or_default(),
        unknown_ids: m
            .filter(|_| declared_bidder)
            .map(|m| unknown_ids(reg, m, parts))
            .unwrap_or_default(),
        controller: known.cloned(),
        holders: hs,
        foreign_share,
        largest_foreign,
        operators,
        site_countries: site_countries.into_iter().collect(),
    }
}
