//! The registry's facts about what packages *do*, beside who publishes them:
//! `services*.csv` (a package or host that calls a provider's online service,
//! and the layer that service serves) and `licences*.csv` (a product's
//! licence and whether it reaches its vendor online).

use super::{MatcherKind, RegistryError, RowRef, Tables, get, normalize, opt, read_rows};
use crate::ingest::manifest::LayerKind;
use serde::Serialize;

/// A package or host that calls a provider's online service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceRule {
    /// `purl` (a package) or `endpoint` (a host whose first label names the service).
    pub kind: MatcherKind,
    pub pattern: String,
    /// The entity whose online service is called (not who publishes the package).
    pub provider: String,
    /// The provider's product, as its documentation names it (`Amazon S3`).
    pub service: String,
    pub layer: LayerKind,
    pub source: String,
    pub as_of: String,
    pub note: String,
    pub row: RowRef,
}

/// A product's licence, as the registry knows it: it decides over what an SBOM declares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenceRule {
    pub kind: MatcherKind,
    pub pattern: String,
    /// An SPDX expression, or `proprietary`.
    pub licence: String,
    /// Does the product reach its vendor online (activation, telemetry, vendor-run updates)?
    pub online: Option<bool>,
    /// The licensor: who grants (and can withdraw) the licence, when it is not whoever
    /// redistributes the package (Oracle's JDBC driver in Red Hat's Quarkus BOM).
    pub entity: Option<String>,
    pub source: String,
    pub as_of: String,
    pub note: String,
    pub row: RowRef,
}

/// A `purl` or `endpoint` pattern, checked and normalised; an error names what is wrong.
fn pattern(kind: &str, pattern: &str) -> Result<(MatcherKind, String), String> {
    let p = pattern.trim().to_ascii_lowercase();
    match kind {
        "purl" if p.starts_with("pkg:") && p.len() > 4 && p != "pkg:*" => {
            Ok((MatcherKind::Purl, p))
        }
        "endpoint" if p.contains('.') && !p.contains(['*', '/', ':']) => {
            Ok((MatcherKind::Endpoint, p))
        }
        "purl" => Err(format!(
            "purl pattern \"{pattern}\" does not start with pkg:"
        )),
        "endpoint" => Err(format!(
            "endpoint pattern \"{pattern}\" is not a host name (service label and domain, no wildcard)"
        )),
        k => Err(format!("kind \"{k}\" is not purl or endpoint")),
    }
}

/// The problems every fact row shares: a pattern, a source URL and a date.
fn common(
    r: &super::Row,
    row: &RowRef,
    errors: &mut Vec<RegistryError>,
) -> Option<(MatcherKind, String)> {
    let before = errors.len();
    let mut err = |m: String| {
        errors.push(RegistryError {
            row: row.clone(),
            message: m,
        })
    };
    let pat = pattern(get(r, "kind"), get(r, "pattern"))
        .map_err(&mut err)
        .ok();
    for m in source_problems(r) {
        err(m);
    }
    pat.filter(|_| errors.len() == before)
}

/// What is wrong with a fact row's `source` (a URL) and `as_of` (a date), if anything.
pub(super) fn source_problems(r: &super::Row) -> Vec<String> {
    let mut out = Vec::new();
    if !get(r, "source").starts_with("https://") && !get(r, "source").starts_with("http://") {
        out.push(format!("source \"{}\" is not a URL", get(r, "source")));
    }
    if !super::validate::is_date(get(r, "as_of")) {
        out.push(format!(
            "as_of \"{}\" is not a YYYY-MM-DD date",
            get(r, "as_of")
        ));
    }
    out
}

impl Tables {
    pub(super) fn load_services(
        &mut self,
        file: &str,
        text: &str,
    ) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(
            file,
            text,
            &[
                "kind", "pattern", "provider", "service", "layer", "source", "as_of",
            ],
        )
        .map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            let layer = LayerKind::parse(get(&r, "layer"));
            if layer.is_none() {
                errors.push(RegistryError {
                    row: row.clone(),
                    message: format!(
                        "layer \"{}\" is not one of {}",
                        get(&r, "layer"),
                        LayerKind::ALL.map(LayerKind::as_str).join(", ")
                    ),
                });
            }
            let (Some((kind, pattern)), Some(layer)) = (common(&r, &row, &mut errors), layer)
            else {
                continue;
            };
            let rule = ServiceRule {
                kind,
                pattern,
                provider: get(&r, "provider").to_string(),
                service: get(&r, "service").to_string(),
                layer,
                source: get(&r, "source").to_string(),
                as_of: get(&r, "as_of").to_string(),
                note: opt(&r, "note").unwrap_or_default(),
                row,
            };
            // A later row for the same package or host replaces the earlier one.
            let key = (rule.kind, rule.pattern.clone());
            super::upsert(
                &mut self.services,
                &mut self.replaced,
                rule,
                |s| s.kind == key.0 && s.pattern == key.1,
                |s| &s.row,
                true,
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    pub(super) fn load_licences(
        &mut self,
        file: &str,
        text: &str,
    ) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(
            file,
            text,
            &["kind", "pattern", "licence", "source", "as_of"],
        )
        .map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            let online = match get(&r, "online") {
                "" => None,
                "yes" => Some(true),
                "no" => Some(false),
                s => {
                    errors.push(RegistryError {
                        row: row.clone(),
                        message: format!("online \"{s}\" is not yes or no"),
                    });
                    continue;
                }
            };
            if get(&r, "licence").is_empty() {
                errors.push(RegistryError {
                    row: row.clone(),
                    message: "empty licence (an SPDX expression or \"proprietary\")".into(),
                });
                continue;
            }
            let Some((kind, pattern)) = common(&r, &row, &mut errors) else {
                continue;
            };
            self.licences
                .retain(|l| !(l.kind == kind && l.pattern == pattern));
            self.licences.push(LicenceRule {
                kind,
                pattern,
                licence: get(&r, "licence").to_string(),
                online,
                entity: opt(&r, "entity"),
                source: get(&r, "source").to_string(),
                as_of: get(&r, "as_of").to_string(),
                note: opt(&r, "note").unwrap_or_default(),
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

/// A normalised purl or host, as the service index looks it up.
pub(super) fn purl_pattern(p: &str) -> (bool, String) {
    match p.strip_suffix('*') {
        Some(prefix) => (true, normalize::purl_prefix(prefix)),
        None => (
            false,
            normalize::purl_key(p).unwrap_or_else(|| p.to_string()),
        ),
    }
}
