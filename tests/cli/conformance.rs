//! Conformance: the standards bodies' own documents in ../shared/conformance.

use super::{coquille, shared};
use coquille::ingest;
use std::path::PathBuf;

struct Case {
    path: PathBuf,
    rel: String,
    standard: String,
    version: String,
    encoding: String,
    expect: String,
}

fn manifest() -> Option<Vec<Case>> {
    let root = shared()?.join("conformance");
    let text = std::fs::read_to_string(root.join("manifest.csv")).ok()?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        if f.len() < 5 {
            continue;
        }
        out.push(Case {
            path: root.join(f[0]),
            rel: f[0].to_string(),
            standard: f[1].into(),
            version: f[2].into(),
            encoding: f[3].into(),
            expect: f[4].into(),
        });
    }
    Some(out)
}

fn read(c: &Case) -> Result<ingest::Loaded, ingest::ReadError> {
    let raw = std::fs::read(&c.path).unwrap();
    ingest::parse(&c.rel, &raw, ingest::DEFAULT_MAX_BYTES)
}

#[test]
fn every_valid_cyclonedx_document_from_1_2_to_1_7_is_read() {
    let Some(cases) = manifest() else { return };
    let mut n = 0;
    let mut failures = Vec::new();
    for c in cases.iter().filter(|c| {
        c.standard == "cyclonedx"
            && c.expect == "valid"
            && (c.encoding == "json" || c.encoding == "xml")
    }) {
        if !matches!(
            c.version.as_str(),
            "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
        ) {
            continue;
        }
        n += 1;
        if let Err(e) = read(c) {
            failures.push(e.to_string());
        }
    }
    assert!(n > 400, "only {n} documents found");
    assert!(
        failures.is_empty(),
        "{} of {n} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_spdx_2_example_in_json_and_tag_value_is_read() {
    let Some(cases) = manifest() else { return };
    let mut n = 0;
    let mut failures = Vec::new();
    for c in cases.iter().filter(|c| {
        c.standard == "spdx" && matches!(c.version.as_str(), "2.2" | "2.3") && c.expect == "example"
    }) {
        if !(c.rel.ends_with(".json") || c.rel.ends_with(".spdx")) {
            continue;
        }
        n += 1;
        match read(c) {
            Ok(l) => match l.doc {
                ingest::Document::Sbom(inv) => {
                    assert!(!inv.components.is_empty(), "{}: no packages", c.rel)
                }
                ingest::Document::Manifest(_) => panic!("{} read as a manifest", c.rel),
            },
            Err(e) => failures.push(e.to_string()),
        }
    }
    assert!(n >= 4, "only {n} SPDX examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_conformance_input_makes_the_binary_panic() {
    let Some(cases) = manifest() else { return };
    let mut checked = 0;
    for c in cases.iter().filter(|c| c.expect != "schema") {
        let out = coquille().arg("analyze").arg(&c.path).output().unwrap();
        let code = out.status.code();
        assert!(
            matches!(code, Some(0) | Some(2)),
            "{}: exit {code:?}\n{}",
            c.rel,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{} panicked",
            c.rel
        );
        checked += 1;
    }
    assert!(checked > 900);
}

#[test]
fn strict_mode_reports_schema_problems_that_lenient_reading_accepts() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("conformance/cyclonedx");
    let strict = ingest::Options {
        strict: true,
        ..ingest::Options::default()
    };
    for (version, ext) in [("1.3", "json"), ("1.4", "xml"), ("1.5", "json")] {
        let bad = dir.join(format!("{version}/invalid-hash-md5-{version}.{ext}"));
        let raw = std::fs::read(&bad).unwrap();
        let lenient = ingest::parse("bad", &raw, ingest::DEFAULT_MAX_BYTES).unwrap();
        let ingest::Document::Sbom(inv) = lenient.doc else {
            panic!()
        };
        assert!(
            inv.diagnostics.is_empty(),
            "lenient reading should accept {}",
            bad.display()
        );
        let ingest::Document::Sbom(inv) = ingest::parse_with("bad", &raw, &strict).unwrap().doc
        else {
            panic!()
        };
        assert!(
            inv.diagnostics.iter().any(|d| d.message.contains("schema")),
            "{version}: {:?}",
            inv.diagnostics
        );
        let good = std::fs::read(dir.join(format!("{version}/valid-bom-{version}.{ext}"))).unwrap();
        let ingest::Document::Sbom(inv) = ingest::parse_with("good", &good, &strict).unwrap().doc
        else {
            panic!()
        };
        assert!(
            inv.diagnostics.is_empty(),
            "{version}: {:?}",
            inv.diagnostics
        );
    }
}
