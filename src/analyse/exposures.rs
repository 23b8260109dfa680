//! Exposures and claims versus evidence, as findings with evidence.

use super::control::declared_governor;
use super::{Analysis, Control, Dependency, Item, LayerView};
use crate::attribute;
use crate::bi;
use crate::i18n::{self, Lang};
use crate::ingest::manifest::{KeyModel, LayerKind, Manifest};
use crate::policy::{Finding, Severity};
use crate::registry::{EntityKind, Registry};
use std::collections::{BTreeMap, BTreeSet};

fn laws(reg: &Registry, countries: &[String], effect: &str) -> Vec<String> {
    let mut out = Vec::new();
    for c in countries {
        for l in reg.laws(c, effect) {
            out.push(
                format!("{} ({}): {} {}", l.name, l.jurisdiction, l.citation, l.url)
                    .trim_end()
                    .to_string(),
            );
        }
    }
    out
}

fn layer_evidence(l: &LayerView) -> Vec<String> {
    let mut ev: Vec<String> = l.origin.iter().map(|o| format!("{o}")).collect();
    ev.extend(l.engine_evidence.iter().cloned());
    ev
}

fn chain_countries(reg: &Registry, entity: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for link in attribute::chain(reg, entity) {
        if !link.controls {
            break;
        }
        if !out.contains(&link.country) {
            out.push(link.country);
        }
    }
    out
}

fn key_model(k: Option<KeyModel>) -> (&'static str, &'static str) {
    match k {
        Some(KeyModel::Provider) => ("provider-managed", "par le fournisseur"),
        Some(KeyModel::Byok) => (
            "bring-your-own-key (BYOK)",
            "BYOK (clés du client importées)",
        ),
        Some(KeyModel::Hyok) => (
            "hold-your-own-key (HYOK)",
            "HYOK (clés conservées par le client)",
        ),
        None => ("no", "aucune"),
    }
}

fn is_data_layer(k: LayerKind) -> bool {
    !matches!(k, LayerKind::Support | LayerKind::Soc)
}

pub fn findings(
    reg: &Registry,
    m: Option<&Manifest>,
    manifest_file: &str,
    a: &Analysis,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let home = &a.home;
    let foreign = |c: &str| a.is_foreign(c);
    let fr = |l: LayerKind| i18n::layer(Lang::Fr, l.as_str());

    if a.face.local == Some(false) {
        let ctl = a
            .face
            .controller
            .as_ref()
            .expect("a foreign face has a controller");
        let chain: Vec<String> = a
            .face
            .chain
            .iter()
            .map(|l| format!("{} ({}) per {}", l.name, l.country, l.source))
            .collect();
        out.push(
            Finding::bi("foreign-bidder", {
                let (bidder, who, cc) = (&a.face.bidder_name, &ctl.name, &ctl.country);
                let hors = format!("hors {}", i18n::du_pays(home));
                bi!(
                    "The bidder {bidder} is controlled by {who} ({cc}), outside {home}.",
                    "Le soumissionnaire {bidder} est contrôlé par {who} ({cc}), {hors}."
                )
            })
            .evidence(chain),
        );
    }

    out.extend(declared_findings(a));
    out.extend(listed_findings(reg, a));

    for (li, l) in a.layers.iter().enumerate() {
        let name = l.kind.as_str();
        let nom = fr(l.kind);
        let en = i18n::layer(Lang::En, name);
        let Some(engine) = &l.engine else {
            if l.control == Control::Unknown
                && (l.critical || !a.manifest)
                && (l.declared || l.items > 0)
            {
                let why = l.engine_evidence.join("; ");
                let (attributed, items) = (l.attributed, l.items);
                // French agrees with the count: 0 and 1 take the singular.
                let attribues = if l.attributed <= 1 {
                    format!("{} composant attribué", l.attributed)
                } else {
                    format!("{} composants attribués", l.attributed)
                };
                out.push(
                    Finding::bi(
                        "unknown-layer-control",
                        bi!(
                            "The controller of the {en} layer could not be established ({attributed} of {items} components attributed).",
                            "Le contrôleur de la couche {nom} n'a pas pu être établi ({attribues} sur {items}).",
                        ),
                    )
                    .layer(name)
                    .evidence(l.origin.iter().map(|o| o.to_string()).chain((!why.is_empty()).then_some(why))),
                );
            }
            continue;
        };
        let countries = chain_countries(reg, &engine.entity);
        match l.control {
            // Governed by the services and proprietary code it needs.
            Control::Foreign if declared_governor(l).is_none() => {
                needs_findings(reg, a, li, l, &mut out);
            }
            Control::Foreign => {
                let sev = if l.critical {
                    Severity::Deny
                } else {
                    Severity::Warn
                };
                let (note, note_fr) = if l.critical {
                    ("", "")
                } else {
                    (" (not a critical layer)", " (couche non critique)")
                };
                out.push(
                    Finding::bi(
                        "foreign-critical-layer",
                        bi!(
                            "The {en} layer is controlled by {} ({}){note}.",
                            "La couche {nom} est contrôlée par {} ({}){note_fr}.",
                            engine.name,
                            engine.country
                        ),
                    )
                    .severity(sev)
                    .layer(name)
                    .evidence(layer_evidence(l)),
                );
                if l.requires_vendor_online == Some(true) {
                    out.push(
                        Finding::bi(
                            "kill-switch",
                            {
                                let product = l.product.as_deref().unwrap_or(name);
                                let (who, de_who) = (&engine.name, i18n::de(&engine.name));
                                bi!(
                                    "The {en} layer ({product}) stops or degrades without {who}'s online services.",
                                    "La couche « {nom} » ({product}) s'arrête ou se dégrade sans les services en ligne {de_who}."
                                )
                            },
                        )
                        .layer(name)
                        .subject(engine.entity.clone())
                        .evidence(l.origin.iter().map(|o| format!("{o}.requires_vendor_online = true"))),
                    );
                }
            }
            // Governed by its code, not by a declared vendor or a service layer's operator.
            Control::ForeignSupply if declared_governor(l).is_none() => {
                out.push(stewardship(a, li, l));
            }
            Control::ForeignSupply if l.critical => {
                let open = l.licence == Some(crate::ingest::manifest::Licence::OpenSource);
                let (why, why_fr) = if open {
                    ("open source", "logiciel libre")
                } else {
                    (
                        "no online dependency declared",
                        "aucune dépendance en ligne déclarée",
                    )
                };
                out.push(
                    Finding::bi(
                        "foreign-supply",
                        {
                            let (who, cc, de_who) =
                                (&engine.name, &engine.country, i18n::de(&engine.name));
                            bi!(
                                "The {en} layer comes from {who} ({cc}) but runs without its vendor ({why}).",
                                "La couche « {nom} » vient {de_who} ({cc}) mais fonctionne sans son fournisseur ({why_fr})."
                            )
                        },
                    )
                    .layer(name)
                    .evidence(layer_evidence(l)),
                );
            }
            Control::Home if !l.foreign_controllers.is_empty() => {
                let names: Vec<String> = l
                    .foreign_controllers
                    .iter()
                    .map(|(id, n)| {
                        let e = reg.entity(id);
                        format!(
                            "{} ({}): {n}",
                            e.map_or(id.as_str(), |e| e.name.as_str()),
                            e.map_or("?", |e| e.country.as_str())
                        )
                    })
                    .collect();
                out.push(
                    Finding::bi(
                        "foreign-components",
                        bi!(
                            "The {en} layer is run by {} but contains components controlled from abroad: {}.",
                            "La couche {nom} est exploitée par {} mais contient des composants contrôlés depuis l'étranger : {}.",
                            engine.name,
                            names.join(", ")
                        ),
                    )
                    .layer(name)
                    .evidence(l.origin.iter().map(|o| o.to_string())),
                );
            }
            _ => {}
        }
        let is_foreign_engine = foreign(&engine.country)
            && !matches!(engine.kind, EntityKind::Foundation | EntityKind::Community);
        if is_foreign_engine && l.control == Control::Foreign && declared_governor(l).is_some() {
            let cited = laws(reg, &countries, "compelled-access");
            if !cited.is_empty() {
                let mut f = Finding::bi(
                    "compelled-access",
                    {
                        let (who, cc, law) = (&engine.name, &engine.country, countries.join(", "));
                        let droit = droit_fr(&countries);
                        bi!(
                            "{who} ({cc}) controls the {en} layer and can be compelled to give access under the law of {law}.",
                            "{who} ({cc}) contrôle la couche « {nom} » et peut être contraint d'y donner accès par le droit {droit}."
                        )
                    },
                )
                .severity(if l.critical { Severity::Deny } else { Severity::Warn })
                .layer(name)
                .subject(engine.entity.clone())
                .evidence(layer_evidence(l));
                f.laws = cited;
                out.push(f);
            }
        }
        if is_foreign_engine && matches!(l.kind, LayerKind::Hardware | LayerKind::Network) {
            let cited = laws(reg, &countries, "export-control");
            if !cited.is_empty() {
                let mut f = Finding::bi(
                    "export-control",
                    {
                        let (who, cc, de_who) =
                            (&engine.name, &engine.country, i18n::de(&engine.name));
                        bi!(
                            "The {en} layer comes from {who} ({cc}): supply, spares and firmware updates fall under its export-control law.",
                            "La couche « {nom} » vient {de_who} ({cc}) : livraisons, pièces et mises à jour de micrologiciel relèvent de son droit du contrôle des exportations."
                        )
                    },
                )
                .layer(name)
                .evidence(layer_evidence(l));
                f.laws = cited;
                out.push(f);
            }
        }
        if l.kind == LayerKind::Kms && is_foreign_engine && l.key_model != Some(KeyModel::Hyok) {
            let (model, model_fr) = match l.key_model {
                Some(KeyModel::Provider) => (
                    "provider-managed keys",
                    "des clés gérées par le fournisseur",
                ),
                Some(KeyModel::Byok) => (
                    "customer keys imported into the provider's KMS (BYOK)",
                    "des clés du client importées dans le KMS du fournisseur (BYOK)",
                ),
                _ => ("an undeclared key model", "un modèle de clés non déclaré"),
            };
            out.push(
                Finding::bi(
                    "key-custody",
                    bi!(
                        "Keys are held in a KMS controlled by {} ({}), with {model}.",
                        "Les clés sont détenues dans un KMS contrôlé par {} ({}), avec {model_fr}.",
                        engine.name,
                        engine.country
                    ),
                )
                .layer(name)
                .evidence(layer_evidence(l)),
            );
        }
        if matches!(l.kind, LayerKind::Support | LayerKind::Soc) {
            let abroad: Vec<&str> = l
                .sites
                .iter()
                .map(|s| s.country.as_str())
                .filter(|c| foreign(c))
                .collect();
            if !abroad.is_empty() || is_foreign_engine {
                let (what, what_fr) = if l.kind == LayerKind::Soc {
                    ("Security operations are", "La supervision de sécurité est")
                } else {
                    ("Support is", "Le support est")
                };
                let from = if abroad.is_empty() {
                    engine.country.clone()
                } else {
                    abroad.join(", ")
                };
                out.push(
                    Finding::bi("foreign-support", {
                        let (who, cc) = (&engine.name, &engine.country);
                        let depuis = if abroad.is_empty() {
                            depuis_fr(&[engine.country.as_str()])
                        } else {
                            depuis_fr(&abroad)
                        };
                        if is_foreign_engine {
                            bi!(
                                "{what} performed or escalated from {from} by {who} ({cc}).",
                                "{what_fr} assuré ou escaladé {depuis} par {who} ({cc})."
                            )
                        } else {
                            // A home operator with sites abroad: who works there is not declared,
                            // and the home company is not the party abroad.
                            let ou = abroad
                                .iter()
                                .map(|c| i18n::en_pays(c))
                                .collect::<Vec<_>>()
                                .join(", ");
                            bi!(
                                "{what} escalated to a site in {from}; the bid does not say who performs it there (the layer is run by {who}, {cc}).",
                                "{what_fr} escaladé vers un site situé {ou} ; l'offre ne dit pas qui l'assure sur place (la couche est exploitée par {who}, {cc})."
                            )
                        }
                    })
                    .layer(name)
                    .evidence(layer_evidence(l)),
                );
            }
        }
    }

    // Sites and endpoints outside home.
    for l in a.layers.iter().filter(|l| is_data_layer(l.kind)) {
        let (name, nom) = (l.kind.as_str(), fr(l.kind));
        let en = crate::i18n::layer(crate::i18n::Lang::En, name);
        for (j, s) in l.sites.iter().enumerate() {
            if foreign(&s.country) && s.role.as_deref() != Some("administration") {
                let city = s
                    .city
                    .as_deref()
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                out.push(
                    Finding::bi("data-outside-home", {
                        let (cc, ou) = (&s.country, i18n::en_pays(&s.country));
                        bi!(
                            "The {en} layer has a site in {cc}{city}.",
                            "La couche « {nom} » a un site {ou}{city}."
                        )
                    })
                    .layer(name)
                    .subject(format!("sites[{j}] {}", s.country))
                    .evidence(l.origin.iter().map(|o| format!("{o}.sites[{j}]"))),
                );
            }
        }
    }
    for it in &a.items {
        for e in &it.endpoints {
            if let Some(c) = &e.country
                && foreign(c)
            {
                let host = e.host.as_deref().unwrap_or(&e.url);
                let region = e.region.as_deref().unwrap_or("?");
                out.push(
                    Finding::bi(
                        "data-outside-home",
                        bi!(
                            "Service \"{}\" calls {host} in region {region} ({c}).",
                            "Le service « {} » appelle {host} dans la région {region} ({c}).",
                            it.name
                        ),
                    )
                    .layer(a.layers[it.layer].kind.as_str())
                    .subject(host.to_string())
                    .evidence(e.evidence.iter().cloned()),
                );
            }
        }
    }

    // Claims versus evidence: each contradiction is kept in both languages.
    if let Some(m) = m {
        let claim = |field: &str| format!("{manifest_file} claims.{field}");
        let join = |v: &[(String, String)]| -> (String, String) {
            (
                v.iter()
                    .map(|x| x.0.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                v.iter()
                    .map(|x| x.1.as_str())
                    .collect::<Vec<_>>()
                    .join(" ; "),
            )
        };
        if let Some(res) = &m.claims.data_residency {
            let allowed = reg.home_countries(res);
            let mut contra: Vec<(String, String)> = Vec::new();
            for l in a.layers.iter().filter(|l| is_data_layer(l.kind)) {
                for s in l.sites.iter().filter(|s| {
                    !allowed.contains(&s.country) && s.role.as_deref() != Some("administration")
                }) {
                    let (name, nom) = (l.kind.as_str(), fr(l.kind));
                    let en = crate::i18n::layer(crate::i18n::Lang::En, name);
                    let (cc, ou) = (&s.country, i18n::en_pays(&s.country));
                    contra.push(bi!("{en} site in {cc}", "site de la couche « {nom} » {ou}"));
                }
            }
            for it in &a.items {
                for e in &it.endpoints {
                    if let Some(c) = e.country.as_ref().filter(|c| !allowed.contains(*c)) {
                        let host = e.host.as_deref().unwrap_or(&e.url);
                        let (what, ou) = (&it.name, i18n::en_pays(c));
                        contra.push(bi!(
                            "endpoint {host} of \"{what}\" is in {c}",
                            "le point d'accès {host} de « {what} » est {ou}"
                        ));
                    }
                }
            }
            if !contra.is_empty() {
                let (en, fr_) = join(&contra);
                out.push(
                    Finding::bi("claim-contradicted", {
                        let ou = i18n::en_pays(res);
                        bi!(
                            "The bid claims data stays in {res}, but: {en}.",
                            "L'offre affirme que les données restent {ou}, mais : {fr_}."
                        )
                    })
                    .subject("claims.data_residency")
                    .evidence(std::iter::once(claim("data_residency")).chain(
                        a.items.iter().flat_map(|i| {
                            i.endpoints
                                .iter()
                                .filter(|e| {
                                    e.country.as_ref().is_some_and(|c| !allowed.contains(c))
                                })
                                .filter_map(|e| e.evidence.clone())
                        }),
                    )),
                );
            }
        }
        if let Some(from) = &m.claims.operated_from {
            let allowed = reg.home_countries(from);
            let mut contra: Vec<(String, String)> = Vec::new();
            for l in &a.layers {
                let (name, nom) = (l.kind.as_str(), fr(l.kind));
                let en = crate::i18n::layer(crate::i18n::Lang::En, name);
                // Where the operator is established, not who controls it (that is the face's question).
                if let Some(op) = l.operator.as_ref().and_then(|o| reg.entity(&o.entity))
                    && !allowed.contains(&op.country)
                {
                    contra.push(bi!(
                        "the {en} layer is operated by {} ({})",
                        "la couche {nom} est exploitée par {} ({})",
                        op.name,
                        op.country
                    ));
                }
                if matches!(l.kind, LayerKind::Support | LayerKind::Soc) {
                    for s in l.sites.iter().filter(|s| !allowed.contains(&s.country)) {
                        let (cc, depuis) = (&s.country, depuis_fr(&[s.country.as_str()]));
                        contra.push(bi!("{en} from {cc}", "{nom} {depuis}"));
                    }
                }
                for s in l.sites.iter().filter(|s| {
                    s.role.as_deref() == Some("administration") && !allowed.contains(&s.country)
                }) {
                    let (cc, depuis) = (&s.country, depuis_fr(&[s.country.as_str()]));
                    contra.push(bi!(
                        "the {en} layer is administered from {cc}",
                        "la couche « {nom} » est administrée {depuis}"
                    ));
                }
            }
            if !contra.is_empty() {
                let (en, fr_) = join(&contra);
                let depuis = depuis_fr(&[from.as_str()]);
                out.push(
                    Finding::bi(
                        "claim-contradicted",
                        bi!(
                            "The bid claims operation from {from}, but {en}.",
                            "L'offre affirme une exploitation {depuis}, mais {fr_}."
                        ),
                    )
                    .subject("claims.operated_from")
                    .evidence([claim("operated_from")]),
                );
            }
        }
        if m.claims.no_foreign_access == Some(true) {
            let mut contra: Vec<(String, String)> = a
                .layers
                .iter()
                .filter(|l| l.control == Control::Foreign && l.critical)
                .filter_map(|l| {
                    let (name, nom) = (l.kind.as_str(), fr(l.kind));
                    let en = crate::i18n::layer(crate::i18n::Lang::En, name);
                    l.engine.as_ref().map(|e| {
                        bi!(
                            "the {en} layer is controlled by {} ({})",
                            "la couche {nom} est contrôlée par {} ({})",
                            e.name,
                            e.country
                        )
                    })
                })
                .collect();
            for l in a
                .layers
                .iter()
                .filter(|l| matches!(l.kind, LayerKind::Support | LayerKind::Soc))
            {
                let (name, nom) = (l.kind.as_str(), fr(l.kind));
                let en = crate::i18n::layer(crate::i18n::Lang::En, name);
                for s in l.sites.iter().filter(|s| foreign(&s.country)) {
                    let (cc, depuis) = (&s.country, depuis_fr(&[s.country.as_str()]));
                    contra.push(bi!(
                        "{en} is reachable from {cc}",
                        "le {nom} est joignable {depuis}"
                    ));
                }
            }
            if !contra.is_empty() {
                let (en, fr_) = join(&contra);
                out.push(
                    Finding::bi(
                        "claim-contradicted",
                        bi!(
                            "The bid claims no foreign access, but {en}.",
                            "L'offre affirme l'absence d'accès étranger, mais {fr_}."
                        ),
                    )
                    .subject("claims.no_foreign_access")
                    .evidence([claim("no_foreign_access")]),
                );
            }
        }
        if let Some(custody) = m.claims.key_custody {
            for l in a
                .layers
                .iter()
                .filter(|l| l.kind == LayerKind::Kms && !l.missing)
            {
                let actual = l.key_model;
                let foreign_kms = l.engine.as_ref().is_some_and(|e| {
                    foreign(&e.country)
                        && !matches!(e.kind, EntityKind::Foundation | EntityKind::Community)
                });
                if actual != Some(custody) || (custody == KeyModel::Hyok && foreign_kms) {
                    let ((c_en, c_fr), (d_en, d_fr)) =
                        (key_model(Some(custody)), key_model(actual));
                    let (where_, ou) = if foreign_kms {
                        (
                            " in a foreign-controlled KMS",
                            " dans un KMS sous contrôle étranger",
                        )
                    } else {
                        ("", "")
                    };
                    out.push(
                        Finding::bi(
                            "claim-contradicted",
                            bi!(
                                "The bid claims {c_en} key custody, but the KMS layer declares {d_en}{where_}.",
                                "L'offre affirme une garde des clés {c_fr}, mais la couche KMS déclare {d_fr}{ou}."
                            ),
                        )
                        .subject("claims.key_custody")
                        .evidence([claim("key_custody")].into_iter().chain(layer_evidence(l))),
                    );
                }
            }
        }
    }

    // Foreign foundations: forkable, not a kill switch.
    let mut foundations: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    for it in &a.items {
        if let Some(c) = &it.controller
            && matches!(c.kind, EntityKind::Foundation | EntityKind::Community)
            && foreign(&c.country)
        {
            foundations
                .entry(c.entity.clone())
                .or_insert_with(|| (c.name.clone(), c.country.clone(), 0))
                .2 += 1;
        }
    }
    for (id, (name, country, n)) in foundations {
        let components = if n == 1 {
            "component is"
        } else {
            "components are"
        };
        let composants = if n == 1 {
            "1 composant est gouverné".to_string()
        } else {
            format!("{n} composants sont gouvernés")
        };
        out.push(
            Finding::bi(
                "foreign-foundation",
                bi!(
                    "{n} {components} governed by {name} ({country}): open source that can be forked, not a kill switch.",
                    "{composants} par {name} ({country}) : du logiciel libre qui peut être repris (fork), pas un interrupteur à distance."
                ),
            )
            .subject(id),
        );
    }

    out.extend(owners_unconfirmed(reg, a));
    out.extend(licence_unknown(a));

    if a.coverage.unknown > 0 {
        let top: Vec<String> = a
            .coverage
            .top_unknown
            .iter()
            .take(5)
            .map(|(k, n)| format!("{k} ({n})"))
            .collect();
        let top = top.join(", ");
        out.push(
            Finding::bi(
                "unattributed-components",
                bi!(
                    "{} of {} components have no established owner; they are counted as unknown, not local. Most frequent: {top}.",
                    "{} composants sur {} n'ont pas de propriétaire établi ; ils sont comptés comme inconnus, pas comme locaux. Les plus fréquents : {top}.",
                    a.coverage.unknown,
                    a.coverage.items
                ),
            )
            .severity(if a.coverage.ratio < 0.5 && a.coverage.items > 0 { Severity::Warn } else { Severity::Info }),
        );
    }

    let mut per_file: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in &a.diagnostics {
        per_file
            .entry(d.origin.file.as_str())
            .or_default()
            .push(d.message.as_str());
    }
    for (file, msgs) in per_file {
        let kinds: BTreeSet<&str> = msgs.iter().copied().collect();
        let kinds = kinds.into_iter().take(3).collect::<Vec<_>>().join("; ");
        out.push(
            Finding::bi(
                "input-warnings",
                bi!(
                    "{file}: {} reader warnings ({kinds}).",
                    "{file} : {} avertissements de lecture ({kinds}).",
                    msgs.len()
                ),
            )
            .evidence(
                a.diagnostics
                    .iter()
                    .filter(|d| d.origin.file == file)
                    .take(5)
                    .map(|d| format!("{}: {}", d.origin, d.message)),
            ),
        );
    }
    out
}

/// What a software layer needs from one foreign controller: the services it calls, the
/// proprietary code it runs, and whether any of that reaches the controller online.
struct Needs<'a> {
    services: Vec<&'a str>,
    proprietary: Vec<&'a str>,
    online: bool,
    evidence: Vec<String>,
}

fn needs_of<'a>(a: &'a Analysis, li: usize, entity: &str) -> Needs<'a> {
    let mut n = Needs {
        services: Vec::new(),
        proprietary: Vec::new(),
        online: false,
        evidence: Vec::new(),
    };
    for it in a.items.iter().filter(|it| {
        it.layer == li
            && !it.dev_only
            && it.dependency.needs_vendor()
            && it.controller.as_ref().is_some_and(|c| c.entity == entity)
    }) {
        match it.dependency {
            Dependency::Service => {
                n.services.push(it.name.as_str());
                n.online = true;
                n.evidence
                    .extend(it.service.as_ref().map(|s| s.evidence.clone()));
            }
            _ => {
                n.proprietary.push(it.name.as_str());
                let lic = it.licence.as_ref();
                n.online |= lic.and_then(|l| l.online) == Some(true);
                n.evidence.extend(lic.map(|l| l.evidence.clone()));
            }
        }
    }
    n.services.sort_unstable();
    n.services.dedup();
    n.evidence.truncate(8);
    n
}

/// Findings of a software layer (no declared vendor) that needs foreign services or code:
/// the layer's control, then per foreign controller a kill switch for proprietary code and
/// compelled access where its service or product reaches it online.
fn needs_findings(reg: &Registry, a: &Analysis, li: usize, l: &LayerView, out: &mut Vec<Finding>) {
    let name = l.kind.as_str();
    let (en, nom) = (i18n::layer(Lang::En, name), i18n::layer(Lang::Fr, name));
    // Without a manifest every layer counts for the verdict, and so for the findings.
    let sev = if l.critical || !a.manifest {
        Severity::Deny
    } else {
        Severity::Warn
    };
    let foreign: Vec<&crate::attribute::Controller> = l
        .engines
        .iter()
        .filter(|e| super::is_foreign_corporate(e, &a.home_countries))
        .collect();
    let who = foreign
        .iter()
        .map(|e| format!("{} ({})", e.name, e.country))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        Finding::bi(
            "foreign-critical-layer",
            bi!(
                "The {en} layer needs online services or proprietary code controlled by {who}.",
                "La couche {nom} a besoin de services en ligne ou de code propriétaire contrôlés par {who}."
            ),
        )
        .severity(sev)
        .layer(name)
        .evidence(l.engine_evidence.iter().cloned()),
    );
    for e in foreign {
        let n = needs_of(a, li, &e.entity);
        let countries = chain_countries(reg, &e.entity);
        if !n.proprietary.is_empty() {
            let list = n.proprietary.join(", ");
            out.push(
                Finding::bi(
                    "kill-switch",
                    {
                        let (who, cc, de_who) = (&e.name, &e.country, i18n::de(&e.name));
                        bi!(
                            "The {en} layer runs proprietary code of {who} ({cc}): {list}; its licence can be withdrawn or not renewed.",
                            "La couche « {nom} » exécute du code propriétaire {de_who} ({cc}) : {list} ; sa licence peut être retirée ou non renouvelée."
                        )
                    },
                )
                .layer(name)
                .subject(e.entity.clone())
                .evidence(n.evidence.iter().cloned()),
            );
        }
        if !n.online {
            continue;
        }
        let cited = laws(reg, &countries, "compelled-access");
        if cited.is_empty() {
            continue;
        }
        let (what, quoi) = if n.services.is_empty() {
            (
                "its products reach it online",
                "ses produits le joignent en ligne",
            )
        } else {
            (
                "it runs the services called",
                "il exploite les services appelés",
            )
        };
        let svc = n.services.join(", ");
        let law = countries.join(", ");
        let mut f = Finding::bi(
            "compelled-access",
            (
                format!(
                    "{} ({}) can be compelled to give access under the law of {law}: {what} by the {en} layer ({svc}).",
                    e.name, e.country
                ),
                format!(
                    "{} ({}) peut être contraint de donner accès par le droit {} : {quoi} par la couche « {nom} » ({svc}).",
                    e.name,
                    e.country,
                    droit_fr(&countries)
                ),
            ),
        )
        .severity(sev)
        .layer(name)
        .subject(e.entity.clone())
        .evidence(n.evidence.iter().cloned());
        f.laws = cited;
        out.push(f);
    }
}

/// A software layer whose open-source code is stewarded by foreign companies: forkable, so a
/// supply dependency, never compelled access or a kill switch.
fn stewardship(a: &Analysis, li: usize, l: &LayerView) -> Finding {
    let name = l.kind.as_str();
    let (en, nom) = (i18n::layer(Lang::En, name), i18n::layer(Lang::Fr, name));
    let who = l
        .engines
        .iter()
        .map(|e| format!("{} ({})", e.name, e.country))
        .collect::<Vec<_>>()
        .join(", ");
    let examples = a
        .items
        .iter()
        .filter(|it| {
            it.layer == li
                && it.dependency == Dependency::OpenSource
                && it
                    .controller
                    .as_ref()
                    .is_some_and(|c| l.engines.iter().any(|e| e.entity == c.entity))
        })
        .take(8)
        .filter_map(|it| {
            let lic = it.licence.as_ref()?;
            let by = it.attribution.as_ref().map(|x| x.evidence(&a.registry))?;
            Some(format!("{} — {}; {}", it.name, lic.evidence, by))
        });
    Finding::bi(
        "foreign-supply",
        bi!(
            "The {en} layer uses open-source code stewarded by {who}: it can be forked and runs without their consent, so it is no kill switch, but its roadmap and future licences are decided abroad by one company each.",
            "La couche {nom} utilise du code libre maintenu par {who} : il peut être repris (fork) et fonctionne sans leur consentement, ce n'est donc pas un interrupteur à distance, mais sa feuille de route et ses licences futures sont décidées à l'étranger, chacune par une seule entreprise."
        ),
    )
    .layer(name)
    .evidence(examples)
}

/// Devices carry no software licence; their vendor, not a licence, is what counts.
fn is_hardware(kind: &str) -> bool {
    matches!(kind, "device" | "device-driver")
}

/// Components without licence evidence: neither open source nor proprietary, counted.
fn licence_unknown(a: &Analysis) -> Option<Finding> {
    let unknown: Vec<&Item> = a
        .items
        .iter()
        .filter(|it| {
            !it.dev_only && it.dependency == Dependency::LicenceUnknown && !is_hardware(&it.kind)
        })
        .collect();
    if unknown.is_empty() {
        return None;
    }
    let total = a
        .items
        .iter()
        .filter(|it| !it.dev_only && it.licence.is_some() && !is_hardware(&it.kind))
        .count();
    let mut by_company: BTreeMap<String, usize> = BTreeMap::new();
    for it in &unknown {
        if let Some(c) = &it.controller
            && a.is_foreign(&c.country)
            && c.kind == EntityKind::Company
        {
            *by_company
                .entry(format!("{} ({})", c.name, c.country))
                .or_default() += 1;
        }
    }
    let n = unknown.len();
    let (companies, companies_fr) = if by_company.is_empty() {
        (String::new(), String::new())
    } else {
        let list = by_company
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        (
            format!(" From foreign companies: {list}."),
            format!(" Dont, d'entreprises étrangères : {list}."),
        )
    };
    let f = Finding::bi(
        "licence-unknown",
        bi!(
            "{n} of {total} components carry no licence evidence: they are counted as unknown, neither open source nor proprietary.{companies}",
            "{n} composants sur {total} ne portent aucune licence : ils sont comptés comme inconnus, ni libres ni propriétaires.{companies_fr}"
        ),
    )
    // With a manifest, the declared licence of each layer governs: this is context.
    .severity(if by_company.is_empty() || a.manifest {
        Severity::Info
    } else {
        Severity::Warn
    })
    .evidence(
        unknown
            .iter()
            .filter(|it| it.controller.is_some())
            .chain(unknown.iter().filter(|it| it.controller.is_none()))
            .take(8)
            .map(|it| {
                it.licence
                    .as_ref()
                    .map_or_else(|| it.origin.to_string(), |l| l.evidence.clone())
            }),
    );
    Some(f)
}

/// What the bid leaves out and what it declares untruly: missing required layers, owners
/// whose registry controller answers to another country than declared, and layer
/// declarations the registry's products or the layer's SBOMs contradict.
fn declared_findings(a: &Analysis) -> Vec<Finding> {
    let mut out = Vec::new();
    for l in &a.layers {
        let name = l.kind.as_str();
        let (en, nom) = (i18n::layer(Lang::En, name), i18n::layer(Lang::Fr, name));
        if l.missing {
            out.push(
                Finding::bi(
                    "layer-missing",
                    bi!(
                        "The bid does not describe its {en} layer, which it is required to show: its control is unknown.",
                        "L'offre ne décrit pas sa couche « {nom} », qu'elle est tenue de présenter : son contrôle est inconnu."
                    ),
                )
                .layer(name)
                .evidence(l.required_by.iter().cloned()),
            );
        }
        for c in &l.contradictions {
            out.push(
                Finding::bi(
                    "declaration-contradicted",
                    bi!(
                        "The {en} layer declares {} = \"{}\", but the evidence says {}; the evidence decides.",
                        "La couche « {nom} » déclare {} = « {} », mais les preuves indiquent : {} ; les preuves l'emportent.",
                        c.field,
                        c.declared,
                        c.found
                    ),
                )
                .layer(name)
                .subject(c.field)
                .evidence(c.evidence.iter().filter(|e| !e.is_empty()).cloned()),
            );
        }
    }
    for c in &a.face.country_checks {
        let declared = c.declared.as_deref().unwrap_or("no country");
        let declared_fr = c.declared.as_deref().map_or("aucun pays".to_string(), |d| {
            format!("{d} ({})", i18n::pays(d))
        });
        out.push(
            Finding::bi(
                "declared-country-contradicted",
                bi!(
                    "{} is declared as {declared}, but the registry knows it as {} ({}), controlled by {} ({}); the registry's country counts.",
                    "{} est déclaré sous le pays {declared_fr}, mais le registre le connaît comme {} ({}), contrôlé par {} ({}) ; le pays du registre l'emporte.",
                    c.name,
                    c.entity_name,
                    c.entity_country,
                    c.controller.name,
                    c.controller.country
                ),
            )
            .subject(c.element.clone())
            .evidence(c.evidence.iter().cloned()),
        );
    }
    out
}

/// `des États-Unis` — or, for several countries, `de la Chine et des États-Unis`.
fn droit_fr(countries: &[String]) -> String {
    let parts: Vec<String> = countries.iter().map(|c| i18n::du_pays(c)).collect();
    i18n::liste(&parts)
}

/// `depuis l'Inde`, `depuis les États-Unis et l'Irlande`.
fn depuis_fr(countries: &[&str]) -> String {
    let parts: Vec<String> = countries.iter().map(|c| i18n::pays(c)).collect();
    format!("depuis {}", i18n::liste(&parts))
}

/// The entities a layer relies on, and every entity up their chains: the
/// declared vendor and operator, and the attributed entity of each shipped item.
/// The chains are the ones the analysis resolved once per entity (`Analysis::chains`).
fn relied_on(a: &Analysis, li: usize) -> BTreeSet<&str> {
    let l = &a.layers[li];
    let direct = l
        .vendor
        .iter()
        .chain(l.operator.iter())
        .map(|at| at.entity.as_str())
        .chain(
            a.items
                .iter()
                .filter(|i| i.layer == li && !i.dev_only)
                .filter_map(|i| i.attribution.as_ref().map(|at| at.entity.as_str())),
        );
    let mut out = BTreeSet::new();
    for id in direct {
        match a.chains.get(id) {
            Some(chain) => out.extend(chain.iter().map(|link| link.entity.as_str())),
            None => {
                out.insert(id);
            }
        }
    }
    out
}

/// `listed-entity`: one finding per layer and listed entity, citing each
/// listing in force with its date, source and quote.
fn listed_findings(reg: &Registry, a: &Analysis) -> Vec<Finding> {
    let mut out = Vec::new();
    for (li, l) in a.layers.iter().enumerate() {
        let name = l.kind.as_str();
        let (en, nom) = (i18n::layer(Lang::En, name), i18n::layer(Lang::Fr, name));
        for id in relied_on(a, li) {
            let listings: Vec<_> = reg.listings_of(id).collect();
            let Some(e) = reg.entity(id).filter(|_| !listings.is_empty()) else {
                continue;
            };
            let lists = |lang: Lang| -> Vec<String> {
                listings
                    .iter()
                    .map(|x| match lang {
                        Lang::En => format!("{} since {}", x.list_name(lang), x.listed_on),
                        Lang::Fr => format!(
                            "{} depuis le {}",
                            x.list_name(lang),
                            i18n::date(&x.listed_on)
                        ),
                    })
                    .collect()
            };
            let (who, cc) = (&e.name, &e.country);
            let (list_en, list_fr) = (
                i18n::list_en(&lists(Lang::En)),
                i18n::liste(&lists(Lang::Fr)),
            );
            out.push(
                Finding::bi(
                    "listed-entity",
                    bi!(
                        "{who} ({cc}), which the {en} layer relies on, is on {list_en}: supply, spares, updates and support can be cut whatever the contract says.",
                        "{who} ({cc}), dont dépend la couche « {nom} », figure sur {list_fr} : livraisons, pièces, mises à jour et support peuvent être coupés, quel que soit le contrat."
                    ),
                )
                .layer(name)
                .subject(id.to_string())
                .evidence(listings.iter().map(|x| x.evidence())),
            );
        }
    }
    out
}

/// Components whose controller is, as far as the registry can say, the top of its chain, while
/// a source suggests an owner above it that the registry cannot state (`parent` listed as
/// unconfirmed): their control stops at that entity for want of evidence, not because nobody
/// owns it. A warning when the entity is at home, where a foreign owner would change the
/// verdict; information otherwise.
fn owners_unconfirmed(reg: &Registry, a: &Analysis) -> Vec<Finding> {
    let mut by_entity: BTreeMap<&str, (&crate::registry::Entity, usize)> = BTreeMap::new();
    for it in &a.items {
        if let Some(c) = it.controller.as_deref()
            && let Some(e) = reg.entity(&c.entity)
            && e.owner_unconfirmed()
        {
            by_entity.entry(e.id.as_str()).or_insert((e, 0)).1 += 1;
        }
    }
    let mut out = Vec::new();
    for (id, (e, n)) in by_entity {
        let (name, country) = (&e.name, &e.country);
        let (en, fr) = if n == 1 {
            (
                "1 component is".to_string(),
                "1 composant est contrôlé".to_string(),
            )
        } else {
            (
                format!("{n} components are"),
                format!("{n} composants sont contrôlés"),
            )
        };
        // The note's own account of the owner, or its last statement of what is unconfirmed.
        let why = e
            .note
            .find("unconfirmed: the owner")
            .or_else(|| e.note.rfind("unconfirmed:"))
            .map_or(e.note.as_str(), |i| &e.note[i..]);
        out.push(
            Finding::bi(
                "owner-unconfirmed",
                bi!(
                    "{en} controlled by {name} ({country}) as far as the registry can tell: who owns {name} is unconfirmed, so a controller above it, foreign or not, cannot be ruled out.",
                    "{fr} par {name} ({country}) pour autant que le registre le sache : le propriétaire de {name} n'est pas confirmé, et un contrôleur au-dessus, étranger ou non, ne peut être exclu."
                ),
            )
            .subject(id)
            .severity(if a.is_foreign(country) {
                Severity::Info
            } else {
                Severity::Warn
            })
            .evidence([format!("registry {}: {why}", e.row)]),
        );
    }
    out
}
