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
    for (version, ext) in [
        ("1.3", "json"),
        ("1.4", "xml"),
        ("1.5", "json"),
        ("1.6", "xml"),
        ("1.7", "json"),
    ] {
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

/// `coquille validate` on every JSON and XML document of the standards: each valid one
/// accepted, each invalid one reported with a problem. The spec's `skip_` documents are left
/// out, as the spec's own test suite leaves them out (they are not what their name says), and
/// so are SPDX's draft XML and 3.0 (no schema).
#[test]
fn validate_accepts_every_valid_and_reports_every_invalid_document() {
    let Some(cases) = manifest() else { return };
    let cases: Vec<&Case> = cases
        .iter()
        .filter(|c| {
            matches!(c.expect.as_str(), "valid" | "invalid" | "example")
                && !c.rel.rsplit('/').next().unwrap_or("").starts_with("skip_")
                && (c.standard == "cyclonedx" && matches!(c.encoding.as_str(), "json" | "xml")
                    || c.standard == "spdx"
                        && c.encoding == "json"
                        && matches!(c.version.as_str(), "2.2" | "2.3"))
        })
        .collect();
    let out = coquille()
        .arg("validate")
        .args(["--format", "json"])
        .args(cases.iter().map(|c| &c.path))
        .output()
        .unwrap();
    let results: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    if results.iter().any(|r| {
        r["error"]
            .as_str()
            .is_some_and(|e| e.contains("built without"))
    }) {
        eprintln!("skipped: this build has no schemas");
        return;
    }
    assert_eq!(results.len(), cases.len());
    let mut wrong = Vec::new();
    let (mut valid, mut invalid) = (0, 0);
    for (c, r) in cases.iter().zip(&results) {
        let expect_valid = c.expect != "invalid";
        if expect_valid {
            valid += 1;
        } else {
            invalid += 1;
        }
        let ok = r["error"].is_null()
            && r["valid"] == expect_valid
            && (expect_valid || !r["problems"].as_array().unwrap().is_empty());
        if !ok {
            wrong.push(format!("{}: {r}", c.rel));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(
        valid > 200 && invalid > 130,
        "{valid} valid, {invalid} invalid"
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "some inputs are invalid: exit 1"
    );
}

/// A problem names its JSON pointer and its line, and the exit codes tell valid (0),
/// invalid (1) and not checked (2) apart.
#[test]
fn validate_points_at_the_problem_and_exits_by_outcome() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.cdx.json");
    std::fs::write(
        &bad,
        "{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"version\": 1,\n\"components\": [\n  {\"type\": \"library\", \"name\": \"a\", \"scope\": \"sometimes\"}]}\n",
    )
    .unwrap();
    let out = coquille().arg("validate").arg(&bad).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if stdout.contains("not checked") {
        eprintln!("skipped: this build has no schemas");
        return;
    }
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("bad.cdx.json:3:45: /components/0/scope:"),
        "{stdout}"
    );
    let good = dir.path().join("good.cdx.json");
    std::fs::write(
        &good,
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": []}"#,
    )
    .unwrap();
    let out = coquille().arg("validate").arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid (CycloneDX 1.6 JSON schema)"));
    let toml = dir.path().join("bid.toml");
    std::fs::write(&toml, "[bid]\nid = \"x\"\n").unwrap();
    let out = coquille().arg("validate").arg(&toml).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// SPDX 3.0 JSON-LD: the specification's example and the 25 documents of spdx-examples are
/// read into the model (packages, their suppliers and originators, licences, dependencies),
/// and each is analysed with exit 0.
#[test]
fn every_spdx_3_0_example_is_read_and_analysed() {
    let Some(shared) = shared() else { return };
    // manifest.csv lists the specification's example; spdx-examples/ is walked.
    fn walk(dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&shared.join("conformance/spdx/3.0"), &mut paths);
    paths.sort();
    let cases: Vec<Case> = paths
        .into_iter()
        .map(|path| Case {
            rel: path.display().to_string(),
            path,
            standard: "spdx".into(),
            version: "3.0".into(),
            encoding: "json".into(),
            expect: "example".into(),
        })
        .collect();
    assert!(cases.len() >= 26, "{} SPDX 3.0 documents", cases.len());
    let (mut components, mut parties, mut licences, mut relations) = (0, 0, 0, 0);
    for c in &cases {
        let loaded = read(c).unwrap_or_else(|e| panic!("{}: {e}", c.rel));
        let ingest::Document::Sbom(inv) = loaded.doc else {
            panic!("{} is not read as an SBOM", c.rel)
        };
        assert_eq!(inv.format.version, "3.0", "{}", c.rel);
        components += inv.components.len();
        parties += inv
            .components
            .iter()
            .map(|c| c.parties.len())
            .sum::<usize>();
        licences += inv
            .components
            .iter()
            .filter(|c| !c.licenses.is_empty())
            .count();
        relations += inv.relations.len();
        coquille()
            .args(["analyze", "--format", "json"])
            .arg(&c.path)
            .assert()
            .success();
    }
    // The examples hold 67 packages (61 software, 3 AI, 3 dataset, counted with a JSON tool);
    // this reader finds 43 suppliers and originators, 39 licensed packages and 42 relations.
    assert_eq!(components, 67);
    assert!(parties >= 40, "{parties} suppliers and originators");
    assert!(licences >= 35, "{licences} components with a licence");
    assert!(relations >= 40, "{relations} relations");
}

/// The demo's own SBOMs are what their standard says they must be (a folder's bid manifests
/// are left out of `validate`, not failed).
#[test]
fn the_demo_sboms_are_valid_against_their_schemas() {
    let out = coquille()
        .args(["validate", "demo"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    if stdout.contains("built without") {
        eprintln!("skipped: this build has no schemas");
        return;
    }
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.contains(": valid (")).count(),
        9,
        "{stdout}"
    );
}
