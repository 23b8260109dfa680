//! Renderers for `coquille check`: the policy's findings per bid as text,
//! JSON, Markdown, SARIF 2.1.0 (GitHub code scanning) and JUnit XML.

use super::escape::{markdown as m, terminal as t};
use super::html::esc;
use crate::policy::gate::Policy;
use crate::policy::{CODES, Finding, Severity};
use crate::report::Report;
use serde_json::json;
use std::fmt::Write;

/// One bid's outcome under a policy.
pub struct Outcome<'a> {
    pub report: &'a Report,
    pub findings: Vec<Finding>,
}

impl Outcome<'_> {
    /// No deny finding stands: every one is either in the baseline or under an exception.
    pub fn passed(&self) -> bool {
        !self.findings.iter().any(Finding::fails)
    }

    /// Mark the findings an earlier run already had (by bid and stable name): they are
    /// shown, and do not fail the check.
    pub fn mark_known(&mut self, known: &std::collections::BTreeSet<(String, String)>) {
        let keys: Vec<String> = keyed(self).into_iter().map(|(k, _)| k).collect();
        let bid = self.report.bid.id.clone();
        for (f, k) in self.findings.iter_mut().zip(keys) {
            f.known = known.contains(&(bid.clone(), k));
        }
    }
}

/// What stands beside a finding that does not fail: `baseline`, or the exception's reason.
fn waiver(f: &Finding) -> Option<String> {
    match (&f.exception, f.known) {
        (Some(e), _) => Some(format!("excepted: {e}")),
        (None, true) => Some("in the baseline".into()),
        _ => None,
    }
}

fn count(o: &Outcome, s: Severity) -> usize {
    o.findings.iter().filter(|f| f.severity == s).count()
}

pub fn text(p: &Policy, outs: &[Outcome]) -> String {
    let mut s = format!("policy {} — {}\n", p.id, t(&p.title));
    for o in outs {
        let r = o.report;
        let _ = writeln!(
            s,
            "\n{}  {}  ({}; {} deny, {} warn, {} info)",
            if o.passed() { "PASS" } else { "FAIL" },
            t(&r.bid.id),
            r.summary.verdict,
            count(o, Severity::Deny),
            count(o, Severity::Warn),
            count(o, Severity::Info)
        );
        for f in o.findings.iter().filter(|f| f.severity != Severity::Info) {
            let _ = writeln!(
                s,
                "  {:<5} {:<31} {}{}",
                f.severity.as_str(),
                f.code,
                t(&f.message),
                waiver(f)
                    .map(|w| format!(" [{}]", t(&w)))
                    .unwrap_or_default()
            );
        }
    }
    let failed = outs.iter().filter(|o| !o.passed()).count();
    let _ = writeln!(
        s,
        "\n{} of {} bids pass policy {}.",
        outs.len() - failed,
        outs.len(),
        p.id
    );
    s
}

pub fn json(p: &Policy, outs: &[Outcome]) -> String {
    let v = json!({
        "schema": "coquille.check/1",
        "policy": {"id": p.id, "title": p.title, "sources": p.sources.iter().map(|s| json!({"title": s.title, "url": s.url, "as_of": s.as_of})).collect::<Vec<_>>()},
        "passed": outs.iter().all(Outcome::passed),
        "bids": outs.iter().map(|o| json!({
            "bid": o.report.bid.id,
            "verdict": o.report.summary.verdict,
            "passed": o.passed(),
            "findings": keyed(o).into_iter().map(|(key, f)| {
                let mut v = serde_json::to_value(f).expect("serialisable");
                v["key"] = json!(key);
                v
            }).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&v).expect("serialisable");
    s.push('\n');
    s
}

/// The foreign engines behind a result: `Name (CC)` of the entities its verdict names.
fn engines(r: &Report) -> String {
    let v: Vec<String> = r
        .foreign_engines(false)
        .iter()
        .map(|e| e.engine.label())
        .collect();
    if v.is_empty() {
        "—".into()
    } else {
        v.join(", ")
    }
}

/// The finding that decides a failing result: the first failing one in the order a committee
/// reads (who controls the bidder, then the layers, then what the bid claims), the policy's
/// own findings last.
fn deciding<'a>(o: &'a Outcome) -> Option<&'a Finding> {
    const ORDER: &[&str] = &[
        "foreign-bidder",
        "foreign-critical-layer",
        "kill-switch",
        "compelled-access",
        "key-custody",
        "declaration-contradicted",
        "data-outside-home",
        "claim-contradicted",
        "layer-missing",
    ];
    let rank = |f: &Finding| {
        ORDER
            .iter()
            .position(|c| *c == f.code)
            .unwrap_or(ORDER.len())
    };
    o.findings
        .iter()
        .filter(|f| f.fails())
        .min_by_key(|f| (f.code.starts_with("policy-"), rank(f)))
}

/// A CI job summary: one row per result, then for each failing one the foreign engines,
/// the line that decided it and what else fails.
pub fn markdown(p: &Policy, outs: &[Outcome]) -> String {
    let mut s = format!("## coquille check — {}\n\n", m(&p.title));
    let failed = outs.iter().filter(|o| !o.passed()).count();
    let _ = writeln!(
        s,
        "{} of {} results pass policy `{}`.\n",
        outs.len() - failed,
        outs.len(),
        m(&p.id)
    );
    let _ = writeln!(
        s,
        "| result | bid | verdict | foreign engines | failing | deny | warn |\n|---|---|---|---|---:|---:|---:|"
    );
    for o in outs {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            if o.passed() { "✅ pass" } else { "❌ fail" },
            m(&o.report.bid.title),
            o.report.summary.verdict,
            m(&engines(o.report)),
            o.findings.iter().filter(|f| f.fails()).count(),
            count(o, Severity::Deny),
            count(o, Severity::Warn)
        );
    }
    for o in outs.iter().filter(|o| !o.passed()) {
        let _ = writeln!(s, "\n### ❌ {}\n", m(&o.report.bid.title));
        let _ = writeln!(s, "- **Foreign engines:** {}", m(&engines(o.report)));
        if let Some(r) = o.report.summary.reasons.first() {
            let _ = writeln!(s, "- **Verdict** {}: {}", o.report.summary.verdict, m(r));
        }
        if let Some(f) = deciding(o) {
            let _ = writeln!(s, "- **Decided by** `{}`: {}", f.code, m(&f.message));
            if let Some(e) = f.evidence.first() {
                let _ = writeln!(s, "  - evidence: {}", m(e));
            }
        }
        let rest: Vec<&Finding> = o
            .findings
            .iter()
            .filter(|f| f.fails() && deciding(o).is_none_or(|d| !std::ptr::eq(*f, d)))
            .collect();
        for f in rest.iter().take(10) {
            let _ = writeln!(s, "- `{}` {}", f.code, m(&f.message));
        }
        if rest.len() > 10 {
            let _ = writeln!(s, "- … and {} more failing findings", rest.len() - 10);
        }
        let waived = o.findings.iter().filter(|f| waiver(f).is_some()).count();
        if waived > 0 {
            let _ = writeln!(
                s,
                "- {waived} deny or warn findings are allowed by an exception or known from the baseline"
            );
        }
    }
    s
}

/// Each finding of an outcome with its stable name: [`Finding::key`], and `#2`, `#3`… on the
/// rare findings that share one (the order of findings is deterministic).
pub fn keyed<'a>(o: &'a Outcome) -> Vec<(String, &'a Finding)> {
    let mut seen: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    o.findings
        .iter()
        .map(|f| {
            let k = f.key();
            let n = seen.entry(k.clone()).or_default();
            *n += 1;
            let k = if *n > 1 { format!("{k} #{n}") } else { k };
            (k, f)
        })
        .collect()
}

/// A fingerprint code scanning can follow across runs: the bid and the finding's stable name.
fn fingerprint(bid: &str, key: &str) -> String {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(format!("{bid}\u{0}{key}").as_bytes());
    d.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// Where an input element sits in its file: `(uri, element)` to line and column. The caller
/// reads the inputs; renderers never touch files.
pub type Locate<'a> = &'a dyn Fn(&str, &str) -> Option<(u64, u64)>;

/// `line L` or `line L, column C`, as the XML, tag-value and source readers write them.
fn written_position(s: &str) -> Option<(u64, u64)> {
    let rest = &s[s.find("line ")? + 5..];
    let digits =
        |t: &str| -> Option<u64> { t.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok() };
    let line = digits(rest)?;
    let col = rest
        .find("column ")
        .and_then(|i| digits(&rest[i + 7..]))
        .unwrap_or(1);
    Some((line, col))
}

/// The file, line and column a finding points at, for SARIF: the first evidence line that
/// names one of the report's inputs, its element placed in the file (a JSON pointer, a
/// manifest key, or a line the reader wrote); else the first input.
fn location(r: &Report, f: &Finding, locate: Locate) -> (String, Option<(u64, u64)>) {
    for e in &f.evidence {
        for i in &r.inputs {
            // The input's path starts the line, or follows what the line says first
            // (`needs the online service X of Y: bom.json /components/5/purl …`).
            let Some(rest) = e.find(&i.path).map(|at| &e[at + i.path.len()..]) else {
                continue;
            };
            if !rest.is_empty() && !rest.starts_with([' ', ':']) {
                continue;
            }
            let rest = rest.trim_start_matches([' ', ':']);
            if let Some(p) = written_position(rest) {
                return (i.path.clone(), Some(p));
            }
            let element: String = rest
                .trim_start_matches('(')
                .chars()
                .take_while(|c| !matches!(c, ' ' | ':' | ')' | '"'))
                .collect();
            return (i.path.clone(), locate(&i.path, &element));
        }
    }
    (
        r.inputs.first().map(|i| i.path.clone()).unwrap_or_default(),
        None,
    )
}

pub fn sarif(p: &Policy, outs: &[Outcome], locate: Locate) -> String {
    let rules: Vec<_> = CODES
        .iter()
        .map(|(code, sev, text)| {
            json!({
                "id": code,
                "name": code,
                "shortDescription": {"text": crate::i18n::finding_title(crate::i18n::Lang::En, code)},
                "fullDescription": {"text": text},
                "help": {
                    "text": format!("{text} Run `coquille explain {code}`; README, section \"CI gate\"."),
                    "markdown": format!("{text}\n\nRun `coquille explain {code}`; see the README, section *CI gate*."),
                },
                "defaultConfiguration": {"level": level(*sev)},
            })
        })
        .collect();
    let mut results = Vec::new();
    for o in outs {
        for (key, f) in keyed(o) {
            let (uri, at) = location(o.report, f, locate);
            let (line, column) = at.unwrap_or((1, 1));
            let region = json!({"startLine": line, "startColumn": column});
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": CODES.iter().position(|(c, _, _)| *c == f.code).unwrap_or(0),
                "level": level(f.severity),
                "message": {"text": format!("[{}] {}", o.report.bid.id, f.message)},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
                "partialFingerprints": {"coquilleFinding/v1": fingerprint(&o.report.bid.id, &key)},
                "properties": {"bid": o.report.bid.id, "finding": key, "evidence": f.evidence, "laws": f.laws},
            });
            // An exception is a suppression with its justification; a baseline says what is new.
            if let Some(e) = &f.exception {
                result["suppressions"] = json!([{"kind": "external", "justification": e}]);
            }
            if o.findings.iter().any(|f| f.known) {
                result["baselineState"] = json!(if f.known { "unchanged" } else { "new" });
            }
            results.push(result);
        }
    }
    let v = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "coquille",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "automationDetails": {"id": format!("coquille/{}", p.id)},
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&v).expect("serialisable");
    s.push('\n');
    s
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Deny => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

pub fn junit(p: &Policy, outs: &[Outcome]) -> String {
    let tests: usize = outs.iter().map(|o| o.findings.len().max(1)).sum();
    let failing = |o: &Outcome| o.findings.iter().filter(|f| f.fails()).count();
    let failures: usize = outs.iter().map(failing).sum();
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"coquille check {}\" tests=\"{tests}\" failures=\"{failures}\">\n",
        esc(&p.id)
    );
    for o in outs {
        let r = o.report;
        let _ = writeln!(
            s,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\">",
            esc(&r.bid.id),
            o.findings.len().max(1),
            failing(o)
        );
        if o.findings.is_empty() {
            let _ = writeln!(
                s,
                "    <testcase classname=\"{}\" name=\"policy {}\"/>",
                esc(&r.bid.id),
                esc(&p.id)
            );
        }
        for (name, f) in keyed(o) {
            // The name stays the same from run to run; what changes (counts, evidence) is the body.
            let body = std::iter::once(f.message.as_str())
                .chain(f.evidence.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join("\n");
            if let Some(w) = waiver(f).filter(|_| f.severity == Severity::Deny) {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\"><skipped message=\"{}\"/><system-out>{}</system-out></testcase>",
                    esc(&r.bid.id),
                    esc(&name),
                    esc(&w),
                    esc(&body)
                );
            } else if f.severity == Severity::Deny {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\"><failure type=\"{}\" message=\"{}\">{}</failure></testcase>",
                    esc(&r.bid.id),
                    esc(&name),
                    esc(&f.code),
                    esc(crate::i18n::finding_title(crate::i18n::Lang::En, &f.code)),
                    esc(&body)
                );
            } else {
                let _ = writeln!(
                    s,
                    "    <testcase classname=\"{}\" name=\"{}\"><system-out>{}: {}</system-out></testcase>",
                    esc(&r.bid.id),
                    esc(&name),
                    esc(f.severity.as_str()),
                    esc(&body)
                );
            }
        }
        s.push_str("  </testsuite>\n");
    }
    s.push_str("</testsuites>\n");
    s
}
