//! Stage 2b: what a manifest declares about each layer (vendor, licence, whether it needs
//! its vendor online) is a claim, checked against the registry's product facts and the
//! layer's own SBOMs. Where they disagree the evidence decides, and the disagreement is
//! kept for a `declaration-contradicted` finding.
//!
//! Products are found by name in the declared product text and by CPE or purl among the
//! layer's SBOM components; only products that serve the layer's kind count. A declared
//! vendor is replaced when none of the products found is its own and it is not a foreign
//! company (unknown to the registry, a home company, a community): the local reseller
//! declared as the vendor of a foreign product. Two foreign companies named in one layer
//! (servers of one, HSMs of another) are not a contradiction.

use super::kinds::Dependency;
use super::{Item, LayerView, is_corporate, is_foreign_corporate};
use crate::attribute::{self, Attribution, Method};
use crate::ingest::manifest::{Licence, Manifest};
use crate::model::Origin;
use crate::registry::{Confidence, LicenceModel, Online, Product, Registry};
use serde::Serialize;
use std::collections::BTreeSet;

/// A product of the registry found in a layer, and where.
#[derive(Debug, Clone, Serialize)]
pub struct ProductFact {
    pub id: String,
    pub product: String,
    pub vendor: String,
    pub licence: LicenceModel,
    pub online: Online,
    /// The input element that named it and the registry row with its source and quote.
    pub evidence: String,
}

/// A declaration the evidence contradicts.
#[derive(Debug, Clone, Serialize)]
pub struct Contradiction {
    /// `vendor`, `licence` or `requires_vendor_online`.
    pub field: &'static str,
    pub declared: String,
    /// What the evidence says, and now decides.
    pub found: String,
    pub evidence: Vec<String>,
}

fn fact(p: &Product, found_by: String) -> ProductFact {
    // A row that could not quote its page says so (`paraphrase: …`); it is never shown
    // between quotation marks as if the source had said it in these words.
    let quote = match p.source_quote.strip_prefix("paraphrase:") {
        Some(said) => format!(
            " (unconfirmed: the source paraphrased, not quoted: {})",
            said.trim()
        ),
        None if p.source_quote.is_empty() => String::new(),
        None => format!(": \"{}\"", p.source_quote),
    };
    ProductFact {
        id: p.id.clone(),
        product: p.product.clone(),
        vendor: p.vendor.clone(),
        licence: p.licence,
        online: p.online,
        evidence: format!(
            "{found_by} is {} ({}, {}, online {}) per {} ({}, as of {}){quote}",
            p.product,
            p.vendor,
            p.licence.as_str(),
            match p.online {
                Online::Yes => "yes",
                Online::No => "no",
                Online::Optional => "optional",
            },
            p.source,
            p.row,
            p.as_of
        ),
    }
}

/// The registry's products in a layer: named by its declared product, or identified by a
/// CPE or purl of one of its SBOM components.
fn products_of(
    reg: &Registry,
    l: &LayerView,
    members: &[&Item],
    declared_product: Option<&str>,
) -> Vec<ProductFact> {
    let mut out: Vec<ProductFact> = Vec::new();
    let mut seen = BTreeSet::new();
    let serves = |p: &Product| p.layers.contains(&l.kind);
    if let (Some(text), Some(o)) = (declared_product, &l.origin) {
        for p in reg.products_named(text).into_iter().filter(|p| serves(p)) {
            if seen.insert(p.id.clone()) {
                out.push(fact(p, format!("{o}.product \"{text}\"")));
            }
        }
        // A misspelt product is the product it spells, not an unknown one.
        if out.is_empty() {
            for (p, pattern, near) in reg.products_near(text) {
                if serves(p) && seen.insert(p.id.clone()) {
                    let found_by = format!(
                        "{o}.product \"{text}\" (\"{near}\" is a near spelling of \"{pattern}\")"
                    );
                    out.push(fact(p, found_by));
                }
            }
        }
    }
    // Products are what a layer runs (an OS, an application, firmware), not the libraries in
    // them: libraries are skipped, which also keeps a large SBOM's scan short.
    for it in members
        .iter()
        .filter(|it| it.kind != "library" && (it.cpe.is_some() || it.purl.is_some()))
    {
        if let Some(p) = reg
            .product_for_id(it.cpe.as_deref(), it.purl.as_deref())
            .filter(|p| serves(p))
            && seen.insert(p.id.clone())
        {
            let id = it.cpe.as_deref().or(it.purl.as_deref()).unwrap_or_default();
            out.push(fact(p, format!("{}: \"{id}\"", it.origin)));
        }
    }
    out
}

/// The manifest's licence value for a product's licence model.
fn licence_of(m: LicenceModel) -> Licence {
    match m {
        LicenceModel::Proprietary => Licence::Proprietary,
        LicenceModel::OpenSource | LicenceModel::SubscriptionOpenSource => Licence::OpenSource,
        LicenceModel::Service => Licence::Service,
    }
}

fn licence_str(l: Licence) -> &'static str {
    match l {
        Licence::Proprietary => "proprietary",
        Licence::OpenSource => "open-source",
        Licence::Service => "service",
    }
}

/// Check one layer's declarations; returns the contradictions and changes the layer to what
/// the evidence says.
fn check_layer(
    reg: &Registry,
    home: &BTreeSet<String>,
    l: &mut LayerView,
    members: &[&Item],
    declared_product: Option<&str>,
    declared_vendor: Option<&str>,
) -> Vec<Contradiction> {
    let facts = products_of(reg, l, members, declared_product);
    let mut out = Vec::new();
    let controller_of = |id: &str| attribute::controller(reg, id);
    let declared = l.vendor.as_ref().and_then(|v| controller_of(&v.entity));
    let own: Vec<&ProductFact> = facts
        .iter()
        .filter(|f| {
            declared
                .as_ref()
                .is_some_and(|d| controller_of(&f.vendor).is_some_and(|c| c.entity == d.entity))
        })
        .collect();
    // The product that speaks for the layer: the declared vendor's own, else the first found.
    let mut rep: Option<&ProductFact> = own.first().copied();
    if rep.is_none()
        && let Some(first) = facts.first()
    {
        let first_ctl = controller_of(&first.vendor);
        let vendor_attr = Attribution {
            entity: first.vendor.clone(),
            confidence: Confidence::High,
            method: Method::Product,
            value: first.product.clone(),
            origin: l
                .origin
                .as_ref()
                .map(|o| Origin::new(o.file.clone(), format!("{}.product", o.element)))
                .unwrap_or_else(|| Origin::new("", "")),
            rule: format!("product {}", first.id),
            row: reg
                .products
                .iter()
                .find(|p| p.id == first.id)
                .map(|p| p.row.clone()),
        };
        // What the evidence says the vendor is: `VMware vSphere of Broadcom Inc. (US)`.
        let found = first_ctl.as_ref().map_or(first.vendor.clone(), |c| {
            format!("{} of {} ({})", first.product, c.name, c.country)
        });
        match (&l.vendor, &declared) {
            (None, _) => {
                // A vendor named but unknown to the registry is a claim the product contradicts.
                if let Some(v) = declared_vendor {
                    out.push(Contradiction {
                        field: "vendor",
                        declared: v.to_string(),
                        found: found.clone(),
                        evidence: vec![
                            l.origin
                                .as_ref()
                                .map(|o| format!("{o}.vendor = \"{v}\" (not in the registry)"))
                                .unwrap_or_default(),
                            first.evidence.clone(),
                        ],
                    });
                }
                l.engine_evidence.push(format!(
                    "vendor from the registry's products: {}",
                    first.evidence
                ));
                l.vendor = Some(vendor_attr);
                rep = Some(first);
            }
            (Some(v), d) => {
                let foreign_vendor = d.as_ref().is_some_and(|d| is_foreign_corporate(d, home));
                let product_foreign = first_ctl
                    .as_ref()
                    .is_some_and(|c| is_foreign_corporate(c, home));
                let weaker = d.as_ref().is_none_or(|d| !is_corporate(d));
                if !foreign_vendor && (product_foreign || weaker) {
                    out.push(Contradiction {
                        field: "vendor",
                        // What the bid wrote; the evidence says whom the registry takes it for.
                        declared: v.value.clone(),
                        found: found.clone(),
                        evidence: vec![v.evidence(reg), first.evidence.clone()],
                    });
                    l.vendor = Some(vendor_attr);
                    rep = Some(first);
                }
            }
        }
    }
    if let Some(f) = rep {
        let licence = licence_of(f.licence);
        match l.licence {
            None => l.licence = Some(licence),
            Some(Licence::OpenSource) if licence != Licence::OpenSource => {
                out.push(Contradiction {
                    field: "licence",
                    declared: "open-source".into(),
                    found: format!("{} ({})", licence_str(licence), f.product),
                    evidence: vec![
                        l.origin
                            .as_ref()
                            .map(|o| format!("{o}.licence = \"open-source\""))
                            .unwrap_or_default(),
                        f.evidence.clone(),
                    ],
                });
                l.licence = Some(licence);
            }
            _ => {}
        }
        match (f.online, l.requires_vendor_online) {
            (Online::Yes, None) => l.requires_vendor_online = Some(true),
            (Online::No, None) => l.requires_vendor_online = Some(false),
            (Online::Yes, Some(false)) => {
                out.push(Contradiction {
                    field: "requires_vendor_online",
                    declared: "false".into(),
                    found: format!("{} needs its vendor online", f.product),
                    evidence: vec![
                        l.origin
                            .as_ref()
                            .map(|o| format!("{o}.requires_vendor_online = false"))
                            .unwrap_or_default(),
                        f.evidence.clone(),
                    ],
                });
                l.requires_vendor_online = Some(true);
            }
            _ => {}
        }
    }
    // The layer's own SBOMs: proprietary code from a company is not an open-source layer.
    if l.licence == Some(Licence::OpenSource) {
        let closed: Vec<&&Item> = members
            .iter()
            .filter(|it| {
                it.dependency == Dependency::Proprietary
                    && it.controller.as_deref().is_some_and(is_corporate)
            })
            .collect();
        if !closed.is_empty() {
            let mut evidence: Vec<String> = l
                .origin
                .iter()
                .map(|o| format!("{o}.licence = \"open-source\""))
                .collect();
            evidence.extend(closed.iter().take(5).map(|it| {
                it.licence
                    .as_ref()
                    .map_or(it.origin.to_string(), |x| x.evidence.clone())
            }));
            if closed.len() > 5 {
                evidence.push(format!("… and {} more", closed.len() - 5));
            }
            out.push(Contradiction {
                field: "licence",
                declared: "open-source".into(),
                found: format!(
                    "proprietary ({} proprietary components in the layer's SBOMs)",
                    closed.len()
                ),
                evidence,
            });
            l.licence = Some(Licence::Proprietary);
        }
    }
    l.products = facts;
    out
}

/// Check every declared layer; the declared products' items follow a replaced vendor.
pub fn check(
    reg: &Registry,
    m: Option<&Manifest>,
    home: &BTreeSet<String>,
    layers: &mut [LayerView],
    items: &mut [Item],
) {
    let Some(m) = m else { return };
    let mut changed = Vec::new();
    for (i, l) in layers.iter_mut().enumerate().filter(|(_, l)| l.declared) {
        let declared_product = m.layers.get(i).and_then(|d| d.product.as_deref());
        let declared_vendor = m.layers.get(i).and_then(|d| d.vendor.as_deref());
        let members: Vec<&Item> = items
            .iter()
            .filter(|it| it.layer == i && !it.dev_only)
            .collect();
        let before = l.vendor.as_ref().map(|v| v.entity.clone());
        l.contradictions = check_layer(reg, home, l, &members, declared_product, declared_vendor);
        if l.vendor.as_ref().map(|v| v.entity.clone()) != before {
            changed.push(i);
        }
    }
    for it in items.iter_mut() {
        if it.dependency == Dependency::Product && changed.contains(&it.layer) {
            it.attribution = layers[it.layer].vendor.clone().map(Box::new);
            it.controller = it
                .attribution
                .as_ref()
                .and_then(|a| attribute::controller(reg, &a.entity))
                .map(Box::new);
            it.control_jurisdictions = it
                .attribution
                .as_ref()
                .map(|a| reg.control_jurisdictions(&a.entity))
                .unwrap_or_default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{LicenceModel, Online, RowRef};

    fn product(quote: &str) -> Product {
        Product {
            id: "db".into(),
            product: "Some DB".into(),
            vendor: "v".into(),
            licence: LicenceModel::Proprietary,
            online: Online::No,
            layers: Vec::new(),
            names: vec!["Some DB".into()],
            cpes: Vec::new(),
            purls: Vec::new(),
            source: "https://v.example/eula".into(),
            as_of: "2026-11-30".into(),
            source_quote: quote.into(),
            note: String::new(),
            row: RowRef {
                file: "vendors/products.csv".into(),
                line: 7,
            },
        }
    }

    #[test]
    fn a_quote_is_quoted_and_a_paraphrase_is_said_unconfirmed() {
        let quoted = fact(
            &product("Licensed, not sold."),
            "the layer's product".into(),
        );
        assert!(
            quoted.evidence.ends_with(": \"Licensed, not sold.\""),
            "{}",
            quoted.evidence
        );
        let said = fact(&product("paraphrase: it is licensed"), "x".into());
        assert!(
            said.evidence
                .ends_with("(unconfirmed: the source paraphrased, not quoted: it is licensed)"),
            "{}",
            said.evidence
        );
        assert!(!said.evidence.contains("\"paraphrase"), "{}", said.evidence);
    }
}
