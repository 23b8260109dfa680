//! Stage 7: questions for the bidder. Every unknown that could change the verdict (a
//! required layer the bid does not describe, a critical layer whose controller is not
//! established, owners nobody can place, capital nobody declares, a foreign product whose
//! dependence on its vendor is not stated) becomes a question a procurement officer can
//! send as it is, in English and in French.

use super::{Analysis, Control, LayerView, Verdict};
use crate::i18n::{self, Lang};
use crate::ingest::manifest::LayerKind;
use serde::Serialize;

/// One question, with what it is about and why it is asked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// A layer kind, `owners` or `capital`.
    pub about: String,
    pub question: String,
    pub question_fr: String,
    /// The unknown behind it, and what required the answer.
    pub evidence: Vec<String>,
    /// Could the answer change the verdict? (Otherwise it changes what the report and a
    /// policy count, not the verdict: a local shell stays one whatever a missing layer holds.)
    pub changes_verdict: bool,
}

fn layer_question(l: &LayerView, declared_vendor: Option<&str>) -> Option<Question> {
    let (en, fr) = (
        i18n::layer(Lang::En, l.kind.as_str()),
        i18n::layer(Lang::Fr, l.kind.as_str()),
    );
    // The requirements themselves: `tender t.toml: service_model = "iaas"`.
    let mut evidence: Vec<String> = l.required_by.clone();
    let (q, q_fr) = if l.missing {
        (
            format!(
                "Your offer does not describe its {en} layer. Which products make it up, which companies supply and operate them, and in which countries? Please attach the layer's SBOM or HBOM."
            ),
            format!(
                "Votre offre ne décrit pas sa couche « {fr} ». Quels produits la composent, quelles entreprises les fournissent et les exploitent, et dans quels pays ? Merci de joindre la nomenclature (SBOM ou HBOM) de cette couche."
            ),
        )
    } else if l.control == Control::Unknown && l.critical {
        evidence.extend(l.origin.iter().map(|o| o.to_string()));
        evidence.extend(l.engine_evidence.iter().take(3).cloned());
        match (declared_vendor, &l.vendor) {
            (Some(v), None) => (
                format!(
                    "Who owns and controls {v}, the vendor you name for the {en} layer? Please give its registered office, its shareholders holding more than 10 % and its ultimate controller, with a public source (company register, annual report)."
                ),
                format!(
                    "Qui détient et contrôle {v}, le fournisseur que vous indiquez pour la couche « {fr} » ? Merci d'indiquer son siège social, ses actionnaires détenant plus de 10 % et son contrôleur ultime, avec une source publique (registre du commerce, rapport annuel)."
                ),
            ),
            _ => {
                let what = l
                    .product
                    .as_deref()
                    .map(|p| format!(" (“{p}”)"))
                    .unwrap_or_default();
                let quoi = l
                    .product
                    .as_deref()
                    .map(|p| format!(" (« {p} »)"))
                    .unwrap_or_default();
                (
                    format!(
                        "Who supplies the {en} layer{what}, and who controls that supplier? Please name the vendor of each product and attach the layer's SBOM or HBOM."
                    ),
                    format!(
                        "Qui fournit la couche « {fr} »{quoi}, et qui contrôle ce fournisseur ? Merci de nommer l'éditeur ou le fabricant de chaque produit et de joindre la nomenclature (SBOM ou HBOM) de la couche."
                    ),
                )
            }
        }
    } else if l.control == Control::Foreign
        && l.requires_vendor_online.is_none()
        && l.licence != Some(crate::ingest::manifest::Licence::Service)
        && l.vendor.is_some()
        && matches!(
            l.kind,
            LayerKind::Hardware | LayerKind::Network | LayerKind::Storage
        )
    {
        // Owned outright and runnable without its vendor, it would be a supply dependency.
        let e = l.engine.as_ref()?;
        let product = l.product.as_deref().unwrap_or(en);
        evidence.extend(
            l.origin
                .iter()
                .map(|o| format!("{o}: requires_vendor_online not stated")),
        );
        (
            format!(
                "Does “{product}” keep running, with its security updates, if {} stops providing its online services (licence activation, entitlement checks, support portal)? Please attach the licence terms.",
                e.name
            ),
            format!(
                "Le produit « {product} » continue-t-il de fonctionner, avec ses mises à jour de sécurité, si {} cesse de fournir ses services en ligne (activation de licence, contrôle des droits, portail de support) ? Merci de joindre les conditions de licence.",
                e.name
            ),
        )
    } else {
        return None;
    };
    Some(Question {
        about: l.kind.as_str().to_string(),
        question: q,
        question_fr: q_fr,
        evidence,
        changes_verdict: false,
    })
}

fn owner_questions(a: &Analysis, out: &mut Vec<Question>) {
    let f = &a.face;
    let bidder = &f.bidder_name;
    if f.holders.len() == 1 && f.undisclosed >= 100.0 - 1e-6 {
        out.push(Question {
            about: "owners".into(),
            question: format!(
                "Who owns {bidder}? Please list its shareholders (name, country, share of the capital and of the votes) up to its ultimate controller, with an extract of the company register."
            ),
            question_fr: format!(
                "Qui détient {bidder} ? Merci d'en lister les actionnaires (nom, pays, part du capital et des droits de vote) jusqu'au contrôleur ultime, avec un extrait du registre du commerce."
            ),
            evidence: vec!["the manifest declares no owner of the bidder".into()],
            changes_verdict: true,
        });
        return;
    }
    for (element, id, near) in &f.unknown_ids {
        let (hint, hint_fr) = match near {
            Some(n) => (
                format!(" (did you mean “{n}”?)"),
                format!(" (vouliez-vous dire « {n} » ?)"),
            ),
            None => (String::new(), String::new()),
        };
        out.push(Question {
            about: "owners".into(),
            question: format!(
                "Your manifest names an owner of {bidder} by the registry id “{id}”, which the registry does not know{hint}. Who is this owner, in which country is it registered, and who controls it?"
            ),
            question_fr: format!(
                "Votre déclaration désigne un actionnaire de {bidder} par l'identifiant « {id} », inconnu du registre{hint_fr}. Qui est cet actionnaire, où se trouve son siège, et qui le contrôle ?"
            ),
            evidence: vec![format!("{element}: entity = \"{id}\" is not a registry id")],
            changes_verdict: true,
        });
    }
    for h in f
        .holders
        .iter()
        .filter(|h| h.country.is_none() && !h.name.starts_with("(undisclosed"))
        .filter(|h| {
            !f.unknown_ids
                .iter()
                .any(|(_, id, _)| h.entity.as_deref() == Some(id))
        })
    {
        out.push(Question {
            about: "owners".into(),
            question: format!(
                "In which country is {}, which holds {:.1} % of {bidder}, registered, and who controls it?",
                h.name, h.share
            ),
            question_fr: format!(
                "Où se trouve le siège de {}, qui détient {} de {bidder}, et qui contrôle cet actionnaire ?",
                h.name,
                i18n::pourcentage(h.share)
            ),
            evidence: vec![format!("{}: no country declared", h.name)],
            changes_verdict: true,
        });
    }
    if f.undisclosed > 1e-6 && f.undisclosed < 100.0 - 1e-6 {
        out.push(Question {
            about: "capital".into(),
            question: format!(
                "Who holds the remaining {:.1} % of the capital of {bidder}? Please name each holder and its country.",
                f.undisclosed
            ),
            question_fr: format!(
                "Qui détient les {} restants du capital de {bidder} ? Merci de nommer chaque actionnaire et son pays.",
                i18n::pourcentage(f.undisclosed)
            ),
            evidence: vec![format!(
                "the declared owners account for {:.1} % of the capital",
                100.0 - f.undisclosed
            )],
            changes_verdict: true,
        });
    }
}

/// The questions for one bid; none without a manifest (there is no bidder to ask).
pub fn ask(a: &Analysis, declared_vendors: &[Option<String>]) -> Vec<Question> {
    if !a.manifest {
        return Vec::new();
    }
    let mut out = Vec::new();
    owner_questions(a, &mut out);
    let foreign_critical = a
        .layers
        .iter()
        .filter(|l| l.critical && l.control == Control::Foreign)
        .count();
    for (i, l) in a.layers.iter().enumerate() {
        let vendor = declared_vendors.get(i).and_then(|v| v.as_deref());
        if let Some(mut q) = layer_question(l, vendor.filter(|_| l.declared)) {
            // An unknown layer decides only an undecided verdict; a foreign one's answer
            // decides only when it is the one foreign critical layer of a local face.
            q.changes_verdict = match l.control {
                Control::Foreign => foreign_critical == 1 && a.verdict == Verdict::LocalShell,
                _ => a.verdict == Verdict::InsufficientEvidence,
            };
            out.push(q);
        }
    }
    // The questions that could change the verdict first.
    out.sort_by_key(|q| !q.changes_verdict);
    out
}
