//! SPDX 2.2/2.3 tag-value: `Tag: value` lines, `<text>…</text>` values that
//! span lines, `#` comments. Every package comes out; nothing is dropped
//! silently (a line we cannot read is a warning with its number).

use super::{
    SUPPORTED, add_party, add_relation, external_ref, is_supported, licence, location, purpose,
    relation,
};
use crate::ingest::ReadError;
use crate::model::{
    Component, Diagnostic, Encoding, ExternalRef, Format, Inventory, Level, Origin, PartyRole,
    RoledParty,
};
use std::collections::HashSet;

/// One `Tag: value` with the line it starts on.
struct Field<'a> {
    line: usize,
    tag: &'a str,
    value: String,
}

/// Split the text into fields, joining multi-line `<text>` values.
fn fields<'a>(file: &str, text: &'a str, warn: &mut Vec<Diagnostic>) -> Vec<Field<'a>> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, rest)) = line.split_once(':') else {
            warn.push(Diagnostic {
                level: Level::Warning,
                origin: Origin::new(file, format!("line {}", n + 1)),
                message: "not a \"Tag: value\" line; skipped".into(),
            });
            continue;
        };
        let tag = tag.trim();
        let rest = rest.trim_start();
        let value = if let Some(start) = rest.strip_prefix("<text>") {
            if let Some(end) = start.find("</text>") {
                start[..end].to_string()
            } else {
                let mut v = start.to_string();
                let mut closed = false;
                for (_, l) in lines.by_ref() {
                    if let Some(end) = l.find("</text>") {
                        v.push('\n');
                        v.push_str(&l[..end]);
                        closed = true;
                        break;
                    }
                    v.push('\n');
                    v.push_str(l);
                }
                if !closed {
                    warn.push(Diagnostic {
                        level: Level::Warning,
                        origin: Origin::new(file, format!("line {}", n + 1)),
                        message: format!("<text> value of {tag} is never closed"),
                    });
                }
                v
            }
        } else {
            rest.trim_end().to_string()
        };
        out.push(Field {
            line: n + 1,
            tag,
            value,
        });
    }
    out
}

pub fn read(file: &str, text: &str) -> Result<Inventory, ReadError> {
    let mut diags = Vec::new();
    let fields = fields(file, text, &mut diags);
    let version = fields
        .iter()
        .find(|f| f.tag == "SPDXVersion")
        .map(|f| f.value.trim().to_string())
        .unwrap_or_default();
    if !is_supported(&version) {
        let line = fields
            .iter()
            .find(|f| f.tag == "SPDXVersion")
            .map_or(1, |f| f.line);
        return Err(
            ReadError::new(file, format!("SPDXVersion \"{version}\" is not supported"))
                .at(format!("line {line}"))
                .supported(SUPPORTED),
        );
    }
    let mut inv = Inventory::new(Format {
        standard: "spdx".into(),
        version: version.trim_start_matches("SPDX-").into(),
        encoding: Encoding::TagValue,
    });
    inv.diagnostics = diags;
    let at = |line: usize| Origin::new(file, format!("line {line}"));
    let mut current: Option<Component> = None;
    let mut in_file = false;
    let mut doc_id = String::from("SPDXRef-DOCUMENT");
    let mut files = 0usize;
    let mut ids: HashSet<String> = HashSet::new();
    let mut rels = Vec::new();
    let mut describes = Vec::new();
    let finish = |c: Option<Component>, inv: &mut Inventory, ids: &mut HashSet<String>| {
        if let Some(mut c) = c {
            if c.bom_ref.is_empty() {
                c.bom_ref = format!("#{}", c.origin.element.trim_start_matches("line "));
                inv.warn(
                    c.origin.clone(),
                    format!("package \"{}\" has no SPDXID; named {}", c.name, c.bom_ref),
                );
            }
            if !ids.insert(c.bom_ref.clone()) {
                let alt = format!(
                    "{}~{}",
                    c.bom_ref,
                    c.origin.element.trim_start_matches("line ")
                );
                inv.warn(
                    c.origin.clone(),
                    format!("duplicate SPDXID \"{}\" renamed \"{alt}\"", c.bom_ref),
                );
                ids.insert(alt.clone());
                c.bom_ref = alt;
            }
            inv.components.push(c);
        }
    };
    for f in &fields {
        match f.tag {
            "PackageName" => {
                finish(current.take(), &mut inv, &mut ids);
                in_file = false;
                current = Some(Component::new("", f.value.trim(), "library", at(f.line)));
            }
            "FileName" | "SnippetSPDXID" => {
                finish(current.take(), &mut inv, &mut ids);
                if f.tag == "FileName" {
                    files += 1;
                }
                in_file = true;
            }
            "Relationship" => {
                let parts: Vec<&str> = f.value.split_whitespace().collect();
                match parts.as_slice() {
                    [a, ty, b, ..] => {
                        rels.push((f.line, a.to_string(), ty.to_string(), b.to_string()))
                    }
                    _ => inv.warn(at(f.line), "relationship without three parts skipped"),
                }
            }
            "DocumentDescribes" => {
                describes.extend(f.value.split(',').map(|s| s.trim().to_string()))
            }
            "Creator" => {
                if let Some(tool) = f.value.trim().strip_prefix("Tool:") {
                    inv.metadata.tools.push(tool.trim().to_string());
                } else if let Some(p) = super::party(&f.value) {
                    inv.metadata.parties.push(RoledParty {
                        role: PartyRole::Author,
                        party: p,
                        origin: at(f.line),
                    });
                }
            }
            "Created" => inv.metadata.timestamp = Some(f.value.trim().to_string()),
            "SPDXID" if current.is_none() && !in_file => doc_id = f.value.trim().to_string(),
            _ => {
                let Some(c) = current.as_mut().filter(|_| !in_file) else {
                    continue;
                };
                let v = f.value.trim();
                match f.tag {
                    "SPDXID" => c.bom_ref = v.to_string(),
                    "PackageVersion" => c.version = (!v.is_empty()).then(|| v.to_string()),
                    "PackageSupplier" => add_party(c, PartyRole::Supplier, v, at(f.line)),
                    "PackageOriginator" => add_party(c, PartyRole::Originator, v, at(f.line)),
                    "PackageDownloadLocation" => {
                        if let Some(u) = location(v) {
                            c.external_refs.push(ExternalRef {
                                kind: "download".into(),
                                url: u,
                            });
                        }
                    }
                    "PackageHomePage" => {
                        if let Some(u) = location(v) {
                            c.external_refs.push(ExternalRef {
                                kind: "website".into(),
                                url: u,
                            });
                        }
                    }
                    "PackageLicenseConcluded" | "PackageLicenseDeclared" => {
                        if let Some(l) = licence(v)
                            && !c.licenses.contains(&l)
                        {
                            c.licenses.push(l);
                        }
                    }
                    "PrimaryPackagePurpose" => c.kind = purpose(v).to_string(),
                    "ExternalRef" => {
                        let parts: Vec<&str> = v.split_whitespace().collect();
                        match parts.as_slice() {
                            [cat, ty, loc, ..] => external_ref(c, cat, ty, loc),
                            _ => inv.diagnostics.push(Diagnostic {
                                level: Level::Warning,
                                origin: at(f.line),
                                message: "ExternalRef without category, type and locator skipped"
                                    .into(),
                            }),
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    finish(current.take(), &mut inv, &mut ids);
    super::count_files(&mut inv, file, "", files);
    for (_, a, ty, b) in rels {
        if let Some(rel) = relation(&a, &ty, &b) {
            add_relation(&mut inv, rel, &doc_id, &ids);
        }
    }
    if inv.metadata.subject.is_none() {
        inv.metadata.subject = describes.into_iter().find(|d| ids.contains(d));
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::RelationKind;

    const DOC: &str = "SPDXVersion: SPDX-2.2
DataLicense: CC0-1.0
## Creation
Creator: Tool: hand
Created: 2026-01-01T00:00:00Z
DocumentComment: <text>spans
two lines: with a colon</text>

PackageName: azure-core
SPDXID: SPDXRef-azure
PackageVersion: 1.30.0
PackageSupplier: Organization: Microsoft Corporation (azpysdkhelp@microsoft.com)
PackageDownloadLocation: NOASSERTION
ExternalRef: PACKAGE-MANAGER purl pkg:pypi/azure-core@1.30.0
PackageLicenseDeclared: MIT

FileName: ./a.py
SPDXID: SPDXRef-file

PackageName: requests
PackageVersion: 2.32.0
this line is broken
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-azure
Relationship: SPDXRef-azure DEPENDS_ON #20
";

    #[test]
    fn reads_every_package_and_says_what_it_skipped() {
        let inv = read("d.spdx", DOC).unwrap();
        assert_eq!(inv.format.to_string(), "spdx-2.2+tag-value");
        assert_eq!(inv.components.len(), 2, "no package is dropped");
        let az = &inv.components[0];
        assert_eq!(az.bom_ref, "SPDXRef-azure");
        assert_eq!(az.purl.as_deref(), Some("pkg:pypi/azure-core@1.30.0"));
        assert_eq!(
            az.parties[0].party.name.as_deref(),
            Some("Microsoft Corporation")
        );
        assert_eq!(inv.components[1].bom_ref, "#20");
        assert_eq!(inv.metadata.subject.as_deref(), Some("SPDXRef-azure"));
        assert_eq!(
            inv.relations
                .iter()
                .filter(|r| r.kind == RelationKind::DependsOn)
                .count(),
            1
        );
        let msgs: Vec<&str> = inv.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(msgs.iter().any(|m| m.contains("no SPDXID")), "{msgs:?}");
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.origin.element == "line 22"),
            "{:?}",
            inv.diagnostics
        );
        assert!(msgs.iter().any(|m| m.contains("1 file records")));
    }

    #[test]
    fn unsupported_version_has_its_line() {
        let e = read("d.spdx", "\nSPDXVersion: SPDX-1.2\n").unwrap_err();
        assert_eq!(e.position.as_deref(), Some("line 2"));
    }
}
