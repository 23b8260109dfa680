//! Policies: TOML files (presets embedded from `policies/`) that turn a
//! report into pass or fail. Thresholds live in the files with their source,
//! never in code.

use super::{Finding, Severity};
use crate::ingest::ReadError;
use crate::report::Report;
use serde::Deserialize;
use std::collections::BTreeMap;

pub const SCHEMA: &str = "coquille.policy/1";

/// The presets shipped in the binary, by id.
pub const PRESETS: &[(&str, &str)] = &[
    (
        "ma-sensitive",
        include_str!("../../policies/ma-sensitive.toml"),
    ),
    (
        "secnumcloud",
        include_str!("../../policies/secnumcloud.toml"),
    ),
    ("eu-csf", include_str!("../../policies/eu-csf.toml")),
];

/// What a policy does with a finding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Drop the finding.
    Allow,
    Info,
    Warn,
    Deny,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub url: String,
    pub as_of: String,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub schema: String,
    pub id: String,
    pub title: String,
    /// The home jurisdiction the policy is written for (a country or a bloc).
    #[serde(default)]
    pub home: Option<String>,
    /// Count what could not be established as foreign.
    #[serde(default = "yes")]
    pub unknown_is_foreign: bool,
    /// Verdicts that pass; empty means any.
    #[serde(default)]
    pub allowed_verdicts: Vec<String>,
    /// Largest look-through foreign share of the bidder's capital, in percent.
    #[serde(default)]
    pub max_foreign_capital: Option<f64>,
    /// Largest look-through share of any single foreign holder, in percent.
    #[serde(default)]
    pub max_single_foreign_holder: Option<f64>,
    /// How many critical layers may be foreign-controlled.
    #[serde(default)]
    pub max_foreign_critical_layers: Option<usize>,
    /// Smallest attributed share of components, 0 to 1.
    #[serde(default)]
    pub min_coverage: Option<f64>,
    /// Score against the EU Cloud Sovereignty Framework and gate on its SEAL level.
    #[serde(default)]
    pub csf: Option<CsfRule>,
    /// Layers every bid must show; a missing one is `unknown` (finding `layer-missing`).
    /// Added to the tender's or the service model's list.
    #[serde(default)]
    pub required_layers: Vec<crate::ingest::manifest::LayerKind>,
    /// Severity per finding code.
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    #[serde(default)]
    pub sources: Vec<Source>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CsfRule {
    /// `csf-v1.2.1` or `csf-calculator-2026`.
    pub weights: String,
    /// The lowest acceptable SEAL (0-4).
    pub min_seal: u8,
}

fn yes() -> bool {
    true
}

/// A preset id or the path of a policy file.
pub fn load(arg: &str) -> Result<Policy, ReadError> {
    if let Some((_, text)) = PRESETS.iter().find(|(id, _)| *id == arg) {
        return parse(&format!("preset {arg}"), text);
    }
    let path = std::path::Path::new(arg);
    if !path.is_file() {
        let ids: Vec<&str> = PRESETS.iter().map(|(id, _)| *id).collect();
        return Err(ReadError::new(arg, "no such preset or policy file")
            .supported(format!("presets {}, or a TOML policy file", ids.join(", "))));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| ReadError::new(arg, format!("cannot read: {e}")))?;
    parse(arg, &text)
}

/// Parse and check a policy; every problem found after parsing is listed at once.
pub fn parse(file: &str, text: &str) -> Result<Policy, ReadError> {
    let mut p: Policy =
        toml::from_str(text).map_err(|e| ReadError::from_toml(file, "policy", text, &e))?;
    let mut problems = Vec::new();
    // Every problem is listed with the line of the text it is about.
    let at = |needle: &str| {
        text.find(needle).map_or(String::new(), |i| {
            format!("{}: ", ReadError::line_col(text.as_bytes(), i))
        })
    };
    if p.schema != SCHEMA {
        problems.push(format!(
            "{}schema \"{}\" is not {SCHEMA}",
            at("schema"),
            p.schema
        ));
    }
    if let Some(h) = &p.home {
        match crate::country::normalise_place(h) {
            Ok(h) => p.home = Some(h),
            Err(why) => problems.push(format!("{}home {why}", at("home"))),
        }
    }
    for code in p.severity.keys() {
        if super::explain(code).is_none() {
            problems.push(format!(
                "[severity] names unknown finding code \"{code}\" (see `coquille explain`)"
            ));
        }
    }
    for v in &p.allowed_verdicts {
        if !matches!(
            v.as_str(),
            "sovereign" | "local-shell" | "foreign" | "insufficient-evidence"
        ) {
            problems.push(format!("{}allowed_verdicts: \"{v}\" is not sovereign, local-shell, foreign or insufficient-evidence", at(&format!("\"{v}\""))));
        }
    }
    for (name, v) in [
        ("max_foreign_capital", p.max_foreign_capital),
        ("max_single_foreign_holder", p.max_single_foreign_holder),
    ] {
        if v.is_some_and(|v| !(0.0..=100.0).contains(&v)) {
            problems.push(format!(
                "{}{name} must be a percentage from 0 to 100",
                at(name)
            ));
        }
    }
    if p.min_coverage.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
        problems.push(format!(
            "{}min_coverage must be between 0 and 1",
            at("min_coverage")
        ));
    }
    if let Some(c) = &p.csf {
        if !super::csf::WEIGHTS.iter().any(|(n, _, _)| *n == c.weights) {
            problems.push(format!(
                "csf.weights \"{}\" is not csf-v1.2.1 or csf-calculator-2026",
                c.weights
            ));
        }
        if c.min_seal > 4 {
            problems.push("csf.min_seal must be from 0 to 4".into());
        }
    }
    if p.sources.is_empty() {
        problems.push("a policy cites at least one [[sources]] entry for its thresholds".into());
    }
    if problems.is_empty() {
        Ok(p)
    } else {
        Err(ReadError::new(file, problems.join("; ")))
    }
}

/// Apply a policy (then command-line overrides) to one report's findings, and
/// add the policy's own findings. Returns the findings that stand.
pub fn apply(p: &Policy, r: &Report, overrides: &[(String, Level)]) -> Vec<Finding> {
    let cite = || {
        p.sources
            .iter()
            .map(|s| format!("{}: {} ({})", s.title, s.url, s.as_of))
            .collect::<Vec<_>>()
    };
    let mut out: Vec<Finding> = r.findings.clone();
    let pct = |x: f64| format!("{x:.1} %");
    if !p.allowed_verdicts.is_empty() && !p.allowed_verdicts.iter().any(|v| v == r.summary.verdict)
    {
        out.push(
            Finding::bi(
                "policy-verdict",
                crate::bi!(
                    "Policy {}: the verdict is {}, the policy accepts {}.",
                    "Politique {} : le verdict est {}, la politique accepte {}.",
                    p.id,
                    r.summary.verdict,
                    p.allowed_verdicts.join(", ")
                ),
            )
            .evidence(cite()),
        );
    }
    if let Some(max) = p.max_foreign_capital
        && r.face.bidder_entity.is_some()
        && r.face.foreign_share > max + 1e-9
    {
        let share = pct(r.face.foreign_share);
        out.push(
            Finding::bi(
                "policy-foreign-capital",
                crate::bi!(
                    "Foreign holders own {share} of the bidder (look-through); policy {} allows at most {}.",
                    "Des actionnaires étrangers détiennent {share} du soumissionnaire (par transparence) ; la politique {} en permet au plus {}.",
                    p.id,
                    pct(max)
                ),
            )
            .evidence(cite()),
        );
    }
    if let Some(max) = p.max_single_foreign_holder
        && let Some(h) = &r.face.largest_foreign
        && h.share.max(h.votes) > max + 1e-9
    {
        let share = pct(h.share.max(h.votes));
        out.push(
            Finding::bi(
                "policy-single-foreign-holder",
                crate::bi!(
                    "{} ({}) holds {share} of the bidder; policy {} allows at most {} for one foreign holder.",
                    "{} ({}) détient {share} du soumissionnaire ; la politique {} en permet au plus {} pour un seul actionnaire étranger.",
                    h.name,
                    h.country.as_deref().unwrap_or("?"),
                    p.id,
                    pct(max)
                ),
            )
            .evidence(cite()),
        );
    }
    if let Some(max) = p.max_foreign_critical_layers {
        let bad: Vec<&str> = r
            .layers
            .iter()
            .filter(|l| {
                l.critical
                    && (l.control == "foreign" || (p.unknown_is_foreign && l.control == "unknown"))
            })
            .map(|l| l.layer.as_str())
            .collect();
        if bad.len() > max {
            let list = bad.join(", ");
            out.push(
                Finding::bi(
                    "policy-foreign-critical-layers",
                    crate::bi!(
                        "{} critical layers are foreign-controlled{} ({list}); policy {} allows {}.",
                        "{} couches critiques sont sous contrôle étranger{} ({list}) ; la politique {} en permet {}.",
                        bad.len(),
                        if p.unknown_is_foreign { " or unknown" } else { "" },
                        p.id,
                        max
                    ),
                )
                .evidence(cite()),
            );
        }
    }
    if let Some(min) = p.min_coverage
        && r.coverage.ratio + 1e-9 < min
    {
        out.push(
            Finding::bi(
                "policy-coverage",
                crate::bi!(
                    "Only {} of components are attributed; policy {} requires {}.",
                    "Seuls {} des composants sont attribués ; la politique {} en exige {}.",
                    pct(r.coverage.ratio * 100.0),
                    p.id,
                    pct(min * 100.0)
                ),
            )
            .evidence(cite()),
        );
    }
    if let Some(rule) = &p.csf
        && let Some(a) = super::csf::assess(r, &rule.weights)
        && a.seal.is_none_or(|s| s < rule.min_seal)
    {
        let seal = a.seal.map_or("none".to_string(), |s| s.to_string());
        let weakest: Vec<String> = a
            .objectives
            .iter()
            .filter(|o| o.seal.is_some_and(|s| s < rule.min_seal))
            .map(|o| {
                format!(
                    "{} {} (SEAL-{}): {}",
                    o.id,
                    o.name,
                    o.seal.unwrap_or(0),
                    o.why
                )
            })
            .collect();
        out.push(
            Finding::bi(
                "policy-csf-seal",
                crate::bi!(
                    "EU Cloud Sovereignty Framework: SEAL-{seal}, below the minimum SEAL-{} (score {:.1} % with {} weights).",
                    "Cadre européen de souveraineté du cloud : SEAL-{seal}, sous le minimum SEAL-{} (score {:.1} % avec les poids {}).",
                    rule.min_seal,
                    a.score,
                    a.weights
                ),
            )
            .evidence(weakest.into_iter().chain(cite())),
        );
    }
    let level = |code: &str| {
        overrides
            .iter()
            .rev()
            .find(|(c, _)| c == code)
            .map(|(_, l)| *l)
            .or_else(|| p.severity.get(code).copied())
    };
    out.retain_mut(|f| match level(&f.code) {
        Some(Level::Allow) => false,
        Some(Level::Info) => {
            f.severity = Severity::Info;
            true
        }
        Some(Level::Warn) => {
            f.severity = Severity::Warn;
            true
        }
        Some(Level::Deny) => {
            f.severity = Severity::Deny;
            true
        }
        None => true,
    });
    out.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(x.code.cmp(&y.code))
            .then(x.message.cmp(&y.message))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_parse() {
        for (id, text) in PRESETS {
            let p = parse(id, text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(&p.id, id);
            assert!(p.sources.iter().all(|s| s.url.starts_with("https://")));
        }
    }

    #[test]
    fn bad_policies_list_every_problem() {
        let e = parse("p.toml", "schema = \"x\"\nid = \"p\"\ntitle = \"t\"\nallowed_verdicts = [\"great\"]\nmax_foreign_capital = 140\n[severity]\nno-such-code = \"deny\"\n").unwrap_err();
        for needle in [
            "schema",
            "great",
            "max_foreign_capital",
            "no-such-code",
            "sources",
        ] {
            assert!(e.message.contains(needle), "{needle}: {e}");
        }
        let e = parse(
            "p.toml",
            "schema = \"coquille.policy/1\"\nid = \"p\"\ntitle = \"t\"\nmax_foreign_capitol = 3\n",
        )
        .unwrap_err();
        assert_eq!(
            e.position.as_deref().map(|p| p.starts_with("line 4")),
            Some(true),
            "{e}"
        );
    }
}
