//! The one integration-test binary: runs the real `coquille` executable.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

mod browser;
mod conformance;
mod dependency_kinds;
mod fuzzing;
mod hardening;
mod integrity;
mod pipeline;
mod properties;
mod real_sboms;
mod registry;

fn coquille() -> Command {
    Command::cargo_bin("coquille").unwrap()
}

/// Headless Chromium's command, or `None` (tests that need it skip with a message).
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            std::process::Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        });
    if found.is_none() {
        eprintln!("skipping: no Chromium on this machine");
    }
    found
}

/// `../shared` beside the repository, or `None` (tests that need it skip with a message).
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared is absent");
        None
    }
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn the_demo_names_the_local_shell_and_its_engine() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let assert = coquille()
        .args(["demo", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("kasbah-cloud") && stdout.contains("local-shell"),
        "{stdout}"
    );

    let reports = json(&out.join("report.json"));
    let by_id = |id: &str| {
        reports
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["bid"]["id"] == id)
            .unwrap()
            .clone()
    };

    let kasbah = by_id("kasbah-cloud");
    assert_eq!(kasbah["summary"]["verdict"], "local-shell");
    assert_eq!(
        kasbah["summary"]["engine_countries"],
        serde_json::json!(["US"])
    );
    let engine: Vec<&str> = kasbah["summary"]["engine_entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for who in ["Broadcom", "Microsoft", "Amazon", "Cisco"] {
        assert!(
            engine.iter().any(|e| e.contains(who)),
            "{who} missing from the engine {engine:?}"
        );
    }
    let layer = |r: &serde_json::Value, name: &str| {
        r["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["layer"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(layer(&kasbah, "hypervisor")["control"], "foreign");
    assert_eq!(
        layer(&kasbah, "hypervisor")["engine"]["name"],
        "Broadcom Inc."
    );
    assert_eq!(layer(&kasbah, "datacenter")["control"], "home");
    let codes: Vec<&str> = kasbah["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    for code in [
        "kill-switch",
        "key-custody",
        "compelled-access",
        "claim-contradicted",
        "foreign-support",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }

    assert_eq!(
        by_id("maghreb-open-cloud")["summary"]["verdict"],
        "sovereign"
    );
    assert_eq!(by_id("nimbus-direct")["summary"]["verdict"], "foreign");

    for f in [
        "report.md",
        "report.html",
        "report.fr.html",
        "components.csv",
        "findings.csv",
        "graph.dot",
        "graph.graphml",
        "summary.txt",
        "kasbah-cloud/report.json",
        "kasbah-cloud/report.md",
    ] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    if let Some(shared) = shared() {
        let st = std::process::Command::new("python3")
            .arg(shared.join("tools/check-report.py"))
            .arg(out.join("report.json"))
            .output();
        match st {
            Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout)),
            Err(e) => eprintln!("skipping contract check: python3 unavailable ({e})"),
        }
    }
}

#[test]
fn the_demo_is_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    coquille()
        .args(["demo", "--out"])
        .arg(&a)
        .assert()
        .success();
    coquille()
        .args(["demo", "--out"])
        .arg(&b)
        .assert()
        .success();
    for f in [
        "report.json",
        "report.md",
        "summary.txt",
        "report.html",
        "report.fr.html",
        "components.csv",
        "findings.csv",
        "graph.dot",
        "graph.graphml",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between runs"
        );
    }
}

#[test]
fn analyze_prints_json_that_keeps_the_contract() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/kasbah-cloud/bid.toml");
    let out = coquille()
        .args(["analyze", "--home", "MA", "--format", "json"])
        .arg(&dir)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["schema"], "coquille.report/1");
    assert_eq!(v["summary"]["verdict"], "local-shell");
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 5, "the manifest and its four SBOMs");
    assert!(
        inputs
            .iter()
            .all(|i| i["sha256"].as_str().unwrap().len() == 64)
    );
    let comps = v["components"].as_array().unwrap();
    assert_eq!(
        v["summary"]["components"].as_u64().unwrap() as usize,
        comps.len()
    );
    let esxi = comps.iter().find(|c| c["name"] == "ESXi").unwrap();
    assert_eq!(esxi["controller"]["name"], "Broadcom Inc.");
    assert!(
        esxi["attribution"]["evidence"]
            .as_str()
            .unwrap()
            .contains("vsphere.cdx.json")
    );
}

#[test]
fn analyze_with_home_eu_sees_ireland_as_home() {
    let bid = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/nimbus-direct/bid.toml");
    let out = coquille()
        .args(["analyze", "--home", "EU", "--format", "json"])
        .arg(&bid)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["home"], "EU");
    assert!(
        v["home_countries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "IE")
    );
    assert_eq!(
        v["summary"]["verdict"], "foreign",
        "the bidder is US-controlled"
    );
}

#[test]
fn out_writes_the_whole_set() {
    let dir = tempfile::tempdir().unwrap();
    let bid = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/maghreb-open-cloud");
    coquille()
        .args(["analyze", "--out"])
        .arg(dir.path())
        .arg(&bid)
        .assert()
        .success()
        .stdout(predicate::str::contains("verdict: SOVEREIGN"));
    for f in ["report.json", "report.md", "summary.txt"] {
        assert!(dir.path().join(f).is_file());
    }
}

#[test]
fn unreadable_input_is_exit_2_with_file_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": \"1.5\",\n  \"components\": [ oops ]\n}").unwrap();
    coquille()
        .arg("analyze")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.json, line 4, column"))
        .stderr(predicate::str::contains("panicked").not());
}

#[test]
fn unsupported_versions_name_the_supported_ones() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("future.json");
    std::fs::write(
        &f,
        r#"{"bomFormat":"CycloneDX","specVersion":"2.0","components":[]}"#,
    )
    .unwrap();
    coquille()
        .arg("analyze")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("1.2, 1.3, 1.4, 1.5, 1.6, 1.7"));
    let g = dir.path().join("notes.txt");
    std::fs::write(&g, "hello").unwrap();
    coquille()
        .arg("analyze")
        .arg(&g)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("supported: CycloneDX 1.2-1.7"));
}

#[test]
fn a_manifest_may_not_reach_outside_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let bid = dir.path().join("bid");
    std::fs::create_dir(&bid).unwrap();
    std::fs::write(
        dir.path().join("secret.json"),
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5"}"#,
    )
    .unwrap();
    let manifest = "schema = \"coquille.bid/1\"\n[bid]\nid = \"x\"\ntitle = \"x\"\n[bidder]\nname = \"X\"\ncountry = \"MA\"\n[[layers]]\nlayer = \"os\"\nsbom = [\"../secret.json\"]\n";
    std::fs::write(bid.join("bid.toml"), manifest).unwrap();
    coquille()
        .arg("analyze")
        .arg(&bid)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("leaves the manifest's folder"));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("secret.json"), bid.join("link.json")).unwrap();
        std::fs::write(
            bid.join("bid.toml"),
            manifest.replace("../secret.json", "link.json"),
        )
        .unwrap();
        coquille()
            .arg("analyze")
            .arg(&bid)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(
                "leads out of the manifest's folder",
            ));
    }
}

#[test]
fn hostile_names_are_inert_in_text_and_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("evil.json");
    std::fs::write(
        &f,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"type":"library","name":"<script>alert(1)</script>\u001b[2J|x","version":"=HYPERLINK(\"http://evil\")"}]}"#,
    )
    .unwrap();
    let md = coquille()
        .args(["analyze", "--format", "md"])
        .arg(&f)
        .assert()
        .success();
    let md = String::from_utf8(md.get_output().stdout.clone()).unwrap();
    assert!(!md.contains("<script>"), "{md}");
    let text = coquille().arg("analyze").arg(&f).assert().success();
    assert!(
        !text.get_output().stdout.contains(&0x1b),
        "an escape character reached the terminal"
    );
}

#[test]
fn explain_knows_every_code_and_rejects_unknown_ones() {
    coquille()
        .args(["explain", "kill-switch"])
        .assert()
        .success()
        .stdout(predicate::str::contains("online"));
    coquille()
        .args(["explain", "no-such-code"])
        .assert()
        .code(2);
    coquille()
        .arg("explain")
        .assert()
        .success()
        .stdout(predicate::str::contains("foreign-critical-layer"));
}

#[test]
fn vendors_lookup_follows_the_chain_of_control() {
    coquille()
        .args(["vendors", "lookup", "pkg:npm/@aws-sdk/client-s3@3.0.0"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ultimate controller: Amazon.com, Inc. (US)",
        ));
    coquille()
        .args(["vendors", "lookup", "vmware"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Broadcom"));
}

#[test]
fn usage_errors_are_exit_2() {
    coquille()
        .args(["analyze", "--home", "Morocco", "x.json"])
        .assert()
        .code(2);
    coquille().args(["frobnicate"]).assert().code(2);
}

#[test]
fn a_users_registry_folder_overlays_the_shipped_one() {
    let dir = tempfile::tempdir().unwrap();
    let vendors = dir.path().join("vendors");
    std::fs::create_dir(&vendors).unwrap();
    std::fs::write(
        vendors.join("entities-mine.csv"),
        "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,as_of,note\n\
         openssl-foundation,\"OpenSSL Foundation, Inc.\",US,US,foundation,,,,,https://openssl-foundation.org/,2026-11-23,\n",
    )
    .unwrap();
    std::fs::write(
        vendors.join("matchers-mine.csv"),
        "kind,pattern,entity,confidence,note\npurl,pkg:generic/openssl,openssl-foundation,high,\n",
    )
    .unwrap();
    let sbom =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/kasbah-cloud/sboms/vsphere.cdx.json");
    let out = coquille()
        .args(["analyze", "--format", "json", "--vendors"])
        .arg(&vendors)
        .arg(&sbom)
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let openssl = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "openssl")
        .unwrap()
        .clone();
    assert_eq!(openssl["controller"]["kind"], "foundation");
    assert!(
        openssl["attribution"]["evidence"]
            .as_str()
            .unwrap()
            .contains("matchers-mine.csv:2")
    );
    // A broken overlay is an error that names the file and line.
    std::fs::write(
        vendors.join("matchers-bad.csv"),
        "kind,pattern,entity,confidence,note\nfingerprint,x,openssl-foundation,high,\n",
    )
    .unwrap();
    coquille()
        .args(["analyze", "--vendors"])
        .arg(&vendors)
        .arg(&sbom)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("matchers-bad.csv:2"));
}

#[test]
fn vendors_validate_passes_the_shipped_registry_and_finds_planted_errors() {
    coquille()
        .args(["vendors", "validate"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("ok: "));
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("entities.csv"),
        "id,name,country,incorporated,kind,parent,parent_share,control,aliases,source,source_date,as_of,source_quote,quote_states,unconfirmed,note\n\
         a,A,US,US,company,b,60,yes,,https://a.example,,2026-01-01,A is held by B.,name;parent,country;share,\n\
         b,B,US,US,company,a,60,yes,,https://b.example,2026-02-01,2026-01-01,B is held by A.,name;parent,country;share,\n\
         c,C,Morocco,MA,company,,,,,,,yesterday,,,name;country,\n\
         d,D,US,US,company,,,,,https://d.example,,2026-01-01,,,,\n\
         e,E,US,US,company,,,,,https://e.example,,2026-01-01,,,name;country,the register was not reachable\n\
         f,F,US,US,company,,,,,https://f.example,,2026-01-01,\"F, Inc., a Delaware corporation\",name;country;owner,,\n\
         g,G,US,US,company,,,,,https://g.example,,2026-01-01,\"G, Inc., a Delaware corporation\",name;country,country,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("quotes.csv"),
        "entity,states,source,source_date,as_of,source_quote,note\n\
         e,name,https://e.example/imprint,,2026-01-01,E Ltd,\n\
         nobody,country,https://n.example,,2026-01-01,N is in France,\n\
         d,name,not a url,2026-03-01,2026-01-01,,\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("matchers.csv"),
        "kind,pattern,entity,confidence,note\nname,acme,a,high,\nname,Acme Inc.,b,high,\n",
    )
    .unwrap();
    // Without jurisdictions the folder is an overlay: checked on the shipped registry.
    coquille()
        .args(["vendors", "validate"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--vendors"));
    let out = coquille()
        .args(["vendors", "validate", "--vendors"])
        .arg(dir.path())
        .assert()
        .code(1);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    for needle in [
        "entities.csv:2: ownership cycle",
        "entities.csv:4: country \"Morocco\"",
        "matchers.csv:3: conflicting matcher",
        "entities.csv:3: entity \"b\": as_of 2026-01-01 is older than its source (2026-02-01)",
        "entities.csv:5: entity \"d\": no quote states its name, country",
        "entities.csv:7: quote_states: \"owner\" is not a fact",
        "entities.csv:8: entity \"g\": country listed as unconfirmed but a quote states it",
        "quotes.csv:3: quote for undefined entity \"nobody\"",
        "quotes.csv:4: quote for \"d\": source \"not a url\" is not an http(s) URL",
        "quotes.csv:4: quote for \"d\" has an empty source_quote",
        "quotes.csv:4: quote for \"d\": as_of 2026-01-01 is older than its source (2026-03-01)",
    ] {
        assert!(err.contains(needle), "{needle:?} not in\n{err}");
    }
    // A row that lists what is unconfirmed is allowed without a quote, and a further quote
    // covers a fact the row lists as unconfirmed (name, here) only if the list drops it.
    assert!(!err.contains("entity \"e\": no quote"), "{err}");
    assert!(
        err.contains("entity \"e\": name listed as unconfirmed but a quote states it"),
        "{err}"
    );
    coquille()
        .args(["vendors", "validate"])
        .arg(dir.path().join("missing"))
        .assert()
        .code(2);
}

#[test]
fn vendors_coverage_measures_the_attributed_share() {
    let bom = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/npm/bom.json");
    let out = coquille()
        .args(["vendors", "coverage"])
        .arg(&bom)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let total = text
        .lines()
        .find(|l| l.starts_with("total: "))
        .expect("a total line");
    let share: f64 = total
        .rsplit_once('(')
        .unwrap()
        .1
        .trim_end_matches(" %)")
        .parse()
        .unwrap();
    assert!(share >= 95.0, "{total}");
    coquille()
        .args(["vendors", "coverage"])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/kasbah-cloud/bid.toml"))
        .assert()
        .code(2);
}

#[test]
fn hostile_names_are_inert_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let bid = dir.path().join("bid");
    std::fs::create_dir(&bid).unwrap();
    std::fs::write(
        bid.join("bom.json"),
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
            {"type":"library","name":"<script>alert(1)</script>","version":"=HYPERLINK(\"http://evil\")","bom-ref":"x\"];evil[label=\"",
             "supplier":{"name":"<img src=x onerror=alert(2)>","url":["javascript:alert(3)"]}},
            {"type":"library","name":"ctl\u0007\u001b[2Jname","version":"+1"}]}"#,
    )
    .unwrap();
    std::fs::write(
        bid.join("bid.toml"),
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"../../evil\"\ntitle = \"<b>Evil</b> & co\"\n[bidder]\nname = \"<script>x()</script>\"\ncountry = \"MA\"\n[[layers]]\nlayer = \"application\"\nproduct = \"<iframe src=javascript:alert(4)>\"\nsbom = [\"bom.json\"]\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    coquille()
        .args(["analyze", "--out"])
        .arg(&out)
        .arg(&bid)
        .assert()
        .success();
    for f in ["report.html", "report.fr.html"] {
        let html = std::fs::read_to_string(out.join(f)).unwrap();
        for bad in [
            "<script>",
            "<img",
            "<iframe",
            "<b>Evil",
            "href=\"javascript:",
        ] {
            assert!(!html.contains(bad), "{f} contains {bad}");
        }
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{f}: the name must still be shown as text"
        );
        assert!(!html.contains('\u{1b}') && !html.contains('\u{7}'));
    }
    let csv = std::fs::read_to_string(out.join("components.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "formulas are neutralised");
    assert!(csv.contains(",'+1,"));
    assert!(!csv.contains(",=HYPERLINK"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(!md.contains("<script>") && !md.contains("<img"));
    let dot = std::fs::read_to_string(out.join("graph.dot")).unwrap();
    assert!(
        !dot.lines().any(|l| l.trim_start().starts_with("evil[")),
        "a name broke out of its DOT string"
    );
    let graphml = std::fs::read_to_string(out.join("graph.graphml")).unwrap();
    assert!(!graphml.contains("<script>"));
    assert!(
        !dir.path().join("evil").exists(),
        "the bid id must not choose where files go"
    );
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// reports/demo/ is committed as the living example; it must be exactly what the code writes.
/// After a deliberate change, regenerate it with `cargo run --release`.
#[test]
fn the_committed_demo_reports_match_the_code() {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/demo");
    let dir = tempfile::tempdir().unwrap();
    let fresh = dir.path().join("demo");
    coquille()
        .args(["demo", "--out"])
        .arg(&fresh)
        .assert()
        .success();
    let (a, b) = (files_under(&committed), files_under(&fresh));
    assert_eq!(
        a, b,
        "the set of files in reports/demo differs from what `coquille demo` writes"
    );
    for f in &a {
        let (x, y) = (
            std::fs::read(committed.join(f)).unwrap(),
            std::fs::read(fresh.join(f)).unwrap(),
        );
        assert!(
            x == y,
            "reports/demo/{} drifted from the code; regenerate with `cargo run --release`",
            f.display()
        );
    }
}

/// Dogfooding: coquille's own workspace may depend on a foreign-controlled
/// company's crate, or name a foreign endpoint in its shipped code, only when
/// tests/fixtures/dogfood-allowed.csv says why.
#[test]
fn coquille_itself_has_no_unexpected_foreign_dependency() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = coquille()
        .args(["analyze", "--format", "json"])
        .arg(root.join("Cargo.toml"))
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cargo metadata failed"), "{err}");
        eprintln!(
            "skipping: cargo metadata could not run here ({})",
            err.trim()
        );
        return;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut rdr = csv::Reader::from_path(root.join("tests/fixtures/dogfood-allowed.csv")).unwrap();
    let allowed: std::collections::BTreeSet<(String, String)> = rdr
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].to_string())
        })
        .collect();
    let mut unexpected = Vec::new();
    for c in v["components"].as_array().unwrap() {
        let Some(k) = c["controller"].as_object() else {
            continue;
        };
        let corporate = matches!(k["kind"].as_str(), Some("company" | "state" | "person"));
        if !corporate || c["dev_only"] == true || k["country"] == "MA" {
            continue;
        }
        // Source-scan hits are named "text (file:line)": the allow list names the text.
        let name = c["name"].as_str().unwrap();
        let name = if c["type"] == "service" {
            name.split(" (").next().unwrap()
        } else {
            name
        };
        let key = (name.to_string(), k["name"].as_str().unwrap().to_string());
        if !allowed.contains(&key) {
            unexpected.push(format!(
                "{} ({}) — {}",
                key.0,
                key.1,
                c["attribution"]["evidence"].as_str().unwrap_or("")
            ));
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected foreign-controlled dependencies of coquille:\n{}",
        unexpected.join("\n")
    );
}

/// A real Rust workspace that calls AWS and Azure and tests against Google Cloud.
#[test]
fn a_rust_workspace_is_attributed_and_dev_crates_are_told_apart() {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rust-workspace");
    let out = coquille()
        .args(["analyze", "--format", "json"])
        .arg(&ws)
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("cargo metadata failed"), "{err}");
        eprintln!(
            "skipping: cargo metadata could not resolve the fixture here ({})",
            err.trim()
        );
        return;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let comps = v["components"].as_array().unwrap();
    let by = |n: &str| {
        comps
            .iter()
            .find(|c| c["name"] == n)
            .unwrap_or_else(|| panic!("{n} missing"))
            .clone()
    };
    for (name, company) in [
        ("aws-sdk-s3", "Amazon.com, Inc."),
        ("aws-config", "Amazon.com, Inc."),
        ("azure_storage_blob", "Microsoft Corporation"),
        ("azure_identity", "Microsoft Corporation"),
    ] {
        let c = by(name);
        assert_eq!(c["controller"]["name"], company, "{name}");
        assert_eq!(c["controller"]["country"], "US", "{name}");
        assert_eq!(c["dependency_kind"], "runtime", "{name}");
        assert!(c.get("dev_only").is_none(), "{name} ships");
    }
    let g = by("google-cloud-storage");
    assert_eq!(g["controller"]["name"], "Alphabet Inc.");
    assert_eq!(g["dependency_kind"], "dev");
    assert_eq!(g["dev_only"], true);
    let inputs: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["format"].as_str().unwrap())
        .collect();
    assert_eq!(inputs, ["cargo-manifest+toml", "cargo-lock+toml"]);
    // The code itself: a hard-coded S3 endpoint in Ireland, found with its file and line.
    let finding = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["code"] == "data-outside-home"
                && f["message"]
                    .as_str()
                    .unwrap()
                    .contains("s3.eu-west-1.amazonaws.com")
        })
        .expect("the endpoint is reported");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("src/main.rs:6"),
        "{finding}"
    );
    assert!(finding["message"].as_str().unwrap().contains("(IE)"));
    let blob = comps
        .iter()
        .find(|c| {
            c["type"] == "service"
                && c["name"]
                    .as_str()
                    .unwrap()
                    .contains("blob.core.windows.net")
        })
        .expect("the Azure endpoint inside format! is found");
    assert_eq!(blob["controller"]["name"], "Microsoft Corporation");
    let setting = comps
        .iter()
        .find(|c| c["name"].as_str().unwrap().starts_with("AWS_REGION"))
        .expect("the AWS_REGION setting is found");
    assert!(setting["name"].as_str().unwrap().contains("src/main.rs:13"));
    assert!(by("aws-sdk-s3")["attribution"].is_object());
}

#[test]
fn check_exits_0_1_and_2_as_documented() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    coquille()
        .args(["check", "--policy", "ma-sensitive"])
        .arg(demo.join("maghreb-open-cloud"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS"));
    coquille()
        .args(["check", "--policy", "ma-sensitive"])
        .arg(demo.join("kasbah-cloud"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL"));
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"bomFormat\": \"CycloneDX\", \"specVersion\": ").unwrap();
    coquille()
        .args(["check", "--policy", "ma-sensitive"])
        .arg(&broken)
        .assert()
        .code(2);
    coquille()
        .args(["check", "--policy", "no-such-policy"])
        .arg(demo.join("kasbah-cloud"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ma-sensitive"));
    // -A drops findings: allowing every deny code of the open-source bid under SecNumCloud changes nothing,
    // while -D on a warning code turns a pass into a failure.
    coquille()
        .args(["check", "--policy", "ma-sensitive", "-D", "foreign-supply"])
        .arg(demo.join("maghreb-open-cloud"))
        .assert()
        .code(1);
    coquille()
        .args(["check", "--policy", "ma-sensitive", "-D", "no-such-code"])
        .arg(demo.join("maghreb-open-cloud"))
        .assert()
        .code(2);
}

#[test]
fn check_writes_sarif_and_junit_that_tools_accept() {
    let bid = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/kasbah-cloud");
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive", "--format", "sarif"])
        .arg(&bid)
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize], id);
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(!loc["artifactLocation"]["uri"].as_str().unwrap().is_empty());
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    // Every result has its own fingerprint, and the same input gives the same ones.
    let prints = |v: &serde_json::Value| -> Vec<String> {
        v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["partialFingerprints"]["coquilleFinding/v1"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    let first = prints(&v);
    let unique: std::collections::BTreeSet<&String> = first.iter().collect();
    assert_eq!(unique.len(), first.len(), "{first:?}");
    let again = coquille()
        .args(["check", "--policy", "ma-sensitive", "--format", "sarif"])
        .arg(&bid)
        .output()
        .unwrap();
    let again: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(prints(&again), first);
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive", "--format", "junit"])
        .arg(&bid)
        .assert()
        .code(1);
    let xml = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // Test names are code and subject, never the message with its counts.
    assert!(
        xml.contains("name=\"compelled-access hypervisor broadcom\"")
            && xml.contains("name=\"claim-contradicted claims.data_residency\""),
        "{xml}"
    );
    assert!(!xml.contains("name=\"compelled-access: "), "{xml}");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut cases, mut failures) = (0, 0);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.local_name().into_inner() {
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(
        cases > failures && failures > 0,
        "{cases} cases, {failures} failures"
    );
}

/// The finding codes are an interface (CI gates key on them): this list changes only on purpose.
#[test]
fn finding_codes_are_stable() {
    let out = coquille().arg("explain").assert().success();
    let listed: Vec<String> = String::from_utf8(out.get_output().stdout.clone())
        .unwrap()
        .lines()
        .map(|l| l.split_whitespace().take(2).collect::<Vec<_>>().join(" "))
        .collect();
    let expected = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/finding-codes.txt"),
    )
    .unwrap();
    assert_eq!(
        listed,
        expected.lines().collect::<Vec<_>>(),
        "finding codes changed: update tests/fixtures/finding-codes.txt and the CHANGELOG"
    );
}

/// Two versions of a real SBOM: the older one without the AWS SDK packages.
#[test]
fn diff_names_the_foreign_components_a_new_version_adds() {
    let new = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/real/npm/bom.json");
    let mut doc = json(&new);
    doc["components"].as_array_mut().unwrap().retain(|c| {
        !c["group"]
            .as_str()
            .is_some_and(|g| g.starts_with("@aws") || g == "@smithy")
    });
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    std::fs::write(&old, serde_json::to_vec(&doc).unwrap()).unwrap();
    let out = coquille()
        .args(["diff", "--format", "json", "--fail-on-new-foreign"])
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1);
    let d: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let added = d["added_foreign_controllers"]["Amazon.com, Inc. (US)"]
        .as_array()
        .expect("Amazon added");
    assert!(added.iter().any(|c| c == "pkg:npm/@aws-sdk/client-s3"));
    assert!(
        d["controller_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["component"] == "pkg:npm/@aws-sdk/client-kms" && c["old"].is_null())
    );
    // The same version twice: nothing changes and the gate passes.
    coquille()
        .args(["diff", "--fail-on-new-foreign"])
        .arg(&new)
        .arg(&new)
        .assert()
        .success()
        .stdout(predicate::str::contains("components: +0 −0"));
}

#[test]
fn the_demo_tender_ranks_its_bids_and_explains_rejections() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    coquille()
        .args(["demo", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"1\. maghreb-open-cloud +accepted +sovereign").unwrap());
    let t = json(&out.join("tender.json"));
    let ranking = t["ranking"].as_array().unwrap();
    let order: Vec<&str> = ranking.iter().map(|r| r["bid"].as_str().unwrap()).collect();
    assert_eq!(
        order,
        ["maghreb-open-cloud", "kasbah-cloud", "nimbus-direct"]
    );
    for r in ranking.iter().filter(|r| r["passed"] == false) {
        let why = r["rejections"].as_array().unwrap();
        assert!(!why.is_empty());
        assert!(
            why.iter()
                .all(|f| !f["evidence"].as_array().unwrap().is_empty()),
            "every rejection cites evidence"
        );
        assert!(r["governing"].as_str().is_some());
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("class=\"tender\""));
}

#[test]
fn a_broken_tender_lists_its_problems_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path().join("tender.toml");
    let out = dir.path().join("out");
    let base = "schema = \"coquille.tender/1\"\n[tender]\nid = \"t\"\ntitle = \"T\"\nbuyer = \"B\"\nhome = \"MA\"\n[policy]\npreset = \"ma-sensitive\"\n";
    std::fs::write(&t, format!("{base}[[bids]]\npath = \"a\"\n[[bids]]\npath = \"../outside\"\n[[bids]]\npath = \"missing\"\n")).unwrap();
    let err = coquille()
        .arg("tender")
        .arg(&t)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("../outside") && err.contains("leaves"),
        "{err}"
    );
    assert!(!out.exists(), "no partial report");
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::fs::write(
        &t,
        format!("{base}[[bids]]\npath = \"a\"\n[[bids]]\npath = \"missing\"\n"),
    )
    .unwrap();
    let err = coquille()
        .arg("tender")
        .arg(&t)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8(err.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("bid \"a\"") && err.contains("bid \"missing\""),
        "every missing bid is listed: {err}"
    );
    std::fs::write(
        &t,
        format!("{base}colour = \"blue\"\n[[bids]]\npath = \"a\"\n"),
    )
    .unwrap();
    coquille()
        .arg("tender")
        .arg(&t)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 9"));
    assert!(!out.exists());
}

/// The SARIF validates against the official SARIF 2.1.0 schema, fetched from the npm
/// registry (Microsoft's @microsoft/jest-sarif ships it) and checked with Python's
/// jsonschema. Skips where npm, tar or python3 with jsonschema are missing.
#[test]
fn check_sarif_validates_against_the_sarif_2_1_0_schema() {
    let dir = tempfile::tempdir().unwrap();
    let have = |cmd: &str, arg: &str| {
        std::process::Command::new(cmd)
            .arg(arg)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !have("npm", "--version")
        || !have("tar", "--version")
        || !std::process::Command::new("python3")
            .args(["-c", "import jsonschema"])
            .output()
            .is_ok_and(|o| o.status.success())
    {
        eprintln!("skipping: npm, tar or python3 with jsonschema is missing");
        return;
    }
    let pack = std::process::Command::new("npm")
        .args(["pack", "@microsoft/jest-sarif@1.0.0-beta.0", "--silent"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    if !pack.status.success() {
        eprintln!(
            "skipping: the npm registry is not reachable ({})",
            String::from_utf8_lossy(&pack.stderr).trim()
        );
        return;
    }
    let tgz = String::from_utf8_lossy(&pack.stdout)
        .trim()
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert!(
        std::process::Command::new("tar")
            .args(["xzf", &tgz])
            .current_dir(dir.path())
            .status()
            .unwrap()
            .success()
    );
    let schema = dir
        .path()
        .join("package/lib/schemas/sarif-2.1.0-rtm.5.json");
    let bid = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/kasbah-cloud");
    let out = coquille()
        .args(["check", "--policy", "ma-sensitive", "--format", "sarif"])
        .arg(&bid)
        .assert()
        .code(1);
    let sarif = dir.path().join("out.sarif");
    std::fs::write(&sarif, &out.get_output().stdout).unwrap();
    let script = "import json,sys,jsonschema\nv=jsonschema.Draft7Validator(json.load(open(sys.argv[1])))\nerrs=list(v.iter_errors(json.load(open(sys.argv[2]))))\n[print(e.message, list(e.path)) for e in errs[:10]]\nsys.exit(1 if errs else 0)\n";
    let v = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&schema)
        .arg(&sarif)
        .output()
        .unwrap();
    assert!(
        v.status.success(),
        "SARIF does not validate:\n{}",
        String::from_utf8_lossy(&v.stdout)
    );
}

#[test]
fn init_writes_templates_that_run_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    coquille().arg("init").arg(dir.path()).assert().success();
    for f in ["tender.toml", "policy.toml", "bid/bid.toml"] {
        assert!(
            std::fs::read_to_string(dir.path().join(f))
                .unwrap()
                .contains("# "),
            "{f} is commented"
        );
    }
    let out = dir.path().join("out");
    coquille()
        .arg("tender")
        .arg(dir.path().join("tender.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"1\. my-bid +(accepted|rejected)").unwrap());
    assert!(out.join("tender.json").is_file());
    coquille()
        .arg("check")
        .arg(dir.path().join("bid"))
        .arg("--policy")
        .arg(dir.path().join("policy.toml"))
        .assert()
        .code(1);
    coquille()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not overwriting"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Two versions of a tender: in the new one, the open-source bid moves its keys to AWS KMS.
#[test]
fn diff_of_two_tenders_reports_the_control_change() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    let dir = tempfile::tempdir().unwrap();
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    copy_dir(&demo, &old);
    copy_dir(&demo, &new);
    let bid = new.join("maghreb-open-cloud/bid.toml");
    let text = std::fs::read_to_string(&bid).unwrap().replace(
        "vendor = \"openbao\"\nproduct = \"OpenBao backed by Thales Luna HSMs in Rabat\"\noperator = \"bidder\"\nsites = [{ country = \"MA\", city = \"Rabat\" }]\nlicence = \"open-source\"\nkey_model = \"hyok\"\nrequires_vendor_online = false",
        "vendor = \"aws\"\nproduct = \"AWS KMS\"\noperator = \"aws\"\nsites = [{ country = \"FR\", city = \"Paris\" }]\nlicence = \"service\"\nkey_model = \"byok\"\nrequires_vendor_online = true",
    );
    assert!(
        text.contains("AWS KMS"),
        "the fixture changed: update this test"
    );
    std::fs::write(&bid, text).unwrap();
    let out = coquille()
        .args(["diff", "--format", "json", "--fail-on-new-foreign"])
        .arg(old.join("tender.toml"))
        .arg(new.join("tender.toml"))
        .assert()
        .code(1);
    let d: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let maghreb = d
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["new"].as_str().unwrap().starts_with("Maghreb"))
        .unwrap();
    assert!(
        maghreb["added_foreign_controllers"]
            .get("Amazon.com, Inc. (US)")
            .is_some(),
        "{maghreb}"
    );
    assert!(
        maghreb["layer_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["layer"] == "kms"
                && c["old_control"] == "community"
                && c["new_control"] == "foreign"
                && c["new_engines"] == "Amazon.com, Inc. (US)"),
        "{}",
        maghreb["layer_changes"]
    );
    assert_eq!(
        maghreb["verdict"],
        serde_json::json!(["sovereign", "local-shell"])
    );
    assert_eq!(maghreb["verdict_worse"], true);
}

/// SecNumCloud §19.6 b counts capital and votes: a 20 % holder with 40 % of the votes fails.
#[test]
fn foreign_votes_count_as_well_as_capital() {
    let dir = tempfile::tempdir().unwrap();
    let bid = dir.path().join("bid");
    std::fs::create_dir(&bid).unwrap();
    std::fs::write(
        bid.join("bid.toml"),
        "schema = \"coquille.bid/1\"\n[bid]\nid = \"v\"\ntitle = \"V\"\n[bidder]\nname = \"Nuage SAS\"\ncountry = \"FR\"\n\
         [[bidder.owners]]\nname = \"Fondateurs\"\ncountry = \"FR\"\nshare = 80\nvotes = 60\ncontrol = true\n\
         [[bidder.owners]]\nname = \"Growth Fund LP\"\ncountry = \"US\"\nshare = 20\nvotes = 40\n\
         [[layers]]\nlayer = \"datacenter\"\noperator = \"bidder\"\nsites = [{ country = \"FR\" }]\n",
    )
    .unwrap();
    let out = coquille()
        .args(["check", "--policy", "secnumcloud", "--format", "json"])
        .arg(&bid)
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let findings = v["bids"][0]["findings"].as_array().unwrap();
    let holder = findings
        .iter()
        .find(|f| f["code"] == "policy-single-foreign-holder")
        .expect("the single-holder rule fires");
    assert!(
        holder["message"].as_str().unwrap().contains("40.0 %"),
        "{holder}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f["code"] == "policy-foreign-capital"),
        "40 % of the votes is over 39 %"
    );
}

#[test]
fn a_report_without_a_manifest_says_so_in_its_own_language() {
    let dir = tempfile::tempdir().unwrap();
    let bom = dir.path().join("bom.json");
    std::fs::write(
        &bom,
        dependency_kinds::sbom(&[("boto3", None, None, Some("pkg:pypi/boto3@1.35.0"))]),
    )
    .unwrap();
    let out = dir.path().join("out");
    coquille()
        .args(["analyze", "--home", "MA", "--quiet", "--out"])
        .arg(&out)
        .arg(&bom)
        .assert()
        .success();
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let (en, fr) = (read("report.html"), read("report.fr.html"));
    assert!(
        en.contains("(no bid manifest)"),
        "the English page names the gap"
    );
    assert!(
        fr.contains("(sans manifeste d&#39;offre)"),
        "the French page names it in French"
    );
    assert!(
        !fr.contains("no bid manifest"),
        "no English placeholder on the French page"
    );
    // Nobody is "controlled by unknown": the controller is what is unknown.
    assert!(fr.contains("contrôleur inconnu") && !fr.contains("contrôlé par inconnu"));
    assert!(en.contains("controller unknown") && !en.contains("controlled by unknown"));
    // The JSON contract keeps its one placeholder, whatever the language of the pages.
    let json: serde_json::Value = serde_json::from_str(&read("report.json")).unwrap();
    assert_eq!(json["face"]["bidder_name"], "(no bid manifest)");
}

/// Checks every "X per URL (vendors/file.csv:N)" in `text` against the repository's registry:
/// the cited line holds that URL, so a reader who opens the row finds the source named beside
/// it. Returns how many citations it checked.
pub fn assert_citations_hold_their_urls(text: &str) -> usize {
    let cite = regex::Regex::new(r#" per (\S+) \((vendors/[a-z-]+\.csv):(\d+)"#).unwrap();
    let mut checked = 0;
    for c in cite.captures_iter(text) {
        assert_registry_line_holds(&c[2], c[3].parse().unwrap(), &c[1]);
        checked += 1;
    }
    checked
}

/// Asserts that line `line` of the repository's registry file `file` holds `source`.
pub fn assert_registry_line_holds(file: &str, line: usize, source: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let registry = std::fs::read_to_string(root.join(file)).unwrap();
    // The file's lines as the registry numbers them (a quoted field may span lines,
    // but no registry row in this repository does).
    let row = registry.lines().nth(line - 1).unwrap_or_default();
    assert!(row.contains(source), "{file}:{line} does not hold {source}");
}

#[test]
fn registry_citations_point_at_the_row_that_holds_their_source() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = std::fs::read_to_string(root.join("reports/demo/report.json")).unwrap();
    let checked = assert_citations_hold_their_urls(&report);
    assert!(checked > 20, "only {checked} citations found");
}
