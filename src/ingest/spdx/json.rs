//! SPDX 2.2/2.3 JSON, with typed serde structs (never a whole-document
//! `serde_json::Value`: too slow and too large at 10⁶ packages).

use super::{
    SUPPORTED, add_party, add_relation, external_ref, is_supported, licence, location, purpose,
    relation,
};
use crate::ingest::ReadError;
use crate::ingest::lenient::{
    Capped, EachSeed, Lenient, MAX_RELATIONSHIPS, Text, TopLevel, read_top_level,
};
use crate::model::{
    Component, Diagnostic, Encoding, ExternalRef, Format, Inventory, Origin, PartyRole,
    RelationKind,
};
use serde::Deserialize;
use serde::de::{self, IgnoredAny};
use std::collections::HashSet;

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

/// Read an SPDX 2.2/2.3 JSON document. Packages go to the model as each is parsed, and so do
/// relationships once every package is known (the usual order); relationships met before the
/// packages wait for them, so any key order gives the same model.
pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    read_counting(file, bytes).map(|(inv, _)| inv)
}

/// [`read`], and how many relationships had to wait for the packages.
fn read_counting(file: &str, bytes: &[u8]) -> Result<(Inventory, usize), ReadError> {
    let mut sink = Sink {
        file,
        inv: Inventory::new(Format {
            standard: "spdx".into(),
            version: String::new(),
            encoding: Encoding::Json,
        }),
        spdx_version: None,
        doc_id: None,
        ids: HashSet::new(),
        packages_done: false,
        files: 0,
        described: None,
        waiting: Vec::new(),
        waited: 0,
        relationship_diagnostics: Vec::new(),
        bad: false,
    };
    read_top_level(bytes, &mut sink).map_err(|e| ReadError::from_json(file, &e))?;
    let waited = sink.waited;
    sink.finish().map(|inv| (inv, waited))
}

/// The reader's state while the document streams past.
struct Sink<'a> {
    file: &'a str,
    inv: Inventory,
    spdx_version: Option<Text>,
    /// The document's SPDXID, once read.
    doc_id: Option<String>,
    /// The SPDXIDs of the packages read so far (all of them once `packages_done`).
    ids: HashSet<String>,
    packages_done: bool,
    files: usize,
    described: Option<Lenient<Vec<String>>>,
    /// Relationships met before the packages or the document's SPDXID.
    waiting: Vec<(usize, Lenient<Rel>)>,
    waited: usize,
    /// Relationship warnings, which come after the file count whatever the key order.
    relationship_diagnostics: Vec<Diagnostic>,
    /// Some element of the document had an unexpected shape.
    bad: bool,
}

impl Sink<'_> {
    fn creation_info(&mut self, ci: Lenient<CreationInfo>) {
        let Some(ci) = ci.take(&mut self.bad) else {
            return;
        };
        self.inv.metadata.timestamp = ci.created.get();
        for (i, c) in ci.creators.iter().enumerate() {
            if let Some(tool) = c.strip_prefix("Tool:") {
                self.inv.metadata.tools.push(tool.trim().to_string());
            } else if let Some(p) = super::party(c) {
                self.inv.metadata.parties.push(crate::model::RoledParty {
                    role: PartyRole::Author,
                    party: p,
                    origin: Origin::new(self.file, format!("/creationInfo/creators/{i}")),
                });
            }
        }
    }

    fn package(&mut self, i: usize, p: Lenient<Package>) {
        let (file, inv) = (self.file, &mut self.inv);
        let at = format!("/packages/{i}");
        let mut bad_pkg = false;
        let Some(p) = p.take(&mut bad_pkg) else {
            inv.warn(
                Origin::new(file, &at),
                "package of an unexpected shape skipped",
            );
            return;
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
        if !self.ids.insert(id.clone()) {
            let alt = format!("{id}~{i}");
            inv.warn(
                Origin::new(file, &at),
                format!("duplicate SPDXID \"{id}\" renamed \"{alt}\""),
            );
            self.ids.insert(alt.clone());
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

    fn relationship(&mut self, i: usize, r: Lenient<Rel>) {
        let Some(doc_id) = self.doc_id.as_deref().filter(|_| self.packages_done) else {
            self.waiting.push((i, r));
            self.waited += 1;
            return;
        };
        let Some(r) = r.take(&mut self.bad) else {
            return;
        };
        let (Some(a), Some(ty), Some(b)) = (r.a.get(), r.ty.get(), r.b.get()) else {
            self.relationship_diagnostics.push(Diagnostic {
                level: crate::model::Level::Warning,
                origin: Origin::new(self.file, format!("/relationships/{i}")),
                message: "incomplete relationship skipped".into(),
            });
            return;
        };
        if let Some(rel) = relation(&a, &ty, &b) {
            add_relation(&mut self.inv, rel, doc_id, &self.ids);
        }
    }

    /// Check the version, add what waited, and put the warnings in their order.
    fn finish(mut self) -> Result<Inventory, ReadError> {
        let file = self.file;
        let version = self
            .spdx_version
            .take()
            .and_then(Text::get)
            .unwrap_or_default();
        if !is_supported(&version) {
            return Err(ReadError::new(
                file,
                format!("spdxVersion \"{version}\" is not supported"),
            )
            .at("/spdxVersion")
            .supported(SUPPORTED));
        }
        self.inv.format.version = version.trim_start_matches("SPDX-").to_string();
        self.packages_done = true;
        let doc_id = self
            .doc_id
            .get_or_insert_with(|| "SPDXRef-DOCUMENT".into())
            .clone();
        for (i, r) in std::mem::take(&mut self.waiting) {
            self.relationship(i, r);
        }
        super::count_files(&mut self.inv, file, "/files", self.files);
        let mut inv = self.inv;
        inv.diagnostics.append(&mut self.relationship_diagnostics);
        // `documentDescribes` says the same as DESCRIBES relationships (SPDX 2.3
        // examples use only the former): add those not already stated.
        let described = self
            .described
            .and_then(|d| d.take(&mut self.bad))
            .unwrap_or_default();
        if !described.is_empty() {
            let stated: HashSet<String> = inv
                .relations
                .iter()
                .filter(|r| r.kind == RelationKind::Describes && *r.from == *doc_id)
                .map(|r| r.to.to_string())
                .collect();
            for d in described {
                if !stated.contains(&d)
                    && let Some(rel) = relation(&doc_id, "DESCRIBES", &d)
                {
                    add_relation(&mut inv, rel, &doc_id, &self.ids);
                }
            }
        }
        if self.bad {
            inv.warn(
                Origin::new(file, "/"),
                "document elements of an unexpected shape skipped",
            );
        }
        Ok(inv)
    }
}

impl<'de> TopLevel<'de> for Sink<'_> {
    const WHAT: &'static str = "an SPDX document (a JSON object)";
    const KEYS: &'static [&'static str] = &[
        "spdxVersion",
        "SPDXID",
        "creationInfo",
        "documentDescribes",
        "packages",
        "files",
        "relationships",
    ];

    fn value<A: de::MapAccess<'de>>(
        &mut self,
        key: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "spdxVersion" => {
                self.spdx_version = Some(map.next_value()?);
            }
            "SPDXID" => {
                let id: Text = map.next_value()?;
                self.doc_id = Some(id.get().unwrap_or_else(|| "SPDXRef-DOCUMENT".into()));
            }
            "creationInfo" => {
                let ci: Lenient<CreationInfo> = map.next_value()?;
                self.creation_info(ci);
            }
            "documentDescribes" => {
                self.described = Some(map.next_value()?);
            }
            "packages" => {
                self.bad |= map.next_value_seed(EachSeed::<_, _>::new(self, Sink::package))?;
                self.packages_done = true;
            }
            "files" => {
                let files: Capped<IgnoredAny> = map.next_value()?;
                self.bad |= files.bad;
                self.files = files.items.len();
            }
            "relationships" => {
                self.bad |= map.next_value_seed(EachSeed::<_, _, MAX_RELATIONSHIPS>::new(
                    self,
                    Sink::relationship,
                ))?;
            }
            _ => {}
        }
        Ok(())
    }
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

    /// The same document with its top-level keys in reverse alphabetical order:
    /// `relationships` before `packages` and `SPDXID`, so every relationship waits.
    fn reversed_keys(bytes: &[u8]) -> Vec<u8> {
        let v: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(bytes).unwrap();
        let parts: Vec<String> = v
            .iter()
            .rev()
            .map(|(k, v)| format!("{}:{}", serde_json::Value::from(k.as_str()), v))
            .collect();
        format!("{{{}}}", parts.join(",")).into_bytes()
    }

    /// Relationships stream when the packages come first and wait otherwise; both give the
    /// same model.
    pub(crate) fn both_orders_read_alike(file: &str, bytes: &[u8]) -> Option<usize> {
        let (streamed, waited) = read_counting(file, bytes).ok()?;
        let reordered_bytes = reversed_keys(bytes);
        let (reordered, waited_after) = read_counting(file, &reordered_bytes).unwrap();
        assert!(
            streamed == reordered,
            "{file}: the order of the keys changed the model"
        );
        let relationships: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        let count = relationships["relationships"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(
            waited_after, count,
            "{file}: reversed, every relationship waits"
        );
        Some(waited)
    }

    #[test]
    fn keys_in_any_order_give_the_same_model() {
        let doc = r#"{"spdxVersion":"SPDX-2.3","SPDXID":"SPDXRef-DOCUMENT",
          "packages":[{"SPDXID":"SPDXRef-a","name":"a"},{"SPDXID":"SPDXRef-a","name":"dup"},{"name":7}],
          "files":[{"fileName":"a"}],
          "relationships":[
            {"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-a"},
            {"spdxElementId":"SPDXRef-a","relationshipType":"DEPENDS_ON"},
            {"spdxElementId":"SPDXRef-a","relationshipType":"DEPENDS_ON","relatedSpdxElement":"SPDXRef-a~1"}
          ],
          "documentDescribes":["SPDXRef-a~1"]}"#;
        assert_eq!(both_orders_read_alike("s.json", doc.as_bytes()), Some(0));
        let inv = read("s.json", &reversed_keys(doc.as_bytes())).unwrap();
        let messages: Vec<&str> = inv.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[2].contains("1 file records"), "{messages:?}");
        assert_eq!(messages[3], "incomplete relationship skipped");
        assert_eq!(inv.relations.len(), 3);
    }

    #[test]
    fn the_corpus_reads_alike_streamed_and_waiting() {
        let Some(documents) = crate::ingest::corpus_json_documents(b"\"spdxVersion\"") else {
            return;
        };
        let (mut compared, mut streamed) = (0, 0);
        for (name, text) in &documents {
            if let Some(waited) = both_orders_read_alike(name, text) {
                let inv = read(name, text).unwrap();
                streamed += inv.relations.len().saturating_sub(waited);
                compared += 1;
            }
        }
        eprintln!("{compared} SPDX JSON documents compared, {streamed} relations streamed");
        assert!(compared >= 2, "only {compared} SPDX JSON documents");
        assert!(streamed > 1000, "{streamed} relations streamed");
    }
}
