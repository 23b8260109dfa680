//! What a CI pipeline feeds coquille: folders of uploads, standard input, and the files it
//! should not be given (a tender).

use super::coquille;
use serde_json::Value;
use std::path::Path;

fn root(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

#[test]
fn a_folder_gives_one_result_per_sbom_and_skips_the_rest_with_a_count() {
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json"])
        .arg(root("tests/fixtures/real"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["bid"]["id"].as_str().unwrap())
        .collect();
    // Every JSON and XML SBOM of the fixtures, one result each, in path order.
    assert!(ids.len() >= 9, "{ids:?}");
    assert!(
        ids.iter().all(|id| id.contains("tests/fixtures/real/")),
        "{ids:?}"
    );
    // Folders are walked in name order: `npm/` before `npm-saas/`.
    let at = |p: &str| ids.iter().position(|id| id.ends_with(p)).unwrap();
    assert!(
        at("real/npm/bom.json") < at("real/npm-saas/bom.json"),
        "{ids:?}"
    );
    assert!(
        at("real/cargo/bom.xml") < at("real/npm/bom.json"),
        "{ids:?}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("neither an SBOM nor a bid manifest: skipped"),
        "{stderr}"
    );
}

#[test]
fn a_folder_of_bids_keeps_each_manifests_sboms_inside_its_bid() {
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json"])
        .arg(root("demo"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["bid"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kasbah-cloud", "maghreb-open-cloud", "nimbus-direct"]);
}

#[test]
fn standard_input_is_an_input() {
    let sbom = std::fs::read(root("tests/fixtures/real/npm/bom.json")).unwrap();
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json", "-"])
        .write_stdin(sbom)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["inputs"][0]["path"], "(stdin)");
    assert_eq!(r["bid"]["title"], "coquille-fixture-npm 1.0.0");
}

#[test]
fn a_tender_given_to_check_names_the_tender_command() {
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive"])
        .arg(root("demo/tender.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("coquille tender"), "{e}");
}
