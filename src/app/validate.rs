//! `coquille validate`: is each SBOM what its standard says it must be? CycloneDX 1.2–1.7
//! and SPDX 2.2/2.3 JSON go to the standards' JSON schemas (`ingest::schema`), CycloneDX
//! XML to the XSD rules `ingest::cyclonedx::xml_rules` checks, SPDX tag-value (which has no
//! schema) to coquille's own reader. Every problem carries its JSON pointer or element path,
//! and its line when found.

use super::AppError;
use super::files::{DiskFiles, Files};
use crate::ingest::{self, ReadError, Sniffed, schema};
use serde::Serialize;
use std::path::PathBuf;

/// What came of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileResult {
    pub file: String,
    /// `CycloneDX JSON`, `SPDX tag-value`, … (empty when unreadable).
    pub format: String,
    /// What it was checked against (empty when it could not be checked).
    pub against: String,
    pub valid: bool,
    pub problems: Vec<schema::Problem>,
    /// Problems past the listing limit, counted only.
    pub more: usize,
    /// Why the file could not be checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl FileResult {
    fn error(file: &str, format: &str, error: String) -> Self {
        FileResult {
            file: file.to_string(),
            format: format.to_string(),
            against: String::new(),
            valid: false,
            problems: Vec::new(),
            more: 0,
            error: Some(error),
        }
    }

    fn checked(file: &str, format: &str, v: schema::Validation) -> Self {
        FileResult {
            file: file.to_string(),
            format: format.to_string(),
            valid: v.problems.is_empty() && v.more == 0,
            against: v.against,
            problems: v.problems,
            more: v.more,
            error: None,
        }
    }

    /// Exit status: 0 valid, 1 invalid, 2 not checked.
    pub fn status(&self) -> u8 {
        match (&self.error, self.valid) {
            (Some(_), _) => 2,
            (None, true) => 0,
            (None, false) => 1,
        }
    }
}

/// Validate one document's bytes.
pub fn validate_bytes(file: &str, raw: &[u8], limit: u64) -> FileResult {
    match decode(file, raw, limit) {
        Ok((text, kind)) => validate_decoded(file, &text, kind),
        Err(e) => FileResult::error(file, "", e.to_string()),
    }
}

/// Decompress and sniff one document.
fn decode<'a>(
    file: &str,
    raw: &'a [u8],
    limit: u64,
) -> Result<(std::borrow::Cow<'a, [u8]>, Sniffed), ReadError> {
    let (text, _) = ingest::decompress(file, raw, limit)?;
    let kind = ingest::sniff(file, &text)?;
    Ok((text, kind))
}

/// Validate a decompressed document of a known kind.
fn validate_decoded(file: &str, text: &[u8], kind: Sniffed) -> FileResult {
    let text: &[u8] = match kind {
        Sniffed::CycloneDxXml => text,
        _ => text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text),
    };
    match kind {
        Sniffed::CycloneDxJson | Sniffed::SpdxJson => {
            let format = if kind == Sniffed::SpdxJson {
                "SPDX JSON"
            } else {
                "CycloneDX JSON"
            };
            let Ok(s) = std::str::from_utf8(text) else {
                return FileResult::error(file, format, "text is not valid UTF-8".into());
            };
            let doc: serde_json::Value = match serde_json::from_str(s) {
                Ok(d) => d,
                Err(e) => {
                    return FileResult {
                        file: file.to_string(),
                        format: format.to_string(),
                        against: "JSON".into(),
                        valid: false,
                        problems: vec![schema::Problem {
                            pointer: String::new(),
                            line: Some(e.line() as u64),
                            column: Some(e.column() as u64),
                            message: format!("not JSON: {e}"),
                        }],
                        more: 0,
                        error: None,
                    };
                }
            };
            match schema::validate_json(s, &doc) {
                Ok(v) => FileResult::checked(file, format, v),
                Err(e) => FileResult::error(file, format, e.to_string()),
            }
        }
        Sniffed::CycloneDxXml => xml(file, text),
        Sniffed::SpdxTagValue => by_reader(
            file,
            "SPDX tag-value",
            "coquille's SPDX tag-value reader (the format has no schema)",
            std::str::from_utf8(text)
                .map_err(|_| ReadError::new(file, "text is not valid UTF-8"))
                .and_then(|s| ingest::spdx::tag_value::read(file, s)),
        ),
        Sniffed::Spdx3Json => by_reader(
            file,
            "SPDX 3.0 JSON-LD",
            "coquille's SPDX 3.0 reader (no SPDX 3.0 schema is embedded)",
            ingest::spdx::v3::read(file, text),
        ),
        Sniffed::Manifest | Sniffed::CargoMetadata => FileResult::error(
            file,
            "",
            "is not an SBOM (a bid manifest or cargo metadata): validate checks CycloneDX and SPDX documents".into(),
        ),
    }
}

/// A format without an embedded schema: what coquille's reader says of it (its error, or
/// its warnings) is the result, and `against` says so.
fn by_reader(
    file: &str,
    format: &str,
    against: &str,
    read: Result<crate::model::Inventory, ReadError>,
) -> FileResult {
    let problems = match &read {
        Ok(inv) => inv
            .diagnostics
            .iter()
            .filter(|d| d.level == crate::model::Level::Warning)
            .map(|d| schema::Problem {
                pointer: d.origin.element.clone(),
                line: None,
                column: None,
                message: d.message.clone(),
            })
            .collect(),
        Err(e) => vec![ingest::cyclonedx::xml_rules::reader_problem(e)],
    };
    FileResult::checked(
        file,
        format,
        schema::Validation {
            against: against.into(),
            problems,
            more: 0,
        },
    )
}

/// CycloneDX XML: the rules of the version's XSD (`xml_rules`).
fn xml(file: &str, text: &[u8]) -> FileResult {
    match ingest::cyclonedx::xml_rules::validate(file, text) {
        Ok(v) => FileResult::checked(file, "CycloneDX XML", v),
        Err(e) => FileResult::error(file, "CycloneDX XML", e),
    }
}

/// `coquille validate INPUT…`: files, folders (every SBOM found in them) or `-`.
pub fn run(inputs: &[PathBuf], limit: u64) -> Result<Vec<FileResult>, AppError> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found = 0;
            for f in super::files::walk(p)? {
                let Ok(raw) = DiskFiles.read(&f, limit) else {
                    continue;
                };
                // Unreadable files and a folder's bid manifests are not SBOMs: they are left
                // out, not failed. Each file is decompressed and sniffed once.
                let Ok((text, kind)) = decode(&f, &raw, limit) else {
                    continue;
                };
                if !matches!(kind, Sniffed::Manifest | Sniffed::CargoMetadata) {
                    found += 1;
                    out.push(validate_decoded(&f, &text, kind));
                }
            }
            if found == 0 {
                out.push(FileResult::error(
                    &super::files::input_path(p)?,
                    "",
                    "no SBOM found in this folder".into(),
                ));
            }
            continue;
        }
        let path = super::files::input_path(p)?;
        out.push(match DiskFiles.read(&path, limit) {
            Ok(raw) => validate_bytes(&path, &raw, limit),
            Err(e) => FileResult::error(&path, "", e.to_string()),
        });
    }
    Ok(out)
}

/// One line per problem (`file:line:column: pointer: message`), one per valid file.
pub fn text(results: &[FileResult]) -> String {
    use crate::render::escape::terminal;
    let mut s = String::new();
    for r in results {
        let file = terminal(&r.file);
        if let Some(e) = &r.error {
            s.push_str(&format!("{file}: not checked: {}\n", terminal(e)));
            continue;
        }
        if r.valid {
            s.push_str(&format!("{file}: valid ({})\n", r.against));
            continue;
        }
        for p in &r.problems {
            let at = match (p.line, p.column) {
                (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
                _ => file.clone(),
            };
            let pointer = if p.pointer.is_empty() {
                String::new()
            } else {
                format!("{}: ", terminal(&p.pointer))
            };
            s.push_str(&format!("{at}: {pointer}{}\n", terminal(&p.message)));
        }
        let n = r.problems.len() + r.more;
        let more = if r.more > 0 {
            format!(", {} not listed", r.more)
        } else {
            String::new()
        };
        s.push_str(&format!(
            "{file}: invalid, {n} problem{} ({}{more})\n",
            if n == 1 { "" } else { "s" },
            r.against
        ));
    }
    s
}

/// The results as a JSON array.
pub fn json(results: &[FileResult]) -> String {
    serde_json::to_string_pretty(results).unwrap_or_else(|_| "[]".into()) + "\n"
}
