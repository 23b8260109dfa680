//! Plain SBOMs (no manifest) are judged by what the software needs to run: the online
//! services its clients call and the proprietary code it runs, not by package counts.
//! Real generator output (cyclonedx-npm, cyclonedx-py, cargo-cyclonedx) in
//! `tests/fixtures/real/`, the shared corpus as a cross-check, and SBOMs written here.

use super::{coquille, shared};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixture(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/real")
        .join(p)
}

/// `analyze --format json` over `paths`: one report per SBOM or bid.
pub(super) fn analyze(paths: &[PathBuf]) -> Vec<Value> {
    analyze_at("MA", paths)
}

/// [`analyze`] from another home country.
fn analyze_at(home: &str, paths: &[PathBuf]) -> Vec<Value> {
    let out = coquille()
        .args(["analyze", "--home", home, "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).unwrap() {
        Value::Array(v) => v,
        one => vec![one],
    }
}

fn engines(r: &Value, layer: &str) -> BTreeSet<String> {
    r["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["layer"] == layer)
        .flat_map(|l| l["engines"].as_array().unwrap().iter())
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

fn codes(r: &Value) -> BTreeSet<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

fn summary_entities(r: &Value) -> BTreeSet<String> {
    r["summary"]["engine_entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_string())
        .collect()
}

fn has_all(set: &BTreeSet<String>, want: &[&str], what: &str) {
    for w in want {
        assert!(set.contains(*w), "{what}: {w} missing from {set:?}");
    }
}

const AMAZON: &str = "Amazon.com, Inc.";
const MICROSOFT: &str = "Microsoft Corporation";
const ALPHABET: &str = "Alphabet Inc.";
const ALIBABA: &str = "Alibaba Group Holding Limited";
const TENCENT: &str = "Tencent Holdings Limited";
const OVH: &str = "OVH Groupe SA";
// Scaleway's group, Iliad, is controlled by its founder through his holding HoldCo II.
const NIEL: &str = "Xavier Niel";

#[test]
fn every_cloud_an_application_calls_is_named_as_the_engine_of_its_layer() {
    let paths: Vec<PathBuf> = ["npm/bom.json", "pypi/bom.json", "cargo/bom.json"]
        .iter()
        .map(|p| fixture(p))
        .collect();
    let reports = analyze(&paths);
    // One SBOM, one result, named after its file.
    assert_eq!(reports.len(), 3);
    for (r, p) in reports.iter().zip(&paths) {
        let id = r["bid"]["id"].as_str().unwrap();
        assert!(
            p.to_string_lossy().ends_with(id) || id.ends_with("bom.json"),
            "{id}"
        );
        assert_eq!(r["summary"]["verdict"], "foreign", "{id}");
        assert_eq!(r["inputs"].as_array().unwrap().len(), 1, "{id}");
    }
    let (npm, pypi, cargo) = (&reports[0], &reports[1], &reports[2]);
    // The Node application calling seven clouds names all seven, not the one with most packages.
    has_all(
        &summary_entities(npm),
        &[AMAZON, MICROSOFT, ALPHABET, ALIBABA, TENCENT, OVH, NIEL],
        "npm engines",
    );
    has_all(
        &engines(npm, "storage"),
        &[AMAZON, MICROSOFT, ALPHABET, ALIBABA, NIEL],
        "npm storage",
    );
    has_all(&engines(npm, "kms"), &[AMAZON], "npm kms");
    has_all(&engines(npm, "iam"), &[MICROSOFT, ALPHABET], "npm iam");
    has_all(&engines(npm, "compute"), &[TENCENT], "npm compute");
    has_all(&engines(npm, "paas"), &[OVH, ALIBABA], "npm paas");
    has_all(
        &summary_entities(pypi),
        &[AMAZON, MICROSOFT, ALPHABET, ALIBABA, TENCENT, OVH, NIEL],
        "pypi engines",
    );
    has_all(&engines(pypi, "kms"), &[ALIBABA], "pypi kms");
    has_all(
        &engines(cargo, "storage"),
        &[AMAZON, MICROSOFT, ALPHABET],
        "cargo storage",
    );
    // Every engine is backed by a service item whose clients are named with their registry row.
    let services: Vec<&Value> = npm["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["dependency"] == "service-client")
        .collect();
    assert!(services.len() > 40, "{} service clients", services.len());
    let s3 = services
        .iter()
        .find(|c| {
            c["name"] == "client-s3" || c["purl"].as_str().unwrap_or("").contains("client-s3")
        })
        .expect("client-s3 is a service client");
    assert_eq!(s3["service"]["service"], "Amazon S3");
    assert_eq!(s3["service"]["layer"], "storage");
    assert!(
        s3["service"]["evidence"]
            .as_str()
            .unwrap()
            .contains("vendors/services-"),
        "{}",
        s3["service"]
    );
    assert!(codes(npm).contains("compelled-access"));
}

#[test]
fn saas_clients_name_their_providers_in_their_layers() {
    let reports = analyze(&[fixture("npm-saas/bom.json"), fixture("pypi-saas/bom.json")]);
    for r in &reports {
        let id = r["bid"]["id"].as_str().unwrap();
        assert_eq!(r["summary"]["verdict"], "foreign", "{id}");
        has_all(
            &engines(r, "ai"),
            // OpenAI's engine is the non-profit that controls OpenAI Group PBC.
            &["OpenAI Foundation", "Anthropic, PBC"],
            id,
        );
        has_all(&engines(r, "telemetry"), &["Functional Software, Inc."], id);
        has_all(&engines(r, "saas"), &["Stripe, Inc."], id);
    }
}

/// Open source stewarded by foreign companies is a supply dependency, never a kill switch.
#[test]
fn applications_whose_only_foreign_ties_are_open_source_are_not_foreign() {
    let mut paths = vec![fixture("npm-web/bom.json")];
    if let Some(s) = shared() {
        for p in [
            "corpus/cyclonedx/SBOM/juice-shop/v11.1.2/bom.json",
            "corpus/cyclonedx/SBOM/dropwizard-1.3.15/bom.json",
        ] {
            paths.push(s.join(p));
        }
    }
    let reports = analyze(&paths);
    assert_eq!(reports.len(), paths.len());
    for r in &reports {
        let id = r["bid"]["id"].as_str().unwrap();
        let c = codes(r);
        assert_ne!(
            r["summary"]["verdict"], "foreign",
            "{id}: {}",
            r["summary"]["sentence"]
        );
        assert!(
            !c.contains("compelled-access") && !c.contains("kill-switch"),
            "{id}: {c:?}"
        );
    }
    let web = &reports[0];
    assert_eq!(web["summary"]["verdict"], "sovereign");
    assert!(
        web["summary"]["sentence"]
            .as_str()
            .unwrap()
            .contains("needs no foreign-controlled online service"),
        "{}",
        web["summary"]["sentence"]
    );
    if reports.len() > 1 {
        // juice-shop uses Microsoft's open source, dropwizard Google's: named as supply.
        for (r, who) in [(&reports[1], MICROSOFT), (&reports[2], ALPHABET)] {
            assert!(codes(r).contains("foreign-supply"), "{:?}", codes(r));
            has_all(&engines(r, "application"), &[who], "steward");
            let l = r["layers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["layer"] == "application")
                .unwrap();
            assert_eq!(l["control"], "foreign-supply");
        }
    }
}

/// proton-bridge's many Google libraries are open source; its Sentry client is a service.
#[test]
fn a_telemetry_client_is_a_service_and_open_source_beside_it_is_supply() {
    let Some(s) = shared() else { return };
    let r =
        &analyze(&[s.join("corpus/cyclonedx/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json")])[0];
    assert_eq!(
        summary_entities(r),
        BTreeSet::from(["Functional Software, Inc.".to_string()])
    );
    has_all(
        &engines(r, "telemetry"),
        &["Functional Software, Inc."],
        "telemetry",
    );
    has_all(&engines(r, "application"), &[ALPHABET], "application");
    let compelled: Vec<&Value> = r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "compelled-access")
        .collect();
    assert_eq!(compelled.len(), 1, "{compelled:?}");
    assert_eq!(compelled[0]["layer"], "telemetry");
}

/// A component written by hand: name, supplier, licence name, purl.
pub type Comp<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Option<&'a str>);

/// A CycloneDX 1.5 document with the given components.
pub fn sbom(components: &[Comp]) -> String {
    let comps: Vec<Value> = components
        .iter()
        .enumerate()
        .map(|(i, (name, supplier, licence, purl))| {
            let mut c = serde_json::json!({"type": "library", "bom-ref": format!("c{i}"), "name": name, "version": "1.0"});
            if let Some(s) = supplier {
                c["supplier"] = serde_json::json!({"name": s});
            }
            if let Some(l) = licence {
                c["licenses"] = serde_json::json!([{"license": {"name": l}}]);
            }
            if let Some(p) = purl {
                c["purl"] = serde_json::json!(p);
            }
            c
        })
        .collect();
    serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": comps}).to_string()
}

#[test]
fn proprietary_code_is_a_licence_kill_switch_and_silence_is_insufficient_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let proprietary = write(
        "proprietary.cdx.json",
        sbom(&[
            (
                "licence-agent",
                Some("Microsoft Corporation"),
                Some("Microsoft Software License Terms (proprietary)"),
                None,
            ),
            (
                "left-pad",
                None,
                Some("MIT"),
                Some("pkg:npm/left-pad@1.3.0"),
            ),
        ]),
    );
    // The SBOM says MIT; the registry knows Oracle's JDBC driver is not open source.
    let relabelled = write(
        "relabelled.cdx.json",
        sbom(&[(
            "ojdbc11",
            None,
            Some("MIT"),
            Some("pkg:maven/com.oracle.database.jdbc/ojdbc11@23.5.0.24.07"),
        )]),
    );
    let silent = write(
        "silent.cdx.json",
        sbom(&[
            ("a", None, None, None),
            ("b", None, None, None),
            ("c", None, None, None),
            ("d", None, Some("MIT"), None),
        ]),
    );
    let british = write(
        "british.cdx.json",
        sbom(&[("e", None, Some("Apache Licence 2.0"), None)]),
    );
    let reports = analyze(&[proprietary, relabelled, silent, british]);
    assert_eq!(reports.len(), 4);

    let p = &reports[0];
    assert_eq!(p["summary"]["verdict"], "foreign");
    let c = codes(p);
    assert!(c.contains("kill-switch"), "{c:?}");
    // Proprietary code that does not reach its vendor online is no compelled access.
    assert!(!c.contains("compelled-access"), "{c:?}");
    let agent = &p["components"][0];
    assert_eq!(agent["dependency"], "proprietary");
    assert_eq!(agent["licence"]["class"], "not-open");

    let r = &reports[1];
    let ojdbc = &r["components"][0];
    assert_eq!(ojdbc["dependency"], "proprietary", "{ojdbc}");
    assert!(
        ojdbc["licence"]["evidence"]
            .as_str()
            .unwrap()
            .contains("the SBOM declares MIT"),
        "{ojdbc}"
    );
    assert_eq!(r["summary"]["verdict"], "foreign");

    let s = &reports[2];
    assert_eq!(s["summary"]["verdict"], "insufficient-evidence");
    assert!(codes(s).contains("licence-unknown"));
    assert!(codes(s).contains("unknown-layer-control"));

    let b = &reports[3];
    assert_eq!(b["components"][0]["dependency"], "open-source");
}

/// A controller whose own owner the registry cannot state is said so: a warning at home,
/// where a hidden foreign owner would change the verdict, information abroad.
#[test]
fn a_controller_whose_owner_is_unconfirmed_is_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::write(
        &bom,
        sbom(&[
            ("newrelic", None, None, Some("pkg:npm/newrelic@12.0.0")),
            ("boto3", None, None, Some("pkg:pypi/boto3@1.35.0")),
        ]),
    )
    .unwrap();
    let finding = |home: &str| -> Vec<(String, String)> {
        let r = &analyze_at(home, std::slice::from_ref(&bom))[0];
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "owner-unconfirmed")
            .map(|f| {
                let evidence = f["evidence"][0].as_str().unwrap_or_default();
                assert!(evidence.contains("unconfirmed: the owner"), "{evidence}");
                (
                    f["subject"].as_str().unwrap_or_default().to_string(),
                    f["severity"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // New Relic's owner is unconfirmed in the registry; Amazon's is not.
    assert_eq!(
        finding("US"),
        [("new-relic".to_string(), "warn".to_string())]
    );
    assert_eq!(
        finding("MA"),
        [("new-relic".to_string(), "info".to_string())]
    );
}
