//! The terminal summary: verdict, face, layers, top findings.

use super::escape::terminal as t;
use crate::report::Report;
use std::fmt::Write;

pub fn render(reports: &[Report]) -> String {
    let mut out = String::new();
    for (i, r) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        one(&mut out, r);
    }
    out
}

fn one(out: &mut String, r: &Report) {
    let s = &r.summary;
    let _ = writeln!(out, "{} — {}", t(&r.bid.id), t(&r.bid.title));
    let _ = writeln!(
        out,
        "  verdict: {}  (home {})",
        s.verdict.to_uppercase(),
        r.home
    );
    let _ = writeln!(out, "  {}", t(&s.sentence));
    if r.face.bidder_entity.is_some() {
        let ctl = r.face.controller_label();
        let _ = writeln!(
            out,
            "  face: {} — controlled by {}; sites {}",
            t(&r.face.bidder_name),
            t(&ctl),
            r.face.site_countries.join(", ")
        );
    }
    let _ = writeln!(out, "  layers:");
    for l in &r.layers {
        let engine = l.engines_label().unwrap_or_else(|| {
            if l.missing {
                "not described by the bid".to_string()
            } else {
                "unknown".to_string()
            }
        });
        // Without a manifest every layer counts: "not critical" would mislead.
        let note = if l.critical || r.face.bidder_entity.is_none() {
            ""
        } else {
            "  [not critical]"
        };
        let _ = writeln!(
            out,
            "    {:<14} {:<15} {}{note}",
            l.layer,
            l.control,
            t(&engine),
        );
    }
    if !r.questions.is_empty() {
        let _ = writeln!(out, "  questions for the bidder:");
        for (i, q) in r.questions.iter().enumerate() {
            let _ = writeln!(out, "    {}. {}", i + 1, t(&q.question));
        }
    }
    let _ = writeln!(
        out,
        "  components: {} ({} attributed, {} unknown, {} foreign-controlled)",
        s.components, s.attributed, s.unknown, s.foreign_controlled
    );
    let counts = &s.findings_by_severity;
    let _ = writeln!(
        out,
        "  findings: {} deny, {} warn, {} info",
        counts.get("deny").unwrap_or(&0),
        counts.get("warn").unwrap_or(&0),
        counts.get("info").unwrap_or(&0)
    );
    let shown: Vec<&crate::policy::Finding> = r
        .findings
        .iter()
        .filter(|f| f.severity != crate::policy::Severity::Info)
        .collect();
    for f in shown.iter().take(MAX_FINDINGS) {
        let _ = writeln!(
            out,
            "    {:<5} {:<24} {}",
            f.severity.as_str(),
            f.code,
            t(&f.message)
        );
    }
    if shown.len() > MAX_FINDINGS {
        let _ = writeln!(
            out,
            "    … and {} more deny and warn findings (report.md, --format json)",
            shown.len() - MAX_FINDINGS
        );
    }
}

/// How many deny and warn findings the terminal summary lists before it counts the rest.
const MAX_FINDINGS: usize = 8;
