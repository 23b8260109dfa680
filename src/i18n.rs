//! French and English words shared by the analysis (bilingual finding messages)
//! and the renderers. Bid content is never translated; only coquille's own words are.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Pick the English or the French text.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

/// A label of the user interface.
pub fn label(lang: Lang, key: &str) -> &'static str {
    let (en, fr) = match key {
        "report" => ("Sovereignty report", "Rapport de souveraineté"),
        "verdict" => ("Verdict", "Verdict"),
        "comparison" => ("Bids compared", "Comparaison des offres"),
        "bid" => ("Bid", "Offre"),
        "home" => ("Home jurisdiction", "Juridiction de référence"),
        "face" => ("The face", "La façade"),
        "engine" => ("The engine", "Le moteur"),
        "face_engine" => ("Face and engine", "Façade et moteur"),
        "face_help" => (
            "Who signs the contract, who owns the bidder, where it runs.",
            "Qui signe le contrat, qui détient le soumissionnaire, où le service tourne.",
        ),
        "engine_help" => (
            "Who controls each critical layer of the stack.",
            "Qui contrôle chaque couche critique de la pile.",
        ),
        "bidder" => ("Bidder", "Soumissionnaire"),
        "controlled_by" => ("controlled by", "contrôlé par"),
        "owners" => ("Owners (look-through)", "Actionnaires (par transparence)"),
        "foreign_share" => ("Foreign share of capital", "Part étrangère du capital"),
        "operators" => ("Operators", "Exploitants"),
        "sites" => ("Sites", "Sites"),
        "layers" => ("Control of each layer", "Contrôle de chaque couche"),
        "layer" => ("Layer", "Couche"),
        "critical" => ("Critical", "Critique"),
        "product" => ("Product", "Produit"),
        "control" => ("Control", "Contrôle"),
        "controller" => ("Controller", "Contrôleur"),
        "components" => ("Components", "Composants"),
        "yes" => ("yes", "oui"),
        "no" => ("no", "non"),
        "chains" => (
            "Chains of ownership behind foreign controllers",
            "Chaînes de détention derrière les contrôleurs étrangers",
        ),
        "exposures" => ("Exposures and findings", "Expositions et constats"),
        "questions" => ("Questions for the bidder", "Questions au soumissionnaire"),
        "questions_help" => (
            "What the evidence leaves unknown, phrased to be sent to the bidder as it is; the questions whose answer could change the verdict come first.",
            "Ce que les preuves laissent inconnu, formulé pour être adressé tel quel au soumissionnaire ; les questions dont la réponse peut changer le verdict viennent en premier.",
        ),
        "also_layers" => ("Also the layers", "Aussi les couches"),
        "not_described" => ("not described by the bid", "non décrite par l'offre"),
        "changes_verdict" => ("could change the verdict", "peut changer le verdict"),
        "severity" => ("Severity", "Gravité"),
        "finding" => ("Finding", "Constat"),
        "law" => ("Law", "Loi"),
        "evidence" => ("Evidence", "Preuves"),
        "blast" => (
            "Blast radius per foreign controller",
            "Rayon d'impact par contrôleur étranger",
        ),
        "blast_help" => (
            "What stops if this controller withdraws its licence, service or support.",
            "Ce qui s'arrête si ce contrôleur retire sa licence, son service ou son support.",
        ),
        "attributed_direct" => ("Components it controls", "Composants qu'il contrôle"),
        "affected" => ("Components affected", "Composants touchés"),
        "affected_layers" => ("Layers affected", "Couches touchées"),
        "coverage" => ("Unknowns and coverage", "Inconnues et couverture"),
        "coverage_text" => (
            "components attributed; the rest are unknown and counted as unknown, never as local.",
            "composants attribués ; les autres sont inconnus et comptés comme inconnus, jamais comme locaux.",
        ),
        "top_unknown" => (
            "Most frequent unattributed",
            "Non attribués les plus fréquents",
        ),
        "components_list" => ("Components", "Composants"),
        "components_truncated" => (
            "Only the first components are listed here; the full list is in components.csv.",
            "Seuls les premiers composants sont listés ici ; la liste complète est dans components.csv.",
        ),
        "appendix" => ("Evidence appendix", "Annexe des preuves"),
        "inputs" => ("Inputs", "Fichiers analysés"),
        "format" => ("Format", "Format"),
        "registry_rows" => ("Registry rows used", "Lignes du registre utilisées"),
        "facts_quoted" => (
            "Facts and the sentences that state them",
            "Faits et phrases qui les établissent",
        ),
        "fact_name" => ("legal name", "raison sociale"),
        "fact_country" => ("country", "pays"),
        "fact_parent" => ("parent", "société mère"),
        "fact_share" => ("share held", "part détenue"),
        "fact_control" => ("control", "contrôle"),
        "fact_unconfirmed" => (
            "unconfirmed: no source in the registry states it",
            "non confirmé : aucune source du registre ne l'établit",
        ),
        "source" => ("Source", "Source"),
        "as_of" => ("As of", "Date"),
        "entity" => ("Entity", "Entité"),
        "country" => ("Country", "Pays"),
        "name" => ("Name", "Nom"),
        "version" => ("Version", "Version"),
        "type" => ("Type", "Type"),
        "generated" => ("Generated by coquille", "Produit par coquille"),
        "deterministic" => (
            "The same inputs always give the same report. Inputs are identified by their SHA-256.",
            "Les mêmes entrées donnent toujours le même rapport. Les fichiers sont identifiés par leur SHA-256.",
        ),
        "none" => ("None.", "Aucun."),
        "charts" => ("Charts", "Graphiques"),
        "unknown" => ("unknown", "inconnu"),
        "controller_unknown" => ("controller unknown", "contrôleur inconnu"),
        "reasons" => ("Why", "Pourquoi"),
        "row" => ("Row", "Ligne"),
        _ => ("?", "?"),
    };
    lang.pick(en, fr)
}

pub fn verdict(lang: Lang, v: &str) -> &'static str {
    let (en, fr) = match v {
        "sovereign" => ("Sovereign", "Souverain"),
        "local-shell" => (
            "Local shell, foreign engine",
            "Coquille locale, moteur étranger",
        ),
        "foreign" => ("Foreign", "Étranger"),
        _ => ("Insufficient evidence", "Preuves insuffisantes"),
    };
    lang.pick(en, fr)
}

pub fn control(lang: Lang, c: &str) -> &'static str {
    let (en, fr) = match c {
        "home" => ("home", "national"),
        "foreign" => ("foreign", "étranger"),
        "foreign-supply" => ("foreign supply", "fourniture étrangère"),
        "community" => ("community", "communautaire"),
        _ => ("unknown", "inconnu"),
    };
    lang.pick(en, fr)
}

pub fn layer(lang: Lang, l: &str) -> &'static str {
    let (en, fr) = match l {
        "datacenter" => ("data centre", "centre de données"),
        "hardware" => ("hardware", "matériel"),
        "network" => ("network", "réseau"),
        "hypervisor" => ("hypervisor", "hyperviseur"),
        "os" => ("operating system", "système d'exploitation"),
        "storage" => ("storage", "stockage"),
        "database" => ("database", "base de données"),
        "iam" => ("identity (IAM)", "identités (IAM)"),
        "kms" => ("keys (KMS/HSM)", "clés (KMS/HSM)"),
        "compute" => ("compute", "calcul"),
        "messaging" => ("messaging", "messagerie applicative"),
        "ai" => ("AI services", "services d'IA"),
        "telemetry" => ("telemetry", "télémétrie"),
        "control-plane" => ("control plane", "plan de contrôle"),
        "paas" => ("platform (PaaS)", "plateforme (PaaS)"),
        "saas" => ("software (SaaS)", "logiciel (SaaS)"),
        "application" => ("application", "application"),
        "support" => ("support", "support"),
        "soc" => ("security operations (SOC)", "centre de sécurité (SOC)"),
        _ => ("other", "autre"),
    };
    lang.pick(en, fr)
}

pub fn severity(lang: Lang, s: &str) -> &'static str {
    let (en, fr) = match s {
        "deny" => ("deny", "bloquant"),
        "warn" => ("warn", "alerte"),
        _ => ("info", "info"),
    };
    lang.pick(en, fr)
}

/// A short title per finding code.
pub fn finding_title(lang: Lang, code: &str) -> &'static str {
    let (en, fr) = match code {
        "foreign-bidder" => (
            "Foreign-controlled bidder",
            "Soumissionnaire sous contrôle étranger",
        ),
        "foreign-critical-layer" => (
            "Foreign-controlled critical layer",
            "Couche critique sous contrôle étranger",
        ),
        "foreign-supply" => ("Foreign supply", "Fourniture étrangère"),
        "compelled-access" => (
            "Compelled access by a foreign state",
            "Accès contraint par un État étranger",
        ),
        "kill-switch" => ("Kill switch", "Interrupteur à distance"),
        "export-control" => ("Export control", "Contrôle des exportations"),
        "listed-entity" => (
            "Listed entity (export control, sanctions)",
            "Entité inscrite (contrôle des exportations, sanctions)",
        ),
        "key-custody" => ("Key custody", "Garde des clés"),
        "data-outside-home" => (
            "Data outside the home jurisdiction",
            "Données hors de la juridiction de référence",
        ),
        "foreign-support" => ("Support from abroad", "Support depuis l'étranger"),
        "claim-contradicted" => (
            "Claim contradicted by the evidence",
            "Affirmation contredite par les preuves",
        ),
        "foreign-components" => (
            "Foreign components in a local layer",
            "Composants étrangers dans une couche locale",
        ),
        "foreign-foundation" => (
            "Open source governed abroad",
            "Logiciel libre gouverné à l'étranger",
        ),
        "owner-unconfirmed" => ("Owner unconfirmed", "Propriétaire non confirmé"),
        "licence-unknown" => ("Licence unknown", "Licence inconnue"),
        "unattributed-components" => ("Unattributed components", "Composants non attribués"),
        "unknown-layer-control" => (
            "Layer with unknown controller",
            "Couche au contrôleur inconnu",
        ),
        "input-warnings" => ("Input warnings", "Avertissements de lecture"),
        "exception-expired" => ("Exception expired", "Dérogation expirée"),
        "layer-missing" => ("Required layer not described", "Couche exigée non décrite"),
        "declared-country-contradicted" => (
            "Declared country contradicted by the registry",
            "Pays déclaré contredit par le registre",
        ),
        "declaration-contradicted" => (
            "Declaration contradicted by the evidence",
            "Déclaration contredite par les preuves",
        ),
        "policy-verdict" => (
            "Verdict refused by the policy",
            "Verdict refusé par la politique",
        ),
        "policy-foreign-capital" => (
            "Foreign capital above the policy's limit",
            "Capital étranger au-delà de la limite",
        ),
        "policy-single-foreign-holder" => (
            "Foreign holder above the policy's limit",
            "Actionnaire étranger au-delà de la limite",
        ),
        "policy-foreign-critical-layers" => (
            "Foreign critical layers above the policy's limit",
            "Couches critiques étrangères au-delà de la limite",
        ),
        "policy-csf-seal" => ("SEAL below the minimum", "SEAL sous le minimum"),
        "policy-coverage" => (
            "Attribution coverage below the policy's minimum",
            "Couverture d'attribution sous le minimum",
        ),
        _ => ("Finding", "Constat"),
    };
    lang.pick(en, fr)
}

/// French names of the jurisdictions the registry knows, with the article French uses
/// (`le Maroc`, `l'Irlande`, `les États-Unis`; islands and city-states have none), for
/// sentences that name a country: "au Maroc", "du droit des États-Unis", "depuis l'Irlande".
const PAYS: &[(&str, &str)] = &[
    ("AE", "les Émirats arabes unis"),
    ("AT", "l'Autriche"),
    ("AU", "l'Australie"),
    ("BE", "la Belgique"),
    ("BG", "la Bulgarie"),
    ("BH", "Bahreïn"),
    ("BM", "les Bermudes"),
    ("BR", "le Brésil"),
    ("BY", "la Biélorussie"),
    ("CA", "le Canada"),
    ("CH", "la Suisse"),
    ("CI", "la Côte d'Ivoire"),
    ("CN", "la Chine"),
    ("CY", "Chypre"),
    ("CZ", "la Tchéquie"),
    ("DE", "l'Allemagne"),
    ("DK", "le Danemark"),
    ("DZ", "l'Algérie"),
    ("EE", "l'Estonie"),
    ("EG", "l'Égypte"),
    ("ES", "l'Espagne"),
    ("FI", "la Finlande"),
    ("FR", "la France"),
    ("GB", "le Royaume-Uni"),
    ("GR", "la Grèce"),
    ("HK", "Hong Kong"),
    ("HR", "la Croatie"),
    ("HU", "la Hongrie"),
    ("ID", "l'Indonésie"),
    ("IE", "l'Irlande"),
    ("IL", "Israël"),
    ("IN", "l'Inde"),
    ("IR", "l'Iran"),
    ("IS", "l'Islande"),
    ("IT", "l'Italie"),
    ("JE", "Jersey"),
    ("JP", "le Japon"),
    ("KE", "le Kenya"),
    ("KP", "la Corée du Nord"),
    ("KR", "la Corée du Sud"),
    ("KW", "le Koweït"),
    ("KY", "les îles Caïmans"),
    ("LI", "le Liechtenstein"),
    ("LT", "la Lituanie"),
    ("LU", "le Luxembourg"),
    ("LV", "la Lettonie"),
    ("MA", "le Maroc"),
    ("MT", "Malte"),
    ("MU", "Maurice"),
    ("MX", "le Mexique"),
    ("MY", "la Malaisie"),
    ("NG", "le Nigeria"),
    ("NL", "les Pays-Bas"),
    ("NO", "la Norvège"),
    ("NZ", "la Nouvelle-Zélande"),
    ("OM", "Oman"),
    ("PL", "la Pologne"),
    ("PT", "le Portugal"),
    ("QA", "le Qatar"),
    ("RO", "la Roumanie"),
    ("RU", "la Russie"),
    ("SA", "l'Arabie saoudite"),
    ("SE", "la Suède"),
    ("SG", "Singapour"),
    ("SI", "la Slovénie"),
    ("SK", "la Slovaquie"),
    ("SN", "le Sénégal"),
    ("TN", "la Tunisie"),
    ("TR", "la Turquie"),
    ("TW", "Taïwan"),
    ("US", "les États-Unis"),
    ("VG", "les îles Vierges britanniques"),
    ("VN", "le Viêt Nam"),
    ("ZA", "l'Afrique du Sud"),
    ("ZW", "le Zimbabwe"),
    ("EU", "l'Union européenne"),
    ("EEA", "l'Espace économique européen"),
];

/// A country with its article (`le Maroc`), or the code in words when it is not in the table.
pub fn pays(code: &str) -> String {
    PAYS.iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| format!("le pays de code {code}"), |(_, n)| n.to_string())
}

/// Where: `au Maroc`, `en Irlande`, `aux États-Unis`, `à Singapour`, `en Israël`.
pub fn en_pays(code: &str) -> String {
    let p = pays(code);
    if let Some(n) = p.strip_prefix("le ") {
        format!("au {n}")
    } else if let Some(n) = p.strip_prefix("les ") {
        format!("aux {n}")
    } else if let Some(n) = p.strip_prefix("la ").or(p.strip_prefix("l'")) {
        format!("en {n}")
    } else if p.starts_with(['A', 'E', 'I', 'O', 'U', 'É']) {
        format!("en {p}")
    } else {
        format!("à {p}")
    }
}

/// Of, from a country: `du Maroc`, `des États-Unis`, `de la France`, `de l'Irlande`,
/// `de Singapour`, `d'Israël`.
pub fn du_pays(code: &str) -> String {
    let p = pays(code);
    if let Some(n) = p.strip_prefix("le ") {
        format!("du {n}")
    } else if let Some(n) = p.strip_prefix("les ") {
        format!("des {n}")
    } else {
        de(&p)
    }
}

/// `de` before a name, elided before a vowel or a mute h: `d'Amazon`, `de Cisco`.
pub fn de(name: &str) -> String {
    let first = name
        .chars()
        .next()
        .map(|c| c.to_lowercase().next().unwrap_or(c));
    match first {
        Some('a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | 'é' | 'è' | 'ê' | 'î' | 'ô' | 'â') => {
            format!("d'{name}")
        }
        _ => format!("de {name}"),
    }
}

/// A French enumeration: `a`, `a et b`, `a, b et c`.
pub fn liste(parts: &[String]) -> String {
    enumeration(parts, "et")
}

/// `a, b <and> c`.
fn enumeration(parts: &[String], and: &str) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
    }
}

/// An English enumeration: `a, b and c`.
pub fn list_en(parts: &[String]) -> String {
    enumeration(parts, "and")
}

/// A number and its noun, agreed: `1 composant`, `2 composants`.
pub fn nombre(n: usize, singulier: &str, pluriel: &str) -> String {
    if n <= 1 {
        format!("{n} {singulier}")
    } else {
        format!("{n} {pluriel}")
    }
}

/// A percentage as French writes it: decimal comma, narrow no-break space before `%`.
pub fn pourcentage(x: f64) -> String {
    format!("{x:.1}\u{202f}%").replace('.', ",")
}

#[cfg(test)]
mod fr_tests {
    use super::*;

    #[test]
    fn countries_take_their_prepositions() {
        assert_eq!(en_pays("MA"), "au Maroc");
        assert_eq!(en_pays("IE"), "en Irlande");
        assert_eq!(en_pays("US"), "aux États-Unis");
        assert_eq!(en_pays("FR"), "en France");
        assert_eq!(en_pays("SG"), "à Singapour");
        assert_eq!(en_pays("IL"), "en Israël");
        assert_eq!(du_pays("US"), "des États-Unis");
        assert_eq!(du_pays("MA"), "du Maroc");
        assert_eq!(du_pays("IE"), "de l'Irlande");
        assert_eq!(du_pays("IL"), "d'Israël");
        assert_eq!(de("Amazon.com, Inc."), "d'Amazon.com, Inc.");
        assert_eq!(de("Cisco"), "de Cisco");
        assert_eq!(nombre(1, "composant", "composants"), "1 composant");
        assert_eq!(pourcentage(35.0), "35,0\u{202f}%");
    }
}

/// A date in French words: `2019-05-16` → `16 mai 2019`, `2019-05-01` → `1er mai 2019`;
/// anything else is returned as it is.
pub fn date(iso: &str) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let parts: Vec<&str> = iso.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return iso.to_string();
    };
    let (Ok(m), Ok(d)) = (m.parse::<usize>(), d.parse::<u32>()) else {
        return iso.to_string();
    };
    match MOIS.get(m.wrapping_sub(1)) {
        Some(mois) if (1..=31).contains(&d) => {
            let jour = if d == 1 {
                "1er".to_string()
            } else {
                d.to_string()
            };
            format!("{jour} {mois} {y}")
        }
        _ => iso.to_string(),
    }
}

/// A sentence that ends on a name ending in a full stop ("… Amazon.com, Inc.")
/// takes one full stop, not two.
pub fn full_stop(mut sentence: String) -> String {
    if sentence.ends_with("..") && !sentence.ends_with("...") {
        sentence.pop();
    }
    sentence
}

#[cfg(test)]
mod grammar_tests {
    #[test]
    fn dates_in_french_words() {
        assert_eq!(super::date("2019-05-16"), "16 mai 2019");
        assert_eq!(super::date("2021-08-01"), "1er août 2021");
        assert_eq!(super::date("2021-13-01"), "2021-13-01");
    }

    #[test]
    fn one_full_stop_after_an_abbreviation() {
        assert_eq!(
            super::full_stop("par Cisco Systems, Inc..".into()),
            "par Cisco Systems, Inc."
        );
        assert_eq!(super::full_stop("en attente...".into()), "en attente...");
        assert_eq!(super::full_stop("fin.".into()), "fin.");
    }
}
