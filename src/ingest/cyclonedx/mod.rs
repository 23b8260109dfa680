//! CycloneDX 1.2-1.7, JSON and XML.

pub mod json;
pub mod validate;
pub mod xml;
pub mod xml_rules;

/// CycloneDX versions that have a JSON encoding and that we read.
pub const SUPPORTED_JSON_VERSIONS: &str = "1.2, 1.3, 1.4, 1.5, 1.6, 1.7";

pub fn is_supported_json_version(v: &str) -> bool {
    matches!(v, "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7")
}
