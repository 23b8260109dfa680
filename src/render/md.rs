//! Markdown: for CI summaries, pull-request comments and quick reading.

use super::escape::markdown as m;
use crate::report::Report;
use std::fmt::Write;

pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    if reports.len() > 1 {
        let _ = writeln!(out, "# coquille — {} bids\n", reports.len());
        let _ = writeln!(
            out,
            "| bid | verdict | engine | components | attributed | foreign-controlled |"
        );
        let _ = writeln!(out, "|---|---|---|---:|---:|---:|");
        for r in reports {
            let s = &r.summary;
            let _ = writeln!(
                out,
                "| {} | **{}** | {} | {} | {} | {} |",
                m(&r.bid.title),
                s.verdict,
                m(&s.engine_entities.join(", ")),
                s.components,
                s.attributed,
                s.foreign_controlled
            );
        }
        out.push('\n');
    }
    for r in reports {
        one(&mut out, r, if reports.len() > 1 { "##" } else { "#" });
    }
    out
}

fn one(out: &mut String, r: &Report, h: &str) {
    let s = &r.summary;
    let _ = writeln!(out, "{h} {} ({})\n", m(&r.bid.title), m(&r.bid.id));
    let _ = writeln!(out, "**Verdict: {}** — {}\n", s.verdict, m(&s.sentence));
    if r.face.bidder_entity.is_some() {
        let _ = writeln!(out, "{h}# Face\n");
        let ctl = r.face.controller_label();
        let _ = writeln!(
            out,
            "- Bidder: {} — controlled by {}",
            m(&r.face.bidder_name),
            m(&ctl)
        );
        for link in r.face.chain.iter().skip(1) {
            let _ = writeln!(
                out,
                "  - held by {} ({}){}",
                m(&link.name),
                m(&link.country),
                link.share.map(|x| format!(", {x}%")).unwrap_or_default()
            );
        }
        let _ = writeln!(
            out,
            "- Foreign look-through share of capital: {:.1} %",
            r.face.foreign_share
        );
        let _ = writeln!(out, "- Sites: {}", m(&r.face.site_countries.join(", ")));
        for o in &r.face.operators {
            let o = format!("{}: {}", o.layers.join(", "), o.who);
            let _ = writeln!(out, "- Operator — {}", m(&o));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{h}# Layers\n");
    let _ = writeln!(
        out,
        "| layer | critical | product | control | engine (controller) | components | sites |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---:|---|");
    for l in &r.layers {
        let engine = l.engines_label().unwrap_or_else(|| {
            if l.missing {
                "not described by the bid".to_string()
            } else {
                "unknown".to_string()
            }
        });
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            l.layer,
            if l.critical { "yes" } else { "no" },
            m(l.product.as_deref().unwrap_or("")),
            l.control,
            m(&engine),
            l.components,
            m(&l.sites.join(", "))
        );
    }
    out.push('\n');
    if !r.questions.is_empty() {
        let _ = writeln!(out, "{h}# Questions for the bidder\n");
        for (i, q) in r.questions.iter().enumerate() {
            let mark = if q.changes_verdict {
                " *(could change the verdict)*"
            } else {
                ""
            };
            let _ = writeln!(out, "{}. {}{mark}", i + 1, m(&q.question));
            for e in &q.evidence {
                let _ = writeln!(out, "   - {}", m(e));
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{h}# Findings\n");
    if r.findings.is_empty() {
        let _ = writeln!(out, "None.\n");
    }
    for g in crate::report::grouped(&r.findings) {
        let f = g.first;
        let also = if g.more_layers.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = g
                .more_layers
                .iter()
                .map(|l| crate::i18n::layer(crate::i18n::Lang::En, l))
                .collect();
            format!(" *Also the layers: {}.*", names.join(", "))
        };
        let _ = writeln!(
            out,
            "- **{}** `{}` — {}{also}",
            f.severity.as_str(),
            f.code,
            m(&f.message)
        );
        for l in &g.laws {
            let _ = writeln!(out, "  - law: {}", m(l));
        }
        for e in g.evidence.iter().take(6) {
            let _ = writeln!(out, "  - evidence: {}", m(e));
        }
        if g.evidence.len() > 6 {
            let _ = writeln!(out, "  - … {} more in report.json", g.evidence.len() - 6);
        }
    }
    out.push('\n');
    if !r.blast_radius.is_empty() {
        let _ = writeln!(out, "{h}# Blast radius per foreign controller\n");
        let _ = writeln!(
            out,
            "| controller | country | components attributed | components affected | layers affected |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---|");
        for b in &r.blast_radius {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                m(&b.controller.name),
                m(&b.controller.country),
                b.direct,
                b.affected_items,
                m(&b.affected_layers.join(", "))
            );
        }
        out.push('\n');
    }
    let c = &r.coverage;
    let _ = writeln!(out, "{h}# Coverage\n");
    let _ = writeln!(
        out,
        "{} of {} components attributed ({:.1} %); {} unknown, counted as unknown, never as local.\n",
        c.attributed,
        c.items,
        c.ratio * 100.0,
        c.unknown
    );
    let _ = writeln!(out, "{h}# Evidence\n");
    let _ = writeln!(out, "| input | format | SHA-256 |");
    let _ = writeln!(out, "|---|---|---|");
    for i in &r.inputs {
        let _ = writeln!(
            out,
            "| {} | {} | `{}` |",
            m(&i.path),
            m(&i.format),
            i.sha256
        );
    }
    out.push('\n');
    if !r.registry_rows.is_empty() {
        let _ = writeln!(
            out,
            "| registry row | entity | country | source | as of | unconfirmed facts |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for row in &r.registry_rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                m(&row.row),
                m(&row.name),
                m(&row.country),
                m(&row.source),
                m(&row.as_of),
                m(&row.unconfirmed().join(", "))
            );
        }
        out.push('\n');
    }
}
