//! Stage 5: the shell verdict, with one reason per deciding fact in English and French.
//!
//! With a manifest, the face (bidder and owners) is weighed against the engine of the
//! critical layers. Without one there is no face: every layer counts, and the software is
//! `foreign` only when it needs a foreign-controlled online service or proprietary product
//! to run; foreign-stewarded open source alone leaves it runnable without anyone's consent.

use super::{Control, Face, Item, LayerView, Verdict, is_foreign_corporate};
use crate::bi;
use crate::i18n::{self, Lang};
use std::collections::BTreeSet;

/// The verdict and what supports it.
pub struct Decision {
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub reasons_fr: Vec<String>,
    /// Countries and names of the foreign engines of the layers that decided.
    pub engine_countries: Vec<String>,
    pub engine_entities: Vec<String>,
}

/// `Name (CC), Name (CC)` of a layer's foreign corporate engines.
fn foreign_engines<'a>(
    l: &'a LayerView,
    home: &'a BTreeSet<String>,
) -> impl Iterator<Item = &'a crate::attribute::Controller> {
    l.engines.iter().filter(|e| is_foreign_corporate(e, home))
}

pub fn decide(
    has_manifest: bool,
    home: &str,
    home_countries: &BTreeSet<String>,
    face: &Face,
    layers: &[LayerView],
    items: &[Item],
) -> Decision {
    let critical: Vec<&LayerView> = layers
        .iter()
        .filter(|l| l.critical || !has_manifest)
        .collect();
    let foreign_layers: Vec<&LayerView> = critical
        .iter()
        .copied()
        .filter(|l| l.control == Control::Foreign)
        .collect();
    let mut engine_countries: BTreeSet<String> = BTreeSet::new();
    let mut engine_entities: BTreeSet<String> = BTreeSet::new();
    for l in &foreign_layers {
        for e in foreign_engines(l, home_countries) {
            engine_countries.insert(e.country.clone());
            engine_entities.insert(e.name.clone());
        }
    }
    let attributed = items.iter().filter(|i| i.attribution.is_some()).count();
    let mut reasons: Vec<(String, String)> = Vec::new();
    let names = |k: crate::ingest::manifest::LayerKind| {
        (
            i18n::layer(Lang::En, k.as_str()),
            i18n::layer(Lang::Fr, k.as_str()),
        )
    };
    let verdict = if has_manifest && face.local == Some(false) {
        let who = face.controller.as_ref().map_or("?", |c| c.name.as_str());
        let country = face.controller.as_ref().map_or("?", |c| c.country.as_str());
        let (bidder, hors) = (&face.bidder_name, i18n::du_pays(home));
        reasons.push(bi!(
            "The bidder {bidder} is controlled by {who} ({country}), outside {home}.",
            "Le soumissionnaire {bidder} est contrôlé par {who} ({country}), hors {hors}."
        ));
        Verdict::Foreign
    } else if !foreign_layers.is_empty() {
        for l in &foreign_layers {
            let (en, nom) = names(l.kind);
            if has_manifest {
                let e = l.engine.as_ref().expect("foreign layers have an engine");
                reasons.push(bi!(
                    "The {en} layer is controlled by {} ({}).",
                    "La couche « {nom} » est contrôlée par {} ({}).",
                    e.name,
                    e.country
                ));
            } else {
                let who: Vec<String> = foreign_engines(l, home_countries)
                    .map(|e| format!("{} ({})", e.name, e.country))
                    .collect();
                let who = who.join(", ");
                reasons.push(bi!(
                    "The {en} layer needs online services or proprietary code controlled by {who}.",
                    "La couche « {nom} » a besoin de services en ligne ou de code propriétaire contrôlés par {who}."
                ));
            }
        }
        if has_manifest {
            Verdict::LocalShell
        } else {
            Verdict::Foreign
        }
    } else if (has_manifest && face.local.is_none())
        || critical.iter().any(|l| l.control == Control::Unknown)
        || (has_manifest && attributed == 0 && !items.is_empty())
        || critical.is_empty()
    {
        if face.local.is_none() && has_manifest {
            reasons.push(bi!(
                "The bidder's controller could not be established.",
                "Le contrôleur du soumissionnaire n'a pas pu être établi."
            ));
        }
        for l in critical.iter().filter(|l| l.control == Control::Unknown) {
            let (en, nom) = names(l.kind);
            reasons.push(if l.missing {
                bi!(
                    "The bid does not describe the {en} layer, which it is required to show.",
                    "L'offre ne décrit pas la couche « {nom} », qu'elle est tenue de présenter."
                )
            } else {
                bi!(
                    "The controller of the {en} layer could not be established.",
                    "Le contrôleur de la couche « {nom} » n'a pas pu être établi."
                )
            });
        }
        if has_manifest && attributed == 0 && !items.is_empty() {
            reasons.push(bi!(
                "No component could be attributed.",
                "Aucun composant n'a pu être attribué."
            ));
        }
        if critical.is_empty() {
            reasons.push(bi!(
                "No layer could be identified.",
                "Aucune couche n'a pu être identifiée."
            ));
        }
        Verdict::InsufficientEvidence
    } else {
        if has_manifest {
            let depuis = i18n::pays(home);
            reasons.push(bi!(
                "Every critical layer is controlled from {home}, by a community, or runs without its foreign supplier.",
                "Chaque couche critique est contrôlée depuis {depuis}, par une communauté, ou fonctionne sans son fournisseur étranger."
            ));
        } else {
            reasons.push(bi!(
                "The software needs no foreign-controlled online service or proprietary product to run; its open-source code runs without any foreign company's consent.",
                "Le logiciel n'a besoin d'aucun service en ligne ni d'aucun produit propriétaire sous contrôle étranger pour fonctionner ; son code libre fonctionne sans le consentement d'aucune entreprise étrangère."
            ));
        }
        Verdict::Sovereign
    };
    let (reasons, reasons_fr) = reasons.into_iter().unzip();
    Decision {
        verdict,
        reasons,
        reasons_fr,
        engine_countries: engine_countries.into_iter().collect(),
        engine_entities: engine_entities.into_iter().collect(),
    }
}
