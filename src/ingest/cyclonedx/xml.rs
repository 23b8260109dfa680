//! CycloneDX XML reader, 1.0 to 1.7, in one streaming pass over quick-xml
//! events (no DOM): memory stays proportional to the inventory, not the text.
//!
//! Safety against hostile bids: a document type declaration that declares
//! entities is refused outright, and no entity other than the five predefined
//! ones and numeric character references is ever expanded (an unknown `&x;`
//! is kept as written, with a warning). Elements outside the CycloneDX
//! namespace are legal extensions and are skipped; so are CycloneDX elements
//! coquille does not use.
//!
//! Every component, service and party records where it was read, as an XPath
//! with its line: `/bom/components/component[3]/supplier (line 42)`.

use crate::ingest::ReadError;
use crate::ingest::refs::RefSet;
use crate::model::{
    Component, Encoding, ExternalRef, Format, Inventory, Origin, Party, PartyRole, RelationKind,
    RoledParty, Service,
};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// Every CycloneDX XML namespace is this followed by the version (`1.6`).
const NAMESPACE: &str = "http://cyclonedx.org/schema/bom/";

/// What the error for an unsupported version names as supported.
pub const SUPPORTED_XML_VERSIONS: &str =
    "CycloneDX XML 1.2-1.7 (1.0 and 1.1 are read on a best-effort basis)";

/// Components or services nested deeper than this are skipped with a warning
/// (real documents nest a handful of levels; this bounds the recursion).
const MAX_NESTING: usize = 64;

/// The encoding an XML declaration names (`encoding="…"`), lowercased, if any.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let decl = head.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>")?;
    let decl = String::from_utf8_lossy(&decl[..end]).to_ascii_lowercase();
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next()?;
    let value = rest[1..].split(quote).next()?;
    Some(value.trim().to_string())
}

/// The document as UTF-8: UTF-8 is checked (an invalid byte is an error at its line and
/// column), ISO-8859-1 is transcoded, other encodings are refused by name.
pub fn utf8<'a>(file: &str, bytes: &'a [u8]) -> Result<std::borrow::Cow<'a, [u8]>, ReadError> {
    match declared_encoding(bytes).as_deref() {
        None | Some("utf-8" | "utf8" | "us-ascii" | "ascii") => {}
        Some(enc @ ("iso-8859-1" | "latin1" | "latin-1" | "iso8859-1")) => {
            // Every byte is the code point of the same number; the declaration is rewritten
            // so that the reader takes the result as UTF-8.
            let text: String = bytes.iter().map(|&b| b as char).collect();
            let (decl, rest) = text.split_at(text.find("?>").unwrap_or(0));
            let decl = decl.to_ascii_lowercase().replacen(enc, "utf-8", 1);
            return Ok(std::borrow::Cow::Owned(
                format!("{decl}{rest}").into_bytes(),
            ));
        }
        Some(other) => {
            return Err(ReadError::new(
                file,
                format!(
                    "encoding \"{}\" is not read",
                    crate::render::escape::terminal(other)
                ),
            )
            .at("line 1, column 1")
            .supported("UTF-8 (the encoding CycloneDX XML documents use) and ISO-8859-1"));
        }
    }
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(ReadError::new(
            file,
            "text is not valid UTF-8 (the declared or default encoding)",
        )
        .at(ReadError::line_col(bytes, e.valid_up_to())));
    }
    Ok(std::borrow::Cow::Borrowed(bytes))
}

/// Read a CycloneDX XML document.
pub fn read(file: &str, bytes: &[u8]) -> Result<Inventory, ReadError> {
    let text = utf8(file, bytes)?;
    let bytes: &[u8] = &text;
    let mut r = NsReader::from_reader(bytes);
    // Keep whitespace text: the position before each event is then exactly
    // where its markup starts, which gives exact line numbers.
    r.config_mut().trim_text(false);
    let mut p = Parser {
        file,
        src: bytes,
        r,
        lines: Lines { pos: 0, line: 1 },
        inv: Inventory::new(Format {
            standard: "cyclonedx".into(),
            version: String::new(),
            encoding: Encoding::Xml,
        }),
        refs: RefSet::default(),
        nesting: 0,
        path: String::with_capacity(128),
    };
    p.document()?;
    Ok(p.inv)
}

/// A start tag in the CycloneDX namespace, with where it begins.
struct El<'a> {
    start: BytesStart<'a>,
    empty: bool,
    pos: usize,
}

impl El<'_> {
    fn name(&self) -> &str {
        self.start.local_name().into_inner()
    }
}

/// Incremental line counting: positions are asked for in document order, so
/// the whole document is scanned for newlines once.
struct Lines {
    pos: usize,
    line: usize,
}

impl Lines {
    fn at(&mut self, src: &[u8], pos: usize) -> usize {
        let pos = pos.min(src.len());
        if pos < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        self.line += memchr::memchr_iter(b'\n', &src[self.pos..pos]).count();
        self.pos = pos;
        self.line
    }
}

/// One event, its start position and whether it is in a CycloneDX namespace.
struct Ev<'a> {
    pos: usize,
    cdx: bool,
    event: Event<'a>,
}

struct Parser<'a> {
    file: &'a str,
    src: &'a [u8],
    r: NsReader<&'a [u8]>,
    lines: Lines,
    inv: Inventory,
    refs: RefSet,
    /// Current depth of nested components or services.
    nesting: usize,
    /// XPath of the element being read, e.g. `/bom/components/component[3]`.
    path: String,
}

impl<'a> Parser<'a> {
    // ----- events -------------------------------------------------------

    fn xml_error(&self, e: &quick_xml::Error) -> ReadError {
        let at = self.r.error_position() as usize;
        ReadError::new(self.file, format!("invalid XML: {e}")).at(ReadError::line_col(self.src, at))
    }

    fn error_at(&self, pos: usize, message: impl Into<String>) -> ReadError {
        ReadError::new(self.file, message).at(ReadError::line_col(self.src, pos))
    }

    /// The next event. A document type declaration with entity declarations is an error.
    fn event(&mut self) -> Result<Ev<'a>, ReadError> {
        let pos = self.r.buffer_position() as usize;
        let (ns, event) = match self.r.read_resolved_event() {
            Ok((ns, ev)) => {
                let cdx = matches!(ns, ResolveResult::Bound(n) if n.0.starts_with(NAMESPACE));
                (cdx, ev)
            }
            Err(e) => return Err(self.xml_error(&e)),
        };
        // No DTD, internal or external: a bidder's document cannot declare entities or make
        // a reader fetch anything.
        if let Event::DocType(_) = &event {
            return Err(self
                .error_at(pos, "DTD/entity declarations are not allowed")
                .supported("CycloneDX XML without a <!DOCTYPE> (the schema needs none)"));
        }
        Ok(Ev {
            pos,
            cdx: ns,
            event,
        })
    }

    /// Skip the rest of an element whose start tag has been read.
    fn skip_open(&mut self) -> Result<(), ReadError> {
        let mut depth = 1usize;
        loop {
            let ev = self.event()?;
            match ev.event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                Event::Eof => return Err(self.error_at(ev.pos, "unexpected end of document")),
                _ => {}
            }
        }
    }

    fn skip(&mut self, el: &El) -> Result<(), ReadError> {
        if el.empty { Ok(()) } else { self.skip_open() }
    }

    /// The next child element (in the CycloneDX namespace) of the element
    /// being read, or `None` at its end tag. Text, comments, processing
    /// instructions and elements of other namespaces are passed over.
    fn child(&mut self) -> Result<Option<El<'a>>, ReadError> {
        loop {
            let ev = self.event()?;
            match ev.event {
                Event::Start(start) => {
                    if ev.cdx {
                        return Ok(Some(El {
                            start,
                            empty: false,
                            pos: ev.pos,
                        }));
                    }
                    self.skip_open()?;
                }
                Event::Empty(start) if ev.cdx => {
                    return Ok(Some(El {
                        start,
                        empty: true,
                        pos: ev.pos,
                    }));
                }
                Event::End(_) => return Ok(None),
                Event::Eof => return Err(self.error_at(ev.pos, "unexpected end of document")),
                _ => {}
            }
        }
    }

    /// The children of `el`, or nothing when it is empty.
    fn first_child(&mut self, el: &El) -> Result<Option<El<'a>>, ReadError> {
        if el.empty { Ok(None) } else { self.child() }
    }

    /// The text content of an element, trimmed: predefined entities and
    /// character references resolved, unknown entities kept as written,
    /// CDATA taken as is, child elements ignored.
    fn text(&mut self, el: &El) -> Result<String, ReadError> {
        let mut out = String::new();
        if el.empty {
            return Ok(out);
        }
        loop {
            let ev = self.event()?;
            match ev.event {
                Event::Text(t) => out.push_str(&t.xml10_content()),
                Event::CData(t) => out.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => match r.resolve_char_ref() {
                    Ok(Some(c)) => out.push(c),
                    Ok(None) => match predefined(&r) {
                        Some(c) => out.push(c),
                        None => {
                            return Err(self
                                .error_at(
                                    ev.pos,
                                    format!(
                                        "undeclared entity &{}; (entities are never expanded)",
                                        crate::render::escape::terminal(&r)
                                    ),
                                )
                                .supported(
                                    "the five predefined entities and character references",
                                ));
                        }
                    },
                    Err(_) => {
                        return Err(self.error_at(
                            ev.pos,
                            format!(
                                "invalid character reference &{}; (not an XML 1.0 character)",
                                crate::render::escape::terminal(&r)
                            ),
                        ));
                    }
                },
                Event::Start(_) => self.skip_open()?,
                Event::End(_) => break,
                Event::Eof => return Err(self.error_at(ev.pos, "unexpected end of document")),
                _ => {}
            }
        }
        let trimmed = out.trim();
        if trimmed.len() != out.len() {
            out = trimmed.to_string();
        }
        Ok(out)
    }

    /// Text, or `None` when blank.
    fn opt_text(&mut self, el: &El) -> Result<Option<String>, ReadError> {
        let t = self.text(el)?;
        Ok((!t.is_empty()).then_some(t))
    }

    /// An unprefixed attribute's value, with predefined entities and
    /// character references resolved; other entities stay as written.
    fn attr(&mut self, el: &El, name: &str) -> Option<String> {
        let mut found = None;
        let mut bad = false;
        for a in el.start.attributes().with_checks(false) {
            match a {
                Ok(a) if a.key.prefix().is_none() && a.key.local_name().into_inner() == name => {
                    let v = match a.normalized_value(XmlVersion::Implicit1_0) {
                        Ok(v) => v.into_owned(),
                        Err(_) => {
                            bad = true;
                            a.value.into_owned()
                        }
                    };
                    found = Some(v.trim().to_string());
                    break;
                }
                Ok(_) => {}
                Err(_) => {
                    bad = true;
                    break;
                }
            }
        }
        if bad {
            let o = self.origin_here(el.pos);
            self.inv.warn(
                o,
                format!(
                    "attribute \"{name}\" is malformed or has an undeclared entity; kept as written"
                ),
            );
        }
        found.filter(|v| !v.is_empty())
    }

    // ----- provenance ---------------------------------------------------

    /// Origin of the element at the current path.
    fn origin_here(&mut self, pos: usize) -> Origin {
        let line = self.lines.at(self.src, pos);
        Origin::new(self.file, format!("{} (line {line})", self.path))
    }

    fn origin_at(&mut self, path: &str, pos: usize) -> Origin {
        let line = self.lines.at(self.src, pos);
        Origin::new(self.file, format!("{path} (line {line})"))
    }

    /// Origin of a child of the current path: `<path>/<name> (line n)`.
    fn origin_child(&mut self, name: &str, pos: usize) -> Origin {
        let line = self.lines.at(self.src, pos);
        Origin::new(self.file, format!("{}/{name} (line {line})", self.path))
    }

    /// Push `/<name>` (or `/<name>[i]`) onto the path; returns the length to truncate back to.
    fn enter(&mut self, name: &str, index: Option<usize>) -> usize {
        let len = self.path.len();
        self.path.push('/');
        self.path.push_str(name);
        if let Some(i) = index {
            self.path.push('[');
            self.path.push_str(&i.to_string());
            self.path.push(']');
        }
        len
    }

    // ----- document -----------------------------------------------------

    fn document(&mut self) -> Result<(), ReadError> {
        // Prolog: declaration, comments, processing instructions, doctype.
        let root = loop {
            let ev = self.event()?;
            match ev.event {
                Event::Start(s) => {
                    break El {
                        start: s,
                        empty: false,
                        pos: ev.pos,
                    };
                }
                Event::Empty(s) => {
                    break El {
                        start: s,
                        empty: true,
                        pos: ev.pos,
                    };
                }
                Event::Eof => {
                    return Err(ReadError::new(
                        self.file,
                        "no root element: not an XML document",
                    ));
                }
                Event::Text(t) if !t.trim().is_empty() => {
                    return Err(self.error_at(ev.pos, "text before the root element"));
                }
                _ => {}
            }
        };
        let ns = {
            let (ns, _) = self.r.resolver().resolve_element(root.start.name());
            match ns {
                ResolveResult::Bound(n) => Some(n.0.to_string()),
                _ => None,
            }
        };
        let Some(ns) = ns.filter(|n| n.starts_with(NAMESPACE)) else {
            return Err(self
                .error_at(
                    root.pos,
                    "not a CycloneDX XML document: the root element is not in a http://cyclonedx.org/schema/bom/ namespace",
                )
                .supported(SUPPORTED_XML_VERSIONS));
        };
        let version = ns[NAMESPACE.len()..].trim_end_matches('/').to_string();
        let minor = match version.as_str() {
            "1.0" => 0,
            "1.1" => 1,
            "1.2" => 2,
            "1.3" => 3,
            "1.4" => 4,
            "1.5" => 5,
            "1.6" => 6,
            "1.7" => 7,
            _ => {
                return Err(self
                    .error_at(
                        root.pos,
                        format!(
                            "CycloneDX XML version \"{version}\" (namespace {ns}) is not supported"
                        ),
                    )
                    .supported(SUPPORTED_XML_VERSIONS));
            }
        };
        if root.name() != "bom" {
            return Err(self.error_at(
                root.pos,
                format!("root element is <{}>, expected <bom>", root.name()),
            ));
        }
        self.inv.format.version = version.clone();
        if minor < 2 {
            let o = self.origin_at("/bom", root.pos);
            self.inv.warn(
                o,
                format!("CycloneDX {version} is older than the supported 1.2-1.7; read on a best-effort basis"),
            );
        }
        self.inv.metadata.serial = self.attr(&root, "serialNumber");
        self.path.push_str("/bom");
        let mut n_comp_lists = 0usize;
        let mut n_svc_lists = 0usize;
        let mut next = self.first_child(&root)?;
        while let Some(el) = next {
            match el.name() {
                "metadata" => {
                    let back = self.enter("metadata", None);
                    self.metadata(&el)?;
                    self.path.truncate(back);
                }
                "components" => {
                    n_comp_lists += 1;
                    let back = self.enter("components", (n_comp_lists > 1).then_some(n_comp_lists));
                    self.components(&el, None)?;
                    self.path.truncate(back);
                }
                "services" => {
                    n_svc_lists += 1;
                    let back = self.enter("services", (n_svc_lists > 1).then_some(n_svc_lists));
                    self.services(&el)?;
                    self.path.truncate(back);
                }
                "dependencies" => {
                    let back = self.enter("dependencies", None);
                    self.dependencies(&el)?;
                    self.path.truncate(back);
                }
                _ => self.skip(&el)?,
            }
            next = self.child()?;
        }
        // Anything after the root: only comments, PIs and whitespace are legal.
        loop {
            let ev = self.event()?;
            match ev.event {
                Event::Eof => break,
                Event::Start(_) | Event::Empty(_) => {
                    return Err(self.error_at(ev.pos, "more than one root element"));
                }
                _ => {}
            }
        }
        Ok(())
    }

    // ----- metadata -----------------------------------------------------

    fn metadata(&mut self, el: &El) -> Result<(), ReadError> {
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "timestamp" => self.inv.metadata.timestamp = self.opt_text(&c)?,
                "tools" => self.tools(&c)?,
                "authors" => {
                    let back = self.enter("authors", None);
                    let list = self.contacts(&c, PartyRole::Author)?;
                    self.path.truncate(back);
                    self.inv.metadata.parties.extend(list);
                }
                "supplier" | "manufacturer" | "manufacture" => {
                    let role = if c.name() == "supplier" {
                        PartyRole::Supplier
                    } else {
                        PartyRole::Manufacturer
                    };
                    let name = c.name().to_string();
                    if let Some(p) = self.org(&c, &name, role)? {
                        self.inv.metadata.parties.push(p);
                    }
                }
                "component" => {
                    let back = self.enter("component", None);
                    let r = self.component(&c, None)?;
                    self.path.truncate(back);
                    if r.is_some() {
                        self.inv.metadata.subject = r;
                    }
                }
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        Ok(())
    }

    /// `<tools><tool>` (≤1.4) and `<tools><components>`/`<services>` (1.5+).
    fn tools(&mut self, el: &El) -> Result<(), ReadError> {
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "tool" => self.tool(&c)?,
                "components" | "services" => {
                    let mut inner = self.first_child(&c)?;
                    while let Some(t) = inner {
                        if matches!(t.name(), "component" | "service") {
                            self.tool(&t)?;
                        } else {
                            self.skip(&t)?;
                        }
                        inner = self.child()?;
                    }
                }
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        Ok(())
    }

    /// One tool as `vendor name version`.
    fn tool(&mut self, el: &El) -> Result<(), ReadError> {
        let (mut vendor, mut name, mut version) = (None, None, None);
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "vendor" => vendor = self.opt_text(&c)?,
                "name" => name = self.opt_text(&c)?,
                "version" => version = self.opt_text(&c)?,
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        let parts: Vec<String> = [vendor, name, version].into_iter().flatten().collect();
        if !parts.is_empty() {
            self.inv.metadata.tools.push(parts.join(" "));
        }
        Ok(())
    }

    // ----- parties ------------------------------------------------------

    /// An organizational entity (`supplier`, `manufacturer`, `provider`…):
    /// `name`, `url`*, `contact`* with `name` and `email`. `field` is the
    /// element's name in the origin.
    fn org(
        &mut self,
        el: &El,
        field: &str,
        role: PartyRole,
    ) -> Result<Option<RoledParty>, ReadError> {
        let origin = self.origin_child(field, el.pos);
        let mut party = Party::default();
        let mut contact_name = None;
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "name" => party.name = self.opt_text(&c)?,
                "url" => {
                    if let Some(u) = self.opt_text(&c)? {
                        party.urls.push(u);
                    }
                }
                "contact" => {
                    let mut inner = self.first_child(&c)?;
                    while let Some(f) = inner {
                        match f.name() {
                            "email" => {
                                if let Some(e) = self.opt_text(&f)? {
                                    party.emails.push(e);
                                }
                            }
                            "name" => {
                                let n = self.opt_text(&f)?;
                                if contact_name.is_none() {
                                    contact_name = n;
                                }
                            }
                            _ => self.skip(&f)?,
                        }
                        inner = self.child()?;
                    }
                }
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        if party.name.is_none() {
            party.name = contact_name;
        }
        Ok((!party.is_empty()).then_some(RoledParty {
            role,
            party,
            origin,
        }))
    }

    /// `<authors><author><name/><email/></author>…</authors>`; the path
    /// already ends with `/authors`.
    fn contacts(&mut self, el: &El, role: PartyRole) -> Result<Vec<RoledParty>, ReadError> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            if c.name() != "author" {
                self.skip(&c)?;
                next = self.child()?;
                continue;
            }
            i += 1;
            let origin = self.origin_child(&format!("author[{i}]"), c.pos);
            let mut party = Party::default();
            let mut inner = self.first_child(&c)?;
            while let Some(f) = inner {
                match f.name() {
                    "name" => party.name = self.opt_text(&f)?,
                    "email" => {
                        if let Some(e) = self.opt_text(&f)? {
                            party.emails.push(e);
                        }
                    }
                    _ => self.skip(&f)?,
                }
                inner = self.child()?;
            }
            if !party.is_empty() {
                out.push(RoledParty {
                    role,
                    party,
                    origin,
                });
            }
            next = self.child()?;
        }
        Ok(out)
    }

    /// A party given as plain text (`publisher`, ≤1.5 `author`).
    fn named(
        &mut self,
        el: &El,
        field: &str,
        role: PartyRole,
    ) -> Result<Option<RoledParty>, ReadError> {
        let origin = self.origin_child(field, el.pos);
        Ok(self.opt_text(el)?.map(|name| RoledParty {
            role,
            party: Party {
                name: Some(name),
                ..Party::default()
            },
            origin,
        }))
    }

    // ----- components ---------------------------------------------------

    /// A unique ref: the given one, or a synthesised `#n`; duplicates get a suffix and a warning.
    fn unique_ref(&mut self, given: Option<String>, origin: &Origin) -> String {
        let (r, warning) = self.refs.unique(given);
        if let Some(w) = warning {
            self.inv.warn(origin.clone(), w);
        }
        r
    }

    /// `<components>`: each `<component>` child, as children of `parent`.
    fn components(&mut self, el: &El, parent: Option<&str>) -> Result<(), ReadError> {
        let mut i = 0;
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            if c.name() == "component" {
                i += 1;
                let back = self.enter("component", Some(i));
                self.component(&c, parent)?;
                self.path.truncate(back);
            } else {
                self.skip(&c)?;
            }
            next = self.child()?;
        }
        Ok(())
    }

    /// One component and, depth first, the components nested in it; the
    /// path already points at it. Returns its ref (`None` if skipped).
    fn component(&mut self, el: &El, parent: Option<&str>) -> Result<Option<String>, ReadError> {
        let origin = self.origin_here(el.pos);
        if self.nesting >= MAX_NESTING {
            self.inv.warn(
                origin,
                format!("component nested deeper than {MAX_NESTING} levels skipped"),
            );
            self.skip(el)?;
            return Ok(None);
        }
        let given = self.attr(el, "bom-ref");
        let kind = self.attr(el, "type").unwrap_or_else(|| "library".into());
        let bom_ref = self.unique_ref(given, &origin);
        if let Some(p) = parent {
            self.inv.relate(p, &bom_ref, RelationKind::Contains, None);
        }
        // Reserve the slot so that a parent precedes its nested components.
        let slot = self.inv.components.len();
        self.inv.components.push(Component::new(
            String::new(),
            String::new(),
            String::new(),
            origin.clone(),
        ));
        let mut comp = Component::new(bom_ref.clone(), String::new(), kind, origin);
        let mut has_name = false;
        let mut nested_lists = 0;
        self.nesting += 1;
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "name" => {
                    comp.name = self.text(&c)?;
                    has_name = !comp.name.is_empty();
                }
                "version" => comp.version = self.opt_text(&c)?,
                "group" => comp.group = self.opt_text(&c)?,
                "purl" => comp.purl = self.opt_text(&c)?,
                "cpe" => comp.cpe = self.opt_text(&c)?,
                "scope" => comp.scope = self.opt_text(&c)?,
                "supplier" => {
                    if let Some(p) = self.org(&c, "supplier", PartyRole::Supplier)? {
                        comp.parties.push(p);
                    }
                }
                "manufacturer" => {
                    if let Some(p) = self.org(&c, "manufacturer", PartyRole::Manufacturer)? {
                        comp.parties.push(p);
                    }
                }
                "publisher" => {
                    if let Some(p) = self.named(&c, "publisher", PartyRole::Publisher)? {
                        comp.parties.push(p);
                    }
                }
                "author" => {
                    if let Some(p) = self.named(&c, "author", PartyRole::Author)? {
                        comp.parties.push(p);
                    }
                }
                "authors" => {
                    let back = self.enter("authors", None);
                    let list = self.contacts(&c, PartyRole::Author)?;
                    self.path.truncate(back);
                    comp.parties.extend(list);
                }
                "licenses" => self.licenses(&c, &mut comp.licenses)?,
                "externalReferences" => self.external_refs(&c, &mut comp.external_refs)?,
                "properties" => self.properties(&c, &mut comp.properties)?,
                "components" => {
                    nested_lists += 1;
                    let back = self.enter("components", (nested_lists > 1).then_some(nested_lists));
                    self.components(&c, Some(&bom_ref))?;
                    self.path.truncate(back);
                }
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        self.nesting -= 1;
        if !has_name {
            self.inv
                .warn(comp.origin.clone(), "component without a name");
        }
        self.inv.components[slot] = comp;
        Ok(Some(bom_ref))
    }

    /// `<licenses>`: `license/id`, else `license/name`, and `expression`.
    fn licenses(&mut self, el: &El, out: &mut Vec<String>) -> Result<(), ReadError> {
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "expression" => {
                    if let Some(e) = self.opt_text(&c)? {
                        out.push(e);
                    }
                }
                "license" => {
                    let (mut id, mut name) = (None, None);
                    let mut inner = self.first_child(&c)?;
                    while let Some(f) = inner {
                        match f.name() {
                            "id" => id = self.opt_text(&f)?,
                            "name" => name = self.opt_text(&f)?,
                            _ => self.skip(&f)?,
                        }
                        inner = self.child()?;
                    }
                    if let Some(v) = id.or(name) {
                        out.push(v);
                    }
                }
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        Ok(())
    }

    /// `<externalReferences><reference type="…"><url>…</url></reference>`.
    fn external_refs(&mut self, el: &El, out: &mut Vec<ExternalRef>) -> Result<(), ReadError> {
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            if c.name() != "reference" {
                self.skip(&c)?;
                next = self.child()?;
                continue;
            }
            let kind = self.attr(&c, "type").unwrap_or_else(|| "other".into());
            let mut url = None;
            let mut inner = self.first_child(&c)?;
            while let Some(f) = inner {
                if f.name() == "url" {
                    url = self.opt_text(&f)?;
                } else {
                    self.skip(&f)?;
                }
                inner = self.child()?;
            }
            if let Some(url) = url {
                out.push(ExternalRef { kind, url });
            }
            next = self.child()?;
        }
        Ok(())
    }

    /// `<properties><property name="…">value</property></properties>`.
    fn properties(&mut self, el: &El, out: &mut Vec<(String, String)>) -> Result<(), ReadError> {
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            if c.name() == "property" {
                let name = self.attr(&c, "name");
                let value = self.text(&c)?;
                if let Some(name) = name {
                    out.push((name, value));
                }
            } else {
                self.skip(&c)?;
            }
            next = self.child()?;
        }
        Ok(())
    }

    // ----- services -----------------------------------------------------

    fn services(&mut self, el: &El) -> Result<(), ReadError> {
        let mut i = 0;
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            if c.name() == "service" {
                i += 1;
                let back = self.enter("service", Some(i));
                self.service(&c)?;
                self.path.truncate(back);
            } else {
                self.skip(&c)?;
            }
            next = self.child()?;
        }
        Ok(())
    }

    fn service(&mut self, el: &El) -> Result<(), ReadError> {
        let origin = self.origin_here(el.pos);
        if self.nesting >= MAX_NESTING {
            self.inv.warn(
                origin,
                format!("service nested deeper than {MAX_NESTING} levels skipped"),
            );
            return self.skip(el);
        }
        let given = self.attr(el, "bom-ref");
        let bom_ref = self.unique_ref(given, &origin);
        let slot = self.inv.services.len();
        self.inv
            .services
            .push(Service::new(String::new(), String::new(), origin.clone()));
        let mut svc = Service::new(bom_ref, String::new(), origin);
        let mut trust_zone = None;
        let mut nested_lists = 0;
        self.nesting += 1;
        let mut next = self.first_child(el)?;
        while let Some(c) = next {
            match c.name() {
                "name" => svc.name = self.text(&c)?,
                "version" => svc.version = self.opt_text(&c)?,
                "group" => svc.group = self.opt_text(&c)?,
                "provider" => svc.provider = self.org(&c, "provider", PartyRole::Provider)?,
                "endpoints" => {
                    let mut inner = self.first_child(&c)?;
                    while let Some(f) = inner {
                        if f.name() == "endpoint" {
                            if let Some(u) = self.opt_text(&f)? {
                                svc.endpoints.push(u);
                            }
                        } else {
                            self.skip(&f)?;
                        }
                        inner = self.child()?;
                    }
                }
                "x-trust-boundary" => {
                    let v = self.text(&c)?;
                    match v.as_str() {
                        "true" | "1" => svc.trust_boundary = Some(true),
                        "false" | "0" => svc.trust_boundary = Some(false),
                        _ => {
                            let o = self.origin_child("x-trust-boundary", c.pos);
                            self.inv.warn(
                                o,
                                format!("x-trust-boundary \"{v}\" is not a boolean; ignored"),
                            );
                        }
                    }
                }
                "trustZone" => trust_zone = self.opt_text(&c)?,
                "externalReferences" => self.external_refs(&c, &mut svc.external_refs)?,
                "properties" => self.properties(&c, &mut svc.properties)?,
                "services" => {
                    nested_lists += 1;
                    let back = self.enter("services", (nested_lists > 1).then_some(nested_lists));
                    self.services(&c)?;
                    self.path.truncate(back);
                }
                _ => self.skip(&c)?,
            }
            next = self.child()?;
        }
        self.nesting -= 1;
        if svc.trust_boundary.is_none() {
            svc.trust_boundary = trust_zone.map(|z| !z.is_empty());
        }
        self.inv.services[slot] = svc;
        Ok(())
    }

    // ----- dependencies -------------------------------------------------

    /// `<dependency ref="a"><dependency ref="b"/><provides ref="c"/></dependency>`,
    /// read without recursion (the schema lets dependencies nest).
    fn dependencies(&mut self, el: &El) -> Result<(), ReadError> {
        if el.empty {
            return Ok(());
        }
        // The refs of the open <dependency> elements (None: no usable ref).
        let mut open: Vec<Option<String>> = Vec::new();
        loop {
            let ev = self.event()?;
            let (start, empty) = match ev.event {
                Event::Start(s) => (s, false),
                Event::Empty(s) => (s, true),
                Event::End(_) => {
                    if open.pop().is_none() {
                        return Ok(());
                    }
                    continue;
                }
                Event::Eof => return Err(self.error_at(ev.pos, "unexpected end of document")),
                _ => continue,
            };
            let el = El {
                start,
                empty,
                pos: ev.pos,
            };
            let kind = match el.name() {
                "dependency" if ev.cdx => None,
                "provides" if ev.cdx => Some("provides"),
                _ => {
                    self.skip(&el)?;
                    continue;
                }
            };
            let r = self.attr(&el, "ref");
            if r.is_none() {
                let o = self.origin_child(el.name(), el.pos);
                self.inv
                    .warn(o, format!("{} without ref skipped", el.name()));
            }
            if let (Some(to), Some(Some(from))) = (&r, open.last()) {
                let relation = if kind.is_some() {
                    RelationKind::Other
                } else {
                    RelationKind::DependsOn
                };
                self.inv
                    .relate(from, to, relation, kind.map(str::to_string));
            }
            if !el.empty {
                // A <provides> never has children that depend on it.
                open.push(if kind.is_some() { None } else { r });
            }
        }
    }
}

/// The five entities XML predefines.
/// The character of one of XML's five predefined entities.
pub(super) fn predefined(name: &str) -> Option<char> {
    Some(match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:x="urn:example:ext"
     serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <timestamp>2026-01-01T00:00:00Z</timestamp>
    <tools>
      <components><component type="application"><name>cyclonedx-maven</name><version>2.9</version></component></components>
      <services><service><name>signer</name></service></services>
    </tools>
    <authors><author><name>Jane</name><email>jane@atlas.example</email></author></authors>
    <component type="application" bom-ref="app"><name>portal</name></component>
    <manufacturer><name>Atlas Cloud</name><url>https://atlas.example</url></manufacturer>
    <supplier><contact><name>Ops</name><email>ops@atlas.example</email></contact></supplier>
  </metadata>
  <components>
    <component type="library" bom-ref="s3">
      <supplier><name>Amazon Web Services &amp; Co</name><url>https://aws.amazon.com</url></supplier>
      <author>AWS SDK team</author>
      <publisher>Amazon</publisher>
      <group>@aws-sdk</group>
      <name>client-s3</name>
      <version>3.600.0</version>
      <licenses><license><id>Apache-2.0</id></license><license><name>Custom</name></license></licenses>
      <purl>pkg:npm/%40aws-sdk/client-s3@3.600.0</purl>
      <cpe>cpe:2.3:a:amazon:client-s3:3.600.0:*:*:*:*:*:*:*</cpe>
      <externalReferences><reference type="vcs"><url>https://github.com/aws/aws-sdk-js-v3</url></reference></externalReferences>
      <properties><property name="cdx:npm:package:path">node_modules/&#64;aws-sdk</property></properties>
      <x:extension><component><name>not a component</name></component></x:extension>
      <components>
        <component type="library"><name>inner</name>
          <components><component type="file" bom-ref="deep"><name>deepest</name></component></components>
        </component>
      </components>
    </component>
    <component type="device" bom-ref="srv">
      <manufacturer><name>Dell Inc.</name><contact><email>x@dell.com</email></contact></manufacturer>
      <authors><author><name>Dell PSIRT</name></author></authors>
      <name>PowerEdge R760</name>
      <scope>required</scope>
      <licenses><expression>MIT OR Apache-2.0</expression></licenses>
    </component>
    <component type="library" bom-ref="s3"><name>dup</name></component>
    <component type="library"><version>1</version></component>
  </components>
  <services>
    <service bom-ref="kms">
      <provider><name>Amazon Web Services, Inc.</name><url>https://aws.amazon.com</url>
        <contact><name>Support</name><email>support@aws.example</email></contact></provider>
      <group>com.amazon</group>
      <name>KMS</name>
      <version>2024</version>
      <endpoints><endpoint>https://kms.eu-west-1.amazonaws.com</endpoint><endpoint> https://kms.us-east-1.amazonaws.com </endpoint></endpoints>
      <x-trust-boundary>true</x-trust-boundary>
      <externalReferences><reference type="documentation"><url>https://docs.aws.amazon.com/kms</url></reference></externalReferences>
      <properties><property name="region">eu-west-1</property></properties>
      <services><service><name>inner</name><trustZone>external</trustZone></service></services>
    </service>
  </services>
  <dependencies>
    <dependency ref="app"><dependency ref="s3"/><dependency ref="srv"/></dependency>
    <dependency ref="s3"><dependency ref="kms"/><provides ref="deep"/></dependency>
    <dependency><dependency ref="x"/></dependency>
  </dependencies>
  <x:vulnerabilities><x:component/></x:vulnerabilities>
</bom>
"#;

    fn read_str(doc: &str) -> Result<Inventory, ReadError> {
        read("bom.xml", doc.as_bytes())
    }

    #[test]
    fn reads_metadata() {
        let inv = read_str(DOC).unwrap();
        assert_eq!(inv.format.to_string(), "cyclonedx-1.6+xml");
        let m = &inv.metadata;
        assert_eq!(
            m.serial.as_deref(),
            Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
        );
        assert_eq!(m.timestamp.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(m.tools, ["cyclonedx-maven 2.9", "signer"]);
        assert_eq!(m.subject.as_deref(), Some("app"));
        let roles: Vec<_> = m.parties.iter().map(|p| p.role).collect();
        assert_eq!(
            roles,
            [
                PartyRole::Author,
                PartyRole::Manufacturer,
                PartyRole::Supplier
            ]
        );
        assert_eq!(m.parties[0].party.emails, ["jane@atlas.example"]);
        assert_eq!(m.parties[1].party.urls, ["https://atlas.example"]);
        // A supplier named only by its contact takes the contact's name.
        assert_eq!(m.parties[2].party.name.as_deref(), Some("Ops"));
        assert_eq!(
            m.parties[2].origin.element,
            "/bom/metadata/supplier (line 13)"
        );
        assert_eq!(
            m.parties[0].origin.element,
            "/bom/metadata/authors/author[1] (line 10)"
        );
    }

    #[test]
    fn reads_nested_components_in_document_order() {
        let inv = read_str(DOC).unwrap();
        let names: Vec<_> = inv.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "portal",
                "client-s3",
                "inner",
                "deepest",
                "PowerEdge R760",
                "dup",
                ""
            ]
        );
        let s3 = &inv.components[1];
        assert_eq!(s3.bom_ref, "s3");
        assert_eq!(s3.kind, "library");
        assert_eq!(s3.group.as_deref(), Some("@aws-sdk"));
        assert_eq!(s3.version.as_deref(), Some("3.600.0"));
        assert_eq!(
            s3.purl.as_deref(),
            Some("pkg:npm/%40aws-sdk/client-s3@3.600.0")
        );
        assert!(s3.cpe.as_deref().unwrap().starts_with("cpe:2.3:a:amazon"));
        assert_eq!(s3.licenses, ["Apache-2.0", "Custom"]);
        assert_eq!(s3.external_refs[0].kind, "vcs");
        assert_eq!(
            s3.properties,
            [(
                "cdx:npm:package:path".to_string(),
                "node_modules/@aws-sdk".to_string()
            )]
        );
        let parties: Vec<_> = s3
            .parties
            .iter()
            .map(|p| (p.role, p.party.name.as_deref().unwrap()))
            .collect();
        assert_eq!(
            parties,
            [
                (PartyRole::Supplier, "Amazon Web Services & Co"),
                (PartyRole::Author, "AWS SDK team"),
                (PartyRole::Publisher, "Amazon"),
            ]
        );
        assert_eq!(s3.origin.element, "/bom/components/component[1] (line 16)");
        assert_eq!(
            s3.parties[0].origin.element,
            "/bom/components/component[1]/supplier (line 17)"
        );
        let inner = &inv.components[2];
        assert_eq!(inner.bom_ref, "#1");
        assert_eq!(
            inner.origin.element,
            "/bom/components/component[1]/components/component[1] (line 30)"
        );
        let deep = &inv.components[3];
        assert_eq!(deep.kind, "file");
        assert_eq!(
            deep.origin.element,
            "/bom/components/component[1]/components/component[1]/components/component[1] (line 31)"
        );
        let contains: Vec<_> = inv
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::Contains)
            .map(|r| (&*r.from, &*r.to))
            .collect();
        assert_eq!(contains, [("s3", "#1"), ("#1", "deep")]);
    }

    #[test]
    fn manufacturer_authors_and_licence_expressions() {
        let inv = read_str(DOC).unwrap();
        let srv = &inv.components[4];
        assert_eq!(srv.kind, "device");
        assert_eq!(srv.scope.as_deref(), Some("required"));
        assert_eq!(srv.licenses, ["MIT OR Apache-2.0"]);
        assert_eq!(srv.parties[0].role, PartyRole::Manufacturer);
        assert_eq!(srv.parties[0].party.emails, ["x@dell.com"]);
        assert_eq!(srv.parties[1].role, PartyRole::Author);
        assert_eq!(srv.parties[1].party.name.as_deref(), Some("Dell PSIRT"));
    }

    #[test]
    fn duplicate_and_missing_refs_and_names_are_warnings() {
        let inv = read_str(DOC).unwrap();
        assert_eq!(inv.components[5].bom_ref, "s3~2");
        assert_eq!(inv.components[6].bom_ref, "#2");
        let msgs: Vec<_> = inv.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert!(
            msgs.contains(&"duplicate bom-ref \"s3\" renamed \"s3~2\""),
            "{msgs:?}"
        );
        assert!(msgs.contains(&"component without a name"), "{msgs:?}");
        assert!(msgs.contains(&"dependency without ref skipped"), "{msgs:?}");
        assert_eq!(inv.diagnostics.len(), 3, "{msgs:?}");
    }

    #[test]
    fn reads_services_with_provider_endpoints_and_nesting() {
        let inv = read_str(DOC).unwrap();
        assert_eq!(inv.services.len(), 2);
        let kms = &inv.services[0];
        assert_eq!(kms.bom_ref, "kms");
        assert_eq!(kms.name, "KMS");
        assert_eq!(kms.version.as_deref(), Some("2024"));
        assert_eq!(kms.group.as_deref(), Some("com.amazon"));
        assert_eq!(
            kms.endpoints,
            [
                "https://kms.eu-west-1.amazonaws.com",
                "https://kms.us-east-1.amazonaws.com"
            ]
        );
        assert_eq!(kms.trust_boundary, Some(true));
        let p = kms.provider.as_ref().unwrap();
        assert_eq!(p.role, PartyRole::Provider);
        assert_eq!(p.party.name.as_deref(), Some("Amazon Web Services, Inc."));
        assert_eq!(p.party.urls, ["https://aws.amazon.com"]);
        assert_eq!(p.party.emails, ["support@aws.example"]);
        assert_eq!(
            p.origin.element,
            "/bom/services/service[1]/provider (line 47)"
        );
        assert_eq!(kms.external_refs[0].kind, "documentation");
        assert_eq!(kms.properties[0].1, "eu-west-1");
        let inner = &inv.services[1];
        assert_eq!(inner.name, "inner");
        assert_eq!(inner.trust_boundary, Some(true));
        assert_eq!(
            inner.origin.element,
            "/bom/services/service[1]/services/service[1] (line 56)"
        );
    }

    #[test]
    fn reads_dependencies_and_provides() {
        let inv = read_str(DOC).unwrap();
        let deps: Vec<_> = inv
            .relations
            .iter()
            .filter(|r| r.kind != RelationKind::Contains)
            .map(|r| (&*r.from, &*r.to, r.kind, r.original.as_deref()))
            .collect();
        assert_eq!(
            deps,
            [
                ("app", "s3", RelationKind::DependsOn, None),
                ("app", "srv", RelationKind::DependsOn, None),
                ("s3", "kms", RelationKind::DependsOn, None),
                ("s3", "deep", RelationKind::Other, Some("provides")),
            ]
        );
    }

    #[test]
    fn manufacture_up_to_1_5_and_legacy_tools() {
        let doc = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.5"><metadata>
            <tools><tool><vendor>CycloneDX</vendor><name>cyclonedx-gomod</name><version>1.4</version></tool></tools>
            <manufacture><name>Huawei Technologies Co., Ltd.</name></manufacture>
            </metadata><components/></bom>"#;
        let inv = read_str(doc).unwrap();
        assert_eq!(inv.format.version, "1.5");
        assert_eq!(inv.metadata.tools, ["CycloneDX cyclonedx-gomod 1.4"]);
        assert_eq!(inv.metadata.parties[0].role, PartyRole::Manufacturer);
        assert_eq!(
            inv.metadata.parties[0].origin.element,
            "/bom/metadata/manufacture (line 3)"
        );
    }

    #[test]
    fn entity_declarations_are_refused() {
        let doc = r#"<?xml version="1.0"?>
<!DOCTYPE bom [ <!ENTITY lol "lol"> <!ENTITY lol2 "&lol;&lol;&lol;"> ]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><components>
<component type="library"><name>&lol2;</name></component></components></bom>"#;
        let e = read_str(doc).unwrap_err();
        assert!(
            e.message
                .contains("DTD/entity declarations are not allowed"),
            "{e}"
        );
        assert_eq!(e.position.as_deref(), Some("line 2, column 1"));
        // External entities too.
        let doc = r#"<!DOCTYPE bom [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>"#;
        assert!(read_str(doc).is_err());
    }

    #[test]
    fn undeclared_entities_are_errors_in_text_and_kept_as_written_in_attributes() {
        let doc = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>
<component type="library" bom-ref="a&amp;b"><name>x &lt;y&gt; &#x41;&#66;</name></component>
<component type="library" bom-ref="&other;"><name>z</name></component>
</components></bom>"#;
        let inv = read_str(doc).unwrap();
        assert_eq!(inv.components[0].bom_ref, "a&b");
        assert_eq!(inv.components[0].name, "x <y> AB");
        assert_eq!(inv.components[1].bom_ref, "&other;");
        assert!(
            inv.diagnostics
                .iter()
                .any(|d| d.message.contains("undeclared entity")),
            "{:?}",
            inv.diagnostics
        );
        let e = read_str(
            r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>
<component type="library"><name>x &secret;</name></component></components></bom>"#,
        )
        .unwrap_err();
        assert!(e.message.contains("undeclared entity &secret;"), "{e}");
        assert_eq!(e.position.as_deref(), Some("line 2, column 35"));
        let e = read_str(
            r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components>
<component type="library"><name>&#0;</name></component></components></bom>"#,
        )
        .unwrap_err();
        assert!(e.message.contains("invalid character reference"), "{e}");
    }

    #[test]
    fn cdata_comments_and_a_byte_order_mark_but_no_doctype() {
        let doc = "\u{feff}<?xml version=\"1.0\"?>\n<!-- c -->\
<bom xmlns=\"http://cyclonedx.org/schema/bom/1.3\"><components><component type=\"library\">\
<name><![CDATA[a<b]]><!-- x --></name></component></components></bom>";
        let inv = read_str(doc).unwrap();
        assert_eq!(inv.components[0].name, "a<b");
        // Any document type declaration is refused, even one without entities.
        for doctype in [
            "<!DOCTYPE bom>",
            "<!DOCTYPE bom SYSTEM \"http://example.org/bom.dtd\">",
        ] {
            let doc = format!(
                "<?xml version=\"1.0\"?>\n{doctype}\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/>"
            );
            let e = read_str(&doc).unwrap_err();
            assert!(e.message.contains("DTD"), "{e}");
            assert_eq!(e.position.as_deref(), Some("line 2, column 1"), "{doctype}");
        }
    }

    #[test]
    fn versions_and_roots() {
        let e = read_str(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.8"/>"#).unwrap_err();
        assert!(e.message.contains("1.8"), "{e}");
        assert!(e.supported.as_deref().unwrap().contains("1.2-1.7"));
        let e = read_str(r#"<bom xmlns="urn:other"/>"#).unwrap_err();
        assert!(e.message.contains("not a CycloneDX"), "{e}");
        let e = read_str(r#"<x xmlns="http://cyclonedx.org/schema/bom/1.5"/>"#).unwrap_err();
        assert!(e.message.contains("<bom>"), "{e}");
        let inv = read_str(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.1"/>"#).unwrap();
        assert_eq!(inv.format.version, "1.1");
        assert!(inv.diagnostics[0].message.contains("best-effort"));
        // A prefixed CycloneDX namespace is read like the default one.
        let inv = read_str(
            r#"<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.7"><c:components><c:component type="library"><c:name>p</c:name></c:component></c:components></c:bom>"#,
        )
        .unwrap();
        assert_eq!(inv.components[0].name, "p");
    }

    #[test]
    fn malformed_xml_is_an_error_with_a_position() {
        for doc in [
            "",
            "not xml",
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components>",
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"><components></bom>",
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<a></b></bom>",
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\"/><bom/>",
        ] {
            let e = read_str(doc).unwrap_err();
            assert!(!e.message.is_empty(), "{doc}");
        }
        let e = read(
            "x.xml",
            b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<name>\xff</name></bom>",
        )
        .unwrap_err();
        assert!(e.position.is_some(), "{e}");
    }

    #[test]
    fn never_panics_on_truncations_and_garbage() {
        let bytes = DOC.as_bytes();
        for cut in (0..bytes.len()).step_by(7) {
            let _ = read("t.xml", &bytes[..cut]);
        }
        let mut noisy = bytes.to_vec();
        for i in (0..noisy.len()).step_by(13) {
            noisy[i] = b"<>&;\"'/![]"[i % 10];
            let _ = read("t.xml", &noisy);
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let n = 5000;
        let mut doc = String::from(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6">"#);
        for _ in 0..n {
            doc.push_str(r#"<components><component type="library"><name>n</name>"#);
        }
        for _ in 0..n {
            doc.push_str("</component></components>");
        }
        doc.push_str("</bom>");
        let inv = read_str(&doc).unwrap();
        assert_eq!(inv.components.len(), MAX_NESTING);
        assert!(inv.diagnostics[0].message.contains("nested deeper"));
        // Deeply nested dependencies are read without recursion.
        let mut doc =
            String::from(r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><dependencies>"#);
        for i in 0..n {
            doc.push_str(&format!(r#"<dependency ref="d{i}">"#));
        }
        for _ in 0..n {
            doc.push_str("</dependency>");
        }
        doc.push_str("</dependencies></bom>");
        assert_eq!(read_str(&doc).unwrap().relations.len(), n - 1);
    }
}

/// The specification's own documents and real SBOMs from `../shared`
/// (skipped, with a message, when that folder is absent).
#[cfg(test)]
mod conformance {
    use super::*;
    use crate::model::PartyRole;
    use std::path::{Path, PathBuf};

    fn shared(sub: &str) -> Option<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared")
            .join(sub);
        if dir.is_dir() {
            Some(dir)
        } else {
            eprintln!("skipped: {} is absent", dir.display());
            None
        }
    }

    /// `(path, bytes)` of the XML files in `dir` whose names start with `prefix`, sorted.
    fn xml_files(dir: &Path, prefix: &str) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_else(|_| Vec::new());
        out.sort();
        out.into_iter()
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with(prefix) && name.ends_with(".xml")
            })
            .map(|p| {
                let bytes = std::fs::read(&p).unwrap();
                (p.display().to_string(), bytes)
            })
            .collect()
    }

    #[test]
    fn every_valid_document_from_1_0_to_1_7_is_read() {
        let Some(root) = shared("conformance/cyclonedx") else {
            return;
        };
        let mut n = 0;
        let mut failures = Vec::new();
        for v in [
            "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "ext",
        ] {
            for (path, bytes) in xml_files(&root.join(v), "valid-") {
                n += 1;
                match read(&path, &bytes) {
                    Ok(inv) if v != "ext" => assert_eq!(inv.format.version, v, "{path}"),
                    Ok(_) => {}
                    Err(e) => failures.push(e.to_string()),
                }
            }
        }
        assert!(n > 240, "only {n} documents found");
        assert!(
            failures.is_empty(),
            "{} of {n} failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn invalid_documents_never_panic() {
        let Some(root) = shared("conformance/cyclonedx") else {
            return;
        };
        let mut n = 0;
        for v in [
            "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "ext",
        ] {
            for (path, bytes) in xml_files(&root.join(v), "invalid-") {
                n += 1;
                // Errors are allowed (most are schema violations we tolerate); panics are not.
                let _ = read(&path, &bytes);
            }
        }
        assert!(n > 160, "only {n} documents found");
    }

    #[test]
    fn spec_examples_keep_what_coquille_needs() {
        let Some(root) = shared("conformance/cyclonedx") else {
            return;
        };
        let one = |v: &str, name: &str| {
            let path = root.join(v).join(name);
            read(name, &std::fs::read(path).unwrap()).unwrap()
        };
        let inv = one("1.6", "valid-service-1.6.xml");
        let s = &inv.services[0];
        assert_eq!(s.endpoints.len(), 2);
        assert_eq!(s.trust_boundary, Some(true));
        let p = s.provider.as_ref().unwrap();
        assert_eq!(p.party.name.as_deref(), Some("Partner Org"));
        assert_eq!(p.party.emails, ["support@partner.org"]);
        assert_eq!(inv.relations.len(), 1);
        let inv = one("1.6", "valid-metadata-manufacturer-1.6.xml");
        assert_eq!(inv.metadata.parties[0].role, PartyRole::Manufacturer);
        let inv = one("1.6", "valid-metadata-tool-1.6.xml");
        assert_eq!(
            inv.metadata.tools,
            ["Awesome Tool 9.1.2", "Acme Signing Server"]
        );
        let inv = one("1.6", "valid-cryptography-implementation-1.6.xml");
        assert!(
            inv.relations
                .iter()
                .any(|r| r.original.as_deref() == Some("provides"))
        );
    }

    /// Real XML SBOMs in the corpus: as many components, and components
    /// naming a supplier, author or publisher, as its manifest says.
    #[test]
    fn corpus_xml_matches_the_manifest() {
        let Some(root) = shared("corpus") else {
            return;
        };
        let manifest = std::fs::read_to_string(root.join("manifest.csv")).unwrap();
        let mut n = 0;
        for line in manifest.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() < 8 || f[3] != "xml" || !f[4].is_empty() {
                continue;
            }
            n += 1;
            let inv = read(f[0], &std::fs::read(root.join(f[0])).unwrap())
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(inv.format.version, f[2], "{}", f[0]);
            // The manifest counts components outside metadata.
            let comps: Vec<_> = inv
                .components
                .iter()
                .filter(|c| !c.origin.element.starts_with("/bom/metadata"))
                .collect();
            assert_eq!(comps.len().to_string(), f[5], "{}", f[0]);
            let named = comps.iter().filter(|c| !c.parties.is_empty()).count();
            assert_eq!(named.to_string(), f[6], "{}", f[0]);
        }
        assert!(n >= 5, "only {n} XML documents in the corpus");
    }
}
