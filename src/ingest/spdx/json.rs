//! SPDX 2.2/2.3 JSON, with typed serde structs (never a whole-document
//! `serde_json::Value`: too slow and too large at 10⁶ packages).

use super::{
    SUPPORTED, add_party, add_relation, external_ref, is_supported, licence, location, purpose,
    relation,
};
use crate::ingest::ReadError;
use crate::ingest::lenient::{Capped, Lenient, MAX_RELATIONSHIPS, Text};
use crate::model::{
    Component, Encoding, ExternalRef, Format, Inventory, Origin, PartyRole, RelationKind,
};
use serde::Deserialize;
use serde::de::IgnoredAny;
use std::collections::HashSet;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    #[serde(rename = "spdxVersion")]
    spdx_version: Text,
    #[serde(rename = "SPDXID")]
    spdx_id: Text,
    #[serde(rename = "creationInfo")]
    creation_info: Lenient<CreationInfo>,
    #[serde(rename = "documentDescribes")]
    document_describes: Lenient<Vec<String>>,
    packages: Capped<Lenient<Package>>,
    files: Capped<IgnoredAny>,
    relationships: Capped<Lenient<Rel>, MAX_RELATIONSHIPS>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CreationInfo {
    created: Text,
    creators: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    #[serde(rename = "SPDXID")]
    spdx_id: Text,
    name: Text,
    #[serde(rename = "versionInfo")]
    version_info: Text,
    supplier: Text,
    originator: Text,
    #[serde(rename = "downloadLocation")]
    download_location: Text,
    homepage: Text,
    #[serde(rename = "licenseConcluded")]
    license_concluded: Text,
    #[serde(rename = "licenseDeclared")]
    license_declared: Text,
    #[serde(rename = "primaryPackagePurpose")]
    primary_package_purpose: Text,
    #[serde(rename = "externalRefs")]
    external_refs: Lenient<Vec<ExtRef>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExtRef {
    #[serde(rename = "referenceCategory")]
    category: Text,
    #[serde(rename = "referenceType")]
    kind: Text,
    #[serde(rename = "referenceLocator")]
    locator: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Rel {
    #[serde(rename = "spdxElementId")]
    a: Text,
    #[serde(rename = "relationshipType")]
    ty: Text,
    #[serde(rename = "relatedSpdxElement")]
    b: Text,
}

pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    let doc: Doc = serde_json::from_slice(bytes).map_err(|e| ReadError::from_json(file, &e))?;
    let version = doc.spdx_version.get().unwrap_or_default();
    if !is_supported(&version) {
        return Err(
            ReadError::new(file, format!("spdxVersion \"{version}\" is not supported"))
                .at("/spdxVersion")
                .supported(SUPPORTED),
        );
    }
    let short = version.trim_start_matches("SPDX-").to_string();
    let mut inv = Inventory::new(Format {
        standard: "spdx".into(),
        version: short,
        encoding: Encoding::Json,
    });
    let mut bad = false;
    if let Some(ci) = doc.creation_info.take(&mut bad) {
        inv.metadata.timestamp = ci.created.get();
        for (i, c) in ci.creators.iter().enumerate() {
            if let Some(tool) = c.strip_prefix("Tool:") {
                inv.metadata.tools.push(tool.trim().to_string());
            } else if let Some(p) = super::party(c) {
                inv.metadata.parties.push(crate::model::RoledParty {
                    role: PartyRole::Author,
                    party: p,
                    origin: Origin::new(file, format!("/creationInfo/creators/{i}")),
                });
            }
        }
    }
    let doc_id = doc
        .spdx_id
        .get()
        .unwrap_or_else(|| "SPDXRef-DOCUMENT".into());
    bad |= doc.packages.bad || doc.files.bad || doc.relationships.bad;
    let mut ids: HashSet<String> = HashSet::with_capacity(doc.packages.items.len());
    for (i, p) in doc.packages.items.into_iter().enumerate() {
        let at = format!("/packages/{i}");
        let mut bad_pkg = false;
        let Some(p) = p.take(&mut bad_pkg) else {
            inv.warn(
                Origin::new(file, &at),
                "package of an unexpected shape skipped",
            );
            continue;
        };
        let mut id = match p.spdx_id.get() {
            Some(id) => id,
            None => {
                let id = format!("#{i}");
                inv.warn(
                    Origin::new(file, &at),
                    format!("package without an SPDXID; named {id}"),
                );
                id
            }
        };
        if !ids.insert(id.clone()) {
            let alt = format!("{id}~{i}");
            inv.warn(
                Origin::new(file, &at),
                format!("duplicate SPDXID \"{id}\" renamed \"{alt}\""),
            );
            ids.insert(alt.clone());
            id = alt;
        }
        let name = p.name.get().unwrap_or_else(|| {
            inv.warn(Origin::new(file, &at), "package without a name");
            String::new()
        });
        let kind = p
            .primary_package_purpose
            .get()
            .map_or("library", |x| purpose(&x));
        let mut c = Component::new(id, name, kind, Origin::new(file, &at));
        c.version = p.version_info.get();
        if let Some(s) = p.supplier.get() {
            add_party(
                &mut c,
                PartyRole::Supplier,
                &s,
                Origin::new(file, format!("{at}/supplier")),
            );
        }
        if let Some(s) = p.originator.get() {
            add_party(
                &mut c,
                PartyRole::Originator,
                &s,
                Origin::new(file, format!("{at}/originator")),
            );
        }
        if let Some(u) = p.download_location.get().as_deref().and_then(location) {
            c.external_refs.push(ExternalRef {
                kind: "download".into(),
                url: u,
            });
        }
        if let Some(u) = p.homepage.get().as_deref().and_then(location) {
            c.external_refs.push(ExternalRef {
                kind: "website".into(),
                url: u,
            });
        }
        for l in [p.license_concluded.get(), p.license_declared.get()]
            .into_iter()
            .flatten()
        {
            if let Some(l) = licence(&l)
                && !c.licenses.contains(&l)
            {
                c.licenses.push(l);
            }
        }
        for r in p.external_refs.take(&mut bad_pkg).unwrap_or_default() {
            external_ref(
                &mut c,
                &r.category.get().unwrap_or_default(),
                &r.kind.get().unwrap_or_default(),
                &r.locator.get().unwrap_or_default(),
            );
        }
        if bad_pkg {
            inv.warn(
                Origin::new(file, &at),
                "part of the package of an unexpected shape skipped",
            );
        }
        inv.components.push(c);
    }
    let files = doc.files.items.len();
    super::count_files(&mut inv, file, "/files", files);
    for (i, r) in doc.relationships.items.into_iter().enumerate() {
        let Some(r) = r.take(&mut bad) else { continue };
        let (Some(a), Some(ty), Some(b)) = (r.a.get(), r.ty.get(), r.b.get()) else {
            inv.warn(
                Origin::new(file, format!("/relationships/{i}")),
                "incomplete relationship skipped",
            );
            continue;
        };
        if let Some(rel) = relation(&a, &ty, &b) {
            add_relation(&mut inv, rel, &doc_id, &ids);
        }
    }
    // `documentDescribes` says the same as DESCRIBES relationships (SPDX 2.3
    // examples use only the former): add those not already stated.
    let described = doc.document_describes.take(&mut bad).unwrap_or_default();
    if !described.is_empty() {
        let stated: HashSet<String> = inv
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::Describes && *r.from == *doc_id)
            .map(|r| r.to.to_string())
            .collect();
        for d in described {
            if !stated.contains(&d) {
                let rel = relation(&doc_id, "DESCRIBES", &d);
                if let Some(rel) = rel {
                    add_relation(&mut inv, rel, &doc_id, &ids);
                }
            }
        }
    }
    if bad {
        inv.warn(
            Origin::new(file, "/"),
            "document elements of an unexpected shape skipped",
        );
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_packages_refs_and_relationships() {
        let doc = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
          "creationInfo":{"created":"2026-01-01T00:00:00Z","creators":["Tool: syft-1.0","Organization: Red Hat"]},
          "packages":[
            {"SPDXID":"SPDXRef-a","name":"boto3","versionInfo":"1.35.0","supplier":"Organization: Amazon Web Services (aws@amazon.com)",
             "downloadLocation":"NOASSERTION","licenseConcluded":"Apache-2.0 AND (broken",
             "externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:pypi/boto3@1.35.0"},
                             {"referenceCategory":"SECURITY","referenceType":"cpe23Type","referenceLocator":"cpe:2.3:a:amazon:boto3:1.35.0:*:*:*:*:*:*:*"}]},
            {"SPDXID":"SPDXRef-b","name":"pytest","primaryPackagePurpose":"FRAMEWORK"},
            "not a package"
          ],
          "files":[{"fileName":"a"},{"fileName":"b"}],
          "relationships":[
            {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"},
            {"spdxElementId":"SPDXRef-b","relationshipType":"DEV_DEPENDENCY_OF","relatedSpdxElement":"SPDXRef-a"},
            {"spdxElementId":"SPDXRef-a","relationshipType":"CONTAINS","relatedSpdxElement":"SPDXRef-file1"}
          ]}"#;
        let inv = read("s.json", doc.as_bytes()).unwrap();
        assert_eq!(inv.format.to_string(), "spdx-2.3+json");
        assert_eq!(inv.metadata.tools, ["syft-1.0"]);
        assert_eq!(inv.metadata.subject.as_deref(), Some("SPDXRef-a"));
        assert_eq!(inv.components.len(), 2);
        let a = &inv.components[0];
        assert_eq!(a.purl.as_deref(), Some("pkg:pypi/boto3@1.35.0"));
        assert!(a.cpe.is_some());
        assert_eq!(a.parties[0].party.emails, ["aws@amazon.com"]);
        assert_eq!(
            a.licenses,
            ["Apache-2.0 AND (broken"],
            "malformed expressions are kept as text"
        );
        assert_eq!(inv.components[1].kind, "framework");
        let dev: Vec<_> = inv
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::DevDependsOn)
            .collect();
        assert_eq!((&*dev[0].from, &*dev[0].to), ("SPDXRef-a", "SPDXRef-b"));
        assert!(!inv.relations.iter().any(|r| &*r.to == "SPDXRef-file1"));
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.message.contains("2 file records"))
        );
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.message.contains("unexpected shape"))
        );
    }

    #[test]
    fn other_versions_are_refused_with_the_supported_list() {
        let e = read("s.json", br#"{"spdxVersion":"SPDX-2.1"}"#).unwrap_err();
        assert_eq!(e.supported.as_deref(), Some("SPDX 2.2, 2.3"));
    }
}
