//! `coquille vendors list|lookup`.

use super::{AppError, Files};
use crate::attribute;
use crate::registry::{Hit, Registry};
use crate::render::escape::terminal as t;
use std::fmt::Write;

pub fn list(reg: &Registry) -> String {
    let mut v: Vec<_> = reg.entities.iter().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    let mut s = String::new();
    for e in v {
        let ctl = reg.controller(&e.id).map(|c| c.id.as_str()).unwrap_or("");
        let _ = writeln!(
            s,
            "{:<28} {:<3} {:<11} {:<40} controller: {}",
            e.id,
            e.country,
            format!("{:?}", e.kind).to_lowercase(),
            t(&e.name),
            ctl
        );
    }
    let _ = writeln!(
        s,
        "{} entities, {} matchers, {} laws, {} regions",
        reg.entities.len(),
        reg.matchers.len(),
        reg.laws.len(),
        reg.regions.len()
    );
    s
}

pub fn lookup(reg: &Registry, q: &str) -> Result<String, AppError> {
    let ix = reg.index();
    let hit: Option<(String, Option<Hit>)> = if let Some(e) = reg.entity(q) {
        Some((e.id.clone(), None))
    } else {
        let h = if q.starts_with("pkg:") {
            ix.purl(q)
        } else if q.starts_with("cpe:") {
            ix.cpe(q)
        } else {
            ix.name(q)
                .or_else(|| ix.domain(q))
                .or_else(|| ix.endpoint(q).map(|(h, _)| h))
        };
        h.map(|h| (h.entity.clone(), Some(h)))
    };
    let Some((id, hit)) = hit else {
        return Err(AppError::Usage(format!(
            "no registry entity matches \"{}\"",
            t(q)
        )));
    };
    let mut s = String::new();
    if let Some(h) = &hit {
        let _ = writeln!(
            s,
            "matched {} ({}), confidence {}",
            t(&h.rule),
            h.row,
            h.confidence.as_str()
        );
    }
    let _ = writeln!(s, "chain of ownership:");
    for link in attribute::chain(reg, &id) {
        let share = link
            .share
            .map(|x| format!(" holds {x}%"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {:<40} {}{}{}  — {} ({})",
            t(&link.name),
            link.country,
            share,
            if link.controls { "" } else { " (no control)" },
            t(&link.source),
            link.row
        );
    }
    if let Some(c) = reg.controller(&id) {
        let _ = writeln!(s, "ultimate controller: {} ({})", t(&c.name), c.country);
    }
    Ok(s)
}

/// `vendors validate [DIR]`: every problem, with file and line.
pub fn validate(dir: Option<&std::path::Path>) -> Result<String, AppError> {
    let files: Vec<(String, String)> = match dir {
        None => crate::registry::embedded_files(),
        Some(d) => {
            let err = |e: std::io::Error| {
                AppError::Usage(format!("{}: cannot read the folder: {e}", d.display()))
            };
            let mut names: Vec<_> = std::fs::read_dir(d)
                .map_err(err)?
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "csv"))
                .collect();
            names.sort();
            let mut files = Vec::new();
            for p in names {
                let text = std::fs::read_to_string(&p).map_err(err)?;
                files.push((p.display().to_string(), text));
            }
            if files.is_empty() {
                return Err(AppError::Usage(format!(
                    "{}: no registry CSV files",
                    d.display()
                )));
            }
            files
        }
    };
    let problems = crate::registry::validate::validate(&files);
    let (reg, _) = Registry::load_all(&files);
    let summary = format!(
        "{} files, {} entities, {} matchers, {} jurisdictions, {} laws, {} regions, {} services, {} licences, {} products",
        files.len(),
        reg.entities.len(),
        reg.matchers.len(),
        reg.jurisdictions.len(),
        reg.laws.len(),
        reg.regions.len(),
        reg.services.len(),
        reg.licences.len(),
        reg.products.len()
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
) -> Result<String, AppError> {
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
    let mut top: Vec<(String, usize)> = missed.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    if !top.is_empty() {
        let _ = writeln!(s, "most frequent unattributed evidence:");
        for (k, n) in top.iter().take(25) {
            let _ = writeln!(s, "  {n:>6}  {}", t(k));
        }
    }
    Ok(s)
}
