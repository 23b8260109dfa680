//! Validation of SBOMs against the standards' own JSON schemas (`coquille validate`,
//! `analyze --strict`): CycloneDX 1.2–1.7 JSON and SPDX 2.2/2.3 JSON, with format
//! assertions on (timestamps, e-mails, IRIs), through the `jsonschema` crate.
//!
//! The schemas are the specification's files, embedded deflated at build time (see
//! `build.rs`); a build that did not find them says so instead of validating. References
//! between schemas (`spdx.schema.json`, `jsf-0.82.schema.json`,
//! `cryptography-defs.schema.json`) resolve to the embedded copies and never to the network.

use super::locate;
use jsonschema::{Retrieve, Uri, Validator};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read as _;
use std::sync::{Arc, OnceLock};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_schemas.rs"));
}

/// Longest message kept for one problem: an enum of 700 licence ids is not a message.
const MAX_MESSAGE: usize = 300;
/// Most problems listed for one document; the rest are counted.
pub const MAX_PROBLEMS: usize = 1000;

/// One schema violation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// JSON pointer of the offending value (`""` for the document).
    pub pointer: String,
    /// 1-based line and column of that value in the text, when found.
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub message: String,
}

/// The result of validating one document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Validation {
    /// What the document was checked against, e.g. `CycloneDX 1.6 JSON schema`.
    pub against: String,
    pub problems: Vec<Problem>,
    /// Problems past [`MAX_PROBLEMS`], counted only.
    pub more: usize,
}

/// Why a document could not be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unchecked {
    /// This build has no schema for it (built without `../shared/conformance`).
    NotEmbedded(String),
    /// No schema exists for this version (CycloneDX 1.0/1.1 have none in JSON).
    NoSchema(String),
}

impl std::fmt::Display for Unchecked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Unchecked::NotEmbedded(s) => write!(
                f,
                "this build of coquille has no {s}: it was built without the specification's schema files (../shared/conformance, or COQUILLE_SCHEMA_DIR)"
            ),
            Unchecked::NoSchema(s) => write!(f, "{s}"),
        }
    }
}

/// An embedded schema file's text (a JSON schema or an XSD), inflated.
pub fn embedded_file(name: &str) -> Option<String> {
    let (_, z) = embedded::SCHEMAS.iter().find(|(n, _)| *n == name)?;
    let mut text = String::new();
    flate2::read::DeflateDecoder::new(*z)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The embedded JSON schemas, inflated and parsed once.
fn schemas() -> &'static BTreeMap<&'static str, Value> {
    static SCHEMAS: OnceLock<BTreeMap<&'static str, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        embedded::SCHEMAS
            .iter()
            .filter(|(name, _)| name.ends_with(".json"))
            .filter_map(|(name, _)| {
                Some((*name, serde_json::from_str(&embedded_file(name)?).ok()?))
            })
            .collect()
    })
}

/// Does this build carry the schemas?
pub fn available() -> bool {
    !schemas().is_empty()
}

/// Resolves references between the embedded schemas by file name, and nothing else.
struct Embedded;

impl Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let path = uri.path().as_str();
        let name = path.rsplit('/').next().unwrap_or(path);
        schemas()
            .get(name)
            .cloned()
            .ok_or_else(|| format!("{uri} is not one of the embedded schemas").into())
    }
}

/// A compiled validator per schema file, built on first use and shared across threads.
fn validator(name: &'static str) -> Result<Arc<Validator>, Unchecked> {
    static CACHE: OnceLock<std::sync::Mutex<BTreeMap<&'static str, Arc<Validator>>>> =
        OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
        return Ok(v.clone());
    }
    let schema = schemas()
        .get(name)
        .ok_or_else(|| Unchecked::NotEmbedded(name.to_string()))?;
    let v = jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(Embedded)
        .build(schema)
        .map_err(|e| Unchecked::NotEmbedded(format!("{name} ({e})")))?;
    let v = Arc::new(v);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name, v.clone());
    Ok(v)
}

/// The schema a JSON document declares it follows, with its label.
fn schema_for(doc: &Value) -> Result<(&'static str, String), Unchecked> {
    if let Some(spdx) = doc.get("spdxVersion").and_then(Value::as_str) {
        return match spdx {
            "SPDX-2.2" => Ok(("spdx-2.2.schema.json", "SPDX 2.2 JSON schema".into())),
            "SPDX-2.3" => Ok(("spdx-2.3.schema.json", "SPDX 2.3 JSON schema".into())),
            other => Err(Unchecked::NoSchema(format!(
                "spdxVersion \"{}\" has no JSON schema here (SPDX-2.2 and SPDX-2.3 do)",
                crate::render::escape::terminal(other)
            ))),
        };
    }
    let version = doc.get("specVersion").and_then(Value::as_str).unwrap_or("");
    let name = match version {
        "1.2" => "bom-1.2.schema.json",
        "1.3" => "bom-1.3.schema.json",
        "1.4" => "bom-1.4.schema.json",
        "1.5" => "bom-1.5.schema.json",
        "1.6" => "bom-1.6.schema.json",
        "1.7" => "bom-1.7.schema.json",
        other => {
            return Err(Unchecked::NoSchema(format!(
                "CycloneDX JSON specVersion \"{}\" has no schema (1.2 to 1.7 do)",
                crate::render::escape::terminal(other)
            )));
        }
    };
    Ok((name, format!("CycloneDX {version} JSON schema")))
}

fn clip(mut s: String) -> String {
    if s.chars().count() > MAX_MESSAGE {
        s = s.chars().take(MAX_MESSAGE).collect::<String>() + "…";
    }
    crate::render::escape::terminal(&s)
}

/// Validate a JSON SBOM (already decompressed, parsed as `doc`) against its schema.
pub fn validate_json(text: &str, doc: &Value) -> Result<Validation, Unchecked> {
    let (name, against) = schema_for(doc)?;
    let v = validator(name)?;
    let mut problems = Vec::new();
    let mut more = 0;
    for e in v.iter_errors(doc) {
        if problems.len() == MAX_PROBLEMS {
            more += 1;
            continue;
        }
        let pointer = e.instance_path().to_string();
        let (line, column) = locate::json_pointer(text, &pointer)
            .map(|o| locate::line_col(text, o))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        problems.push(Problem {
            pointer,
            line,
            column,
            message: clip(e.to_string()),
        });
    }
    Ok(Validation {
        against,
        problems,
        more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_and_hashes_are_checked_with_positions() {
        if !available() {
            eprintln!("skipped: built without the schema files");
            return;
        }
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"timestamp": "yesterday"},
  "components": [{"type": "library", "name": "a",
    "hashes": [{"alg": "SHA-256", "content": "abc"}]}]}"#;
        let doc: Value = serde_json::from_str(text).unwrap();
        let v = validate_json(text, &doc).unwrap();
        assert_eq!(v.against, "CycloneDX 1.6 JSON schema");
        let pointers: Vec<&str> = v.problems.iter().map(|p| p.pointer.as_str()).collect();
        assert!(pointers.contains(&"/metadata/timestamp"), "{pointers:?}");
        assert!(
            pointers.contains(&"/components/0/hashes/0/content"),
            "{pointers:?}"
        );
        let ts = v
            .problems
            .iter()
            .find(|p| p.pointer == "/metadata/timestamp")
            .unwrap();
        assert_eq!((ts.line, ts.column), (Some(2), Some(29)));
    }

    #[test]
    fn a_valid_document_has_no_problems_and_unknown_versions_are_named() {
        if !available() {
            eprintln!("skipped: built without the schema files");
            return;
        }
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
            "components": [{"type": "library", "name": "serde", "version": "1.0.0",
            "purl": "pkg:cargo/serde@1.0.0"}]}"#;
        let doc: Value = serde_json::from_str(text).unwrap();
        assert_eq!(validate_json(text, &doc).unwrap().problems, vec![]);
        let old: Value = serde_json::from_str(r#"{"specVersion": "1.1"}"#).unwrap();
        let e = validate_json("", &old).unwrap_err();
        assert!(e.to_string().contains("1.2 to 1.7"), "{e}");
    }
}
