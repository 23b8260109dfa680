//! CycloneDX JSON reader, 1.2 to 1.7, with typed serde structs.
//!
//! We read only the fields coquille uses, in one pass, with lenient types for
//! the fields real generators get wrong. See ARCHITECTURE.md for why this is
//! not the cyclonedx-bom crate.

use super::{SUPPORTED_JSON_VERSIONS, is_supported_json_version};
use crate::ingest::ReadError;
use crate::ingest::lenient::{
    Capped, EachSeed, Lenient, OneOrMany, RefList, Shaped, Text, TopLevel, read_top_level,
};
use crate::ingest::refs::RefSet;
use crate::model::{
    Component, Diagnostic, Encoding, ExternalRef, Format, Inventory, Origin, Party, PartyRole,
    Relation, RelationKind, RoledParty, Service,
};
use serde::{Deserialize, de};

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
///
/// The document is read in one pass and its components are handed to the model as each one
/// is parsed, so a million-component document never holds the parsed elements and the model
/// at once (see [`read_top_level`] and [`EachSeed`]).
pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    read_counting(file, bytes).map(|(inv, _)| inv)
}

/// [`read`], and how many components had to wait for `metadata` instead of going to the
/// model as they were parsed.
fn read_counting(file: &str, bytes: &[u8]) -> Result<(Inventory, usize), ReadError> {
    let mut sink = Sink::new(file);
    read_top_level(bytes, &mut sink).map_err(|e| ReadError::from_json(file, &e))?;
    let waited = sink.waited;
    sink.finish().map(|inv| (inv, waited))
}

/// Where each part of the model goes while the document is read: the diagnostics and
/// relations of each top-level section are kept apart and joined in a fixed order at the end,
/// so the model is the same whatever order the document writes its sections in.
#[derive(Clone, Copy)]
enum Section {
    Metadata,
    /// The "not an array" warnings of the three lists.
    Shapes,
    Components,
    Services,
    Dependencies,
}

const SECTIONS: usize = 5;

/// The reader's state: the model being built, and what cannot be built yet.
struct Sink<'a> {
    b: Builder<'a>,
    bom_format: Option<Text>,
    spec_version: Option<Text>,
    serial_number: Option<Text>,
    /// Set once `metadata` is read (or found absent at the end): its component's ref must be
    /// taken before any other, so components wait until then.
    metadata_done: bool,
    /// Components met before `metadata`, read later in document order. Every generator writes
    /// `metadata` first, so this stays empty and each component goes to the model at once.
    waiting: Vec<(usize, Lenient<Comp>)>,
    /// How many components waited.
    waited: usize,
    services: Option<Capped<Lenient<Svc>>>,
    /// Whether each list was present but not an array: components, services, dependencies.
    bad_shapes: [bool; 3],
    /// Where each run of a section written straight into the model began (section,
    /// diagnostics, relations); the last run's section is the highest that has written.
    runs: Vec<(usize, usize, usize)>,
    /// What sections that came out of order wrote.
    diagnostics: [Vec<Diagnostic>; SECTIONS],
    relations: [Vec<Relation>; SECTIONS],
}

impl<'a> Sink<'a> {
    fn new(file: &'a str) -> Self {
        Sink {
            b: Builder {
                file,
                inv: Inventory::new(Format {
                    standard: "cyclonedx".into(),
                    version: String::new(),
                    encoding: Encoding::Json,
                }),
                refs: RefSet::default(),
            },
            bom_format: None,
            spec_version: None,
            serial_number: None,
            metadata_done: false,
            waiting: Vec::new(),
            waited: 0,
            services: None,
            bad_shapes: [false; 3],
            runs: Vec::new(),
            diagnostics: Default::default(),
            relations: Default::default(),
        }
    }

    /// Run `f` on the builder for `section`. A section that comes in order (none after it has
    /// written yet: the usual case) writes straight into the model; one that comes out of
    /// order writes aside, and [`Sink::join`] puts it in its place at the end.
    fn within<T>(&mut self, section: Section, f: impl FnOnce(&mut Builder) -> T) -> T {
        let i = section as usize;
        let latest = self.runs.last().map(|r| r.0);
        if latest.is_none_or(|l| i >= l) {
            if latest != Some(i) {
                let start = (self.b.inv.diagnostics.len(), self.b.inv.relations.len());
                self.runs.push((i, start.0, start.1));
            }
            return f(&mut self.b);
        }
        std::mem::swap(&mut self.b.inv.diagnostics, &mut self.diagnostics[i]);
        std::mem::swap(&mut self.b.inv.relations, &mut self.relations[i]);
        let out = f(&mut self.b);
        std::mem::swap(&mut self.b.inv.diagnostics, &mut self.diagnostics[i]);
        std::mem::swap(&mut self.b.inv.relations, &mut self.relations[i]);
        out
    }

    /// The diagnostics and relations in section order: those written in order as they are,
    /// with what was written aside put in its place (a copy made only then).
    fn join(&mut self) {
        if !self.diagnostics.iter().all(Vec::is_empty) {
            let written = std::mem::take(&mut self.b.inv.diagnostics);
            self.b.inv.diagnostics = in_order(written, &self.runs, |r| r.1, &mut self.diagnostics);
        }
        if !self.relations.iter().all(Vec::is_empty) {
            let written = std::mem::take(&mut self.b.inv.relations);
            self.b.inv.relations = in_order(written, &self.runs, |r| r.2, &mut self.relations);
        }
    }

    fn metadata(&mut self, m: Lenient<Metadata>) {
        self.within(Section::Metadata, |b| {
            if let Some(meta) = take(m, b, "/metadata") {
                b.metadata(meta);
            }
        });
        self.metadata_done = true;
        for (i, c) in std::mem::take(&mut self.waiting) {
            self.component(i, c);
        }
    }

    fn component(&mut self, i: usize, c: Lenient<Comp>) {
        if !self.metadata_done {
            self.waiting.push((i, c));
            self.waited += 1;
            return;
        }
        self.within(Section::Components, |b| {
            let at = format!("/components/{i}");
            if let Some(c) = take(c, b, &at) {
                b.component(c, &at, None);
            }
        });
    }

    fn dependency(&mut self, i: usize, d: Shaped<Dep>) {
        self.within(Section::Dependencies, |b| b.dependency(i, d));
    }

    /// Check the header, build what waited, and join the sections.
    fn finish(mut self) -> Result<Inventory, ReadError> {
        let file = self.b.file;
        match self.bom_format.take().and_then(Text::get).as_deref() {
            Some("CycloneDX") => {}
            Some(other) => {
                return Err(ReadError::new(
                    file,
                    format!("bomFormat is \"{other}\", expected \"CycloneDX\""),
                )
                .at("/bomFormat"));
            }
            None => {
                return Err(ReadError::new(file, "not a CycloneDX document: no bomFormat").at("/"));
            }
        }
        let version = self
            .spec_version
            .take()
            .and_then(Text::get)
            .unwrap_or_default();
        if !is_supported_json_version(&version) {
            return Err(ReadError::new(
                file,
                format!("CycloneDX specVersion \"{version}\" is not supported"),
            )
            .at("/specVersion")
            .supported(format!("CycloneDX JSON {SUPPORTED_JSON_VERSIONS}")));
        }
        if !self.metadata_done {
            self.metadata(Lenient::Missing);
        }
        let shapes = self.bad_shapes;
        self.within(Section::Shapes, |b| {
            for (field, bad) in ["/components", "/services", "/dependencies"]
                .into_iter()
                .zip(shapes)
            {
                if bad {
                    b.inv
                        .warn(Origin::new(b.file, field), "not an array: skipped");
                }
            }
        });
        if let Some(services) = self.services.take() {
            self.within(Section::Services, |b| {
                for (i, s) in services.items.into_iter().enumerate() {
                    let at = format!("/services/{i}");
                    if let Some(s) = take(s, b, &at) {
                        b.service(s, &at);
                    }
                }
            });
        }
        self.join();
        let mut inv = self.b.inv;
        inv.format.version = version;
        inv.metadata.serial = self.serial_number.and_then(Text::get);
        Ok(inv)
    }
}

/// Rebuild one list in section order from the part written in order (`runs` gives where each
/// section's run starts in it) and the parts written aside.
fn in_order<T>(
    mut written: Vec<T>,
    runs: &[(usize, usize, usize)],
    start: impl Fn(&(usize, usize, usize)) -> usize,
    aside: &mut [Vec<T>; SECTIONS],
) -> Vec<T> {
    let mut by_section: [Vec<T>; SECTIONS] = Default::default();
    for run in runs.iter().rev() {
        by_section[run.0] = written.split_off(start(run));
    }
    let mut out = Vec::new();
    for (mine, other) in by_section.iter_mut().zip(aside.iter_mut()) {
        out.append(mine);
        out.append(other);
    }
    out
}

impl<'de> TopLevel<'de> for Sink<'_> {
    const WHAT: &'static str = "a CycloneDX document (a JSON object)";
    const KEYS: &'static [&'static str] = &[
        "bomFormat",
        "specVersion",
        "serialNumber",
        "metadata",
        "components",
        "services",
        "dependencies",
    ];

    fn value<A: de::MapAccess<'de>>(
        &mut self,
        key: &'static str,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match key {
            "bomFormat" => {
                self.bom_format = Some(map.next_value()?);
            }
            "specVersion" => {
                self.spec_version = Some(map.next_value()?);
            }
            "serialNumber" => {
                self.serial_number = Some(map.next_value()?);
            }
            "metadata" => {
                let m: Lenient<Metadata> = map.next_value()?;
                self.metadata(m);
            }
            "components" => {
                let bad = map.next_value_seed(EachSeed::<_, _>::new(self, Sink::component))?;
                self.bad_shapes[0] = bad;
            }
            "services" => {
                let s: Capped<Lenient<Svc>> = map.next_value()?;
                self.bad_shapes[1] = s.bad;
                self.services = Some(s);
            }
            "dependencies" => {
                let bad = map.next_value_seed(EachSeed::<_, _>::new(self, Sink::dependency))?;
                self.bad_shapes[2] = bad;
            }
            _ => {}
        }
        Ok(())
    }
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

    /// Add the relations of one element of `dependencies`.
    fn dependency(&mut self, i: usize, d: Shaped<Dep>) {
        let at = format!("/dependencies/{i}");
        let Shaped::Ok(d) = d else {
            self.inv.warn(
                Origin::new(self.file, at),
                "element of an unexpected shape skipped",
            );
            return;
        };
        let Some(from) = d.from.get() else {
            self.inv
                .warn(Origin::new(self.file, at), "dependency without ref skipped");
            return;
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
                self.inv.warn(
                    Origin::new(self.file, format!("{at}/{field}")),
                    "not an array of refs: skipped",
                );
            }
            if list.repeated > 0 {
                self.inv.warn(
                    Origin::new(self.file, format!("{at}/{field}")),
                    format!("{} repeated refs read once", list.repeated),
                );
            }
            for to in list.refs {
                self.inv
                    .relate(&from, &to, kind, original.map(str::to_string));
            }
        }
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

    /// The same document with its top-level keys in alphabetical order: `components` before
    /// `metadata` and `dependencies` before `services`.
    fn sorted_keys(bytes: &[u8]) -> Vec<u8> {
        let v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        serde_json::to_vec(&v).unwrap()
    }

    /// Components stream into the model when `metadata` comes first, and wait for it when it
    /// comes after them; both give the same model, and so the same report.
    pub(crate) fn both_orders_read_alike(file: &str, bytes: &[u8]) -> Option<usize> {
        let (streamed, waited) = read_counting(file, bytes).ok()?;
        let (reordered, waited_after) = read_counting(file, &sorted_keys(bytes)).unwrap();
        // Inventory's equality leaves out the cache of shared refs, whose order is random.
        let first_difference = || {
            let parts = |inv: &Inventory| {
                [
                    format!("{:?}", inv.components),
                    format!("{:?}", inv.services),
                    format!("{:?}", inv.relations),
                    format!("{:?}", inv.diagnostics),
                    format!("{:?} {:?}", inv.metadata, inv.format),
                ]
            };
            let (a, b) = (parts(&streamed), parts(&reordered));
            (0..a.len()).find(|&i| a[i] != b[i])
        };
        assert!(
            streamed == reordered,
            "{file}: the order of the sections changed part {:?} of the model",
            first_difference()
        );
        let nested = |inv: &Inventory| {
            inv.components
                .iter()
                .filter(|c| c.origin.element.starts_with("/components/"))
                .filter(|c| !c.origin.element["/components/".len()..].contains('/'))
                .count()
        };
        if streamed.metadata.subject.is_some() || streamed.metadata.timestamp.is_some() {
            assert_eq!(
                waited_after,
                nested(&reordered),
                "{file}: after metadata, all wait"
            );
        }
        Some(waited)
    }

    #[test]
    fn sections_in_any_order_give_the_same_model() {
        assert_eq!(both_orders_read_alike("bom.json", DOC.as_bytes()), Some(0));
        let inv = read("bom.json", &sorted_keys(DOC.as_bytes())).unwrap();
        assert_eq!(inv.metadata.subject.as_deref(), Some("app"));
        assert_eq!(
            inv.components[4].bom_ref, "s3~2",
            "the metadata ref was taken first"
        );
    }

    #[test]
    fn a_list_of_the_wrong_shape_is_skipped_and_a_repeated_key_refused() {
        let inv = read(
            "x.json",
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":{"a":1},
                 "services":"none","dependencies":7}"#,
        )
        .unwrap();
        let skipped: Vec<_> = inv
            .diagnostics
            .iter()
            .map(|d| d.origin.element.as_str())
            .collect();
        assert_eq!(skipped, ["/components", "/services", "/dependencies"]);
        let e = read(
            "x.json",
            br#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[],"components":[]}"#,
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("duplicate field `components`"),
            "{e}"
        );
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

    /// Every CycloneDX JSON document of the shared corpus reads to the same model whether its
    /// components stream (metadata first, as written) or wait (metadata after them).
    #[test]
    fn the_corpus_reads_alike_streamed_and_waiting() {
        let Some(documents) = crate::ingest::corpus_json_documents(b"\"bomFormat\"") else {
            return;
        };
        let (mut compared, mut streamed_components) = (0, 0);
        for (name, text) in &documents {
            if let Some(waited) = both_orders_read_alike(name, text) {
                let inv = read(name, text).unwrap();
                streamed_components += inv.components.len() - waited;
                compared += 1;
            }
        }
        assert!(compared >= 5, "only {compared} CycloneDX JSON documents");
        assert!(streamed_components > 1000, "{streamed_components} streamed");
    }
}
