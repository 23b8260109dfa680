//! The registry as an analyst queries it: list with filters and formats,
//! lookup of several queries, stale facts, coverage suggestions, overlays.

use super::coquille;
use predicates::prelude::*;

#[test]
fn vendors_list_filters_by_controller_country_and_kind_in_every_format() {
    let out = coquille()
        .args([
            "vendors",
            "list",
            "--controlled-from",
            "CN",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(rows.len() > 20, "{}", rows.len());
    assert!(rows.iter().all(|r| r["controller_country"] == "CN"));
    // Hikvision is controlled from China through CETC.
    let hik = rows
        .iter()
        .find(|r| r["id"] == "hikvision")
        .expect("hikvision listed");
    assert_eq!(hik["controller"], "state-cn", "{hik}");
    let csv = coquille()
        .args([
            "vendors",
            "list",
            "--country",
            "ma",
            "--kind",
            "state",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(csv.stdout).unwrap();
    assert!(
        text.starts_with("id,name,kind,country,controller,"),
        "{text}"
    );
    assert!(
        text.lines().skip(1).all(|l| l.contains(",state,MA,")),
        "{text}"
    );
    coquille()
        .args(["vendors", "list", "--kind", "gang"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("company, state"));
}

#[test]
fn vendors_lookup_takes_several_queries_urls_products_and_suggests_near_names() {
    let out = coquille()
        .args([
            "vendors",
            "lookup",
            "Oracle Cloud",
            "https://s3.eu-west-3.amazonaws.com/bucket/key",
            "-",
        ])
        .write_stdin("Windows Server 2022\n\nHuawei Technologies Morocco\n")
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for needle in [
        "== Oracle Cloud",
        "ultimate controller: Oracle Corporation (US)",
        "ultimate controller: Amazon.com, Inc. (US)",
        "is licensed by microsoft",
        "== Huawei Technologies Morocco",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    assert_eq!(text.matches("== ").count(), 4, "{text}");
    coquille()
        .args(["vendors", "lookup", "Hikvison"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("did you mean").and(predicate::str::contains("(hikvision)")),
        );
    coquille()
        .args(["vendors", "lookup", "aws", "zzzz-no-such-vendor"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 of 2 queries matched nothing"));
}

#[test]
fn vendors_lookup_prints_the_source_quote_of_each_link() {
    let out = coquille()
        .args(["vendors", "lookup", "hikvision"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains('“') && text.contains("China Electronics Technology Group"),
        "{text}"
    );
}

#[test]
fn vendors_stale_lists_old_facts_most_consequential_first() {
    let out = coquille()
        .args(["vendors", "stale", "--before", "2024-01-01"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let counts: Vec<usize> = text
        .lines()
        .filter_map(|l| l.split("behind").nth(1))
        .filter_map(|r| r.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(counts.len() > 5, "{text}");
    // One line per fact: the entity, then which of its facts rests on the old source.
    assert!(
        text.lines()
            .filter(|l| l.contains("behind"))
            .all(|l| matches!(
                l.split_whitespace().nth(1),
                Some("name" | "country" | "parent" | "share" | "control")
            )),
        "{text}"
    );
    assert!(
        counts.windows(2).all(|w| w[0] >= w[1]),
        "not sorted: {counts:?}"
    );
    assert!(
        text.lines()
            .all(|l| !l.contains("as of 2024-") && !l.contains("as of 2025-"))
    );
    // The default threshold is 18 months before today.
    coquille()
        .env("COQUILLE_TODAY", "2026-11-30")
        .args(["vendors", "stale"])
        .assert()
        .success()
        .stdout(predicate::str::contains("older than 2025-05-28"));
    coquille()
        .args(["vendors", "stale", "--before", "last year"])
        .assert()
        .code(2);
}

#[test]
fn vendors_coverage_names_its_definition_and_writes_a_starter_overlay() {
    let bom =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/npm/bom.json");
    let dir = tempfile::tempdir().unwrap();
    let suggest = dir.path().join("matchers-suggested.csv");
    let out = coquille()
        .args(["vendors", "coverage", "--suggest"])
        .arg(&suggest)
        .arg(&bom)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(text.contains("`analyze` reports"), "{text}");
    let csv = std::fs::read_to_string(&suggest).unwrap();
    assert!(
        csv.starts_with("kind,pattern,entity,confidence,note"),
        "{csv}"
    );
    let rows = csv.lines().count() - 1;
    assert!(rows > 0, "{csv}");
    // The overlay is a starter: its empty entities are refused until an analyst fills them in.
    coquille()
        .args(["vendors", "validate", "--vendors"])
        .arg(dir.path())
        .assert()
        .code(1);
}
