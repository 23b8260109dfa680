//! CycloneDX XML reader, 1.0 to 1.7, streaming with quick-xml (no DOM).
//!
//! Entity declarations are refused and never expanded; only the five
//! predefined entities and character references are resolved. Elements we do
//! not use are skipped (they are legal extensions).

use crate::ingest::ReadError;
use crate::model::{
    Component, Encoding, ExternalRef, Format, Inventory, Level, Origin, Party, PartyRole, Relation,
    RelationKind, RoledParty, Service,
};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashSet;

/// What the element being read belongs to.
enum Obj {
    Bom,
    Metadata,
    Comp(usize),
    Svc(usize),
    Org {
        role: PartyRole,
        party: Party,
        origin: Origin,
    },
    Contact {
        name: Option<String>,
        email: Option<String>,
        author: bool,
        origin: Origin,
    },
    ExtRef {
        kind: String,
        url: Option<String>,
    },
    Property {
        name: Option<String>,
    },
    License {
        value: Option<String>,
    },
    Tool {
        parts: Vec<String>,
    },
    Dep(String),
    Skip,
}

struct Lines<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset >= self.pos {
            self.line += memchr::memchr_iter(b'\n', &self.text[self.pos..offset]).count();
        } else {
            self.line -= memchr::memchr_iter(b'\n', &self.text[offset..self.pos]).count();
        }
        self.pos = offset;
        self.line
    }
}

fn attr(e: &BytesStart, key: &str, warn: &mut Option<String>) -> Option<String> {
    for a in e.attributes().with_checks(false).flatten() {
        if a.key.local_name().into_inner() == key {
            return Some(
                match a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                    Ok(v) => v.into_owned(),
                    Err(_) => {
                        *warn = Some(format!(
                            "attribute {key} has an undefined entity; kept as written"
                        ));
                        a.value.into_owned()
                    }
                },
            );
        }
    }
    None
}

fn version_of(ns: &str) -> Option<&str> {
    let v = ns.trim().strip_prefix("http://cyclonedx.org/schema/bom/")?;
    matches!(
        v,
        "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
    )
    .then_some(v)
}

struct State<'f> {
    file: &'f str,
    inv: Inventory,
    refs: HashSet<String>,
    next: usize,
    names: Vec<String>,
    objs: Vec<Obj>,
    /// Element paths for origins, with sibling indices.
    path: Vec<String>,
    counts: Vec<Vec<(String, usize)>>,
    text: String,
}

impl State<'_> {
    fn origin(&self, line: usize) -> Origin {
        Origin::new(self.file, format!("{} (line {line})", self.path.join("/")))
    }

    fn unique_ref(&mut self, given: Option<String>, origin: &Origin) -> String {
        let r = given
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| {
                self.next += 1;
                format!("#{}", self.next)
            });
        if self.refs.insert(r.clone()) {
            return r;
        }
        let mut n = 2;
        loop {
            let alt = format!("{r}~{n}");
            if self.refs.insert(alt.clone()) {
                self.inv.warn(
                    origin.clone(),
                    format!("duplicate bom-ref \"{r}\" renamed \"{alt}\""),
                );
                return alt;
            }
            n += 1;
        }
    }

    fn parent(&self) -> &str {
        self.names.last().map_or("", String::as_str)
    }

    fn in_tools(&self) -> bool {
        self.names.iter().any(|n| n == "tools")
    }

    fn nearest_owner(&self) -> Option<&Obj> {
        self.objs
            .iter()
            .rev()
            .find(|o| matches!(o, Obj::Comp(_) | Obj::Svc(_) | Obj::Metadata))
    }

    fn start(&mut self, e: &BytesStart, line: usize) {
        let name = e.local_name().into_inner().to_string();
        let idx = {
            let level = self.counts.last_mut().expect("root level");
            match level.iter_mut().find(|(n, _)| *n == name) {
                Some((_, c)) => {
                    *c += 1;
                    *c
                }
                None => {
                    level.push((name.clone(), 1));
                    1
                }
            }
        };
        self.path.push(format!("{name}[{idx}]"));
        self.counts.push(Vec::new());
        self.text.clear();
        let mut warn = None;
        let parent = self.parent().to_string();
        let obj = match (name.as_str(), parent.as_str()) {
            ("bom", "") => {
                self.inv.metadata.serial = attr(e, "serialNumber", &mut warn);
                Obj::Bom
            }
            ("metadata", "bom") => Obj::Metadata,
            ("tool", "tools") => Obj::Tool { parts: Vec::new() },
            ("component" | "service", _) if self.in_tools() => Obj::Tool { parts: Vec::new() },
            ("component", "components" | "metadata") => {
                let origin = self.origin(line);
                let r = attr(e, "bom-ref", &mut warn);
                let r = self.unique_ref(r, &origin);
                let kind = attr(e, "type", &mut warn).unwrap_or_else(|| "library".into());
                // `<component><components><component>`: the grand-parent object is the container.
                let parent_ref = match self.objs.len().checked_sub(2).map(|i| &self.objs[i]) {
                    Some(Obj::Comp(p)) if parent == "components" => {
                        Some(self.inv.components[*p].bom_ref.clone())
                    }
                    _ => None,
                };
                if let Some(p) = parent_ref {
                    self.inv.relations.push(Relation {
                        from: p,
                        to: r.clone(),
                        kind: RelationKind::Contains,
                        original: None,
                    });
                }
                if parent == "metadata" {
                    self.inv.metadata.subject = Some(r.clone());
                }
                let mut c = Component::new(r, "", kind, origin);
                c.scope = None;
                self.inv.components.push(c);
                Obj::Comp(self.inv.components.len() - 1)
            }
            ("service", "services") => {
                let origin = self.origin(line);
                let r = attr(e, "bom-ref", &mut warn);
                let r = self.unique_ref(r, &origin);
                self.inv.services.push(Service::new(r, "", origin));
                Obj::Svc(self.inv.services.len() - 1)
            }
            ("supplier" | "manufacturer" | "manufacture" | "provider", _)
                if self.is_owner_top() =>
            {
                let role = match name.as_str() {
                    "supplier" => PartyRole::Supplier,
                    "provider" => PartyRole::Provider,
                    _ => PartyRole::Manufacturer,
                };
                Obj::Org {
                    role,
                    party: Party::default(),
                    origin: self.origin(line),
                }
            }
            ("contact", _) if matches!(self.objs.last(), Some(Obj::Org { .. })) => Obj::Contact {
                name: None,
                email: None,
                author: false,
                origin: self.origin(line),
            },
            ("author", "authors") => Obj::Contact {
                name: None,
                email: None,
                author: true,
                origin: self.origin(line),
            },
            ("reference", "externalReferences") => Obj::ExtRef {
                kind: attr(e, "type", &mut warn).unwrap_or_else(|| "other".into()),
                url: None,
            },
            ("property", "properties") => Obj::Property {
                name: attr(e, "name", &mut warn),
            },
            ("license", "licenses") => Obj::License { value: None },
            ("dependency", "dependencies") => {
                Obj::Dep(attr(e, "ref", &mut warn).unwrap_or_default())
            }
            ("dependency" | "provides", "dependency") => {
                if let (Some(Obj::Dep(from)), Some(to)) =
                    (self.objs.last(), attr(e, "ref", &mut warn))
                {
                    let other = name == "provides";
                    let rel = Relation {
                        from: from.clone(),
                        to,
                        kind: if other {
                            RelationKind::Other
                        } else {
                            RelationKind::DependsOn
                        },
                        original: other.then(|| "provides".to_string()),
                    };
                    self.inv.relations.push(rel);
                }
                Obj::Skip
            }
            _ => Obj::Skip,
        };
        if let Some(w) = warn {
            let o = self.origin(line);
            self.inv.warn(o, w);
        }
        // Skip objects do not change the owner; only named objects are pushed.
        if !matches!(obj, Obj::Skip) {
            self.objs.push(obj);
            self.names.push(name);
        } else {
            self.names.push(name);
            self.objs.push(Obj::Skip);
        }
    }

    fn is_owner_top(&self) -> bool {
        matches!(
            self.objs.last(),
            Some(Obj::Comp(_) | Obj::Svc(_) | Obj::Metadata)
        )
    }

    fn end(&mut self) {
        let text = std::mem::take(&mut self.text).trim().to_string();
        let name = self.names.pop().unwrap_or_default();
        let obj = self.objs.pop().unwrap_or(Obj::Skip);
        self.path.pop();
        self.counts.pop();
        let value = (!text.is_empty()).then(|| text.clone());
        match obj {
            Obj::Skip => self.field(&name, value),
            Obj::Org {
                role,
                party,
                origin,
            } if !party.is_empty() => {
                let p = RoledParty {
                    role,
                    party,
                    origin,
                };
                match self.objs.last() {
                    Some(Obj::Comp(i)) => self.inv.components[*i].parties.push(p),
                    Some(Obj::Svc(i)) => self.inv.services[*i].provider = Some(p),
                    Some(Obj::Metadata) => self.inv.metadata.parties.push(p),
                    _ => {}
                }
            }
            Obj::Contact {
                name: n,
                email,
                author,
                origin,
            } => {
                if author {
                    let party = Party {
                        name: n,
                        urls: Vec::new(),
                        emails: email.into_iter().collect(),
                    };
                    if !party.is_empty() {
                        let p = RoledParty {
                            role: PartyRole::Author,
                            party,
                            origin,
                        };
                        match self.nearest_owner() {
                            Some(Obj::Comp(i)) => {
                                let i = *i;
                                self.inv.components[i].parties.push(p)
                            }
                            Some(Obj::Metadata) => self.inv.metadata.parties.push(p),
                            _ => {}
                        }
                    }
                } else if let Some(Obj::Org { party, .. }) = self.objs.last_mut() {
                    if let Some(e) = email {
                        party.emails.push(e);
                    }
                    if party.name.is_none() {
                        party.name = n;
                    }
                }
            }
            Obj::ExtRef {
                kind,
                url: Some(url),
            } => {
                let r = ExternalRef { kind, url };
                match self.nearest_owner() {
                    Some(Obj::Comp(i)) => {
                        let i = *i;
                        self.inv.components[i].external_refs.push(r)
                    }
                    Some(Obj::Svc(i)) => {
                        let i = *i;
                        self.inv.services[i].external_refs.push(r)
                    }
                    _ => {}
                }
            }
            Obj::Property { name: Some(n) } => {
                let v = value.unwrap_or_default();
                match self.nearest_owner() {
                    Some(Obj::Comp(i)) => {
                        let i = *i;
                        self.inv.components[i].properties.push((n, v))
                    }
                    Some(Obj::Svc(i)) => {
                        let i = *i;
                        self.inv.services[i].properties.push((n, v))
                    }
                    _ => {}
                }
            }
            Obj::License { value: Some(v) } => {
                if let Some(Obj::Comp(i)) = self.nearest_owner() {
                    let i = *i;
                    self.inv.components[i].licenses.push(v);
                }
            }
            Obj::Tool { parts }
                if !parts.is_empty() && self.names.iter().any(|n| n == "metadata") =>
            {
                self.inv.metadata.tools.push(parts.join(" "));
            }
            Obj::Comp(i) if self.inv.components[i].name.is_empty() => {
                let o = self.inv.components[i].origin.clone();
                self.inv.warn(o, "component without a name");
            }
            _ => {}
        }
    }

    /// A leaf element's text, given to the object that owns it.
    fn field(&mut self, name: &str, value: Option<String>) {
        let Some(v) = value else { return };
        let parent = self.parent().to_string();
        if name == "endpoint" && parent == "endpoints" {
            if let Some(Obj::Svc(i)) = self.objs.len().checked_sub(2).map(|i| &self.objs[i]) {
                self.inv.services[*i].endpoints.push(v);
            }
            return;
        }
        match self.objs.last_mut() {
            Some(Obj::Comp(i)) => {
                let c = &mut self.inv.components[*i];
                match name {
                    "name" => c.name = v,
                    "version" => c.version = Some(v),
                    "group" => c.group = Some(v),
                    "purl" => c.purl = Some(v),
                    "cpe" => c.cpe = Some(v),
                    "scope" => c.scope = Some(v),
                    "publisher" | "author" => {
                        let role = if name == "publisher" {
                            PartyRole::Publisher
                        } else {
                            PartyRole::Author
                        };
                        let origin = Origin::new(
                            c.origin.file.clone(),
                            format!("{}/{name}", c.origin.element),
                        );
                        c.parties.push(RoledParty {
                            role,
                            party: Party {
                                name: Some(v),
                                ..Party::default()
                            },
                            origin,
                        });
                    }
                    _ => {}
                }
            }
            Some(Obj::Svc(i)) => {
                let s = &mut self.inv.services[*i];
                match (name, parent.as_str()) {
                    ("name", _) => s.name = v,
                    ("version", _) => s.version = Some(v),
                    ("group", _) => s.group = Some(v),
                    ("x-trust-boundary", _) => s.trust_boundary = Some(v == "true"),
                    ("trustZone", _) => s.trust_boundary = s.trust_boundary.or(Some(true)),
                    _ => {}
                }
            }
            Some(Obj::Org { party, .. }) => match name {
                "name" => party.name = Some(v),
                "url" => party.urls.push(v),
                "email" => party.emails.push(v),
                _ => {}
            },
            Some(Obj::Contact { name: n, email, .. }) => match name {
                "name" => *n = Some(v),
                "email" => *email = Some(v),
                _ => {}
            },
            Some(Obj::ExtRef { url, .. }) if name == "url" => *url = Some(v),
            Some(Obj::License { value }) if matches!(name, "id" | "name") && value.is_none() => {
                *value = Some(v)
            }
            Some(Obj::Tool { parts }) if matches!(name, "vendor" | "name" | "version") => {
                parts.push(v)
            }
            Some(Obj::Metadata) if name == "timestamp" => self.inv.metadata.timestamp = Some(v),
            _ if name == "expression" && parent == "licenses" => {
                if let Some(Obj::Comp(i)) = self.nearest_owner() {
                    let i = *i;
                    self.inv.components[i].licenses.push(v);
                }
            }
            _ => {}
        }
    }
}

/// Read a CycloneDX XML document.
pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ReadError::new(file, "XML is not valid UTF-8")
            .at(ReadError::line_col(bytes, e.valid_up_to()))
    })?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut lines = Lines {
        text: bytes,
        pos: 0,
        line: 1,
    };
    let mut st = State {
        file,
        inv: Inventory::new(Format {
            standard: "cyclonedx".into(),
            version: String::new(),
            encoding: Encoding::Xml,
        }),
        refs: HashSet::new(),
        next: 0,
        names: Vec::new(),
        objs: Vec::new(),
        path: Vec::new(),
        counts: vec![Vec::new()],
        text: String::new(),
    };
    let mut undefined_entity = false;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader.read_event().map_err(|e| {
            let at = reader.error_position() as usize;
            ReadError::new(file, format!("malformed XML: {e}")).at(ReadError::line_col(bytes, at))
        })?;
        match ev {
            Event::DocType(d) if d.xml10_content().contains("<!ENTITY") => {
                return Err(ReadError::new(
                    file,
                    "DTD entity declarations are not allowed (entities are never expanded)",
                )
                .at(ReadError::line_col(bytes, before)));
            }
            Event::Start(e) => {
                let line = lines.at(before);
                if st.names.is_empty() {
                    root(&mut st, &e, file, bytes, before)?;
                }
                st.start(&e, line);
            }
            Event::Empty(e) => {
                let line = lines.at(before);
                if st.names.is_empty() {
                    root(&mut st, &e, file, bytes, before)?;
                }
                st.start(&e, line);
                st.end();
            }
            Event::End(_) => st.end(),
            Event::Text(t) => st.text.push_str(&t.xml10_content()),
            Event::CData(c) => st.text.push_str(&c.into_inner()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => st.text.push(c),
                    Ok(None) => match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(s) => st.text.push_str(s),
                        None => {
                            undefined_entity = true;
                            st.text.push('&');
                            st.text.push_str(&name);
                            st.text.push(';');
                        }
                    },
                    Err(_) => undefined_entity = true,
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if st.inv.format.version.is_empty() {
        return Err(ReadError::new(file, "no <bom> element")
            .supported(format!("CycloneDX XML {}", super::SUPPORTED_JSON_VERSIONS)));
    }
    if undefined_entity {
        st.inv.warn(
            Origin::new(file, ""),
            "undefined entity references were kept as written, not expanded",
        );
    }
    if matches!(st.inv.format.version.as_str(), "1.0" | "1.1") {
        st.inv.diagnostics.push(crate::model::Diagnostic {
            level: Level::Info,
            origin: Origin::new(file, ""),
            message: format!(
                "CycloneDX {} predates the supported range (1.2-1.7); read as far as it goes",
                st.inv.format.version
            ),
        });
    }
    Ok(st.inv)
}

fn root(
    st: &mut State,
    e: &BytesStart,
    file: &str,
    bytes: &[u8],
    at: usize,
) -> Result<(), ReadError> {
    let name = e.local_name().into_inner().to_string();
    let mut warn = None;
    let ns = attr(e, "xmlns", &mut warn).unwrap_or_default();
    if name != "bom" {
        return Err(
            ReadError::new(file, format!("root element is <{name}>, expected <bom>"))
                .at(ReadError::line_col(bytes, at)),
        );
    }
    match version_of(&ns) {
        Some(v) => st.inv.format.version = v.to_string(),
        None => {
            return Err(
                ReadError::new(file, format!("unsupported CycloneDX namespace \"{ns}\""))
                    .at(ReadError::line_col(bytes, at))
                    .supported(format!("CycloneDX XML {}", super::SUPPORTED_JSON_VERSIONS)),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:1" version="1">
  <metadata>
    <timestamp>2026-01-01T00:00:00Z</timestamp>
    <tools><components><component type="application"><name>cyclonedx-py</name><version>4.0</version></component></components></tools>
    <component type="application" bom-ref="app"><name>app</name></component>
    <manufacturer><name>Atlas &amp; Co</name></manufacturer>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:pypi/boto3@1.35.0">
      <supplier><name>Amazon Web Services</name><url>https://aws.amazon.com</url><contact><email>aws@amazon.com</email></contact></supplier>
      <name>boto3</name><version>1.35.0</version>
      <licenses><license><id>Apache-2.0</id></license></licenses>
      <purl>pkg:pypi/boto3@1.35.0</purl>
      <externalReferences><reference type="website"><url>https://aws.amazon.com/sdk-for-python/</url></reference></externalReferences>
      <properties><property name="cdx:python:package:source">pypi</property></properties>
      <components>
        <component type="library"><name>inner&#x41;</name><authors><author><name>Jane</name></author></authors></component>
      </components>
    </component>
    <component type="device"><name>PowerEdge</name><manufacture><name>Dell Inc.</name></manufacture></component>
  </components>
  <services>
    <service bom-ref="kms"><provider><name>Amazon Web Services, Inc.</name></provider><name>KMS</name>
      <endpoints><endpoint>https://kms.eu-west-1.amazonaws.com</endpoint></endpoints><trustZone>external</trustZone></service>
  </services>
  <dependencies>
    <dependency ref="app"><dependency ref="pkg:pypi/boto3@1.35.0"/></dependency>
  </dependencies>
</bom>"#;

    #[test]
    fn reads_everything_we_use() {
        let inv = read("b.xml", DOC.as_bytes()).unwrap();
        assert_eq!(inv.format.to_string(), "cyclonedx-1.6+xml");
        assert_eq!(inv.metadata.tools, ["cyclonedx-py 4.0"]);
        assert_eq!(inv.metadata.subject.as_deref(), Some("app"));
        assert_eq!(
            inv.metadata.parties[0].party.name.as_deref(),
            Some("Atlas & Co")
        );
        let names: Vec<&str> = inv.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["app", "boto3", "innerA", "PowerEdge"]);
        let b = &inv.components[1];
        assert_eq!(b.parties[0].party.emails, ["aws@amazon.com"]);
        assert_eq!(b.parties[0].party.urls, ["https://aws.amazon.com"]);
        assert_eq!(b.licenses, ["Apache-2.0"]);
        assert_eq!(b.external_refs[0].kind, "website");
        assert_eq!(b.properties[0].1, "pypi");
        assert!(
            b.origin.element.contains("(line 10)"),
            "{}",
            b.origin.element
        );
        assert_eq!(inv.components[2].parties[0].role, PartyRole::Author);
        assert!(
            inv.relations
                .iter()
                .any(|r| r.kind == RelationKind::Contains && r.from == b.bom_ref)
        );
        assert_eq!(inv.components[3].parties[0].role, PartyRole::Manufacturer);
        assert_eq!(
            inv.services[0]
                .provider
                .as_ref()
                .unwrap()
                .party
                .name
                .as_deref(),
            Some("Amazon Web Services, Inc.")
        );
        assert_eq!(inv.services[0].endpoints.len(), 1);
        assert!(
            inv.relations
                .iter()
                .any(|r| r.from == "app" && r.kind == RelationKind::DependsOn)
        );
        assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
    }

    #[test]
    fn entity_declarations_are_refused() {
        let doc = r#"<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x "boom">]><bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component type="library"><name>&x;</name></component></components></bom>"#;
        let e = read("x.xml", doc.as_bytes()).unwrap_err();
        assert!(e.message.contains("entity"), "{e}");
    }

    #[test]
    fn undefined_entities_are_kept_literally() {
        let doc = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><components><component type="library"><name>a&x;</name></component></components></bom>"#;
        let inv = read("x.xml", doc.as_bytes()).unwrap();
        assert_eq!(inv.components[0].name, "a&x;");
        assert_eq!(inv.diagnostics.len(), 1);
    }

    #[test]
    fn errors_have_positions_and_versions() {
        let e = read(
            "x.xml",
            b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<components></bom>",
        )
        .unwrap_err();
        assert!(e.position.as_deref().unwrap().starts_with("line 2"), "{e}");
        let e = read(
            "x.xml",
            b"<bom xmlns=\"http://cyclonedx.org/schema/bom/9.9\"/>",
        )
        .unwrap_err();
        assert!(e.supported.is_some());
    }
}
