//! `coquille vendors list|lookup`.

use super::AppError;
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
        "{} files, {} entities, {} matchers, {} jurisdictions, {} laws, {} regions",
        files.len(),
        reg.entities.len(),
        reg.matchers.len(),
        reg.jurisdictions.len(),
        reg.laws.len(),
        reg.regions.len()
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
