//! CycloneDX XML validation (`coquille validate`) against the rules of the version's XSD that
//! decide whether a document means what it says, for 1.0–1.7:
//!
//! - the simple types, read from the specification's own XSD embedded at build time: every
//!   enumeration and pattern of the attributes and texts listed in `TYPED` (component types,
//!   scopes, hash algorithms and values, licence ids from `spdx.xsd`, serial numbers, data flows…);
//! - the structural rules a reader depends on: the namespace, required attributes and children
//!   (a component's type and name, a dependency's ref, a licence's id or name, a SWID tag id,
//!   a property's name), `bom-ref` values unique and non-empty, licence choices not mixed,
//!   `version` and `versionRange` not both, at most one `attributedTo`/`process` in a citation
//!   and not both pointers and expressions, and no element the version does not declare.
//!
//! Content models (element order, every occurrence bound) are not checked: no Rust crate
//! validates XSD without binding libxml2, and the rules above are the ones the
//! specification's own invalid documents exercise.

use super::super::schema::{self, Problem, Validation};
use crate::ingest::ReadError;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::{NsReader, Reader};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, OnceLock};

const NAMESPACE: &str = "http://cyclonedx.org/schema/bom/";
const DEPENDENCY_GRAPH: &str = "http://cyclonedx.org/schema/ext/dependency-graph/";
/// Deepest element nesting checked; the lenient reader's own limits apply first.
const MAX_DEPTH: usize = 1000;

/// Attributes (`element@attribute`) and element texts (`element`, `parent/element`) whose
/// values must be of an XSD simple type, by the type's name. `spdx:licenseId` is the type of
/// `spdx.xsd`.
const TYPED: &[(&str, &str)] = &[
    ("bom@serialNumber", "urnUuid"),
    ("component@type", "classification"),
    ("component/scope", "scope"),
    ("hash@alg", "hashAlg"),
    ("hash", "hashValue"),
    ("license/id", "spdx:licenseId"),
    ("text@encoding", "encoding"),
    ("attachment@encoding", "encoding"),
    ("text@content-type", "mimeType"),
    ("patch@type", "patchClassification"),
    ("issue@type", "issueClassification"),
    ("classification@flow", "dataFlowType"),
    ("reference@type", "externalReferenceType"),
    ("composition/aggregate", "aggregateType"),
    (
        "license@acknowledgement",
        "licenseAcknowledgementEnumerationType",
    ),
    (
        "expression@acknowledgement",
        "licenseAcknowledgementEnumerationType",
    ),
    ("lifecycle/phase", "lifecyclePhaseType"),
    ("rating/severity", "severityType"),
    ("rating/method", "scoreSourceType"),
    ("analysis/state", "impactAnalysisStateType"),
    ("analysis/justification", "impactAnalysisJustificationType"),
    ("responses/response", "impactAnalysisResponsesType"),
];

/// One XSD simple type: its enumeration (empty: any) and patterns (all must match).
#[derive(Debug, Default)]
struct SimpleType {
    values: BTreeSet<String>,
    patterns: Vec<Regex>,
    min_length: Option<usize>,
}

/// What a version's XSD declares.
#[derive(Debug, Default)]
struct Xsd {
    types: BTreeMap<String, SimpleType>,
    elements: BTreeSet<String>,
}

/// An XSD pattern as an anchored Rust regex; `None` when it uses what Rust regexes lack.
fn xsd_regex(p: &str) -> Option<Regex> {
    Regex::new(&format!("^(?:{p})$")).ok()
}

fn attr(e: &quick_xml::events::BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Read the simple types and element names of an XSD's text (`prefix` is put before the
/// type names, `spdx:` for spdx.xsd).
fn read_xsd(text: &str, prefix: &str, into: &mut Xsd) {
    let mut r = Reader::from_str(text);
    let mut current: Option<String> = None;
    loop {
        let e = match r.read_event() {
            Ok(Event::Eof) | Err(_) => break,
            Ok(e) => e,
        };
        match &e {
            Event::Start(s) | Event::Empty(s) => {
                let local = s.local_name().into_inner();
                match local {
                    "simpleType" => {
                        current = attr(s, "name").map(|n| format!("{prefix}{n}"));
                        if let Some(n) = &current {
                            into.types.entry(n.clone()).or_default();
                        }
                    }
                    "element" => {
                        if let Some(n) = attr(s, "name") {
                            into.elements.insert(n);
                        }
                    }
                    "enumeration" | "pattern" | "minLength" => {
                        let (Some(t), Some(v)) = (&current, attr(s, "value")) else {
                            continue;
                        };
                        let st = into.types.entry(t.clone()).or_default();
                        match local {
                            "enumeration" => {
                                st.values.insert(v);
                            }
                            "pattern" => st.patterns.extend(xsd_regex(&v)),
                            _ => st.min_length = v.parse().ok(),
                        }
                    }
                    _ => {}
                }
            }
            Event::End(end) if end.local_name().into_inner() == "simpleType" => current = None,
            _ => {}
        }
    }
}

/// A version's XSD rules, read once from the embedded files.
fn xsd(version: &str) -> Option<Arc<Xsd>> {
    static CACHE: OnceLock<Mutex<BTreeMap<String, Arc<Xsd>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(x) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(version) {
        return Some(x.clone());
    }
    let text = schema::embedded_file(&format!("bom-{version}.xsd"))?;
    let mut x = Xsd::default();
    read_xsd(&text, "", &mut x);
    if let Some(spdx) = schema::embedded_file("spdx.xsd") {
        read_xsd(&spdx, "spdx:", &mut x);
    }
    let x = Arc::new(x);
    cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(version.to_string(), x.clone());
    Some(x)
}

/// One element of the document.
struct Node {
    name: String,
    /// In a CycloneDX namespace (extensions in other namespaces are left alone).
    cdx: bool,
    /// In the dependency-graph extension of CycloneDX 1.1, whose `dependency` needs a `ref`.
    depgraph: bool,
    attrs: Vec<(String, String)>,
    text: String,
    children: Vec<usize>,
    parent: Option<usize>,
    pos: usize,
}

impl Node {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The document as a tree, and the namespace of its root. The lenient reader has already
/// refused DTDs, undeclared entities and malformed XML.
fn tree(text: &[u8]) -> Result<(Vec<Node>, String), String> {
    let mut r = NsReader::from_reader(text);
    r.config_mut().trim_text(false);
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut root_ns = String::new();
    loop {
        let pos = r.buffer_position() as usize;
        let (ns, ev) = r
            .read_resolved_event()
            .map_err(|e| format!("invalid XML: {e}"))?;
        let ns = match ns {
            ResolveResult::Bound(n) => n.as_ref().to_string(),
            _ => String::new(),
        };
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("elements nested deeper than {}", MAX_DEPTH));
                }
                let attrs = s
                    .attributes()
                    .flatten()
                    .filter(|a| {
                        a.key.prefix().is_none() && a.key.local_name().into_inner() != "xmlns"
                    })
                    .map(|a| {
                        let v = a
                            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .map(|v| v.into_owned())
                            .unwrap_or_default();
                        (a.key.local_name().into_inner().to_string(), v)
                    })
                    .collect();
                if nodes.is_empty() {
                    root_ns = ns.clone();
                }
                let id = nodes.len();
                nodes.push(Node {
                    name: s.local_name().into_inner().to_string(),
                    cdx: ns.starts_with(NAMESPACE),
                    depgraph: ns.starts_with(DEPENDENCY_GRAPH),
                    attrs,
                    text: String::new(),
                    children: Vec::new(),
                    parent: stack.last().copied(),
                    pos,
                });
                if let Some(&p) = stack.last() {
                    nodes[p].children.push(id);
                }
                if matches!(ev, Event::Start(_)) {
                    stack.push(id);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Text(t) => {
                if let Some(&p) = stack.last() {
                    nodes[p].text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(&p) = stack.last() {
                    nodes[p].text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                if let Some(&p) = stack.last() {
                    let c = g
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .or_else(|| super::xml::predefined(g.as_ref()));
                    nodes[p].text.extend(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((nodes, root_ns))
}

/// Collects problems with their positions.
struct Check<'a> {
    version: &'a str,
    /// Byte offset of each line's start.
    lines: Vec<usize>,
    text: &'a [u8],
    nodes: &'a [Node],
    xsd: &'a Xsd,
    problems: Vec<Problem>,
}

impl Check<'_> {
    /// `/bom/components/component[2]/name`: the element's path, positions counted among
    /// siblings of the same name.
    fn path(&self, mut id: usize) -> String {
        let mut parts = Vec::new();
        loop {
            let n = &self.nodes[id];
            let Some(p) = n.parent else {
                parts.push(n.name.clone());
                break;
            };
            let same: Vec<usize> = self.nodes[p]
                .children
                .iter()
                .copied()
                .filter(|&c| self.nodes[c].name == n.name)
                .collect();
            if same.len() > 1 {
                let i = same.iter().position(|&c| c == id).unwrap_or(0) + 1;
                parts.push(format!("{}[{i}]", n.name));
            } else {
                parts.push(n.name.clone());
            }
            id = p;
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    fn problem(&mut self, id: usize, message: String) {
        let pos = self.nodes[id].pos.min(self.text.len());
        let line = self.lines.partition_point(|&start| start <= pos);
        let start = self.lines[line - 1];
        let column = String::from_utf8_lossy(&self.text[start..pos])
            .chars()
            .count()
            + 1;
        let (line, column) = (line as u64, column as u64);
        let pointer = self.path(id);
        self.problems.push(Problem {
            pointer,
            line: Some(line),
            column: Some(column),
            message,
        });
    }

    fn children<'n>(&'n self, id: usize, name: &'n str) -> impl Iterator<Item = usize> + 'n {
        self.nodes[id]
            .children
            .iter()
            .copied()
            .filter(move |&c| self.nodes[c].cdx && self.nodes[c].name == name)
    }

    fn count(&self, id: usize, name: &str) -> usize {
        self.children(id, name).count()
    }

    /// Is `value` of the simple type `ty`? The message says what it is not.
    fn typed(&self, ty: &str, value: &str) -> Result<(), String> {
        let Some(st) = self.xsd.types.get(ty) else {
            return Ok(());
        };
        if !st.values.is_empty() && !st.values.contains(value) {
            let mut allowed: Vec<&str> = st.values.iter().map(String::as_str).take(12).collect();
            if st.values.len() > 12 {
                allowed.push("…");
            }
            return Err(format!("\"{value}\" is not one of {}", allowed.join(", ")));
        }
        if let Some(p) = st.patterns.iter().find(|p| !p.is_match(value)) {
            return Err(format!("\"{value}\" does not match {}", p.as_str()));
        }
        if st.min_length.is_some_and(|m| value.chars().count() < m) {
            return Err("is empty".into());
        }
        Ok(())
    }

    fn element(&mut self, id: usize) {
        let n = &self.nodes[id];
        if n.depgraph && n.name == "dependency" && n.attr("ref").is_none_or(|r| r.trim().is_empty())
        {
            self.problem(id, "a dependency needs a non-empty ref attribute".into());
        }
        if !n.cdx {
            return;
        }
        let name = n.name.clone();
        let parent = n.parent.map(|p| self.nodes[p].name.clone());
        if !self.xsd.elements.contains(&name) {
            self.problem(id, format!("<{name}> is not an element of this version"));
        }
        // Typed attributes and texts.
        let attrs = n.attrs.clone();
        for (a, v) in &attrs {
            let key = format!("{name}@{a}");
            if let Some((_, ty)) = TYPED.iter().find(|(k, _)| *k == key)
                && let Err(m) = self.typed(ty, v.trim())
            {
                self.problem(id, format!("attribute {a}: {m}"));
            }
        }
        let text = n.text.trim().to_string();
        let keys = [
            name.clone(),
            format!("{}/{name}", parent.as_deref().unwrap_or("")),
        ];
        if let Some((_, ty)) = TYPED.iter().find(|(k, _)| keys.iter().any(|x| x == k))
            && let Err(m) = self.typed(ty, &text)
        {
            self.problem(id, m);
        }
        // Structural rules.
        match name.as_str() {
            "component" => {
                if n.attr("type").is_none() {
                    self.problem(id, "a component needs a type attribute".into());
                }
                if self.count(id, "name") == 0 {
                    self.problem(id, "a component needs a <name>".into());
                }
                if self.count(id, "version") > 0 && self.count(id, "versionRange") > 0 {
                    self.problem(
                        id,
                        "a component has a <version> or a <versionRange>, not both".into(),
                    );
                }
            }
            "license" if parent.as_deref() == Some("licenses") => {
                let ids = self.count(id, "id") + self.count(id, "name");
                if ids != 1 {
                    self.problem(
                        id,
                        format!("a license has exactly one <id> or <name> ({ids} here)"),
                    );
                }
            }
            // 1.7 lets declared licences and a concluded expression sit side by side.
            "licenses" if self.version != "1.7" => {
                let licences = self.count(id, "license");
                let expressions = self.count(id, "expression");
                if expressions > 1 || (expressions == 1 && licences > 0) {
                    self.problem(
                        id,
                        format!("licenses holds either <license> elements or one <expression> ({licences} licence(s) and {expressions} expression(s) here)"),
                    );
                }
            }
            "dependency" if n.attr("ref").is_none_or(|r| r.trim().is_empty()) => {
                self.problem(id, "a dependency needs a non-empty ref attribute".into());
            }
            "swid" => {
                for a in ["tagId", "name"] {
                    if n.attr(a).is_none() {
                        self.problem(id, format!("a swid tag needs a {a} attribute"));
                    }
                }
            }
            "property" if n.attr("name").is_none() => {
                self.problem(id, "a property needs a name attribute".into());
            }
            "citation" => {
                for one in ["attributedTo", "process"] {
                    let k = self.count(id, one);
                    if k > 1 {
                        self.problem(id, format!("a citation has at most one <{one}> ({k} here)"));
                    }
                }
                if self.count(id, "pointers") > 0 && self.count(id, "expressions") > 0 {
                    self.problem(
                        id,
                        "a citation has <pointers> or <expressions>, not both".into(),
                    );
                }
            }
            "timestamp" if parent.as_deref() == Some("metadata") && !is_date_time(&text) => {
                self.problem(id, format!("\"{text}\" is not an xs:dateTime"));
            }
            _ => {}
        }
    }

    /// `bom-ref` values: non-empty and unique in the document.
    fn refs(&mut self) {
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for id in 0..self.nodes.len() {
            let Some(r) = self.nodes[id].attr("bom-ref").map(str::to_string) else {
                continue;
            };
            if r.is_empty() {
                self.problem(id, "bom-ref is empty".into());
            } else if let Some(first) = seen.insert(r.clone(), id) {
                let at = self.path(first);
                self.problem(id, format!("bom-ref \"{r}\" is also the bom-ref of {at}"));
            }
        }
    }
}

/// xs:dateTime: `2024-01-31T12:00:00`, optional fraction and zone.
fn is_date_time(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$")
            .expect("valid regex")
    })
    .is_match(s)
}

/// Validate a CycloneDX XML document (its bytes, already decompressed).
pub fn validate(file: &str, text: &[u8]) -> Result<Validation, String> {
    // The lenient reader refuses DTDs, undeclared entities and broken XML, with positions.
    if let Err(e) = super::xml::read(file, text) {
        return Ok(Validation {
            against: "XML".into(),
            problems: vec![reader_problem(&e)],
            more: 0,
        });
    }
    check(file, text)
}

/// The XSD rules on a document the lenient reader has already read (`--strict` calls this
/// after reading, so the document is not read twice).
pub fn check(file: &str, text: &[u8]) -> Result<Validation, String> {
    let utf8 = super::xml::utf8(file, text).map_err(|e| e.to_string())?;
    let text: &[u8] = &utf8;
    let (nodes, ns) = tree(text)?;
    let version = ns.strip_prefix(NAMESPACE).unwrap_or("");
    let Some(xsd) = matches!(
        version,
        "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
    )
    .then(|| xsd(version))
    .flatten() else {
        if !schema::available() {
            return Err(schema::Unchecked::NotEmbedded("bom XSD".into()).to_string());
        }
        return Ok(Validation {
            against: "CycloneDX XML namespaces".into(),
            problems: vec![Problem {
                pointer: "/bom".into(),
                line: None,
                column: None,
                message: format!(
                    "namespace \"{}\" is not a CycloneDX namespace ({NAMESPACE}1.0 to 1.7)",
                    crate::render::escape::terminal(&ns)
                ),
            }],
            more: 0,
        });
    };
    let lines = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', text).map(|i| i + 1))
        .collect();
    let mut check = Check {
        version,
        lines,
        text,
        nodes: &nodes,
        xsd: &xsd,
        problems: Vec::new(),
    };
    for id in 0..nodes.len() {
        check.element(id);
    }
    check.refs();
    let mut problems = check.problems;
    problems.sort_by_key(|p| (p.line, p.column));
    let more = problems.len().saturating_sub(schema::MAX_PROBLEMS);
    problems.truncate(schema::MAX_PROBLEMS);
    Ok(Validation {
        against: format!("CycloneDX {version} XSD rules"),
        problems,
        more,
    })
}

/// A reader's error as a problem with its position.
pub fn reader_problem(e: &ReadError) -> Problem {
    let (line, column) = e
        .position
        .as_deref()
        .and_then(|s| {
            let (l, c) = s.strip_prefix("line ")?.split_once(", column ")?;
            Some((l.trim().parse().ok()?, c.trim().parse().ok()?))
        })
        .map_or((None, None), |(l, c)| (Some(l), Some(c)));
    Problem {
        pointer: String::new(),
        line,
        column,
        message: e.message.clone(),
    }
}
