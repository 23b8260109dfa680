//! `components.csv` and `findings.csv` for spreadsheets: UTF-8, a stable
//! column order (documented in the README), and every cell that a
//! spreadsheet would read as a formula neutralised with a leading `'`.

use crate::report::Report;

pub const COMPONENT_COLUMNS: &[&str] = &[
    "bid",
    "ref",
    "name",
    "version",
    "type",
    "purl",
    "layer",
    "entity",
    "entity_name",
    "entity_country",
    "confidence",
    "method",
    "controller",
    "controller_name",
    "controller_country",
    "controller_kind",
    "jurisdictions",
    "evidence",
];

pub const FINDING_COLUMNS: &[&str] = &[
    "bid",
    "code",
    "severity",
    "layer",
    "message",
    "message_fr",
    "laws",
    "evidence",
];

/// A cell a spreadsheet will show as text: formulas (`=`, `+`, `-`, `@`,
/// tab, carriage return) get a leading apostrophe; other control characters
/// are dropped.
pub fn cell(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\t' || *c == '\r' || *c == '\n')
        .map(|c| {
            if super::escape::is_bidi_control(c) || super::escape::is_xml_illegal(c) {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect();
    match clean.chars().next() {
        Some(
            '=' | '+' | '-' | '@' | '\t' | '\r' | '\u{ff1d}' | '\u{ff0b}' | '\u{ff0d}' | '\u{ff20}',
        ) => format!("'{clean}"),
        _ => clean,
    }
}

/// A CSV table: the header, then rows whose cells are made safe for spreadsheets.
pub(crate) fn write(rows: Vec<Vec<String>>, header: &[&str]) -> String {
    let mut out = Vec::new();
    write_to(&mut out, rows, header).expect("writing to memory");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// [`write`] to `w`, row by row as `rows` yields them.
fn write_to(
    w: &mut dyn std::io::Write,
    rows: impl IntoIterator<Item = Vec<String>>,
    header: &[&str],
) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(w);
    w.write_record(header)?;
    for r in rows {
        w.write_record(r.iter().map(|c| cell(c)))?;
    }
    w.flush()
}

/// `components.csv` written to `w` one component at a time: at a million components the
/// table is several hundred megabytes.
pub fn write_components(reports: &[Report], w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let rows = reports.iter().flat_map(|r| {
        r.components.iter().map(move |c| {
            let a = c.attribution.as_ref();
            let k = c.controller.as_ref();
            vec![
                r.bid.id.clone(),
                c.reference.clone(),
                c.name.clone(),
                c.version.clone().unwrap_or_default(),
                c.kind.clone(),
                c.purl.clone().unwrap_or_default(),
                c.layer.to_string(),
                a.map(|a| a.entity.clone()).unwrap_or_default(),
                a.map(|a| a.name.clone()).unwrap_or_default(),
                a.map(|a| a.country.clone()).unwrap_or_default(),
                a.map(|a| a.confidence).unwrap_or_default().to_string(),
                a.map(|a| a.method).unwrap_or_default().to_string(),
                k.map(|k| k.entity.clone()).unwrap_or_default(),
                k.map(|k| k.name.clone()).unwrap_or_default(),
                k.map(|k| k.country.clone()).unwrap_or_default(),
                k.map(|k| k.kind.clone()).unwrap_or_default(),
                c.jurisdictions.join(";"),
                a.map(|a| a.evidence.clone()).unwrap_or_default(),
            ]
        })
    });
    write_to(w, rows, COMPONENT_COLUMNS)
}

pub const PORTFOLIO_COLUMNS: &[&str] = &[
    "path",
    "title",
    "verdict",
    "engines",
    "engine_countries",
    "components",
    "coverage",
    "unknown",
    "deny",
    "warn",
];

/// `portfolio.csv`: one row per result (an SBOM of a folder, or a bid).
pub fn portfolio(reports: &[Report]) -> String {
    let rows = reports
        .iter()
        .map(|r| {
            let found = r.foreign_engines(false);
            let engines: Vec<String> = found.iter().map(|e| e.engine.label()).collect();
            let mut countries: Vec<&str> =
                found.iter().map(|e| e.engine.country.as_str()).collect();
            countries.sort();
            countries.dedup();
            let sev = |k: &str| {
                r.summary
                    .findings_by_severity
                    .get(k)
                    .copied()
                    .unwrap_or(0)
                    .to_string()
            };
            vec![
                r.inputs
                    .first()
                    .map_or(r.bid.id.clone(), |i| i.path.clone()),
                r.bid.title.clone(),
                r.summary.verdict.to_string(),
                engines.join("; "),
                countries.join(";"),
                r.coverage.items.to_string(),
                format!("{:.3}", r.coverage.ratio),
                r.coverage.unknown.to_string(),
                sev("deny"),
                sev("warn"),
            ]
        })
        .collect();
    write(rows, PORTFOLIO_COLUMNS)
}

pub fn findings(reports: &[Report]) -> String {
    let mut rows = Vec::new();
    for r in reports {
        for f in &r.findings {
            rows.push(vec![
                r.bid.id.clone(),
                f.code.clone(),
                f.severity.as_str().to_string(),
                f.layer.clone().unwrap_or_default(),
                f.message.clone(),
                f.message_fr.clone(),
                f.laws.join(" | "),
                f.evidence.join(" | "),
            ]);
        }
    }
    write(rows, FINDING_COLUMNS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(
            cell("=HYPERLINK(\"http://evil\")"),
            "'=HYPERLINK(\"http://evil\")"
        );
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("lodash"), "lodash");
        assert_eq!(cell("a\u{1b}b"), "ab");
    }
}
