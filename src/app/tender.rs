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
    /// The face: the bidder and who controls it, `Name (CC)`.
    pub face: String,
    /// The foreign engines of its critical layers, `Name (CC), …` (empty when none).
    pub engines: String,
    /// The one reason that decided the verdict, in English and French.
    pub decided_by: (String, String),
    /// Pass (`true`), fail (`false`) or not assessed (`None`) per criterion of [`CRITERIA`].
    pub grid: Vec<(&'static str, Option<bool>)>,
}

/// The criteria a committee reads, each with the finding codes that fail it, and whether the
/// policy must set a threshold for it to be assessed.
pub const CRITERIA: &[(&str, &str, &str, &[&str])] = &[
    (
        "control",
        "Bidder's control",
        "Contrôle du soumissionnaire",
        &["foreign-bidder"],
    ),
    (
        "capital",
        "Foreign capital",
        "Capital étranger",
        &["policy-foreign-capital"],
    ),
    (
        "holder",
        "Single foreign holder",
        "Actionnaire étranger unique",
        &["policy-single-foreign-holder"],
    ),
    (
        "layers",
        "Critical layers",
        "Couches critiques",
        &[
            "foreign-critical-layer",
            "policy-foreign-critical-layers",
            "kill-switch",
            "compelled-access",
        ],
    ),
    (
        "data",
        "Data location",
        "Localisation des données",
        &["data-outside-home"],
    ),
    ("keys", "Key custody", "Garde des clés", &["key-custody"]),
    ("support", "Support", "Support", &["foreign-support"]),
    (
        "claims",
        "Claims hold",
        "Déclarations vérifiées",
        &["claim-contradicted", "declaration-contradicted"],
    ),
    (
        "shown",
        "Every layer shown",
        "Toutes les couches décrites",
        &["layer-missing"],
    ),
    ("coverage", "Coverage", "Couverture", &["policy-coverage"]),
    ("seal", "SEAL", "SEAL", &["policy-csf-seal"]),
];

/// One bid against each criterion: fails when a deny finding of its codes stands; not
/// assessed when the policy sets no threshold for it.
fn grid(policy: &Policy, findings: &[Finding]) -> Vec<(&'static str, Option<bool>)> {
    CRITERIA
        .iter()
        .map(|(id, _, _, codes)| {
            let assessed = match *id {
                "capital" => policy.max_foreign_capital.is_some(),
                "holder" => policy.max_single_foreign_holder.is_some(),
                "coverage" => policy.min_coverage.is_some_and(|c| c > 0.0),
                "seal" => policy.csf.is_some(),
                _ => true,
            };
            // A layer left out fails "every layer shown" whatever severity the policy gives it.
            let fails = findings.iter().any(|f| {
                codes.contains(&f.code.as_str()) && (f.severity == Severity::Deny || *id == "shown")
            });
            (*id, assessed.then_some(!fails))
        })
        .collect()
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
    /// The policy's id and French title.
    pub policy_fr: String,
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
    let (evidence, _) = bids(
        files,
        &manifests,
        &Default::default(),
        opts,
        &super::progress::Progress::hidden(),
    )?;
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
            let engines: Vec<String> = r
                .foreign_engines(true)
                .iter()
                .map(|e| e.engine.label())
                .collect();
            Ranked {
                face: format!("{} — {}", r.face.bidder_name, r.face.controller_label()),
                engines: engines.join(", "),
                decided_by: (
                    r.summary.reasons.first().cloned().unwrap_or_default(),
                    r.summary.reasons_fr.first().cloned().unwrap_or_default(),
                ),
                grid: grid(&policy, &findings),
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
        policy_fr: format!(
            "{} — {}",
            policy.id,
            policy.title_fr.as_deref().unwrap_or(&policy.title)
        ),
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
    s.push_str("| rank | bid | result | verdict | decided by | SEAL | score | governing layer |\n|---:|---|---|---|---|---:|---:|---|\n");
    for r in &t.ranking {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.rank,
            m(&r.title),
            if r.passed { "accepted" } else { "rejected" },
            r.verdict,
            m(&r.decided_by.0),
            r.seal.map_or("—".into(), |x| x.to_string()),
            r.score.map_or("—".into(), |x| format!("{x:.1} %")),
            m(r.governing.as_deref().unwrap_or("—"))
        ));
    }
    s.push_str("\n| bid |");
    for (_, en, _, _) in CRITERIA {
        s.push_str(&format!(" {en} |"));
    }
    s.push_str("\n|---|");
    s.push_str(&":---:|".repeat(CRITERIA.len()));
    s.push('\n');
    for r in &t.ranking {
        s.push_str(&format!("| {} |", m(&r.bid)));
        for (_, ok) in &r.grid {
            s.push_str(match ok {
                Some(true) => " ✓ |",
                Some(false) => " ✗ |",
                None => " — |",
            });
        }
        s.push('\n');
    }
    s.push_str("\n✓ passes, ✗ fails, — not assessed by this policy.\n");
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
    use crate::i18n;
    use crate::render::html::esc;
    let mut s = format!(
        "<section class=\"tender\" id=\"summary\"><h2>{}</h2><p class=\"muted\">{} · {} · {}</p>\n",
        esc(&t.title),
        esc(&t.buyer),
        esc(lang.pick(&t.policy, &t.policy_fr)),
        esc(t.weights.as_deref().unwrap_or(""))
    );
    // The answer first: one row per bid, the verdict in words and the reason that decided it.
    s.push_str(&format!(
        "<h3>{}</h3>\n<table class=\"summary\"><thead><tr><th class=\"num\">#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">SEAL</th><th class=\"num\">Score</th></tr></thead><tbody>\n",
        lang.pick("The answer", "L'essentiel"),
        lang.pick("Bid", "Offre"),
        lang.pick("Result", "Résultat"),
        lang.pick("Verdict", "Verdict"),
        lang.pick("Face → foreign engine", "Façade → moteur étranger"),
        lang.pick("Decided by", "Ce qui a décidé"),
    ));
    for r in &t.ranking {
        let result = if r.passed {
            lang.pick("accepted", "retenue")
        } else {
            lang.pick("rejected", "rejetée")
        };
        let engines = if r.engines.is_empty() {
            lang.pick("none", "aucun").to_string()
        } else {
            r.engines.clone()
        };
        s.push_str(&format!(
            "<tr><td class=\"num\">{}</td><td><a href=\"#bid-{}\">{}</a></td><td><strong class=\"{}\">{}</strong></td><td>{}</td><td>{} → {}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            r.rank,
            esc(&r.bid),
            esc(&r.title),
            if r.passed { "pass" } else { "fail" },
            esc(result),
            esc(i18n::verdict(lang, &r.verdict)),
            esc(&r.face),
            esc(&engines),
            esc(lang.pick(&r.decided_by.0, &r.decided_by.1)),
            r.seal.map_or("—".into(), |x| x.to_string()),
            r.score
                .map_or("—".into(), |x| crate::render::html::pct(lang, x)),
        ));
    }
    s.push_str("</tbody></table>\n");
    // Pass or fail per criterion: one row per criterion, one column per bid
    // (a tender has few bids and criteria have long names).
    s.push_str(&format!(
        "<h3>{}</h3>\n<table class=\"grid\"><thead><tr><th>{}</th>",
        lang.pick("Criteria of the policy", "Critères de la politique"),
        lang.pick("Criterion", "Critère")
    ));
    for r in &t.ranking {
        s.push_str(&format!("<th>{}</th>", esc(&r.bid)));
    }
    s.push_str("</tr></thead><tbody>\n");
    let mut not_assessed = Vec::new();
    for (i, (_, en, fr, _)) in CRITERIA.iter().enumerate() {
        let cells: Vec<Option<bool>> = t
            .ranking
            .iter()
            .map(|r| r.grid.get(i).and_then(|(_, ok)| *ok))
            .collect();
        if cells.iter().all(Option::is_none) {
            not_assessed.push(in_sentence(lang.pick(en, fr)));
            continue;
        }
        s.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            esc(lang.pick(en, fr))
        ));
        for ok in cells {
            s.push_str(match ok {
                Some(true) => "<td class=\"ok\">✓</td>",
                Some(false) => "<td class=\"ko\">✗</td>",
                None => "<td class=\"na\">—</td>",
            });
        }
        s.push_str("</tr>\n");
    }
    let legend = lang.pick(
        "✓ passes, ✗ fails, — not assessed by this policy.",
        "✓ satisfait, ✗ non satisfait, — non évalué par cette politique.",
    );
    let skipped = if not_assessed.is_empty() {
        String::new()
    } else {
        match lang {
            crate::i18n::Lang::En => {
                format!(" Not assessed by this policy: {}.", not_assessed.join(", "))
            }
            crate::i18n::Lang::Fr => format!(
                " Non évalués par cette politique\u{a0}: {}.",
                crate::i18n::liste(&not_assessed)
            ),
        }
    };
    s.push_str(&format!(
        "</tbody></table><p class=\"muted\">{}{}</p>\n",
        legend,
        esc(&skipped)
    ));
    // The reasons in full, after the answer.
    for r in t.ranking.iter().filter(|r| !r.passed) {
        s.push_str(&format!(
            "<details><summary>{} — {} {}</summary><ul class=\"evidence\">",
            esc(&r.title),
            r.rejections.len(),
            lang.pick("reasons for rejection", "motifs de rejet")
        ));
        for f in &r.rejections {
            s.push_str(&format!(
                "<li><code>{}</code> {}</li>",
                esc(&f.code),
                esc(lang.pick(&f.message, &f.message_fr))
            ));
        }
        s.push_str("</ul></details>\n");
    }
    s.push_str("</section>\n");
    s
}

/// A label inside a sentence: its first letter in lower case, unless the
/// word is an acronym ("SEAL" stays).
fn in_sentence(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if second.is_lowercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}
