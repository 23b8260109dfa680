//! The vendor registry: who owns what, where, and on what evidence.
//!
//! Plain CSV files (see `vendors/README.md`), embedded in the binary and
//! overlaid by a user's own folder (`--vendors DIR`). File names choose the
//! table: `entities*.csv`, `matchers*.csv`, `jurisdictions*.csv`,
//! `laws*.csv`, `regions*.csv`. Every row keeps its file and line so that an
//! attribution can cite it.

pub mod facts;
mod index;
pub mod listings;
pub mod normalize;
mod products;
mod services;
pub mod validate;

pub use index::{Hit, MatchIndex, ServiceIndex};
pub use products::{LicenceModel, Online, Product};
pub use services::{LicenceRule, ServiceRule};

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_vendors.rs"));
}

/// The registry CSV files of a folder (regular files named `*.csv`), sorted by name,
/// as `(path, text)` pairs.
pub fn csv_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read vendors folder: {e}"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "csv") && p.is_file())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|p| {
            std::fs::read_to_string(&p)
                .map(|text| (p.display().to_string(), text))
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect()
}

/// The longest ownership chain followed (a registry refuses longer ones).
pub const MAX_CHAIN: usize = 64;

/// For each entity, what is wrong with its chain of parents: a cycle on the way up, or
/// more than [`MAX_CHAIN`] links. Each entity is visited once (its depth and whether it
/// reaches a cycle are kept), so a chain of 100,000 links costs 100,000 steps.
fn chain_problems(entities: &[Entity], by_id: &HashMap<String, usize>) -> Vec<Option<String>> {
    let n = entities.len();
    let parent: Vec<Option<usize>> = entities
        .iter()
        .map(|e| e.parent.as_ref().and_then(|p| by_id.get(p)).copied())
        .collect();
    // 0: not seen, 1: on the current walk, 2: done.
    let mut state = vec![0u8; n];
    let mut depth = vec![0usize; n];
    let mut cyclic = vec![false; n];
    for start in 0..n {
        let mut walk = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            if state[c] != 0 {
                break;
            }
            state[c] = 1;
            walk.push(c);
            cur = parent[c];
        }
        // Where the walk stopped: the top, a finished entity, or itself (a cycle).
        let (mut d, mut cycle) = match cur {
            Some(c) if state[c] == 2 => (depth[c], cyclic[c]),
            Some(_) => (0, true),
            None => (0, false),
        };
        for &c in walk.iter().rev() {
            d += 1;
            cycle = cycle || cyclic[c];
            depth[c] = d;
            cyclic[c] = cycle;
            state[c] = 2;
        }
    }
    (0..n)
        .map(|i| {
            if cyclic[i] {
                Some(format!("ownership cycle through \"{}\"", entities[i].id))
            } else if depth[i] > MAX_CHAIN + 1 {
                Some(format!(
                    "the ownership chain of \"{}\" is longer than {MAX_CHAIN} links (real ones have a dozen at most)",
                    entities[i].id
                ))
            } else {
                None
            }
        })
        .collect()
}

/// A registry row's address: `vendors/entities.csv:12`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
pub struct RowRef {
    pub file: String,
    pub line: u64,
}

impl fmt::Display for RowRef {
    /// `file:line`; a bid's own declarations (line 0: no registry row) show the file alone.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}", self.file, self.line)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Company,
    State,
    Foundation,
    Community,
    Person,
}

impl EntityKind {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "company" => EntityKind::Company,
            "state" => EntityKind::State,
            "foundation" => EntityKind::Foundation,
            "community" => EntityKind::Community,
            "person" => EntityKind::Person,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entity {
    pub id: String,
    pub name: String,
    /// Jurisdiction whose law reaches the entity's control.
    pub country: String,
    /// Place of incorporation, when it differs or is known.
    pub incorporated: Option<String>,
    pub kind: EntityKind,
    pub parent: Option<String>,
    /// Share of capital held by the parent, in percent.
    pub parent_share: Option<f64>,
    /// Does the parent control the entity?
    pub control: Option<bool>,
    pub aliases: Vec<String>,
    pub source: String,
    /// The publication date of the source, when it states one (YYYY-MM-DD).
    pub source_date: Option<String>,
    pub as_of: String,
    /// A sentence of the source, verbatim; `quote_states` says which facts it states.
    pub source_quote: String,
    /// The facts `source_quote` states; `None` for a file without the column.
    pub quote_states: Option<Vec<facts::Fact>>,
    /// The facts the row asserts that no source it found states.
    pub unconfirmed: Vec<facts::Fact>,
    /// Further sources for the facts the row's own quote does not state (`quotes*.csv`).
    pub quotes: Vec<facts::Quote>,
    pub note: String,
    pub row: RowRef,
}

impl Entity {
    /// Whether the row itself quotes a source (a bid's own declaration is not a registry
    /// fact and has none). Which facts the quote states is [`Entity::cite`]'s business.
    pub fn quoted_row(&self) -> bool {
        !self.source_quote.trim().is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "low" => Confidence::Low,
            "medium" => Confidence::Medium,
            "high" => Confidence::High,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum MatcherKind {
    Purl,
    Cpe,
    Name,
    Domain,
    Endpoint,
    /// A source repository owner on a code forge: `github.com/aws`.
    Repo,
}

impl MatcherKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatcherKind::Purl => "purl",
            MatcherKind::Cpe => "cpe",
            MatcherKind::Name => "name",
            MatcherKind::Domain => "domain",
            MatcherKind::Endpoint => "endpoint",
            MatcherKind::Repo => "repo",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "purl" => MatcherKind::Purl,
            "cpe" => MatcherKind::Cpe,
            "name" => MatcherKind::Name,
            "domain" => MatcherKind::Domain,
            "endpoint" => MatcherKind::Endpoint,
            "repo" => MatcherKind::Repo,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Matcher {
    pub kind: MatcherKind,
    pub pattern: String,
    pub entity: String,
    pub confidence: Confidence,
    pub note: String,
    pub row: RowRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Jurisdiction {
    pub code: String,
    pub name: String,
    pub is_bloc: bool,
    pub members: Vec<String>,
    pub source: String,
    pub row: RowRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Law {
    pub id: String,
    pub name: String,
    pub jurisdiction: String,
    /// `compelled-access`, `export-control`, `data-localisation`, `sanctions`…
    pub effect: String,
    pub citation: String,
    pub url: String,
    pub as_of: String,
    pub row: RowRef,
}

/// A cloud region named in endpoint hostnames, and where it is.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub entity: String,
    pub region: String,
    pub country: String,
    pub city: String,
    pub source: String,
    pub row: RowRef,
}

/// A problem in the registry files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RegistryError {
    pub row: RowRef,
    pub message: String,
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.row, self.message)
    }
}

/// The loaded registry files: every table and the indexes over them.
#[derive(Debug, Clone, Default)]
pub struct Tables {
    pub entities: Vec<Entity>,
    pub matchers: Vec<Matcher>,
    pub jurisdictions: Vec<Jurisdiction>,
    pub laws: Vec<Law>,
    pub regions: Vec<Region>,
    /// Packages and hosts that call a provider's online service (`services*.csv`).
    pub services: Vec<ServiceRule>,
    /// Licence and online-dependency facts of products (`licences*.csv`).
    pub licences: Vec<LicenceRule>,
    /// Products, their licensors, licence models and online dependency (`products*.csv`).
    pub products: Vec<Product>,
    /// Export-control and sanctions listings (`listings*.csv`).
    pub listings: Vec<listings::Listing>,
    /// Further quoted sources for entities' facts (`quotes*.csv`).
    pub quotes: Vec<facts::Quote>,
    product_index: products::ProductIndex,
    by_id: HashMap<String, usize>,
    index: MatchIndex,
    service_index: ServiceIndex,
    licence_index: ServiceIndex,
    /// Rows that were read but are inconsistent (dangling parents, cycles…).
    pub problems: Vec<RegistryError>,
    /// Rows replaced by a later row with the same id or the same matcher
    /// (old row, new row, whether the matcher now names another entity).
    pub replaced: Vec<(RowRef, RowRef, bool)>,
    matcher_keys: HashMap<(MatcherKind, String), usize>,
}

/// The registry as one analysis sees it: the shared tables (never copied: an
/// `Arc`) and, over them, the entities one bid's manifest declares (its bidder
/// and owners). Cloning it is cheap.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    tables: Arc<Tables>,
    local: Arc<Vec<Entity>>,
    local_by_id: Arc<HashMap<String, usize>>,
}

impl std::ops::Deref for Registry {
    type Target = Tables;
    fn deref(&self) -> &Tables {
        &self.tables
    }
}

type Row = BTreeMap<String, String>;

/// Put `item` in `list`, replacing the row `same` finds (a later file's correction, an
/// overlay's) and noting the replacement as (old row, new row, whether it changes the match).
fn upsert<T>(
    list: &mut Vec<T>,
    replaced: &mut Vec<(RowRef, RowRef, bool)>,
    item: T,
    same: impl Fn(&T) -> bool,
    row: impl Fn(&T) -> &RowRef,
    changes: bool,
) {
    match list.iter().position(same) {
        Some(i) => {
            replaced.push((row(&list[i]).clone(), row(&item).clone(), changes));
            list[i] = item;
        }
        None => list.push(item),
    }
}

fn read_rows(file: &str, text: &str, required: &[&str]) -> Result<Vec<(u64, Row)>, RegistryError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header_err = |m: String| RegistryError {
        row: RowRef {
            file: file.into(),
            line: 1,
        },
        message: m,
    };
    let headers = rdr
        .headers()
        .map_err(|e| header_err(format!("unreadable header: {e}")))?
        .clone();
    for r in required {
        if !headers.iter().any(|h| h == *r) {
            return Err(header_err(format!("missing column \"{r}\"")));
        }
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            RegistryError {
                row: RowRef {
                    file: file.into(),
                    line,
                },
                message: format!("malformed row: {e}"),
            }
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let row: Row = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_string(), v.trim().to_string()))
            .collect();
        if row.values().all(|v| v.is_empty()) {
            continue;
        }
        out.push((line, row));
    }
    Ok(out)
}

fn get<'a>(row: &'a Row, key: &str) -> &'a str {
    row.get(key).map_or("", String::as_str)
}

fn opt(row: &Row, key: &str) -> Option<String> {
    Some(get(row, key).to_string()).filter(|s| !s.is_empty())
}

/// The registry files shipped in the binary, as (`vendors/NAME`, text).
pub fn embedded_files() -> Vec<(String, String)> {
    embedded::FILES
        .iter()
        .map(|(n, t)| (format!("vendors/{n}"), t.to_string()))
        .collect()
}

impl Registry {
    /// The registry shipped in the binary.
    pub fn embedded() -> Result<Registry, Vec<RegistryError>> {
        Registry::from_files(&embedded_files())
    }

    /// The embedded registry overlaid by the CSV files of `dir`: entities with
    /// the same id and matchers with the same kind and pattern are replaced.
    pub fn embedded_with_overlay(dir: &Path) -> Result<Registry, Vec<RegistryError>> {
        let mut files = embedded_files();
        files.extend(csv_files(dir).map_err(|m| {
            vec![RegistryError {
                row: RowRef {
                    file: dir.display().to_string(),
                    line: 0,
                },
                message: m,
            }]
        })?);
        Registry::from_files(&files)
    }

    /// Build from `(file name, CSV text)` pairs; later files override earlier ones.
    pub fn from_files(files: &[(String, String)]) -> Result<Registry, Vec<RegistryError>> {
        let (reg, errors) = Registry::load_all(files);
        if errors.is_empty() {
            Ok(reg)
        } else {
            Err(errors)
        }
    }

    /// Load every file, skipping bad rows: the registry that could be built, and every row error.
    pub fn load_all(files: &[(String, String)]) -> (Registry, Vec<RegistryError>) {
        let mut reg = Tables::default();
        let mut errors = Vec::new();
        for (path, text) in files {
            let base = path.rsplit(['/', '\\']).next().unwrap_or(path);
            let res = if base.starts_with("entities") {
                reg.load_entities(path, text)
            } else if base.starts_with("matchers") {
                reg.load_matchers(path, text)
            } else if base.starts_with("jurisdictions") {
                reg.load_jurisdictions(path, text)
            } else if base.starts_with("laws") {
                reg.load_laws(path, text)
            } else if base.starts_with("regions") {
                reg.load_regions(path, text)
            } else if base.starts_with("services") {
                reg.load_services(path, text)
            } else if base.starts_with("licences") {
                reg.load_licences(path, text)
            } else if base.starts_with("products") {
                reg.load_products(path, text)
            } else if base.starts_with("listings") {
                reg.load_listings(path, text)
            } else if base.starts_with("quotes") {
                reg.load_quotes(path, text)
            } else {
                Ok(())
            };
            if let Err(mut e) = res {
                errors.append(&mut e);
            }
        }
        reg.finish();
        (
            Registry {
                tables: Arc::new(reg),
                ..Registry::default()
            },
            errors,
        )
    }
}

impl Tables {
    fn load_entities(&mut self, file: &str, text: &str) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(
            file,
            text,
            &["id", "name", "country", "kind", "source", "as_of"],
        )
        .map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            // Every problem of the row is reported, not only the first.
            let before = errors.len();
            let kind = EntityKind::parse(get(&r, "kind"));
            if kind.is_none() {
                errors.push(RegistryError {
                    row: row.clone(),
                    message: format!(
                        "kind \"{}\" is not company, state, foundation, community or person",
                        get(&r, "kind")
                    ),
                });
            }
            let parent_share = match get(&r, "parent_share") {
                "" => None,
                s => match s.trim_end_matches('%').parse::<f64>() {
                    Ok(v) if (0.0..=100.0).contains(&v) => Some(v),
                    _ => {
                        errors.push(RegistryError {
                            row: row.clone(),
                            message: format!(
                                "parent_share \"{s}\" is not a percentage from 0 to 100"
                            ),
                        });
                        None
                    }
                },
            };
            let control = match get(&r, "control") {
                "" => None,
                "yes" | "true" => Some(true),
                "no" | "false" => Some(false),
                s => {
                    errors.push(RegistryError {
                        row: row.clone(),
                        message: format!("control \"{s}\" is not yes or no"),
                    });
                    None
                }
            };
            if get(&r, "id").is_empty() {
                errors.push(RegistryError {
                    row: row.clone(),
                    message: "empty id".into(),
                });
            }
            if !crate::ingest::manifest::is_country(get(&r, "country")) {
                errors.push(RegistryError {
                    row: row.clone(),
                    message: format!(
                        "country \"{}\" is not an ISO 3166-1 alpha-2 code",
                        get(&r, "country")
                    ),
                });
            }
            let (Some(kind), true) = (kind, errors.len() == before) else {
                continue;
            };
            let e = Entity {
                id: get(&r, "id").to_string(),
                name: get(&r, "name").to_string(),
                country: get(&r, "country").to_string(),
                incorporated: opt(&r, "incorporated"),
                kind,
                parent: opt(&r, "parent"),
                parent_share,
                control,
                aliases: get(&r, "aliases")
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                source: get(&r, "source").to_string(),
                source_date: opt(&r, "source_date"),
                as_of: get(&r, "as_of").to_string(),
                source_quote: get(&r, "source_quote").to_string(),
                quote_states: facts::entity_facts(&r, "quote_states", &mut errors, &row),
                unconfirmed: facts::entity_facts(&r, "unconfirmed", &mut errors, &row)
                    .unwrap_or_default(),
                quotes: Vec::new(),
                note: get(&r, "note").to_string(),
                row: row.clone(),
            };
            match self.by_id.get(&e.id) {
                Some(&i) => {
                    self.replaced
                        .push((self.entities[i].row.clone(), e.row.clone(), false));
                    self.entities[i] = e
                }
                None => {
                    self.by_id.insert(e.id.clone(), self.entities.len());
                    self.entities.push(e);
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn load_matchers(&mut self, file: &str, text: &str) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(file, text, &["kind", "pattern", "entity"]).map_err(|e| vec![e])?;
        let mut errors = Vec::new();
        for (line, r) in rows {
            let row = RowRef {
                file: file.into(),
                line,
            };
            let Some(kind) = MatcherKind::parse(get(&r, "kind")) else {
                errors.push(RegistryError {
                    row,
                    message: format!(
                        "matcher kind \"{}\" is not purl, cpe, name, domain or endpoint",
                        get(&r, "kind")
                    ),
                });
                continue;
            };
            let confidence = match get(&r, "confidence") {
                "" => Confidence::Medium,
                s => match Confidence::parse(s) {
                    Some(c) => c,
                    None => {
                        errors.push(RegistryError {
                            row,
                            message: format!("confidence \"{s}\" is not high, medium or low"),
                        });
                        continue;
                    }
                },
            };
            let pattern = get(&r, "pattern");
            let pattern = match kind {
                MatcherKind::Name => normalize::name(pattern),
                _ => pattern.to_ascii_lowercase(),
            };
            if pattern.is_empty() || pattern == "*" {
                errors.push(RegistryError {
                    row,
                    message: "empty pattern".into(),
                });
                continue;
            }
            let m = Matcher {
                kind,
                pattern,
                entity: get(&r, "entity").to_string(),
                confidence,
                note: get(&r, "note").to_string(),
                row,
            };
            // A later matcher for the same evidence replaces the earlier one.
            match self.matcher_keys.get(&(m.kind, m.pattern.clone())) {
                Some(&i) => {
                    let conflict = self.matchers[i].entity != m.entity;
                    self.replaced
                        .push((self.matchers[i].row.clone(), m.row.clone(), conflict));
                    self.matchers[i] = m;
                }
                None => {
                    self.matcher_keys
                        .insert((m.kind, m.pattern.clone()), self.matchers.len());
                    self.matchers.push(m);
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn load_jurisdictions(&mut self, file: &str, text: &str) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(file, text, &["code", "name", "kind"]).map_err(|e| vec![e])?;
        for (line, r) in rows {
            let j = Jurisdiction {
                code: get(&r, "code").to_string(),
                name: get(&r, "name").to_string(),
                is_bloc: get(&r, "kind") == "bloc",
                members: get(&r, "members")
                    .split(';')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                source: get(&r, "source").to_string(),
                row: RowRef {
                    file: file.into(),
                    line,
                },
            };
            self.jurisdictions.retain(|o| o.code != j.code);
            self.jurisdictions.push(j);
        }
        Ok(())
    }

    fn load_laws(&mut self, file: &str, text: &str) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(file, text, &["id", "name", "jurisdiction", "effect"])
            .map_err(|e| vec![e])?;
        for (line, r) in rows {
            let l = Law {
                id: get(&r, "id").to_string(),
                name: get(&r, "name").to_string(),
                jurisdiction: get(&r, "jurisdiction").to_string(),
                effect: get(&r, "effect").to_string(),
                citation: get(&r, "citation").to_string(),
                url: get(&r, "url").to_string(),
                as_of: get(&r, "as_of").to_string(),
                row: RowRef {
                    file: file.into(),
                    line,
                },
            };
            self.laws.retain(|o| o.id != l.id);
            self.laws.push(l);
        }
        Ok(())
    }

    fn load_regions(&mut self, file: &str, text: &str) -> Result<(), Vec<RegistryError>> {
        let rows = read_rows(file, text, &["entity", "region", "country"]).map_err(|e| vec![e])?;
        for (line, r) in rows {
            self.regions.push(Region {
                entity: get(&r, "entity").to_string(),
                region: get(&r, "region").to_ascii_lowercase(),
                country: get(&r, "country").to_string(),
                city: get(&r, "city").to_string(),
                source: get(&r, "source").to_string(),
                row: RowRef {
                    file: file.into(),
                    line,
                },
            });
        }
        Ok(())
    }

    /// Index the matchers and check references; inconsistencies become `problems`.
    fn finish(&mut self) {
        self.matcher_keys.clear();
        self.by_id = self
            .entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let mut problems = Vec::new();
        for e in &self.entities {
            if let Some(p) = &e.parent
                && !self.by_id.contains_key(p)
            {
                problems.push(RegistryError {
                    row: e.row.clone(),
                    message: format!("parent \"{p}\" of \"{}\" is not defined", e.id),
                });
            }
        }
        self.attach_quotes(&mut problems);
        self.matchers.retain(|m| {
            let ok = self.by_id.contains_key(&m.entity);
            if !ok {
                problems.push(RegistryError {
                    row: m.row.clone(),
                    message: format!("matcher names undefined entity \"{}\"", m.entity),
                });
            }
            ok
        });
        for (e, problem) in self
            .entities
            .iter()
            .zip(chain_problems(&self.entities, &self.by_id))
        {
            if let Some(message) = problem {
                problems.push(RegistryError {
                    row: e.row.clone(),
                    message,
                });
            }
        }
        for s in &self.services {
            if !self.by_id.contains_key(&s.provider) {
                problems.push(RegistryError {
                    row: s.row.clone(),
                    message: format!("service names undefined provider \"{}\"", s.provider),
                });
            }
        }
        for l in &self.licences {
            if let Some(e) = l.entity.as_ref().filter(|e| !self.by_id.contains_key(*e)) {
                problems.push(RegistryError {
                    row: l.row.clone(),
                    message: format!("licence names undefined entity \"{e}\""),
                });
            }
        }
        for p in &self.products {
            if !self.by_id.contains_key(&p.vendor) {
                problems.push(RegistryError {
                    row: p.row.clone(),
                    message: format!("product names undefined vendor \"{}\"", p.vendor),
                });
            }
        }
        problems.sort();
        problems.dedup();
        self.problems = problems;
        self.product_index = products::ProductIndex::build(&self.products);
        self.index = MatchIndex::build(&self.matchers, &self.entities);
        self.service_index =
            ServiceIndex::build(self.services.iter().map(|s| (s.kind, s.pattern.as_str())));
        self.licence_index =
            ServiceIndex::build(self.licences.iter().map(|s| (s.kind, s.pattern.as_str())));
    }

    pub fn index(&self) -> &MatchIndex {
        &self.index
    }

    /// The service a package calls, by its purl (exact, then longest prefix).
    pub fn service_for_purl(&self, purl: &str) -> Option<&ServiceRule> {
        self.service_index.purl(purl).map(|i| &self.services[i])
    }

    /// The service a host name belongs to (`s3.eu-west-1.amazonaws.com` → Amazon S3).
    pub fn service_for_host(&self, host: &str) -> Option<&ServiceRule> {
        self.service_index.host(host).map(|i| &self.services[i])
    }

    /// The registry's licence fact for a package, by its purl.
    pub fn licence_for_purl(&self, purl: &str) -> Option<&LicenceRule> {
        self.licence_index.purl(purl).map(|i| &self.licences[i])
    }
}

impl Registry {
    /// The registry id closest to a misspelt one (at most two edits), for "did you mean".
    pub fn similar_id(&self, id: &str) -> Option<&str> {
        let id = id.trim().to_lowercase();
        // Ids are short slugs; a long string is no misspelling of one.
        if id.len() > 64 {
            return None;
        }
        self.tables
            .entities
            .iter()
            .map(|e| (strsim::levenshtein(&id, &e.id), e.id.as_str()))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, e)| e)
    }

    /// The listings in force of an entity (not of its parents).
    pub fn listings_of(&self, id: &str) -> impl Iterator<Item = &listings::Listing> {
        self.tables
            .listings
            .iter()
            .filter(move |l| l.entity == id && l.active())
    }

    pub fn entity(&self, id: &str) -> Option<&Entity> {
        match self.local_by_id.get(id) {
            Some(&i) => Some(&self.local[i]),
            None => self.tables.by_id.get(id).map(|&i| &self.tables.entities[i]),
        }
    }

    /// The same tables with entities that exist only in one bid (the bidder, its owners)
    /// laid over them; the tables are shared, not copied. Their ids must not clash.
    pub fn with_extra(&self, extra: Vec<Entity>) -> Registry {
        let local_by_id = extra
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Registry {
            tables: Arc::clone(&self.tables),
            local: Arc::new(extra),
            local_by_id: Arc::new(local_by_id),
        }
    }

    /// The entities the bid's manifest declared (empty for the shared registry).
    pub fn local_entities(&self) -> &[Entity] {
        &self.local
    }

    /// The chain of ownership from `id` upwards (the entity first), stopping at cycles.
    pub fn chain(&self, id: &str) -> Vec<&Entity> {
        let mut out: Vec<&Entity> = Vec::new();
        let mut cur = self.entity(id);
        while let Some(e) = cur {
            if out.len() > MAX_CHAIN || out.iter().any(|o| std::ptr::eq(*o, e)) {
                break;
            }
            out.push(e);
            cur = e.parent.as_deref().and_then(|p| self.entity(p));
        }
        out
    }

    /// The ultimate controller: climb while each parent controls its child.
    /// An unknown `control` flag counts as control when the parent holds more than 50 %.
    pub fn controller(&self, id: &str) -> Option<&Entity> {
        let chain = self.chain(id);
        let mut ctl = *chain.first()?;
        for w in chain.windows(2) {
            let (child, parent) = (w[0], w[1]);
            let controls = child
                .control
                .unwrap_or_else(|| child.parent_share.is_some_and(|s| s > 50.0));
            if !controls {
                break;
            }
            ctl = parent;
        }
        Some(ctl)
    }

    /// The countries of the controlling chain (entity up to its controller), deduplicated, in order.
    pub fn control_jurisdictions(&self, id: &str) -> Vec<String> {
        let Some(ctl) = self.controller(id) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for e in self.chain(id) {
            if !out.contains(&e.country) {
                out.push(e.country.clone());
            }
            if e.id == ctl.id {
                break;
            }
        }
        out
    }

    /// The countries a home code stands for: a bloc's members, or the country itself.
    pub fn home_countries(&self, home: &str) -> BTreeSet<String> {
        match self
            .jurisdictions
            .iter()
            .find(|j| j.code == home && j.is_bloc)
        {
            Some(j) => j.members.iter().cloned().collect(),
            None => std::iter::once(home.to_string()).collect(),
        }
    }

    pub fn jurisdiction_name(&self, code: &str) -> Option<&str> {
        self.jurisdictions
            .iter()
            .find(|j| j.code == code)
            .map(|j| j.name.as_str())
    }

    /// Laws of a country with a given effect (`compelled-access`, `export-control`…).
    pub fn laws(&self, country: &str, effect: &str) -> Vec<&Law> {
        let mut v: Vec<&Law> = self
            .laws
            .iter()
            .filter(|l| l.jurisdiction == country && l.effect == effect)
            .collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// The region a hostname names for a provider entity (or any entity in its controlling chain).
    pub fn region_of(&self, entity: &str, host: &str) -> Option<&Region> {
        let chain: Vec<&str> = self.chain(entity).iter().map(|e| e.id.as_str()).collect();
        let labels: Vec<&str> = host.split('.').collect();
        self.regions
            .iter()
            .filter(|r| chain.contains(&r.entity.as_str()))
            .find(|r| {
                labels.iter().any(|l| {
                    *l == r.region
                        || l.ends_with(&format!("-{}", r.region))
                        || l.starts_with(&format!("{}-", r.region))
                        || l.starts_with(&format!("{}.", r.region))
                })
            })
    }
}

#[cfg(test)]
mod tests;
