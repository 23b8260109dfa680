//! CycloneDX JSON reader, 1.2 to 1.7, with typed serde structs.
//!
//! We read only the fields coquille uses, in one pass, with lenient types for
//! the fields real generators get wrong. See ARCHITECTURE.md for why this is
//! not the cyclonedx-bom crate.

use super::{SUPPORTED_JSON_VERSIONS, is_supported_json_version};
use crate::ingest::ReadError;
use crate::ingest::lenient::{Capped, Lenient, OneOrMany, RefList, Shaped, Text};
use crate::ingest::refs::RefSet;
use crate::model::{
    Component, Encoding, ExternalRef, Format, Inventory, Origin, Party, PartyRole, RelationKind,
    RoledParty, Service,
};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Doc {
    #[serde(rename = "bomFormat")]
    bom_format: Text,
    #[serde(rename = "specVersion")]
    spec_version: Text,
    #[serde(rename = "serialNumber")]
    serial_number: Text,
    metadata: Lenient<Metadata>,
    components: Capped<Lenient<Comp>>,
    services: Capped<Lenient<Svc>>,
    /// Read as a stream: a dependency's refs are deduplicated as they come.
    dependencies: Capped<Shaped<Dep>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Metadata {
    timestamp: Text,
    tools: Lenient<Tools>,
    authors: Lenient<Vec<Contact>>,
    component: Lenient<Comp>,
    manufacture: Lenient<Org>,
    manufacturer: Lenient<Org>,
    supplier: Lenient<Org>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Tools {
    Legacy(Vec<Tool>),
    Modern {
        #[serde(default)]
        components: Vec<Tool>,
        #[serde(default)]
        services: Vec<Tool>,
    },
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Tool {
    vendor: Text,
    name: Text,
    version: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Org {
    name: Text,
    url: Lenient<OneOrMany<String>>,
    contact: Lenient<Vec<Contact>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Contact {
    name: Text,
    email: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Comp {
    #[serde(rename = "type")]
    kind: Text,
    #[serde(rename = "bom-ref")]
    bom_ref: Text,
    supplier: Lenient<Org>,
    manufacturer: Lenient<Org>,
    author: Text,
    authors: Lenient<Vec<Contact>>,
    publisher: Text,
    group: Text,
    name: Text,
    version: Text,
    scope: Text,
    licenses: Lenient<Vec<LicenseChoice>>,
    purl: Text,
    cpe: Text,
    #[serde(rename = "externalReferences")]
    external_references: Lenient<Vec<ExtRef>>,
    properties: Lenient<Vec<Property>>,
    components: Vec<Lenient<Comp>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LicenseChoice {
    license: Option<License>,
    expression: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct License {
    id: Text,
    name: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ExtRef {
    #[serde(rename = "type")]
    kind: Text,
    url: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Property {
    name: Text,
    value: Text,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Svc {
    #[serde(rename = "bom-ref")]
    bom_ref: Text,
    provider: Lenient<Org>,
    group: Text,
    name: Text,
    version: Text,
    endpoints: Lenient<Vec<String>>,
    #[serde(rename = "x-trust-boundary")]
    trust_boundary: Lenient<bool>,
    #[serde(rename = "trustZone")]
    trust_zone: Text,
    #[serde(rename = "externalReferences")]
    external_references: Lenient<Vec<ExtRef>>,
    properties: Lenient<Vec<Property>>,
    services: Vec<Lenient<Svc>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Dep {
    #[serde(rename = "ref")]
    from: Text,
    #[serde(rename = "dependsOn")]
    depends_on: RefList,
    provides: RefList,
}

/// Read a CycloneDX JSON document.
pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    let doc: Doc = serde_json::from_slice(bytes).map_err(|e| ReadError::from_json(file, &e))?;
    match doc.bom_format.clone().get().as_deref() {
        Some("CycloneDX") => {}
        Some(other) => {
            return Err(ReadError::new(
                file,
                format!("bomFormat is \"{other}\", expected \"CycloneDX\""),
            )
            .at("/bomFormat"));
        }
        None => return Err(ReadError::new(file, "not a CycloneDX document: no bomFormat").at("/")),
    }
    let version = doc.spec_version.clone().get().unwrap_or_default();
    if !is_supported_json_version(&version) {
        return Err(ReadError::new(
            file,
            format!("CycloneDX specVersion \"{version}\" is not supported"),
        )
        .at("/specVersion")
        .supported(format!("CycloneDX JSON {SUPPORTED_JSON_VERSIONS}")));
    }
    let mut b = Builder {
        file,
        inv: Inventory::new(Format {
            standard: "cyclonedx".into(),
            version,
            encoding: Encoding::Json,
        }),
        refs: RefSet::default(),
    };
    b.inv.metadata.serial = doc.serial_number.get();

    if let Some(meta) = take(doc.metadata, &mut b, "/metadata") {
        b.metadata(meta);
    }
    for (field, bad) in [
        ("/components", doc.components.bad),
        ("/services", doc.services.bad),
        ("/dependencies", doc.dependencies.bad),
    ] {
        if bad {
            b.inv
                .warn(Origin::new(file, field), "not an array: skipped");
        }
    }
    for (i, c) in doc.components.items.into_iter().enumerate() {
        let at = format!("/components/{i}");
        if let Some(c) = take(c, &mut b, &at) {
            b.component(c, &at, None);
        }
    }
    for (i, s) in doc.services.items.into_iter().enumerate() {
        let at = format!("/services/{i}");
        if let Some(s) = take(s, &mut b, &at) {
            b.service(s, &at);
        }
    }
    for (i, d) in doc.dependencies.items.into_iter().enumerate() {
        let at = format!("/dependencies/{i}");
        let Shaped::Ok(d) = d else {
            b.inv.warn(
                Origin::new(file, at),
                "element of an unexpected shape skipped",
            );
            continue;
        };
        let Some(from) = d.from.get() else {
            b.inv
                .warn(Origin::new(file, at), "dependency without ref skipped");
            continue;
        };
        for (list, kind, original, field) in [
            (d.depends_on, RelationKind::DependsOn, None, "dependsOn"),
            (
                d.provides,
                RelationKind::Other,
                Some("provides"),
                "provides",
            ),
        ] {
            if list.bad {
                b.inv.warn(
                    Origin::new(file, format!("{at}/{field}")),
                    "not an array of refs: skipped",
                );
            }
            if list.repeated > 0 {
                b.inv.warn(
                    Origin::new(file, format!("{at}/{field}")),
                    format!("{} repeated refs read once", list.repeated),
                );
            }
            for to in list.refs {
                b.inv.relate(&from, &to, kind, original.map(str::to_string));
            }
        }
    }
    Ok(b.inv)
}

fn take<T>(v: Lenient<T>, b: &mut Builder, at: &str) -> Option<T> {
    let mut bad = false;
    let out = v.take(&mut bad);
    if bad {
        b.inv.warn(
            Origin::new(b.file, at),
            "element of an unexpected shape skipped",
        );
    }
    out
}

struct Builder<'a> {
    file: &'a str,
    inv: Inventory,
    refs: RefSet,
}

impl Builder<'_> {
    fn origin(&self, at: &str) -> Origin {
        Origin::new(self.file, at)
    }

    /// A unique ref: the given one, or a synthesised `#n`; duplicates get a suffix and a warning.
    fn unique_ref(&mut self, given: Option<String>, at: &str) -> String {
        let (r, warning) = self.refs.unique(given);
        if let Some(w) = warning {
            self.inv.warn(self.origin(at), w);
        }
        r
    }

    fn org(&mut self, o: Org, role: PartyRole, at: &str) -> Option<RoledParty> {
        let mut bad = false;
        let urls = o
            .url
            .take(&mut bad)
            .map(OneOrMany::into_vec)
            .unwrap_or_default();
        let contacts = o.contact.take(&mut bad).unwrap_or_default();
        if bad {
            self.inv.warn(
                self.origin(at),
                "part of an organisation of an unexpected shape skipped",
            );
        }
        let mut name = o.name.get();
        let mut emails = Vec::new();
        for c in contacts {
            if let Some(e) = c.email.get() {
                emails.push(e);
            }
            if name.is_none() {
                name = c.name.get();
            }
        }
        let party = Party {
            name,
            urls: urls.into_iter().map(|u| u.trim().to_string()).collect(),
            emails,
        };
        (!party.is_empty()).then(|| RoledParty {
            role,
            party,
            origin: self.origin(at),
        })
    }

    fn contacts(&mut self, list: Vec<Contact>, role: PartyRole, at: &str) -> Vec<RoledParty> {
        list.into_iter()
            .enumerate()
            .filter_map(|(i, c)| {
                let party = Party {
                    name: c.name.get(),
                    urls: Vec::new(),
                    emails: c.email.get().into_iter().collect(),
                };
                (!party.is_empty()).then(|| RoledParty {
                    role,
                    party,
                    origin: self.origin(&format!("{at}/{i}")),
                })
            })
            .collect()
    }

    fn metadata(&mut self, m: Metadata) {
        self.inv.metadata.timestamp = m.timestamp.get();
        let mut bad = false;
        match m.tools.take(&mut bad) {
            Some(Tools::Legacy(list)) => self.tools(list),
            Some(Tools::Modern {
                components,
                services,
            }) => {
                self.tools(components);
                self.tools(services);
            }
            None => {}
        }
        if let Some(a) = m.authors.take(&mut bad) {
            let parties = self.contacts(a, PartyRole::Author, "/metadata/authors");
            self.inv.metadata.parties.extend(parties);
        }
        for (org, role, at) in [
            (m.supplier, PartyRole::Supplier, "/metadata/supplier"),
            (
                m.manufacturer,
                PartyRole::Manufacturer,
                "/metadata/manufacturer",
            ),
            (
                m.manufacture,
                PartyRole::Manufacturer,
                "/metadata/manufacture",
            ),
        ] {
            if let Some(o) = org.take(&mut bad)
                && let Some(p) = self.org(o, role, at)
            {
                self.inv.metadata.parties.push(p);
            }
        }
        if let Some(c) = m.component.take(&mut bad) {
            let r = self.component(c, "/metadata/component", None);
            self.inv.metadata.subject = Some(r);
        }
        if bad {
            self.inv.warn(
                self.origin("/metadata"),
                "metadata element of an unexpected shape skipped",
            );
        }
    }

    fn tools(&mut self, list: Vec<Tool>) {
        for t in list {
            let name = [t.vendor.get(), t.name.get(), t.version.get()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>();
            if !name.is_empty() {
                self.inv.metadata.tools.push(name.join(" "));
            }
        }
    }

    /// Add a component and its nested children; returns its ref.
    fn component(&mut self, c: Comp, at: &str, parent: Option<&str>) -> String {
        let bom_ref = self.unique_ref(c.bom_ref.get(), at);
        let name = match c.name.get() {
            Some(n) => n,
            None => {
                self.inv.warn(self.origin(at), "component without a name");
                String::new()
            }
        };
        let kind = c.kind.get().unwrap_or_else(|| "library".into());
        let mut comp = Component::new(bom_ref.clone(), name, kind, self.origin(at));
        comp.version = c.version.get();
        comp.group = c.group.get();
        comp.purl = c.purl.get();
        comp.cpe = c.cpe.get();
        comp.scope = c.scope.get();
        let mut bad = false;
        for (org, role, field) in [
            (c.supplier, PartyRole::Supplier, "supplier"),
            (c.manufacturer, PartyRole::Manufacturer, "manufacturer"),
        ] {
            if let Some(o) = org.take(&mut bad)
                && let Some(p) = self.org(o, role, &format!("{at}/{field}"))
            {
                comp.parties.push(p);
            }
        }
        for (text, role, field) in [
            (c.publisher, PartyRole::Publisher, "publisher"),
            (c.author, PartyRole::Author, "author"),
        ] {
            if let Some(name) = text.get() {
                comp.parties.push(RoledParty {
                    role,
                    party: Party {
                        name: Some(name),
                        ..Party::default()
                    },
                    origin: self.origin(&format!("{at}/{field}")),
                });
            }
        }
        if let Some(a) = c.authors.take(&mut bad) {
            let parties = self.contacts(a, PartyRole::Author, &format!("{at}/authors"));
            comp.parties.extend(parties);
        }
        for l in c.licenses.take(&mut bad).unwrap_or_default() {
            if let Some(e) = l.expression.get() {
                comp.licenses.push(e);
            } else if let Some(lic) = l.license
                && let Some(v) = lic.id.get().or(lic.name.get())
            {
                comp.licenses.push(v);
            }
        }
        comp.external_refs = ext_refs(c.external_references.take(&mut bad));
        comp.properties = props(c.properties.take(&mut bad));
        if bad {
            self.inv.warn(
                self.origin(at),
                "part of the component of an unexpected shape skipped",
            );
        }
        if let Some(p) = parent {
            self.inv.relate(p, &bom_ref, RelationKind::Contains, None);
        }
        self.inv.components.push(comp);
        for (i, child) in c.components.into_iter().enumerate() {
            let child_at = format!("{at}/components/{i}");
            if let Some(child) = take(child, self, &child_at) {
                self.component(child, &child_at, Some(&bom_ref));
            }
        }
        bom_ref
    }

    fn service(&mut self, s: Svc, at: &str) {
        let bom_ref = self.unique_ref(s.bom_ref.get(), at);
        let name = s.name.get().unwrap_or_default();
        let mut svc = Service::new(bom_ref, name, self.origin(at));
        svc.version = s.version.get();
        svc.group = s.group.get();
        let mut bad = false;
        if let Some(o) = s.provider.take(&mut bad) {
            svc.provider = self.org(o, PartyRole::Provider, &format!("{at}/provider"));
        }
        svc.endpoints = s.endpoints.take(&mut bad).unwrap_or_default();
        svc.trust_boundary = s.trust_boundary.take(&mut bad);
        if svc.trust_boundary.is_none() {
            svc.trust_boundary = s.trust_zone.get().map(|z| !z.is_empty());
        }
        svc.external_refs = ext_refs(s.external_references.take(&mut bad));
        svc.properties = props(s.properties.take(&mut bad));
        if bad {
            self.inv.warn(
                self.origin(at),
                "part of the service of an unexpected shape skipped",
            );
        }
        self.inv.services.push(svc);
        for (i, child) in s.services.into_iter().enumerate() {
            let child_at = format!("{at}/services/{i}");
            if let Some(child) = take(child, self, &child_at) {
                self.service(child, &child_at);
            }
        }
    }
}

fn ext_refs(list: Option<Vec<ExtRef>>) -> Vec<ExternalRef> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(|r| {
            Some(ExternalRef {
                kind: r.kind.get().unwrap_or_else(|| "other".into()),
                url: r.url.get()?,
            })
        })
        .collect()
}

fn props(list: Option<Vec<Property>>) -> Vec<(String, String)> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(|p| Some((p.name.get()?, p.value.get().unwrap_or_default())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{
      "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
      "metadata": {
        "tools": {"components": [{"name": "cyclonedx-npm", "version": "1.19.3"}]},
        "component": {"type": "application", "name": "portal", "bom-ref": "app"},
        "manufacturer": {"name": "Atlas Cloud", "url": "https://atlas.example"}
      },
      "components": [
        {"type": "library", "name": "client-s3", "group": "@aws-sdk", "version": "3.600.0",
         "purl": "pkg:npm/%40aws-sdk/client-s3@3.600.0", "bom-ref": "s3",
         "author": "Amazon Web Services",
         "components": [{"type": "library", "name": "nested", "version": 7}]},
        {"type": "device", "name": "PowerEdge R760", "bom-ref": "srv",
         "manufacturer": {"name": "Dell Inc.", "contact": [{"email": "x@dell.com"}]},
         "supplier": "not an object"},
        {"type": "library", "name": "dup", "bom-ref": "s3"}
      ],
      "services": [{"bom-ref": "kms", "name": "KMS", "provider": {"name": "Amazon Web Services, Inc."},
        "endpoints": ["https://kms.eu-west-1.amazonaws.com"], "x-trust-boundary": true,
        "services": [{"name": "inner"}]}],
      "dependencies": [{"ref": "app", "dependsOn": ["s3", "srv"]}, {"dependsOn": ["x"]}]
    }"#;

    #[test]
    fn reads_nested_components_services_and_dependencies() {
        let inv = read("bom.json", DOC.as_bytes()).unwrap();
        assert_eq!(inv.format.to_string(), "cyclonedx-1.6+json");
        assert_eq!(inv.metadata.tools, vec!["cyclonedx-npm 1.19.3"]);
        assert_eq!(inv.metadata.subject.as_deref(), Some("app"));
        assert_eq!(inv.metadata.parties[0].role, PartyRole::Manufacturer);
        let names: Vec<_> = inv.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            ["portal", "client-s3", "nested", "PowerEdge R760", "dup"]
        );
        let nested = &inv.components[2];
        assert_eq!(nested.version.as_deref(), Some("7"));
        assert_eq!(nested.origin.element, "/components/0/components/0");
        assert!(inv.relations.iter().any(|r| &*r.from == "s3"
            && *r.to == *nested.bom_ref
            && r.kind == RelationKind::Contains));
        let srv = &inv.components[3];
        assert_eq!(srv.parties[0].party.emails, ["x@dell.com"]);
        assert_eq!(inv.components[4].bom_ref, "s3~2");
        assert_eq!(inv.services.len(), 2);
        assert_eq!(
            inv.services[0].endpoints,
            ["https://kms.eu-west-1.amazonaws.com"]
        );
        assert_eq!(inv.services[0].trust_boundary, Some(true));
        assert_eq!(
            inv.relations
                .iter()
                .filter(|r| r.kind == RelationKind::DependsOn)
                .count(),
            2
        );
        // the bad supplier, the duplicate ref and the ref-less dependency are warnings
        assert_eq!(inv.diagnostics.len(), 3, "{:?}", inv.diagnostics);
    }

    #[test]
    fn rejects_unsupported_version_naming_the_supported_ones() {
        let e = read(
            "x.json",
            br#"{"bomFormat":"CycloneDX","specVersion":"2.0"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("1.2"), "{e}");
        assert_eq!(e.position.as_deref(), Some("/specVersion"));
    }

    #[test]
    fn syntax_errors_have_a_line_and_column() {
        let e = read("x.json", b"{\n  \"bomFormat\": \"CycloneDX\",\n  oops\n}").unwrap_err();
        assert_eq!(e.position.as_deref(), Some("line 3, column 3"));
    }
}
