//! Export-control and sanctions listings as facts (`listings*.csv`): which
//! authority put which entity on which list, when, and the sentence of the
//! source that says so. The export-control exposure of a layer rests on a
//! listed entity in its chain, not only on the country of its vendor.

use super::{RegistryError, RowRef, Tables, get, read_rows};
use serde::Serialize;

/// The lists coquille knows, with their names for people (English, French).
pub const LISTS: &[(&str, &str, &str)] = &[
    (
        "us-entity-list",
        "the US Entity List (Commerce, BIS)",
        "l'Entity List du département du Commerce américain (BIS)",
    ),
    (
        "us-fcc-covered-list",
        "the US FCC Covered List",
        "la Covered List de la FCC américaine",
    ),
    (
        "us-ns-cmic",
        "the US Treasury NS-CMIC list",
        "la liste NS-CMIC du Trésor américain",
    ),
    (
        "us-dod-1260h",
        "the US Department of Defense 1260H list",
        "la liste 1260H du département de la Défense américain",
    ),
    (
        "us-ofac-sdn",
        "the US Treasury OFAC SDN list",
        "la liste SDN de l'OFAC (Trésor américain)",
    ),
    (
        "eu-sanctions",
        "EU restrictive measures",
        "les mesures restrictives de l'Union européenne",
    ),
    (
        "uk-sanctions",
        "UK sanctions",
        "les sanctions du Royaume-Uni",
    ),
    (
        "un-sanctions",
        "the UN Security Council sanctions list",
        "la liste des sanctions du Conseil de sécurité des Nations unies",
    ),
];

/// One listing of an entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Listing {
    pub entity: String,
    /// One of [`LISTS`].
    pub list: String,
    pub authority: String,
    /// The date the listing took effect (YYYY-MM-DD).
    pub listed_on: String,
    /// The date it was lifted, if it was; a lifted listing no longer counts.
    pub removed_on: Option<String>,
    pub url: String,
    pub source_quote: String,
    pub note: String,
    pub row: RowRef,
}

impl Listing {
    /// Is the listing in force?
    pub fn active(&self) -> bool {
        self.removed_on.is_none()
    }

    /// The list's name for people.
    pub fn list_name(&self, lang: crate::i18n::Lang) -> &str {
        LISTS
            .iter()
            .find(|(id, _, _)| *id == self.list)
            .map_or(self.list.as_str(), |(_, en, fr)| lang.pick(en, fr))
    }

    /// The evidence line: list, date, source, row and quote.
    pub fn evidence(&self) -> String {
        format!(
            "{} listing of {} since {}: {} ({}): “{}”",
            self.list,
            self.entity,
            self.listed_on,
            self.url,
            self.row,
            self.source_quote.trim()
        )
    }
}

impl Tables {
    pub(super) fn load_listings(
        &mut self,
        file: &str,
        text: &str,
    ) -> Result<(), Vec<RegistryError>> {
        let rows =
            read_rows(file, text, &["entity", "list", "listed_on", "url"]).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            let list = get(&r, "list");
            if !LISTS.iter().any(|(id, _, _)| *id == list) {
                let known: Vec<&str> = LISTS.iter().map(|(id, _, _)| *id).collect();
                errors.push(RegistryError {
                    row,
                    message: format!("list \"{list}\" is not one of {}", known.join(", ")),
                });
                continue;
            }
            let removed = get(&r, "removed_on");
            self.listings.push(Listing {
                entity: get(&r, "entity").to_string(),
                list: list.to_string(),
                authority: get(&r, "authority").to_string(),
                listed_on: get(&r, "listed_on").to_string(),
                removed_on: (!removed.is_empty()).then(|| removed.to_string()),
                url: get(&r, "url").to_string(),
                source_quote: get(&r, "source_quote").to_string(),
                note: get(&r, "note").to_string(),
                row,
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
