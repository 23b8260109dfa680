//! The tender file (TOML): the buyer, the home jurisdiction, the policy and
//! scoring, and the bids (paths relative to the tender, inside its folder).

use crate::ingest::ReadError;
use crate::ingest::manifest::{LayerKind, ServiceModel, check_relative};
use serde::Deserialize;

pub const SCHEMA: &str = "coquille.tender/1";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Tender {
    pub schema: String,
    pub tender: Info,
    pub policy: PolicyRef,
    #[serde(default)]
    pub scoring: Option<Scoring>,
    pub bids: Vec<BidRef>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Info {
    pub id: String,
    pub title: String,
    pub buyer: String,
    /// A country (MA) or a bloc (EU).
    pub home: String,
    /// The data classification the tender is for (`sensitive`, `public`…).
    #[serde(default)]
    pub classification: Option<String>,
    /// Language of the reports: `en` or `fr`.
    #[serde(default)]
    pub lang: Option<String>,
    /// What the tender buys: sets the layers every bid must show (see
    /// [`ServiceModel::required_layers`]) unless `required_layers` names them.
    #[serde(default)]
    pub service_model: Option<ServiceModel>,
    /// The layers every bid must show, in place of the service model's defaults.
    #[serde(default)]
    pub required_layers: Option<Vec<LayerKind>>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PolicyRef {
    /// A preset id (`ma-sensitive`, `secnumcloud`, `eu-csf`)…
    #[serde(default)]
    pub preset: Option<String>,
    /// …or a policy file relative to the tender.
    #[serde(default)]
    pub file: Option<String>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// `csf-v1.2.1` or `csf-calculator-2026`.
    pub weights: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BidRef {
    /// A bid manifest or a bid folder, relative to the tender.
    pub path: String,
}

/// Parse a tender; after parsing, every problem is listed at once.
pub fn read(file: &str, text: &str) -> Result<Tender, ReadError> {
    let mut t: Tender =
        toml::from_str(text).map_err(|e| ReadError::from_toml(file, "tender", text, &e))?;
    let mut problems = Vec::new();
    if t.schema != SCHEMA {
        problems.push(format!("schema \"{}\" is not {SCHEMA}", t.schema));
    }
    // The line of the value at a key path (never a comment or another key that mentions it).
    let line_of = |path: &[&str]| {
        super::locate::toml_key(text, path)
            .map(|i| ReadError::line_col(text.as_bytes(), i))
            .unwrap_or_else(|| format!("[{}]", path.join(".")))
    };
    match (&t.policy.preset, &t.policy.file) {
        (Some(_), Some(_)) | (None, None) => problems.push(format!(
            "{}: [policy] needs exactly one of preset or file",
            line_of(&["policy"])
        )),
        (None, Some(f)) => {
            if let Err(e) = check_relative(f) {
                problems.push(format!("{}: policy file {e}", line_of(&["policy", "file"])));
            }
        }
        _ => {}
    }
    match crate::country::normalise_place(&t.tender.home) {
        Ok(h) => t.tender.home = h,
        Err(why) => problems.push(format!("{}: home {why}", line_of(&["tender", "home"]))),
    }
    if t.bids.is_empty() {
        problems.push("the tender lists no [[bids]]".into());
    }
    for (i, b) in t.bids.iter().enumerate() {
        if let Err(e) = check_relative(&b.path) {
            let i = i.to_string();
            problems.push(format!("{}: bid {e}", line_of(&["bids", &i, "path"])));
        }
    }
    if let Some(l) = &t.tender.lang
        && l != "en"
        && l != "fr"
    {
        problems.push(format!(
            "{}: lang \"{l}\" is not en or fr",
            line_of(&["tender", "lang"])
        ));
    }
    if let Some(s) = &t.scoring
        && !crate::policy::csf::WEIGHTS
            .iter()
            .any(|(n, _, _)| *n == s.weights)
    {
        problems.push(format!(
            "{}: scoring weights \"{}\" are not csf-v1.2.1 or csf-calculator-2026",
            line_of(&["scoring", "weights"]),
            s.weights
        ));
    }
    if problems.is_empty() {
        Ok(t)
    } else {
        Err(ReadError::new(file, problems.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_point_at_the_line_of_their_key_not_at_a_comment_naming_it() {
        let text = "schema = \"coquille.tender/1\"\n\n[tender]\nid = \"t\"\ntitle = \"t\"\nbuyer = \"b\"\nclassification = \"sensitive\"\n# the home country of the buyer goes below\n# home is where the law is\nlang = \"de\"\n\n\nhome = \"XX\"\n\n[policy]\npreset = \"ma-sensitive\"\n\n[[bids]]\npath = \"a\"\n[[bids]]\npath = \"../escape\"\n";
        let e = read("t.toml", text).unwrap_err();
        assert!(
            e.message.contains("line 13, column 8: home"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("line 10, column 8: lang"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains("line 21, column 8: bid"),
            "{}",
            e.message
        );
    }
}
