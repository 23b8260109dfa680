//! `coquille vendors list|lookup`.

use super::{AppError, Files};
use crate::attribute;
use crate::registry::{Hit, Registry};
use crate::render::escape::terminal as t;
use std::fmt::Write;

/// What `vendors list` keeps.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// The entity's own country.
    pub country: Option<String>,
    /// The country of its ultimate controller.
    pub controlled_from: Option<String>,
    /// company, state, foundation, community or person.
    pub kind: Option<String>,
}

/// One line of `vendors list`.
#[derive(Debug, serde::Serialize)]
struct Listed<'a> {
    id: &'a str,
    name: &'a str,
    kind: String,
    country: &'a str,
    controller: &'a str,
    controller_name: &'a str,
    controller_country: &'a str,
    quoted: bool,
    as_of: &'a str,
    source: &'a str,
    row: String,
}

/// `vendors list`: every entity with its ultimate controller and that
/// controller's country, filtered, as text, CSV or JSON.
pub fn list(reg: &Registry, filter: &ListFilter, format: &str) -> Result<String, AppError> {
    let country = |c: &Option<String>| -> Result<Option<String>, AppError> {
        c.as_deref()
            .map(|c| crate::country::normalise(c).map_err(AppError::Usage))
            .transpose()
    };
    let (own, from) = (country(&filter.country)?, country(&filter.controlled_from)?);
    let kind = match filter.kind.as_deref() {
        None => None,
        Some(k) => Some(crate::registry::EntityKind::parse(k).ok_or_else(|| {
            AppError::Usage(format!(
                "--kind \"{}\" is not company, state, foundation, community or person",
                t(k)
            ))
        })?),
    };
    let mut v: Vec<_> = reg.entities.iter().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    let rows: Vec<Listed> = v
        .into_iter()
        .filter(|e| kind.is_none_or(|k| e.kind == k))
        .filter(|e| own.as_deref().is_none_or(|c| e.country == c))
        .map(|e| {
            let c = reg.controller(&e.id).unwrap_or(e);
            Listed {
                id: &e.id,
                name: &e.name,
                kind: format!("{:?}", e.kind).to_lowercase(),
                country: &e.country,
                controller: &c.id,
                controller_name: &c.name,
                controller_country: &c.country,
                quoted: e.unquoted_facts().is_empty(),
                as_of: &e.as_of,
                source: &e.source,
                row: e.row.to_string(),
            }
        })
        .filter(|l| from.as_deref().is_none_or(|c| l.controller_country == c))
        .collect();
    Ok(match format {
        "json" => {
            let mut s = serde_json::to_string_pretty(&rows).expect("serialisable");
            s.push('\n');
            s
        }
        "csv" => crate::render::csv::write(
            rows.iter()
                .map(|l| {
                    vec![
                        l.id.to_string(),
                        l.name.to_string(),
                        l.kind.clone(),
                        l.country.to_string(),
                        l.controller.to_string(),
                        l.controller_name.to_string(),
                        l.controller_country.to_string(),
                        if l.quoted { "yes" } else { "no" }.to_string(),
                        l.as_of.to_string(),
                        l.source.to_string(),
                        l.row.clone(),
                    ]
                })
                .collect(),
            &[
                "id",
                "name",
                "kind",
                "country",
                "controller",
                "controller_name",
                "controller_country",
                "quoted",
                "as_of",
                "source",
                "row",
            ],
        ),
        _ => {
            let mut s = String::new();
            for l in &rows {
                let _ = writeln!(
                    s,
                    "{:<28} {:<3} {:<10} {:<44} controlled from {} by {}{}",
                    t(l.id),
                    l.country,
                    l.kind,
                    t(l.name),
                    l.controller_country,
                    t(l.controller_name),
                    if l.quoted { "" } else { " [unconfirmed]" }
                );
            }
            let _ = writeln!(
                s,
                "{} of {} entities; {} matchers, {} laws, {} regions",
                rows.len(),
                reg.entities.len(),
                reg.matchers.len(),
                reg.laws.len(),
                reg.regions.len()
            );
            s
        }
    })
}

/// How a lookup query found its entity.
enum Found {
    Id(String),
    Hit(Hit),
    Product(String, String),
}

/// The host of a URL (`https://a.b/c` → `a.b`), when the query is one.
fn url_host(q: &str) -> Option<&str> {
    let rest = q.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

fn find(reg: &Registry, q: &str) -> Option<Found> {
    let ix = reg.index();
    if let Some(e) = reg.entity(q) {
        return Some(Found::Id(e.id.clone()));
    }
    let hit = if q.starts_with("pkg:") {
        ix.purl(q)
    } else if q.starts_with("cpe:") {
        ix.cpe(q)
    } else if let Some(host) = url_host(q) {
        ix.endpoint(host)
            .map(|(h, _)| h)
            .or_else(|| ix.domain(host))
    } else {
        ix.party(q)
            .map(|(h, _)| h)
            .or_else(|| ix.domain(q))
            .or_else(|| ix.endpoint(q).map(|(h, _)| h))
    };
    if let Some(h) = hit {
        return Some(Found::Hit(h));
    }
    reg.products_named(q)
        .first()
        .map(|p| Found::Product(p.product.clone(), p.vendor.clone()))
}

/// Longest query for which near names are suggested.
const NEAR_MAX: usize = 200;

/// Registry names and aliases close to `q`, best first.
fn near(reg: &Registry, q: &str) -> Vec<String> {
    // A name is a few words: a longer query is not a misspelling, and comparing it with
    // every name would take time that grows with its length.
    if q.chars().count() > NEAR_MAX {
        return Vec::new();
    }
    let key = crate::registry::normalize::name(q);
    if key.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u32, String)> = reg
        .entities
        .iter()
        .flat_map(|e| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .chain(std::iter::once(e.id.as_str()))
                .map(move |n| (n, e))
        })
        .filter_map(|(n, e)| {
            let score = strsim::jaro_winkler(&key, &crate::registry::normalize::name(n));
            (score >= 0.88).then(|| ((score * 1000.0) as u32, format!("{} ({})", e.name, e.id)))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, s) in scored {
        if !out.contains(&s) {
            out.push(s);
        }
        if out.len() == 3 {
            break;
        }
    }
    out
}

/// `vendors lookup QUERY…`: for each query (a registry id, purl, CPE, URL,
/// domain, organisation or product name), the entity behind it and its chain
/// of control; near names for a query that matches nothing. Fails (exit 1)
/// when a query matches nothing.
pub fn lookup(reg: &Registry, queries: &[String]) -> Result<String, AppError> {
    let mut s = String::new();
    let mut missed = 0;
    for (i, q) in queries.iter().enumerate() {
        let q = q.trim();
        if queries.len() > 1 {
            if i > 0 {
                s.push('\n');
            }
            let _ = writeln!(s, "== {}", t(q));
        }
        match find(reg, q) {
            Some(found) => describe(reg, &found, &mut s),
            None => {
                missed += 1;
                let near = near(reg, q);
                if near.is_empty() {
                    let _ = writeln!(s, "no registry entity matches \"{}\"", t(q));
                } else {
                    let _ = writeln!(
                        s,
                        "no registry entity matches \"{}\"; did you mean {}?",
                        t(q),
                        t(&near.join(", or "))
                    );
                }
            }
        }
    }
    if missed == 0 {
        Ok(s)
    } else if queries.len() == 1 {
        Err(AppError::Usage(s.trim_end().to_string()))
    } else {
        let _ = write!(s, "{missed} of {} queries matched nothing", queries.len());
        Err(AppError::Failed(s))
    }
}

fn describe(reg: &Registry, found: &Found, s: &mut String) {
    let id = match found {
        Found::Id(id) => id.clone(),
        Found::Hit(h) => {
            let _ = writeln!(
                s,
                "matched {} ({}), confidence {}",
                t(&h.rule),
                h.row,
                h.confidence.as_str()
            );
            h.entity.clone()
        }
        Found::Product(product, vendor) => {
            let _ = writeln!(s, "product {} is licensed by {}", t(product), t(vendor));
            vendor.clone()
        }
    };
    let _ = writeln!(s, "chain of ownership:");
    for link in attribute::chain(reg, &id) {
        let share = link
            .share
            .map(|x| format!(" holds {x}%"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {:<40} {}{}{}  — {}",
            t(&link.name),
            link.country,
            share,
            if link.controls { "" } else { " (no control)" },
            link.row,
        );
        for c in &link.cites {
            if c.confirmed() {
                let _ = writeln!(
                    s,
                    "      {}: “{}” — {} ({}, as of {})",
                    c.fact.as_str(),
                    t(&c.quote),
                    t(&c.source),
                    c.row,
                    c.as_of
                );
            } else {
                let _ = writeln!(
                    s,
                    "      {}: [unconfirmed] — {} ({})",
                    c.fact.as_str(),
                    t(&c.source),
                    c.row
                );
            }
        }
    }
    if let Some(c) = reg.controller(&id) {
        let _ = writeln!(s, "ultimate controller: {} ({})", t(&c.name), c.country);
    }
}

/// `vendors stale [--before DATE]`: entity facts whose `as_of` is older than
/// `before`, the entities that stand behind the most matchers first.
pub fn stale(reg: &Registry, before: &str) -> Result<String, AppError> {
    if !crate::registry::validate::is_date(before) {
        return Err(AppError::Usage(format!(
            "--before \"{}\" is not a YYYY-MM-DD date",
            t(before)
        )));
    }
    // A matcher counts for its entity and every entity up its chain.
    let mut weight: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for m in &reg.matchers {
        for e in reg.chain(&m.entity) {
            *weight.entry(e.id.as_str()).or_default() += 1;
        }
    }
    // Each fact rests on its freshest quote (or on the row, if no quote states it).
    let mut old: Vec<_> = reg
        .entities
        .iter()
        .flat_map(|e| {
            let w = weight.get(e.id.as_str()).copied().unwrap_or(0);
            e.required_facts()
                .into_iter()
                .map(move |f| (w, e, f, e.stated_or_row(f)))
        })
        .filter(|(_, _, _, s)| s.as_of < before)
        .collect();
    old.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(a.3.as_of.cmp(b.3.as_of))
            .then(a.1.id.cmp(&b.1.id))
            .then(a.2.cmp(&b.2))
    });
    let mut s = String::new();
    for (w, e, f, st) in &old {
        let _ = writeln!(
            s,
            "{:<28} {:<8} as of {:<10}  behind {w:>4} matchers  {} ({})",
            t(&e.id),
            f.as_str(),
            st.as_of,
            t(st.source),
            st.row
        );
    }
    let entities: std::collections::BTreeSet<&str> =
        old.iter().map(|(_, e, _, _)| e.id.as_str()).collect();
    let _ = writeln!(
        s,
        "{} facts of {} of {} entities rest on sources older than {before}",
        old.len(),
        entities.len(),
        reg.entities.len()
    );
    Ok(s)
}

/// The default threshold of `vendors stale`: 18 months before `today`.
pub fn eighteen_months_before(today: &str) -> String {
    let part = |r: std::ops::Range<usize>, default: i32| {
        today
            .get(r)
            .and_then(|x| x.parse::<i32>().ok())
            .unwrap_or(default)
    };
    let (y, m, d) = (part(0..4, 1970), part(5..7, 1), part(8..10, 1));
    let months = y * 12 + (m - 1) - 18;
    // Every month has a 28th.
    format!("{:04}-{:02}-{:02}", months / 12, months % 12 + 1, d.min(28))
}

/// `vendors validate [DIR]`: every problem, with file and line.
///
/// With `overlay`, the overlay's files are checked on top of the shipped
/// registry they extend (its ids, parents and matchers resolve against it). A
/// folder without `jurisdictions*.csv` given as `DIR` is an overlay, not a
/// registry: the message says to pass it with `--vendors`.
pub fn validate(
    dir: Option<&std::path::Path>,
    overlay: Option<&std::path::Path>,
) -> Result<String, AppError> {
    let files: Vec<(String, String)> = match (dir, overlay) {
        (Some(_), Some(_)) => {
            return Err(AppError::Usage(
                "vendors validate takes a complete registry folder or --vendors OVERLAY, not both"
                    .into(),
            ));
        }
        (None, None) => crate::registry::embedded_files(),
        (None, Some(o)) => {
            let mut files = crate::registry::embedded_files();
            files.extend(csv_files(o)?);
            files
        }
        (Some(d), None) => {
            let files = csv_files(d)?;
            let base = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_string();
            if !files
                .iter()
                .any(|(p, _)| base(p).starts_with("jurisdictions"))
            {
                return Err(AppError::Usage(format!(
                    "{}: no jurisdictions*.csv, so this is an overlay, not a complete registry; check it against the shipped registry with `coquille vendors validate --vendors {}`",
                    t(&d.display().to_string()),
                    t(&d.display().to_string())
                )));
            }
            files
        }
    };
    check_files(&files)
}

/// The CSV files of a registry folder, sorted by name.
fn csv_files(d: &std::path::Path) -> Result<Vec<(String, String)>, AppError> {
    let files = crate::registry::csv_files(d)
        .map_err(|e| AppError::Usage(format!("{}: {e}", d.display())))?;
    if files.is_empty() {
        return Err(AppError::Usage(format!(
            "{}: no registry CSV files",
            d.display()
        )));
    }
    Ok(files)
}

fn check_files(files: &[(String, String)]) -> Result<String, AppError> {
    let problems = crate::registry::validate::validate(files);
    let (reg, _) = Registry::load_all(files);
    let (facts, unquoted) = reg.entities.iter().fold((0, 0), |(f, u), e| {
        (f + e.required_facts().len(), u + e.unquoted_facts().len())
    });
    let owner_unknown = reg
        .entities
        .iter()
        .filter(|e| e.owner_unconfirmed())
        .count();
    let paraphrased = reg
        .products
        .iter()
        .filter(|p| p.source_quote.trim_start().starts_with("paraphrase:"))
        .count();
    let summary = format!(
        "{} files, {} entities ({} facts, {} quoted, {} unconfirmed; {} further quotes; {} with an unconfirmed owner), {} matchers, {} jurisdictions, {} laws, {} regions, {} services, {} licences, {} products ({} licence models quoted, {} unconfirmed)",
        files.len(),
        reg.entities.len(),
        facts,
        facts - unquoted,
        unquoted,
        reg.quotes.len(),
        owner_unknown,
        reg.matchers.len(),
        reg.jurisdictions.len(),
        reg.laws.len(),
        reg.regions.len(),
        reg.services.len(),
        reg.licences.len(),
        reg.products.len(),
        reg.products.len() - paraphrased,
        paraphrased
    );
    if problems.is_empty() {
        return Ok(format!("ok: {summary}\n"));
    }
    let mut s = String::new();
    for p in &problems {
        let _ = writeln!(s, "{}", t(&p.to_string()));
    }
    let _ = write!(s, "{} problem(s) in {summary}", problems.len());
    Err(AppError::Failed(s))
}

/// The evidence a component carries that a registry could recognise, as a
/// display key for the "biggest unattributed" list; `None` when it carries none.
fn evidence_key(c: &crate::model::Component) -> Option<String> {
    use crate::model::PartyRole;
    let named = c.parties.iter().find_map(|p| {
        let counts = matches!(
            p.role,
            PartyRole::Supplier | PartyRole::Manufacturer | PartyRole::Publisher
        );
        let name = p
            .party
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| counts && !n.is_empty())?;
        Some(format!("{} \"{name}\"", p.role.as_str()))
    });
    if named.is_some() {
        return named;
    }
    if let Some(key) = c
        .purl
        .as_deref()
        .and_then(crate::registry::normalize::purl_key)
        && let Some((ns, _)) = key.rsplit_once('/')
        && ns.matches('/').count() >= 1
    {
        return Some(ns.to_string());
    }
    c.cpe
        .as_deref()
        .and_then(crate::registry::normalize::cpe_vendor)
        .map(|v| format!("cpe vendor {v}"))
}

/// One input's coverage: path, components, with evidence, attributed, unattributed keys.
type FileCoverage = (String, usize, usize, usize, Vec<String>);

/// `vendors coverage INPUT…`: of the components that carry a supplier,
/// manufacturer or publisher, a namespaced purl or a CPE, how many the
/// registry attributes, and the most frequent ones it does not.
pub fn coverage(
    reg: &Registry,
    inputs: &[std::path::PathBuf],
    opts: &crate::ingest::Options,
) -> Result<(String, Vec<(String, usize)>), AppError> {
    use rayon::prelude::*;
    let per_file: Vec<Result<FileCoverage, AppError>> = inputs
        .par_iter()
        .map(|p| {
            let path = p.display().to_string();
            let raw = super::DiskFiles.read(&path, opts.limit)?;
            let loaded = crate::ingest::parse_with(&path, &raw, opts)?;
            let crate::ingest::Document::Sbom(inv) = loaded.doc else {
                return Err(AppError::Usage(format!(
                    "{path}: coverage reads SBOMs, not bid manifests"
                )));
            };
            let (mut with, mut hit) = (0usize, 0usize);
            let mut missed = Vec::new();
            for c in &inv.components {
                let Some(key) = evidence_key(c) else { continue };
                with += 1;
                if attribute::component(reg, c).is_some() {
                    hit += 1;
                } else {
                    missed.push(key);
                }
            }
            Ok((path, inv.components.len(), with, hit, missed))
        })
        .collect();
    let mut s = String::new();
    let (mut all, mut all_with, mut all_hit) = (0, 0, 0);
    let mut missed: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let _ = writeln!(
        s,
        "{:<72} {:>8} {:>9} {:>10} {:>7}",
        "input", "comps", "evidence", "attributed", "share"
    );
    for r in per_file {
        let (path, n, with, hit, miss) = r?;
        all += n;
        all_with += with;
        all_hit += hit;
        for m in miss {
            *missed.entry(m).or_default() += 1;
        }
        let share = if with == 0 {
            "-".to_string()
        } else {
            format!("{:.1} %", hit as f64 * 100.0 / with as f64)
        };
        let _ = writeln!(s, "{:<72} {n:>8} {with:>9} {hit:>10} {share:>7}", t(&path));
    }
    let share = if all_with == 0 {
        0.0
    } else {
        all_hit as f64 * 100.0 / all_with as f64
    };
    let _ = writeln!(
        s,
        "total: {all} components, {all_with} with registry-usable evidence, {all_hit} attributed ({share:.1} %)"
    );
    let _ = writeln!(
        s,
        "coverage here is the share of components with registry-usable evidence (a supplier, manufacturer or publisher name, a namespaced purl or a CPE) that the registry attributes; `analyze` reports `coverage.attributed` over all components, evidence or not."
    );
    let mut top: Vec<(String, usize)> = missed.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !top.is_empty() {
        let _ = writeln!(s, "most frequent unattributed evidence:");
        for (k, n) in top.iter().take(25) {
            let _ = writeln!(s, "  {n:>6}  {}", t(k));
        }
    }
    Ok((s, top))
}

/// A starter overlay for an analyst: one matcher row per frequent
/// unattributed piece of evidence, its entity left for the analyst to fill
/// in (so `vendors validate --vendors` refuses it until reviewed).
pub fn suggestions(top: &[(String, usize)], limit: usize) -> String {
    let rows = top
        .iter()
        .take(limit)
        .filter_map(|(key, n)| {
            let (kind, pattern) = if let Some(v) = key.strip_prefix("cpe vendor ") {
                ("cpe", v.to_string())
            } else if let Some((_, name)) = key.split_once(" \"") {
                ("name", name.trim_end_matches('"').to_string())
            } else if key.starts_with("pkg:") {
                ("purl", format!("{key}/*"))
            } else {
                return None;
            };
            Some(vec![
                kind.to_string(),
                pattern,
                String::new(),
                "medium".to_string(),
                format!("suggested by vendors coverage: {n} unattributed components; fill in the entity id and check it"),
            ])
        })
        .collect();
    crate::render::csv::write(rows, &["kind", "pattern", "entity", "confidence", "note"])
}
