//! Strict schema-level validation for CycloneDX 1.3-1.5 through the
//! cyclonedx-bom crate (`analyze --strict`).
//!
//! Our own readers are lenient on purpose (they keep what they can read);
//! cyclonedx-bom knows the 1.3-1.5 rules (hash lengths, licence ids, enum
//! values, timestamps) and reports them. Other versions are not covered by
//! the crate and get one info diagnostic saying so.

use crate::model::{Diagnostic, Encoding, Level, Origin};
use cyclonedx_bom::models::bom::{Bom, SpecVersion};
use cyclonedx_bom::validation::{Validate, ValidationErrorsKind, ValidationResult};

fn flatten(prefix: &str, r: ValidationResult, out: &mut Vec<(String, String)>) {
    for (field, kind) in r.errors() {
        let path = if field == "inner" {
            prefix.to_string()
        } else {
            format!("{prefix}/{field}")
        };
        match kind {
            ValidationErrorsKind::Struct(r) => flatten(&path, r, out),
            ValidationErrorsKind::List(items) => {
                for (i, r) in items {
                    flatten(&format!("{path}/{i}"), r, out);
                }
            }
            ValidationErrorsKind::Field(v) | ValidationErrorsKind::Custom(v) => {
                out.extend(v.into_iter().map(|e| (path.clone(), e.message)));
            }
            ValidationErrorsKind::Enum(e) => out.push((path, e.message)),
        }
    }
}

/// Validate one document; every problem becomes a warning diagnostic.
pub fn validate(file: &str, bytes: &[u8], version: &str, encoding: Encoding) -> Vec<Diagnostic> {
    let spec = match version {
        "1.3" => SpecVersion::V1_3,
        "1.4" => SpecVersion::V1_4,
        "1.5" => SpecVersion::V1_5,
        other => {
            return vec![Diagnostic {
                level: Level::Info,
                origin: Origin::new(file, ""),
                message: format!(
                    "strict validation covers CycloneDX 1.3-1.5; {other} was read leniently only"
                ),
            }];
        }
    };
    let parsed = match encoding {
        Encoding::Json => Bom::parse_from_json_with_version(bytes, spec).map_err(|e| e.to_string()),
        Encoding::Xml => Bom::parse_from_xml_with_version(bytes, spec).map_err(|e| e.to_string()),
        _ => return Vec::new(),
    };
    let warn = |element: String, message: String| Diagnostic {
        level: Level::Warning,
        origin: Origin::new(file, element),
        message,
    };
    match parsed {
        Err(e) => vec![warn(
            String::new(),
            format!("not valid CycloneDX {version}: {e}"),
        )],
        Ok(bom) => {
            let mut problems = Vec::new();
            flatten("", bom.validate_version(spec), &mut problems);
            problems
                .into_iter()
                .map(|(p, m)| warn(p, format!("schema: {m}")))
                .collect()
        }
    }
}
