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
    /// The title in French, for French reports.
    #[serde(default)]
    pub title_fr: Option<String>,
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
    /// Findings allowed for a reason, until a date.
    #[serde(default)]
    pub exceptions: Vec<Exception>,
}

/// A finding allowed for a stated reason until a date (cargo-deny's skips, `.trivyignore`,
/// Dependency-Track suppressions). Past `expires` it no longer applies and is itself a finding.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub code: String,
    /// The layer, the subject, or both as the finding's name writes them (`hypervisor`,
    /// `hypervisor broadcom`, `claims.key_custody`); absent: every finding of the code.
    #[serde(default)]
    pub subject: Option<String>,
    /// Only this bid or SBOM result (its id); absent: every one.
    #[serde(default)]
    pub bid: Option<String>,
    pub reason: String,
    /// `YYYY-MM-DD`, the last day the exception applies.
    pub expires: String,
}

impl Exception {
    /// Does it cover this finding of this bid?
    fn covers(&self, bid: &str, f: &Finding) -> bool {
        let name = f.key();
        let rest = name.strip_prefix(&f.code).unwrap_or("").trim();
        self.code == f.code
            && self.bid.as_deref().is_none_or(|b| b == bid)
            && self.subject.as_deref().is_none_or(|s| {
                rest == s || f.layer.as_deref() == Some(s) || f.subject.as_deref() == Some(s)
            })
    }
}

/// Problems of a list of exceptions, each with where it sits.
fn exception_problems(list: &[Exception], at: &dyn Fn(&str) -> String) -> Vec<String> {
    let mut out = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let here = format!("{}exceptions[{i}]", at(&e.code));
        if super::explain(&e.code).is_none() {
            out.push(format!("{here}: unknown finding code \"{}\"", e.code));
        }
        if e.reason.trim().is_empty() {
            out.push(format!("{here}: an exception states its reason"));
        }
        if !crate::registry::validate::is_date(&e.expires) {
            out.push(format!(
                "{here}: expires \"{}\" is not a YYYY-MM-DD date",
                e.expires
            ));
        }
    }
    out
}

/// `coquille.toml` beside the inputs: the exceptions a project keeps with its SBOMs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    schema: String,
    #[serde(default)]
    exceptions: Vec<Exception>,
}

/// The schema tag of `coquille.toml`.
pub const PROJECT_SCHEMA: &str = "coquille.project/1";

/// Read the exceptions of a `coquille.toml`.
pub fn project_exceptions(file: &str, text: &str) -> Result<Vec<Exception>, ReadError> {
    let p: ProjectFile =
        toml::from_str(text).map_err(|e| ReadError::from_toml(file, "coquille.toml", text, &e))?;
    let at = |needle: &str| {
        text.find(needle).map_or(String::new(), |i| {
            format!("{}: ", ReadError::line_col(text.as_bytes(), i))
        })
    };
    let mut problems = exception_problems(&p.exceptions, &at);
    if p.schema != PROJECT_SCHEMA {
        problems.insert(
            0,
            format!("schema \"{}\" is not {PROJECT_SCHEMA}", p.schema),
        );
    }
    if problems.is_empty() {
        Ok(p.exceptions)
    } else {
        Err(ReadError::new(file, problems.join("; ")))
    }
}

/// Today as `YYYY-MM-DD` (UTC), for exception expiry; `COQUILLE_TODAY` overrides it so that a
/// run can be replayed.
pub fn today() -> String {
    if let Ok(d) = std::env::var("COQUILLE_TODAY")
        && crate::registry::validate::is_date(&d)
    {
        return d;
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil(secs / 86_400)
}

/// Days since 1970-01-01 as a proleptic Gregorian date (Howard Hinnant's days-to-civil).
fn civil(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Apply exceptions (each with where it is written) to one bid's findings: a live one marks
/// the findings it covers with its reason; an expired one covers nothing and is a finding.
pub fn except(findings: &mut Vec<Finding>, bid: &str, list: &[(Exception, String)], today: &str) {
    let mut expired = Vec::new();
    for (e, source) in list {
        if e.expires.as_str() < today {
            expired.push(
                Finding::bi(
                    "exception-expired",
                    crate::bi!(
                        "The exception for {} ({}) expired on {}: the findings it allowed count again.",
                        "La dérogation pour {} ({}) a expiré le {} : les constats qu'elle autorisait comptent de nouveau.",
                        e.code,
                        e.reason,
                        e.expires
                    ),
                )
                .subject(format!("{} {}", e.code, e.subject.as_deref().unwrap_or("*")))
                .evidence([source.clone()]),
            );
            continue;
        }
        for f in findings
            .iter_mut()
            .filter(|f| f.exception.is_none() && e.covers(bid, f))
        {
            f.exception = Some(format!("{} (until {}; {source})", e.reason, e.expires));
        }
    }
    findings.extend(expired);
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
    problems.extend(exception_problems(&p.exceptions, &at));
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
        let (id, verdict, allowed) = (&p.id, r.summary.verdict, p.allowed_verdicts.join(", "));
        let verdict_fr = crate::i18n::verdict(crate::i18n::Lang::Fr, verdict).to_lowercase();
        let allowed_fr = p
            .allowed_verdicts
            .iter()
            .map(|v| {
                format!(
                    "« {} »",
                    crate::i18n::verdict(crate::i18n::Lang::Fr, v).to_lowercase()
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Finding::bi(
                "policy-verdict",
                crate::bi!(
                    "Policy {id}: the verdict is {verdict}, the policy accepts {allowed}.",
                    "Politique {id} : le verdict est « {verdict_fr} », la politique n'accepte que {allowed_fr}."
                ),
            )
            .evidence(cite()),
        );
    }
    if let Some(max) = p.max_foreign_capital
        && r.face.bidder_entity.is_some()
        && r.face.foreign_share > max + 1e-9
    {
        let (share, limit, id) = (pct(r.face.foreign_share), pct(max), &p.id);
        let (share_fr, limit_fr) = (
            crate::i18n::pourcentage(r.face.foreign_share),
            crate::i18n::pourcentage(max),
        );
        out.push(
            Finding::bi(
                "policy-foreign-capital",
                crate::bi!(
                    "Foreign holders own {share} of the bidder (look-through); policy {id} allows at most {limit}.",
                    "Des actionnaires étrangers détiennent {share_fr} du soumissionnaire (par transparence) ; la politique {id} en permet au plus {limit_fr}."
                ),
            )
            .evidence(cite()),
        );
    }
    if let Some(max) = p.max_single_foreign_holder
        && let Some(h) = &r.face.largest_foreign
        && h.share.max(h.votes) > max + 1e-9
    {
        let (share, limit, id) = (pct(h.share.max(h.votes)), pct(max), &p.id);
        let (share_fr, limit_fr) = (
            crate::i18n::pourcentage(h.share.max(h.votes)),
            crate::i18n::pourcentage(max),
        );
        let (who, cc) = (&h.name, h.country.as_deref().unwrap_or("?"));
        out.push(
            Finding::bi(
                "policy-single-foreign-holder",
                crate::bi!(
                    "{who} ({cc}) holds {share} of the bidder; policy {id} allows at most {limit} for one foreign holder.",
                    "{who} ({cc}) détient {share_fr} du soumissionnaire ; la politique {id} en permet au plus {limit_fr} pour un seul actionnaire étranger."
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
            let list_fr = bad
                .iter()
                .map(|l| crate::i18n::layer(crate::i18n::Lang::Fr, l))
                .collect::<Vec<_>>()
                .join(", ");
            let (n, id) = (bad.len(), &p.id);
            let layers = if n == 1 {
                "critical layer is"
            } else {
                "critical layers are"
            };
            let or_unknown = if p.unknown_is_foreign {
                " or unknown"
            } else {
                ""
            };
            let couches = match (n, p.unknown_is_foreign) {
                (1, true) => "couche critique est sous contrôle étranger ou inconnu",
                (1, false) => "couche critique est sous contrôle étranger",
                (_, true) => "couches critiques sont sous contrôle étranger ou inconnu",
                (_, false) => "couches critiques sont sous contrôle étranger",
            };
            let permet = match max {
                0 => "n'en permet aucune".to_string(),
                1 => "en permet une".to_string(),
                m => format!("en permet {m}"),
            };
            out.push(
                Finding::bi(
                    "policy-foreign-critical-layers",
                    crate::bi!(
                        "{n} {layers} foreign-controlled{or_unknown} ({list}); policy {id} allows {max}.",
                        "{n} {couches} ({list_fr}) ; la politique {id} {permet}."
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
                {
                    let (have, need, id) = (pct(r.coverage.ratio * 100.0), pct(min * 100.0), &p.id);
                    let (have_fr, need_fr) = (
                        crate::i18n::pourcentage(r.coverage.ratio * 100.0),
                        crate::i18n::pourcentage(min * 100.0),
                    );
                    crate::bi!(
                        "Only {have} of components are attributed; policy {id} requires {need}.",
                        "Seuls {have_fr} des composants sont attribués ; la politique {id} en exige {need_fr}."
                    )
                },
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
    fn days_become_dates() {
        for (days, date) in [
            (0, "1970-01-01"),
            (59, "1970-03-01"),
            (11_016, "2000-02-29"),
            (20_000, "2024-10-04"),
            (20_422, "2025-11-30"),
        ] {
            assert_eq!(civil(days), date);
        }
    }

    #[test]
    fn exceptions_allow_with_a_reason_until_they_expire() {
        let mut f = vec![
            Finding::new("foreign-supply", "x").layer("hardware"),
            Finding::new("foreign-supply", "y").layer("network"),
            Finding::new("kill-switch", "z")
                .layer("hypervisor")
                .subject("broadcom"),
        ];
        let ex = |code: &str, subject: Option<&str>, expires: &str| {
            (
                Exception {
                    code: code.into(),
                    subject: subject.map(str::to_string),
                    bid: None,
                    reason: "accepted by the committee".into(),
                    expires: expires.into(),
                },
                "coquille.toml".to_string(),
            )
        };
        except(
            &mut f,
            "b",
            &[
                ex("foreign-supply", Some("hardware"), "2027-01-01"),
                ex("kill-switch", Some("hypervisor broadcom"), "2026-01-01"),
            ],
            "2026-11-30",
        );
        assert!(
            f[0].exception
                .as_deref()
                .unwrap()
                .contains("until 2027-01-01")
        );
        assert!(f[1].exception.is_none(), "another layer");
        assert!(f[2].exception.is_none(), "expired");
        assert_eq!(f.len(), 4);
        assert_eq!(f[3].code, "exception-expired");
    }

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
