//! `coquille tender TENDER.toml`: every bid analysed, judged under the
//! tender's policy, scored, ranked, and each rejection explained.

use super::{AppError, Files, bids, reports};
use crate::ingest::tender::{self, Tender};
use crate::ingest::{Options, ReadError};
use crate::policy::gate::{self, Policy};
use crate::policy::{Finding, Severity, csf};
use crate::registry::Registry;
use crate::report::Report;
use serde::Serialize;

/// One bid's place in the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub rank: usize,
    pub bid: String,
    pub title: String,
    pub verdict: String,
    pub passed: bool,
    /// CSF weighted score, percent, when the tender scores.
    pub score: Option<f64>,
    pub seal: Option<u8>,
    /// The layer (and its controller) that decides the result: the weakest critical layer.
    pub governing: Option<String>,
    /// Per criterion: finding code and whether the bid passes it.
    pub criteria: Vec<(String, bool)>,
    /// Why the bid is rejected, each with its first evidence line.
    pub rejections: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TenderResult {
    pub schema: &'static str,
    pub id: String,
    pub title: String,
    pub buyer: String,
    pub home: String,
    pub classification: Option<String>,
    pub policy: String,
    pub weights: Option<String>,
    pub ranking: Vec<Ranked>,
}

/// The layers every bid must show: the tender's list, else its service model's, plus the
/// policy's list.
pub fn requirements(path: &str, t: &Tender, policy: &Policy) -> crate::analyse::Requirements {
    use crate::analyse::Requirements;
    let from_tender = match (&t.tender.required_layers, t.tender.service_model) {
        (Some(list), _) => Requirements::list(list, &format!("tender {path}")),
        (None, Some(model)) => Requirements::model(model, &format!("tender {path}")),
        (None, None) => Requirements::default(),
    };
    from_tender.and(policy_requirements(policy))
}

/// The layers a policy requires, if it names any.
pub fn policy_requirements(policy: &Policy) -> crate::analyse::Requirements {
    crate::analyse::Requirements::list(&policy.required_layers, &format!("policy {}", policy.id))
}

/// Read the tender, check every bid path at once, analyse, judge and rank.
pub fn run(
    files: &dyn Files,
    reg: &Registry,
    path: &str,
    opts: &Options,
) -> Result<(Tender, Policy, Vec<Report>, TenderResult), AppError> {
    let raw = files.read(path, opts.limit)?;
    let text = String::from_utf8(raw).map_err(|_| ReadError::new(path, "not UTF-8 text"))?;
    let t = tender::read(path, &text)?;
    let policy = match (&t.policy.preset, &t.policy.file) {
        (Some(p), _) => gate::load(p)?,
        (None, Some(f)) => {
            let full = files
                .resolve(path, f)
                .map_err(|e| ReadError::new(path, e))?;
            let bytes = files.read(&full, opts.limit)?;
            gate::parse(&full, &String::from_utf8_lossy(&bytes))?
        }
        (None, None) => unreachable!("checked when the tender was read"),
    };
    let mut manifests = Vec::new();
    let mut missing = Vec::new();
    for b in &t.bids {
        let rel = if b.path.ends_with(".toml") {
            b.path.clone()
        } else {
            format!("{}/bid.toml", b.path.trim_end_matches('/'))
        };
        match files.resolve(path, &rel) {
            Ok(full) => manifests.push(full),
            Err(e) => missing.push(format!("bid \"{}\": {e}", b.path)),
        }
    }
    if !missing.is_empty() {
        return Err(ReadError::new(path, missing.join("; ")).into());
    }
    let evidence = bids(files, &manifests, opts, true)?;
    let reports = reports(
        reg,
        &t.tender.home,
        &evidence,
        &requirements(path, &t, &policy),
    );
    let weights = t
        .scoring
        .as_ref()
        .map(|s| s.weights.clone())
        .or(policy.csf.as_ref().map(|c| c.weights.clone()));
    let codes: Vec<String> = {
        let mut c: Vec<String> = crate::policy::CODES
            .iter()
            .filter(|(_, s, _)| *s == Severity::Deny)
            .map(|(c, _, _)| c.to_string())
            .collect();
        c.sort();
        c
    };
    let mut ranking: Vec<Ranked> = reports
        .iter()
        .map(|r| {
            let findings = gate::apply(&policy, r, &[]);
            let rejections: Vec<Finding> = findings
                .iter()
                .filter(|f| f.severity == Severity::Deny)
                .cloned()
                .collect();
            let assessment = weights.as_deref().and_then(|w| csf::assess(r, w));
            let governing = r
                .layers
                .iter()
                .filter(|l| l.critical && matches!(l.control, "foreign" | "unknown"))
                .map(|l| {
                    format!(
                        "{} — {}",
                        l.layer,
                        l.engine.as_ref().map_or("unknown".to_string(), |e| format!(
                            "{} ({})",
                            e.name, e.country
                        ))
                    )
                })
                .next();
            Ranked {
                rank: 0,
                bid: r.bid.id.clone(),
                title: r.bid.title.clone(),
                verdict: r.summary.verdict.to_string(),
                passed: rejections.is_empty(),
                score: assessment.as_ref().map(|a| a.score),
                seal: assessment.as_ref().and_then(|a| a.seal),
                governing,
                criteria: codes
                    .iter()
                    .map(|c| (c.clone(), !rejections.iter().any(|f| &f.code == c)))
                    .collect(),
                rejections,
            }
        })
        .collect();
    ranking.sort_by(|a, b| {
        b.passed
            .cmp(&a.passed)
            .then(
                b.score
                    .unwrap_or(0.0)
                    .partial_cmp(&a.score.unwrap_or(0.0))
                    .unwrap_or(std::cmp::Ordering::Equal),
            )
            .then(a.rejections.len().cmp(&b.rejections.len()))
            .then(a.bid.cmp(&b.bid))
    });
    for (i, r) in ranking.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    let result = TenderResult {
        schema: "coquille.tender-result/1",
        id: t.tender.id.clone(),
        title: t.tender.title.clone(),
        buyer: t.tender.buyer.clone(),
        home: t.tender.home.clone(),
        classification: t.tender.classification.clone(),
        policy: format!("{} — {}", policy.id, policy.title),
        weights,
        ranking,
    };
    Ok((t, policy, reports, result))
}

pub fn markdown(t: &TenderResult) -> String {
    use crate::render::escape::markdown as m;
    let mut s = format!("# {}\n\n", m(&t.title));
    s.push_str(&format!(
        "Buyer: {} · home: {} · classification: {} · policy: {}{}\n\n",
        m(&t.buyer),
        m(&t.home),
        m(t.classification.as_deref().unwrap_or("—")),
        m(&t.policy),
        t.weights
            .as_deref()
            .map(|w| format!(" · CSF weights: {w}"))
            .unwrap_or_default()
    ));
    s.push_str("| rank | bid | result | verdict | SEAL | score | governing layer |\n|---:|---|---|---|---:|---:|---|\n");
    for r in &t.ranking {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            r.rank,
            m(&r.title),
            if r.passed { "accepted" } else { "rejected" },
            r.verdict,
            r.seal.map_or("—".into(), |x| x.to_string()),
            r.score.map_or("—".into(), |x| format!("{x:.1} %")),
            m(r.governing.as_deref().unwrap_or("—"))
        ));
    }
    for r in t.ranking.iter().filter(|r| !r.passed) {
        s.push_str(&format!("\n## Why {} is rejected\n\n", m(&r.title)));
        for f in &r.rejections {
            s.push_str(&format!("- `{}` {}\n", f.code, m(&f.message)));
            if let Some(e) = f.evidence.first() {
                s.push_str(&format!("  - evidence: {}\n", m(e)));
            }
        }
    }
    s
}

/// The ranking as an HTML block (escaped) for the top of report.html.
pub fn html(t: &TenderResult, lang: crate::i18n::Lang) -> String {
    use crate::render::html::esc;
    let mut s = format!(
        "<section class=\"tender\"><h2>{}</h2><p class=\"muted\">{} · {} · {}</p>\n<table><thead><tr><th class=\"num\">#</th><th>{}</th><th>{}</th><th class=\"num\">SEAL</th><th class=\"num\">Score</th><th>{}</th></tr></thead><tbody>\n",
        esc(&t.title),
        esc(&t.buyer),
        esc(&t.policy),
        esc(t.weights.as_deref().unwrap_or("")),
        lang.pick("Bid", "Offre"),
        lang.pick("Result", "Résultat"),
        lang.pick("Governing layer", "Couche déterminante")
    );
    for r in &t.ranking {
        let result = if r.passed {
            lang.pick("accepted", "retenue")
        } else {
            lang.pick("rejected", "rejetée")
        };
        let why: Vec<String> = r
            .rejections
            .iter()
            .map(|f| {
                format!(
                    "<li><code>{}</code> {}</li>",
                    esc(&f.code),
                    esc(lang.pick(&f.message, &f.message_fr))
                )
            })
            .collect();
        s.push_str(&format!(
            "<tr><td class=\"num\">{}</td><td><a href=\"#bid-{}\">{}</a></td><td><strong>{}</strong>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
            r.rank,
            esc(&r.bid),
            esc(&r.title),
            esc(result),
            if why.is_empty() { String::new() } else { format!("<ul class=\"evidence\">{}</ul>", why.join("")) },
            r.seal.map_or("—".into(), |x| x.to_string()),
            r.score.map_or("—".into(), |x| format!("{x:.1} %")),
            esc(r.governing.as_deref().unwrap_or("—"))
        ));
    }
    s.push_str("</tbody></table></section>\n");
    s
}
