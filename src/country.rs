//! Country codes as bids write them, checked against ISO 3166-1 alpha-2.
//!
//! A bid that writes `ma` for Morocco, `France` for FR or `XX` for nowhere must not be read
//! as a foreign or an unknown country: codes are normalised to upper case, anything that is
//! not an assigned alpha-2 code is refused, and the refusal suggests the code the bidder
//! probably meant (from the English names and aliases `celes` carries, ISO alpha-3 codes,
//! and the French names of the countries a bid most often names).

use celes::Country;

/// Blocs a residency or operation claim may name instead of a country.
pub const BLOCS: &[&str] = &["EU", "EEA"];

/// French names (and a few non-ISO codes in common use) of the countries bids name most,
/// for suggestions only: `Maroc` → MA, `UK` → GB, `EL` → GR.
const OTHER_NAMES: &[(&str, &str)] = &[
    ("maroc", "MA"),
    ("royaumedumaroc", "MA"),
    ("allemagne", "DE"),
    ("etatsunis", "US"),
    ("etatsunisdamerique", "US"),
    ("chine", "CN"),
    ("royaumeuni", "GB"),
    ("uk", "GB"),
    ("el", "GR"),
    ("grece", "GR"),
    ("irlande", "IE"),
    ("espagne", "ES"),
    ("italie", "IT"),
    ("paysbas", "NL"),
    ("hollande", "NL"),
    ("belgique", "BE"),
    ("suisse", "CH"),
    ("algerie", "DZ"),
    ("tunisie", "TN"),
    ("egypte", "EG"),
    ("senegal", "SN"),
    ("cotedivoire", "CI"),
    ("emiratsarabesunis", "AE"),
    ("emirats", "AE"),
    ("uae", "AE"),
    ("arabiesaoudite", "SA"),
    ("inde", "IN"),
    ("japon", "JP"),
    ("coreedusud", "KR"),
    ("russie", "RU"),
    ("israel", "IL"),
    ("turquie", "TR"),
    ("afriquedusud", "ZA"),
    ("mauritanie", "MR"),
    ("suede", "SE"),
    ("finlande", "FI"),
    ("norvege", "NO"),
    ("danemark", "DK"),
    ("pologne", "PL"),
    ("autriche", "AT"),
    ("singapour", "SG"),
    ("taiwan", "TW"),
    ("bresil", "BR"),
    ("mexique", "MX"),
    ("australie", "AU"),
    ("koweit", "KW"),
    ("jordanie", "JO"),
    ("liban", "LB"),
    ("cameroun", "CM"),
    ("maurice", "MU"),
    ("republiquetcheque", "CZ"),
    ("tchequie", "CZ"),
    ("hongrie", "HU"),
    ("roumanie", "RO"),
    ("chypre", "CY"),
    ("malte", "MT"),
    ("lituanie", "LT"),
    ("lettonie", "LV"),
    ("estonie", "EE"),
    ("croatie", "HR"),
    ("slovaquie", "SK"),
    ("slovenie", "SI"),
    ("bulgarie", "BG"),
];

/// Letters only, lower case, accents folded (`États-Unis` → `etatsunis`).
fn squash(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'à' | 'â' | 'ä' | 'á' => Some('a'),
            'é' | 'è' | 'ê' | 'ë' => Some('e'),
            'î' | 'ï' | 'í' => Some('i'),
            'ô' | 'ö' | 'ó' => Some('o'),
            'ù' | 'û' | 'ü' | 'ú' => Some('u'),
            'ç' => Some('c'),
            c if c.is_ascii_lowercase() => Some(c),
            _ => None,
        })
        .collect()
}

/// Is `code` an assigned ISO 3166-1 alpha-2 code (upper case)?
pub fn is_iso(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && Country::from_alpha2(code).is_ok()
}

/// The code a bidder probably meant by `s`, if one can be guessed.
pub fn suggest(s: &str) -> Option<String> {
    let t = s.trim();
    if t.len() == 3
        && let Ok(c) = Country::from_alpha3(t)
    {
        return Some(c.alpha2.to_string());
    }
    let k = squash(t);
    if k.is_empty() {
        return None;
    }
    if let Some((_, code)) = OTHER_NAMES.iter().find(|(n, _)| *n == k) {
        return Some((*code).to_string());
    }
    Country::from_name(&k)
        .or_else(|_| Country::from_alias(&k))
        .ok()
        .map(|c| c.alpha2.to_string())
}

/// Why `s` is refused, with a suggestion when there is one.
fn refusal(s: &str, blocs: bool) -> String {
    let what = if blocs {
        "an ISO 3166-1 alpha-2 country code or EU/EEA"
    } else {
        "an ISO 3166-1 alpha-2 country code"
    };
    match suggest(s) {
        Some(code) => format!("\"{s}\" is not {what}; did you mean {code}?"),
        None => format!("\"{s}\" is not {what}"),
    }
}

/// Normalise a country code (`ma` → `MA`), or say why it is refused.
pub fn normalise(s: &str) -> Result<String, String> {
    let up = s.trim().to_ascii_uppercase();
    if is_iso(&up) {
        Ok(up)
    } else {
        Err(refusal(s, false))
    }
}

/// Normalise a place a claim names: a country code, or a bloc (`EU`, `EEA`).
pub fn normalise_place(s: &str) -> Result<String, String> {
    let up = s.trim().to_ascii_uppercase();
    if is_iso(&up) || BLOCS.contains(&up.as_str()) {
        Ok(up)
    } else {
        Err(refusal(s, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised_and_checked() {
        assert_eq!(normalise("ma").unwrap(), "MA");
        assert_eq!(normalise(" Fr ").unwrap(), "FR");
        for bad in ["XX", "ZZ", "UK", "", "MAR", "Maroc", "France", "M"] {
            assert!(normalise(bad).is_err(), "{bad}");
        }
        assert_eq!(normalise_place("eu").unwrap(), "EU");
        assert!(normalise("EU").is_err(), "a bloc is not a country");
    }

    #[test]
    fn refusals_suggest_what_was_meant() {
        for (bad, meant) in [
            ("Maroc", "MA"),
            ("France", "FR"),
            ("MAR", "MA"),
            ("États-Unis", "US"),
            ("UK", "GB"),
            ("Germany", "DE"),
            ("United States", "US"),
        ] {
            let e = normalise(bad).unwrap_err();
            assert!(e.contains(&format!("did you mean {meant}?")), "{bad}: {e}");
        }
        assert!(!normalise("XX").unwrap_err().contains("did you mean"));
    }
}
