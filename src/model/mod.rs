//! The inventory: what every reader produces and every later stage reads.
//!
//! One [`Inventory`] per input document. Every fact keeps its provenance
//! ([`Origin`]): the input file and the element inside it, so that a finding
//! can always point back at the exact piece of evidence.

use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;

/// Where a fact came from: an input document and an element inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// The input's display path (as given on the command line or relative to a bid folder).
    pub file: String,
    /// A pointer inside the document: a JSON pointer (`/components/3/supplier`),
    /// an XML path with line (`bom/components/component[4] (line 88)`) or a
    /// tag-value line (`line 120`).
    pub element: String,
}

impl Origin {
    pub fn new(file: impl Into<String>, element: impl Into<String>) -> Self {
        Origin {
            file: file.into(),
            element: element.into(),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.element.is_empty() {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{} {}", self.file, self.element)
        }
    }
}

/// The detected format of an input, e.g. `cyclonedx-1.5+json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
pub enum Encoding {
    Json,
    Xml,
    TagValue,
    Toml,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Json => "json",
            Encoding::Xml => "xml",
            Encoding::TagValue => "tag-value",
            Encoding::Toml => "toml",
        }
    }
}

/// The standard an input follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
pub struct Format {
    /// `cyclonedx`, `spdx` or `coquille-manifest`.
    pub standard: String,
    /// The spec version as written in the document (`1.5`, `2.3`, `1`).
    pub version: String,
    pub encoding: Encoding,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}+{}",
            self.standard,
            self.version,
            self.encoding.as_str()
        )
    }
}

/// Severity of a reader diagnostic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warning,
}

/// Something a reader noticed but could recover from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord)]
pub struct Diagnostic {
    pub level: Level,
    pub origin: Origin,
    pub message: String,
}

/// The role a party plays for a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum PartyRole {
    /// CycloneDX `supplier`, SPDX `PackageSupplier`.
    Supplier,
    /// CycloneDX 1.6+ `manufacturer`, ≤1.5 `manufacture`.
    Manufacturer,
    /// CycloneDX `publisher`.
    Publisher,
    /// CycloneDX `author`/`authors`.
    Author,
    /// SPDX `PackageOriginator`.
    Originator,
    /// CycloneDX `services[].provider`.
    Provider,
}

impl PartyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Supplier => "supplier",
            PartyRole::Manufacturer => "manufacturer",
            PartyRole::Publisher => "publisher",
            PartyRole::Author => "author",
            PartyRole::Originator => "originator",
            PartyRole::Provider => "provider",
        }
    }
}

/// An organisation or person named by the evidence (not yet attributed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Party {
    pub name: Option<String>,
    pub urls: Vec<String>,
    pub emails: Vec<String>,
}

impl Party {
    pub fn is_empty(&self) -> bool {
        self.name.as_deref().is_none_or(|n| n.trim().is_empty())
            && self.urls.is_empty()
            && self.emails.is_empty()
    }
}

/// A party in its role, with the element it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoledParty {
    pub role: PartyRole,
    pub party: Party,
    pub origin: Origin,
}

/// An external reference (vcs, website, distribution, download location…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalRef {
    /// `vcs`, `website`, `distribution`, `download`, `homepage`, `issue-tracker`…
    pub kind: String,
    pub url: String,
}

/// One component of any type: library, application, device, firmware, OS…
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Component {
    /// Unique within its inventory: the `bom-ref`, SPDX id, or a synthesised `#n` ref.
    pub bom_ref: String,
    pub name: String,
    pub version: Option<String>,
    /// CycloneDX `group` (Maven groupId, npm scope…).
    pub group: Option<String>,
    /// Normalised CycloneDX type name: `library`, `framework`, `application`,
    /// `container`, `platform`, `operating-system`, `device`, `device-driver`,
    /// `firmware`, `file`, `machine-learning-model`, `data`,
    /// `cryptographic-asset`; SPDX packages map to `library` unless their
    /// primary purpose says otherwise.
    pub kind: String,
    pub purl: Option<String>,
    pub cpe: Option<String>,
    pub parties: Vec<RoledParty>,
    pub external_refs: Vec<ExternalRef>,
    /// SPDX licence ids or expressions, or names, as written.
    pub licenses: Vec<String>,
    /// CycloneDX `scope` (`required`, `optional`, `excluded`).
    pub scope: Option<String>,
    /// Key/value properties (CycloneDX `properties`), in document order.
    pub properties: Vec<(String, String)>,
    pub origin: Origin,
}

impl Component {
    /// A component with just the required fields; readers fill in the rest.
    pub fn new(
        bom_ref: impl Into<String>,
        name: impl Into<String>,
        kind: impl Into<String>,
        origin: Origin,
    ) -> Self {
        Component {
            bom_ref: bom_ref.into(),
            name: name.into(),
            version: None,
            group: None,
            kind: kind.into(),
            purl: None,
            cpe: None,
            parties: Vec::new(),
            external_refs: Vec::new(),
            licenses: Vec::new(),
            scope: None,
            properties: Vec::new(),
            origin,
        }
    }
}

/// A service (CycloneDX `services[]`): something the system calls rather than contains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub bom_ref: String,
    pub name: String,
    pub version: Option<String>,
    pub group: Option<String>,
    pub provider: Option<RoledParty>,
    /// Endpoint URLs as written.
    pub endpoints: Vec<String>,
    /// Does the service cross a trust boundary (CycloneDX `x-trust-boundary` / `trustZone`)?
    pub trust_boundary: Option<bool>,
    pub external_refs: Vec<ExternalRef>,
    pub properties: Vec<(String, String)>,
    pub origin: Origin,
}

impl Service {
    pub fn new(bom_ref: impl Into<String>, name: impl Into<String>, origin: Origin) -> Self {
        Service {
            bom_ref: bom_ref.into(),
            name: name.into(),
            version: None,
            group: None,
            provider: None,
            endpoints: Vec::new(),
            trust_boundary: None,
            external_refs: Vec::new(),
            properties: Vec::new(),
            origin,
        }
    }
}

/// How two elements of an inventory relate, always normalised to
/// "`from` needs / holds `to`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RelationKind {
    /// Runtime dependency (CycloneDX `dependencies`, SPDX DEPENDS_ON…).
    DependsOn,
    /// Build-time only (SPDX BUILD_DEPENDENCY_OF…).
    BuildDependsOn,
    /// Development/test only (SPDX DEV_DEPENDENCY_OF, TEST_DEPENDENCY_OF…).
    DevDependsOn,
    /// Optional (SPDX OPTIONAL_DEPENDENCY_OF…).
    OptionalDependsOn,
    /// Nesting or packaging: `from` contains `to` (CycloneDX nested
    /// components, SPDX CONTAINS / PACKAGE_OF…).
    Contains,
    /// The document describes `to` (SPDX DESCRIBES, CycloneDX metadata.component).
    Describes,
    /// Anything else, kept for completeness (SPDX GENERATED_FROM, VARIANT_OF…).
    Other,
}

/// A directed relation between two refs of the same inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
pub struct Relation {
    /// The refs at both ends. Shared: a reader may hand every relation that names the same
    /// ref one copy of it (a million-component document has millions of relations).
    pub from: Arc<str>,
    pub to: Arc<str>,
    pub kind: RelationKind,
    /// The original relationship name when it was not a plain dependency
    /// (e.g. SPDX `DEV_DEPENDENCY_OF`).
    pub original: Option<String>,
}

/// Document-level metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct DocMetadata {
    /// The component the document describes (CycloneDX `metadata.component`,
    /// SPDX DESCRIBES target), as a ref into `components`.
    pub subject: Option<String>,
    /// Document-level supplier/manufacturer/authors.
    pub parties: Vec<RoledParty>,
    /// Tools that produced the document, as `name version`.
    pub tools: Vec<String>,
    pub serial: Option<String>,
    pub timestamp: Option<String>,
}

/// Everything read from one SBOM document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inventory {
    pub format: Format,
    pub metadata: DocMetadata,
    pub components: Vec<Component>,
    pub services: Vec<Service>,
    pub relations: Vec<Relation>,
    pub diagnostics: Vec<Diagnostic>,
    /// The refs relations name, one copy each, while the document is read.
    #[serde(skip)]
    pub shared_refs: SharedRefs,
}

/// One copy of each ref the relations of a document name: a component named by three
/// relations is not three strings. A cache, not content: two inventories are equal whatever
/// it holds, and it is emptied once the document is read.
#[derive(Debug, Clone, Default)]
pub struct SharedRefs(HashSet<Arc<str>>);

impl SharedRefs {
    /// The shared copy of `r`.
    pub fn share(&mut self, r: &str) -> Arc<str> {
        if let Some(a) = self.0.get(r) {
            return a.clone();
        }
        let a: Arc<str> = Arc::from(r);
        self.0.insert(a.clone());
        a
    }
}

impl PartialEq for SharedRefs {
    fn eq(&self, _: &SharedRefs) -> bool {
        true
    }
}

impl Eq for SharedRefs {}

impl Inventory {
    pub fn new(format: Format) -> Self {
        Inventory {
            format,
            metadata: DocMetadata::default(),
            components: Vec::new(),
            services: Vec::new(),
            relations: Vec::new(),
            diagnostics: Vec::new(),
            shared_refs: SharedRefs::default(),
        }
    }

    /// Add a relation, its ends shared with the other relations that name them.
    pub fn relate(&mut self, from: &str, to: &str, kind: RelationKind, original: Option<String>) {
        let (from, to) = (self.shared_refs.share(from), self.shared_refs.share(to));
        self.relations.push(Relation {
            from,
            to,
            kind,
            original,
        });
    }

    pub fn warn(&mut self, origin: Origin, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            level: Level::Warning,
            origin,
            message: message.into(),
        });
    }
}
