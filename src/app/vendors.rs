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
