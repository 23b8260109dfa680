//! SPDX 3.0 JSON-LD (the serialisation of 3.0.0 and 3.0.1), read into the same model as
//! SPDX 2.x and as leniently: every element of `@graph` is one typed struct of the fields
//! coquille uses; packages (software, AI and dataset) become components, agents their
//! suppliers and originators, licence relationships their licences, and the other
//! relationships the component graph. Files are counted, not analysed, as in 2.x.

use super::{licence, location};
use crate::ingest::ReadError;
use crate::ingest::lenient::{Capped, Lenient, MAX_RELATIONSHIPS, OneOrMany, Text};
use crate::model::{
    Component, Encoding, ExternalRef, Format, Inventory, Origin, Party, PartyRole, RelationKind,
    RoledParty,
};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

pub const SUPPORTED: &str = "SPDX 3.0 JSON-LD (3.0.0, 3.0.1)";

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    #[serde(rename = "@graph")]
    graph: Capped<Lenient<El>, MAX_RELATIONSHIPS>,
}

/// One element of the graph, whatever its type: the fields of every type coquille reads.
#[derive(Deserialize, Default)]
#[serde(default)]
struct El {
    #[serde(rename = "type", alias = "@type")]
    ty: Text,
    #[serde(rename = "spdxId", alias = "@id")]
    id: Text,
    name: Text,
    #[serde(rename = "specVersion")]
    spec_version: Text,
    created: Text,
    #[serde(rename = "createdBy")]
    created_by: Lenient<OneOrMany<String>>,
    #[serde(rename = "rootElement")]
    root_element: Lenient<OneOrMany<String>>,
    #[serde(rename = "software_packageVersion")]
    version: Text,
    #[serde(rename = "software_packageUrl")]
    purl: Text,
    #[serde(rename = "software_downloadLocation")]
    download: Text,
    #[serde(rename = "software_homePage")]
    home_page: Text,
    #[serde(rename = "software_primaryPurpose")]
    purpose: Text,
    #[serde(rename = "suppliedBy")]
    supplied_by: Lenient<OneOrMany<String>>,
    #[serde(rename = "originatedBy")]
    originated_by: Lenient<OneOrMany<String>>,
    #[serde(rename = "externalIdentifier")]
    external_identifier: Lenient<Vec<ExtId>>,
    #[serde(rename = "externalRef")]
    external_ref: Lenient<Vec<ExtRef>>,
    from: Text,
    to: Lenient<OneOrMany<String>>,
    #[serde(rename = "relationshipType")]
    relationship_type: Text,
    /// `build`, `development`, `test`, `runtime`… on a LifecycleScopedRelationship.
    scope: Text,
    #[serde(rename = "simplelicensing_licenseExpression")]
    licence_expression: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExtId {
    #[serde(rename = "externalIdentifierType")]
    ty: Text,
    identifier: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExtRef {
    #[serde(rename = "externalRefType")]
    ty: Text,
    locator: Lenient<OneOrMany<String>>,
}

fn many(v: Lenient<OneOrMany<String>>, bad: &mut bool) -> Vec<String> {
    match v.take(bad) {
        Some(OneOrMany::One(s)) => vec![s],
        Some(OneOrMany::Many(v)) => v,
        None => Vec::new(),
    }
}

/// The type's local name: `software_Package` → `Package`, `ai_AIPackage` → `AIPackage`.
fn local_type(t: &str) -> &str {
    t.rsplit(['_', ':', '/', '#']).next().unwrap_or(t)
}

/// A package's `software_primaryPurpose` as a component type.
fn purpose(p: Option<&str>, ty: &str) -> &'static str {
    match p.map(str::trim) {
        Some("application" | "executable") => "application",
        Some("framework") => "framework",
        Some("container") => "container",
        Some("operatingSystem") => "operating-system",
        Some("device") => "device",
        Some("firmware") => "firmware",
        Some("model") => "machine-learning-model",
        Some("data") => "data",
        Some("file" | "source" | "archive") => "file",
        _ if ty == "AIPackage" => "machine-learning-model",
        _ if ty == "DatasetPackage" => "data",
        _ => "library",
    }
}

/// A relationship type: what it means in the model, or `None` for those read elsewhere
/// (licences) or that are not about the component graph.
fn relation_kind(ty: &str, scope: Option<&str>) -> RelationKind {
    let scoped = |k: RelationKind| match scope {
        Some("build") => RelationKind::BuildDependsOn,
        Some("development" | "test") => RelationKind::DevDependsOn,
        _ => k,
    };
    match ty {
        "dependsOn" | "hasDynamicLink" | "hasStaticLink" | "hasProvidedDependency" => {
            scoped(RelationKind::DependsOn)
        }
        "hasOptionalDependency" | "hasOptionalComponent" => RelationKind::OptionalDependsOn,
        "contains" | "hasDistributionArtifact" => RelationKind::Contains,
        "describes" => RelationKind::Describes,
        _ => RelationKind::Other,
    }
}

/// Read an SPDX 3.0 JSON-LD document.
pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    let doc: Doc = serde_json::from_slice(bytes).map_err(|e| ReadError::from_json(file, &e))?;
    let mut bad = doc.graph.bad;
    let graph: Vec<(usize, El)> = doc
        .graph
        .items
        .into_iter()
        .enumerate()
        .filter_map(|(i, e)| e.take(&mut bad).map(|e| (i, e)))
        .collect();
    let version = graph
        .iter()
        .find_map(|(_, e)| e.spec_version.0.clone())
        .unwrap_or_default();
    if !version.trim().starts_with("3.0") {
        return Err(ReadError::new(
            file,
            format!(
                "specVersion \"{}\" is not SPDX 3.0",
                crate::render::escape::terminal(&version)
            ),
        )
        .supported(SUPPORTED));
    }
    let mut inv = Inventory::new(Format {
        standard: "spdx".into(),
        version: "3.0".into(),
        encoding: Encoding::Json,
    });
    // Agents by id, licence expressions by id, and the elements' types by id.
    let mut agents: HashMap<String, Party> = HashMap::new();
    let mut licences: HashMap<String, String> = HashMap::new();
    let mut files = 0usize;
    let mut roots: Vec<String> = Vec::new();
    for (_, e) in &graph {
        let ty = e.ty.0.as_deref().map(local_type).unwrap_or("");
        let Some(id) = e.id.0.clone() else { continue };
        match ty {
            "Organization" | "Person" | "SoftwareAgent" | "Agent" | "Tool" => {
                let emails = e
                    .external_identifier
                    .as_ok()
                    .into_iter()
                    .flatten()
                    .filter(|x| x.ty.0.as_deref() == Some("email"))
                    .filter_map(|x| x.identifier.0.clone())
                    .collect();
                agents.insert(
                    id,
                    Party {
                        name: e.name.0.clone().filter(|n| !n.trim().is_empty()),
                        urls: Vec::new(),
                        emails,
                    },
                );
            }
            "LicenseExpression" => {
                if let Some(x) = e.licence_expression.0.clone() {
                    licences.insert(id, x);
                }
            }
            "CustomLicense" | "ListedLicense" => {
                if let Some(n) = e.name.0.clone() {
                    licences.insert(id, n);
                }
            }
            "File" => files += 1,
            _ => {}
        }
    }
    let mut packages: HashSet<String> = HashSet::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut relations: Vec<(usize, El)> = Vec::new();
    for (i, e) in graph {
        let at = format!("/@graph/{i}");
        let ty = e.ty.0.as_deref().map(local_type).unwrap_or("").to_string();
        match ty.as_str() {
            "CreationInfo" if inv.metadata.timestamp.is_none() => {
                inv.metadata.timestamp = e.created.0.clone();
            }
            "SpdxDocument" | "Sbom" | "Bom" => roots.extend(many(e.root_element, &mut bad)),
            "Relationship" | "LifecycleScopedRelationship" => relations.push((i, e)),
            "Package" | "AIPackage" | "DatasetPackage" => {
                let Some(id) = e.id.0.clone() else {
                    inv.warn(Origin::new(file, &at), "package without an spdxId skipped");
                    continue;
                };
                if !packages.insert(id.clone()) {
                    inv.warn(
                        Origin::new(file, &at),
                        format!("duplicate spdxId \"{id}\": the first package is kept"),
                    );
                    continue;
                }
                let name = e.name.clone().get().unwrap_or_else(|| {
                    inv.warn(Origin::new(file, &at), "package without a name");
                    String::new()
                });
                let kind = purpose(e.purpose.0.as_deref(), &ty);
                let mut c = Component::new(id.clone(), name, kind, Origin::new(file, &at));
                c.version = e.version.clone().get();
                c.purl = e.purl.clone().get();
                for (role, refs, field) in [
                    (PartyRole::Supplier, e.supplied_by, "suppliedBy"),
                    (PartyRole::Originator, e.originated_by, "originatedBy"),
                ] {
                    for (k, r) in many(refs, &mut bad).iter().enumerate() {
                        let party = agents.get(r).cloned().or_else(|| {
                            // An agent given by name only, not as an element.
                            super::party(r).filter(|_| !r.contains("://") && !r.starts_with("_:"))
                        });
                        if let Some(party) = party.filter(|p| !p.is_empty()) {
                            c.parties.push(RoledParty {
                                role,
                                party,
                                origin: Origin::new(file, format!("{at}/{field}/{k}")),
                            });
                        }
                    }
                }
                for x in e.external_identifier.take(&mut bad).unwrap_or_default() {
                    let (Some(t), Some(v)) = (x.ty.get(), x.identifier.get()) else {
                        continue;
                    };
                    match t.as_str() {
                        "packageUrl" | "purl" if c.purl.is_none() => c.purl = Some(v),
                        "cpe23" | "cpe22" if c.cpe.is_none() => c.cpe = Some(v),
                        _ => {}
                    }
                }
                for r in e.external_ref.take(&mut bad).unwrap_or_default() {
                    let kind = r.ty.get().unwrap_or_else(|| "other".into());
                    for url in many(r.locator, &mut bad) {
                        c.external_refs.push(ExternalRef {
                            kind: kind.clone(),
                            url,
                        });
                    }
                }
                if let Some(u) = e.download.get().as_deref().and_then(location) {
                    c.external_refs.push(ExternalRef {
                        kind: "download".into(),
                        url: u,
                    });
                }
                if let Some(u) = e.home_page.get().as_deref().and_then(location) {
                    c.external_refs.push(ExternalRef {
                        kind: "website".into(),
                        url: u,
                    });
                }
                index.insert(id, inv.components.len());
                inv.components.push(c);
            }
            _ => {}
        }
    }
    for (i, r) in relations {
        let at = format!("/@graph/{i}");
        let (Some(from), Some(ty)) = (r.from.get(), r.relationship_type.get()) else {
            inv.warn(Origin::new(file, &at), "incomplete relationship skipped");
            continue;
        };
        let to = many(r.to, &mut bad);
        if matches!(ty.as_str(), "hasDeclaredLicense" | "hasConcludedLicense") {
            let Some(&c) = index.get(&from) else { continue };
            for t in &to {
                let l = licences.get(t).cloned().or_else(|| {
                    t.strip_prefix("https://spdx.org/licenses/")
                        .map(str::to_string)
                });
                if let Some(l) = l.as_deref().and_then(licence)
                    && !inv.components[c].licenses.contains(&l)
                {
                    inv.components[c].licenses.push(l);
                }
            }
            continue;
        }
        let kind = relation_kind(&ty, r.scope.0.as_deref());
        for t in to {
            if !packages.contains(&t) {
                continue;
            }
            if kind == RelationKind::Describes || !packages.contains(&from) {
                // The document or SBOM describing a package names the subject.
                if kind == RelationKind::Describes {
                    roots.push(t);
                }
                continue;
            }
            inv.relate(&from, &t, kind, (ty != "dependsOn").then(|| ty.clone()));
        }
    }
    inv.metadata.subject = roots.into_iter().find(|r| packages.contains(r));
    super::count_files(&mut inv, file, "/@graph", files);
    if bad {
        inv.warn(
            Origin::new(file, "/@graph"),
            "elements or fields of an unexpected shape skipped",
        );
    }
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_agents_licences_and_relationships() {
        let doc = r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [
          {"type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.1", "created": "2024-03-06T00:00:00Z"},
          {"type": "Organization", "spdxId": "urn:org:aws", "name": "Amazon Web Services",
           "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "email", "identifier": "aws@amazon.com"}]},
          {"type": "software_Sbom", "spdxId": "urn:sbom", "rootElement": ["urn:app"]},
          {"type": "software_Package", "spdxId": "urn:app", "name": "app", "software_primaryPurpose": "application"},
          {"type": "software_Package", "spdxId": "urn:boto3", "name": "boto3", "software_packageVersion": "1.35.0",
           "software_packageUrl": "pkg:pypi/boto3@1.35.0", "suppliedBy": "urn:org:aws"},
          {"type": "software_Package", "spdxId": "urn:pytest", "name": "pytest"},
          {"type": "software_File", "spdxId": "urn:file", "name": "main.py"},
          {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:lic", "simplelicensing_licenseExpression": "Apache-2.0"},
          {"type": "Relationship", "spdxId": "urn:r1", "from": "urn:app", "relationshipType": "dependsOn", "to": ["urn:boto3"]},
          {"type": "LifecycleScopedRelationship", "spdxId": "urn:r2", "from": "urn:app", "relationshipType": "dependsOn", "to": ["urn:pytest"], "scope": "test"},
          {"type": "Relationship", "spdxId": "urn:r3", "from": "urn:boto3", "relationshipType": "hasDeclaredLicense", "to": ["urn:lic"]},
          {"type": "Relationship", "spdxId": "urn:r4", "from": "urn:app", "relationshipType": "contains", "to": ["urn:file"]},
          "not an element"
        ]}"#;
        let inv = read("s.spdx3.json", doc.as_bytes()).unwrap();
        assert_eq!(inv.format.to_string(), "spdx-3.0+json");
        assert_eq!(inv.metadata.subject.as_deref(), Some("urn:app"));
        assert_eq!(inv.components.len(), 3);
        let boto = &inv.components[1];
        assert_eq!(boto.purl.as_deref(), Some("pkg:pypi/boto3@1.35.0"));
        assert_eq!(
            boto.parties[0].party.name.as_deref(),
            Some("Amazon Web Services")
        );
        assert_eq!(boto.parties[0].party.emails, ["aws@amazon.com"]);
        assert_eq!(boto.parties[0].origin.element, "/@graph/4/suppliedBy/0");
        assert_eq!(boto.licenses, ["Apache-2.0"]);
        assert_eq!(inv.components[0].kind, "application");
        let kinds: Vec<(&str, RelationKind)> =
            inv.relations.iter().map(|r| (&*r.to, r.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("urn:boto3", RelationKind::DependsOn),
                ("urn:pytest", RelationKind::DevDependsOn)
            ]
        );
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.message.contains("1 file records"))
        );
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.message.contains("unexpected shape"))
        );
    }

    #[test]
    fn other_versions_are_refused() {
        let e = read(
            "s.json",
            br#"{"@graph": [{"type": "CreationInfo", "specVersion": "2.3"}]}"#,
        )
        .unwrap_err();
        assert!(e.supported.as_deref().unwrap().contains("3.0"));
    }
}
