//! SPDX 2.2 and 2.3, JSON and tag-value. Both readers share what is here:
//! the supplier/originator parser, the primary-purpose mapping and the one
//! table that normalises relationship directions.

pub mod json;
pub mod tag_value;
pub mod v3;

use crate::model::{
    Component, ExternalRef, Inventory, Origin, Party, PartyRole, Relation, RelationKind, RoledParty,
};
use std::collections::HashSet;

pub const SUPPORTED: &str = "SPDX 2.2, 2.3";

pub fn is_supported(version: &str) -> bool {
    matches!(version.trim(), "SPDX-2.2" | "SPDX-2.3")
}

/// Every SPDX 2.x relationship type: what it means in our model and
/// whether `A TYPE B` reads as `B needs/holds A` (reversed).
const RELATIONSHIPS: &[(&str, RelationKind, bool)] = &[
    ("DEPENDS_ON", RelationKind::DependsOn, false),
    ("DEPENDENCY_OF", RelationKind::DependsOn, true),
    ("RUNTIME_DEPENDENCY_OF", RelationKind::DependsOn, true),
    ("STATIC_LINK", RelationKind::DependsOn, false),
    ("DYNAMIC_LINK", RelationKind::DependsOn, false),
    ("PROVIDED_DEPENDENCY_OF", RelationKind::DependsOn, true),
    ("BUILD_DEPENDENCY_OF", RelationKind::BuildDependsOn, true),
    ("BUILD_TOOL_OF", RelationKind::BuildDependsOn, true),
    ("DEV_DEPENDENCY_OF", RelationKind::DevDependsOn, true),
    ("TEST_DEPENDENCY_OF", RelationKind::DevDependsOn, true),
    ("DEV_TOOL_OF", RelationKind::DevDependsOn, true),
    ("TEST_TOOL_OF", RelationKind::DevDependsOn, true),
    ("TEST_OF", RelationKind::DevDependsOn, true),
    (
        "OPTIONAL_DEPENDENCY_OF",
        RelationKind::OptionalDependsOn,
        true,
    ),
    (
        "OPTIONAL_COMPONENT_OF",
        RelationKind::OptionalDependsOn,
        true,
    ),
    ("CONTAINS", RelationKind::Contains, false),
    ("CONTAINED_BY", RelationKind::Contains, true),
    ("PACKAGE_OF", RelationKind::Contains, true),
    ("DISTRIBUTION_ARTIFACT", RelationKind::Contains, false),
    ("DESCRIBES", RelationKind::Describes, false),
    ("DESCRIBED_BY", RelationKind::Describes, true),
];

/// Normalise `A TYPE B` into a relation; `None` for the document itself, NONE and NOASSERTION.
pub fn relation(a: &str, ty: &str, b: &str) -> Option<Relation> {
    let skip = |x: &str| matches!(x, "NONE" | "NOASSERTION") || x.starts_with("DocumentRef-");
    if skip(a) || skip(b) {
        return None;
    }
    let ty = ty.trim().to_ascii_uppercase();
    let (kind, reversed, original) = match RELATIONSHIPS.iter().find(|(t, _, _)| *t == ty) {
        Some((t, k, r)) => (*k, *r, (*t != "DEPENDS_ON").then(|| t.to_string())),
        None => (RelationKind::Other, false, Some(ty.clone())),
    };
    let (from, to) = if reversed { (b, a) } else { (a, b) };
    Some(Relation {
        from: from.into(),
        to: to.into(),
        kind,
        original,
    })
}

/// Keep a normalised relation when both ends are packages, or when the
/// document itself describes a package (the first such package becomes the
/// document's subject). Relations that reach files, snippets, the document
/// (other than DESCRIBES) or unknown ids are left out: they are not part of
/// the component graph.
pub fn add_relation(inv: &mut Inventory, rel: Relation, doc_id: &str, packages: &HashSet<String>) {
    if !packages.contains(&*rel.to) {
        return;
    }
    if &*rel.from == doc_id {
        if rel.kind != RelationKind::Describes {
            return;
        }
        if inv.metadata.subject.is_none() {
            inv.metadata.subject = Some(rel.to.to_string());
        }
    } else if !packages.contains(&*rel.from) {
        return;
    }
    inv.relate(&rel.from, &rel.to, rel.kind, rel.original);
}

/// `Organization: Name (email)`, `Person: Name (email)`, `Tool: x`, `NOASSERTION`.
pub fn party(value: &str) -> Option<Party> {
    let v = value.trim();
    if v.is_empty() || v == "NOASSERTION" || v == "NONE" {
        return None;
    }
    let body = ["Organization:", "Person:", "Tool:"]
        .iter()
        .find_map(|p| v.strip_prefix(p))
        .unwrap_or(v)
        .trim();
    let (name, email) = match (body.rfind('('), body.ends_with(')')) {
        (Some(i), true) => (body[..i].trim(), Some(body[i + 1..body.len() - 1].trim())),
        _ => (body, None),
    };
    let p = Party {
        name: (!name.is_empty()).then(|| name.to_string()),
        urls: Vec::new(),
        emails: email
            .filter(|e| e.contains('@'))
            .map(str::to_string)
            .into_iter()
            .collect(),
    };
    (!p.is_empty()).then_some(p)
}

/// SPDX 2.3 `primaryPackagePurpose` to a CycloneDX-style component type.
pub fn purpose(p: &str) -> &'static str {
    match p.trim().to_ascii_uppercase().as_str() {
        "APPLICATION" => "application",
        "FRAMEWORK" => "framework",
        "CONTAINER" => "container",
        "OPERATING-SYSTEM" | "OPERATING_SYSTEM" => "operating-system",
        "DEVICE" => "device",
        "FIRMWARE" => "firmware",
        "FILE" | "SOURCE" => "file",
        _ => "library",
    }
}

/// Apply one external reference (`category`, `type`, `locator`) to a component.
pub fn external_ref(c: &mut Component, category: &str, ty: &str, locator: &str) {
    let locator = locator.trim();
    if locator.is_empty() {
        return;
    }
    // Custom types may be written as a URI ending in `#Name` (JSON) or as
    // the bare name (tag-value): keep the name.
    let ty = ty.trim();
    let ty = ty.rsplit_once('#').map_or(ty, |(_, name)| name);
    match ty {
        "purl" if c.purl.is_none() => c.purl = Some(locator.to_string()),
        "cpe23Type" | "cpe22Type" if c.cpe.is_none() => c.cpe = Some(locator.to_string()),
        other => c.external_refs.push(ExternalRef {
            kind: if other.is_empty() {
                category.to_ascii_lowercase()
            } else {
                other.to_string()
            },
            url: locator.to_string(),
        }),
    }
}

/// Add supplier or originator text to a component.
pub fn add_party(c: &mut Component, role: PartyRole, value: &str, origin: Origin) {
    if let Some(p) = party(value) {
        c.parties.push(RoledParty {
            role,
            party: p,
            origin,
        });
    }
}

/// Keep a licence value unless it says nothing; malformed expressions are kept as text.
pub fn licence(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty() && v != "NOASSERTION" && v != "NONE").then(|| v.to_string())
}

/// Say how many file records were read: files are counted, not analysed as components.
pub fn count_files(inv: &mut Inventory, file: &str, element: &str, files: usize) {
    if files > 0 {
        inv.diagnostics.push(crate::model::Diagnostic {
            level: crate::model::Level::Info,
            origin: Origin::new(file, element),
            message: format!(
                "{files} file records read and counted; files are not analysed as components"
            ),
        });
    }
}

/// A download location or home page worth keeping.
pub fn location(v: &str) -> Option<String> {
    licence(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parties() {
        let p = party("Organization: Red Hat, Inc. (secalert@redhat.com)").unwrap();
        assert_eq!(p.name.as_deref(), Some("Red Hat, Inc."));
        assert_eq!(p.emails, ["secalert@redhat.com"]);
        assert_eq!(
            party("Person: Jane Doe").unwrap().name.as_deref(),
            Some("Jane Doe")
        );
        assert!(party("NOASSERTION").is_none());
        assert_eq!(
            party("Organization: Acme (not an email)")
                .unwrap()
                .emails
                .len(),
            0
        );
    }

    #[test]
    fn relationship_directions_come_from_one_table() {
        let r = relation("SPDXRef-a", "DEPENDENCY_OF", "SPDXRef-b").unwrap();
        assert_eq!(
            (&*r.from, &*r.to, r.kind),
            ("SPDXRef-b", "SPDXRef-a", RelationKind::DependsOn)
        );
        let r = relation("SPDXRef-a", "dev_dependency_of", "SPDXRef-b").unwrap();
        assert_eq!(
            (&*r.from, r.kind),
            ("SPDXRef-b", RelationKind::DevDependsOn)
        );
        let r = relation("SPDXRef-a", "CONTAINS", "SPDXRef-b").unwrap();
        assert_eq!(
            (&*r.from, r.kind, r.original),
            ("SPDXRef-a", RelationKind::Contains, Some("CONTAINS".into()))
        );
        let r = relation("SPDXRef-a", "DEPENDS_ON", "SPDXRef-b").unwrap();
        assert_eq!(r.original, None);
        assert_eq!(
            relation("SPDXRef-a", "GENERATED_FROM", "SPDXRef-b")
                .unwrap()
                .kind,
            RelationKind::Other
        );
        assert!(relation("SPDXRef-a", "DEPENDS_ON", "NOASSERTION").is_none());
    }
}

/// The SPDX examples and real SPDX documents from `../shared` (skipped,
/// with a message, when that folder is absent).
#[cfg(test)]
mod conformance {
    use crate::model::{Inventory, Level, RelationKind};
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn shared(sub: &str) -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared")
            .join(sub);
        if dir.exists() {
            Some(dir)
        } else {
            eprintln!("skipped: {} is absent", dir.display());
            None
        }
    }

    fn example(v: &str, tag_value: bool) -> Option<Inventory> {
        let dir = shared(&format!("conformance/spdx/{v}"))?;
        let (name, inv) = if tag_value {
            let name = format!("SPDXTagExample-v{v}.spdx");
            let text = std::fs::read_to_string(dir.join(&name)).unwrap();
            let inv = super::tag_value::read(&name, &text);
            (name, inv)
        } else {
            let name = format!("SPDXJSONExample-v{v}.spdx.json");
            let inv = super::json::read(&name, &std::fs::read(dir.join(&name)).unwrap());
            (name, inv)
        };
        Some(inv.unwrap_or_else(|e| panic!("{name}: {e}")))
    }

    fn summary(inv: &Inventory) -> (Vec<String>, BTreeSet<String>, Vec<String>) {
        let comps = inv
            .components
            .iter()
            .map(|c| {
                let parties: Vec<_> = c
                    .parties
                    .iter()
                    .map(|p| {
                        format!(
                            "{}={:?}/{:?}",
                            p.role.as_str(),
                            p.party.name,
                            p.party.emails
                        )
                    })
                    .collect();
                format!(
                    "{} {} {:?} {} purl={:?} cpe={:?} lic={:?} refs={:?} {parties:?}",
                    c.bom_ref,
                    c.name,
                    c.version,
                    c.kind,
                    c.purl,
                    c.cpe,
                    c.licenses,
                    c.external_refs
                )
            })
            .collect();
        let rels = inv
            .relations
            .iter()
            .map(|r| format!("{} {:?}/{:?} {}", r.from, r.kind, r.original, r.to))
            .collect();
        let info = inv
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Info)
            .map(|d| d.message.clone())
            .collect();
        (comps, rels, info)
    }

    #[test]
    fn json_and_tag_value_examples_read_the_same() {
        for v in ["2.2", "2.3"] {
            let (Some(json), Some(tv)) = (example(v, false), example(v, true)) else {
                return;
            };
            assert_eq!(json.format.version, v);
            assert_eq!(tv.format.version, v);
            assert_eq!(json.components.len(), 4, "{v}");
            let (jc, jr, ji) = summary(&json);
            let (tc, tr, ti) = summary(&tv);
            assert_eq!(jc, tc, "{v}: components differ");
            assert_eq!(jr, tr, "{v}: relations differ");
            assert_eq!(ji, ti, "{v}: file counts differ");
            assert_eq!(json.metadata.subject, tv.metadata.subject);
            assert_eq!(json.metadata.tools, tv.metadata.tools);
            assert!(jr.contains("SPDXRef-Package DependsOn/Some(\"DYNAMIC_LINK\") SPDXRef-Saxon"));
        }
    }

    /// Cut anywhere, the tag-value example never makes the reader panic,
    /// and every `PackageName` line read so far comes out as a package.
    #[test]
    fn truncated_tag_value_never_panics_nor_drops_packages() {
        let Some(dir) = shared("conformance/spdx/2.3") else {
            return;
        };
        let text = std::fs::read_to_string(dir.join("SPDXTagExample-v2.3.spdx")).unwrap();
        for (cut, _) in text.char_indices().step_by(5) {
            let part = &text[..cut];
            if let Ok(inv) = super::tag_value::read("t.spdx", part) {
                let names = part
                    .lines()
                    .filter(|l| l.starts_with("PackageName:"))
                    .count();
                assert_eq!(inv.components.len(), names, "cut at {cut}");
            }
        }
    }

    /// The real SPDX JSON documents of the corpus (some xz-compressed): as
    /// many packages, and packages naming a supplier or originator, as its
    /// manifest says.
    #[test]
    fn corpus_spdx_json_matches_the_manifest() {
        let Some(root) = shared("corpus") else {
            return;
        };
        let manifest = std::fs::read_to_string(root.join("manifest.csv")).unwrap();
        let mut n = 0;
        for line in manifest.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() < 8 || f[1] != "spdx" || f[3] != "json" {
                continue;
            }
            n += 1;
            let inv = read_corpus(&root, f[0]);
            assert_eq!(inv.format.version, f[2], "{}", f[0]);
            assert_eq!(inv.components.len().to_string(), f[5], "{}", f[0]);
            let named = inv
                .components
                .iter()
                .filter(|c| !c.parties.is_empty())
                .count();
            assert_eq!(named.to_string(), f[6], "{}", f[0]);
            assert!(inv.metadata.subject.is_some(), "{}", f[0]);
        }
        assert!(n >= 4, "only {n} SPDX documents in the corpus");
    }

    fn read_corpus(root: &Path, rel: &str) -> Inventory {
        let raw = std::fs::read(root.join(rel)).unwrap();
        let (bytes, _) = crate::ingest::decompress(rel, &raw, 1 << 30).unwrap();
        super::json::read(rel, &bytes).unwrap_or_else(|e| panic!("{e}"))
    }

    /// A malformed licence expression must not cost the document.
    #[test]
    fn openshift_document_with_a_malformed_licence_is_read_whole() {
        let Some(root) = shared("corpus") else {
            return;
        };
        let inv = read_corpus(&root, "trustify/openshift-container-storage-4.8.z.json.xz");
        assert_eq!(inv.components.len(), 7994);
        assert!(inv.components.iter().any(|c| {
            c.licenses
                .iter()
                .any(|l| l.contains("GPLV2+,-LGPLV2+,-MIT"))
        }));
        assert_eq!(
            inv.metadata.subject.as_deref(),
            Some("SPDXRef-5fbf9e8d-2f8f-4cfe-a145-b69a1f7d73cc")
        );
        // 14,825 CONTAINED_BY + 38 PACKAGE_OF → Contains, 1,187 DEV_DEPENDENCY_OF.
        let count = |k: RelationKind| inv.relations.iter().filter(|r| r.kind == k).count();
        assert_eq!(count(RelationKind::Contains), 14825 + 38);
        assert_eq!(count(RelationKind::DevDependsOn), 1187);
        assert_eq!(count(RelationKind::Describes), 1);
    }

    /// Render a real JSON document as tag-value (with files, multi-line
    /// `<text>` values holding tag-like lines and comments) and read it back:
    /// every package, file and relationship must come out.
    #[test]
    fn tag_value_rendering_of_a_real_document_loses_nothing() {
        let Some(root) = shared("corpus") else {
            return;
        };
        let rel = "trustify/openshift-container-storage-4.8.z.json.xz";
        let raw = std::fs::read(root.join(rel)).unwrap();
        let (bytes, _) = crate::ingest::decompress(rel, &raw, 1 << 30).unwrap();
        let json = super::json::read(rel, &bytes).unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let s = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
        let mut tv = String::from(
            "SPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n## Creation\n",
        );
        for c in doc["creationInfo"]["creators"].as_array().unwrap() {
            tv.push_str(&format!("Creator: {}\n", s(c)));
        }
        tv.push_str(&format!(
            "Created: {}\n",
            s(&doc["creationInfo"]["created"])
        ));
        let mut files = 0;
        for (i, p) in doc["packages"].as_array().unwrap().iter().enumerate() {
            tv.push_str(&format!(
                "\n# package {i}\nPackageName: {}\n",
                s(&p["name"])
            ));
            tv.push_str(&format!("SPDXID: {}\n", s(&p["SPDXID"])));
            for (tag, key) in [
                ("PackageVersion", "versionInfo"),
                ("PackageSupplier", "supplier"),
                ("PackageOriginator", "originator"),
                ("PackageDownloadLocation", "downloadLocation"),
                ("PackageHomePage", "homepage"),
                ("PackageLicenseConcluded", "licenseConcluded"),
                ("PackageLicenseDeclared", "licenseDeclared"),
            ] {
                if p[key].is_string() {
                    tv.push_str(&format!("{tag}: {}\n", s(&p[key])));
                }
            }
            tv.push_str("PackageDescription: <text>first line\nPackageName: not a package\n# not a comment\n\nlast</text>\n");
            for r in p["externalRefs"].as_array().into_iter().flatten() {
                tv.push_str(&format!(
                    "ExternalRef: {} {} {}\n",
                    s(&r["referenceCategory"]),
                    s(&r["referenceType"]),
                    s(&r["referenceLocator"])
                ));
            }
            if i % 3 == 0 {
                files += 1;
                tv.push_str(&format!(
                    "\nFileName: ./f{i}\nSPDXID: SPDXRef-f{i}\nFileComment: <text>x\ny</text>\n"
                ));
            }
        }
        tv.push_str("\n## Relationships\n");
        for r in doc["relationships"].as_array().unwrap() {
            tv.push_str(&format!(
                "Relationship: {} {} {}\n",
                s(&r["spdxElementId"]),
                s(&r["relationshipType"]),
                s(&r["relatedSpdxElement"])
            ));
        }
        let back = super::tag_value::read("ocs.spdx", &tv).unwrap();
        assert_eq!(back.components.len(), json.components.len());
        let (jc, jr, _) = summary(&json);
        let (tc, tr, ti) = summary(&back);
        if let Some((j, t)) = jc.iter().zip(&tc).find(|(j, t)| j != t) {
            panic!("first difference:\n json: {j}\n tv:   {t}");
        }
        assert!(jr == tr, "relations differ");
        assert_eq!(back.relations.len(), json.relations.len());
        assert_eq!(back.metadata.subject, json.metadata.subject);
        assert_eq!(back.metadata.tools, json.metadata.tools);
        assert_eq!(
            ti,
            [format!(
                "{files} file records read and counted; files are not analysed as components"
            )]
        );
        let warnings: Vec<_> = back
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Warning)
            .collect();
        assert!(warnings.is_empty(), "{warnings:?}");
    }
}
