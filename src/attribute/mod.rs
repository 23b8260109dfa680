//! Attribution: from a component's evidence to a registry entity, and from
//! that entity up its ownership chain to the ultimate controller.
//!
//! Order of trust (design §4): the manifest's explicit entity, then the SBOM's
//! supplier / manufacturer / provider, then purl and CPE rules, then the
//! publisher, then e-mail and web domains, then the owner of the source
//! repository on a code forge, then author names (never an author's
//! e-mail domain: that is the employer, not the publisher). The first rule that
//! fires wins; its evidence (input element + registry row) is kept.

use crate::model::{Component, Origin, PartyRole, RoledParty, Service};
use crate::registry::facts::{Cite, Fact};
use crate::registry::{Confidence, EntityKind, Hit, Registry, RowRef};
use serde::Serialize;

/// How an attribution was made, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Manifest,
    Supplier,
    Manufacturer,
    Provider,
    Purl,
    Cpe,
    Publisher,
    Domain,
    Endpoint,
    Author,
    Repository,
    /// A service item: the provider whose online service a client package calls.
    ServiceClient,
    /// The registry's licence fact names who grants the product's licence.
    Licensor,
    /// The registry's product table names who licenses a declared product.
    Product,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Manifest => "manifest",
            Method::Supplier => "supplier",
            Method::Manufacturer => "manufacturer",
            Method::Provider => "provider",
            Method::Purl => "purl",
            Method::Cpe => "cpe",
            Method::Publisher => "publisher",
            Method::Domain => "domain",
            Method::Endpoint => "endpoint",
            Method::Author => "author",
            Method::Repository => "repository",
            Method::ServiceClient => "service-client",
            Method::Licensor => "licensor",
            Method::Product => "product",
        }
    }
}

/// An entity named by evidence, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribution {
    pub entity: String,
    pub confidence: Confidence,
    pub method: Method,
    /// The text that matched (a purl, a supplier name, a host).
    pub value: String,
    /// Where in the inputs the evidence sits.
    pub origin: Origin,
    /// The registry rule that matched (`purl pkg:npm/@aws-sdk/*`), or `declared` for the manifest.
    pub rule: String,
    /// The registry row of that rule (absent for manifest declarations of bid-local entities).
    pub row: Option<RowRef>,
}

impl Attribution {
    fn from_hit(hit: Hit, method: Method, value: &str, origin: &Origin, cap: Confidence) -> Self {
        Attribution {
            entity: hit.entity,
            confidence: hit.confidence.min(cap),
            method,
            value: value.to_string(),
            origin: origin.clone(),
            rule: hit.rule,
            row: Some(hit.row),
        }
    }

    /// One line of evidence for reports: input element, what matched, registry row and source.
    pub fn evidence(&self, reg: &Registry) -> String {
        let mut s = format!(
            "{}: {} \"{}\"",
            self.origin,
            self.method.as_str(),
            self.value
        );
        if let Some(row) = &self.row {
            s.push_str(&format!(" matched {} ({row})", self.rule));
        } else {
            s.push_str(&format!(" ({})", self.rule));
        }
        if let Some(e) = reg.entity(&self.entity)
            && !e.source.is_empty()
        {
            // A bid's own declaration has no registry id, row or date to cite: its source says
            // where it is declared.
            if e.as_of.is_empty() {
                s.push_str(&format!("; {} {}", e.name, e.source));
            } else {
                // The attribution names the entity and its country: cite the source that
                // states the country.
                let c = e.stated_or_row(Fact::Country);
                s.push_str(&format!(
                    "; {} per {} ({}, as of {}){}",
                    e.id,
                    c.source,
                    c.row,
                    c.as_of,
                    quoted(c.quote)
                ));
            }
        }
        s
    }
}

fn party_by_name(
    reg: &Registry,
    p: &RoledParty,
    method: Method,
    cap: Confidence,
) -> Option<Attribution> {
    let name = p.party.name.as_deref()?;
    match reg.index().name(name) {
        Some(hit) => Some(Attribution::from_hit(hit, method, name, &p.origin, cap)),
        None => bid_party_named(reg, name, method, &p.origin, cap),
    }
}

/// A party the bid itself declares (its bidder, an owner) named as an SBOM's
/// supplier or author: the bidder's own software is the bidder's.
fn bid_party_named(
    reg: &Registry,
    name: &str,
    method: Method,
    origin: &Origin,
    cap: Confidence,
) -> Option<Attribution> {
    let key = crate::registry::normalize::name(name);
    if key.is_empty() {
        return None;
    }
    let e = reg.local_entities().iter().find(|e| {
        std::iter::once(&e.name)
            .chain(&e.aliases)
            .any(|n| crate::registry::normalize::name(n) == key)
    })?;
    Some(Attribution {
        entity: e.id.clone(),
        confidence: Confidence::Medium.min(cap),
        method,
        value: name.to_string(),
        origin: origin.clone(),
        rule: format!("name of a party the bid declares ({})", e.source),
        row: None,
    })
}

fn party_by_domain(reg: &Registry, p: &RoledParty, cap: Confidence) -> Option<Attribution> {
    let from_name = p
        .party
        .name
        .as_deref()
        .and_then(crate::registry::normalize::email_in);
    p.party
        .emails
        .iter()
        .chain(&p.party.urls)
        .chain(from_name.iter())
        .find_map(|v| {
            let hit = reg.index().domain(v)?;
            Some(Attribution::from_hit(
                hit,
                Method::Domain,
                v,
                &p.origin,
                cap,
            ))
        })
}

fn role_method(role: PartyRole) -> Method {
    match role {
        PartyRole::Supplier => Method::Supplier,
        PartyRole::Manufacturer => Method::Manufacturer,
        PartyRole::Provider => Method::Provider,
        PartyRole::Publisher => Method::Publisher,
        PartyRole::Author | PartyRole::Originator => Method::Author,
    }
}

/// Attribute one SBOM component from its own evidence.
pub fn component(reg: &Registry, c: &Component) -> Option<Attribution> {
    let strong = |r: PartyRole| {
        matches!(
            r,
            PartyRole::Supplier | PartyRole::Manufacturer | PartyRole::Provider
        )
    };
    // 1. supplier / manufacturer by name
    for p in c.parties.iter().filter(|p| strong(p.role)) {
        if let Some(a) = party_by_name(reg, p, role_method(p.role), Confidence::High) {
            return Some(a);
        }
    }
    // 2. purl, 3. CPE
    if let Some(purl) = &c.purl
        && let Some(hit) = reg.index().purl(purl)
    {
        return Some(Attribution::from_hit(
            hit,
            Method::Purl,
            purl,
            &at(&c.origin, "purl"),
            Confidence::High,
        ));
    }
    if let Some(cpe) = &c.cpe
        && let Some(hit) = reg.index().cpe(cpe)
    {
        return Some(Attribution::from_hit(
            hit,
            Method::Cpe,
            cpe,
            &at(&c.origin, "cpe"),
            Confidence::High,
        ));
    }
    // 4. publisher by name
    for p in c.parties.iter().filter(|p| p.role == PartyRole::Publisher) {
        if let Some(a) = party_by_name(reg, p, Method::Publisher, Confidence::Medium) {
            return Some(a);
        }
    }
    // 5. domains of the strong parties and the publisher
    for p in c
        .parties
        .iter()
        .filter(|p| strong(p.role) || p.role == PartyRole::Publisher)
    {
        if let Some(a) = party_by_domain(reg, p, Confidence::Medium) {
            return Some(a);
        }
    }
    // 6. the owner of its source repository on a code forge (github.com/aws…);
    //    a Go module path is its repository (pkg:golang/github.com/protonmail/…).
    if let Some(purl) = &c.purl
        && let Some(path) = crate::registry::normalize::purl_key(purl)
            .and_then(|k| k.strip_prefix("pkg:golang/").map(str::to_string))
        && let Some(hit) = reg.index().repo(&format!("https://{path}"))
    {
        return Some(Attribution::from_hit(
            hit,
            Method::Repository,
            purl,
            &at(&c.origin, "purl"),
            Confidence::Medium,
        ));
    }
    for r in c.external_refs.iter().filter(|r| {
        matches!(
            r.kind.as_str(),
            "vcs" | "website" | "homepage" | "distribution" | "download"
        )
    }) {
        if let Some(hit) = reg.index().repo(&r.url) {
            return Some(Attribution::from_hit(
                hit,
                Method::Repository,
                &r.url,
                &at(&c.origin, "externalReferences"),
                Confidence::Medium,
            ));
        }
    }
    // 7. authors and originators: names, then their e-mail domains
    for p in c
        .parties
        .iter()
        .filter(|p| matches!(p.role, PartyRole::Author | PartyRole::Originator))
    {
        if let Some(a) = party_by_name(reg, p, Method::Author, Confidence::Medium) {
            return Some(a);
        }
    }
    // An author's e-mail domain is not used: it names the author's employer,
    // and employees publish personal projects (strum by a Microsoft engineer).
    // 8. the project's website (never a code forge)
    for r in c
        .external_refs
        .iter()
        .filter(|r| matches!(r.kind.as_str(), "website" | "homepage"))
    {
        if let Some(hit) = reg.index().domain(&r.url) {
            return Some(Attribution::from_hit(
                hit,
                Method::Domain,
                &r.url,
                &at(&c.origin, "externalReferences"),
                Confidence::Low,
            ));
        }
    }
    None
}

/// Attribute a service: its provider, else its endpoints.
pub fn service(reg: &Registry, s: &Service) -> Option<Attribution> {
    if let Some(p) = &s.provider {
        if let Some(a) = party_by_name(reg, p, Method::Provider, Confidence::High) {
            return Some(a);
        }
        if let Some(a) = party_by_domain(reg, p, Confidence::Medium) {
            return Some(a);
        }
    }
    s.endpoints.iter().find_map(|e| {
        let (hit, _) = reg.index().endpoint(e)?;
        Some(Attribution::from_hit(
            hit,
            Method::Endpoint,
            e,
            &at(&s.origin, "endpoints"),
            Confidence::High,
        ))
    })
}

/// Attribute a name written in a bid manifest: a registry id, else a name lookup.
pub fn declared(reg: &Registry, value: &str, origin: &Origin) -> Option<Attribution> {
    if let Some(e) = reg.entity(value) {
        return Some(Attribution {
            entity: e.id.clone(),
            confidence: Confidence::High,
            method: Method::Manifest,
            value: value.to_string(),
            origin: origin.clone(),
            rule: "declared registry id".into(),
            row: (!e.row.file.is_empty()).then(|| e.row.clone()),
        });
    }
    // A name, like any supplier's; a group's name followed by a place or a generic word is its
    // affiliate (`Oracle Maroc SARL`), at medium confidence.
    let (hit, affiliate) = reg.index().party(value)?;
    let mut a = Attribution::from_hit(hit, Method::Manifest, value, origin, Confidence::High);
    if affiliate {
        a.rule = format!("{} (affiliate name)", a.rule);
        a.confidence = Confidence::Medium;
    } else {
        a.confidence = Confidence::High;
    }
    Some(a)
}

fn at(o: &Origin, field: &str) -> Origin {
    Origin::new(o.file.clone(), format!("{}/{field}", o.element))
}

/// The ultimate controller of an attributed entity, as reports show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Controller {
    pub entity: String,
    pub name: String,
    pub country: String,
    pub kind: EntityKind,
}

pub fn controller(reg: &Registry, entity: &str) -> Option<Controller> {
    let c = reg.controller(entity)?;
    Some(Controller {
        entity: c.id.clone(),
        name: c.name.clone(),
        country: c.country.clone(),
        kind: c.kind,
    })
}

/// One link of an ownership chain, with the look-through share from the start.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChainLink {
    pub entity: String,
    pub name: String,
    pub country: String,
    /// Share of the child held by this entity, in percent (None for the first link).
    pub share: Option<f64>,
    /// Multiplied share of the first entity held, through the chain.
    pub look_through: Option<f64>,
    pub controls: bool,
    pub source: String,
    /// The date the registry row's facts hold as of.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub as_of: String,
    /// The source's own sentence stating the entity's country (the source and date above
    /// are that sentence's); empty when no source states it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub quote: String,
    pub row: RowRef,
    /// Each fact the link rests on and the quote that states it: the entity's country and,
    /// above the first link, the child row's parent, share and control.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<Cite>,
}

impl ChainLink {
    /// The registry line that holds `source`: that of the quote stating the entity's country
    /// (a further quote's line when the country comes from `quotes*.csv`), not necessarily
    /// the entity's own row.
    pub fn source_row(&self) -> String {
        self.cites
            .first()
            .map_or_else(|| self.row.to_string(), |c| c.row.clone())
    }

    /// "per SOURCE (FILE:LINE)": the link's source and the registry line that holds it, as
    /// every chain citation in a report words it.
    pub fn citation(&self) -> String {
        format!("per {} ({})", self.source, self.source_row())
    }
}

/// The chain from `entity` to the top of its ownership tree.
pub fn chain(reg: &Registry, entity: &str) -> Vec<ChainLink> {
    let ents = reg.chain(entity);
    let mut out = Vec::new();
    let mut look: Option<f64> = Some(100.0);
    let mut controlled = true;
    for (i, e) in ents.iter().enumerate() {
        let (share, controls) = if i == 0 {
            (None, true)
        } else {
            let child = ents[i - 1];
            let share = child.parent_share;
            look = match (look, share) {
                (Some(l), Some(s)) => Some(l * s / 100.0),
                _ => None,
            };
            controlled = controlled
                && child
                    .control
                    .unwrap_or_else(|| share.is_some_and(|s| s > 50.0));
            (share, controlled)
        };
        let country = e.cite_or_row(Fact::Country);
        let mut cites = vec![country.clone()];
        if i > 0 {
            let child = ents[i - 1];
            cites.extend(
                child
                    .required_facts()
                    .into_iter()
                    .filter(|f| matches!(f, Fact::Parent | Fact::Share | Fact::Control))
                    .map(|f| child.cite_or_row(f)),
            );
        }
        out.push(ChainLink {
            entity: e.id.clone(),
            name: e.name.clone(),
            country: e.country.clone(),
            share,
            look_through: if i == 0 { None } else { look },
            controls,
            source: country.source,
            as_of: country.as_of,
            quote: country.quote,
            row: e.row.clone(),
            cites,
        });
    }
    out
}

/// A fact's quote to append to evidence: `: “…”`, or ` [unconfirmed]` when no source in
/// the registry states it (an empty quote).
pub fn quoted(quote: &str) -> String {
    if !quote.is_empty() {
        format!(": “{quote}”")
    } else {
        " [unconfirmed]".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Party;

    fn reg() -> Registry {
        Registry::from_files(&[
            (
                "vendors/entities.csv".into(),
                "id,name,country,kind,parent,parent_share,control,aliases,source,as_of
amazon,\"Amazon.com, Inc.\",US,company,,,,,https://a,2026-01-01
aws,\"Amazon Web Services, Inc.\",US,company,amazon,100,yes,Amazon Web Services,https://aws,2026-01-01
dell,Dell Technologies Inc.,US,company,,,,Dell Inc.,https://d,2026-01-01
"
                .into(),
            ),
            (
                "vendors/matchers.csv".into(),
                "kind,pattern,entity,confidence\npurl,pkg:npm/@aws-sdk/*,aws,high\ndomain,amazon.com,amazon,medium\nendpoint,amazonaws.com,aws,high\n".into(),
            ),
        ])
        .unwrap()
    }

    fn comp() -> Component {
        Component::new(
            "r",
            "client-s3",
            "library",
            Origin::new("bom.json", "/components/0"),
        )
    }

    #[test]
    fn supplier_beats_purl_and_purl_beats_author() {
        let r = reg();
        let mut c = comp();
        c.purl = Some("pkg:npm/%40aws-sdk/client-s3@3.0.0".into());
        c.parties.push(RoledParty {
            role: PartyRole::Author,
            party: Party {
                name: Some("Dell Inc.".into()),
                ..Party::default()
            },
            origin: Origin::new("bom.json", "/components/0/author"),
        });
        let a = component(&r, &c).unwrap();
        assert_eq!((a.entity.as_str(), a.method), ("aws", Method::Purl));
        assert_eq!(a.origin.element, "/components/0/purl");
        c.parties.push(RoledParty {
            role: PartyRole::Supplier,
            party: Party {
                name: Some("Dell Inc.".into()),
                ..Party::default()
            },
            origin: Origin::new("bom.json", "/components/0/supplier"),
        });
        let a = component(&r, &c).unwrap();
        assert_eq!((a.entity.as_str(), a.method), ("dell", Method::Supplier));
        assert!(a.evidence(&r).contains("https://d"), "{}", a.evidence(&r));
    }

    #[test]
    fn an_authors_email_domain_is_not_the_publisher() {
        let r = reg();
        let mut c = comp();
        c.parties.push(RoledParty {
            role: PartyRole::Author,
            party: Party {
                name: Some("Jane Doe <jane@amazon.com>".into()),
                ..Party::default()
            },
            origin: Origin::new("bom.json", "/components/0/author"),
        });
        assert!(
            component(&r, &c).is_none(),
            "an employee's address does not make the package Amazon's"
        );
        // A supplier's address does count.
        c.parties[0].role = PartyRole::Supplier;
        let a = component(&r, &c).unwrap();
        assert_eq!((a.entity.as_str(), a.method), ("amazon", Method::Domain));
    }

    #[test]
    fn services_by_endpoint_and_chains_with_look_through() {
        let r = reg();
        let mut s = Service::new("kms", "KMS", Origin::new("bom.json", "/services/0"));
        s.endpoints
            .push("https://kms.eu-west-1.amazonaws.com".into());
        let a = service(&r, &s).unwrap();
        assert_eq!(a.method, Method::Endpoint);
        let ctl = controller(&r, &a.entity).unwrap();
        assert_eq!(
            (ctl.name.as_str(), ctl.country.as_str()),
            ("Amazon.com, Inc.", "US")
        );
        let ch = chain(&r, "aws");
        assert_eq!(ch.len(), 2);
        assert_eq!(ch[1].look_through, Some(100.0));
        assert!(ch[1].controls);
    }

    #[test]
    fn declared_parties_match_affiliate_names_and_nothing_looser() {
        let r = reg();
        let (hit, affiliate) = r.index().party("Amazon Web Services Maroc SARL").unwrap();
        assert_eq!((hit.entity.as_str(), affiliate), ("aws", true));
        let (hit, affiliate) = r.index().party("Dell Technologies Inc.").unwrap();
        assert_eq!((hit.entity.as_str(), affiliate), ("dell", false));
        assert_eq!(
            r.index()
                .party("Dell Technologies North Africa")
                .unwrap()
                .0
                .entity,
            "dell"
        );
        for other in ["Amazon Prime Video", "Dellonda Morocco", "Morocco"] {
            assert!(r.index().party(other).is_none(), "{other}");
        }
    }

    #[test]
    fn a_go_module_path_names_its_repository_owner() {
        let r = Registry::from_files(&[
            ("vendors/entities.csv".into(), "id,name,country,kind,source,as_of\nproton,Proton AG,CH,company,https://p,2026-01-01\n".into()),
            ("vendors/matchers.csv".into(), "kind,pattern,entity,confidence\nrepo,github.com/protonmail,proton,medium\n".into()),
        ])
        .unwrap();
        let mut c = comp();
        c.purl = Some("pkg:golang/github.com/ProtonMail/go-crypto@v1.1.0".into());
        let a = component(&r, &c).unwrap();
        assert_eq!(
            (a.entity.as_str(), a.method),
            ("proton", Method::Repository)
        );
    }
}
